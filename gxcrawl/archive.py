"""The SQLite archive: raw bodies exactly as fetched, and the reports parsed from them.

Built on sqlite-utils. Bodies are stored once per sha256 (zlib-compressed, the
exact bytes recoverable); reports are keyed by (url, year) and carry the parser
version that produced them, so the parser can improve and re-run over the stored
bodies without fetching anything again.

Schema 2 adds: a stable integer `reports.id`; `cell_values` (compact long-format
cells, one row per report/table/row/column) behind the `cells` view; old versions
of a report in `report_versions` (appended when its parsed content changes);
`crawls`; the `regions` and `portals` reference tables; full-text indexes
(gxcrawl.search) and the wide views (gxcrawl.views).

>>> archive = Archive(":memory:")
>>> sha = archive.store_body(b"<html>hello</html>")
>>> archive.body(sha)
b'<html>hello</html>'
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import sqlite_utils

from gxcrawl.model import Report

DEFAULT_PATH = Path("archive") / "gxcrawl.db"
SCHEMA_VERSION = 2


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@contextmanager
def transaction(db):
    """One real SQLite transaction around several writes (a savepoint when nested).

    `with db.conn:` is not one: sqlite-utils commits every write made while no transaction
    is open (`execute`, `insert`, `upsert` …), so a kill between two writes of a block left
    e.g. a report row without its cells. Never use `with db.conn:` inside this block: its
    exit commits the transaction half-way."""
    atomic = getattr(db, "atomic", None)
    if atomic is None:          # sqlite-utils < 4 (no atomic()): best effort
        with db.conn:
            yield db
        return
    with atomic():
        yield db


class Archive:
    """One archive file. Open it, store bodies/fetches/reports, read them back."""

    def __init__(self, path: str | Path = DEFAULT_PATH):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=60)
        self.db = sqlite_utils.Database(conn)
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.ensure_schema()

    # -- schema ---------------------------------------------------------
    def ensure_schema(self) -> None:
        db = self.db
        if "bodies" not in db.table_names():
            db["bodies"].create({
                "sha256": str, "size": int, "compression": str, "data": bytes,
                "first_seen": str,
            }, pk="sha256")
        if "fetches" not in db.table_names():
            db["fetches"].create({
                "id": int, "url": str, "final_url": str, "status": int,
                "headers": str, "body_sha256": str, "content_type": str,
                "fetched_at": str, "elapsed": float, "crawl_id": str,
                "error": str, "blocked_reason": str,
            }, pk="id", foreign_keys=[("body_sha256", "bodies", "sha256")])
            db["fetches"].create_index(["url"])
        if "regions" not in db.table_names():
            _create_regions(db)
        if "reports" not in db.table_names():
            db["reports"].create({
                "url": str, "year": int, "is_report": int, "title": str,
                "agency": str, "region_name": str, "region_code": str,
                "published": str, "format": str, "table_formats": str,
                "text": str, "sections": str, "tables": str, "spam": str,
                "is_mirror": int, "warnings": str, "checks_failed": int,
                "doc_kind": str, "needs_ocr": int, "body_sha256": str,
                "parser_version": str, "parsed_at": str, "source": str,
                "id": int, "issuer": str, "failed_checks": str, "content_hash": str,
                "version": int, "first_stored": str, "canonical": int,
            }, pk=("url", "year"), foreign_keys=[("body_sha256", "bodies", "sha256"),
                                                 ("region_code", "regions", "code")],
                not_null={"url", "year"})
        _migrate_reports(db)
        if "cell_values" not in db.table_names():
            db.execute(CELL_VALUES_DDL)
        if "cells" in db.table_names():        # schema 1: url/year per cell
            _migrate_cells(db)
        if "checks" not in db.table_names():
            db["checks"].create({
                "url": str, "year": int, "name": str, "ok": int, "detail": str,
            }, pk=("url", "year", "name"))
        if "report_versions" not in db.table_names():
            from gxcrawl.history import create_versions_table
            create_versions_table(db)
        if "crawls" not in db.table_names():
            db["crawls"].create({"crawl_id": str, "started": str, "finished": str,
                                 "notes": str}, pk="crawl_id")
        from gxcrawl.incremental import ensure_tables      # crawls columns, `entries` (incremental crawls)
        ensure_tables(db)
        if "portals" not in db.table_names():
            _create_portals(db)
        if "meta" not in db.table_names():
            db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
        elif meta_get(db, "schema_version") != str(SCHEMA_VERSION):
            meta_set(db, "schema_version", str(SCHEMA_VERSION))
        from gxcrawl.crosscheck import DDL as CROSS_CHECKS_DDL
        from gxcrawl.search import ensure_search
        from gxcrawl.views import ensure_views
        db.execute(CROSS_CHECKS_DDL)
        ensure_search(db)
        ensure_views(db)
        from gxcrawl.mirrors import ensure_mirror_schema      # mirror_sightings, cloaking_checks, spam_findings
        ensure_mirror_schema(db)

    # -- raw bodies -----------------------------------------------------
    def store_body(self, body: bytes) -> str:
        """Store `body` once, keyed by its sha256; return the hex digest."""
        sha = sha256_hex(body)
        if not self.db.execute("select 1 from bodies where sha256 = ?", [sha]).fetchone():
            self.db["bodies"].insert({
                "sha256": sha, "size": len(body), "compression": "zlib",
                "data": zlib.compress(body, 6), "first_seen": utc_now(),
            }, ignore=True)
        return sha

    def body(self, sha: str) -> bytes:
        """The exact bytes stored under `sha` (raises KeyError if absent)."""
        row = self.db.execute("select compression, data from bodies where sha256 = ?",
                              [sha]).fetchone()
        if row is None:
            raise KeyError(sha)
        compression, data = row
        return zlib.decompress(data) if compression == "zlib" else bytes(data)

    # -- fetches ----------------------------------------------------------
    def record_fetch(self, url: str, *, status: Optional[int] = None, body: Optional[bytes] = None,
                     final_url: Optional[str] = None, headers: Optional[dict] = None,
                     content_type: Optional[str] = None, elapsed: Optional[float] = None,
                     crawl_id: Optional[str] = None, error: Optional[str] = None,
                     blocked_reason: Optional[str] = None) -> int:
        sha = self.store_body(body) if body is not None else None
        if crawl_id:
            now = utc_now()
            self.db.execute("insert or ignore into crawls (crawl_id, started) values (?, ?)",
                            [crawl_id, now])
            self.db.execute("update crawls set finished = ? where crawl_id = ?", [now, crawl_id])
        return self.db["fetches"].insert({
            "url": url, "final_url": final_url or url, "status": status,
            "headers": json.dumps(headers or {}, ensure_ascii=False),
            "body_sha256": sha, "content_type": content_type, "fetched_at": utc_now(),
            "elapsed": elapsed, "crawl_id": crawl_id, "error": error,
            "blocked_reason": blocked_reason,
        }).last_pk

    # -- reports ----------------------------------------------------------
    def store_report(self, report: Report, body_sha256: Optional[str] = None) -> tuple[str, int]:
        """Store the parsed report keyed by (url, year); a report with no year is kept
        under year 0. Idempotent: unchanged parsed content rewrites nothing (only the
        parser version / body link are refreshed if they differ). Changed content
        keeps the previous version in `report_versions` and bumps `version`."""
        if (report.spam or {}).get("is_mirror"):     # a mirror copy is never a report of its own
            return self.store_mirror_sighting(report, body_sha256)
        url = report.url or report.source
        year = report.year or 0
        row = report_row(report, body_sha256)
        cells = [(c.table, *split_key(c.table, c.key), c.value, c.raw) for c in report.cells]
        checks = [(c.name, int(c.ok), c.detail) for c in report.checks]
        row["content_hash"] = content_hash(row, cells, checks)
        from gxcrawl.history import archive_version
        from gxcrawl.search import index_report, unindex_report
        # one transaction: row, cells, checks, index and mirror links are stored together or
        # not at all (a kill -9 in between must not leave a row without its cells)
        with transaction(self.db):
            old_row = _one_dict(self.db.execute("select * from reports where url = ? and year = ?", [url, year]))
            if old_row is not None:
                old_cells, old_checks = self._stored_parts(old_row["id"], url, year)
                if content_hash(old_row, old_cells, old_checks) == row["content_hash"]:
                    self._refresh_provenance(old_row, row)
                    return url, year
                if not old_cells and not old_checks and (cells or checks) \
                        and content_hash(old_row, cells, checks) == row["content_hash"]:
                    # this very row, stored without its cells and checks by a run killed
                    # mid-store before stores were atomic: complete it, it is no new version
                    # (and it was never indexed: the index was written last)
                    row.update(id=old_row["id"], version=old_row.get("version") or 1,
                               first_stored=old_row.get("first_stored") or row["parsed_at"])
                else:
                    archive_version(self.db, old_row, reason=_change_reason(old_row, row))
                    unindex_report(self.db, old_row)
                    row.update(id=old_row["id"], version=(old_row.get("version") or 1) + 1,
                               first_stored=old_row.get("first_stored") or row["parsed_at"])
            else:
                row.update(id=self._next_report_id(), version=1, first_stored=row["parsed_at"])
            self.db["reports"].upsert(row, pk=("url", "year"))
            self.db.execute("delete from cell_values where report_id = ?", [row["id"]])
            self.db.execute("delete from checks where url = ? and year = ?", [url, year])
            self.db.conn.executemany(
                "insert or replace into cell_values (report_id, tbl, row, col, value, raw) "
                "values (?, ?, ?, ?, ?, ?)", [(row["id"], *c) for c in cells])
            self.db["checks"].insert_all(
                ({"url": url, "year": year, "name": n, "ok": ok, "detail": d}
                 for n, ok, d in checks), pk=("url", "year", "name"), replace=True)
            index_report(self.db, row)
            self.link_mirror_sightings(url, year)
        return url, year

    # -- mirror sightings (gxcrawl.mirrors) ---------------------------------
    def store_mirror_sighting(self, report: Report, body_sha256: Optional[str] = None,
                              reason: str = "flagged") -> tuple[str, int]:
        """Store a copy found on a spam mirror in `mirror_sightings` (never in `reports`),
        linked to the official report it copies when that one is archived."""
        from gxcrawl.mirrors import store_sighting
        return store_sighting(self.db, report, body_sha256, reason=reason)

    def link_mirror_sightings(self, url: str, year: int) -> int:
        """Link waiting mirror sightings to the official report (url, year)."""
        from gxcrawl.mirrors import link_report
        return link_report(self.db, url, year)

    def delete_report(self, url: str, year: int, reason: str = "deleted") -> bool:
        """Remove the current row of (url, year), keeping it in `report_versions`."""
        old_row = _one_dict(self.db.execute(
            "select * from reports where url = ? and year = ?", [url, year]))
        if old_row is None:
            return False
        from gxcrawl.history import archive_version
        from gxcrawl.search import unindex_report
        with transaction(self.db):
            archive_version(self.db, old_row, reason=reason)
            unindex_report(self.db, old_row)
            self.db.execute("delete from cell_values where report_id = ?", [old_row["id"]])
            self.db.execute("delete from checks where url = ? and year = ?", [url, year])
            self.db.execute("delete from reports where url = ? and year = ?", [url, year])
        return True

    def _stored_parts(self, report_id: int, url: str, year: int) -> tuple[list, list]:
        cells = self.db.execute(
            "select tbl, row, col, value, raw from cell_values where report_id = ?",
            [report_id]).fetchall()
        checks = self.db.execute("select name, ok, detail from checks where url = ? and year = ?",
                                 [url, year]).fetchall()
        return [tuple(c) for c in cells], [tuple(c) for c in checks]

    def _refresh_provenance(self, old_row: dict, row: dict) -> None:
        fresh = {k: row[k] for k in ("parser_version", "body_sha256", "content_hash", "issuer")
                 if old_row.get(k) != row[k] and (k != "body_sha256" or row[k])}
        if fresh:
            fresh["parsed_at"] = row["parsed_at"]
            self.db["reports"].update((old_row["url"], old_row["year"]), fresh)

    def _next_report_id(self) -> int:
        return self.db.execute("select coalesce(max(id), 0) + 1 from reports").fetchone()[0]

    def reports(self, where: Optional[str] = None, params: Any = None) -> Iterator[dict]:
        return self.db["reports"].rows_where(where, params or [])

    def count(self, table: str) -> int:
        return self.db[table].count

    def close(self) -> None:
        self.db.conn.close()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=lambda o: o.__dict__)


# -- schema 2 helpers ---------------------------------------------------------

#: the parsed columns of `reports` whose change makes a new version
CONTENT_COLUMNS = ("is_report", "title", "agency", "region_name", "region_code", "published",
                   "format", "table_formats", "text", "sections", "tables", "spam",
                   "is_mirror", "warnings", "checks_failed", "doc_kind", "needs_ocr")

CELL_VALUES_DDL = """
create table if not exists cell_values (
    report_id integer not null references reports(id),
    tbl text not null,          -- t2 | t3 | t4 | tpre
    row text not null,          -- row key, e.g. denied.secret (tpre: the whole key)
    col text not null,          -- column key, e.g. natural ('' for tpre)
    value real,                 -- null: blank cell or a dash / 无
    raw text,                   -- the text as printed
    primary key (report_id, tbl, row, col)
) without rowid
"""


def report_row(report: Report, body_sha256: Optional[str] = None) -> dict:
    """The `reports` row for a parsed report (without id / version bookkeeping).

    >>> report_row(Report(source="a.html", url="http://x.gov.cn/a", year=2020))["issuer"]
    'x.gov.cn'
    """
    region = report.region or {}
    failed = [c.name for c in report.failed_checks]
    return {
        "url": report.url or report.source, "year": report.year or 0,
        "is_report": int(report.is_report), "title": report.title, "agency": report.agency,
        "region_name": region.get("name"), "region_code": region.get("code"),
        "published": report.published, "format": report.format,
        "table_formats": _json(report.table_formats), "text": report.text,
        "sections": _json([s.__dict__ for s in report.sections]),
        "tables": _json(report.tables), "spam": _json(report.spam),
        "is_mirror": int(bool(report.spam.get("is_mirror"))),
        "warnings": _json(report.warnings), "checks_failed": len(failed),
        "failed_checks": _json(failed),
        "doc_kind": report.doc_kind, "needs_ocr": int(report.needs_ocr),
        "body_sha256": body_sha256, "parser_version": report.parser_version,
        "parsed_at": utc_now(), "source": report.source,
        "issuer": issuer_key(report.agency, region.get("code"), report.url or report.source),
    }


def split_key(tbl: str, key: str) -> tuple[str, str]:
    """A canonical cell key as (row, column); pre-2019 keys are whole rows.

    >>> split_key("t3", "denied.secret.natural")
    ('denied.secret', 'natural')
    >>> split_key("tpre", "requests.received")
    ('requests.received', '')
    """
    if tbl == "tpre" or "." not in key:
        return key, ""
    row, col = key.rsplit(".", 1)
    return row, col


def issuer_key(agency: Optional[str], region_code: Optional[str], url: Optional[str]) -> str:
    """Which government body published a report: region code + agency name, else the host.
    Reports of different years with the same key are compared by gxcrawl.crosscheck.

    >>> issuer_key("安顺市 政府办公室", "520400", "http://www.anshun.gov.cn/a.html")
    '520400|安顺市政府办公室'
    >>> issuer_key(None, None, "http://www.anshun.gov.cn/a.html")
    'www.anshun.gov.cn'
    """
    from urllib.parse import urlsplit
    name = "".join((agency or "").split()).strip("：:，,。")
    if name:
        return f"{region_code or '-'}|{name}"
    host = urlsplit(url or "").hostname
    return host or (url or "")


def content_hash(row: dict, cells: list, checks: list) -> str:
    """sha256 over the parsed content of a report row plus its cells and checks
    (not over provenance such as parser version, body link or timestamps).

    >>> content_hash({"title": "x"}, [], []) == content_hash({"title": "x", "parsed_at": "now"}, [], [])
    True
    """
    cell_map = {tuple(c[:3]): [_num(c[3]), c[4]] for c in cells}      # last wins, as stored
    check_map = {c[0]: [int(c[1]), c[2]] for c in checks}
    payload = [[row.get(k) for k in CONTENT_COLUMNS],
               sorted([list(k) + v for k, v in cell_map.items()], key=lambda c: c[:3]),
               sorted([[k] + v for k, v in check_map.items()], key=lambda c: c[0])]
    return sha256_hex(json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"))


def _num(value: Any) -> Any:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def meta_get(db, key: str) -> Optional[str]:
    """A value of the `meta` table (None if absent)."""
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def meta_set(db, key: str, value: str) -> None:
    db.execute("insert or replace into meta (key, value) values (?, ?)", [key, value])


def _one_dict(cursor) -> Optional[dict]:
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row))


def _change_reason(old_row: dict, row: dict) -> str:
    if row.get("body_sha256") and old_row.get("body_sha256") != row.get("body_sha256"):
        return "content"          # new bytes fetched
    if old_row.get("parser_version") != row.get("parser_version"):
        return "parser"
    return "reparse"


def _create_regions(db) -> None:
    """The `regions` reference table from gxcrawl/data/regions.tsv (province,
    prefecture and county codes resolved, so a province's counties are one filter)."""
    from gxcrawl.regions import load_registry
    registry = load_registry()
    rows = []
    for r in registry.regions:
        chain, seen = [r], {r.code}
        while chain[-1].parent_code and chain[-1].parent_code not in seen \
                and chain[-1].parent_code in registry.by_code:     # guard: a region is its own parent
            seen.add(chain[-1].parent_code)
            chain.append(registry.by_code[chain[-1].parent_code])
        by_level = {x.level: x for x in chain}
        rows.append({"code": r.code, "name": r.name, "short": r.short, "level": r.level,
                     "parent_code": r.parent_code or None,
                     "province_code": by_level.get("province", r).code,
                     "province": by_level.get("province", r).name,
                     "prefecture_code": by_level["prefecture"].code if "prefecture" in by_level else None,
                     "prefecture": by_level["prefecture"].name if "prefecture" in by_level else None})
    db["regions"].create({"code": str, "name": str, "short": str, "level": str,
                          "parent_code": str, "province_code": str, "province": str,
                          "prefecture_code": str, "prefecture": str}, pk="code")
    db["regions"].insert_all(rows, ignore=True)     # a few codes repeat in the source (810000…)
    for col in ("name", "province_code", "prefecture_code", "parent_code"):
        db["regions"].create_index([col])


def _create_portals(db) -> None:
    """The `portals` table (known portal roots, data/portals.tsv), keyed by region code."""
    db["portals"].create({"code": str, "name": str, "root": str, "extra_hosts": str,
                          "source": str}, pk="code", foreign_keys=[("code", "regions", "code")])
    try:
        from gxcrawl.portals import known_roots
        roots = known_roots()
    except Exception:          # portals.tsv not shipped (yet)
        return
    known = {r[0] for r in db.execute("select code from regions")}
    db["portals"].insert_all({"code": k.code, "name": k.name, "root": k.root,
                              "extra_hosts": ",".join(k.extra_hosts), "source": k.source}
                             for k in roots.values() if k.code in known)


def _migrate_reports(db) -> None:
    """Schema 1 → 2 for `reports`: add the new columns, number the rows."""
    cols = db["reports"].columns_dict
    for name, kind in (("id", int), ("issuer", str), ("failed_checks", str),
                       ("content_hash", str), ("version", int), ("first_stored", str),
                       ("canonical", int)):
        if name not in cols:
            db["reports"].add_column(name, kind)
    if any(name not in cols for name in ("id", "issuer")):
        db.execute("update reports set id = rowid where id is null")
        db.execute("update reports set version = 1, first_stored = parsed_at where version is null")
        for url, year, agency, code in db.execute(
                "select url, year, agency, region_code from reports").fetchall():
            db.execute("update reports set issuer = ? where url = ? and year = ?",
                       [issuer_key(agency, code, url), url, year])
        db.conn.commit()
    index_names = {i.name for i in db["reports"].indexes}
    if "idx_reports_id" not in index_names:
        db.execute("create unique index if not exists idx_reports_id on reports(id)")
        for col in ("year", "region_code", "issuer", "body_sha256"):
            db.execute(f"create index if not exists idx_reports_{col} on reports({col})")


def _migrate_cells(db) -> None:
    """Schema 1 → 2: move `cells` (url/year per cell) into `cell_values`."""
    rows = db.execute("select r.id, c.tbl, c.key, c.value, c.raw from cells c "
                      "join reports r on r.url = c.url and r.year = c.year").fetchall()
    with db.conn:
        db.conn.executemany("insert or replace into cell_values values (?, ?, ?, ?, ?, ?)",
                       [(i, t, *split_key(t, k), v, raw) for i, t, k, v, raw in rows])
        db.execute("drop table cells")
