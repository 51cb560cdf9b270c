"""bytes + url → Report: the one parsing pipeline every entry point uses.

fetch → raw bytes → document (HTML/PDF/DOCX/DOC/text to blocks) → clean
(boilerplate) → spam (findings, restored text) → metadata → tables → checks →
figures (the tables', then the prose's where no table gives one).
`gxcrawl parse`, `gxcrawl reparse` and the Scrapy pipelines all call
`parse_report`; none of them parses anything on its own.

Nothing raises out of `parse_report`: unreadable input gives a Report with
is_report False and a warning saying why; a stage that fails on odd input is
recorded as a warning and the other stages still run.
"""
from __future__ import annotations

import logging
from typing import Optional

from gxcrawl.parse.checks import run_checks
from gxcrawl.parse.clean import clean_lines
from gxcrawl.parse.document import DocumentError, load_document
from gxcrawl.parse.figures import harmonize
from gxcrawl.parse.model import Document, Paragraph, Report
from gxcrawl.parse.prose import prose_checks, prose_figures, with_prose
from gxcrawl.parse.sections import split_sections
from gxcrawl.parse.tables import ParsedTables, parse_tables

log = logging.getLogger(__name__)


class ParseError(Exception):
    """Raised by `parse_file` style callers that want an exception for unreadable input."""


def document_lines(doc: Document) -> list[str]:
    lines: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            lines.extend(block.text.split("\n"))
        else:
            lines.extend(" | ".join(c or "" for c in row) for row in block.rows)
    return clean_lines(lines)


def parse_report(body: bytes, url: Optional[str] = None, source: Optional[str] = None,
                 headers: Optional[dict] = None, spam: bool = True, official_hosts=None) -> Report:
    """Parse fetched bytes into a Report.  `spam=False` skips the spam stage (report.spam
    keeps its empty default): bench/spam.py measures what that stage adds to a parse.
    `official_hosts`: hosts known to be the government's own whatever their domain (the
    crawl's seeded and registry hosts): a page there is a mirror copy only on spam evidence."""
    report = Report(source=source or url or "<bytes>", url=url)
    try:
        doc = load_document(body, headers=headers, url=url)
    except DocumentError as exc:
        report.warnings.append(f"unreadable: {exc}")
        return report
    except Exception as exc:  # a loader bug on hostile input must not stop a crawl
        log.exception("document loader failed on %s", report.source)
        report.warnings.append(f"unreadable: {type(exc).__name__}: {exc}")
        return report
    return parse_document(doc, report, spam=spam, official_hosts=official_hosts)


def parse_document(doc: Document, report: Report, spam: bool = True, official_hosts=None) -> Report:
    report.doc_kind = doc.kind
    report.needs_ocr = doc.needs_ocr
    report.warnings.extend(doc.warnings)
    text = "\n".join(document_lines(doc))

    found = _stage(report, "spam", lambda: _analyze_spam(text, report.url, doc, official_hosts)) if spam else None
    if found is not None:
        report.spam = found.findings
        restored = _stage(report, "spam restore", lambda: found.restore(text))
        if restored is not None:
            text = restored
    report.text = text

    parsed = _stage(report, "tables", lambda: parse_tables(doc.blocks)) or ParsedTables()
    report.tables = parsed.tables
    report.cells = parsed.cells
    report.table_formats = parsed.formats
    report.format = parsed.format
    report.warnings.extend(parsed.warnings)

    meta = _stage(report, "metadata", lambda: _extract_metadata(text, doc, report.url))
    if meta is not None:
        report.title = meta.title
        report.year = meta.year
        report.agency = meta.agency
        report.agency_evidence = meta.agency_evidence
        report.region = meta.region.as_dict() if meta.region is not None else None
        report.published = meta.published
        report.is_report = bool(meta.is_report)
        report.warnings.extend(getattr(meta, "warnings", []) or [])

    report.sections = _stage(report, "sections", lambda: split_sections(text)) or []
    report.checks = _stage(report, "checks", lambda: run_checks(report.tables)) or []
    figures = _stage(report, "figures", lambda: harmonize(report.tables)) or {}
    prose = (_stage(report, "prose figures", lambda: prose_figures(text)) or {}) if report.is_report else {}
    report.checks += prose_checks(figures, prose)
    report.figures = with_prose(figures, prose)
    if doc.needs_ocr and not text.strip():
        report.warnings.append("needs_ocr: no text layer")
    return report


def _stage(report: Report, name: str, func):
    try:
        return func()
    except Exception as exc:
        log.exception("stage %s failed on %s", name, report.source)
        report.warnings.append(f"{name} failed: {type(exc).__name__}: {exc}")
        return None


def _analyze_spam(text: str, url: Optional[str], doc: Document, official_hosts=None):
    try:
        from gxcrawl.parse.spam import analyze_spam
    except ImportError:
        return None
    html = doc.tree if doc.tree is not None else doc.raw_html
    return analyze_spam(text, url, html=html, meta=doc.meta, official_hosts=official_hosts)


def _extract_metadata(text: str, doc: Document, url: Optional[str]):
    from gxcrawl.parse.metadata import extract_metadata
    return extract_metadata(text, title=doc.title, meta=doc.meta, url=url)
