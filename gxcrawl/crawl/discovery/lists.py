"""List entries and pagination for each CMS family, from page text. No Scrapy.

>>> createpage("createPageHTML(5, 0, \\"index\\", \\"shtml\\");")
(5, 0, 'index', 'shtml')
>>> createpage("createPageHTML('page_div', 3, 1, 'fg', 'shtml', 42);")
(3, 1, 'fg', 'shtml')
>>> trs_page_urls("http://x.gov.cn/a/index.html", 3, "index", "html")
['http://x.gov.cn/a/index_1.html', 'http://x.gov.cn/a/index_2.html']
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lhtml

HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*[01](px|pt)?\s*(;|$)"
                          r"|(left|top)\s*:\s*-\d{3,}|height\s*:\s*[01]px|width\s*:\s*[01]px", re.I)


@dataclass(frozen=True)
class Link:
    url: str
    text: str = ""
    date: str = ""


@dataclass
class Listing:
    """What one list page offers: entries (articles/attachments), further list pages, sub-lists."""
    entries: list[Link] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)              # GET urls of further pages
    posts: list[tuple[str, dict]] = field(default_factory=list)  # (url, formdata) for POST pagination
    api: list[str] = field(default_factory=list)                # JSON list endpoints to fetch with Referer
    family: str = "html"
    total: Optional[int] = None                                 # entries the list says it has (None: unknown)
    open_ended: bool = False                                    # posts: the next group only, total unknown


#: an element whose content is not HTML (its `<!--` is script text, kept), or an HTML comment
#: (ended by -->, --!> or the end of the page, as browsers end them)
_RAW_OR_COMMENT = re.compile(r"(<(script|style|textarea|title)\b[^>]*>.*?</\2\s*>)|<!--.*?(?:--!?>|\Z)", re.S | re.I)


def strip_comments(text: str) -> str:
    """The page without its HTML comments — commented-out links, datastores and pagination calls
    old templates keep — so that what a browser does not show is never read as a list. The
    `<!-- … //-->` that hides a script's code inside `<script>` is the script's, and stays.

    >>> strip_comments('<li><a href="/a">A</a></li><!-- <li><a href="/old">B</a></li> -->')
    '<li><a href="/a">A</a></li>'
    >>> strip_comments('<script><!--\\ncreatePageHTML(3, 0, "index", "html");//--></script><!-- createPageHTML(40')
    '<script><!--\\ncreatePageHTML(3, 0, "index", "html");//--></script>'
    """
    if "<!--" not in text:
        return text
    return _RAW_OR_COMMENT.sub(lambda m: m.group(1) or "", text)


def parse_html(text: str):
    try:
        return lhtml.fromstring(text or "<html/>")
    except (etree.ParserError, ValueError):
        return lhtml.fromstring("<html/>")


def _hidden(el) -> bool:
    while el is not None and isinstance(el.tag, str):
        if el.tag in ("marquee", "noscript", "template"):
            return True
        if HIDDEN_STYLE.search(el.get("style") or "") or el.get("hidden") is not None:
            return True
        el = el.getparent()
    return False


def page_links(text: str, base_url: str, tree=None) -> list[Link]:
    """Visible <a href> links (hidden 暗链 dropped), absolute, fragments removed, in order."""
    tree = parse_html(text) if tree is None else tree
    base = tree.xpath("//base/@href")
    base_url = urljoin(base_url, base[0]) if base else base_url
    out, seen = [], set()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")) or _hidden(a):
            continue
        url = urljoin(base_url, href).split("#")[0]
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        text_ = " ".join((a.text_content() or a.get("title") or "").split())
        title = a.get("title") or ""
        if title and len(title) > len(text_):
            text_ = title.strip()
        date = ""
        parent = a.getparent()
        if parent is not None:
            m = re.search(r"(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})", parent.text_content() or "")
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""
        out.append(Link(url, text_, date))
    return out


# -- TRS WCM ---------------------------------------------------------------
CREATEPAGE = re.compile(r"createPageHTML\(\s*(?:(['\"])[\w-]+\1\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*['\"]([\w-]+)['\"]"
                        r"\s*,\s*['\"](\w+)['\"]")
COUNTPAGE = re.compile(r"var\s+(?:countPage|pageCount|totalPage)\s*=\s*(\d+)")


def createpage(text: str) -> Optional[tuple[int, int, str, str]]:
    """(page count, current page, file prefix, extension) from an inline createPageHTML call."""
    m = CREATEPAGE.search(text)
    if not m:
        return None
    return int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)


def trs_page_urls(list_url: str, count: int, prefix: str, ext: str, limit: int = 200) -> list[str]:
    """index.html, index_1.html … index_{count-1}.html (zero-based), relative to the list's folder."""
    folder = urljoin(list_url, "./")
    return [urljoin(folder, f"{prefix}_{i}.{ext}") for i in range(1, min(count, limit))]


WRITELN_URL = re.compile(r"""var\s+(?:str_?)?url\s*=\s*['"]([^'"]+)['"]""", re.I)
WRITELN_TITLE = re.compile(r"""var\s+(?:str_?)?title\s*=\s*['"]([^'"]*)['"]""", re.I)


def writeln_entries(text: str, base_url: str) -> list[Link]:
    """Entries of lists written by document.writeln from inline `var url=…; var title=…`."""
    if "document.write" not in text:
        return []
    out = []
    for block in re.split(r"(?=var\s+(?:str_?)?url\s*=)", text):
        mu = WRITELN_URL.search(block)
        if not mu:
            continue
        mt = WRITELN_TITLE.search(block)
        out.append(Link(urljoin(base_url, mu.group(1)), (mt.group(1) if mt else "").strip()))
    return out


# -- Hanweb 大汉 jcms ---------------------------------------------------------
DATASTORE = re.compile(r"<script[^>]+type=['\"]text/xml['\"][^>]*>(.*?)</script>", re.S | re.I)


#: a datastore never needs a DTD: it is dropped unread (billion laughs, external entities)
DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>", re.S | re.I)


def _xml(text: str):
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.strip())
    text = DOCTYPE.sub("", text, count=1)
    try:
        return etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(recover=True, strip_cdata=False, resolve_entities=False,
                                                                        no_network=True, load_dtd=False, huge_tree=False))
    except etree.XMLSyntaxError:
        return None


def hanweb_records(xml_text: str, base_url: str) -> tuple[list[Link], Optional[int], Optional[str]]:
    """Records, <totalrecord> and the <nextgroup> link of one datastore (page or dataproxy reply)."""
    root = _xml(xml_text)
    if root is None:
        return [], None, None
    entries: list[Link] = []
    for rec in root.iter("record"):
        fragment = "".join(rec.itertext())
        entries += page_links(f"<div>{fragment}</div>", base_url)
    total = root.findtext(".//totalrecord")
    nxt = root.findtext(".//nextgroup")
    next_url = None
    if nxt:
        m = re.search(r"href=['\"]([^'\"]+)", nxt)
        next_url = urljoin(base_url, m.group(1)) if m else None
    return entries, int(total) if total and total.strip().isdigit() else None, next_url


def hanweb_listing(text: str, page_url: str) -> Optional[Listing]:
    """Hanweb column page: records in <script type="text/xml">, more via dataproxy.jsp POSTs."""
    m = DATASTORE.search(text)
    if not m or "<datastore" not in m.group(1):
        return None
    entries, total, next_url = hanweb_records(m.group(1), page_url)
    perpage = _int(re.search(r"perpage\s*[:=]\s*['\"]?(\d+)", text, re.I))
    total = total or _int(re.search(r"totalRecord\s*[:=]\s*['\"]?(\d+)", text, re.I))
    listing = Listing(entries=entries, family="hanweb", total=total)
    params = hanweb_params(text, next_url)
    if params and total is not None and total > len(entries):
        listing.posts = hanweb_posts(page_url, params, total, len(entries), perpage or 15)
    elif params and total is None and entries:
        # no total anywhere: ask for the next group; each reply that brings new records asks for the one after
        listing.posts = [hanweb_group(page_url, params, len(entries) + 1, perpage or 15)]
        listing.open_ended = True
    return listing


def hanweb_group(page_url: str, params: dict, start: int, perpage: int, group: int = 3) -> tuple[str, dict]:
    """The dataproxy.jsp POST for the group of records from `start` (perpage × group of them).

    >>> hanweb_group("http://x.gov.cn/col/col1/index.html", {"columnid": "1"}, 16, 15)[0]
    'http://x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=60&perpage=15'
    """
    end = start + perpage * group - 1
    url = urljoin(page_url, f"/module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage={perpage}")
    return url, {k: str(v) for k, v in params.items()}


def group_bounds(url: str) -> tuple[int, int, int]:
    """(startrecord, endrecord, perpage) of a dataproxy.jsp URL."""
    q = dict(parse_qsl(urlsplit(url).query))
    return int(q.get("startrecord", 1)), int(q.get("endrecord", 45)), int(q.get("perpage", 15))


def _int(m) -> Optional[int]:
    return int(m.group(1)) if m else None


def hanweb_params(text: str, next_url: Optional[str]) -> dict:
    """Form fields for dataproxy.jsp: from the nextgroup link, else from the jpage/ajax call."""
    params: dict = {}
    if next_url:
        params.update(dict(parse_qsl(urlsplit(next_url).query)))
    for key in ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
                "permissiontype"):
        if key not in params:
            m = re.search(rf"['\"]?{key}['\"]?\s*[:=]\s*['\"]?([^'\",}}&\s]+)", text)
            if m:
                params[key] = m.group(1)
    params.pop("page", None)
    params.setdefault("col", "1")
    params.setdefault("appid", "1")
    params.setdefault("path", "/")
    params.setdefault("sourceContentType", "1")
    params.setdefault("permissiontype", "0")
    return params if "columnid" in params else {}


def hanweb_posts(page_url: str, params: dict, total: int, have: int, perpage: int,
                 group: int = 3, limit: int = 100) -> list[tuple[str, dict]]:
    """dataproxy.jsp?startrecord=…&endrecord=…&perpage=… POSTs covering records have+1 … total."""
    out = []
    size = perpage * group
    start = have + 1
    while start <= total and len(out) < limit:
        end = min(start + size - 1, total)
        url = urljoin(page_url, f"/module/web/jpage/dataproxy.jsp?startrecord={start}&endrecord={end}&perpage={perpage}")
        out.append((url, {k: str(v) for k, v in params.items()}))
        start = end + 1
    return out


# -- JSON list APIs ----------------------------------------------------------
API_PATTERNS = re.compile(r"""['"]((?:https?://[^'"\s]+)?/(?:[\w.-]+/)*(?:fjdzapp/data|gkmlpt/api[\w/]*|irs/front/search|"""
                          r"""[\w/-]*(?:list|data|search|query)[\w-]*\.(?:json|do|jsp|action)|[\w/-]*api/[\w/-]+)"""
                          r"""(?:\?[^'"\s]*)?)['"]""", re.I)


def json_api_urls(text: str, page_url: str) -> list[str]:
    """Endpoints a JavaScript-filled list calls (found in inline scripts)."""
    out = []
    for script in re.findall(r"<script[^>]*>(.*?)</script>", text, re.S | re.I):
        for m in API_PATTERNS.finditer(script):
            url = urljoin(page_url, m.group(1).replace("&amp;", "&"))
            if url not in out:
                out.append(url)
    return out


TITLE_KEYS = ("title", "doctitle", "docTitle", "name", "subject", "bt", "Title")
URL_KEYS = ("url", "docpuburl", "docPubUrl", "link", "href", "pubUrl", "URL", "puburl", "fileurl")
DATE_KEYS = ("pubdate", "pubDate", "date", "time", "docreltime", "publishTime", "fbrq", "publish_time",
             "first_publish_time", "publishDate", "pubtime", "pubTime", "created_at", "releaseTime", "fbsj")


def _date_text(value: Any) -> str:
    """YYYY-MM-DD from a date string or a unix timestamp (seconds or milliseconds)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) or (isinstance(value, str) and value.isdigit()
                                                                          and len(value) in (10, 13)):
        import datetime
        seconds = int(value) / (1000 if int(value) > 10 ** 11 else 1)
        try:
            return datetime.datetime.fromtimestamp(seconds, datetime.timezone(datetime.timedelta(hours=8))).strftime("%Y-%m-%d")
        except (OverflowError, OSError, ValueError):
            return ""
    return str(value)[:10]


def _dict_lists(obj: Any) -> Iterator[list]:
    if isinstance(obj, list):
        if obj and all(isinstance(x, dict) for x in obj):
            yield obj
        for x in obj:
            yield from _dict_lists(x)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _dict_lists(v)


URLISH = re.compile(r"^(https?://|/|\./|\.\./)?[\w.~%/-]*[\w-]\.(s?html?|jsp|php|aspx?|do|pdf|docx?|wps|xlsx?)(\?\S*)?$"
                    r"|^(https?://|/)\S+$", re.I)


def _record_title(rec: dict) -> str:
    found = next((str(rec[k]) for k in TITLE_KEYS if rec.get(k)), "")
    if not found:    # any other *title* key (articleTitle, infoTitle, vc_title, showTitle …)
        found = next((str(v) for k, v in rec.items() if "title" in k.lower() and isinstance(v, str) and v.strip()), "")
    return found


def _record_url(rec: dict) -> str:
    found = next((str(rec[k]) for k in URL_KEYS if rec.get(k)), "")
    if not found:    # any other *url* / *link* / *href* key holding a path (docUrl, detailUrl, linkurl …)
        found = next((v for k, v in rec.items() if re.search(r"url|link|href|path", k, re.I) and isinstance(v, str)
                      and URLISH.match(v.strip())), "")
    return found


def json_entries(obj: Any, base_url: str) -> list[Link]:
    """Entries of a JSON list reply: the records that carry a title and a URL, wherever they sit.

    >>> [(l.url, l.text) for l in json_entries({"rows": [{"infoTitle": "t", "detailUrl": "/a/1.html"}]}, "http://x.gov.cn/")]
    [('http://x.gov.cn/a/1.html', 't')]
    """
    out = []
    for records in _dict_lists(obj):
        for rec in records:
            title = _record_title(rec)
            url = _record_url(rec)
            date = next((_date_text(rec[k]) for k in DATE_KEYS if rec.get(k)), "")
            if title and url:
                out.append(Link(urljoin(base_url, url), re.sub(r"<[^>]+>", "", title).strip(), date[:10]))
    return out


def json_total_pages(obj: Any) -> Optional[int]:
    if not isinstance(obj, dict):
        return None
    for key in ("pagecount", "pageCount", "totalPage", "totalpage", "pages", "totalPages"):
        for scope in (obj, obj.get("data") if isinstance(obj.get("data"), dict) else {}):
            if isinstance(scope.get(key), (int, str)) and str(scope.get(key)).isdigit():
                return int(scope[key])
    total = next((obj.get(k) for k in ("total", "totalcount", "totalCount", "count") if str(obj.get(k, "")).isdigit()), None)
    per = next((obj.get(k) for k in ("prepage", "pageSize", "pagesize", "rows") if str(obj.get(k, "")).isdigit()), None)
    if total is not None and per:
        return -(-int(total) // int(per))
    return None


COUNT_KEYS = ("total", "totalcount", "totalCount", "count", "totalRecord", "totalrecord", "recordCount", "records",
              "totalElements", "totalNum", "total_count", "totalSize")


def json_total_count(obj: Any, depth: int = 0) -> Optional[int]:
    """The number of entries a JSON reply says the list has (total / totalCount …, here or
    one level down: {"data": {"total": 23}}), None when it says none.

    >>> json_total_count({"articles": [], "total": 23}), json_total_count({"data": {"totalCount": "7"}})
    (23, 7)
    """
    if not isinstance(obj, dict) or depth > 2:
        return None
    for key in COUNT_KEYS:
        value = obj.get(key)
        if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value).isdigit():
            return int(value)
    for value in obj.values():
        if isinstance(value, dict):
            found = json_total_count(value, depth + 1)
            if found is not None:
                return found
    return None


def json_page_url(api_url: str, page: int) -> str:
    """The same endpoint asking for `page` (page / pageNo / pageIndex / curpage param)."""
    parts = urlsplit(api_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = [k for k, _ in query]
    pkey = next((k for k in ("page", "pageNo", "pageIndex", "curpage", "pageNum", "p") if k in keys), "page")
    query = [(k, v) for k, v in query if k != pkey] + [(pkey, str(page))]
    return urlunsplit(parts._replace(query=urlencode(query)))


def load_json(body: bytes) -> Any:
    text = body.decode("utf-8", "replace").strip()
    m = re.match(r"^[\w$.]+\((.*)\)\s*;?$", text, re.S)   # JSONP
    if m:
        text = m.group(1)
    try:
        return json.loads(text)
    except ValueError:
        return None


# -- generic "next page" links ----------------------------------------------
NEXT_TEXT = re.compile(r"^(下一?页|下页|后一页|>|>>|›|»|next)$", re.I)


def next_page_links(links: list[Link]) -> list[str]:
    return [l.url for l in links if NEXT_TEXT.match(l.text.replace(" ", ""))]


def numbered_page_links(links: list[Link], list_url: str) -> list[str]:
    """Links 2, 3, 4 … / 尾页 pointing to siblings of the list page (1 is the list itself)."""
    folder = urljoin(list_url, "./")
    return [l.url for l in links if re.fullmatch(r"\d{1,3}|尾页|末页", l.text.replace(" ", ""))
            and l.text.strip() != "1" and l.url.startswith(folder)]
