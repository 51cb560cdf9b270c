"""Crawl hardening (issue 7): what keeps a crawl alive on slow, broken or hostile servers.

RetryAfterMiddleware  Scrapy's RetryMiddleware, but a 429/503/500 … that says `Retry-After`
                      is retried only after that delay (seconds or an HTTP date). A delay
                      above GXCRAWL_RETRY_AFTER_MAX is not waited for: the response is kept
                      (recorded with its status) and the note goes to the fetch's `error`.
HardeningMiddleware   per-request size limit for pages (GXCRAWL_PAGE_MAXSIZE; attachments keep
                      DOWNLOAD_MAXSIZE), redirect loops (a Location already in the chain),
                      truncated gzip streams (retried, then an error — never half a page).
UnreadableNotes       item pipeline: a downloaded document the parser refused (encrypted PDF,
                      zip bomb, empty body …) gets the reason on its `fetches` row.

Everything recorded goes through the archive's `fetches` table (status, error, blocked_reason).
"""
from __future__ import annotations

import logging
import time
import zlib
from email.utils import parsedate_to_datetime
from typing import Optional
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value, now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After header value (delta-seconds or HTTP-date).

    >>> retry_after_seconds(b"2"), retry_after_seconds("  120 "), retry_after_seconds("soon")
    (2.0, 120.0, None)
    >>> retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0)
    60.0
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), 10 ** 9))
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


async def _sleep(seconds: float) -> None:
    from twisted.internet import reactor
    from twisted.internet.task import deferLater
    from scrapy.utils.defer import maybe_deferred_to_future
    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class RetryAfterMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_wait = settings.getfloat("GXCRAWL_RETRY_AFTER_MAX", 30.0)

    async def process_request(self, request: Request, spider=None):
        wait = request.meta.get("gx_not_before", 0) - time.monotonic()
        if wait > 0:
            await _sleep(wait)
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        delay = retry_after_seconds(response.headers.get("Retry-After"))
        if delay is not None and delay > self.max_wait:
            note = f"Retry-After {delay:.0f} s exceeds GXCRAWL_RETRY_AFTER_MAX ({self.max_wait:.0f} s): not retried"
            logger.info("%s: %s", request.url, note)
            request.meta["gx_fetch_note"] = note
            if self.crawler is not None:
                self.crawler.stats.inc_value("gxcrawl/retry_after/too_long")
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if delay:
            retry.meta["gx_not_before"] = time.monotonic() + delay
            if self.crawler is not None:
                self.crawler.stats.inc_value("gxcrawl/retry_after/waited")
        return retry


def gzip_state(body: bytes, limit: int) -> str:
    """'ok', 'truncated', 'corrupt' or 'large' (inflates past `limit`: Scrapy's own check
    refuses it), inflating at most `limit` bytes in 64 KiB steps.

    >>> import gzip
    >>> packed = gzip.compress(b"x" * 100000)
    >>> gzip_state(packed, 1 << 20), gzip_state(packed[:len(packed) // 2], 1 << 20), gzip_state(packed, 1000)
    ('ok', 'truncated', 'large')
    """
    inflater = zlib.decompressobj(47)      # gzip or zlib header
    size = 0
    data = body
    try:
        while True:
            size += len(inflater.decompress(data, 65536))
            if size > limit:
                return "large"
            data = inflater.unconsumed_tail
            if inflater.eof:
                return "ok"
            if not data:
                return "truncated"
    except zlib.error:
        return "corrupt"


class HardeningMiddleware:
    """Sits at 610: its process_request runs after Redirect (600) and its process_response
    before Redirect and HttpCompression (590), so it sees Location headers and gzip bytes."""

    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.page_maxsize = settings.getint("GXCRAWL_PAGE_MAXSIZE", 16 * 1024 * 1024)
        self.maxsize = settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        if "download_maxsize" not in request.meta and self.page_maxsize and not _document_like(request):
            request.meta["download_maxsize"] = self.page_maxsize
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        if 300 <= response.status < 400 and b"Location" in response.headers:
            target = urljoin(request.url, response.headers[b"Location"].decode("latin-1").strip())
            chain = list(request.meta.get("redirect_urls", [])) + [request.url]
            if target in chain:
                self.crawler.stats.inc_value("gxcrawl/redirect_loop")
                raise IgnoreRequest(f"redirect loop: {' -> '.join(chain + [target])}"[:500])
        encodings = b",".join(response.headers.getlist("Content-Encoding")).lower()
        if response.body and (b"gzip" in encodings or b"deflate" in encodings) and request.method != "HEAD":
            limit = request.meta.get("download_maxsize", self.maxsize) or self.maxsize
            state = gzip_state(response.body, limit)
            if state in ("truncated", "corrupt"):
                self.crawler.stats.inc_value(f"gxcrawl/gzip_{state}")
                retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{state} gzip")
                if retry is not None:
                    return retry
                raise IgnoreRequest(f"{state} gzip body ({len(response.body)} bytes compressed)")
        return response


def _document_like(request: Request) -> bool:
    """Requests that may bring a PDF/DOC scan (limit DOWNLOAD_MAXSIZE, not the page limit)."""
    from gxcrawl.crawl.discovery.links import attachment_kind, is_image_url
    if request.meta.get("role") in ("attachment", "image"):
        return True
    return attachment_kind(request.url) is not None or is_image_url(request.url)


class UnreadableNotes:
    """Item pipeline (between parse and archive): a document the parser could not read keeps
    the reason on its fetch row (`fetches.error`), so an encrypted PDF or a zip bomb is not
    just a silent non-report."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item, spider=None):
        report = item.get("report")
        reasons = [w for w in (getattr(report, "warnings", None) or []) if w.startswith("unreadable:")]
        if report is not None and not report.is_report and reasons and item.get("url"):
            try:
                from gxcrawl.crawl.context import crawl_archive
                db = crawl_archive(self.crawler).db
                db.execute("update fetches set error = ? where id = (select max(id) from fetches where url = ?) "
                           "and error is null", [reasons[0][:500], item["url"]])
                db.conn.commit()
                self.crawler.stats.inc_value("gxcrawl/unreadable")
            except Exception:  # noqa: BLE001 - a note must never stop a crawl
                logger.exception("could not note the unreadable reason for %s", item.get("url"))
        return item


def failure_reason(failure) -> str:
    """A one-line reason for a download failure, also when Twisted's message is empty
    (ResponseFailed, ConnectionLost, the maxsize cancel).

    >>> from twisted.python.failure import Failure
    >>> failure_reason(Failure(TimeoutError("took longer than 3.0 seconds")))
    'took longer than 3.0 seconds'
    """
    message = failure.getErrorMessage()
    if message:
        return message
    value = failure.value
    inner = getattr(value, "reasons", None) or []
    details = "; ".join(f"{type(r.value).__name__}: {r.getErrorMessage()}".rstrip(": ") for r in inner
                        if hasattr(r, "value"))
    return f"{type(value).__name__}" + (f" ({details})" if details else "")
