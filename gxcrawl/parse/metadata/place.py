"""The place a page belongs to, for names printed without theirs (县教育局, 市体育局,
区人民政府办公室, 示范区教育局): the region the page host, the URL and the text agree on, at
the level the name opens with (a zone of data/zones.tsv for a zone word).

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
from gxcrawl.parse.spam import provenance, restore
from gxcrawl.parse.metadata.text import ZONE_RE
from gxcrawl.regions import Region, Registry, Zone, load_registry, load_zones  # noqa: F401 (doctest)

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
    else:
        by_initials = host_by_initials(url, registry) or host_pair_initials(url, registry)
        if by_initials is not None:
            add(by_initials, 2.0, f"page host spells the initials of {by_initials.name}")
            for ancestor in registry.ancestors(by_initials):
                add(ancestor, 1.0, f"page host is in {ancestor.name}")
    for region, n in restore.province_shorts(head_norm, registry):
        add(region, 1.0 + min(1.0, 0.25 * (n - 1)), f"the text names {region.short} ×{n}")
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


def _initials_index(registry: Registry) -> dict[str, list[Region]]:
    index: dict[str, list[Region]] = {}
    for region in registry.regions:
        if region.level in ("province", "prefecture"):
            letters = restore.initials(region.code)
            if len(letters) >= 2:
                index.setdefault(letters, []).append(region)
    return index


def host_by_initials(url: Optional[str], registry: Registry) -> Optional[Region]:
    """The province or prefecture whose pinyin initials are the host's own label, when no
    other province or prefecture has them (tyj.sc.gov.cn → 四川省; sx.gov.cn is 山西, 陕西
    or 绍兴: none).

    >>> host_by_initials("http://tyj.sc.gov.cn/a.html", load_registry()).name
    '四川省'
    """
    host = provenance.host_of(url) if url else None
    if not host or not host.endswith(".gov.cn"):
        return None
    label = provenance.registrable(host).split(".")[0]
    found = restore.registry_table(registry, _initials_index).get(label, [])
    return found[0] if len(found) == 1 else None


def host_pair_initials(url: Optional[str], registry: Registry) -> Optional[Region]:
    """The county a gov.cn host spells as its prefecture's initials then its own (www.fzja.gov.cn
    → 福州市晋安区, cqjlp → 重庆市九龙坡区, hhml → 红河州弥勒市), when one county fits.

    >>> host_pair_initials("http://www.fzja.gov.cn/a.html", load_registry()).name
    '晋安区'
    """
    host = provenance.host_of(url) if url else None
    if not host or not host.endswith(".gov.cn"):
        return None
    label = provenance.registrable(host).split(".")[0]
    heads = restore.registry_table(registry, _initials_index)
    found = []
    for k in range(2, min(5, len(label) - 1)):
        for parent in heads.get(label[:k], ()):
            found += [kid for kid in registry.children(parent)
                      if len(restore.initials(kid.code)) >= 2 and restore.initials(kid.code) == label[k:]]
    return found[0] if len(found) == 1 else None


class _Adder:
    """The `cand(region).add(weight, why)` interface restore's URL readers call."""

    def __init__(self, add, region: Region, weight: float):
        self._add, self._region, self._weight = add, region, weight

    def add(self, _weight: float, why: str, own: bool = False) -> None:
        self._add(self._region, self._weight, why)


def _related(a: Region, b: Region, registry: Registry) -> bool:
    return a.code == b.code or a in registry.ancestors(b) or b in registry.ancestors(a)


def completion_zone(kind: str, head_norm: str, url: Optional[str]) -> tuple[Optional[Zone], str]:
    """The zone (data/zones.tsv) a name opening with a zone word (示范区教育局) belongs to:
    one of that kind whose host the page is on, or whose name the text prints.

    >>> completion_zone("示范区", "示范区教育局", "https://jyj.yangling.gov.cn/zfxxgk/1.html")[0].name
    '杨凌示范区'
    """
    host = provenance.host_of(url) if url else None
    registrable = provenance.registrable(host) if host else ""
    fitting = [z for z in load_zones() if z.kind.endswith(kind) or kind.endswith(z.kind)]
    on_host = [z for z in fitting if registrable in z.hosts]
    if len(on_host) == 1:
        return on_host[0], f"page host {host} is {on_host[0].name}'s ({on_host[0].source})"
    named = [z for z in fitting if z.name in head_norm or z.short + kind in head_norm]
    if len(named) == 1:
        return named[0], f"the text names {named[0].name}"
    return None, "no zone of that kind on this host or in the text"


def completion_region(level: str, head_norm: str, url: Optional[str], registry: Registry,
                      names: tuple[str, ...] = ()) -> tuple[Optional[Region | Zone], str]:
    """(region, why) to complete a name that opens with `level` ('' for none; a zone word
    looks among the zones), or (None, why not)."""
    if ZONE_RE.fullmatch(level or "-"):
        return completion_zone(level, head_norm, url)
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
