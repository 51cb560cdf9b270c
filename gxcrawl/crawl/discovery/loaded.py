"""Reading what a list page loads, the parts the spider keeps between responses: the page
waiting for its script files, the total a page says it has, the entries of an endpoint's
reply whatever it is (JSON, an HTML fragment, a Hanweb datastore). Pure; no Scrapy.

>>> declared_total("<div class='page'>共 48 条记录 1/4页</div>")
48
>>> [l.text for l in reply_entries(None, "<li><a href='/a/1.html'>桐庐县2023年政府信息公开工作年度报告</a></li>",
...                                  "http://x.gov.cn/api/list", "http://x.gov.cn/col/")]
['桐庐县2023年政府信息公开工作年度报告']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from gxcrawl.crawl.discovery.lists import Link, hanweb_records, json_entries, page_links
from gxcrawl.crawl.discovery.scripts import PAGE, PAGE_NAMES, PageContext

#: run in the rendered page: the URLs it fetched by XHR / fetch() (its list endpoints among them)
CALLED_JS = ("() => performance.getEntriesByType('resource').filter(e => e.initiatorType === 'xmlhttprequest'"
             " || e.initiatorType === 'fetch').map(e => e.name)")
STATIC = re.compile(r"\.(js|css|png|jpe?g|gif|svg|ico|woff2?|ttf|map)(\?|$)", re.I)

TOTAL_TEXT = re.compile(r"共\s*(\d{1,6})\s*(条|篇|项)")


@dataclass
class LoadState:
    """A list page read through what it loads: its context grows as its script files arrive."""
    page: str                                   # the list page (the Referer of its endpoints)
    column: str                                 # the report column it belongs to
    portal: str                                 # the portal key
    ctx: PageContext = field(default_factory=PageContext)
    queue: list = field(default_factory=list)   # script files still to read, most likely first
    scripted: bool = False                      # the page runs any script at all (else nothing to render)
    depth: int = 0                              # 1 once reading the files a loader names


def declared_total(text: str) -> Optional[int]:
    """The number of entries a list page says it has (共48条), None when it says none."""
    m = TOTAL_TEXT.search(re.sub(r"<[^>]+>", " ", text or "")[-20000:])
    return int(m.group(1)) if m else None


def reply_entries(data: Any, body: bytes | str, url: str, list_page: str) -> list[Link]:
    """The entries of an endpoint's reply: JSON records with a title and a URL; else the
    records of a Hanweb datastore; else the links of an HTML fragment."""
    if data is not None:
        return json_entries(data, list_page)
    text = body.decode("utf-8", "replace") if isinstance(body, (bytes, bytearray)) else str(body or "")
    if "<datastore" in text or "<recordset" in text:
        return hanweb_records(text, url)[0]
    if "<a" in text:
        return page_links(text, url)
    return []


def called_endpoints(urls: list, hosts_ok) -> list[str]:
    """The data requests a rendered page made (XHR / fetch), on the portal's own hosts, each as a
    pattern with PAGE where its page parameter stands (so replies can be paged on).

    >>> called_endpoints(["http://x.gov.cn/api/list?cid=3&pageNo=1", "http://x.gov.cn/a.css", "http://y.com/t"],
    ...                  lambda u: "x.gov.cn" in u)
    ['http://x.gov.cn/api/list?cid=3&pageNo=__PAGE__']
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
    out: list[str] = []
    for url in urls or []:
        if not isinstance(url, str) or not hosts_ok(url) or STATIC.search(urlsplit(url).path):
            continue
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        if any(PAGE_NAMES.match(k) for k, _ in query):
            pairs = "&".join(f"{k}={PAGE}" if PAGE_NAMES.match(k) else urlencode([(k, v)]) for k, v in query)
            url = urlunsplit(parts._replace(query=pairs))
        if url not in out:
            out.append(url)
    return out
