"""The crawl's own Archive: one per crawler, opened on first use from GXCRAWL_ARCHIVE.

Every crawl component (middlewares, extensions, pipelines) reaches the archive through
`crawl_archive(crawler)`, so one crawl writes one file through one connection.
"""
from __future__ import annotations

import time
from contextlib import contextmanager

from gxcrawl.archive import Archive


def crawl_archive(crawler):
    """The crawl's Archive (one per crawler), opened lazily from GXCRAWL_ARCHIVE."""
    archive = getattr(crawler, "_gxcrawl_archive", None)
    if archive is None:
        archive = Archive(crawler.settings.get("GXCRAWL_ARCHIVE") or "archive/gxcrawl.db")
        crawler._gxcrawl_archive = archive
        crawler._gxcrawl_crawl_id = crawler.settings.get("GXCRAWL_CRAWL_ID") or time.strftime("crawl-%Y%m%dT%H%M%S")
    return archive


@contextmanager
def sqlite_time(crawler):
    """Count the seconds spent in archive writes in the stat gxcrawl/sqlite_seconds
    (bench/scale.py: SQLite write time per report)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        crawler.stats.inc_value("gxcrawl/sqlite_seconds", time.perf_counter() - started, start=0.0)
