"""What a fetched page is: site identity, shell pages whose report is an attachment, images.

>>> ident = site_identity('<meta name="SiteName" content="三明市人民政府"><title>首页</title>')
>>> ident["site_name"]
'三明市人民政府'
>>> identity_matches(ident, ["三明市", "三明"])
True
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

from gxcrawl.crawl.discovery.links import attachment_kind, is_image_url, normalize
from gxcrawl.crawl.discovery.lists import Link, page_links, parse_html, strip_comments

META_KEYS = {"sitename": "site_name", "sitedomain": "site_domain", "siteidcode": "site_id",
             "columnname": "column_name", "articletitle": "article_title", "generator": "generator",
             "pubdate": "pub_date"}
CONTENT_XPATHS = ["//div[contains(@class,'TRS_Editor')]", "//div[contains(@class,'TRS_UEDITOR')]",
                  "//div[@id='zoom']", "//div[@id='UCAP-CONTENT']", "//div[contains(@class,'article-content')]",
                  "//div[@id='content']", "//div[contains(@class,'content')]", "//article", "//td[@id='zoom']"]


def site_identity(text: str) -> dict:
    """SiteName / SiteDomain / SiteIDCode / ColumnName / Generator metas and the <title>."""
    tree = parse_html(text)
    out = {v: "" for v in META_KEYS.values()}
    for meta in tree.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name in META_KEYS:
            out[META_KEYS[name]] = (meta.get("content") or "").strip()
    out["title"] = " ".join((tree.findtext(".//title") or "").split())
    return out


def identity_matches(identity: dict, names: list[str]) -> bool:
    """Does the site call itself one of `names` (a government, not a company or a mirror)?"""
    hay = normalize(identity.get("site_name", "") + "|" + identity.get("title", ""))
    for name in names:
        if len(name) >= 2 and re.search(re.escape(name) + r"(人民政府|政府|门户|$|\|)", hay):
            return True
    return False


def main_content(text: str, tree=None):
    tree = parse_html(text) if tree is None else tree
    for xp in CONTENT_XPATHS:
        found = tree.xpath(xp)
        if found:
            return max(found, key=lambda el: len(el.text_content() or ""))
    body = tree.find("body")
    return body if body is not None else tree


def attachments(text: str, base_url: str, tree=None) -> list[Link]:
    """Document attachments linked from the page's main content (PDF/DOC/DOCX/XLS/WPS)."""
    tree = parse_html(text) if tree is None else tree
    content = main_content(text, tree)
    found = [l for l in page_links("", base_url, tree=content) if attachment_kind(l.url, l.text)
             and not is_image_url(l.url)]
    if not found:   # some templates put 附件 outside the content div
        found = [l for l in page_links("", base_url, tree=tree)
                 if attachment_kind(l.url, l.text) not in (None, "unknown") and not is_image_url(l.url)]
    return found


def content_images(text: str, base_url: str, tree=None) -> list[str]:
    tree = parse_html(text) if tree is None else tree
    content = main_content(text, tree)
    return [urljoin(base_url, src) for src in content.xpath(".//img/@src") if src.strip()]


def content_text_length(text: str, tree=None) -> int:
    content = main_content(text, tree)
    return len(normalize(content.text_content()))


def is_shell(text: str, base_url: str) -> bool:
    """The report page only points at its report (attachment or images): little text, no table."""
    tree = parse_html(text)
    content = main_content(text, tree)
    if content.xpath(".//table[.//td]") and len(content.xpath(".//td")) > 20:
        return False
    own_text = normalize(content.text_content())
    return len(own_text) < 600 and bool(attachments(text, base_url, tree) or content_images(text, base_url, tree))


def meta_refresh(text: str, base_url: str) -> str | None:
    text = strip_comments(text[:20000])     # a commented-out refresh redirects nobody
    m = re.search(r"<meta[^>]+http-equiv=['\"]?refresh['\"]?[^>]+content=['\"]?\d+\s*;\s*url=([^'\">]+)", text, re.I)
    return urljoin(base_url, m.group(1).strip()) if m else None


def is_deleted_notice(text: str) -> bool:
    return bool(re.search(r"内容已删除|信息已删除|该信息已被删除|页面不存在|您访问的页面不存在", text[:5000]))
