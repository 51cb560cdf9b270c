"""Downloader middlewares and the fetch-recording extension.

HostMapMiddleware   GXCRAWL_HOST_MAP {host: "127.0.0.1:PORT"} → that address is the HTTP proxy
                    for those hosts (plain requests via meta["proxy"], browser requests via a
                    Playwright context with the same proxy); a "*.suffix" key maps every host
                    ending so (the scale farm). The request URL never changes.
ChallengeMiddleware a bot wall (gxcrawl.crawl.discovery.blocked: by its look at any status, 200
                    included, or a challenge status with markers) is retried once in Chromium
                    (scrapy-playwright); the cookies the browser wins are reused by plain requests
                    to that host, and the original request is replayed plainly so the archive
                    keeps the exact bytes. Still blocked → recorded with the reason; after
                    GXCRAWL_BROWSER_MAX_FAILED_ROUNDS (3) failed rounds a host gets no more.
ArchiveFetches      every response (and download error) → Archive.record_fetch, raw bytes exact.
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.logformatter import LogFormatter

from gxcrawl.crawl import browser_guard
from gxcrawl.crawl.context import crawl_archive, sqlite_time
from gxcrawl.crawl.discovery.blocked import block_reason, browser_can_help
from gxcrawl.crawl.incremental import finish_crawl, prepare_jobdir, release_jobdir, start_crawl
from gxcrawl.crawl.reach import crawl_status, quiet_robots_errors
from gxcrawl.crawl.scope import request_portal_hosts

logger = logging.getLogger(__name__)

#: validators of the plain request, never sent by the browser (ConditionalMiddleware adds them)
CONDITIONAL_HEADERS = (b"If-None-Match", b"If-Modified-Since")
BROWSER_META = ("playwright", "playwright_include_page", "playwright_page", "playwright_page_methods",
                "playwright_context", "playwright_context_kwargs", "gx_browser", "download_slot")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class ParkedRequest(IgnoreRequest):
    """Not an error: the request waits for a browser round and will be rescheduled."""


class HostMapMiddleware:
    def __init__(self, host_map: dict, only_mapped: bool = False, stats=None):
        self.host_map = {k.lower(): v for k, v in (host_map or {}).items() if not k.startswith("*")}
        self.suffixes = [(k[1:].lower(), v) for k, v in (host_map or {}).items() if k.startswith("*")]
        self.only_mapped = only_mapped
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.getdict("GXCRAWL_HOST_MAP"), crawler.settings.getbool("GXCRAWL_ONLY_MAPPED"),
                   crawler.stats)

    def target(self, host: str):
        """The address `host` is mapped to: its own entry, else the first "*.suffix" it ends with."""
        target = self.host_map.get(host)
        if target is None:
            target = next((v for suffix, v in self.suffixes if host.endswith(suffix)), None)
        return target

    def process_request(self, request: Request, spider=None):
        target = self.target(_host(request.url))
        if not target:
            if self.only_mapped:   # offline runs (tests, demo): never touch the real network
                if self.stats:
                    self.stats.inc_value("gxcrawl/unmapped_ignored")
                logger.info("unmapped host ignored: %s", request.url)
                raise IgnoreRequest(f"host not in GXCRAWL_HOST_MAP: {request.url}")
            return None
        proxy = target if "://" in target else f"http://{target}"
        request.meta["proxy"] = proxy
        if request.meta.get("playwright"):
            request.meta["playwright_context"] = f"gx-proxy-{target}"
            request.meta["playwright_context_kwargs"] = {"proxy": {"server": proxy}, "ignore_https_errors": True,
                                                         "service_workers": "block"}   # every request routed
        return None


class ChallengeMiddleware:
    WAIT_MS = 1500

    def __init__(self, crawler):
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("GXCRAWL_BROWSER")
        self.won: dict[str, list[dict]] = {}       # host → cookies won by the browser
        self.generation: dict[str, int] = {}
        self.pending: set[str] = set()               # hosts with a browser round under way
        self.parked: dict[str, list[Request]] = {}   # requests waiting for that round
        # rounds whose replay stayed a wall: past GXCRAWL_BROWSER_MAX_FAILED_ROUNDS a host's walls
        # are recorded as blocked without another round (a wall no browser passes, N pages)
        self.failed_rounds: dict[str, int] = {}
        self.max_failed_rounds = crawler.settings.getint("GXCRAWL_BROWSER_MAX_FAILED_ROUNDS", 3)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        host = _host(request.url)
        if host in self.pending and not request.meta.get("playwright") and request.meta.get("role") == "report":
            # the host challenges; don't spend a request that will be refused: wait for the round
            self.parked.setdefault(host, []).append(request.replace(dont_filter=True))
            raise ParkedRequest(f"waiting for the browser round on {host}")
        if host in self.won and not request.meta.get("playwright"):
            request.cookies = with_won_cookies(request.cookies, self.won[host])
            request.meta["gx_cookie_gen"] = self.generation.get(host, 0)
        return None

    def _plain(self, request: Request, **meta) -> Request:
        new_meta = {k: v for k, v in request.meta.items() if k not in BROWSER_META and k != "gx_blocked"}
        new_meta.update(meta)
        return request.replace(meta=new_meta, dont_filter=True)

    async def process_response(self, request: Request, response: Response, spider=None):
        host = _host(request.url)
        if request.meta.get("gx_browser"):
            return await self._after_browser(request, response, host)
        reason = block_reason(response.status, dict(response.headers), response.body)
        if not reason:
            request.meta.pop("gx_blocked", None)
            return response
        request.meta["gx_blocked"] = reason
        self.stats.inc_value(f"gxcrawl/blocked/{reason}")
        if request.meta.get("gx_after_browser"):      # the browser's round did not pass this wall
            self.failed_rounds[host] = self.failed_rounds.get(host, 0) + 1
            return response
        if not self.enabled or not browser_can_help(reason):
            return response
        if self.failed_rounds.get(host, 0) >= self.max_failed_rounds:
            self.stats.inc_value("gxcrawl/browser/gave_up")
            return response
        if host in self.pending:
            # park it (waiting here would hold a downloader slot and could starve the browser
            # request itself); it is rescheduled with the cookies when the round ends
            self.parked.setdefault(host, []).append(self._plain(request, gx_retry_cookies=True))
            raise ParkedRequest(f"waiting for the browser round on {host}")
        if host in self.won and request.meta.get("gx_cookie_gen", -1) < self.generation.get(host, 0):
            return self._plain(request, gx_retry_cookies=True)
        if request.meta.get("gx_retry_cookies") and request.meta.get("gx_browser_rounds", 0) >= 1:
            return response
        self.pending.add(host)
        logger.info("blocked (%s): %s — retrying in the browser", reason, request.url)
        self.stats.inc_value("gxcrawl/browser/requests")
        meta = {k: v for k, v in request.meta.items() if k not in BROWSER_META}
        meta.update({"playwright": True, "playwright_include_page": True, "gx_browser": True,
                     "gx_browser_rounds": request.meta.get("gx_browser_rounds", 0) + 1,
                     "playwright_page_methods": _wait_methods(self.WAIT_MS),
                     # the browser loads nothing off the portal's hosts, no image, media or font
                     "playwright_page_init_callback": browser_guard.GUARD,
                     # a context of its own, created on first use; service workers would fetch past
                     # page.route (HostMapMiddleware gives mapped hosts theirs, with the same option)
                     "playwright_context": "gx-walls", "playwright_context_kwargs": {"service_workers": "block"},
                     browser_guard.META_HOSTS: sorted(request_portal_hosts(self.crawler.spider, request) or ())})
        # HostMapMiddleware (later in the chain) gives it the replica proxy's browser context.
        # The browser asks unconditionally: scrapy-playwright sends the request's headers with
        # every navigation, and a 304 to the wall's own reload would break the round.
        headers = request.headers.copy()
        for name in CONDITIONAL_HEADERS:
            headers.pop(name, None)
        return request.replace(meta=meta, headers=headers, dont_filter=True, priority=request.priority + 10)

    async def _harvest(self, request: Request, host: str) -> None:
        """The cookies of the browser round (its page closed): kept for the host's plain requests."""
        page = request.meta.get("playwright_page")
        cookies = []
        if page is not None:
            try:
                cookies = await page.context.cookies()
            except Exception as exc:  # noqa: BLE001 - a closed context has no cookies to give
                logger.info("no cookies from the browser for %s: %r", request.url, exc)
            finally:
                try:
                    await page.close()
                except Exception:  # noqa: BLE001 - best effort
                    pass
        won = [won_cookie(c, host) for c in cookies if cookie_applies(c, host)]   # the context serves other hosts too
        if won:
            self.won[host] = won
            self.generation[host] = self.generation.get(host, 0) + 1
            self.stats.inc_value("gxcrawl/browser/cookies_won")

    async def _after_browser(self, request: Request, response: Response, host: str):
        await self._harvest(request, host)
        browser_guard.record_browser_refusals(self.crawler, request)
        self._release(host)
        # replay plainly, now with the cookies: the archive gets the server's own bytes
        return self._plain(request, gx_after_browser=True)

    def _release(self, host: str) -> None:
        self.pending.discard(host)
        for parked in self.parked.pop(host, []):
            self.crawler.engine.crawl(parked)

    async def process_exception(self, request: Request, exception, spider=None):
        if request.meta.get("gx_browser"):
            host = _host(request.url)
            logger.warning("browser failed on %s: %r", request.url, exception)
            self.stats.inc_value("gxcrawl/browser/errors")
            await self._harvest(request, host)     # a wall may have been passed before the error
            browser_guard.record_browser_refusals(self.crawler, request)
            self._release(host)
            return self._plain(request, gx_after_browser=True)
        return None


def with_won_cookies(cookies, won: list[dict]) -> list[dict]:
    """A request's cookies with the browser's latest ones: one cookie per (name, domain, path),
    the won value replacing an older one (a request replayed after a second round carries the
    first round's cookies already; walls scope cookies by path).

    >>> with_won_cookies({"a": "1"}, [{"name": "a", "value": "2"}, {"name": "b", "value": "3", "path": "/x"}])
    [{'name': 'a', 'value': '2'}, {'name': 'b', 'value': '3', 'path': '/x'}]
    """
    if isinstance(cookies, dict):
        cookies = [{"name": k, "value": v} for k, v in cookies.items()]
    merged: dict[tuple, dict] = {}
    for cookie in list(cookies or []) + list(won):
        merged[(cookie["name"], cookie.get("domain"), cookie.get("path"))] = cookie
    return list(merged.values())


def cookie_applies(cookie: dict, host: str) -> bool:
    """Is a browser cookie one of `host`'s (its own host-only cookie, or a domain cookie of a
    domain above it)? A browser context is shared by the hosts of a crawl.

    >>> cookie_applies({"domain": "www.a.gov.cn"}, "www.a.gov.cn"), cookie_applies({"domain": ".a.gov.cn"}, "www.a.gov.cn")
    (True, True)
    >>> cookie_applies({"domain": "www.b.gov.cn"}, "www.a.gov.cn"), cookie_applies({"domain": "a.gov.cn"}, "www.a.gov.cn")
    (False, False)
    """
    domain = (cookie.get("domain") or "").lower()
    if domain.startswith("."):
        return host == domain[1:] or host.endswith(domain)
    return host == domain


def won_cookie(cookie: dict, host: str) -> dict:
    """A browser cookie as a Scrapy request cookie: a host-only cookie (Playwright gives its
    domain without a dot) stays host-only, so it replaces — not doubles — the same cookie the
    plain responses set.

    >>> won_cookie({"name": "a", "value": "1", "domain": "www.x.gov.cn", "path": "/"}, "www.x.gov.cn")
    {'name': 'a', 'value': '1', 'path': '/'}
    >>> won_cookie({"name": "b", "value": "2", "domain": ".x.gov.cn", "path": "/"}, "www.x.gov.cn")["domain"]
    'x.gov.cn'
    """
    out = {"name": cookie["name"], "value": cookie["value"], "path": cookie.get("path") or "/"}
    domain = cookie.get("domain") or host
    if domain.startswith("."):
        out["domain"] = domain.lstrip(".")
    return out


def _wait_methods(ms: int) -> list:
    from scrapy_playwright.page import PageMethod
    return [PageMethod("wait_for_timeout", ms), PageMethod("wait_for_load_state", "load")]


class QuietLogFormatter(LogFormatter):
    """Dropped non-reports are routine: log them at DEBUG without the whole item."""

    def dropped(self, item, exception, response, spider=None):
        return {"level": logging.DEBUG, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}


class ArchiveFetches:
    """Record every response in the archive's `fetches` table (raw bytes, exact)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.resumed_after_crash = prepare_jobdir(crawler.settings)   # before the scheduler reads JOBDIR
        quiet_robots_errors()           # unreachable hosts: one line each at the end, no tracebacks

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        archive = crawl_archive(self.crawler)
        start_crawl(archive, self.crawler._gxcrawl_crawl_id, spider, self.crawler.settings, self.resumed_after_crash)

    def response_received(self, response: Response, request: Request, spider=None):
        if "playwright" in response.flags:
            return      # the rendered DOM is not the server's bytes; the plain replay is recorded
        archive = crawl_archive(self.crawler)
        headers = {k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in response.headers.items()}
        reason = request.meta.get("gx_blocked") or block_reason(response.status, dict(response.headers), response.body)
        # a 304 answered from the archive (gxcrawl.crawl.incremental) is recorded as the 304 it was
        status = 304 if "gx_not_modified" in response.flags else response.status
        with sqlite_time(self.crawler):
            self._record(archive, request, response, headers, status, reason)
        self.crawler.stats.inc_value("gxcrawl/fetches_recorded")

    def _record(self, archive, request: Request, response: Response, headers: dict, status: int, reason) -> None:
        archive.record_fetch(
            request.meta.get("gx_original_url") or request.url, status=status, body=response.body,
            final_url=response.url, headers=headers,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            elapsed=request.meta.get("download_latency"), crawl_id=self.crawler._gxcrawl_crawl_id,
            blocked_reason=reason, error=request.meta.get("gx_fetch_note"))   # hardening: e.g. Retry-After too long

    def record_error(self, url: str, error: str):
        archive = crawl_archive(self.crawler)
        archive.record_fetch(url, error=error, crawl_id=self.crawler._gxcrawl_crawl_id)

    def spider_closed(self, spider, reason):
        archive = crawl_archive(self.crawler)
        tracker = getattr(self.crawler, "_gxcrawl_entries", None)
        reach = getattr(spider, "reach", None)
        notes = None
        if reach is not None:      # gxcrawl.crawl.reach: the portals no root of which answered
            reached, unreachable = reach.counts()
            self.crawler.stats.set_value("gxcrawl/portals_reached", reached)
            self.crawler.stats.set_value("gxcrawl/portals_unreachable", unreachable)
            for line in reach.lines():
                logger.error("%s", line)
            notes = "\n".join(reach.lines()) or None
            reason = crawl_status(reason, reached, unreachable)
        finish_crawl(archive, self.crawler._gxcrawl_crawl_id, self.crawler.stats.get_stats(),
                     tracker.counts if tracker else {}, reason, notes=notes)
        release_jobdir(self.crawler.settings)
        if archive is not None:
            archive.close()
            self.crawler._gxcrawl_archive = None
