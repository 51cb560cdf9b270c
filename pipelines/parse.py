"""Parse each DocumentItem with gxcrawl.parse_report; fill the summary fields of the item.

GXCRAWL_PARSE_PROCESSES = N > 0 parses in N worker processes (gxcrawl.crawl.parsepool), off
the reactor thread; items still leave this pipeline — and reach the archive — in the order
they arrived. 0 (the default) parses here, in the crawl's own thread."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from gxcrawl.crawl.discovery.links import is_report_title

logger = logging.getLogger(__name__)


def parse_here(item, official_hosts) -> tuple:
    """(report, None) or (None, error): the parse of this process."""
    from gxcrawl import parse_report
    try:
        return parse_report(item["body"], url=item["url"], headers=item.get("headers"),
                            official_hosts=official_hosts), None
    except Exception as exc:  # noqa: BLE001 - a parser failure is data, the crawl goes on
        return None, repr(exc)


class ParsePipeline:
    def __init__(self, stats=None, crawler=None):
        self.stats = stats
        self.crawler = crawler
        processes = crawler.settings.getint("GXCRAWL_PARSE_PROCESSES", 0) if crawler is not None else 0
        self.pool = self.sequencer = None
        self._lowered: tuple = (None, frozenset())
        if processes > 0:
            from gxcrawl.crawl.parsepool import ParsePool, Sequencer
            self.pool, self.sequencer = ParsePool(processes), Sequencer()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats, crawler)

    def official_hosts(self) -> frozenset:
        """The crawl's portal hosts (seeded, registry): the governments' own, whatever their domain."""
        from gxcrawl.crawl.targets import crawl_official_hosts
        return crawl_official_hosts(self.crawler)

    def hosts_for(self, url: str) -> frozenset:
        """What a worker needs of `official_hosts` for this page: its own host when it is one
        (the parser asks only whether the page's host is official; a national crawl's
        thousands of hosts are not sent with every page)."""
        hosts = self.official_hosts()
        if self._lowered[0] is not hosts:
            self._lowered = (hosts, frozenset(h.lower() for h in hosts or () if h))
        host = (urlsplit(url).hostname or "").lower()
        return frozenset([host]) if host in self._lowered[1] else frozenset()

    def process_item(self, item, spider=None):
        if self.pool is not None:
            return self._pooled(item)
        return self.finish(item, *parse_here(item, self.official_hosts()))

    async def _pooled(self, item):
        before, mine = self.sequencer.turn()
        try:
            report, error = await self.pool.parse(item["body"], item["url"], item.get("headers"),
                                                  self.hosts_for(item["url"]))
            await self.sequencer.wait(before)
            # the later pipelines run now, in this step of the loop: in arrival order
            return self.finish(item, report, error)
        finally:
            self.sequencer.done(mine)

    def finish(self, item, report, error):
        if report is None:
            logger.warning("parse failed for %s: %s", item["url"], error)
            item["error"] = f"parse: {error}"[:500]
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

    def close_spider(self, spider=None):
        if self.pool is not None:
            self.pool.close()
