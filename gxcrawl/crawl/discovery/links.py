"""Is this link a report, an attachment, a look-alike, the report column, the disclosure area?

Pure functions on (link text, URL). No Scrapy.

>>> is_report_title("三明市财政局2021年政府信息公开工作年度报告")
True
>>> is_report_title("三明市人民政府网站2021年工作年度报表")
False
>>> is_report_title("图解：三明市2022年政府信息公开工作年度报告")
False
>>> year_from_title("永嘉县2019年度政府信息公开工作报告")
2019
>>> column_score("政府信息公开年报", "http://www.sm.gov.cn/zwgk/zfxxgknb/") > 0
True
>>> column_score("政府网站工作年度报表", "http://www.sm.gov.cn/zwgk/wzndbb/")
0
>>> attachment_kind("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=a.pdf")
'pdf'
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

REPORT_WORDS = re.compile(r"(政府|政务)?信息公开(工作)?(年度)?(报告|年报)|公开工作年度报告|信息公开年度报告"
                          r"|政务公开工作年度报告|年度信息公开报告")
#: look-alike reports and companions that are not the report itself
LOOKALIKE = re.compile(r"网站.{0,6}(年度)?报表|网站工作年度报告|年度报表|公积金|法治政府|法治建设|政府工作报告"
                       r"|图解|解读|一图读懂|图文|H5|预算|决算|审计(?!局|厅|署)|统计公报|国民经济|工作要点|考核|通知|指南|目录|制度")
LOOKALIKE_SLUGS = re.compile(r"/(wzndbb|zfgzbg|gjj|fzzf|fzzfjs|tj|jd|zcjd|tjgb|ysjs)(/|_|\d|$)", re.I)
COLUMN_SLUGS = re.compile(r"/(xxgknb|gknb|zfxxgknb|zfxxgkndbg|xxgkndbg|xxgk-xxgknb|ndbg|nb|gknb\d{4}|\d{4}nb|nb_\d{4}n)"
                          r"(_\d+)?(/((index|default|list)(_\d+)?\.\w+)?|\.s?html?)?$", re.I)   # the column itself
COLUMN_TEXT = re.compile(r"(政府|政务)?信息公开(工作)?(年报|年度报告)|^年报$|^年度报告$|公开年报|(部门|乡镇|街道|区县|县区|县（市、区）|市直)"
                         r".{0,4}年报|^\d{4}年(度)?$")
AREA_TEXT = re.compile(r"政府信息公开|政务公开|信息公开|法定主动公开|公开目录|主动公开")
AREA_SLUGS = re.compile(r"/(zwgk|xxgk|zfxxgk|gk|govinfo|zdgk|xxgkml|gkml)(/|_|\.s?html?|$)", re.I)
ATTACHMENT_EXT = {"pdf": "pdf", "doc": "doc", "docx": "docx", "xls": "xls", "xlsx": "xlsx", "wps": "wps",
                  "et": "xls", "zip": "zip", "rar": "zip", "ofd": "ofd"}
IMAGE_EXT = {"jpg", "jpeg", "png", "gif", "bmp", "webp"}
YEAR = re.compile(r"(20[0-4]\d|19[89]\d)\s*年")
YEAR_ANY = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")


def normalize(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def year_from_title(title: str | None) -> int | None:
    """The report year printed in a title (年度 first, then any 20xx年)."""
    t = normalize(title)
    m = re.search(r"(20[0-4]\d)\s*年?度", t) or YEAR.search(t) or YEAR_ANY.search(t)
    return int(m.group(1)) if m else None


def is_lookalike(text: str | None, url: str = "") -> bool:
    t = normalize(text)
    if LOOKALIKE.search(t):
        return True
    return bool(url and LOOKALIKE_SLUGS.search(urlsplit(url).path))


def is_report_title(text: str | None) -> bool:
    """A list entry whose title names an annual information-disclosure report."""
    t = normalize(text)
    if not t or is_lookalike(t):
        return False
    return bool(REPORT_WORDS.search(t) or re.search(r"年度?报告$", t) and "公开" in t)


def column_score(text: str | None, url: str) -> int:
    """How strongly a link looks like the annual-report column (0 = not at all)."""
    t = normalize(text)
    path = urlsplit(url).path
    if is_lookalike(t, url):
        return 0
    if (re.search(r"\d{4}年", t) and len(t) > 12) or looks_like_article(url):
        return 0   # an article, not a column
    score = 0
    if re.search(r"(政府|政务)?信息公开(工作)?(年报|年度报告)", t):
        score += 10
    elif COLUMN_TEXT.search(t):
        score += 6
    if COLUMN_SLUGS.search(path):
        score += 5
    return score


def area_score(text: str | None, url: str) -> int:
    """How strongly a link looks like the disclosure area (政府信息公开 / 政务公开)."""
    t = normalize(text)
    if is_lookalike(t, url) or len(t) > 14:
        return 0
    score = 0
    if re.fullmatch(r"(政府|政务)?信息公开(专栏|平台|目录)?|政务公开|法定主动公开内容|信息公开目录", t):
        score += 6
    elif AREA_TEXT.search(t):
        score += 3
    if AREA_SLUGS.search(urlsplit(url).path):
        score += 2
    return score


def url_extension(url: str) -> str:
    parts = urlsplit(url)
    candidates = [parts.path]
    for key, values in parse_qs(parts.query).items():
        if key.lower() in ("filename", "file", "name", "fileurl", "path"):
            candidates += values
    for c in candidates:
        m = re.search(r"\.([A-Za-z0-9]{2,5})$", unquote(c).strip())
        if m:
            ext = m.group(1).lower()
            if ext in ATTACHMENT_EXT or ext in IMAGE_EXT:
                return ext
    return ""


def attachment_kind(url: str, text: str = "") -> str | None:
    """pdf/doc/docx/xls/wps… when the link is a downloadable document, else None."""
    ext = url_extension(url)
    if ext in ATTACHMENT_EXT:
        return ATTACHMENT_EXT[ext]
    m = re.search(r"\.(pdf|docx?|xlsx?|wps)\s*$", normalize(text), re.I)
    if m:
        return ATTACHMENT_EXT[m.group(1).lower()]
    if "downfile" in url.lower() or "download" in urlsplit(url).path.lower():
        return "unknown"
    return None


def is_image_url(url: str) -> bool:
    return url_extension(url) in IMAGE_EXT


ARTICLE_URL = re.compile(r"/t\d{8}_\d+\.s?html?$|/art_\d+_\d+\.html$|/content/post_\d+|/\d{6}/[0-9a-f]{16,}\.s?html?$"
                         r"|/info/\d+/\d+\.htm|/\d{4}/\d{4}/\d+\.html?$|/\d{6}/t\d+", re.I)


def looks_like_article(url: str) -> bool:
    return bool(ARTICLE_URL.search(urlsplit(url).path))


def same_site(url: str, hosts: set[str] | frozenset[str]) -> bool:
    """On one of the portal's own hosts: the host rule of gxcrawl.crawl.scope (the exact host,
    or a subdomain of its registrable domain; look-alikes such as www.sm.gov.cn.evil.com are not)."""
    from gxcrawl.crawl.scope import is_on_portal     # the one rule the downloader enforces too
    return is_on_portal(url, hosts)


def site_base(host: str) -> str | None:
    """www.sm.gov.cn → sm.gov.cn (only for gov.cn hosts; others are matched exactly)."""
    host = host.lower()
    m = re.search(r"([a-z0-9-]+\.gov\.cn)$", host)
    return m.group(1) if m else None
