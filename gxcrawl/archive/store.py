"""The SQLite archive: raw bodies exactly as fetched, and the reports parsed from them.

Built on sqlite-utils. Bodies are stored once per sha256 (zlib-compressed, the
exact bytes recoverable); reports are keyed by (url, year) and carry the parser
version that produced them, so the parser can improve and re-run over the stored
bodies without fetching anything again.

The tables themselves are gxcrawl.archive.schema's; how a Report becomes rows is
gxcrawl.archive.rows'.

>>> archive = Archive(":memory:")
>>> sha = archive.store_body(b"<html>hello</html>")
>>> archive.body(sha)
b'<html>hello</html>'
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any, Iterator, Optional

import sqlite_utils

from gxcrawl.archive.db import one_dict, sha256_hex, transaction, utc_now
from gxcrawl.archive.mirrors import link_report, store_sighting
from gxcrawl.archive.rows import content_hash, report_row, split_key
from gxcrawl.archive.schema import ensure_schema
from gxcrawl.archive.search import index_report, unindex_report
from gxcrawl.archive.versions import archive_version
from gxcrawl.parse.model import Report

DEFAULT_PATH = Path("archive") / "gxcrawl.db"


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
        ensure_schema(self.db)

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
        # one transaction: row, cells, checks, index and mirror links are stored together or
        # not at all (a kill -9 in between must not leave a row without its cells)
        with transaction(self.db):
            old_row = one_dict(self.db.execute("select * from reports where url = ? and year = ?", [url, year]))
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

    # -- mirror sightings (gxcrawl.archive.mirrors) ---------------------------------
    def store_mirror_sighting(self, report: Report, body_sha256: Optional[str] = None,
                              reason: str = "flagged") -> tuple[str, int]:
        """Store a copy found on a spam mirror in `mirror_sightings` (never in `reports`),
        linked to the official report it copies when that one is archived."""
        return store_sighting(self.db, report, body_sha256, reason=reason)

    def link_mirror_sightings(self, url: str, year: int) -> int:
        """Link waiting mirror sightings to the official report (url, year)."""
        return link_report(self.db, url, year)

    def delete_report(self, url: str, year: int, reason: str = "deleted") -> bool:
        """Remove the current row of (url, year), keeping it in `report_versions`."""
        old_row = one_dict(self.db.execute(
            "select * from reports where url = ? and year = ?", [url, year]))
        if old_row is None:
            return False
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


def _change_reason(old_row: dict, row: dict) -> str:
    if row.get("body_sha256") and old_row.get("body_sha256") != row.get("body_sha256"):
        return "content"          # new bytes fetched
    if old_row.get("parser_version") != row.get("parser_version"):
        return "parser"
    return "reparse"
