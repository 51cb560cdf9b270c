"""The place a page belongs to, for names printed without theirs (县教育局, 市体育局,
区人民政府办公室): the region the page host, the URL and the text agree on, at the level the
name opens with.

Votes: the government host (www.gucheng.gov.cn → 故城县; a subdomain of a city portal
votes for the city), the URL the page (or the mirror that copied it) keeps — a place name
percent-encoded in it, a path segment that is a place's pinyin or its initials
(/hssgcx/ = 衡水市故城县), the area code in a 统一社会信用代码 — and the places the text names
(the other names of the page count most: 由故城县教育局编制, 请与故城县教育局联系). A name
is completed only with a region of its own level (a 县 for 县…, a 市 for 市…) that no
unrelated region rivals, and that the host does not contradict.

>>> from gxcrawl.regions import load_registry
>>> reg = load_registry()
>>> region, why = completion_region("县", "县教育局严格按照要求。", "https://x.com/xxgk/hssgcx/bm61/1.html", reg)
>>> region.name, why
('故城县', 'URL path /hssgcx/ spells 衡水市故城县')
>>> completion_region("市", "市体育局坚持以人民为中心。", "http://www.baoji.gov.cn/a/1.html", reg)[0].name
'宝鸡市'
"""
from __future__ import annotations

from typing import Optional

from gxcrawl.parse.metadata.region import region_of_host
from gxcrawl.parse.spam import restore
from gxcrawl.regions import Region, Registry

RIVAL_SHARE = 0.75      # an unrelated region within this share of the best: no agreement


def fits_level(region: Region, level: str) -> bool:
    """Does `region` carry the level word a placeless name opens with?"""
    if level == "":
        return region.level != "province"
    if level == "省":
        return region.level == "province"
    if level == "市":
        return region.name.endswith("市")
    if level in ("州", "自治州"):
        return region.name.endswith("州") and region.level == "prefecture"
    if level in ("县", "自治县"):
        return region.name.endswith("县")
    if level in ("旗", "自治旗"):
        return region.name.endswith("旗")
    if level == "区":
        return region.name.endswith("区") and region.level == "county"
    if level == "盟":
        return region.name.endswith("盟")
    return False


def place_votes(head_norm: str, url: Optional[str], registry: Registry,
                names: tuple[str, ...] = ()) -> dict[str, tuple[float, list[str]]]:
    """Region code → (score, evidence) from the host, the URL, the other names and the text."""
    votes: dict[str, tuple[float, list[str]]] = {}

    def add(region: Region, weight: float, why: str) -> None:
        score, evidence = votes.get(region.code, (0.0, []))
        votes[region.code] = (score + weight, evidence + [why])

    host = region_of_host(url, head_norm, registry)
    if host is not None:
        add(host, 3.0, f"page host names {host.name}")
        for ancestor in registry.ancestors(host):
            add(ancestor, 1.0, f"page host is in {ancestor.name}")
    restore.add_url_evidence(url, registry, lambda r: _Adder(add, r, 2.0))
    restore.add_credit_code_evidence("", url, registry, lambda r: _Adder(add, r, 2.0))
    seen = set()
    for name in names:
        for region in registry.find_in_text(name)[:1]:
            if region.code not in seen:
                seen.add(region.code)
                add(region, 2.0, f"another name of the page: {name}")
    counts: dict[str, int] = {}
    for _, _, region in registry.places_in_text(head_norm):
        counts[region.code] = counts.get(region.code, 0) + 1
    for code, n in counts.items():
        add(registry.by_code[code], 1.0 + min(1.0, 0.25 * (n - 1)), f"the text names {registry.by_code[code].name} ×{n}")
    return votes


class _Adder:
    """The `cand(region).add(weight, why)` interface restore's URL readers call."""

    def __init__(self, add, region: Region, weight: float):
        self._add, self._region, self._weight = add, region, weight

    def add(self, _weight: float, why: str, own: bool = False) -> None:
        self._add(self._region, self._weight, why)


def _related(a: Region, b: Region, registry: Registry) -> bool:
    return a.code == b.code or a in registry.ancestors(b) or b in registry.ancestors(a)


def completion_region(level: str, head_norm: str, url: Optional[str], registry: Registry,
                      names: tuple[str, ...] = ()) -> tuple[Optional[Region], str]:
    """(region, why) to complete a name that opens with `level` ('' for none), or (None, why not)."""
    votes = place_votes(head_norm, url, registry, names)
    fitting = sorted(((score, evidence, registry.by_code[code]) for code, (score, evidence) in votes.items()
                      if fits_level(registry.by_code[code], level)), key=lambda t: -t[0])
    if not fitting:
        return None, "no place of that level in the host, the URL or the text"
    score, evidence, best = fitting[0]
    if level == "" and len(fitting) > 1:
        # a name with no level word takes the most specific region the evidence holds
        inside = [t for t in fitting if best in registry.ancestors(t[2]) and t[0] >= score * RIVAL_SHARE]
        if inside:
            score, evidence, best = inside[0]
    rival = next((t for t in fitting[1:] if not _related(t[2], best, registry)), None)
    if rival is not None and rival[0] >= score * RIVAL_SHARE:
        return None, f"{best.name} and {rival[2].name} both fit"
    host = region_of_host(url, head_norm, registry)
    if host is not None and not _related(host, best, registry):
        return None, f"the host names {host.name}, not {best.name}"
    return best, "; ".join(evidence)
