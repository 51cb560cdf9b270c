"""Store parsed reports in the archive; drop documents that are not reports (they stay in
`fetches` with their raw bytes). Items leave this pipeline without body/report objects so
that feeds (-O reports.jsonl) carry only the summary fields.

A copy found on a spam mirror is stored as a mirror sighting (gxcrawl.archive.mirrors), never as a
report: pages the spam detector flags, and any document from a host already known as a
mirror. A document on a non-government host that is not flagged itself (a mirror passes the
official PDFs through byte for byte) waits until the end of the crawl: by then its host is
known as a mirror (→ sighting) or not (→ report). Mirror items do not reach the feed."""
from __future__ import annotations

import logging

from scrapy.exceptions import DropItem

from gxcrawl.crawl.context import crawl_archive, sqlite_time

logger = logging.getLogger(__name__)


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.deferred: list[tuple[object, str]] = []     # (report, body sha256) on non-gov hosts

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        from gxcrawl.archive import mirrors
        report = item.get("report")
        body = item.get("body") or b""
        item.pop("body", None)
        item.pop("report", None)
        stats = self.crawler.stats
        if report is None or not report.is_report:
            stats.inc_value("gxcrawl/not_reports")
            raise DropItem(f"not a report: {item.get('url')} ({item.get('error') or item.get('title')})")
        archive = crawl_archive(self.crawler)
        with sqlite_time(self.crawler):
            sha = archive.store_body(body)
            reason = mirrors.mirror_reason(archive.db, report, self.official_hosts())
            if reason:
                self._sighting(archive, report, sha, reason)
            elif not mirrors.undecided(report, self.official_hosts()):
                self._report(archive, report, sha)
        if reason:
            raise DropItem(f"mirror copy ({reason}): {item.get('url')}")
        if mirrors.undecided(report, self.official_hosts()):
            self.deferred.append((report, sha))
            stats.inc_value("gxcrawl/mirror_undecided")
            raise DropItem(f"non-government host, decided at the end of the crawl: {item.get('url')}")
        return item

    def official_hosts(self) -> frozenset:
        """The crawl's portal hosts (seeded, registry): the governments' own, whatever their domain."""
        from gxcrawl.crawl.targets import crawl_official_hosts
        return crawl_official_hosts(self.crawler)

    def _report(self, archive, report, sha) -> None:
        archive.store_report(report, sha)
        stats = self.crawler.stats
        stats.inc_value("gxcrawl/reports")
        stats.inc_value(f"gxcrawl/reports/{report.year or 'unknown'}")

    def _sighting(self, archive, report, sha, reason) -> None:
        archive.store_mirror_sighting(report, sha, reason=reason)
        self.crawler.stats.inc_value("gxcrawl/mirror_sightings")

    def close_spider(self, spider=None):
        if not self.deferred:
            return
        from gxcrawl.archive import mirrors
        archive = crawl_archive(self.crawler)
        for report, sha in self.deferred:
            reason = mirrors.mirror_reason(archive.db, report, self.official_hosts())
            if reason:
                self._sighting(archive, report, sha, reason)
            else:
                logger.info("stored (not in the feed): report on a non-government host %s", report.url)
                self._report(archive, report, sha)
        self.deferred = []
