"""The host rule: every request of a crawl stays on its portal's hosts.

A portal's hosts are the hosts of its seeded or registry roots (`Portal.hosts`) and every
subdomain of their registrable domain (www.sm.gov.cn → *.sm.gov.cn; www.example.com →
*.example.com); a bare-IP or single-label seed (127.0.0.1, localhost) is only itself.
A look-alike such as ``www.sm.gov.cn.evil.com`` belongs to evil.com, not to sm.gov.cn.

`ScopeMiddleware` is a downloader middleware that every request passes, whatever queued it:
a link, a 302 or meta refresh followed by Scrapy's redirect middlewares (their follow-ups go
back through the scheduler and so through the whole chain again), a request replayed with
``dont_filter`` after a browser round, the robots.txt of a host. Scrapy's own
OffsiteMiddleware honours ``dont_filter`` and is switched off in settings.py; this one
honours nothing. A response whose URL is off the portal (a browser navigation that ended on
another host) is dropped too. Each refusal is a row of the archive's `refused` table (url,
host, reason, referer, crawl id, time, kind) and a stat (``gxcrawl/refused``,
``gxcrawl/refused/<kind>``).

>>> is_on_portal("http://xxgk.sm.gov.cn/a.html", {"www.sm.gov.cn"})
True
>>> is_on_portal("http://www.sm.gov.cn.evil.com/a.html", {"www.sm.gov.cn"})
False
>>> is_on_portal("http://127.0.0.2/", {"127.0.0.1"}), is_on_portal("http://127.0.0.1:8080/x", {"127.0.0.1"})
(False, True)
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Iterable, Optional
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from gxcrawl.archive import register_tables, utc_now
from gxcrawl.crawl.context import crawl_archive

logger = logging.getLogger(__name__)

REFUSED_DDL = """
create table if not exists refused (
    id integer primary key,
    url text not null,           -- the URL that was not requested (or whose response was dropped)
    host text,
    reason text not null,        -- why: 'off-portal host (redirect 302 from …)', …
    referer text,                -- the page or redirect that led there
    kind text,                   -- off_host, browser_off_host, browser_resource, …
    crawl_id text,
    refused_at text
)
"""


def ensure_refused(db) -> None:
    """The `refused` table (registered with the archive, which creates it on every open)."""
    db.execute(REFUSED_DDL)
    db.execute("create index if not exists refused_host on refused(host)")


register_tables("refused", ensure_refused)


# -- the rule ----------------------------------------------------------------------------
def _extractor():
    """The bundled public-suffix snapshot, never the network (gxcrawl.crawl.psl)."""
    from gxcrawl.crawl.psl import extractor
    return extractor(private=False)


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The domain a registrant owns (public suffix + one label); the host itself when it has
    none (an IP address, localhost, a public suffix).

    >>> registrable_domain("www.sm.gov.cn"), registrable_domain("www.sm.gov.cn.evil.com")
    ('sm.gov.cn', 'evil.com')
    >>> registrable_domain("127.0.0.1"), registrable_domain("gov.cn")
    ('127.0.0.1', 'gov.cn')
    """
    host = host.lower().strip(".")
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return host
    return f"{parts.domain}.{parts.suffix}"


def host_of(url: str) -> str:
    """The lower-case host of a URL ('' when it has none).

    >>> host_of("HTTP://WWW.SM.GOV.CN:8080/x"), host_of("javascript:void(0)")
    ('www.sm.gov.cn', '')
    """
    try:
        return (urlsplit(url).hostname or "").lower().strip(".")
    except ValueError:
        return ""


def host_on_portal(host: str, portal_hosts: Iterable[str]) -> bool:
    """`host` is one of `portal_hosts` (ports ignored) or under the registrable domain of one.

    >>> host_on_portal("sm.gov.cn", ["www.sm.gov.cn"]), host_on_portal("evilsm.gov.cn", ["www.sm.gov.cn"])
    (True, False)
    """
    host = host.lower().strip(".")
    if not host:
        return False
    for seed in portal_hosts:
        seed = host_of(f"//{seed}") if seed else ""
        if not seed:
            continue
        if host == seed:
            return True
        if _has_suffix(seed):
            base = registrable_domain(seed)
            if host == base or host.endswith("." + base):
                return True
    return False


@lru_cache(maxsize=4096)
def _has_suffix(host: str) -> bool:
    """A seed that is itself a registrable domain (sm.gov.cn) covers its subdomains; a seed
    that is an IP address, a single label or a bare public suffix covers only itself."""
    parts = _extractor()(host)
    return bool(parts.suffix and parts.domain)


def is_on_portal(url: str, portal_hosts: Iterable[str]) -> bool:
    """An http(s) URL on one of the portal's hosts (see the module docstring). Anything else —
    another host, a look-alike, data:, javascript:, a URL without a host — is off the portal.

    >>> hosts = {"www.faults.gov.cn"}
    >>> [is_on_portal(u, hosts) for u in ("http://www.faults.gov.cn/a", "https://img.faults.gov.cn/b.png",
    ...     "http://www.faults.gov.cn.evil.com/a", "http://faults.gov.cn.evil.com/", "data:image/png;base64,AA",
    ...     "http://evil.com/?u=www.faults.gov.cn")]
    [True, True, False, False, False, False]
    """
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    if scheme not in ("http", "https"):
        return False
    return host_on_portal(host_of(url), portal_hosts)


# -- which hosts a request may go to --------------------------------------------------------
def request_portal_hosts(spider, request: Request) -> Optional[frozenset]:
    """The hosts of the portal a request belongs to (``meta["portal"]``), else the union of the
    hosts of every portal of the crawl; None when the spider names no portals (no rule)."""
    portals = getattr(spider, "portals", None) or {}
    key = request.meta.get("portal")
    if key in portals:
        return frozenset(portals[key].hosts)
    hosts = frozenset(h for p in portals.values() for h in p.hosts)
    if not hosts:
        hosts = frozenset(getattr(spider, "allowed_domains", None) or ())
    return hosts or None


def how_it_came(request: Request) -> tuple[str, Optional[str]]:
    """How a request was queued (for the reason) and the page that led to it.

    >>> r = Request("http://evil.com/", meta={"redirect_urls": ["http://a.gov.cn/x"], "redirect_reasons": [302]})
    >>> how_it_came(r)
    ('redirect 302 from http://a.gov.cn/x', 'http://a.gov.cn/x')
    """
    redirects = request.meta.get("redirect_urls") or []
    if redirects:
        why = (request.meta.get("redirect_reasons") or ["redirect"])[-1]
        label = why if isinstance(why, str) else f"redirect {why}"
        return f"{label} from {redirects[-1]}", redirects[-1]
    referer = request.headers.get("Referer")
    referer = referer.decode("latin-1") if isinstance(referer, bytes) else referer
    if request.meta.get("gx_after_browser") or request.meta.get("gx_retry_cookies"):
        return "replayed after a browser round", referer
    if request.dont_filter:
        return "re-queued with dont_filter", referer
    role = request.meta.get("role")
    return (f"{role} link" if role else "request"), referer


class OffPortalRequest(IgnoreRequest):
    """A request (or a response) off the portal's hosts: refused and recorded in `refused`."""

    def __init__(self, url: str, reason: str, origin: Optional[str] = None):
        super().__init__(reason)
        self.url, self.reason, self.origin = url, reason, origin


def record_refusal(crawler, url: str, reason: str, referer: Optional[str] = None, kind: str = "off_host") -> None:
    """One row of `refused` and the stats ``gxcrawl/refused``, ``gxcrawl/refused/<kind>``.
    Never raises: a record must not stop a crawl (the browser path calls this too)."""
    stats = getattr(crawler, "stats", None)
    if stats is not None:
        stats.inc_value("gxcrawl/refused")
        stats.inc_value(f"gxcrawl/refused/{kind}")
    logger.info("refused (%s): %s — %s", kind, url, reason)
    try:
        archive = crawl_archive(crawler)
        archive.db.execute(
            "insert into refused (url, host, reason, referer, kind, crawl_id, refused_at) values (?, ?, ?, ?, ?, ?, ?)",
            [url[:2000], host_of(url), reason[:500], (referer or None) and referer[:2000], kind,
             getattr(crawler, "_gxcrawl_crawl_id", None), utc_now()])
        archive.db.conn.commit()
    except Exception:  # noqa: BLE001 - the refusal itself already happened; the record is best effort
        logger.exception("could not record the refusal of %s", url)


class ScopeMiddleware:
    """Downloader middleware (priority 10, before everything): refuses every request off its
    portal's hosts and drops every response that ended off them."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        hosts = request_portal_hosts(self.crawler.spider, request)
        if hosts is None or is_on_portal(request.url, hosts):
            return None
        how, referer = how_it_came(request)
        reason = f"off-portal host {host_of(request.url) or '?'} ({how})"
        record_refusal(self.crawler, request.url, reason, referer)
        raise OffPortalRequest(request.url, reason, origin=(request.meta.get("redirect_urls") or [None])[0])

    def process_response(self, request: Request, response: Response, spider=None):
        hosts = request_portal_hosts(self.crawler.spider, request)
        if hosts is None or is_on_portal(response.url, hosts):
            return response
        reason = f"response from off-portal host {host_of(response.url) or '?'} (asked for {request.url})"
        record_refusal(self.crawler, response.url, reason, request.url, kind="off_host_response")
        raise OffPortalRequest(response.url, reason, origin=request.url)
