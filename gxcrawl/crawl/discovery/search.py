"""The portal's own site search, as the last way to the reports. Pure functions, no Scrapy.

A portal whose annual-report column is linked from nowhere we look (home page, disclosure
area, the usual column paths) still indexes the reports in its search. From the home page
we take the search form (``<form action=…/search…>`` with its query field and hidden
parameters) or, failing that, a JSON search endpoint named in an inline script's config;
we query it for 政府信息公开工作年度报告 and read the hits with the ordinary link
classification: report titles become reports, report columns become lists to walk.

>>> html = '''<meta charset="utf-8"><form action="/jsearchfront/search.do" method="get">
... <input type="hidden" name="websiteid" value="350124000000000"><input type="text" name="q">
... <input type="submit" value="搜索"></form>'''
>>> form = find_search_form(html, "http://www.fjmq.gov.cn/")
>>> form.url, form.field, form.method
('http://www.fjmq.gov.cn/jsearchfront/search.do', 'q', 'GET')
>>> search_request_url(form, "年度报告")
'http://www.fjmq.gov.cn/jsearchfront/search.do?websiteid=350124000000000&q=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A'
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Optional
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from gxcrawl.crawl.discovery.links import attachment_kind, column_score, is_lookalike, is_report_title, normalize, year_from_title
from gxcrawl.crawl.discovery.lists import (DATE_KEYS, NEXT_TEXT, TITLE_KEYS, URL_KEYS, Link, json_page_url, json_total_pages, load_json,
                    page_links, parse_html)

#: what the spider asks the search for, in order
QUERIES = ("政府信息公开工作年度报告", "年度报告")

#: form actions / endpoints of the search engines government CMSs ship: TRS was5 / hybase
#: (irs/front/search), Hanweb jsearch / jrobot, 拓尔思 so.jsp, generic /search, 站内搜索 …
SEARCH_URL = re.compile(r"search|/so(/|\.jsp|\.do|\.html?|$)|sousuo|jsearch|jrobot|/was5?/web|/irs/|fulltext"
                        r"|quanwen|zhannei|/s\.(jsp|do|aspx?|php)|/s/?$", re.I)
#: query parameter names, most specific first
QUERY_NAMES = ("searchword", "searchWord", "SearchWord", "q", "keyword", "keywords", "keyWord", "kw", "wd", "query",
               "searchKey", "searchkey", "searchText", "sword", "word", "key", "qt", "text", "title")
#: fixed parameters an inline search config may name (site codes and the like)
CONFIG_PARAMS = {"code", "sitecode", "siteid", "websiteid", "webid", "searchid", "channelid", "tenantid", "tenantids",
                 "tpl", "datatypeid", "configcode", "appid", "columnid", "sitename"}
STATIC_EXT = re.compile(r"\.(js|css|png|jpe?g|gif|svg|ico|woff2?|ttf)(\?|$)", re.I)
MAX_SEARCH_PAGES = 10


@dataclass(frozen=True)
class SearchForm:
    url: str                                   # absolute action / endpoint, without the query field
    field: str                                 # the query parameter
    method: str = "GET"                        # GET | POST
    params: tuple[tuple[str, str], ...] = ()   # hidden inputs / fixed parameters, in order
    charset: str = "utf-8"                     # how the query is encoded (the page's charset)
    kind: str = "form"                         # form (an HTML <form>) | config (an endpoint in inline JS)
    body: str = "form"                         # POST body: form (urlencoded) | json
    page: str = ""                             # the page the form was found on (the Referer)


@dataclass
class SearchResults:
    reports: list[Link] = field(default_factory=list)   # hits that are reports (or report attachments)
    columns: list[Link] = field(default_factory=list)   # hits that are report columns (lists to walk)
    pages: list[str] = field(default_factory=list)      # further result pages (GET)
    skipped: list[Link] = field(default_factory=list)   # look-alikes, other years, off-site hits

    @property
    def hits(self) -> int:
        return len(self.reports) + len(self.columns) + len(self.skipped)


# -- finding the search ----------------------------------------------------------------
def page_charset(html: str) -> str:
    m = re.search(r"<meta[^>]+charset\s*=\s*['\"]?([\w-]+)", html[:4000], re.I)
    return _codec(m.group(1)) if m else "utf-8"


def _codec(name: str) -> str:
    name = (name or "utf-8").strip().lower()
    if name in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
        return "gb18030"
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


def _text_inputs(form) -> list:
    return [i for i in form.iter("input") if (i.get("type") or "text").lower() in ("text", "search", "")
            and i.get("name")]


def _query_field(names: list[str]) -> Optional[str]:
    lower = {n.lower(): n for n in names}
    for known in QUERY_NAMES:
        if known in names:
            return known
        if known.lower() in lower:
            return lower[known.lower()]
    return None


def _form_fixed_params(form, field_name: str) -> list[tuple[str, str]]:
    params = []
    for el in form.iter("input", "select"):
        name = el.get("name")
        if not name or name == field_name:
            continue
        if el.tag == "select":
            options = el.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            if chosen:
                params.append((name, chosen[0].get("value", chosen[0].text_content().strip())))
            continue
        kind = (el.get("type") or "text").lower()
        if kind == "hidden" or (kind in ("radio", "checkbox") and el.get("checked") is not None):
            params.append((name, el.get("value") or ""))
    return params


def _form_candidates(html: str, base_url: str, tree) -> Iterator[tuple[int, SearchForm]]:
    charset = page_charset(html)
    base = tree.xpath("//base/@href")
    base_url = urljoin(base_url, base[0]) if base else base_url
    for form in tree.iter("form"):
        action = (form.get("action") or "").strip()
        if not action or action.startswith(("javascript:", "#", "mailto:")):
            continue
        if form.xpath(".//input[@type='password' or @type='file']"):
            continue          # a login or upload form
        inputs = _text_inputs(form)
        if not inputs:
            continue
        names = [i.get("name") for i in inputs]
        known = _query_field(names)
        ident = " ".join(form.get(k) or "" for k in ("id", "name", "class"))
        score = 0
        if SEARCH_URL.search(urlsplit(action).path) or re.search(r"search|sousuo", action, re.I):
            score += 5
        if known:
            score += 3
        if re.search(r"search|sousuo|(^|\W)so(\W|$)", ident, re.I):
            score += 2
        if score < 5:
            continue
        field_name = known or names[0]
        url = urljoin(base_url, action.replace("&amp;", "&")).split("#")[0]
        method = (form.get("method") or "GET").strip().upper()
        method = method if method in ("GET", "POST") else "GET"
        accept = (form.get("accept-charset") or "").split()
        yield score, SearchForm(url, field_name, method, tuple(_form_fixed_params(form, field_name)),
                                _codec(accept[0]) if accept else charset, "form", "form", base_url)


CONFIG_URL = re.compile(r"""['"]((?:https?:)?(?://[\w.:-]+)?/[\w./-]*(?:search|sousuo|jsearch|jrobot|so\.jsp|/so/)"""
                        r"""[\w./-]*(?:\?[^'"\s]*)?)['"]""", re.I)
CONFIG_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*[:=]\s*['"]([^'"\n]{0,80})['"]""")
CONFIG_KEY = re.compile(r"""['"]?(\w+)['"]?\s*:""")


def _config_candidates(html: str, base_url: str, tree) -> Iterator[tuple[int, SearchForm]]:
    charset = page_charset(html)
    for script in tree.iter("script"):
        if script.get("src"):
            continue
        code = script.text or ""
        if not re.search(r"search|sousuo|jsearch", code, re.I):
            continue
        for m in CONFIG_URL.finditer(code):
            raw = m.group(1).replace("&amp;", "&")
            if STATIC_EXT.search(raw):
                continue
            url = urljoin(base_url, raw)
            pairs = CONFIG_PAIR.findall(code)
            keys = [k for k in CONFIG_KEY.findall(code)]
            values = [v for _, v in pairs if re.fullmatch(r"\w+", v)]
            # a key naming the query parameter (queryName: "searchWord"), else a known key
            named = next((v for k, v in pairs if re.search(r"(query|search|key)(word)?(name|field|param)|^(param|field)$",
                                                            k, re.I) and re.fullmatch(r"\w+", v)), None)
            field_name = named or _query_field(keys) or _query_field(values) or (
                "searchWord" if "/irs/" in url else "q" if "jsearch" in url else "searchword")
            params = [(k, v) for k, v in pairs if k.lower() in CONFIG_PARAMS and k != field_name and v]
            post = bool(re.search(r"""(type|method)\s*:\s*['"]post['"]|\$\.post\(|\.post\(""", code, re.I))
            body = "json" if re.search(r"JSON\.stringify|application/json", code) else "form"
            yield 4, SearchForm(url, field_name, "POST" if post else "GET", tuple(dict(params).items()), charset,
                                "config", body, base_url)


def find_search_forms(html: str, base_url: str) -> list[SearchForm]:
    """Every search the page offers, best first: real <form>s, then endpoints in inline configs."""
    tree = parse_html(html)
    found = sorted(_form_candidates(html, base_url, tree), key=lambda p: -p[0])
    found += list(_config_candidates(html, base_url, tree))
    out, seen = [], set()
    for _, form in found:
        key = (form.url, form.field, form.method)
        if key not in seen:
            seen.add(key)
            out.append(form)
    return out


def find_search_form(html: str, base_url: str, hosts_ok: Optional[Callable[[str], bool]] = None) -> Optional[SearchForm]:
    """The page's search (on the portal's own hosts when `hosts_ok` is given), or None."""
    for form in find_search_forms(html, base_url):
        if hosts_ok is None or hosts_ok(form.url):
            return form
    return None


# -- asking it ---------------------------------------------------------------------------
def _query_pairs(form: SearchForm, query: str) -> list[tuple[str, str]]:
    return [(k, v) for k, v in form.params if k != form.field] + [(form.field, query)]


def search_request_url(form: SearchForm, query: str) -> str:
    """The URL to request: for GET the action with its own query, the fixed parameters and the
    query field (encoded in the page's charset); for POST the action itself."""
    if form.method == "POST":
        return form.url
    parts = urlsplit(form.url)
    own = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
           if k != form.field and k not in dict(form.params)]
    query_string = urlencode(own + _query_pairs(form, query), encoding=form.charset, errors="xmlcharrefreplace")
    return urlunsplit(parts._replace(query=query_string))


def search_request_body(form: SearchForm, query: str) -> Optional[bytes]:
    """The POST body (urlencoded form or JSON), None for GET."""
    if form.method != "POST":
        return None
    pairs = _query_pairs(form, query)
    if form.body == "json":
        return json.dumps(dict(pairs), ensure_ascii=False).encode("utf-8")
    return urlencode(pairs, encoding=form.charset, errors="xmlcharrefreplace").encode("ascii")


def search_request_headers(form: SearchForm) -> dict:
    headers = {"Referer": form.page} if form.page else {}
    if form.method == "POST":
        headers["Content-Type"] = ("application/json;charset=UTF-8" if form.body == "json"
                                   else "application/x-www-form-urlencoded")
    if form.kind == "config":
        headers["Accept"] = "application/json, text/javascript, */*; q=0.01"
        headers["X-Requested-With"] = "XMLHttpRequest"
    return headers


# -- reading the hits ----------------------------------------------------------------------
def _json_hits(obj: Any) -> Iterator[dict]:
    """Every record carrying a title and a URL, however deep (hits are often wrapped: {"data": {…}})."""
    if isinstance(obj, dict):
        if any(obj.get(k) for k in TITLE_KEYS) and any(isinstance(obj.get(k), str) and obj.get(k) for k in URL_KEYS):
            yield obj
            return
        for v in obj.values():
            yield from _json_hits(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _json_hits(v)


def _as_json(body: Any) -> Any:
    if isinstance(body, (dict, list)):
        return body
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
    head = raw.lstrip()[:1]
    if head in (b"{", b"[") or re.match(rb"^\s*[\w$.]+\(\s*[{\[]", raw[:200]):
        return load_json(raw)
    return None


def _classify(links: Iterable[Link], out: SearchResults, hosts_ok, years) -> None:
    seen = set()
    for link in links:
        if link.url in seen:
            continue
        seen.add(link.url)
        title = normalize(link.text)
        if not title:
            continue
        is_column = column_score(title, link.url) >= 5 and not attachment_kind(link.url)
        if hosts_ok is not None and not hosts_ok(link.url):
            if is_column or is_report_title(title):
                out.skipped.append(link)
            continue
        if is_column:        # first: 政府信息公开年报 is a column's name as much as a report's
            out.columns.append(link)
        elif is_report_title(title):
            y = year_from_title(title)
            if years and y is not None and y not in set(years):
                out.skipped.append(link)
            else:
                out.reports.append(link)
        elif is_lookalike(title, link.url) and re.search(r"报告|年报|报表", title):
            out.skipped.append(link)


def search_results(body: Any, base_url: str, hosts_ok: Optional[Callable[[str], bool]] = None,
                   years: Optional[Iterable[int]] = None, max_pages: int = MAX_SEARCH_PAGES) -> SearchResults:
    """Reports, report columns and further result pages in a search answer (HTML or JSON).

    `base_url` is the URL the answer came from; `hosts_ok(url)` keeps hits on the portal's
    own hosts (others are `skipped`); `years` drops reports of other years."""
    out = SearchResults()
    data = _as_json(body)
    if data is not None:
        links = []
        for rec in _json_hits(data):
            title = next((str(rec[k]) for k in TITLE_KEYS if rec.get(k)), "")
            url = next((str(rec[k]) for k in URL_KEYS if isinstance(rec.get(k), str) and rec.get(k)), "")
            date = next((str(rec[k]) for k in DATE_KEYS if rec.get(k)), "")
            links.append(Link(urljoin(base_url, url.replace("&amp;", "&")), re.sub(r"<[^>]+>", "", title).strip(),
                              date[:10]))
        _classify(links, out, hosts_ok, years)
        total = json_total_pages(data) or _nested_total_pages(data)
        if total and total > 1 and urlsplit(base_url).query:
            page_now = _page_number(base_url)
            if page_now == 1:
                out.pages = [json_page_url(base_url, p) for p in range(2, min(total, max_pages) + 1)]
        return out
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body or "")
    links = page_links(text, base_url)
    _classify(links, out, hosts_ok, years)
    path = urlsplit(base_url).path
    for link in links:   # result pages: 下一页 / 2 3 4 … on the same search endpoint
        t = normalize(link.text)
        if (NEXT_TEXT.match(t) or (re.fullmatch(r"\d{1,3}|尾页|末页", t) and t != "1")) and urlsplit(link.url).path == path \
                and link.url != base_url and link.url not in out.pages and len(out.pages) < max_pages:
            out.pages.append(link.url)
    return out


def _page_number(url: str) -> int:
    for k, v in parse_qsl(urlsplit(url).query):
        if k in ("page", "pageNo", "pageIndex", "curpage", "pageNum", "p") and v.isdigit():
            return int(v)
    return 1


def _nested_total_pages(obj: Any, depth: int = 0) -> Optional[int]:
    if depth > 4 or not isinstance(obj, dict):
        return None
    for v in obj.values():
        if isinstance(v, dict):
            found = json_total_pages(v) or _nested_total_pages(v, depth + 1)
            if found:
                return found
    return None
