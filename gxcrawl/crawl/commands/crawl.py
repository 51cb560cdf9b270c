"""`scrapy crawl` with the portal spider's arguments checked before the crawl starts.

Scrapy reports a UsageError raised while a spider is built as a traceback; a bad
`-a city=` is a user's typo, so it is checked here and reported the Scrapy way
(usage line, one-line error, exit status 2) before anything starts.
"""
from __future__ import annotations

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


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if args and args[0] == "portal":
            check_portal_arguments(opts.spargs)
        super().run(args, opts)
