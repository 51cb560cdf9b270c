"""The SQLite archive: raw bodies exactly as fetched, and the reports parsed from them.

Built on sqlite-utils. Bodies are stored once per sha256 (zlib-compressed, the
exact bytes recoverable); reports are keyed by (url, year) and carry the parser
version that produced them, so the parser can improve and re-run over the stored
bodies without fetching anything again.

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
from pathlib import Path
from typing import Any, Iterator, Optional

import sqlite_utils

from .model import Report

DEFAULT_PATH = Path("archive") / "gxcrawl.db"
SCHEMA_VERSION = 1


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


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
        if "reports" not in db.table_names():
            db["reports"].create({
                "url": str, "year": int, "is_report": int, "title": str,
                "agency": str, "region_name": str, "region_code": str,
                "published": str, "format": str, "table_formats": str,
                "text": str, "sections": str, "tables": str, "spam": str,
                "is_mirror": int, "warnings": str, "checks_failed": int,
                "doc_kind": str, "needs_ocr": int, "body_sha256": str,
                "parser_version": str, "parsed_at": str, "source": str,
            }, pk=("url", "year"), foreign_keys=[("body_sha256", "bodies", "sha256")],
                not_null={"url", "year"})
        if "cells" not in db.table_names():
            db["cells"].create({
                "url": str, "year": int, "tbl": str, "key": str,
                "value": float, "raw": str,
            }, pk=("url", "year", "tbl", "key"))
        if "checks" not in db.table_names():
            db["checks"].create({
                "url": str, "year": int, "name": str, "ok": int, "detail": str,
            }, pk=("url", "year", "name"))
        if "meta" not in db.table_names():
            db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")

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
        return self.db["fetches"].insert({
            "url": url, "final_url": final_url or url, "status": status,
            "headers": json.dumps(headers or {}, ensure_ascii=False),
            "body_sha256": sha, "content_type": content_type, "fetched_at": utc_now(),
            "elapsed": elapsed, "crawl_id": crawl_id, "error": error,
            "blocked_reason": blocked_reason,
        }).last_pk

    # -- reports ----------------------------------------------------------
    def store_report(self, report: Report, body_sha256: Optional[str] = None) -> tuple[str, int]:
        """Insert or replace the parsed report keyed by (url, year). A report with
        no year is stored under year 0 so that it is still kept."""
        url = report.url or report.source
        year = report.year or 0
        row = {
            "url": url, "year": year, "is_report": int(report.is_report),
            "title": report.title, "agency": report.agency,
            "region_name": (report.region or {}).get("name"),
            "region_code": (report.region or {}).get("code"),
            "published": report.published, "format": report.format,
            "table_formats": _json(report.table_formats), "text": report.text,
            "sections": _json([s.__dict__ for s in report.sections]),
            "tables": _json(report.tables), "spam": _json(report.spam),
            "is_mirror": int(bool(report.spam.get("is_mirror"))),
            "warnings": _json(report.warnings),
            "checks_failed": len(report.failed_checks), "doc_kind": report.doc_kind,
            "needs_ocr": int(report.needs_ocr), "body_sha256": body_sha256,
            "parser_version": report.parser_version, "parsed_at": utc_now(),
            "source": report.source,
        }
        with self.db.conn:
            self.db["reports"].upsert(row, pk=("url", "year"))
            self.db.execute("delete from cells where url = ? and year = ?", [url, year])
            self.db.execute("delete from checks where url = ? and year = ?", [url, year])
            self.db["cells"].insert_all(
                ({"url": url, "year": year, "tbl": c.table, "key": c.key,
                  "value": c.value, "raw": c.raw} for c in report.cells),
                pk=("url", "year", "tbl", "key"), replace=True)
            self.db["checks"].insert_all(
                ({"url": url, "year": year, "name": c.name, "ok": int(c.ok),
                  "detail": c.detail} for c in report.checks),
                pk=("url", "year", "name"), replace=True)
        return url, year

    def reports(self, where: Optional[str] = None, params: Any = None) -> Iterator[dict]:
        return self.db["reports"].rows_where(where, params or [])

    def count(self, table: str) -> int:
        return self.db[table].count

    def close(self) -> None:
        self.db.conn.close()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=lambda o: o.__dict__)
