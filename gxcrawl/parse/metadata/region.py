"""The region of a report: from its agency's name, else from the government host it is
on (www.wenzhou.gov.cn → 温州市, disambiguated by area codes and postcodes in the text),
else — weakly — the place the text names most.

>>> region_of_host("http://www.wenzhou.gov.cn/x").name
'温州市'
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional
from urllib.parse import urlsplit

from gxcrawl.parse.metadata.names import is_zone
from gxcrawl.parse.metadata.text import normalize
from gxcrawl.regions import Region, Registry, load_registry

_GENERIC_HOST = {"www", "gov", "cn", "com", "net", "org", "m", "wap", "www2", "zwgk", "xxgk",
                 "info", "web", "site", "portal", "en", "jyj", "tyj", "jtj", "czj", "zf"}


def _toneless(syllable: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", syllable)
    base = "".join(c for c in plain if c.isascii())
    if "\u0308" in plain or "ü" in syllable:          # ü: hosts write lv / lu
        return [base.replace("u", "v"), base]
    return [base]


def pinyin_keys(name: str, limit: int = 16) -> list[str]:
    """Toneless pinyin spellings of a name, every reading of polyphones
    (长春 → changchun, zhangchun)."""
    from pypinyin.pinyin_dict import pinyin_dict
    keys = [""]
    for ch in name:
        readings = pinyin_dict.get(ord(ch))
        if not readings:
            return []
        sylls = []
        for r in readings.split(","):
            for t in _toneless(r):
                if t not in sylls:
                    sylls.append(t)
        keys = [k + s for k in keys for s in sylls][:limit]
    return keys


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, list[Region]]:
    registry = load_registry()
    index: dict[str, list[Region]] = {}
    for r in registry.regions:
        for name in {r.name, r.short}:
            if name and len(name) >= 2:
                for key in pinyin_keys(name):
                    if r not in index.setdefault(key, []):
                        index[key].append(r)
    return index


def _context_score(region: Region, registry: Registry, context: str) -> int:
    score = 0
    for a in registry.ancestors(region):
        if a.short and a.short in context:
            score += 2
    codes = set(re.findall(r"(?<!\d)(0\d{2,3})[-—－–\s)]", context))
    posts = set(re.findall(r"邮编[:：]?\s*(\d{6})", context))
    for c in registry.citycodes:
        if c.area_code in codes or any(p[:4] == c.postcode[:4] for p in posts):
            chain = [region] + registry.ancestors(region)
            if any(x.short == c.city_short or x.name.startswith(c.city_short) for x in chain):
                score += 3
    return score


def region_of_host(url: str | None, context: str = "", registry: Registry | None = None) -> Optional[Region]:
    """The region a government host is named after (www.wenzhou.gov.cn → 温州市,
    www.weishan.gov.cn → 微山县, disambiguated by `context`). Only *.gov.cn hosts."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if not host.endswith(".gov.cn"):
        return None
    registry = registry or load_registry()
    labels = [l for l in re.split(r"[.\-]", host[: -len(".gov.cn")]) if l and l not in _GENERIC_HOST]
    index = _pinyin_index()
    for label in reversed(labels):            # the registrable part first
        cands = index.get(label, [])
        if not cands:
            continue
        if len(cands) == 1:
            return cands[0]
        scored = sorted(((_context_score(c, registry, context), c.level == "prefecture", c)
                         for c in cands), key=lambda t: (t[0], t[1]), reverse=True)
        if scored[0][0] > scored[1][0]:
            return scored[0][2]
        return None
    return None


def region_of_agency(agency_norm: str, context: str = "",
                     registry: Registry | None = None) -> Optional[Region]:
    registry = registry or load_registry()
    found = registry.find_in_text(agency_norm, context)
    if found:
        return found[0]
    # two-character names the scan skips (沙县 → 沙县区, renamed since)
    for m in re.finditer(r"[省市州区县旗]", agency_norm[:8]):
        cands = registry.find(agency_norm[:m.end()])
        if len(cands) == 1:
            return cands[0]
    return None


def region_of_text(norm: str, registry: Registry | None = None) -> Optional[Region]:
    """The most mentioned region in the text (most specific on ties); weak."""
    registry = registry or load_registry()
    head = norm[:4000]
    found = registry.find_in_text(head)
    if not found:
        return None
    order = {"county": 0, "prefecture": 1, "province": 2}
    counts = [(head.count(r.name) + (head.count(r.short) if len(r.short) >= 3 else 0), -order[r.level], r)
              for r in found]
    counts.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return counts[0][2]


def choose_region(agency: Optional[str], head_norm: str, norm: str, url: Optional[str],
                  registry: Registry, warnings: list[str]) -> tuple[Optional[Region], Optional[str]]:
    """(region, evidence): the agency's region (none for a zone), else the host's, else the text's."""
    if agency:
        _, agency_norm = normalize(agency)
        if is_zone(agency_norm, registry):
            return None, "none: agency is a zone"
        r = region_of_agency(agency_norm, head_norm, registry)
        if r:
            return r, "agency"
    r = region_of_host(url, head_norm, registry)
    if r:
        return r, "host"
    r = region_of_text(norm, registry)
    if r:
        warnings.append("region guessed from places named in the text")
        return r, "text"
    return None, None
