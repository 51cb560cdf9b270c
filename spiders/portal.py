"""`scrapy crawl portal -a city=三明` — discover, fetch and archive a portal's annual reports.

Arguments: ``city`` (name / alias / pinyin / code, comma-separated), ``province`` (all its
prefectures and counties), ``url`` (any portal root, comma-separated), ``years`` (2019-2024).
The decisions live in gxcrawl.crawl.discovery; this class only turns them into requests.
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, UsageError
from scrapy.http import FormRequest, Request, Response

from gxcrawl.crawl.discovery import (attachments, block_reason, content_images, is_shell,
                               json_entries, json_page_url, json_total_pages, plan_page, site_identity,
                               year_from_title)
from gxcrawl.crawl.discovery.links import attachment_kind, same_site
from gxcrawl.crawl.discovery.lists import Link, group_bounds, json_total_count, hanweb_group, hanweb_records, load_json, page_links
from gxcrawl.crawl.discovery.loaded import CALLED_JS, LoadState, called_endpoints, declared_total, reply_entries
from gxcrawl.crawl.discovery.scripts import (endpoint_urls, family_templates, has_page, split_method, page_context, page_url, script_context,
                                             script_files_named, script_sources)
from gxcrawl.crawl.discovery.pages import is_deleted_notice, meta_refresh
from gxcrawl.crawl.discovery.plan import BARREN_LEVELS, barren_level, is_report_entry, in_years
from gxcrawl.crawl.discovery.search import (QUERIES, SearchForm, find_search_form, search_request_body,
                                      search_request_headers, search_request_url, search_results)
from gxcrawl.crawl.incremental import entry_signature
from gxcrawl.crawl.identity import portal_check
from gxcrawl.crawl.items import DocumentItem
from gxcrawl.crawl.reach import RootReach, failure_kind
from gxcrawl.crawl.targets import Portal, PortalLookupError, official_hosts, parse_years, resolve

#: where to look when neither the home page nor the disclosure area names the column (and, when
#: no list was read at all, the site's own search: `search_fallback`, gxcrawl.crawl.discovery.search)
FALLBACK_PATHS = ["zwgk/zfxxgknb/", "xxgk/xxgknb/", "zfxxgk/zfxxgknb/", "zwgk/xxgknb/", "xxgk/zfxxgknb/"]
MAX_AREA_DEPTH = 3
MAX_LIST_DEPTH = 4
#: result pages read per search query (GXCRAWL_SEARCH_MAX_PAGES)
SEARCH_MAX_PAGES = 10


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, city: Optional[str] = None, province: Optional[str] = None, url: Optional[str] = None,
                 years: Optional[str] = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (city or province or url):
            raise UsageError("give -a city=NAME, -a province=NAME or -a url=https://…")
        try:
            portals = resolve(city=city, province=province, url=url)
            self.years = parse_years(years)
        except (PortalLookupError, ValueError) as exc:
            raise UsageError(str(exc)) from exc
        self.portals: dict[str, Portal] = {p.key: p for p in portals}
        self.allowed_domains = sorted({h for p in portals for h in p.hosts})
        # the governments' own hosts, whatever their domain (seeded, registry): their pages are
        # reports unless spam evidence says otherwise; a host whose home page names itself by a
        # gambling brand leaves the set (gxcrawl.parse.spam.spam_phrases_in_name)
        self.official_hosts: set[str] = set(official_hosts(portals))
        self.seen_entries: set[str] = set()
        self.refused_links: set[str] = set()       # off-portal links recorded in `refused` (once each)
        self.list_pages: dict[str, int] = {}
        self.columns_found: dict[str, int] = {}
        # the site search, the last fallback (gxcrawl.crawl.discovery.search): the form found on each
        # portal's home page, portals whose lists were read, portals with blocked pages, portals searched
        self.search_forms: dict[str, SearchForm] = {}
        self.lists_read: set[str] = set()
        self.blocked_portals: set[str] = set()
        self.searched: set[str] = set()
        self.search_pages: dict[str, set[str]] = {}
        # what list pages load (gxcrawl.crawl.discovery.scripts): script files read (url → context, None while
        # under way), the pages waiting for each, pages already read, endpoints asked, every list entry seen
        self.scripts: dict[str, object] = {}
        self.script_waiters: dict[str, list[LoadState]] = {}
        self.loaded_read: set[str] = set()
        self.endpoints_asked: set[str] = set()
        self.listed: set[str] = set()
        self.reach = RootReach()         # which roots answered (gxcrawl.crawl.reach)
        self.renders: dict[str, int] = {}     # pages rendered per portal (the last resort)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        if crawler.settings.get("GXCRAWL_REDIS_URL"):   # roots may be fetched by other workers
            spider.reach = RootReach(judge=False)
        return spider

    # -- helpers -------------------------------------------------------------
    def hosts_ok(self, portal: Portal):
        hosts = set(portal.hosts)
        return lambda url: same_site(url, hosts)

    def req(self, url: str, callback, portal: Portal, **meta) -> Request:
        meta["portal"] = portal.key
        return Request(url, callback=callback, errback=self.failed, meta=meta)

    def portal_of(self, response: Response) -> Portal:
        return self.portals[response.meta["portal"]]

    def usable(self, response: Response) -> bool:
        """2xx and not a challenge page (those are recorded as blocked by the archive extension)."""
        if response.meta.get("gx_blocked") or block_reason(response.status, dict(response.headers), response.body):
            self.crawler.stats.inc_value("gxcrawl/blocked_final")
            self.blocked_portals.add(response.meta.get("portal"))
            return False
        if response.status >= 300:
            self.crawler.stats.inc_value(f"gxcrawl/http_{response.status}")
            return False
        return True

    def request_dropped(self, request, spider):
        """A root the scheduler drops was fetched by an earlier run of this JOBDIR (its
        dupefilter remembers it): the portal was reached then, not unreachable now."""
        if request.meta.get("role") == "root" and request.meta.get("portal") in self.portals:
            self.reach.answered(request.meta["portal"], request.meta.get("gx_root") or request.url)

    def failed(self, failure):
        from gxcrawl.crawl.middlewares import ParkedRequest
        if failure.check(ParkedRequest):
            return
        request = failure.request
        from gxcrawl.crawl.scope import OffPortalRequest
        if failure.check(OffPortalRequest):
            yield from self.refused(failure.value, request)
            return
        self.logger.info("failed %s: %s", request.url, failure.getErrorMessage())
        if request.meta.get("role") == "root":
            self.reach.failed(request.meta["portal"], request.meta.get("gx_root") or request.url,
                              failure_kind(failure))
        self.crawler.stats.inc_value("gxcrawl/errors")
        tracker = getattr(self.crawler, "_gxcrawl_entries", None)
        if tracker is not None:
            tracker.mark_failed(request)
        ext = self._archive_ext()
        if ext is not None:
            from gxcrawl.crawl.hardening import failure_reason   # never an empty reason
            note = request.meta.get("gx_fetch_note")    # e.g. tried once more without cookies
            ext.record_error(request.url, (failure_reason(failure) + (f" — {note}" if note else ""))[:500])
        if request.meta.get("role") == "root" and request.meta.get("alt_scheme"):
            portal = self.portals[request.meta["portal"]]
            self.reach.expect(portal.key, portal.name, request.meta["alt_scheme"])
            yield self.req(request.meta["alt_scheme"], self.parse_root, portal, role="root",
                           candidate=request.meta.get("candidate"), gx_root=request.meta["alt_scheme"])
        elif request.meta.get("role") == "root" and not request.meta.get("candidate"):
            from gxcrawl.crawl.hardening import failure_reason
            self.record_portal_check(self.portals[request.meta["portal"]],
                                     {"status": "unreachable", "checked_url": request.url,
                                      "detail": failure_reason(failure)[:300]})

    def refused(self, refusal, request: Request):
        """An off-portal request (gxcrawl.crawl.scope; already in `refused`): the entry that led
        there failed, and a redirect's first URL — a page of the portal — keeps the reason on a
        fetch row of its own (the off-portal URL itself is never a fetch: nothing was fetched)."""
        tracker = getattr(self.crawler, "_gxcrawl_entries", None)
        if tracker is not None:
            tracker.mark_failed(request)
        ext = self._archive_ext()
        if ext is not None and refusal.origin and refusal.origin != refusal.url:
            ext.record_error(refusal.origin, f"refused: {refusal.reason}"[:500])
        return iter(())

    def refuse_links(self, urls: list[str], page_url: str, what: str) -> None:
        """Links of a page that lead off the portal (an attachment on a look-alike host, a meta
        refresh): never requested, each a row of `refused` with the page as referer."""
        from gxcrawl.crawl.scope import host_of, record_refusal
        for url in urls:
            if url in self.refused_links:       # a sidebar link on every list page: one row
                continue
            self.refused_links.add(url)
            record_refusal(self.crawler, url, f"off-portal host {host_of(url) or '?'} ({what} on {page_url})",
                           page_url, kind="off_host_link")

    def _archive_ext(self):
        from gxcrawl.crawl.middlewares import ArchiveFetches
        for ext in getattr(self.crawler.extensions, "middlewares", []):
            if isinstance(ext, ArchiveFetches):
                return ext
        return None

    @staticmethod
    def _alt_scheme(url: str) -> str:
        return ("https://" + url[7:]) if url.startswith("http://") else ("http://" + url[8:])

    # -- start -------------------------------------------------------------
    async def start(self):
        for request in self.start_requests():
            yield request

    def start_requests(self):
        for portal in self.portals.values():
            for root in portal.roots:
                self.reach.expect(portal.key, portal.name, root)
                yield self.req(root, self.parse_root, portal, role="root", alt_scheme=self._alt_scheme(root),
                               gx_root=root)
            for root in portal.candidates:
                self.reach.expect(portal.key, portal.name, root)
                yield self.req(root, self.parse_root, portal, role="root", candidate=True, gx_root=root)

    # -- root / disclosure area ---------------------------------------------
    def parse_root(self, response: Response):
        portal = self.portal_of(response)
        root = response.meta.get("gx_root") or response.url
        if not self.usable(response) or not hasattr(response, "text"):
            if response.meta.get("gx_blocked") or self.blocked_portals & {portal.key}:
                self.reach.failed(portal.key, root, f"challenge: {response.meta.get('gx_blocked') or 'blocked'}")
            else:
                self.reach.answered(portal.key, root)
            if not response.meta.get("candidate"):
                self.record_portal_check(portal, {"status": "unreachable", "checked_url": response.url,
                                                  "detail": f"HTTP {response.status}" + (
                                                      ", blocked" if response.meta.get("gx_blocked") else "")})
            return
        self.reach.answered(portal.key, root)
        check = portal_check(site_identity(response.text), portal, response.url)
        self.check_brand(portal, check)
        if response.meta.get("candidate"):
            if check["status"] != "identified":
                self.logger.info("candidate root %s is not %s (%s)", response.url, portal.name, check["site_name"])
                self.crawler.stats.inc_value("gxcrawl/candidate_rejected")
                return
            self.crawler.stats.inc_value("gxcrawl/candidate_accepted")
        self.record_portal_check(portal, check)
        if portal.key not in self.search_forms:
            form = find_search_form(response.text, response.url, self.hosts_ok(portal))
            if form is not None:
                self.search_forms[portal.key] = form
        yield from self.follow_plan(response, portal, role="root", depth=0)

    def check_brand(self, portal: Portal, check: dict) -> None:
        """A portal whose home page calls itself by a gambling brand is a mirror: its hosts are
        no longer the government's own (its copies are then judged like any mirror's)."""
        if check["status"] == "brand" and portal.hosts & self.official_hosts:
            self.logger.info("portal %s: %s — a mirror", portal.name, check["detail"])
            self.crawler.stats.inc_value("gxcrawl/portal_is_mirror")
            self.official_hosts -= portal.hosts

    def record_portal_check(self, portal: Portal, check: dict) -> None:
        """What the portal's home page said of itself, in the archive's `portals` (a registry
        root stays a hint until its site identifies itself)."""
        from gxcrawl.archive.portal_checks import record_check
        from gxcrawl.crawl.context import crawl_archive
        self.crawler.stats.inc_value(f"gxcrawl/portal_check/{check['status']}")
        if check["status"] not in ("identified", "unreachable"):
            self.logger.info("portal %s not identified at %s: %s", portal.name, check.get("checked_url"),
                             check.get("detail"))
        archive = crawl_archive(self.crawler)
        record_check(archive.db, portal.key, check, name=portal.name, root=(portal.roots or portal.candidates or ("",))[0],
                     source=portal.source, crawl_id=getattr(self.crawler, "_gxcrawl_crawl_id", None))

    def parse_area(self, response: Response):
        portal = self.portal_of(response)
        if self.usable(response) and hasattr(response, "text"):
            yield from self.follow_plan(response, portal, role="area", depth=response.meta.get("depth_area", 1))

    def follow_plan(self, response: Response, portal: Portal, role: str, depth: int):
        plan = plan_page(response.url, response.text, role, self.hosts_ok(portal), self.years)
        for link in plan.columns:
            self.columns_found[portal.key] = self.columns_found.get(portal.key, 0) + 1
            yield self.req(link.url, self.parse_list, portal, role="column", column=link.url, list_depth=0)
        for link in plan.reports:
            yield from self.report_request(link, portal, response.url)
        if not plan.columns and depth < MAX_AREA_DEPTH:
            for link in plan.areas:
                yield self.req(link.url, self.parse_area, portal, role="area", depth_area=depth + 1)
        for link in plan.directories:     # a platform's disclosure directories (the government's, its departments')
            if depth < MAX_AREA_DEPTH + 1:
                yield self.req(link.url, self.parse_area, portal, role="area", depth_area=max(depth + 1, MAX_AREA_DEPTH))
        if not plan.columns and not plan.areas and not plan.reports and not plan.directories:
            # a shell (a Vue app, a script-filled page): read what it loads as a list
            yield from self.read_loaded(response, portal, response.url)
        if not plan.columns and not plan.areas and role == "root":
            base = urljoin(response.url, "/")
            for path in FALLBACK_PATHS:
                yield self.req(base + path, self.parse_list, portal, role="column", column=base + path,
                               list_depth=0, fallback=True)

    # -- lists ---------------------------------------------------------------
    def parse_list(self, response: Response):
        portal = self.portal_of(response)
        if not self.usable(response) or not hasattr(response, "text"):
            return
        column = response.meta.get("column") or response.url
        plan = plan_page(response.url, response.text, "column", self.hosts_ok(portal), self.years, column_url=column)
        if plan.reports or plan.skipped or plan.listing.posts or plan.listing.api:
            self.lists_read.add(portal.key)
        new = 0
        for link in plan.reports:
            if link.url not in self.seen_entries:
                new += 1
            yield from self.report_request(link, portal, response.url)
        self.refuse_links([l.url for l in plan.off_portal], response.url, "list entry")
        self.listed.update(l.url for l in plan.listing.entries)
        self.crawler.stats.inc_value("gxcrawl/skipped_lookalike", len(plan.skipped))
        depth = response.meta.get("list_depth", 0)
        listing = plan.listing
        # what the page loads (script files, endpoints) may still bring its entries: not barren yet
        found = len(plan.reports) + len(plan.skipped)
        total = listing.total or declared_total(response.text)
        loading = []
        if (not found and not listing.posts and not listing.api) or (
                total and found < total and not listing.pages and not listing.posts and not listing.api):
            loading = list(self.read_loaded(response, portal, column))
        barren = barren_level(response.meta.get("barren", 0), depth, bool(found or listing.posts or listing.api
                                                                          or loading))
        if depth < MAX_LIST_DEPTH and plan.columns:
            if barren >= BARREN_LEVELS:
                # a sub-list whose own sub-lists yielded no entry either: the tree below is abandoned
                self.crawler.stats.inc_value("gxcrawl/lists/abandoned")
                self.crawler.stats.inc_value("gxcrawl/lists/abandoned_links", len(plan.columns))
                self.logger.info("sub-list %s and the level above yield no report entries: %d sub-lists not "
                                 "followed", response.url, len(plan.columns))
            else:
                for link in plan.columns:
                    yield self.req(link.url, self.parse_list, portal, role="column", column=link.url,
                                   list_depth=depth + 1, barren=barren)
        limit = self.settings.getint("GXCRAWL_MAX_LIST_PAGES", 200)
        count = self.list_pages.get(column, 0)
        # generic "next page" links are followed only while they bring new entries (endless lists)
        if listing.family in ("trs", "trs-writeln") or new:
            for url in listing.pages:
                if count < limit:
                    count += 1
                    yield self.req(url, self.parse_list, portal, role="column", column=column, list_depth=depth,
                                   barren=response.meta.get("barren", 0))
        self.list_pages[column] = count
        for url, form in listing.posts:
            yield self.hanweb_request(url, form, portal, column, response.url, open_ended=listing.open_ended)
        for url in listing.api:
            self.endpoints_asked.add(url)
            yield Request(url, callback=self.parse_json_list, errback=self.failed, headers={"Referer": response.url},
                          meta={"portal": portal.key, "role": "api", "column": column, "list_page": response.url})
        # a list that yields no entries, or fewer than it says it has, is read through what it loads
        yield from loading

    def hanweb_request(self, url: str, form: dict, portal: Portal, column: str, list_page: str,
                       open_ended: bool = False) -> FormRequest:
        return FormRequest(url, formdata=form, callback=self.parse_hanweb_proxy, errback=self.failed,
                           meta={"portal": portal.key, "role": "column", "column": column, "list_page": list_page,
                                 "open_ended": open_ended, "form": form},
                           headers={"Referer": list_page})

    def fresh(self, entries: list[Link]) -> int:
        """How many of these list entries no list of this crawl showed before (and remember them)."""
        new = [l.url for l in entries if l.url not in self.listed]
        self.listed.update(new)
        return len(new)

    def parse_hanweb_proxy(self, response: Response):
        portal = self.portal_of(response)
        if not self.usable(response):
            return
        entries, total, _ = hanweb_records(response.text, response.url)
        if entries:
            self.lists_read.add(portal.key)
        new = self.fresh(entries)
        yield from self.entries(entries, portal, response.url)
        if response.meta.get("open_ended") and new:
            # the total is unknown: the next group, while replies bring new records
            start, end, perpage = group_bounds(response.url)
            if total is None or total > end:
                self.crawler.stats.inc_value("discovery/open_ended_pages")
                url, form = hanweb_group(response.url, response.meta["form"], end + 1, perpage)
                yield self.hanweb_request(url, form, portal, response.meta["column"],
                                          response.meta.get("list_page") or response.url, open_ended=True)

    def parse_json_list(self, response: Response):
        portal = self.portal_of(response)
        if not self.usable(response):
            return
        list_page = response.meta["list_page"]
        data = load_json(response.body)
        pattern = response.meta.get("pattern")
        if data is None and not pattern:
            return
        entries = reply_entries(data, response.body, response.url, list_page)
        if entries:
            self.lists_read.add(portal.key)
        new = self.fresh(entries)
        yield from self.entries(entries, portal, response.url)
        limit = self.settings.getint("GXCRAWL_MAX_LIST_PAGES", 200)
        keep = {k: response.meta[k] for k in ("portal", "column", "list_page", "pattern") if k in response.meta}
        if pattern and has_page(pattern):
            page = response.meta.get("api_page") or 1
            pages = json_total_pages(data) if data is not None else None
            if pages is None and page == 1 and entries and data is not None:
                # a count of entries and a first page: the page size is that page's
                count = json_total_count(data)
                pages = -(-count // len(entries)) if count else None
            if pages is not None or response.meta.get("pages_known"):
                if page == 1 and pages:
                    for n in range(2, min(pages, limit) + 1):
                        yield self.endpoint_request(page_url(pattern, n), {**keep, "pages_known": True}, n)
            elif new and page < limit:
                # the total is unknown: the next page, while replies bring new entries
                self.crawler.stats.inc_value("discovery/open_ended_pages")
                yield self.endpoint_request(page_url(pattern, page + 1), keep, page + 1)
        elif not response.meta.get("api_page") and data is not None and not (pattern or "").startswith("POST "):
            pages = json_total_pages(data) or 1
            for page in range(2, min(pages, limit) + 1):
                yield self.endpoint_request(json_page_url(response.url, page), keep, page)

    def endpoint_request(self, url: str, meta: dict, page: int) -> Request:
        method, url, form = split_method(url)
        meta = {**meta, "role": "api", "api_page": page}
        headers = {"Referer": meta["list_page"], "X-Requested-With": "XMLHttpRequest"}
        if method == "POST":
            return FormRequest(url, formdata=form, callback=self.parse_json_list, errback=self.failed, headers=headers,
                               meta=meta)
        return Request(url, callback=self.parse_json_list, errback=self.failed, headers=headers, meta=meta)

    # -- what a page loads: inline endpoints, same-host script files ---------------------
    def read_loaded(self, response: Response, portal: Portal, column: str):
        """A page whose HTML lists nothing: read its inline scripts, then the same-host script
        files it references one at a time (each once per crawl, most likely first) until their
        code names a list endpoint the page's context fills; ask it (gxcrawl.crawl.discovery.scripts)."""
        if response.url in self.loaded_read or not hasattr(response, "text"):
            return
        self.loaded_read.add(response.url)
        text = response.text
        state = LoadState(response.url, column, portal.key, page_context(text, response.url),
                          queue=script_sources(text, response.url, self.hosts_ok(portal)),
                          scripted=bool(re.search(r"<script", text, re.I)))
        yield from self.advance(state)

    def advance(self, state: LoadState):
        """Read the page's next script file until an endpoint fills; then ask it, or fall back."""
        portal = self.portals[state.portal]
        while True:
            urls = endpoint_urls(state.ctx, state.ctx.templates, state.page, self.hosts_ok(portal))
            if urls:
                yield from self.ask_endpoints(state, urls)
                return
            if not state.queue:
                break
            src = state.queue.pop(0)
            known = self.scripts.get(src)
            if known is not None:
                state.ctx = state.ctx.merge(known)
                continue
            self.script_waiters.setdefault(src, []).append(state)
            if src not in self.scripts:
                self.scripts[src] = None
                self.crawler.stats.inc_value("discovery/script_files")
                yield Request(src, callback=self.parse_script, errback=self.script_failed,
                              headers={"Referer": state.page},
                              meta={"portal": portal.key, "role": "script", "script_depth": state.depth})
            return
        # nothing read from the code: the endpoints of a platform the crawler knows
        urls = endpoint_urls(state.ctx, family_templates(state.page, state.ctx), state.page, self.hosts_ok(portal))
        if urls:
            self.crawler.stats.inc_value("discovery/family_endpoints")
            yield from self.ask_endpoints(state, urls)
            return
        yield from self.render(state)

    # -- the last resort: the page rendered in Chromium ----------------------------------
    def render(self, state: LoadState):
        """Render a scripted page whose code named no endpoint we could fill (GXCRAWL_RENDER,
        at most GXCRAWL_RENDER_MAX_PAGES per portal): the links it ends with and the data
        requests it made are read (`discovery/render_fallback` counts them)."""
        if not (state.scripted and self.settings.getbool("GXCRAWL_BROWSER") and self.settings.getbool("GXCRAWL_RENDER", True)):
            return
        done = self.renders.get(state.portal, 0)
        if done >= self.settings.getint("GXCRAWL_RENDER_MAX_PAGES", 5):
            self.crawler.stats.inc_value("discovery/render_skipped")
            return
        self.renders[state.portal] = done + 1
        self.crawler.stats.inc_value("discovery/render_fallback")
        from scrapy_playwright.page import PageMethod
        methods = [PageMethod("wait_for_load_state", "networkidle"), PageMethod("wait_for_timeout", 500),
                   PageMethod("evaluate", CALLED_JS)]
        yield Request(state.page, callback=self.parse_rendered, errback=self.failed, dont_filter=True,
                      meta={"portal": state.portal, "role": "render", "column": state.column, "list_page": state.page,
                            "playwright": True, "playwright_page_methods": methods})

    def parse_rendered(self, response: Response):
        portal = self.portal_of(response)
        if response.status >= 300 or not hasattr(response, "text"):
            return
        column = response.meta["column"]
        plan = plan_page(response.url, response.text, "column", self.hosts_ok(portal), self.years, column_url=column)
        self.fresh(plan.listing.entries)
        if plan.reports:
            self.lists_read.add(portal.key)
            self.crawler.stats.inc_value("discovery/render_entries", len(plan.reports))
        for link in plan.reports:
            yield from self.report_request(link, portal, response.url)
        for link in plan.columns:
            yield self.req(link.url, self.parse_list, portal, role="column", column=link.url, list_depth=MAX_LIST_DEPTH)
        methods = response.meta.get("playwright_page_methods") or []
        called = methods[-1].result if methods else []
        meta = {"portal": portal.key, "column": column, "list_page": response.url}
        for url in called_endpoints(called, self.hosts_ok(portal)):
            first = page_url(url, 1)
            if url in self.endpoints_asked or first in self.endpoints_asked:
                continue
            self.endpoints_asked.update((url, first))
            self.crawler.stats.inc_value("discovery/render_endpoints")
            yield self.endpoint_request(first, {**meta, "pattern": url} if has_page(url) else meta, 0)

    def parse_script(self, response: Response):
        src = response.url
        text = response.text if hasattr(response, "text") else response.body.decode("utf-8", "replace")
        ctx = script_context(text) if self.usable(response) else script_context("")
        portal = self.portal_of(response)
        nested = []
        if not ctx.templates and response.meta.get("script_depth", 0) < 1:   # a loader naming its chunks
            nested = [u for u in script_files_named(text, src, self.hosts_ok(portal)) if u != src]
        self.scripts[src] = ctx
        for state in self.script_waiters.pop(src, []):
            state.ctx = state.ctx.merge(ctx)
            if nested:
                state.queue = [u for u in nested if u not in state.queue] + state.queue
                state.depth = 1
            yield from self.advance(state)

    def script_failed(self, failure):
        yield from self.failed(failure)
        src = failure.request.url
        from gxcrawl.crawl.discovery.scripts import PageContext
        self.scripts[src] = PageContext()
        for state in self.script_waiters.pop(src, []):
            yield from self.advance(state)

    def ask_endpoints(self, state: LoadState, urls: list[str]):
        meta = {"portal": state.portal, "column": state.column, "list_page": state.page}
        for url in urls:
            first = page_url(url, 1)
            if url in self.endpoints_asked or first in self.endpoints_asked:
                continue
            self.endpoints_asked.update((url, first))
            self.crawler.stats.inc_value("discovery/endpoints")
            yield self.endpoint_request(first, {**meta, "pattern": url}, 0)

    def entries(self, entries: list[Link], portal: Portal, list_url: str):
        ok = self.hosts_ok(portal)
        for link in entries:
            if ok(link.url) and is_report_entry(link, in_column=True) and in_years(link, self.years):
                yield from self.report_request(link, portal, list_url)

    # -- the site's own search: the last fallback --------------------------------
    def spider_idle(self):
        """When everything else is done: search the portals where nothing found the column."""
        requests = list(self.search_fallback())
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def search_fallback(self):
        """Search requests for each portal with a search form whose lists were never read
        (no column link, no fallback path, nothing below the disclosure area) and that was not
        blocked (its search would be too). Each portal is searched once per crawl."""
        if not self.settings.getbool("GXCRAWL_SEARCH", True):
            return
        for key, form in self.search_forms.items():
            if key in self.searched or key in self.lists_read or key in self.blocked_portals:
                continue
            self.searched.add(key)
            self.crawler.stats.inc_value("gxcrawl/search/portals")
            self.logger.info("no report column found on %s: searching %s", self.portals[key].name, form.url)
            for query in QUERIES:
                yield self.search_request(form, query, self.portals[key])

    def search_request(self, form: SearchForm, query: str, portal: Portal, url: Optional[str] = None) -> Request:
        self.crawler.stats.inc_value("gxcrawl/search/requests")
        meta = {"portal": portal.key, "role": "search", "query": query}
        if url is not None:       # a further result page (always GET)
            headers = {k: v for k, v in search_request_headers(form).items() if k != "Content-Type"}
            return Request(url, callback=self.parse_search, errback=self.failed, meta=meta, headers=headers)
        return Request(search_request_url(form, query), method=form.method, body=search_request_body(form, query),
                       headers=search_request_headers(form), callback=self.parse_search, errback=self.failed,
                       meta=meta)

    def parse_search(self, response: Response):
        portal = self.portal_of(response)
        if not self.usable(response):
            return
        body = response.text if hasattr(response, "text") else response.body
        limit = self.settings.getint("GXCRAWL_SEARCH_MAX_PAGES", SEARCH_MAX_PAGES)
        results = search_results(body, response.url, self.hosts_ok(portal), self.years, max_pages=limit)
        self.crawler.stats.inc_value("gxcrawl/search/hits", len(results.reports) + len(results.columns))
        for link in results.columns:
            self.columns_found[portal.key] = self.columns_found.get(portal.key, 0) + 1
            yield self.req(link.url, self.parse_list, portal, role="column", column=link.url, list_depth=0,
                           from_search=True)
        for link in results.reports:
            yield from self.report_request(link, portal, response.url)
        if not results.hits:
            return
        asked = self.search_pages.setdefault(f"{portal.key}\t{response.meta.get('query')}", {response.url})
        for url in results.pages:
            if url not in asked and len(asked) < limit:
                asked.add(url)
                yield self.search_request(self.search_forms[portal.key], response.meta.get("query"), portal, url=url)

    # -- reports -------------------------------------------------------------
    def report_request(self, link: Link, portal: Portal, list_url: str):
        if link.url in self.seen_entries:
            return
        self.seen_entries.add(link.url)
        # incremental: an entry archived with the same title and date is not requested again
        signature = entry_signature(link.text, link.date)
        tracker = getattr(self.crawler, "_gxcrawl_entries", None)
        if tracker is not None and tracker.known(link.url, signature):
            self.crawler.stats.inc_value("gxcrawl/incremental/skipped")
            return
        meta = {"role": "report", "list_url": list_url, "list_title": link.text,
                "list_year": year_from_title(link.text), "gx_entry": link.url, "gx_sig": signature}
        yield self.req(link.url, self.parse_report, portal, **meta)

    def document_item(self, response: Response, portal: Portal, kind: str, **extra) -> DocumentItem:
        return DocumentItem(
            url=response.url, final_url=response.url, status=response.status, body=response.body,
            headers={k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v},
            content_type=response.headers.get("Content-Type", b"").decode("latin-1"), kind=kind,
            portal=portal.key, portal_name=portal.name, list_url=response.meta.get("list_url"),
            list_title=response.meta.get("list_title"), list_year=response.meta.get("list_year"), **extra)

    def parse_report(self, response: Response):
        portal = self.portal_of(response)
        if not self.usable(response):
            return
        text = response.text if hasattr(response, "text") and not attachment_kind(response.url) else None
        if text is None:
            yield self.document_item(response, portal, "attachment")
            return
        refresh = meta_refresh(text, response.url)
        if is_deleted_notice(text) and len(text) < 3000:
            self.crawler.stats.inc_value("gxcrawl/deleted")
            return
        ok = self.hosts_ok(portal)
        if refresh and len(text) < 3000:
            if not ok(refresh):
                self.refuse_links([refresh], response.url, "meta refresh")
                return
            yield self.req(refresh, self.parse_report, portal, **{k: response.meta.get(k) for k in
                                                                 ("role", "list_url", "list_title", "list_year")})
            return
        if is_shell(text, response.url):
            found = attachments(text, response.url)
            docs = [l for l in found if ok(l.url)]
            self.refuse_links([l.url for l in found if not ok(l.url)], response.url, "attachment link")
            if found and not docs:
                return      # its document is off the portal: refused (above), nothing to store
            if docs:
                for link in docs:
                    yield self.req(link.url, self.parse_attachment, portal, role="attachment", page_url=response.url,
                                   list_url=response.meta.get("list_url"), list_title=response.meta.get("list_title"),
                                   list_year=response.meta.get("list_year"))
                return
            # an image-only report: stored from its page and list title, needs_ocr; its images are
            # named in the item, never fetched (bounded work: only reports, lists and attachments)
            images = [u for u in content_images(text, response.url) if ok(u)]
            self.crawler.stats.inc_value("gxcrawl/images_not_fetched", len(images))
            yield self.document_item(response, portal, "image-page", images=images)
            return
        yield self.document_item(response, portal, "page")

    def parse_attachment(self, response: Response):
        portal = self.portal_of(response)
        if self.usable(response):
            yield self.document_item(response, portal, "attachment", page_url=response.meta.get("page_url"))

    def parse_cloaking(self, response: Response):
        """A flagged page fetched again as Baiduspider (gxcrawl.crawl.cloaking): compare, record, no items."""
        from gxcrawl.crawl.cloaking import record_response
        record_response(self.crawler, response)
        return None
