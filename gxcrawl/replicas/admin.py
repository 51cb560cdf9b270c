"""Changing a replica between crawls (incremental-crawl tests): conditional requests and
an admin API to add or edit a report.

Conditional requests: every GET 200 the farm serves carries an ``ETag`` (a hash of the
bytes) and a ``Last-Modified`` (when the farm first served those bytes at that path); a
request with a matching ``If-None-Match`` / a not-older ``If-Modified-Since`` gets
``304 Not Modified`` without a body. Hosts in ``Farm.no_validators`` (default: the old
瑞金 portal) send no validators, like many old government CMSes — a crawler must fall back
to comparing content hashes there.

Admin (Python, or HTTP on the farm's own address ``http://127.0.0.1:PORT/_admin/…``):

* ``add_report(site, list_path, spec)`` — a new report page, listed at the top of a list page;
* ``edit_report(url, note=…, list_date=…, title_suffix=…)`` — change a report page's text
  (a new paragraph) and, optionally, its entry in the list (date, title), as CMSes do
  when a report is corrected;
* ``remove_report(site, url, keep_page=False)`` — take a report back as portals do: its entry
  leaves every list page, and its page answers 404 (or stays online, unlisted, with
  ``keep_page``);
* ``POST /_admin/add`` (form: site, list_path, agency, year[, published]),
  ``POST /_admin/edit`` (form: url[, note, list_date, title_suffix]) and
  ``POST /_admin/remove`` (form: url[, keep_page]) do the same over HTTP.

>>> from gxcrawl.replicas import Farm
>>> farm = Farm(include_shared=False)
>>> url = add_report(farm.site("sanming"), "/zwgk/zfxxgknb/szf/index.html",
...                  agency="三明市人民政府研究室", year=2024, published="2025-03-30")
>>> url.startswith("http://www.sm.gov.cn/zwgk/zfxxgknb/szf/202503/")
True
>>> "三明市人民政府研究室2024年" in farm.site("sanming").static["/zwgk/zfxxgknb/szf/index.html"].body.decode()
True
"""
from __future__ import annotations

import hashlib
import html as htmlmod
import re
from email.utils import formatdate, parsedate_to_datetime
from typing import Optional
from urllib.parse import urlsplit

from gxcrawl.replicas.content import ReportSpec, render_report
from gxcrawl.replicas.sites import Reply, Site

e = htmlmod.escape


# -- conditional requests ---------------------------------------------------------------
def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def conditional(farm, host: str, path: str, method: str, headers: dict, reply: Reply, now: float) -> Reply:
    """Add validators to a GET 200 reply and answer 304 when the client's copy is current."""
    if method not in ("GET", "HEAD") or reply.status != 200 or host in farm.no_validators \
            or getattr(reply, "stream", None) is not None:
        return reply
    tag = etag_of(reply.body)
    with farm.lock:
        known = farm.modified.get((host, path))
        if known is None or known[0] != tag:
            known = farm.modified[(host, path)] = (tag, int(now))
    last_modified = formatdate(known[1], usegmt=True)
    extra = dict(reply.headers, ETag=tag)
    extra["Last-Modified"] = last_modified
    inm = headers.get("if-none-match")
    ims = headers.get("if-modified-since")
    fresh = False
    if inm is not None:
        fresh = tag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    elif ims:
        try:
            fresh = parsedate_to_datetime(ims).timestamp() >= known[1]
        except (TypeError, ValueError):
            fresh = False
    if fresh:
        with farm.lock:
            farm.not_modified += 1
        return Reply(304, b"", reply.content_type, {"ETag": tag, "Last-Modified": last_modified})
    return Reply(reply.status, reply.body, reply.content_type, extra)


# -- admin ---------------------------------------------------------------------------------
def _decode(reply: Reply) -> tuple[str, str]:
    charset = "gb18030" if re.search(rb"charset=(gb2312|gbk|gb18030)", reply.body[:400] + reply.content_type.encode(),
                                     re.I) else "utf-8"
    return reply.body.decode(charset, "replace"), charset


def _replace(site: Site, path: str, text: str, charset: str, old: Reply) -> None:
    site.static[path] = Reply(old.status, text.encode(charset, "replace"), old.content_type, dict(old.headers))


def add_report(site: Site, list_path: str, agency: str, year: int, published: Optional[str] = None,
               serial: int = 7777) -> str:
    """Publish a new report on `site`: an article page next to the list's other articles,
    listed first on the list page `list_path`. Returns the report URL (also added to the
    site's manifest)."""
    spec = ReportSpec(agency, year, region=site.region, serial=serial, published=published)
    y, m, d = spec.published.split("-")
    folder = list_path.rsplit("/", 1)[0] + "/"
    path = f"{folder}{y}{m}/t{y}{m}{d}_{int(hashlib.md5(spec.title.encode()).hexdigest()[:6], 16)}.html"
    old = site.static[list_path]
    text, charset = _decode(old)
    page = site.page(spec.title, f'<div class="TRS_Editor">{render_report(spec)}</div>',
                     {"ArticleTitle": spec.title, "PubDate": spec.published}, charset=charset)
    site.static[path] = Reply(200, page.encode(charset, "replace"), old.content_type)
    rel = "./" + path[len(folder):]
    item = f'<li><a href="{e(rel)}" target="_blank" title="{e(spec.title)}">{e(spec.title)}</a><span>{spec.published}</span></li>'
    marker = '<ul class="list">'
    if marker not in text:
        raise ValueError(f"{list_path} has no static list to add to")
    _replace(site, list_path, text.replace(marker, marker + item, 1), charset, old)
    site.expect(path, spec)
    return site.url(path)


def edit_report(site: Site, url: str, note: str = "（本报告已更正）", list_date: Optional[str] = None,
                title_suffix: str = "") -> None:
    """Change the report page at `url` (a paragraph `note` added to its text) and, when
    `list_date` / `title_suffix` are given, its entries in the site's static list pages."""
    path = urlsplit(url).path
    old = site.static.get(path)
    if old is None:
        raise KeyError(f"{url}: not a static page of {site.host}")
    text, charset = _decode(old)
    if "</body>" not in text:
        raise ValueError(f"{url}: not an HTML page")
    # inside the report's own text (a note before its first table, a corrected figure)
    anchor = "<table" if "<table" in text else "</body>"
    text = text.replace(anchor, f"<p>{e(note)}</p>{anchor}", 1)
    text = re.sub(r"主动公开政府信息(\d+)条", lambda m: f"主动公开政府信息{int(m.group(1)) + 1}条", text, count=1)
    _replace(site, path, text, charset, old)
    if not (list_date or title_suffix):
        return
    name = path.rsplit("/", 1)[1]
    for lpath, reply in list(site.static.items()):
        if lpath == path or not reply.content_type.startswith("text/html"):
            continue
        ltext, lcharset = _decode(reply)
        if name not in ltext:
            continue
        def fix(m: re.Match) -> str:
            li = m.group(0)
            if name not in li:
                return li
            if list_date:
                li = re.sub(r"<span>[^<]*</span>", f"<span>{list_date}</span>", li, count=1)
            if title_suffix:
                li = re.sub(r'(title="[^"]*)"', lambda t: t.group(1) + e(title_suffix) + '"', li, count=1)
                li = re.sub(r">([^<]+)</a>", lambda t: ">" + t.group(1) + e(title_suffix) + "</a>", li, count=1)
            return li
        new = re.sub(r"<li>.*?</li>", fix, ltext, flags=re.S)
        if new != ltext:
            _replace(site, lpath, new, lcharset, reply)


def remove_report(site: Site, url: str, keep_page: bool = False) -> int:
    """Take the report at `url` off `site`: its entries leave the static list pages (the
    lists stay), and its page is deleted unless `keep_page`. Returns the entries removed."""
    path = urlsplit(url).path
    if path not in site.static:
        raise KeyError(f"{url}: not a static page of {site.host}")
    name = path.rsplit("/", 1)[1]
    removed = 0
    for lpath, reply in list(site.static.items()):
        if lpath == path or not reply.content_type.startswith("text/html"):
            continue
        text, charset = _decode(reply)
        if name not in text:
            continue
        new, n = re.subn(r"<li>(?:(?!</li>).)*" + re.escape(name) + r".*?</li>", "", text, flags=re.S)
        if n:
            removed += n
            _replace(site, lpath, new, charset, reply)
    if not keep_page:
        del site.static[path]
    return removed


def admin(farm, method: str, path: str, form: dict) -> Reply:
    """The farm's HTTP admin endpoint (127.0.0.1 only, like the farm itself)."""
    try:
        if method == "POST" and path == "/_admin/add":
            url = add_report(farm.site(form["site"]), form["list_path"], form["agency"], int(form["year"]),
                             published=form.get("published") or None)
            return Reply(200, url.encode(), "text/plain; charset=utf-8")
        if method == "POST" and path == "/_admin/edit":
            host = urlsplit(form["url"]).hostname
            edit_report(farm.by_host[host], form["url"], note=form.get("note") or "（本报告已更正）",
                        list_date=form.get("list_date") or None, title_suffix=form.get("title_suffix", ""))
            return Reply(200, b"ok", "text/plain; charset=utf-8")
        if method == "POST" and path == "/_admin/remove":
            host = urlsplit(form["url"]).hostname
            n = remove_report(farm.by_host[host], form["url"], keep_page=form.get("keep_page") in ("1", "true"))
            return Reply(200, str(n).encode(), "text/plain; charset=utf-8")
    except (KeyError, ValueError, StopIteration) as exc:
        return Reply(400, f"bad admin request: {exc!r}".encode(), "text/plain; charset=utf-8")
    return Reply(404, b"admin: POST /_admin/add, /_admin/edit or /_admin/remove", "text/plain; charset=utf-8")
