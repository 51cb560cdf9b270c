"""One decision per fetched page: what to follow next. Pure: (url, text, role) → Plan.

Roles: ``root`` (portal home), ``area`` (disclosure area), ``column`` (a report column
or one of its list pages / sub-lists), ``article`` is handled by the spider directly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional
from urllib.parse import parse_qsl, urljoin, urlsplit

from gxcrawl.crawl.discovery.links import (area_score, attachment_kind, column_score, is_lookalike, is_report_title,
                    looks_like_article, normalize, year_from_title)
from gxcrawl.crawl.discovery.lists import (Link, Listing, createpage, hanweb_listing, json_api_urls, next_page_links,
                    numbered_page_links, page_links, parse_html, strip_comments, trs_page_urls,
                    writeln_entries)

MAX_COLUMN_LINKS = 12
#: a sub-list that yields no report entry, and whose sub-lists yield none either, is abandoned:
#: its own sub-lists are not requested (a tree of entry-less lists costs f + f² requests, not fᴺ)
BARREN_LEVELS = 2


def barren_level(parent: int, depth: int, yields: bool) -> int:
    """How many sub-list levels down to this list yielded no report entry (the column itself,
    depth 0, is not counted: a column page may be only the tabs of its sub-lists).

    >>> barren_level(0, 0, False), barren_level(0, 1, False), barren_level(1, 2, False), barren_level(1, 2, True)
    (0, 1, 2, 0)
    """
    if yields or depth == 0:
        return 0
    return parent + 1


@dataclass
class Plan:
    columns: list[Link] = field(default_factory=list)    # report columns to read as lists
    areas: list[Link] = field(default_factory=list)      # disclosure areas to look into
    reports: list[Link] = field(default_factory=list)    # report pages (or attachments) to fetch
    skipped: list[Link] = field(default_factory=list)    # look-alikes, 图解/解读, other years
    listing: Listing = field(default_factory=Listing)
    directories: list[Link] = field(default_factory=list)   # disclosure directories of a platform (gkmlpt)
    off_portal: list[Link] = field(default_factory=list)    # report entries off the portal's hosts: not fetched


#: a disclosure directory of Guangdong's 政府信息公开目录 platform: the government's own
#: (/gkmlpt/index) or a department's (/{dept}/gkmlpt/index), each its own Vue shell and tree
GKMLPT_DIR = re.compile(r"^(/[\w.-]+)*/gkmlpt/(index(\.html?)?)?$")


def directory_links(links: list[Link], hosts_ok) -> list[Link]:
    """Links to the disclosure directories of a platform the crawler knows (gkmlpt), in order.

    >>> [l.url for l in directory_links([Link("http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index#1203", "财政局"),
    ...                                  Link("http://www.zhanjiang.gov.cn/gkmlpt/content/1/1/post_1.html", "x")],
    ...                                 lambda u: True)]
    ['http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index']
    """
    out, seen = [], set()
    for l in links:
        parts = urlsplit(l.url)
        if hosts_ok(l.url) and GKMLPT_DIR.match(parts.path):
            url = l.url.split("#")[0]
            if url not in seen:
                seen.add(url)
                out.append(Link(url, l.text, l.date))
    return out


def in_years(link: Link, years: Optional[Iterable[int]]) -> bool:
    if not years:
        return True
    y = year_from_title(link.text)
    return y is None or y in set(years)


def is_report_entry(link: Link, in_column: bool) -> bool:
    """A list entry worth fetching as a report."""
    if is_lookalike(link.text, link.url):
        return False
    if is_report_title(link.text):
        return True
    if not in_column:
        return False
    t = normalize(link.text)
    article = looks_like_article(link.url)
    document = attachment_kind(link.url, link.text) is not None
    if ("报告" in t or "年报" in t) and (article or document or (
            re.search(r"\.s?html?$|\.jsp|\?id=", link.url) and not _is_list_like(link))):
        return True
    # inside a report column a dated article / document is worth one request
    return bool(year_from_title(t) and (article or document))


def column_links(links: list[Link], hosts_ok, min_score: int = 5) -> list[Link]:
    scored = [(column_score(l.text, l.url), l) for l in links if hosts_ok(l.url)]
    scored = [(s, l) for s, l in scored if s >= min_score and not looks_like_article(l.url)
              and attachment_kind(l.url) is None]
    scored.sort(key=lambda p: -p[0])
    return [l for _, l in scored[:MAX_COLUMN_LINKS]]


def area_links(links: list[Link], hosts_ok) -> list[Link]:
    scored = [(area_score(l.text, l.url), l) for l in links if hosts_ok(l.url)]
    scored = [(s, l) for s, l in scored if s >= 3 and not looks_like_article(l.url)]
    scored.sort(key=lambda p: -p[0])
    return [l for _, l in scored[:6]]


def list_of_page(url: str, text: str, links: list[Link]) -> Listing:
    """The listing of a column page in whichever family it is written."""
    hanweb = hanweb_listing(text, url)
    if hanweb is not None:
        return hanweb
    listing = Listing(entries=list(links), family="html")
    written = writeln_entries(text, url)
    if written:
        listing.entries += written
        listing.family = "trs-writeln"
    cp = createpage(text)
    if cp:
        count, current, prefix, ext = cp
        listing.family = "trs" if listing.family == "html" else listing.family
        if current == 0:   # only the first page announces the others
            listing.pages = trs_page_urls(url if not url.endswith("/") else url + f"{prefix}.{ext}", count, prefix, ext)
    else:
        listing.pages = next_page_links(links) + numbered_page_links(links, url)
    api = json_api_urls(text, url)
    if api:
        listing.api = api
        listing.family = "json" if not links or listing.family == "html" else listing.family
    return listing


def plan_page(url: str, text: str, role: str, hosts_ok, years: Optional[Iterable[int]] = None,
              column_url: Optional[str] = None) -> Plan:
    """Decide what a root / area / column page leads to.

    `hosts_ok(url)` says whether a URL is on the portal's own hosts; `column_url` is the
    column this list page belongs to (sub-lists must sit below it or name a report column).
    HTML comments are dropped first: a commented-out link, datastore or pagination call is no
    part of the list, whichever family reads it."""
    text = strip_comments(text)
    tree = parse_html(text)
    links = page_links(text, url, tree=tree)
    plan = Plan()
    if role in ("root", "area"):
        plan.columns = column_links(links, hosts_ok)
        plan.directories = directory_links(links, hosts_ok)
        if not plan.columns:
            plan.areas = [l for l in area_links(links, hosts_ok) if l.url not in {d.url for d in plan.directories}]
        # a home page may also link reports directly (news boxes)
        for l in links:
            if hosts_ok(l.url) and is_report_title(l.text) and in_years(l, years):
                plan.reports.append(l)
        return plan
    listing = list_of_page(url, text, links)
    plan.listing = listing
    column_folder = urljoin(column_url or url, "./")
    seen = set()
    for entry in listing.entries:
        if entry.url in seen:
            continue
        if not hosts_ok(entry.url):
            if is_report_entry(entry, in_column=True) and entry.url.startswith(("http://", "https://")):
                seen.add(entry.url)
                plan.off_portal.append(entry)      # a look-alike host's "report": recorded, never fetched
            continue
        if is_report_entry(entry, in_column=True):
            seen.add(entry.url)
            (plan.reports if in_years(entry, years) else plan.skipped).append(entry)
        elif is_lookalike(entry.text, entry.url) and (looks_like_article(entry.url) or attachment_kind(entry.url)):
            seen.add(entry.url)
            plan.skipped.append(entry)
    # sub-lists: department / township / per-year lists below the column, or named report columns
    for l in links:
        if l.url in seen or not hosts_ok(l.url) or looks_like_article(l.url) or attachment_kind(l.url):
            continue
        if l.url in listing.pages or is_lookalike(l.text, l.url):
            continue
        below = l.url.startswith(column_folder) and l.url.rstrip("/") != column_folder.rstrip("/")
        named = column_score(l.text, l.url) >= 5
        if (below and not re.search(r"[?&](page|p|pageNo|curpage)=", l.url) and _is_list_like(l)) or named:
            year = year_from_title(l.text)
            if years and year and year not in set(years) and re.fullmatch(r"\d{4}年?度?", normalize(l.text)):
                continue
            plan.columns.append(l)
    named = {l.url for l in plan.columns}
    for l in sibling_links(links, url, hosts_ok):
        if l.url not in named and l.url not in seen and l.url not in listing.pages:
            plan.columns.append(l)
    return plan


#: a tab beside a report list: 本级 / 部门 / 乡镇 (街道) / 县直单位 … (and the same with 年报 after it)
TAB_TEXT = re.compile(r"^(本级|本机关|(县|市|区|旗|州)(政府|本级)|(县|市|区|旗|州)?(级|直|属)?(部门|单位|机关)|乡镇|街道|镇街|乡镇街道"
                      r"|(乡镇|镇|乡)[（(]街道[)）]|街道[（(]乡镇[)）]|(县|市|区)(区|市|县)|区县|县区|县[（(]市、区[)）]|开发区|园区"
                      r"|(县|市|区)?(直属|级)?(部门|单位)[（(][^)）]{1,6}[)）]|其他)(年报|年度报告|政府信息公开年报)?$")
#: a department's or a town's own list beside the one found: its name is a body's
BODY_TEXT = re.compile(r"^[一-龥（）()]{2,20}(局|委|委员会|办|办公室|镇|乡|街道|街道办事处|政府|管委会|管理委员会)$")


def url_shape(url: str) -> str:
    """The URL with its numbers blanked and its query reduced to its keys: lists of one CMS
    side by side share it (/col/col#/index.html, index.php?a&c&catid&m).

    >>> url_shape("http://x.gov.cn/col/col1229137262/index.html") == url_shape("http://x.gov.cn/col/col12/index.html")
    True
    >>> url_shape("http://x.gov.cn/index.php?m=content&c=index&a=lists&catid=16")
    'x.gov.cn/index.php?a&c&catid&m'
    """
    parts = urlsplit(url)
    path = re.sub(r"\d+", "#", parts.path)
    keys = "&".join(sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if k not in ("page", "p")}))
    return f"{parts.hostname}{path}" + (f"?{keys}" if keys else "")


def sibling_links(links: list[Link], list_url: str, hosts_ok) -> list[Link]:
    """Lists beside this report list: tabs (本级 / 部门 / 乡镇) and departments' or towns' own
    lists, in the same URL shape as the list (the same CMS's column URLs)."""
    shape = url_shape(list_url)
    out = []
    for l in links:
        if l.url == list_url or not hosts_ok(l.url) or url_shape(l.url) != shape or is_lookalike(l.text, l.url):
            continue
        t = normalize(l.text)
        if TAB_TEXT.match(t) or BODY_TEXT.match(t):
            out.append(l)
    return out


def _is_list_like(link: Link) -> bool:
    path = urlsplit(link.url).path
    return path.endswith("/") or bool(re.search(r"/(index|list|default)(_\d+)?\.(s?html?|jsp)$", path))
