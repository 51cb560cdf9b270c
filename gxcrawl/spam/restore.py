"""Infer what an injected phrase replaced, with evidence and a confidence.

A mirror replaces the place name but leaves traces: the 索引号 prefix (FZ0000/…), the
postcode and the telephone area code (bundled city table), e-mail prefixes (wzzwgkb@ → wz),
gov.cn e-mail domains, ``中国·温州``, district names (鹿城区 → 温州市), the URL path of the
copied site, unreplaced mentions of the place and its province.  Each trace votes for regions
of the registry; the best region's form (with or without 市) follows the template slot:
``X人民政府`` = 温州市人民政府 → 温州市, ``X市政府`` = 抚州市政府 → 抚州.

>>> from gxcrawl.regions import load_registry
>>> reg = load_registry()
>>> best = infer_region("邮编:325009;电话:0577-88963796;地址:鹿城区绣山路", None, reg)[0]
>>> best.region.name, best.score >= 4
('温州市', True)
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from . import provenance, slots

DATA = Path(__file__).resolve().parent.parent / "data"
MIN_CONFIDENCE = 0.5
MIN_KINDS = 2          # a restore needs two independent kinds of evidence

# URL shapes of the CMS families and the provinces that run them
# (shared/reference/portal-patterns.md "CMS families"; Jiangxi runs the Hanweb platform too)
CMS_FAMILIES = [
    (re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+|/col/col\d+/"), "Hanweb",
     ("浙江", "江苏", "山东", "江西")),
    (re.compile(r"/t\d{8}_\d+\.s?html?"), "TRS WCM", ("北京", "上海", "湖北", "福建", "贵州")),
    (re.compile(r"/gkmlpt/|/content/post_\d+"), "Guangdong gkmlpt", ("广东",)),
]
COUNTY_LIST_RE = re.compile(r"各县[((]?(市)?[、,]?区?[))]?")

POSTCODE_RE = re.compile(r"(?:邮编|邮政编码|邮码)[::\s]*(\d{6})(?!\d)")
PHONE_RE = re.compile(r"(?<!\d)(0\d{2,3})(?:[-—–]|[))]\s*)\d{7,8}(?!\d)|[((](0\d{2,3})[))]\s*\d{7,8}")
CHINA_RE = re.compile(r"中国[·•・.]?([\u4e00-\u9fff]{2,4})")
INDEX_RE = re.compile(r"索\s*引\s*号[::\s]*([a-z]{2,8})")
LETTERS_RE = re.compile(r"^[a-z]{2,12}")


@dataclass
class Candidate:
    region: object
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)

    def add(self, weight: float, why: str) -> None:
        self.score += weight
        self.evidence.append(why)


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, list[str]]:
    """Region code → toneless pinyin syllables of its short name (data/spam_pinyin.tsv)."""
    path = DATA / "spam_pinyin.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["code"]: row["pinyin"].split() for row in csv.DictReader(fh, delimiter="\t")}


def initials(code: str) -> str:
    """温州 → 'wz'."""
    return "".join(s[0] for s in pinyin_table().get(code, []) if s)


def full_pinyin(code: str) -> str:
    return "".join(pinyin_table().get(code, []))


@lru_cache(maxsize=1)
def _postcode_index(registry_id: int):
    from ..regions import load_registry
    return {c.postcode.zfill(6)[:4]: c for c in load_registry().citycodes}


def city_region(registry, citycodes):
    """The prefecture Region of a CityCodes row (province-checked)."""
    if citycodes is None:
        return None
    regions = registry.find(citycodes.city_short)
    for region in sorted(regions, key=lambda r: r.level != "prefecture"):
        province = registry.province_of(region)
        if not citycodes.province_short or province.short == citycodes.province_short \
                or province.name.startswith(citycodes.province_short):
            return region
    return regions[0] if regions else None


def city_of_postcode(registry, postcode: str):
    """registry.city_of_postcode, tolerant of postcodes stored without the leading 0."""
    found = registry.city_of_postcode(postcode)
    return found or _postcode_index(id(registry)).get(postcode.zfill(6)[:4])


def infer_region(text: str, url: str | None, registry, masked: str | None = None) -> list[Candidate]:
    """Candidate regions for the place the page belongs to, best first.

    `text` is normalised; `masked` is the same text with the injected phrases blanked out
    (used for the mentions)."""
    cands: dict[str, Candidate] = {}

    def cand(region) -> Candidate:
        return cands.setdefault(region.code, Candidate(region))

    codes_evidence: dict[str, list[tuple[float, str]]] = {}
    for m in POSTCODE_RE.finditer(text):
        region = city_region(registry, city_of_postcode(registry, m.group(1)))
        if region:
            codes_evidence.setdefault(region.code, []).append((2.0, f"postcode {m.group(1)} → {region.name}"))
            break
    for m in PHONE_RE.finditer(text):
        code = m.group(1) or m.group(2)
        city = registry.city_of_area_code(code)
        region = city_region(registry, city)
        if region:
            codes_evidence.setdefault(region.code, []).append((2.0, f"area code {code} → {region.name}"))
            break
    for code, items in codes_evidence.items():
        for weight, why in items:
            cand(registry.by_code[code]).add(weight, why)
    for m in CHINA_RE.finditer(masked or text):
        word = m.group(1)
        regions = next((found for length in (len(word), 3, 2)
                        if len(found := [r for r in registry.find(word[:length])
                                         if r.level != "county"]) == 1), None)
        if regions:
            cand(regions[0]).add(2.0, f"“中国·{regions[0].short}”")
            break
    provinces = set()
    mention_text = masked or text
    for region in registry.find_in_text(mention_text):
        if region.level == "province":
            provinces.add(region.code)
            continue
        count = mention_text.count(region.short or region.name)
        if region.level == "county":
            cand(region).add(1.0, f"mentions {region.name}")
            parent = registry.parent(region)
            if parent is not None and parent.level == "prefecture":
                cand(parent).add(0.75, f"district {region.name} → {parent.name}")
            for weight, why in codes_evidence.get(region.parent_code, []):
                cand(region).add(weight * 0.5, why)
        else:
            cand(region).add(1.0 + min(1.0, 0.2 * (count - 1)), f"mentions {region.name} ×{count}")
    if not cands:
        for region in candidates_from_letters(text, registry):
            cand(region)
    if not cands:
        return []
    for c in cands.values():
        province = registry.province_of(c.region)
        if province.code in provinces and province.code != c.region.code:
            c.add(0.5, f"province {province.name} mentioned")
    add_initials_evidence(text, url, cands)
    add_structure_evidence(text, url, cands, registry)
    return sorted(cands.values(), key=lambda c: -c.score)


def candidates_from_letters(text: str, registry) -> list:
    """Prefectures whose pinyin initials match the 索引号 prefix, when nothing else names a
    place (FZ → 抚州市, 福州市); the other evidence then decides."""
    index = [m.group(1) for m in INDEX_RE.finditer(text)][:1]
    if not index:
        return []
    return [region for region, letters in prefecture_initials(registry)
            if index[0].startswith(letters)]


_PREFECTURE_INITIALS: dict[int, list] = {}


def prefecture_initials(registry) -> list:
    """(prefecture, its pinyin initials) for every prefecture with at least two letters,
    computed once per registry."""
    key = id(registry)
    if key not in _PREFECTURE_INITIALS:
        _PREFECTURE_INITIALS[key] = [(r, initials(r.code)) for r in registry.regions
                                     if r.level == "prefecture" and len(initials(r.code)) >= 2]
    return _PREFECTURE_INITIALS[key]


def add_structure_evidence(text: str, url: str | None, cands: dict, registry) -> None:
    """Votes from the site's CMS family (URL shape → provinces) and from how the text lists
    the subordinate units: 各县(市、区) needs county-level cities, 各县(区) has none."""
    path = urlsplit(url).path if url else ""
    family = next(((name, provs) for rx, name, provs in CMS_FAMILIES if rx.search(path)), None)
    m = COUNTY_LIST_RE.search(text)
    for c in cands.values():
        province = registry.province_of(c.region)
        if family and any(province.name.startswith(p) for p in family[1]):
            c.add(0.75, f"URL is a {family[0]} page, a CMS of {province.name}")
        if m and c.region.level == "prefecture":
            has_cities = any(ch.name.endswith("市") for ch in registry.children(c.region))
            if bool(m.group(1)) == has_cities:
                c.add(0.75, f"“{m.group(0)}” fits the units of {c.region.name}")


def add_initials_evidence(text: str, url: str | None, cands: dict) -> None:
    """Votes from letters: 索引号 prefix, e-mail local parts, gov.cn domain labels, URL path."""
    index = [m.group(1) for m in INDEX_RE.finditer(text)][:3]
    locals_ = {m.group(1) for m in provenance.EMAIL_RE.finditer(text)}
    labels = {provenance.registrable(h).split(".")[0] for h in provenance.gov_hosts_in_text(text)}
    path = urlsplit(url).path.lower() if url else ""
    segments = [s for s in re.split(r"[/_.\-]", path) if s.isalpha()][:4]
    for c in cands.values():
        ini, full = initials(c.region.code), full_pinyin(c.region.code)
        if len(ini) < 2:
            continue
        if any(p.startswith(ini) for p in index):
            c.add(1.5, f"索引号 prefix {index[0].upper()} = {ini.upper()}")
        local = next((lp for lp in locals_ if lp.startswith(full) or lp.startswith(ini)), None)
        if local:
            c.add(1.0, f"e-mail prefix {local}@ ~ {full if local.startswith(full) else ini}")
        label = next((lb for lb in labels if lb in (ini, full) or lb.endswith(ini) or lb == full), None)
        if label:
            c.add(1.5, f"gov.cn domain {label} ~ {c.region.short}")
        seg = next((s for s in segments if s.startswith(full) or (len(s) > 3 and s.startswith(ini))), None)
        if seg:
            c.add(0.5, f"URL path /{seg}/ ~ {ini}")


def confidence(cands: list[Candidate], registry) -> float:
    """best / (best + best unrelated competitor + 1): nested regions do not compete."""
    if not cands:
        return 0.0
    best = cands[0]
    related = {best.region.code, best.region.parent_code}
    related |= {a.code for a in registry.ancestors(best.region)}
    rival = next((c.score for c in cands[1:]
                  if c.region.code not in related and c.region.parent_code != best.region.code), 0.0)
    return round(min(0.98, best.score / (best.score + rival + 1.0)), 2)


def evidence_kinds(evidence: list[str]) -> int:
    """Number of distinct kinds of evidence (postcode, area code, 索引号, mentions …)."""
    return len({e.split(" ")[0].split("“")[0] or e[:3] for e in evidence})


def original_for_place(text: str, spans, cands, registry) -> tuple[str | None, list[str], float]:
    """The original text of a phrase standing in a place slot."""
    if not cands:
        return None, ["no trace of the original place"], 0.0
    best = cands[0]
    conf = confidence(cands, registry)
    form = slots.place_form(text, spans, best.region.name)
    name = best.region.short if form == "short" and best.region.short else best.region.name
    slot_note = ("the text keeps the suffix after the phrase (…" + slots.suffix_of(best.region.name)
                 + "政府): short name") if form == "short" else "slot holds the full name"
    return name, best.evidence + [slot_note], conf
