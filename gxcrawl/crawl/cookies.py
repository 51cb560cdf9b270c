"""Cookies a site breaks itself with: capped, and one try without them.

`CappedCookiesMiddleware` is Scrapy's CookiesMiddleware (it takes its place at 700) with three
limits real browsers have and sites rely on:

* a cookie larger than ``GXCRAWL_COOKIE_MAX`` (4096 bytes, name + value: what browsers
  store at most) is never stored, so never sent — a site that sets a 10 KB cookie and then
  answers its own requests with ``400 Request Header Or Cookie Too Large`` keeps working;
  stat ``gxcrawl/cookies/dropped_oversized``, logged once per cookie;
* the Cookie header is capped at ``GXCRAWL_COOKIE_HEADER_MAX`` (8000 bytes, under the 8 KiB
  header line of nginx and Apache): the largest cookies are left out of a request until it
  fits (stat ``gxcrawl/cookies/header_capped``);
* a ``400``/``431`` answer to a request that carried cookies is recorded (status, bytes and
  the note) and the request is tried once more without cookies; so is a request whose
  connection broke before a response came (a 64 KB ``Set-Cookie`` header is over Twisted's
  16 KiB header line: the connection is dropped), once Scrapy's own retries are spent
  (stats ``gxcrawl/cookies/retried_without``). The note goes with the last attempt's
  fetch (`fetches.error`), so a page lost even so says why.
"""
from __future__ import annotations

import logging
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http import Request, Response

from gxcrawl.crawl.context import crawl_archive

logger = logging.getLogger(__name__)

COOKIE_MAX = 4096
COOKIE_HEADER_MAX = 8000
#: answers that mean "your request headers are too large"
TOO_LARGE = (400, 431)


def cap_cookie_header(header: bytes, limit: int = COOKIE_HEADER_MAX) -> tuple[bytes, list[str]]:
    """The Cookie header with its largest cookies left out until it fits `limit` bytes, and the
    names left out.

    >>> cap_cookie_header(b"a=1; big=" + b"x" * 50 + b"; b=2", limit=20)
    (b'a=1; b=2', ['big'])
    >>> cap_cookie_header(b"a=1; b=2")
    (b'a=1; b=2', [])
    """
    if len(header) <= limit:
        return header, []
    parts = [p for p in header.split(b"; ") if p]
    dropped: list[str] = []
    while parts and len(b"; ".join(parts)) > limit:
        largest = max(parts, key=len)
        parts.remove(largest)
        dropped.append(largest.split(b"=", 1)[0].decode("latin-1", "replace"))
    return b"; ".join(parts), dropped


def cookie_bytes(request: Request) -> int:
    """Bytes of the Cookie header a request carried."""
    return sum(len(v) for v in request.headers.getlist("Cookie"))


def without_cookies(request: Request, note: str) -> Request:
    """The same request once more, sending no cookie and storing none (dont_merge_cookies)."""
    meta = {**request.meta, "dont_merge_cookies": True, "gx_cookieless": True, "gx_fetch_note": note}
    retry = request.replace(cookies={}, meta=meta, dont_filter=True)
    retry.headers.pop("Cookie", None)
    return retry


def broke_before_response(exception) -> bool:
    """A connection that closed or was lost before any response was read — not a timeout, not a
    body cut short (data loss), not a size cancel: what an oversized response header does.

    >>> from twisted.internet.error import ConnectionDone, TimeoutError
    >>> from twisted.web._newclient import ResponseFailed
    >>> from twisted.python.failure import Failure
    >>> broke_before_response(ResponseFailed([Failure(ConnectionDone())])), broke_before_response(TimeoutError())
    (True, False)
    """
    from twisted.internet.error import ConnectionDone, ConnectionLost
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived
    reasons = getattr(exception, "reasons", None)
    if reasons is None and exception.__cause__ is not None:        # Scrapy's DownloadFailedError wraps it
        return broke_before_response(exception.__cause__)
    if reasons is None and isinstance(exception.args[0] if exception.args else None, list):
        reasons = exception.args[0]
    if not isinstance(exception, (ResponseFailed, ResponseNeverReceived)) and reasons is None:
        return False
    values = [getattr(r, "value", r) for r in reasons or []]
    names = {type(v).__name__ for v in values}
    if names & {"_DataLoss", "PotentialDataLoss", "CancelledError"}:
        return False
    return any(isinstance(v, (ConnectionDone, ConnectionLost)) for v in values)


class CappedCookiesMiddleware(CookiesMiddleware):
    @classmethod
    def from_crawler(cls, crawler):
        mw = super().from_crawler(crawler)
        settings = crawler.settings
        mw.cookie_max = settings.getint("GXCRAWL_COOKIE_MAX", COOKIE_MAX)
        mw.header_max = settings.getint("GXCRAWL_COOKIE_HEADER_MAX", COOKIE_HEADER_MAX)
        mw.max_retry_times = settings.getint("RETRY_TIMES")
        mw.noted: set[tuple[str, str]] = set()
        return mw

    # -- what is stored ---------------------------------------------------------------------
    def _process_cookies(self, cookies, *, jar, request):
        kept = []
        for cookie in cookies:
            size = len(cookie.name or "") + len(cookie.value or "")
            if size > self.cookie_max:
                self._note_dropped(cookie.name, size, request)
                continue
            kept.append(cookie)
        return super()._process_cookies(kept, jar=jar, request=request)

    def _note_dropped(self, name: str, size: int, request: Request) -> None:
        self.crawler.stats.inc_value("gxcrawl/cookies/dropped_oversized")
        key = (name, (request.url.split("/") + [""] * 3)[2])
        if key not in self.noted:
            self.noted.add(key)
            logger.info("cookie %r of %s bytes from %s not stored (over GXCRAWL_COOKIE_MAX %s)", name, size,
                        request.url, self.cookie_max)

    # -- what is sent -------------------------------------------------------------------------
    def process_request(self, request: Request, spider=None):
        result = super().process_request(request)
        header = request.headers.get("Cookie")
        if header:
            capped, dropped = cap_cookie_header(header, self.header_max)
            if dropped:
                self.crawler.stats.inc_value("gxcrawl/cookies/header_capped")
                logger.info("Cookie header of %s bytes capped for %s: %s left out", len(header), request.url,
                            ", ".join(dropped))
                request.headers["Cookie"] = capped
        return result

    # -- a site refusing its own cookies -----------------------------------------------------
    def process_response(self, request: Request, response: Response, spider=None):
        response = super().process_response(request, response)
        sent = cookie_bytes(request)
        if response.status not in TOO_LARGE or not sent or request.meta.get("gx_cookieless"):
            return response
        note = f"{response.status} to a request with {sent} bytes of cookies: tried once more without cookies"
        self._record(request, response, note)
        self.crawler.stats.inc_value("gxcrawl/cookies/retried_without")
        logger.info("%s: %s", request.url, note)
        return without_cookies(request, note)

    def process_exception(self, request: Request, exception, spider=None):
        sent = cookie_bytes(request)
        if not sent or request.meta.get("gx_cookieless") or not broke_before_response(exception):
            return None
        if request.meta.get("retry_times", 0) < request.meta.get("max_retry_times", self.max_retry_times) \
                and not request.meta.get("dont_retry"):
            return None          # Scrapy's retries first
        note = (f"the connection broke before a response was read ({type(exception).__name__}), with {sent} "
                f"bytes of cookies sent — an oversized response header such as a huge Set-Cookie breaks "
                f"it: tried once more without cookies")
        self.crawler.stats.inc_value("gxcrawl/cookies/retried_without")
        logger.info("%s: %s", request.url, note)
        return without_cookies(request, note)

    def _record(self, request: Request, response: Response, note: str) -> None:
        """The refused answer as a fetch of its own (its bytes exact), since the retry replaces it."""
        try:
            headers = {k.decode("latin-1"): [v.decode("latin-1") for v in vs] for k, vs in response.headers.items()}
            archive = crawl_archive(self.crawler)
            archive.record_fetch(
                request.url, status=response.status, body=response.body, final_url=response.url, headers=headers,
                content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
                crawl_id=self.crawler._gxcrawl_crawl_id, error=note)
        except Exception:  # noqa: BLE001 - a record must never stop a crawl
            logger.exception("could not record the %s of %s", response.status, request.url)

