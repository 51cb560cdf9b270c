"""`gxcrawl merge OUT.db PART.db …`: merge archives written by separate workers (a
distributed crawl writes one SQLite archive per worker) into one.

* bodies: by sha256 (each stored once);
* fetches: appended, except rows OUT already has (same url, time, crawl, status, body) —
  so parts that started as copies of OUT add only what is new;
* crawls: one row per crawl id; the workers of one distributed crawl share an id and
  their counters are summed (start = earliest, end = latest);
* entries (incremental state): the most recently checked wins;
* reports, cell values, checks: a report absent from OUT is added (new id); with the
  same content hash it is left alone; with different content the one parsed later
  wins and the other is kept in `report_versions` (reason ``merge``); old versions of
  the parts are copied too. Search indexes follow.
* mirror sightings (gxcrawl.archive.mirrors): one row per (mirror URL, year), the most recently
  seen wins; their links to official reports are made again over the merged archive
  (`relink_all`: the official report may be in another part, and report ids differ);
* cloaking checks (gxcrawl.crawl.cloaking): one row per (URL, time checked).

Merging is idempotent: merging the same part twice changes nothing.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Iterable, Optional

from gxcrawl.archive.db import one_dict, transaction
from gxcrawl.archive.mirrors import relink_all
from gxcrawl.archive.schema import REGISTERED
from gxcrawl.archive.search import index_report, unindex_report
from gxcrawl.archive.store import Archive
from gxcrawl.archive.versions import VERSION_COLUMNS, archive_version

SUMMED = ("requests", "bytes", "not_modified", "reports_new", "reports_changed", "reports_unchanged",
          "entries_skipped", "blocked", "errors")


def copy_archive(src: str | Path, dst: str | Path) -> None:
    """A consistent copy of an archive (SQLite online backup, WAL included)."""
    source = sqlite3.connect(str(src))
    target = sqlite3.connect(str(dst))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _rows(conn, sql: str, params: Iterable = ()) -> list[dict]:
    cur = conn.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def merge_archives(out: str | Path, parts: Iterable[str | Path]) -> dict:
    archive = Archive(out)
    totals = {"parts": 0, "bodies": 0, "fetches": 0, "reports_added": 0, "reports_replaced": 0,
              "reports_same": 0}
    try:
        for part in parts:
            if Path(part).resolve() == Path(out).resolve():
                continue
            Archive(part).close()                      # bring an older part's schema up to date
            stats = merge_one(archive, Path(part))
            for k, v in stats.items():
                totals[k] = totals.get(k, 0) + v
            totals["parts"] += 1
        relink_all(archive.db)           # links are derived: compare every sighting with the merged reports
    finally:
        archive.close()
    return totals


def merge_one(archive: Archive, part: Path) -> dict:
    db = archive.db
    src = sqlite3.connect(str(part))
    stats = {"bodies": 0, "fetches": 0, "reports_added": 0, "reports_replaced": 0, "reports_same": 0,
             "sightings": 0, "cloaking_checks": 0}
    try:
        with transaction(db):            # a part is merged whole or not at all
            # bodies
            have = {r[0] for r in db.execute("select sha256 from bodies")}
            for row in _rows(src, "select * from bodies"):
                if row["sha256"] not in have:
                    db["bodies"].insert(row, ignore=True)
                    stats["bodies"] += 1
            # fetches
            cols = [c for c in db["fetches"].columns_dict if c != "id"]
            for row in _rows(src, f"select {', '.join(cols)} from fetches order by id"):
                dup = db.execute("select 1 from fetches where url = ? and fetched_at is ? and crawl_id is ? and "
                                 "status is ? and body_sha256 is ? and error is ? limit 1",
                                 [row["url"], row["fetched_at"], row["crawl_id"], row["status"],
                                  row["body_sha256"], row["error"]]).fetchone()
                if not dup:
                    db["fetches"].insert(row)
                    stats["fetches"] += 1
            # crawls
            for row in _rows(src, "select * from crawls"):
                old = one_dict(db.execute("select * from crawls where crawl_id = ?", [row["crawl_id"]]))
                if old is None:
                    db["crawls"].insert(row, alter=True)
                    continue
                if row.get("worker") in (old.get("worker") or "").split(","):
                    continue           # this worker's run is already in (merged before, or copied into a part)
                merged = {k: (old.get(k) or 0) + (row.get(k) or 0) for k in SUMMED if k in row}
                merged["started"] = min(filter(None, [old.get("started"), row.get("started")]), default=None)
                merged["finished"] = max(filter(None, [old.get("finished"), row.get("finished")]), default=None)
                merged["worker"] = ",".join(sorted(set(filter(None, (old.get("worker") or "").split(",")
                                                              + [row.get("worker")]))))
                db["crawls"].update(row["crawl_id"], merged)
            # tables other layers registered (the crawl's `entries`), each by its own rule
            src_tables = {r[0] for r in src.execute("select name from sqlite_master where type = 'table'")}
            for name, (_ensure, merge_sql) in REGISTERED.items():
                if name in src_tables:
                    for row in _rows(src, f"select * from {name}"):
                        db.execute(merge_sql or _insert_or_ignore(name, row), row)
            # old versions
            for row in _rows(src, "select * from report_versions"):
                db["report_versions"].insert(row, pk=("url", "year", "version"), ignore=True)
            # reports
            for row in _rows(src, "select * from reports"):
                merge_report(db, src, row, stats)
            merge_mirror_tables(db, src, stats)
    finally:
        src.close()
    return stats


def _insert_or_ignore(table: str, row: dict) -> str:
    return (f"insert or ignore into {table} ({', '.join(row)}) "
            f"values ({', '.join(':' + c for c in row)})")


def merge_report(db, src, row: dict, stats: dict) -> None:
    url, year = row["url"], row["year"]
    old = one_dict(db.execute("select * from reports where url = ? and year = ?", [url, year]))
    if old is not None and old.get("content_hash") == row.get("content_hash"):
        stats["reports_same"] += 1
        return
    if old is not None and (old.get("parsed_at") or "") >= (row.get("parsed_at") or ""):
        # OUT's copy is newer: keep the part's as an old version unless it is one already
        db["report_versions"].insert(_as_version(src, row, old.get("version") or 1), pk=("url", "year", "version"),
                                     ignore=True)
        stats["reports_same"] += 1
        return
    cells = src.execute("select tbl, row, col, value, raw from cell_values where report_id = ?",
                        [row["id"]]).fetchall()
    checks = src.execute("select name, ok, detail from checks where url = ? and year = ?", [url, year]).fetchall()
    new = dict(row)
    if old is not None:
        archive_version(db, old, reason="merge")
        unindex_report(db, old)
        db.execute("delete from cell_values where report_id = ?", [old["id"]])
        db.execute("delete from checks where url = ? and year = ?", [url, year])
        new.update(id=old["id"], version=max((old.get("version") or 1) + 1, row.get("version") or 1))
        stats["reports_replaced"] += 1
    else:
        new["id"] = db.execute("select coalesce(max(id), 0) + 1 from reports").fetchone()[0]
        stats["reports_added"] += 1
    db["reports"].upsert(new, pk=("url", "year"), alter=True)
    db.conn.executemany("insert or replace into cell_values (report_id, tbl, row, col, value, raw) "
                        "values (?, ?, ?, ?, ?, ?)", [(new["id"], *c) for c in cells])
    db.conn.executemany("insert or replace into checks (url, year, name, ok, detail) values (?, ?, ?, ?, ?)",
                        [(url, year, *c) for c in checks])
    index_report(db, new)


#: columns of `mirror_sightings` that point into the archive's own `reports` (re-derived after a merge)
LINK_COLUMNS = ("official_report_id", "official_url", "official_year", "match_score", "match_evidence")


def merge_mirror_tables(db, src, stats: dict) -> None:
    """Copy mirror sightings and cloaking checks of a part (idempotent). A sighting OUT
    already has is replaced only by one seen later; links are left to `relink_all`."""
    out_cols = set(db["mirror_sightings"].columns_dict)
    for row in _rows(src, "select * from mirror_sightings"):
        row = {k: v for k, v in row.items() if k in out_cols and k not in LINK_COLUMNS}
        cols = list(row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in cols if k not in ("mirror_url", "year", "first_seen"))
        cur = db.execute(
            f"insert into mirror_sightings ({', '.join(cols)}) values ({', '.join('?' for _ in cols)}) "
            f"on conflict (mirror_url, year) do update set {updates} "
            f"where coalesce(excluded.seen_at, '') > coalesce(mirror_sightings.seen_at, '')",
            [row[k] for k in cols])
        stats["sightings"] += cur.rowcount
        db.execute("update mirror_sightings set first_seen = ? where mirror_url = ? and year = ? "
                   "and (first_seen is null or first_seen > ?)",
                   [row.get("first_seen"), row["mirror_url"], row["year"], row.get("first_seen")])
    out_cols = set(db["cloaking_checks"].columns_dict)
    for row in _rows(src, "select * from cloaking_checks"):
        row = {k: v for k, v in row.items() if k in out_cols}
        cur = db.execute(f"insert or ignore into cloaking_checks ({', '.join(row)}) "
                         f"values ({', '.join('?' for _ in row)})", list(row.values()))
        stats["cloaking_checks"] += cur.rowcount


def _as_version(src, row: dict, below: int) -> dict:
    cells = src.execute("select tbl, row, col, value, raw from cell_values where report_id = ?", [row["id"]]).fetchall()
    checks = src.execute("select name, ok, detail from checks where url = ? and year = ?",
                         [row["url"], row["year"]]).fetchall()
    record = {k: row.get(k) for k in VERSION_COLUMNS if k != "id"}
    record.update(report_id=row.get("id"), version=max(0, below - 1) or 0, reason="merge",
                  superseded_at=row.get("parsed_at"),
                  cells=json.dumps([list(c) for c in cells], ensure_ascii=False),
                  checks=json.dumps([list(c) for c in checks], ensure_ascii=False))
    return record


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="gxcrawl merge", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="archive to merge into (created if missing)")
    ap.add_argument("parts", nargs="+", help="worker archives")
    args = ap.parse_args(argv)
    missing = [p for p in args.parts if not Path(p).exists()]
    if missing:
        print(f"gxcrawl merge: no such archive: {', '.join(missing)}", file=sys.stderr)
        return 2
    print(json.dumps(merge_archives(args.out, args.parts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
