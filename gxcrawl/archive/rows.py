"""How a parsed Report becomes rows of the archive: the `reports` row, cell keys, the
issuer key that follows a body across years, and the content hash that decides whether a
re-parse made a new version.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from gxcrawl.archive.db import sha256_hex, utc_now
from gxcrawl.parse.model import Report


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=lambda o: o.__dict__)


#: the parsed columns of `reports` whose change makes a new version
CONTENT_COLUMNS = ("is_report", "title", "agency", "agency_evidence", "region_name", "region_code",
                   "published", "format", "table_formats", "text", "sections", "tables", "spam",
                   "is_mirror", "warnings", "checks_failed", "doc_kind", "needs_ocr", "figures")


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
        "agency_evidence": _json(report.agency_evidence),
        "region_name": region.get("name"), "region_code": region.get("code"),
        "published": report.published, "format": report.format,
        "table_formats": _json(report.table_formats), "text": report.text,
        "sections": _json([s.__dict__ for s in report.sections]),
        "tables": _json(report.tables), "figures": _json(report.figures), "spam": _json(report.spam),
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
    Reports of different years with the same key are compared by gxcrawl.archive.crosscheck.

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
