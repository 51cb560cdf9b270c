"""Does a portal's home page identify the government it is meant to be? The check the
spider records in the archive's `portals` table (gxcrawl.archive.portal_checks).

A registry root is a hint: the site must call itself that government (SiteName or title:
三明市人民政府, 桐乡市政府门户网站). A site seeded by URL has no name to match: the check
says which government its name designates, if any. A site calling itself by a gambling
brand is a mirror.

>>> from gxcrawl.crawl.targets import city_portal, portal_for_url
>>> portal_check({"site_name": "桐乡市人民政府", "title": "首页"}, city_portal("桐乡"))["status"]
'identified'
>>> c = portal_check({"site_name": "", "title": "黄石市人民政府门户网站"}, city_portal("大冶市"))
>>> c["status"], c["identified_as"]
('names_other', '420200 黄石市')
>>> portal_check({"site_name": "", "title": "三明市人民政府"}, portal_for_url("http://10.1.2.3:8080/"))["identified_as"]
'350400 三明市'
"""
from __future__ import annotations

import re
from typing import Optional

from gxcrawl.crawl.discovery.pages import identity_matches
from gxcrawl.crawl.targets import Portal
from gxcrawl.regions import load_registry

#: words after a place name that make the name a government's (not a company's, a newspaper's)
GOVERNMENT_WORDS = re.compile(r"人民政府|政府|门户|政务")


def self_name(identity: dict) -> str:
    """What the site calls itself: its SiteName, else its title."""
    return (identity.get("site_name") or identity.get("title") or "").strip()


def named_region(name: str) -> Optional[str]:
    """'code name' of the most specific region a government's name designates, else None.

    >>> named_region("福州市晋安区人民政府"), named_region("日照市科技信息网")
    ('350111 晋安区', None)
    """
    if not GOVERNMENT_WORDS.search(name):
        return None
    found = load_registry().find_in_text(name)
    return f"{found[0].code} {found[0].name}" if found else None


def portal_check(identity: dict, portal: Portal, url: Optional[str] = None) -> dict:
    """{status, site_name, identified_as, detail, checked_url} for a home page's identity
    (gxcrawl.crawl.discovery.pages.site_identity)."""
    from gxcrawl.parse.spam import spam_phrases_in_name
    name = self_name(identity)
    both = " | ".join(x for x in (identity.get("site_name"), identity.get("title")) if x)
    out = {"site_name": name or None, "checked_url": url, "identified_as": None}
    brand = spam_phrases_in_name("\n".join(x for x in (identity.get("site_name"), identity.get("title")) if x))
    if brand:
        return {**out, "status": "brand", "detail": f"calls itself by a gambling brand: {brand[0]}"}
    if not name:
        return {**out, "status": "unnamed", "detail": "no SiteName, no title"}
    region = named_region(both)
    if portal.names and identity_matches(identity, list(portal.names)):
        return {**out, "status": "identified", "identified_as": f"{portal.code} {portal.name}" if portal.code else region,
                "detail": f"names {portal.name}: {both}"}
    if not portal.names and region:
        return {**out, "status": "identified", "identified_as": region, "detail": f"names {region.split()[1]}: {both}"}
    expected = f" (expected {portal.name})" if portal.names else ""
    return {**out, "status": "names_other", "identified_as": region, "detail": f"calls itself {both}{expected}"}
