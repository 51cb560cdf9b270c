"""Versions of a report: when the parsed content of (url, year) changes — new bytes
from a later crawl, or a better parser — the previous row is kept in
`report_versions` (with its cells and checks as JSON) before the new one replaces it.

>>> from gxcrawl.archive.store import Archive
>>> from gxcrawl.parse.model import Report
>>> a = Archive(":memory:")
>>> _ = a.store_report(Report(source="s", url="http://x.gov.cn/r", year=2020, title="v1"))
>>> _ = a.store_report(Report(source="s", url="http://x.gov.cn/r", year=2020, title="v1"))
>>> _ = a.store_report(Report(source="s", url="http://x.gov.cn/r", year=2020, title="v2"))
>>> [(v["version"], v["title"], v["current"]) for v in report_history(a.db, "http://x.gov.cn/r", 2020)]
[(1, 'v1', 0), (2, 'v2', 1)]
"""
from __future__ import annotations

import json
from typing import Any

from gxcrawl.archive.db import utc_now

#: columns copied from `reports` into `report_versions`
VERSION_COLUMNS = ("url", "year", "version", "id", "content_hash", "body_sha256",
                   "parser_version", "parsed_at", "first_stored", "is_report", "title",
                   "agency", "agency_evidence", "region_name", "region_code", "published", "format",
                   "table_formats", "text", "sections", "tables", "spam", "is_mirror",
                   "warnings", "checks_failed", "failed_checks", "doc_kind", "needs_ocr",
                   "source", "issuer")


def create_versions_table(db) -> None:
    """Create `report_versions`: superseded versions of reports, newest last."""
    db["report_versions"].create({
        "url": str, "year": int, "version": int, "report_id": int, "content_hash": str,
        "body_sha256": str, "parser_version": str, "parsed_at": str, "first_stored": str,
        "superseded_at": str,
        "reason": str, "is_report": int, "title": str, "agency": str, "agency_evidence": str, "region_name": str,
        "region_code": str, "published": str, "format": str, "table_formats": str,
        "text": str, "sections": str, "tables": str, "spam": str, "is_mirror": int,
        "warnings": str, "checks_failed": int, "failed_checks": str, "doc_kind": str,
        "needs_ocr": int, "source": str, "issuer": str, "cells": str, "checks": str,
    }, pk=("url", "year", "version"))
    db["report_versions"].create_index(["report_id"])


def archive_version(db, old_row: dict[str, Any], reason: str) -> None:
    """Copy the current row `old_row` of `reports` (and its cells and checks) into
    `report_versions`. `reason`: content (new bytes), parser (new parser version),
    reparse, moved (year changed) or deleted."""
    rid = old_row.get("id")
    cells = db.execute("select tbl, row, col, value, raw from cell_values where report_id = ?",
                       [rid]).fetchall()
    checks = db.execute("select name, ok, detail from checks where url = ? and year = ?",
                        [old_row["url"], old_row["year"]]).fetchall()
    record = {k: old_row.get(k) for k in VERSION_COLUMNS if k != "id"}
    record.update(report_id=rid, version=old_row.get("version") or 1, reason=reason,
                  superseded_at=utc_now(),
                  cells=json.dumps([list(c) for c in cells], ensure_ascii=False),
                  checks=json.dumps([list(c) for c in checks], ensure_ascii=False))
    db["report_versions"].insert(record, pk=("url", "year", "version"), replace=True)


def report_history(db, url: str, year: int) -> list[dict]:
    """Every version of (url, year), oldest first; `current` is 1 for the live row."""
    old = [dict(r, current=0) for r in db["report_versions"].rows_where(
        "url = ? and year = ?", [url, year], order_by="version")]
    live = list(db["reports"].rows_where("url = ? and year = ?", [url, year]))
    return old + [dict(r, current=1) for r in live]


def changed_reports(db) -> list[tuple[str, int, int]]:
    """(url, year, number of stored versions) of every report that has changed.

    >>> from gxcrawl.archive.store import Archive
    >>> changed_reports(Archive(":memory:").db)
    []
    """
    return [tuple(r) for r in db.execute(
        "select url, year, count(*) + 1 from report_versions group by url, year "
        "order by url, year").fetchall()]
