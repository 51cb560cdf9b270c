"""`scrapy crawl` with the portal spider's arguments checked before the crawl starts.

Scrapy reports a UsageError raised while a spider is built as a traceback; a bad
`-a city=` is a user's typo, so it is checked here and reported the Scrapy way
(usage line, one-line error, exit status 2) before anything starts.
"""
from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from gxcrawl.crawl.targets import PortalLookupError, parse_years, resolve


def check_portal_arguments(spargs: dict) -> None:
    city, province, url = spargs.get("city"), spargs.get("province"), spargs.get("url")
    if not (city or province or url):
        raise UsageError("give -a city=NAME, -a province=NAME or -a url=https://…")
    try:
        resolve(city=city, province=province, url=url)
        parse_years(spargs.get("years"))
    except (PortalLookupError, ValueError) as exc:
        raise UsageError(str(exc), print_help=False) from exc


#: exit status when no portal was reached / when some were not (gxcrawl.crawl.reach)
EXIT_UNREACHABLE, EXIT_PARTIAL = 1, 3


def reach_exit(crawler) -> tuple[int, list[str]]:
    """(exit status, plain lines) from the portal spider's reach once the crawl has ended."""
    reach = getattr(getattr(crawler, "spider", None), "reach", None)
    if reach is None:
        return 0, []
    reached, unreachable = reach.counts()
    if not unreachable:
        return 0, []
    lines = reach.lines()
    if not reached:
        return EXIT_UNREACHABLE, lines + [f"gxcrawl: no portal reached ({unreachable} tried); the crawl did nothing"]
    return EXIT_PARTIAL, lines + [f"gxcrawl: {unreachable} of {reached + unreachable} portals not reached"]


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if not args or args[0] != "portal":
            return super().run(args, opts)
        check_portal_arguments(opts.spargs)
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        status, lines = reach_exit(crawler)
        for line in lines:          # after the log and the stats: the last thing the user reads
            print(line, file=sys.stderr)
        self.exitcode = self.exitcode or status
