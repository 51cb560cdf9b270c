"""Cloaking: does a flagged page show search engines something else than it shows us?

A hacked government page often serves its gambling content only to ``Baiduspider`` (so
that it ranks) or only to visitors arriving from a search engine (so that the webmaster,
typing the address, sees nothing). When a report page carries spam findings (hidden links,
an injected title, a redirect script), `CloakingMiddleware` (a spider middleware, on unless
``GXCRAWL_CLOAKING_CHECK = False``) fetches it once more as Baiduspider with a Baidu search
Referer, no cookies, no redirect following and no conditional headers. Both bodies are in
the archive (`fetches`, raw bytes exact, via the fetch-recording extension; the search
engine's fetch under the page URL + ``#gxcrawl-as-baiduspider``); the comparison goes to
`cloaking_checks` (url, both sha256, status, differs, similarity, findings) and shows up in
the `spam_findings` view as kind ``cloaking``.

The comparison is plain Python (`compare_bodies`), usable without Scrapy:

>>> normal = "<html><head><title>某县2020年政府信息公开工作年度报告</title></head><body><p>报告正文</p></body></html>"
>>> engine = normal.replace("<title>", "<title>澳门金沙赌场_").replace("<p>", '<p><a href="http://casino.example.com/">365体育投注</a>')
>>> differs, similarity, findings = compare_bodies(normal.encode(), engine.encode(), "http://www.x.gov.cn/a.html")
>>> differs, sorted({f["how"] for f in findings})
(True, ['content-differs', 'engine-only-links', 'engine-only-spam-text', 'engine-only-title-injection'])
>>> compare_bodies(normal.encode(), normal.encode(), "http://www.x.gov.cn/a.html")[0]
False
"""
from __future__ import annotations

import json
import logging
from typing import Optional
from urllib.parse import quote, urljoin, urlsplit

logger = logging.getLogger(__name__)

BAIDUSPIDER_UA = "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
#: fragment added to the URL of the search engine's fetch in `fetches` (same resource, other
#: variant): conditional re-requests and "latest body of a URL" never pick the cloaked copy
ENGINE_FETCH_MARK = "#gxcrawl-as-baiduspider"
SIMILARITY_MIN = 0.8           # below: the content itself differs materially
SPAM_WEIGHT_MIN = 2.0          # lexicon weight that must appear only in the search engine's copy


def search_referer(query: str) -> str:
    return "https://www.baidu.com/s?wd=" + quote(query or "", safe="")


def flag_reasons(html: str, url: Optional[str]) -> list[str]:
    """The spam findings that make a page worth a second look (empty: not flagged)."""
    from gxcrawl.parse.spam.hidden import find_hidden
    from gxcrawl.parse.spam.provenance import host_of
    try:
        found = find_hidden(html, host_of(url))
    except Exception:  # noqa: BLE001 - hostile HTML must not stop a crawl
        logger.debug("find_hidden failed on %s", url, exc_info=True)
        return []
    return sorted({h["how"] for h in found["links"] + found["title"]})


# -- the comparison (pure) ------------------------------------------------------------

def _view(body: bytes, url: str, headers: Optional[dict] = None) -> dict:
    """What a visitor gets: title, visible text, external non-gov links, spam weight, redirects."""
    from gxcrawl.parse.document.decode import decode_body
    from lxml import etree
    from gxcrawl.parse.spam.hidden import PARSER_OPTS, external_link, find_hidden, redirect_scripts
    from gxcrawl.parse.spam.lexicon import scan
    from gxcrawl.parse.spam.normalize import to_simplified
    from gxcrawl.parse.spam.provenance import host_of
    try:
        text, _, _ = decode_body(body, headers)
    except Exception:  # noqa: BLE001
        text = body.decode("utf-8", "replace")
    root = None
    if text.strip():
        try:
            root = etree.fromstring(text.encode("utf-8", "surrogatepass"),
                                    etree.HTMLParser(encoding="utf-8", **PARSER_OPTS))
        except (etree.ParserError, ValueError):
            root = None
    host = host_of(url)
    view = {"title": "", "text": "", "links": set(), "spam": 0.0, "redirects": [], "injections": set()}
    if root is None:
        return view
    title = root.find(".//title")
    view["title"] = " ".join("".join(title.itertext()).split()) if title is not None else ""
    view["redirects"] = [r["href"] or r["how"] for r in redirect_scripts(root)]
    view["injections"] = {h["how"] for h in find_hidden(root, host)["title"]}
    for bad in root.xpath("//script|//style"):
        if bad.getparent() is not None:
            bad.getparent().remove(bad)
    body_el = root.find(".//body")
    visible = " ".join((body_el if body_el is not None else root).itertext())
    view["text"] = " ".join(visible.split())
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and external_link(urljoin(url, href), host):
            view["links"].add(urljoin(url, href))
    scanned = to_simplified(view["title"] + "\n" + view["text"]).lower()
    view["spam"] = round(sum(h.weight for h in scan(scanned)), 2)
    return view


def compare_bodies(normal: bytes, engine: bytes, url: str, engine_status: int = 200,
                   engine_headers: Optional[dict] = None) -> tuple[bool, float, list[dict]]:
    """(differs, text similarity, findings) of the body served to a search engine against
    the one served to the crawler. Findings: engine-only redirect / links / spam text /
    title injection, and content that differs as a whole."""
    from gxcrawl.archive.mirrors import shingles, text_similarity
    findings: list[dict] = []
    headers = {k.lower(): v for k, v in (engine_headers or {}).items()}
    if 300 <= (engine_status or 0) < 400:
        location = headers.get("location") or ""
        location = location[0] if isinstance(location, list) else location
        findings.append({"kind": "cloaking", "how": "engine-only-redirect", "href": urljoin(url, location) or None,
                         "detail": f"HTTP {engine_status} for Baiduspider / a search Referer, 200 for us"})
        return True, 0.0, findings
    a, b = _view(normal, url), _view(engine, url, headers)
    similarity = round(text_similarity(shingles(a["title"] + a["text"]), shingles(b["title"] + b["text"])), 4)
    new_links = sorted(b["links"] - a["links"])
    if new_links:
        findings.append({"kind": "cloaking", "how": "engine-only-links", "href": new_links[0],
                         "detail": f"{len(new_links)} off-site links only for the search engine: "
                                   + ", ".join(new_links[:10])})
    if b["spam"] - a["spam"] >= SPAM_WEIGHT_MIN:
        findings.append({"kind": "cloaking", "how": "engine-only-spam-text", "href": None,
                         "detail": f"gambling/porn lexicon weight {a['spam']} → {b['spam']}"})
    for how in sorted(b["injections"] - a["injections"]):
        findings.append({"kind": "cloaking", "how": f"engine-only-{how}", "href": None,
                         "detail": f"title: {b['title'][:200]}" if how.startswith("title") else how})
    new_redirects = [r for r in b["redirects"] if r not in a["redirects"]]
    if new_redirects:
        findings.append({"kind": "cloaking", "how": "engine-only-redirect-script", "href": new_redirects[0],
                         "detail": "redirect only in the search engine's copy"})
    if similarity < SIMILARITY_MIN:
        findings.append({"kind": "cloaking", "how": "content-differs", "href": None,
                         "detail": f"text similarity {similarity}"})
    return bool(findings), similarity, findings


def store_check(db, url: str, normal_sha: Optional[str], engine_sha: Optional[str], engine_status: int,
                differs: bool, similarity: float, findings: list[dict],
                user_agent: str = BAIDUSPIDER_UA, referer: Optional[str] = None) -> dict:
    from gxcrawl.archive import utc_now
    row = {"url": url, "checked_at": utc_now(), "user_agent": user_agent, "referer": referer,
           "normal_sha256": normal_sha, "engine_sha256": engine_sha, "engine_status": engine_status,
           "differs": int(differs), "similarity": similarity,
           "findings": json.dumps(findings, ensure_ascii=False)}
    with db.conn:
        db.execute(f"insert or replace into cloaking_checks ({', '.join(row)}) values "
                   f"({', '.join('?' for _ in row)})", list(row.values()))
    return row


# -- Scrapy glue ----------------------------------------------------------------------

def record_response(crawler, response) -> Optional[dict]:
    """Callback side: compare the search engine's copy with ours and store the check."""
    from gxcrawl.crawl.context import crawl_archive
    archive = crawl_archive(crawler)
    meta = response.meta
    try:
        normal = archive.body(meta["gx_cloak_normal"])
    except KeyError:
        logger.warning("cloaking check of %s: our copy is not in the archive", response.url)
        return None
    headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
    differs, similarity, findings = compare_bodies(normal, response.body, meta.get("gx_cloak_url") or response.url,
                                                   response.status, headers)
    engine_sha = archive.store_body(response.body)
    row = store_check(archive.db, meta.get("gx_cloak_url") or response.url, meta["gx_cloak_normal"], engine_sha,
                      response.status, differs, similarity, findings,
                      referer=meta.get("gx_cloak_referer"))
    crawler.stats.inc_value("gxcrawl/cloaking/checked")
    if differs:
        crawler.stats.inc_value("gxcrawl/cloaking/found")
        logger.info("cloaking on %s: %s", response.url, ", ".join(f["how"] for f in findings))
    return row


class CloakingMiddleware:
    """Spider middleware: after a report page item, re-request a flagged page as Baiduspider
    (once per URL, callback ``spider.parse_cloaking``)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.enabled = crawler.settings.getbool("GXCRAWL_CLOAKING_CHECK", True)
        # A hacked government page is checked each time: injections differ page by page.
        # A non-government host (a gambling mirror) cloaks site-wide or not at all, so a
        # few of its pages tell as much as all of them, at a fraction of the requests.
        self.per_other_host = crawler.settings.getint("GXCRAWL_CLOAKING_OTHER_HOST_PAGES", 1)
        self.done: set[str] = set()
        self.other_hosts: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _extra(self, response, item, spider):
        if not self.enabled or not isinstance(item, dict) and not hasattr(item, "get"):
            return None
        try:
            kind, url = item.get("kind"), item.get("url")
        except Exception:  # noqa: BLE001 - not an item
            return None
        if kind != "page" or not url or url in self.done or response.meta.get("gx_cloaking"):
            return None
        callback = getattr(spider, "parse_cloaking", None)
        if callback is None or not hasattr(response, "text"):
            return None
        from gxcrawl.parse.spam.provenance import host_of, is_gov_host
        host = host_of(url) or ""
        if not is_gov_host(host) and self.other_hosts.get(host, 0) >= self.per_other_host:
            return None
        reasons = flag_reasons(response.text, url)
        if not reasons:
            return None
        self.done.add(url)
        if not is_gov_host(host):
            self.other_hosts[host] = self.other_hosts.get(host, 0) + 1
        from scrapy import Request
        from gxcrawl.crawl.context import crawl_archive
        normal_sha = crawl_archive(self.crawler).store_body(response.body)   # already there: idempotent
        title = item.get("list_title") or ""
        referer = search_referer(title or urlsplit(url).hostname or url)
        self.crawler.stats.inc_value("gxcrawl/cloaking/requests")
        logger.info("flagged (%s): %s — fetching it again as Baiduspider", ", ".join(reasons), url)
        meta = {k: response.meta[k] for k in ("portal",) if k in response.meta}
        meta.update({"role": "cloaking", "gx_cloaking": True, "gx_cloak_normal": normal_sha, "gx_cloak_url": url,
                     "gx_cloak_referer": referer, "dont_redirect": True, "handle_httpstatus_all": True,
                     "dont_merge_cookies": True,
                     # no validators from the archive (gxcrawl.crawl.incremental): we want the full body
                     "gx_conditional": False,
                     # the fetches row is marked so that "the latest fetch of this URL" stays ours
                     "gx_original_url": url + ENGINE_FETCH_MARK})
        return Request(url, callback=callback, dont_filter=True, meta=meta,
                       headers={"User-Agent": BAIDUSPIDER_UA, "Referer": referer})

    def process_spider_output(self, response, result, spider=None):
        for x in result:
            yield x
            extra = self._extra(response, x, spider or self.crawler.spider)
            if extra is not None:
                yield extra

    async def process_spider_output_async(self, response, result, spider=None):
        async for x in result:
            yield x
            extra = self._extra(response, x, spider or self.crawler.spider)
            if extra is not None:
                yield extra
