"""Re-run the current parser over stored raw bodies, without fetching.

Each report is parsed again from its stored body, with the headers it was fetched
with (so the charset a server declared still counts). Then:

* same parsed content and parser version → nothing is written (``unchanged``);
* same content, older parser version → only ``parser_version`` is updated
  (``version_only``): the row now says which parser vouches for it;
* different content → the old row goes to `report_versions` and the new one
  replaces it (``changed``); if the year itself changed, the report moves to its
  new (url, year) key (``moved``).

Running it twice changes nothing the second time.

>>> from gxcrawl.archive.store import Archive
>>> reparse_archive(Archive(":memory:"))["seen"]
0
"""
from __future__ import annotations

import json
from typing import Optional

from gxcrawl.archive.portal_checks import official_hosts
from gxcrawl.archive.rows import content_hash, report_row, split_key
from gxcrawl.archive.store import Archive
from gxcrawl.parse.model import PARSER_VERSION
from gxcrawl.parse.report import parse_report


def fetch_headers(archive: Archive, sha: str) -> Optional[dict]:
    """The response headers of the latest fetch that returned body `sha`, as
    {name: first value} (None if the body was never fetched, e.g. `gxcrawl parse`).

    >>> fetch_headers(Archive(":memory:"), "0" * 64) is None
    True
    """
    row = archive.db.execute("select headers from fetches where body_sha256 = ? "
                             "order by id desc limit 1", [sha]).fetchone()
    if row is None or not row[0]:
        return None
    headers = json.loads(row[0])
    return {k: (v[0] if isinstance(v, list) and v else v) for k, v in headers.items()} or None


def keep_crawl_context(report, year: int, needs_ocr, is_report, warnings: Optional[str]) -> None:
    """Keep what the crawl knew and the body alone cannot tell (pipelines/parse.py):
    an image-only page needs OCR, is a report by its list title, has its list's year.

    >>> from gxcrawl.parse.model import Report
    >>> r = Report(source="x")
    >>> keep_crawl_context(r, 2023, 1, 1, '["image-only report: identified from its title, content needs OCR"]')
    >>> r.year, r.needs_ocr, r.is_report
    (2023, True, True)
    """
    if needs_ocr and not report.needs_ocr:
        report.needs_ocr = True
    crawl_notes = [w for w in json.loads(warnings or "[]") if w.startswith("image-only report")]
    if is_report and not report.is_report and crawl_notes:
        report.is_report = True
        report.warnings.extend(w for w in crawl_notes if w not in report.warnings)
    if not report.year and year and (needs_ocr or crawl_notes):
        report.year = year


def reparse_archive(archive: Archive, force: bool = False) -> dict:
    """Re-parse every stored report; returns counts (see the module doc).
    `force` re-parses even rows already at this parser version."""
    stats = {"seen": 0, "changed": 0, "moved": 0, "version_only": 0, "unchanged": 0,
             "missing_body": 0}
    rows = archive.db.execute(
        "select url, year, body_sha256, parser_version, source, needs_ocr, is_report, warnings "
        "from reports order by id").fetchall()
    hosts = official_hosts(archive.db)     # seeded and registry hosts: as the crawl parsed them
    for url, year, sha, version, source, needs_ocr, is_report, warnings in rows:
        stats["seen"] += 1
        if not sha:
            stats["missing_body"] += 1
            continue
        try:
            body = archive.body(sha)
        except KeyError:
            stats["missing_body"] += 1
            continue
        report = parse_report(body, url=url if url.startswith(("http://", "https://")) else None,
                              source=source, headers=fetch_headers(archive, sha), official_hosts=hosts)
        keep_crawl_context(report, year, needs_ocr, is_report, warnings)
        new_year = report.year or 0
        if new_year != year:
            archive.delete_report(url, year, reason="moved")
            archive.store_report(report, body_sha256=sha)
            stats["moved"] += 1
            continue
        if not force and version == PARSER_VERSION and _same_content(archive, url, year, report, sha):
            stats["unchanged"] += 1
            continue
        before = archive.db.execute("select content_hash, parser_version, version from reports "
                                    "where url = ? and year = ?", [url, year]).fetchone()
        archive.store_report(report, body_sha256=sha)
        after = archive.db.execute("select content_hash, parser_version, version from reports "
                                   "where url = ? and year = ?", [url, year]).fetchone()
        if after[2] != before[2]:
            stats["changed"] += 1
        elif after[1] != before[1]:
            stats["version_only"] += 1
        else:
            stats["unchanged"] += 1
    stats["parser_version"] = PARSER_VERSION
    return stats


def _same_content(archive: Archive, url: str, year: int, report, sha: str) -> bool:
    """Is the stored row of (url, year) what `report` would store? Compared on the
    stored columns themselves, so a row edited by hand counts as changed."""
    cur = archive.db.execute("select * from reports where url = ? and year = ?", [url, year])
    names = [d[0] for d in cur.description]
    stored = dict(zip(names, cur.fetchone()))
    old_cells, old_checks = archive._stored_parts(stored["id"], url, year)
    row = report_row(report, sha)
    cells = [(c.table, *split_key(c.table, c.key), c.value, c.raw) for c in report.cells]
    checks = [(c.name, int(c.ok), c.detail) for c in report.checks]
    return content_hash(stored, old_cells, old_checks) == content_hash(row, cells, checks)
