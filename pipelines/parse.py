"""Parse each DocumentItem with gxcrawl.parse_report; fill the summary fields of the item."""
from __future__ import annotations

import logging

from gxcrawl.crawl.discovery.links import is_report_title

logger = logging.getLogger(__name__)


class ParsePipeline:
    def __init__(self, stats=None, crawler=None):
        self.stats = stats
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler)

    def official_hosts(self) -> frozenset:
        """The crawl's portal hosts (seeded, registry): the governments' own, whatever their
        domain (the spider's `official_hosts`, less the portals that name themselves by a brand)."""
        spider = getattr(self.crawler, "spider", None) if self.crawler else None
        hosts = getattr(spider, "official_hosts", None)
        if hosts is None:
            from gxcrawl.crawl.targets import official_hosts
            hosts = official_hosts(getattr(spider, "portals", {}).values())
        return hosts

    def process_item(self, item, spider=None):
        from gxcrawl import parse_report
        try:
            report = parse_report(item["body"], url=item["url"], headers=item.get("headers"),
                                  official_hosts=self.official_hosts())
        except Exception as exc:  # noqa: BLE001 - a parser failure is data, the crawl goes on
            logger.warning("parse failed for %s: %r", item["url"], exc)
            item["error"] = f"parse: {exc!r}"[:500]
            if self.stats:
                self.stats.inc_value("gxcrawl/parse_errors")
            return item
        # a scanned PDF/DOC attachment is an image-only report too (hardening: image-only PDF)
        if item.get("kind") == "image-page" or (item.get("kind") == "attachment" and report.needs_ocr):
            report.needs_ocr = True
            if not report.is_report and is_report_title(item.get("list_title") or report.title):
                report.is_report = True
                report.warnings.append("image-only report: identified from its title, content needs OCR")
            if not report.year and item.get("list_year"):
                report.year = item["list_year"]
        item["report"] = report
        tracker = getattr(self.crawler, "_gxcrawl_entries", None) if self.crawler else None
        if tracker is not None and report.is_report:      # new / changed / unchanged, for the crawls row
            tracker.remember_previous(item, report.url or item["url"], report.year or 0)
        item.update(is_report=report.is_report, year=report.year, agency=report.agency, region=report.region,
                    title=report.title, doc_kind=report.doc_kind, needs_ocr=report.needs_ocr,
                    is_mirror=bool(report.spam.get("is_mirror")), checks_failed=len(report.failed_checks),
                    warnings=list(report.warnings))
        return item
