"""The SQLite archive: raw bytes exactly as fetched, and the reports parsed from them.

In: fetched responses (`Archive.record_fetch`) and parsed `Report`s (`Archive.store_report`).
Out: one SQLite file that Datasette, `gxcrawl reparse`, the WARC export and the merge of
distributed workers read. No Scrapy here; the parser (`gxcrawl.parse`) is below it.

- `db`: timestamps, hashes, one real transaction, the `meta` table;
- `rows`: a Report as a `reports` row, cell keys, issuer keys, content hashes;
- `schema`: every table, view and index, migrations, tables other layers register;
- `store`: the `Archive` class (bodies by sha256, fetches, reports, cells, checks);
- `versions`, `views`, `search`, `mirrors`, `crosscheck`: old versions, wide views,
  Chinese full-text search, mirror sightings, cross-year checks;
- `signals/`, `panel`, `derived`, `tabular`: the accountability signals (copied, late,
  missing, withdrawn reports, mirror hosts), the panel (one row per body and year),
  their recomputation in order, typed CSV/JSONL/Parquet files;
- `reparse`, `merge`, `warc`: re-run the parser, merge worker archives, export WARC;
- `demo`: which crawls are demo data (replica portals), so that exports say so.

>>> archive = Archive(":memory:")
>>> archive.body(archive.store_body(b"<html>hello</html>"))
b'<html>hello</html>'
"""
from gxcrawl.archive.db import meta_get, meta_set, sha256_hex, transaction, utc_now
from gxcrawl.archive.rows import content_hash, issuer_key, report_row, split_key
from gxcrawl.archive.schema import SCHEMA_VERSION, register_tables
from gxcrawl.archive.store import DEFAULT_PATH, Archive

__all__ = ["Archive", "DEFAULT_PATH", "SCHEMA_VERSION", "content_hash", "issuer_key", "meta_get",
           "meta_set", "register_tables", "report_row", "sha256_hex", "split_key", "transaction",
           "utc_now"]
