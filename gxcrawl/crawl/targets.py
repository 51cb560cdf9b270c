"""Which portal(s) to crawl for a place (`-a city=`, `-a province=`, `-a url=`): the
registry of known roots (gxcrawl.portals), aliases (name, short name, pinyin, code), and
candidate roots from pinyin for places with no known root.

>>> [p.name for p in resolve(city="sanming")]
['三明市']
>>> resolve(city="350400")[0].roots
('http://www.sm.gov.cn/',)
>>> p = resolve(city="蕉城")[0]
>>> p.roots, p.candidates[:2]
((), ('http://www.jiaocheng.gov.cn/', 'http://www.jc.gov.cn/'))
>>> resolve(url="http://www.example.gov.cn/xxgk/")[0].hosts
frozenset({'www.example.gov.cn'})
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional
from urllib.parse import urlsplit

from gxcrawl.portals import known_roots
from gxcrawl.regions import Region, load_registry, strip_suffix


class PortalLookupError(ValueError):
    """An unknown place name; the message lists the closest known names."""


@dataclass(frozen=True)
class Portal:
    key: str                       # unique id in a crawl: region code or host
    name: str                      # 三明市
    code: Optional[str] = None
    roots: tuple = ()              # known roots (certain)
    candidates: tuple = ()         # guessed roots: accepted only if the site identifies itself
    extra_hosts: tuple = ()
    source: str = ""
    names: tuple = ()              # names the site must call itself (identity check)

    @property
    def hosts(self) -> frozenset:
        hs = {urlsplit(u).hostname for u in self.roots + self.candidates} | set(self.extra_hosts)
        return frozenset(h for h in hs if h)


def pinyin(name: str) -> list[str]:
    """Full pinyin and initials of a place name without its suffix: 三明市 → ['sanming', 'sm']."""
    from pypinyin import lazy_pinyin
    short = strip_suffix(name)
    syllables = [s for s in lazy_pinyin(short) if re.fullmatch(r"[a-z]+", s)]
    if not syllables:
        return []
    full, initials = "".join(syllables), "".join(s[0] for s in syllables)
    return [full] + ([initials] if initials != full else [])


def candidate_roots(region: Region) -> list[str]:
    return [f"http://www.{p}.gov.cn/" for p in pinyin(region.name)]


@lru_cache(maxsize=1)
def alias_index() -> dict[str, list[str]]:
    """alias (name, short name, pinyin, code) → region codes."""
    index: dict[str, list[str]] = {}
    for region in load_registry().regions:
        aliases = {region.name, region.short, region.code}
        if region.level != "county" or region.code in known_roots():
            aliases.update(pinyin(region.name)[:1])   # pinyin only where it is not hopelessly ambiguous
        for alias in aliases:
            if alias:
                index.setdefault(alias.lower(), []).append(region.code)
    return index


def portal_for(region: Region) -> Portal:
    known = known_roots().get(region.code)
    names = tuple(dict.fromkeys([region.name, region.short]))
    if known:
        return Portal(region.code, region.name, region.code, (known.root,), (), known.extra_hosts, known.source, names)
    return Portal(region.code, region.name, region.code, (), tuple(candidate_roots(region)), (), "pinyin guess", names)


def find_regions(name: str) -> list[Region]:
    registry = load_registry()
    name = name.strip()
    codes = alias_index().get(name.lower(), [])
    regions = [registry.by_code[c] for c in dict.fromkeys(codes)]
    if not regions:
        raise PortalLookupError(unknown_message(name))
    # prefer a prefecture over a same-named county (三明 the city, not a county called 三明…)
    order = {"prefecture": 0, "province": 1, "county": 2}
    return sorted(regions, key=lambda r: order[r.level])


def unknown_message(name: str) -> str:
    cjk = bool(re.search(r"[\u4e00-\u9fff]", name))
    pool = [a for a in alias_index() if bool(re.search(r"[\u4e00-\u9fff]", a)) == cjk]
    close = difflib.get_close_matches(name.lower(), pool, n=5, cutoff=0.4)
    registry = load_registry()
    shown = []
    for alias in close:
        region = registry.by_code[alias_index()[alias][0]]
        shown.append(f"{alias} ({region.name} {region.code})" if alias != region.name else f"{alias} ({region.code})")
    hint = "; closest: " + ", ".join(shown) if shown else ""
    return f"unknown place {name!r}{hint}"


def portal_for_url(url: str) -> Portal:
    if not re.match(r"https?://", url):
        url = "http://" + url
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}{parts.path or '/'}"
    return Portal(parts.hostname or url, parts.hostname or url, None, (root,), (), (), "url argument", ())


def resolve(city: Optional[str] = None, province: Optional[str] = None, url: Optional[str] = None) -> list[Portal]:
    """Portals for `-a city=` (name/alias/pinyin/code, comma-separated), `-a province=` (all
    its prefectures and counties) and `-a url=` (any portal, comma-separated)."""
    portals: list[Portal] = []
    registry = load_registry()
    for u in _split(url):
        portals.append(portal_for_url(u))
    for name in _split(city):
        regions = find_regions(name)
        portals.append(portal_for(regions[0]))
    for name in _split(province):
        regions = [r for r in find_regions(name) if r.level == "province"]
        if not regions:
            raise PortalLookupError(f"{name!r} is not a province")
        province_region = regions[0]
        portals.append(portal_for(province_region))
        portals += [portal_for(r) for r in registry.descendants(province_region)]
    seen, out = set(), []
    for p in portals:
        if p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return out


def _split(value: Optional[str]) -> list[str]:
    """Comma-separated values; `@PATH` reads them from a file (one a line or comma-separated:
    thousands of portal roots do not fit on a command line)."""
    if value and value.startswith("@"):
        from pathlib import Path
        value = ",".join(Path(value[1:]).read_text(encoding="utf-8").split())
    return [v.strip() for v in re.split(r"[,，;]", value or "") if v.strip()]


def parse_years(spec: Optional[str]) -> Optional[list[int]]:
    """'2019-2024' / '2021' / '2019,2021' → list of years (None = all).

    >>> parse_years("2019-2021")
    [2019, 2020, 2021]
    """
    if not spec:
        return None
    years: list[int] = []
    for part in _split(str(spec)):
        m = re.fullmatch(r"(\d{4})\s*[-–~]\s*(\d{4})", part)
        if m:
            a, b = sorted((int(m.group(1)), int(m.group(2))))
            years += list(range(a, b + 1))
        elif re.fullmatch(r"\d{4}", part):
            years.append(int(part))
        else:
            raise ValueError(f"bad years {spec!r}: use 2019-2024 or 2019,2021")
    return sorted(set(years))
