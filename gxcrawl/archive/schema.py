"""The archive's tables, views and indexes: created on open, migrated from older schemas.

Other layers add tables of their own with `register_tables` (the crawl registers its
`entries` bookkeeping); the archive itself knows nothing of them.
"""
from __future__ import annotations

from typing import Callable, Optional

from gxcrawl.archive.crosscheck import DDL as CROSS_CHECKS_DDL
from gxcrawl.archive.db import meta_get, meta_set
from gxcrawl.archive.mirrors import ensure_mirror_schema
from gxcrawl.archive.panel import ensure_panel_table
from gxcrawl.archive.portal_checks import MERGE_SQL as PORTALS_MERGE_SQL, ensure_portals
from gxcrawl.archive.rows import issuer_key, split_key
from gxcrawl.archive.search import ensure_search
from gxcrawl.archive.signals import ensure_signal_tables
from gxcrawl.archive.signals.withdrawn import WITHDRAWALS_MERGE_SQL, ensure_withdrawals
from gxcrawl.archive.versions import create_versions_table
from gxcrawl.archive.views import ensure_views
from gxcrawl.regions import load_registry

SCHEMA_VERSION = 3

#: one row per run: what the crawl asked for, what it did, how it ended
CRAWL_COLUMNS = {"portals": str, "args": str, "worker": str, "jobdir": str, "resumed": int, "status": str,
                 "requests": int, "bytes": int, "not_modified": int, "reports_new": int,
                 "reports_changed": int, "reports_unchanged": int, "entries_skipped": int,
                 "blocked": int, "errors": int, "demo": int}

#: name → (function creating or migrating the table, SQL merging one row of a part into it)
REGISTERED: dict[str, tuple[Callable, Optional[str]]] = {}


def register_tables(name: str, ensure: Callable, merge_sql: Optional[str] = None) -> None:
    """Add a table owned by another layer: `ensure(db)` runs whenever an archive is opened,
    `merge_sql` (named parameters: the row's columns) merges a worker's row into a merged
    archive (`gxcrawl merge`; default: insert unless the primary key is there)."""
    REGISTERED[name] = (ensure, merge_sql)


# the crawl writes withdrawals (gxcrawl.crawl.withdrawals); merged like the crawl's own tables
register_tables("withdrawals", ensure_withdrawals, WITHDRAWALS_MERGE_SQL)
# the spider's checks of each portal's identity: the newest check of a portal wins
register_tables("portals", ensure_portals, PORTALS_MERGE_SQL)


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


def ensure_schema(db) -> None:
    """Create what is missing and migrate older schemas (idempotent: runs on every open)."""
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
            "agency": str, "agency_evidence": str, "region_name": str, "region_code": str,
            "published": str, "format": str, "table_formats": str,
            "text": str, "sections": str, "tables": str, "spam": str,
            "is_mirror": int, "warnings": str, "checks_failed": int,
            "doc_kind": str, "needs_ocr": int, "body_sha256": str,
            "parser_version": str, "parsed_at": str, "source": str,
            "id": int, "issuer": str, "failed_checks": str, "content_hash": str,
            "version": int, "first_stored": str, "canonical": int, "figures": str,
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
        create_versions_table(db)
    if "crawls" not in db.table_names():
        db["crawls"].create({"crawl_id": str, "started": str, "finished": str,
                             "notes": str}, pk="crawl_id")
    crawl_columns = db["crawls"].columns_dict
    for name, kind in CRAWL_COLUMNS.items():
        if name not in crawl_columns:
            db["crawls"].add_column(name, kind)
    for ensure, _merge_sql in REGISTERED.values():
        ensure(db)
    if "meta" not in db.table_names():
        db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")
    elif meta_get(db, "schema_version") != str(SCHEMA_VERSION):
        meta_set(db, "schema_version", str(SCHEMA_VERSION))
    db.execute(CROSS_CHECKS_DDL)
    ensure_search(db)
    ensure_views(db)
    ensure_mirror_schema(db)      # mirror_sightings, cloaking_checks, spam_findings
    ensure_signal_tables(db)      # copied/late/missing/withdrawn reports, mirror hosts (gxcrawl.archive.signals)
    ensure_panel_table(db)        # filled by gxcrawl.archive.derived.refresh (gxcrawl index)


def _create_regions(db) -> None:
    """The `regions` reference table from gxcrawl/data/regions.tsv (province,
    prefecture and county codes resolved, so a province's counties are one filter)."""
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


def _migrate_reports(db) -> None:
    """Schema 1 → 2 for `reports`: add the new columns, number the rows; 2 → 3: the
    `figures` and `agency_evidence` columns (null until the report is parsed again:
    `gxcrawl reparse`)."""
    cols = db["reports"].columns_dict
    for name, kind in (("id", int), ("issuer", str), ("failed_checks", str),
                       ("content_hash", str), ("version", int), ("first_stored", str),
                       ("canonical", int), ("figures", str), ("agency_evidence", str)):
        if name not in cols:
            db["reports"].add_column(name, kind)
    if "report_versions" in db.table_names() and "agency_evidence" not in db["report_versions"].columns_dict:
        db["report_versions"].add_column("agency_evidence", str)
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
