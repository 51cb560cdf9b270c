"""Provenance: is the page on the government's own host, and which host is that?

Official: a ``gov.cn`` host, or the host the page names for itself (``<meta name=SiteDomain>``).
The government's host is inferred, in order, from: the page host when official; SiteDomain;
gov.cn hosts and e-mail domains named in the text (``zwgkb@gz.gov.cn`` → ``www.gz.gov.cn``);
the inferred region through the portal registry (gxcrawl/portals.py + data/portals.tsv when
that module exists), the hand-kept table data/spam_known_hosts.tsv, and last the naming
convention ``www.<pinyin>.gov.cn`` (low confidence).

A mirror rewrites the portal's domain in the text to its own
(``广州市政府门户网站(www.moonvisionstudio.com)``): :func:`domain_rewrites` finds those.

>>> host_of("http://WWW.Wenzhou.gov.cn:8080/art/1.html")
'www.wenzhou.gov.cn'
>>> is_gov_host("tyj.sc.gov.cn"), is_gov_host("www.gzdypg.com")
(True, False)
>>> registrable("m.c3e5.com"), registrable("dlrk.jining.gov.cn")
('c3e5.com', 'jining.gov.cn')
"""
from __future__ import annotations

import collections
import csv
import re
from functools import lru_cache
from urllib.parse import urlsplit

from gxcrawl.data import DATA
TLDS = ("com|cn|net|org|tw|hk|cc|top|xyz|info|vip|club|site|online|io|me|co|biz|wang|ltd|shop|"
        "pro|app|live|fun|store|tech|win|bet|asia|mobi|name|tv|ws|la|in|us|uk")
HOST_RE = re.compile(r"(?<![a-z0-9@._-])(?:https?://)?((?:[a-z0-9-]+\.)+(?:" + TLDS + r"))(?![a-z0-9-])")
EMAIL_RE = re.compile(r"([a-z0-9._-]+)@((?:[a-z0-9-]+\.)+(?:" + TLDS + r"))(?![a-z0-9-])")
ASCII_TOKEN = re.compile(r"[a-z0-9][a-z0-9._@:/%?=&-]{3,}")
PORTAL_CONTEXT = re.compile(r"(门户网站|政府网站|政府网|门户网|政务网)[^\n。]{0,6}$")
SECOND_LEVEL = {"gov", "com", "net", "org", "edu", "ac"}


def host_of(url: str | None) -> str | None:
    """Lower-case host of `url` without port (None for None / no host)."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "http://" + url).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def is_gov_host(host: str | None) -> bool:
    return bool(host) and (host == "gov.cn" or host.endswith(".gov.cn"))


def registrable(host: str) -> str:
    """The registrable domain: x.gov.cn, a.com.cn, c3e5.com."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def www(host: str) -> str:
    """Portal form of a domain: gz.gov.cn → www.gz.gov.cn (hosts with a subdomain kept).

    >>> www("gz.gov.cn"), www("tyj.sc.gov.cn")
    ('www.gz.gov.cn', 'tyj.sc.gov.cn')
    """
    return "www." + host if registrable(host) == host else host


def meta_host(meta: dict | None) -> str | None:
    """The host a page names for itself in <meta name=SiteDomain>."""
    if not meta:
        return None
    for key, value in meta.items():
        if key.lower() in ("sitedomain", "site_domain", "domain") and value:
            return host_of(value.strip())
    return None


def is_official(host: str | None, meta: dict | None = None) -> bool:
    """gov.cn hosts, and the host the page's SiteDomain names (when it is gov.cn)."""
    if not host:
        return False
    if is_gov_host(host):
        return True
    named = meta_host(meta)
    return bool(named) and is_gov_host(named) and registrable(named) == registrable(host)


def is_seeded(host: str | None, official_hosts) -> bool:
    """Is `host` one of the hosts a crawl knows as the government's own (seeded by the user
    or named by the registry), whatever its domain?

    >>> is_seeded("10.1.2.3", {"10.1.2.3", "www.sm.gov.cn"}), is_seeded("www.gzdypg.com", None)
    (True, False)
    """
    return bool(host) and bool(official_hosts) and host in {h.lower() for h in official_hosts if h}


@lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, token) of the ASCII runs that may hold a host or an e-mail address (kept
    for the last few texts: several steps of one analysis ask for them)."""
    return tuple((m.start(), m.group()) for m in ASCII_TOKEN.finditer(text) if "." in m.group())


def _hosts(text: str):
    """(start, host) of each host name in `text` (scanning only its ASCII runs)."""
    for offset, token in _tokens(text):
        for m in HOST_RE.finditer(token):
            yield offset + m.start(), m.group(1)


def _emails(text: str):
    for offset, token in _tokens(text):
        for m in EMAIL_RE.finditer(token):
            yield m.group(1), m.group(2)


def gov_hosts_in_text(text: str) -> collections.Counter:
    """gov.cn portal hosts named in normalised text, from URLs and e-mail domains.

    >>> gov_hosts_in_text("电子邮箱:zwgkb@gz.gov.cn,网址 www.gz.gov.cn")
    Counter({'www.gz.gov.cn': 2})
    """
    found: collections.Counter = collections.Counter()
    for _, host in _hosts(text):
        if is_gov_host(host):
            found[www(host)] += 1
    for _, domain in _emails(text):
        if is_gov_host(domain):
            if domain.startswith("mail."):
                domain = domain[5:]
            found[www(domain)] += 1
    return found


def portal_hosts_in_text(text: str) -> list[str]:
    """gov.cn hosts written right after 门户网站 / 政府网站 …, in text order.

    >>> portal_hosts_in_text("详见区政府门户网站(www.fzja.gov.cn);来信请寄 jaq.fuzhou.gov.cn")
    ['www.fzja.gov.cn']
    """
    out: list[str] = []
    for start, host in _hosts(text):
        if is_gov_host(host) and PORTAL_CONTEXT.search(text[max(0, start - 16):start]):
            host = www(host)
            if host not in out:
                out.append(host)
    return out


def domain_rewrites(text: str, page_host: str | None) -> list[str]:
    """Non-government domains written where the government's own domain belongs: the page's
    own (non-gov) domain anywhere in the text, or any non-gov domain right after
    门户网站/政府网站; plus e-mail domains equal to one of those.  Returned as written.

    >>> domain_rewrites("在“中国·温州”市政府门户网站(www.gzdypg.com)下载。电子邮件:wzzwgkb@gzdypg.com", None)
    ['www.gzdypg.com', 'gzdypg.com']
    """
    own = registrable(page_host) if page_host and not is_gov_host(page_host) else None
    hosts: list[str] = []
    domains: set[str] = set()
    for start, host in _hosts(text):
        if is_gov_host(host) or host in hosts:
            continue
        before = text[max(0, start - 16):start]
        if (own and registrable(host) == own) or PORTAL_CONTEXT.search(before):
            hosts.append(host)
            domains.add(registrable(host))
    for _, domain in _emails(text):
        if registrable(domain) in WEBMAIL:
            continue                      # zwgk@163.com on a page of www.163.com is no rewrite
        if registrable(domain) in domains or (own and registrable(domain) == own):
            if domain not in hosts:
                hosts.append(domain)
    return hosts


# public mailbox providers: an address there is the office's own, whatever the page's host
WEBMAIL = set("""163.com 126.com yeah.net qq.com foxmail.com sina.com sina.cn sohu.com 139.com 189.cn
wo.cn aliyun.com gmail.com hotmail.com outlook.com live.com yahoo.com 21cn.com tom.com""".split())


@lru_cache(maxsize=1)
def known_hosts() -> dict[str, str]:
    """Region name or code → portal host, from data/spam_known_hosts.tsv (hand-kept fallback)
    overridden by data/portals.tsv (the portal registry's table: code, name, root URL)."""
    table: dict[str, str] = {}
    for path in (DATA / "spam_known_hosts.tsv", DATA / "portals.tsv"):
        if not path.exists():
            continue
        try:
            with path.open(encoding="utf-8") as fh:
                rows = list(csv.DictReader((line for line in fh if not line.startswith("#")),
                                           delimiter="\t"))
        except (OSError, csv.Error):
            continue
        names = collections.Counter((row.get("name") or "").strip() for row in rows)
        for row in rows:
            value = row.get("host") or row.get("root") or ""
            host = host_of(value.strip()) if value.strip() else None
            if not host:
                continue
            if row.get("code"):
                table[row["code"].strip()] = host
            name = (row.get("name") or "").strip()
            if name and names[name] == 1:     # 普陀区, 朝阳区 … name several regions: by code only
                table[name] = host
    return table


def portal_from_registry(code: str) -> str | None:
    """Host of a region's known portal root in gxcrawl.portals (optional module)."""
    try:
        from gxcrawl.portals import known_roots
        known = known_roots().get(code)
    except Exception:                      # module absent or its data missing
        return None
    return host_of(known.root) if known is not None and getattr(known, "root", None) else None


def host_for_region(region_name: str, short: str, pinyin: str | None,
                    code: str | None = None) -> tuple[str | None, str, float]:
    """(host, evidence, confidence) for a region's portal.

    >>> host_for_region("温州市", "温州", "wen zhou")[0]
    'www.wenzhou.gov.cn'
    """
    host = portal_from_registry(code) if code else None
    if host:
        return host, f"portal registry: {region_name} → {host}", 0.9
    table = known_hosts()
    for name in (code, region_name, short):
        if name and name in table:
            return table[name], f"known portal of {region_name}: {table[name]}", 0.85
    if pinyin:
        host = "www." + pinyin.replace(" ", "") + ".gov.cn"
        return host, f"naming convention www.<pinyin of {short}>.gov.cn", 0.5
    return None, "", 0.0
