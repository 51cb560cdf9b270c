"""What the browser may load while it passes a bot wall: the portal's own pages, scripts,
styles and XHR — nothing off the portal's hosts (gxcrawl.crawl.scope: the same host rule as
every plain request), and no images, media or fonts from anywhere.

`guard_page` is the scrapy-playwright page init callback of every browser request
(``meta["playwright_page_init_callback"]``): it routes each request of the page through
`refusal`, aborts the refused ones and notes them in ``meta["gx_browser_refused"]``; the
ChallengeMiddleware records them in the archive's `refused` table after the round
(`record_browser_refusals`), with stats ``gxcrawl/browser/refused`` and
``gxcrawl/refused/browser_off_host`` / ``browser_resource``.

>>> hosts = {"www.sm.gov.cn"}
>>> refusal("http://www.sm.gov.cn/zwgk/", "document", hosts) is None
True
>>> refusal("http://hm.tongji.com/hm.gif", "image", hosts)
('browser_off_host', 'off-portal host hm.tongji.com (browser image)')
>>> refusal("http://www.sm.gov.cn/logo.png", "image", hosts)
('browser_resource', 'image not loaded by the browser')
"""
from __future__ import annotations

import logging
from typing import Iterable, Optional

from gxcrawl.crawl.scope import host_of, is_on_portal, record_refusal

logger = logging.getLogger(__name__)

#: resource types (Playwright's names) the browser never loads: a wall needs none of them
NEVER_LOADED = frozenset({"image", "media", "font"})
#: the init callback, by path (request meta must stay serializable for JOBDIR queues)
GUARD = "gxcrawl.crawl.browser_guard.guard_page"
META_HOSTS = "gx_portal_hosts"
META_REFUSED = "gx_browser_refused"


def refusal(url: str, resource_type: str, portal_hosts: Iterable[str]) -> Optional[tuple[str, str]]:
    """(kind, reason) when the browser must not load `url`, else None. Off the portal comes
    first: a foreign image is an off-host request, not only an image."""
    if url.startswith(("data:", "blob:", "about:")):
        return None
    if not is_on_portal(url, portal_hosts):
        return "browser_off_host", f"off-portal host {host_of(url) or '?'} (browser {resource_type})"
    if resource_type in NEVER_LOADED:
        return "browser_resource", f"{resource_type} not loaded by the browser"
    return None


async def guard_page(page, request) -> None:
    """Route every request of `page` through `refusal` (scrapy-playwright page init callback)."""
    hosts = frozenset(request.meta.get(META_HOSTS) or ())
    refused = request.meta.setdefault(META_REFUSED, [])

    async def route(route, pw_request):
        verdict = refusal(pw_request.url, pw_request.resource_type, hosts) if hosts else \
            (("browser_resource", f"{pw_request.resource_type} not loaded by the browser")
             if pw_request.resource_type in NEVER_LOADED else None)
        if verdict is None:
            await route.fallback()        # to scrapy-playwright's own handler
            return
        refused.append((pw_request.url, verdict[0], verdict[1]))
        await route.abort("blockedbyclient")

    await page.route("**/*", route)


def record_browser_refusals(crawler, request) -> int:
    """The refusals of a browser round into `refused` (with the walled page as referer) and
    the stats; returns how many."""
    refused = request.meta.pop(META_REFUSED, None) or []
    for url, kind, reason in refused:
        record_refusal(crawler, url, reason, referer=request.url, kind=kind)
        crawler.stats.inc_value("gxcrawl/browser/refused")
    return len(refused)
