"""Store parsed reports in the archive; drop documents that are not reports (they stay in
`fetches` with their raw bytes). Items leave this pipeline without body/report objects so
that feeds (-O reports.jsonl) carry only the summary fields."""
from __future__ import annotations

from scrapy.exceptions import DropItem

from gxcrawl.middlewares import crawl_archive


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        report = item.get("report")
        body = item.get("body") or b""
        item.pop("body", None)
        item.pop("report", None)
        stats = self.crawler.stats
        if report is None or not report.is_report:
            stats.inc_value("gxcrawl/not_reports")
            raise DropItem(f"not a report: {item.get('url')} ({item.get('error') or item.get('title')})")
        archive = crawl_archive(self.crawler)
        sha = archive.store_body(body)
        archive.store_report(report, sha)
        stats.inc_value("gxcrawl/reports")
        stats.inc_value(f"gxcrawl/reports/{report.year or 'unknown'}")
        return item
