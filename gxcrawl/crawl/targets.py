"""Which portal(s) to crawl for a place (`-a city=`, `-a province=`, `-a url=`): the
registry of known roots (gxcrawl.portals), aliases (name, short name, pinyin, code), and
candidate roots from pinyin for places with no known root.

>>> [p.name for p in resolve(city="sanming")]
['三明市']
>>> resolve(city="350400")[0].roots
('http://www.sm.gov.cn/',)
>>> p = resolve(city="大冶")[0]
>>> p.roots, p.candidates[:2]
((), ('http://www.daye.gov.cn/', 'http://www.dy.gov.cn/'))
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
    access: str = ""               # how the registry's root answered its check (gxcrawl.portals)

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
    """alias (name, short name, pinyin, code) → region codes. Pinyin is an alias of every
    province and prefecture, and of a county only when no other region spells the same
    (many counties share a pinyin: chaoyang, putuo)."""
    registry = load_registry()
    spelled: dict[str, list[str]] = {}
    for region in registry.regions:
        for p in pinyin(region.name)[:1]:
            spelled.setdefault(p, []).append(region.code)
    index: dict[str, list[str]] = {}
    for region in registry.regions:
        aliases = {region.name, region.short, region.code}
        aliases.update(p for p in pinyin(region.name)[:1] if region.level != "county" or len(spelled[p]) == 1)
        for alias in aliases:
            if alias:
                index.setdefault(alias.lower(), []).append(region.code)
    return index


def portal_for(region: Region) -> Portal:
    """The registry's root for a region, else candidate roots from its pinyin (never both:
    a pinyin guess does not override the registry).

    >>> portal_for(load_registry().by_code["330483"]).roots
    ('https://www.tx.gov.cn/',)
    """
    known = known_roots().get(region.code)
    names = tuple(dict.fromkeys([region.name, region.short]))
    if known:
        return Portal(region.code, region.name, region.code, (known.root,), (), known.extra_hosts, known.source,
                      names, known.access)
    return Portal(region.code, region.name, region.code, (), tuple(candidate_roots(region)), (), "pinyin guess",
                  names)


#: which of several regions of one name a crawl means: a prefecture over a same-named county
LEVEL_RANK = {"prefecture": 0, "province": 1, "county": 2}


def find_regions(name: str) -> list[Region]:
    """Every region `name` can mean — a name, short name, pinyin or code, or a name after the
    name of a region above it (舟山普陀区, 浙江省普陀区) — prefectures first, then provinces,
    then counties. Raises PortalLookupError, listing the closest names, when none.

    >>> [(r.code, r.name) for r in find_regions("普陀区")]
    [('310107', '普陀区'), ('330903', '普陀区')]
    >>> [r.code for r in find_regions("舟山普陀区")]
    ['330903']
    """
    registry = load_registry()
    name = name.strip()
    codes = alias_index().get(name.lower(), []) or qualified_codes(name)
    regions = [registry.by_code[c] for c in dict.fromkeys(codes)]
    if not regions:
        raise PortalLookupError(unknown_message(name))
    return sorted(regions, key=lambda r: (LEVEL_RANK[r.level], r.code))


def qualified_codes(name: str) -> list[str]:
    """Codes of `name` read as the name of a region (prefecture or province, full or short)
    followed by the name of a region inside it: 舟山普陀区 → 330903."""
    registry = load_registry()
    index = alias_index()
    out = []
    for cut in range(2, len(name) - 1):
        head, tail = name[:cut], name[cut:]
        for outer in index.get(head, ()):
            for code in index.get(tail, ()):
                if outer in lineage(registry.by_code[code]) and code != outer:
                    out.append(code)
    return out


def lineage(region: Region) -> list[str]:
    """Codes of the regions above `region` (from the registry and from its code)."""
    registry = load_registry()
    codes = [a.code for a in registry.ancestors(region)]
    return codes + [c for c in (region.code[:4] + "00", region.code[:2] + "0000") if c != region.code]


def province_name(region: Region) -> str:
    """The province a region lies in.

    >>> province_name(load_registry().by_code["330903"])
    '浙江省'
    """
    registry = load_registry()
    province = registry.by_code.get(region.code[:2] + "0000")
    return province.name if province is not None else registry.province_of(region).name


def portals_named(name: str) -> list[Portal]:
    """The portal of every region `name` can mean, in `find_regions` order: what `gxcrawl
    portals NAME` prints and what `-a city=NAME` crawls (the first, when it is not ambiguous)."""
    return [portal_for(region) for region in find_regions(name)]


def city_portal(name: str) -> Portal:
    """The portal `-a city=NAME` crawls: the only region of the best rank `name` can mean.
    Two regions of one name and level (普陀区 of 上海 and of 舟山) are an error naming both.

    >>> city_portal("桐乡").roots
    ('https://www.tx.gov.cn/',)
    """
    regions = find_regions(name)
    best = [r for r in regions if LEVEL_RANK[r.level] == LEVEL_RANK[regions[0].level]]
    if len(best) > 1:
        choices = ", ".join(f"{r.code} ({province_name(r)}{_prefecture_name(r)}{r.name})" for r in best)
        raise PortalLookupError(f"{name!r} is ambiguous: {choices}; give the code or the name after its "
                                f"prefecture or province (舟山普陀区)")
    return portal_for(regions[0])


def _prefecture_name(region: Region) -> str:
    parent = load_registry().parent(region)
    return parent.name if parent is not None and parent.level == "prefecture" else ""


def closest_regions(name: str, n: int = 6) -> list[tuple[str, Region]]:
    """(alias, region) of the known names closest to `name`, best first: by characters, and
    by pinyin (三民市 → sanmin, close to 三明's sanming), whichever is closer.

    >>> [(a, r.code) for a, r in closest_regions("三民市")][:1]
    [('三明市', '350400')]
    """
    registry = load_registry()
    index = alias_index()
    is_cjk = lambda s: bool(re.search(r"[\u4e00-\u9fff]", s))     # noqa: E731
    key = name.strip().lower()
    cjk_pool = [a for a in index if is_cjk(a)]
    latin_pool = [a for a in index if not is_cjk(a) and not a.isdigit()]
    scored: dict[str, tuple[float, str]] = {}

    def offer(alias: str, score: float, shown: str) -> None:
        for code in index[alias]:
            if score > scored.get(code, (0.0, ""))[0]:
                scored[code] = (score, shown)

    pool = cjk_pool if is_cjk(key) else latin_pool
    for alias in difflib.get_close_matches(key, pool, n=3 * n, cutoff=0.4):
        offer(alias, difflib.SequenceMatcher(None, key, alias).ratio(), alias)
    spelled = "".join(pinyin(key)[:1]) if is_cjk(key) else ""
    for alias in difflib.get_close_matches(spelled, latin_pool, n=3 * n, cutoff=0.7) if spelled else ():
        for code in index[alias]:
            offer(alias, difflib.SequenceMatcher(None, spelled, alias).ratio(), registry.by_code[code].name)
    best = sorted(scored.items(), key=lambda kv: (-kv[1][0], kv[0]))[:n]
    return [(shown, registry.by_code[code]) for code, (_, shown) in best]


def unknown_message(name: str) -> str:
    shown = [f"{alias} ({region.name} {region.code}, {province_name(region)})" if alias != region.name
             else f"{alias} ({region.code}, {province_name(region)})" for alias, region in closest_regions(name)]
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
        portals.append(city_portal(name))
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


def official_hosts(portals) -> frozenset:
    """The hosts a crawl holds for the governments' own: every host of its portals (the
    seeded URL's, the registry's roots and extra hosts), whatever their domain.

    >>> sorted(official_hosts(resolve(city="晋安区", url="http://10.1.2.3:8080/")))
    ['10.1.2.3', 'jaq.fuzhou.gov.cn', 'www.fzja.gov.cn']
    """
    return frozenset(h for p in portals for h in p.hosts)


def crawl_official_hosts(crawler) -> frozenset:
    """The running crawl's portal hosts: its spider's `official_hosts` (less the portals that
    name themselves by a brand), else every host of its portals; empty with no spider."""
    spider = getattr(crawler, "spider", None) if crawler else None
    hosts = getattr(spider, "official_hosts", None)
    if hosts is None:
        hosts = official_hosts(getattr(spider, "portals", {}).values())
    return hosts


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
