"""Infer what an injected phrase replaced, with evidence and a confidence.

A mirror replaces the place name but leaves traces: the 索引号 prefix (FZ0000/…), the
postcode and the telephone area code (bundled city table; a code several cities share
votes for each in part), e-mail prefixes (wzzwgkb@ → wz), gov.cn domains (and their
subdomains: jaq.fuzhou.gov.cn → 晋安区), ``中国·温州``, district names (鹿城区 → 温州市), the
URL path of the copied site (and of URLs in the text), unreplaced mentions of the place
and its province, the towns of a county (data/spam_towns.tsv).  Each trace votes for regions
of the registry; the best region's form (with or without 市) follows the template slot:
``X人民政府`` = 温州市人民政府 → 温州市, ``X市政府`` = 抚州市政府 → 抚州.

What surrounds the phrase narrows it down: a place before it with a county slot after it
(宁德市X人民政府, 重庆市X二郎街道) puts it among that place's children; a town right after it
(X枫林镇) makes it that town's county; a suffix kept after it (X县人民政府) says it is a 县;
the place written unreplaced in the phrase's own slot elsewhere (永嘉县人民政府办公室 once)
names it.  A county needs traces of its own to beat its prefecture; then it shares the
prefecture's postcode and area code.

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
from urllib.parse import urlsplit

from gxcrawl.parse.spam import provenance, slots

from gxcrawl.data import DATA
MIN_CONFIDENCE = 0.5
# a restore needs two independent kinds of evidence, or one strong one (a postcode, an area
# code, “中国·X”, a gov.cn domain, repeated mentions: STRONG_SINGLE points).  The check is
# made here (original_for_place); MIN_KINDS stays 1 for callers that count kinds themselves.
MIN_KINDS = 1
KINDS_NEEDED = 2
STRONG_SINGLE = 1.2

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
# 网站标识码: ten digits, the first six the administrative code of the site's government
# (3303240001 → 330324 永嘉县); mirrors copy the footer and the <meta SiteIDCode> as they are
SITE_ID_RE = re.compile(r"(?:网站标识码|网站识别码)[::\s]*(\d{10})(?!\d)")
INDEX_RE = re.compile(r"索\s*引\s*号[::\s]*([a-z]{2,8})")
LETTERS_RE = re.compile(r"^[a-z]{2,12}")


@dataclass
class Candidate:
    region: object
    score: float = 0.0
    evidence: list[str] = field(default_factory=list)
    own: float = 0.0          # evidence that tells this region from its neighbours

    def add(self, weight: float, why: str, own: bool = False) -> None:
        self.score += weight
        self.evidence.append(why)
        if own:
            self.own += weight


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


def city_region(registry, citycodes):
    """The prefecture Region of a CityCodes row (province-checked)."""
    if citycodes is None:
        return None
    regions = registry.find(citycodes.city_short)
    if not any(r.level == "prefecture" for r in regions):
        # 吉林 is the province; the city is listed as 吉林市 (its short name kept whole)
        for suffix in ("市", "地区", "州", "盟"):
            regions = regions + registry.find(citycodes.city_short + suffix)
    for region in sorted(regions, key=lambda r: r.level != "prefecture"):
        province = registry.province_of(region)
        if not citycodes.province_short or province.short == citycodes.province_short \
                or province.name.startswith(citycodes.province_short):
            return region
    return regions[0] if regions else None


def site_id_regions(text: str, registry, meta: dict | None = None) -> list[tuple[object, str]]:
    """(region, code) named by the site identifier code in <meta SiteIDCode> or the text.

    >>> from gxcrawl.regions import load_registry
    >>> [(r.name, code) for r, code in site_id_regions("网站标识码:3303240001", load_registry())]
    [('永嘉县', '3303240001')]
    """
    codes = [v.strip() for k, v in (meta or {}).items() if k.lower() == "siteidcode" and v]
    codes += SITE_ID_RE.findall(text)
    out, seen = [], set()
    for code in codes:
        region = registry.by_code.get(code[:6]) if code[:6].isdigit() else None
        if region is not None and region.code not in seen:
            seen.add(region.code)
            out.append((region, code))
    return out


def infer_region(text: str, url: str | None, registry, masked: str | None = None,
                 meta: dict | None = None) -> list[Candidate]:
    """Candidate regions for the place the page belongs to, best first.

    `text` is normalised; `masked` is the same text with the injected phrases replaced by
    ``|`` (used for the mentions and for what surrounds the phrases).

    The most specific region the traces agree on wins: a county beats its prefecture when
    the page keeps county-level traces (its towns, its own name, its initials, a place
    before the phrase that contains it) besides the prefecture's postcode and area code."""
    cands: dict[str, Candidate] = {}
    mention_text = masked or text

    def cand(region) -> Candidate:
        return cands.setdefault(region.code, Candidate(region))

    codes_evidence: dict[str, list[tuple[float, str]]] = {}
    for m in POSTCODE_RE.finditer(text):
        rows = registry.cities_of_postcode(m.group(1))
        regions = [r for r in (city_region(registry, row) for row in rows) if r]
        for region in regions:        # a postcode zone of two cities votes half for each
            codes_evidence.setdefault(region.code, []).append(
                (2.0 / len(regions), f"postcode {m.group(1)} → {region.name}"))
        if regions:
            break
    for m in PHONE_RE.finditer(text):
        code = m.group(1) or m.group(2)
        regions = [r for r in (city_region(registry, row) for row in registry.cities_of_area_code(code)) if r]
        for region in regions:        # 024 is 沈阳, 本溪, 铁岭 and 抚顺: a quarter each
            codes_evidence.setdefault(region.code, []).append(
                (2.0 / len(regions), f"area code {code} → {region.name}"
                 + (f" (one of {len(regions)})" if len(regions) > 1 else "")))
        if regions:
            break
    for code, items in codes_evidence.items():
        for weight, why in items:
            cand(registry.by_code[code]).add(weight, why)
    for region, code in site_id_regions(text, registry, meta):
        cand(region).add(2.5, f"网站标识码 {code} → {region.name}", own=True)
    for m in CHINA_RE.finditer(mention_text):
        word = m.group(1)
        regions = next((found for length in (len(word), 3, 2)
                        if len(found := [r for r in registry.find(word[:length])
                                         if r.level != "county"]) == 1), None)
        if regions:
            cand(regions[0]).add(2.0, f"“中国·{regions[0].short}”")
            break
    provinces: dict[str, int] = {}
    for region in registry.find_in_text(mention_text):
        count = mention_text.count(region.short or region.name)
        if region.level == "province":
            provinces[region.code] = count
            continue
        if region.level == "county":
            cand(region).add(1.0, f"mentions {region.name}", own=True)
            parent = registry.parent(region)
            if parent is not None and parent.level == "prefecture":
                cand(parent).add(0.75, f"district {region.name} → {parent.name}")
        else:
            cand(region).add(1.0 + min(1.0, 0.2 * (count - 1)), f"mentions {region.name} ×{count}", own=True)
    for region, count in province_shorts(mention_text, registry):
        provinces.setdefault(region.code, count)
    add_docnum_evidence(mention_text, registry, cands, cand, provinces, codes_evidence)
    add_county_from_url(url, registry, cand, codes_evidence)
    add_url_evidence(url, registry, cand)
    add_credit_code_evidence(text, url, registry, cand)
    county_level = add_town_evidence(mention_text, registry, cands, cand, codes_evidence)
    add_domain_candidates(text, registry, cand)
    container = container_of_phrase(masked, registry) if masked else None
    kept = kept_suffix(masked) if masked else ""
    if kept and kept != "市" and container is None:
        # X县人民政府: a county of the prefecture the codes point to
        for code in codes_evidence:
            for child in registry.children(registry.by_code[code]):
                if slots.suffix_of(child.name).endswith(kept):
                    cand(child)
    if container is not None:
        for child in registry.children(container):
            c = cand(child)
            # a child's short name survives elsewhere (海棠府办〔2020〕, 蕉城区 → 蕉城)
            if child.short and len(child.short) >= 2 and child.short in mention_text \
                    and not any(e.startswith("mentions") for e in c.evidence):
                c.add(1.0, f"mentions {child.short}", own=True)
    # a province is the place itself only where nothing below it is named (四川省体育局)
    lower = any(c.score > 0 and c.region.level != "province" for c in cands.values())
    for code, count in provinces.items():
        region = registry.by_code[code]
        if not lower and container is None:
            cand(region).add(1.0 + min(1.0, 0.2 * (count - 1)), f"mentions {region.short} ×{count}", own=True)
        elif code in cands:
            cand(region).add(0.5, f"mentions {region.short} ×{count}")
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
    add_level_evidence(mention_text, cands)
    if masked:
        add_parallel_evidence(masked, cands)
    # a county with traces of its own shares the postcode / area code of its prefecture
    for c in cands.values():
        if c.region.level == "county" and c.own > 0:
            for w, why in codes_evidence.get(c.region.parent_code, []):
                c.add(w * 0.75, why)
    if county_level:
        # the phrase is followed by a town: it replaced a county, not a prefecture
        for code in [code for code, c in cands.items() if c.region.level != "county"]:
            del cands[code]
    if kept:
        # the text keeps the suffix after the phrase: the place is a 县 / 区 / 市
        for code in [code for code, c in cands.items()
                     if not slots.suffix_of(c.region.name).endswith(kept)
                     or (c.region.level == "county" and c.own <= 0)]:
            del cands[code]
    if container is not None:
        out = []
        for c in cands.values():
            if c.region.parent_code == container.code and c.own > 0:
                c.add(1.0, f"follows {container.name}: a place inside it (“{container.name}…”)")
                out.append(c)
        return sorted(out, key=lambda c: -c.score)
    return sorted((c for c in cands.values() if c.score > 0 or len(cands) == 1), key=lambda c: -c.score)


def _province_short_re(registry):
    shorts = {r.short: r for r in registry.regions
              if r.level == "province" and r.short and len(registry.find(r.short)) == 1}
    return re.compile("|".join(sorted(map(re.escape, shorts), key=len, reverse=True))), shorts


def province_shorts(text: str, registry) -> list[tuple[object, int]]:
    """Provinces named by their short name only (四川体育, 浙江): the registry's text search
    leaves two-character short names out."""
    rx, shorts = registry_table(registry, _province_short_re)
    counts: dict[str, int] = {}
    for m in rx.finditer(text):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    return [(shorts[k], n) for k, n in counts.items()]


def add_town_evidence(text: str, registry, cands: dict, cand, codes_evidence: dict) -> bool:
    """Votes from the towns named in the page (data/spam_towns.tsv): a town is in one
    county, or in one of few, of which the prefecture the other traces point to decides.
    A town right after a phrase (``|枫林镇``) names the county the phrase replaced; returns
    True when one does (the phrase is a county then, whichever)."""
    found = slots.towns_in_text(text)
    if not found:
        return False
    prefectures = set(codes_evidence) | {c.region.code for c in cands.values() if c.region.level == "prefecture"}
    seen = set()
    county_level = False
    for start, town, codes in found:
        counties = [registry.by_code[c] for c in codes if c in registry.by_code]
        if len(counties) > 1:
            counties = [c for c in counties if c.parent_code in prefectures]
        right_after = start > 0 and (text[start - 1] == "|" or (start > 1 and text[start - 2] == "|"
                                                                 and text[start - 1] in "县区市旗"))
        if right_after and counties:
            county_level = True
        if not counties or len(counties) > (3 if right_after else 1):
            continue
        for county in counties:
            key = (county.code, right_after)
            if key in seen:
                continue
            seen.add(key)
            weight = (1.5 if right_after else 1.0) / len(counties)
            why = (f"the phrase precedes {town}, a town of {county.name}" if right_after
                   else f"town {town} → {county.name}")
            cand(county).add(weight, why, own=True)
            parent = registry.parent(county)
            if parent is not None and not right_after:
                cand(parent).add(0.5, f"town {town} → {parent.name}")
    return county_level


def _pinyin_index(registry) -> dict[str, list]:
    """Full toneless pinyin of a region's short name → regions (wenzhou → 温州市)."""
    index: dict[str, list] = {}
    for region in registry.regions:
        full = full_pinyin(region.code)
        if len(full) >= 4:
            index.setdefault(full, []).append(region)
    return index


_TABLES: dict = {}


def registry_table(registry, build, *args):
    """`build(registry, *args)`: a lookup table derived from the region registry, built
    once per registry (and arguments)."""
    key = (build.__name__, id(registry), args)
    if key not in _TABLES:
        _TABLES[key] = build(registry, *args)
    return _TABLES[key]


def _prefectures_by_initials(registry) -> dict[str, list]:
    """Pinyin initials → prefectures (sm → 三明市)."""
    index: dict[str, list] = {}
    for region, letters in prefecture_initials(registry):
        index.setdefault(letters, []).append(region)
    return index


SUFFIX_LETTER = {"市": "s", "县": "x", "区": "q", "旗": "q"}
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# 统一社会信用代码: 18 characters, the 3rd to 8th the registering authority's area code
# (113708000043110332 → 370800 济宁市); government bodies' codes start with 11
CREDIT_CODE_RE = re.compile(r"(?<![0-9A-Z])11(\d{6})[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])", re.I)


def _spelled_prefectures(registry) -> dict[str, list]:
    """Initials plus the suffix's letter (hss → 衡水市, 黄山市 …) → prefectures, ≥ 3 letters."""
    index: dict[str, list] = {}
    for region, letters in prefecture_initials(registry):
        head = letters + SUFFIX_LETTER.get(region.name[-1:], "")
        if len(head) >= 3:
            index.setdefault(head, []).append(region)
    return index


def _spelled_children(registry, prefecture_code: str) -> list:
    """(county, initials + suffix letter) of a prefecture's counties with ≥ 2 initials."""
    return [(kid, initials(kid.code) + SUFFIX_LETTER.get(kid.name[-1:], ""))
            for kid in registry.children(registry.by_code[prefecture_code]) if len(initials(kid.code)) >= 2]


def add_url_evidence(url: str | None, registry, cand) -> None:
    """What the page's URL (mirrors keep the original's paths) says of the place: a place
    name percent-encoded in it (/wiki/成都市體育局…), a path segment that is a place's
    pinyin (/baoji/), or a prefecture's initials followed by one of its counties'
    (/hssgcx/ = 衡水市故城县)."""
    if not url:
        return
    from urllib.parse import unquote
    from gxcrawl.parse.spam.normalize import to_simplified
    path = urlsplit(url).path
    decoded = to_simplified(unquote(path, errors="replace"))
    if CJK_RE.search(decoded):
        for region in registry.find_in_text(decoded)[:1]:
            cand(region).add(2.0, f"the URL names {region.name}", own=True)
            return
    segments = [s for s in re.split(r"[/_.\-]", path.lower()) if s.isalpha() and s not in PATH_WORDS]
    places = registry_table(registry, _pinyin_index)
    for seg in segments:
        found = [r for r in places.get(seg, ()) if r.level in ("prefecture", "county")]
        if len(found) == 1:
            cand(found[0]).add(1.0, f"URL path /{seg}/ = {found[0].name}", own=True)
            return
    heads = registry_table(registry, _spelled_prefectures)
    for seg in segments:
        pairs = [(prefecture, kid) for n in range(3, 7) for prefecture in heads.get(seg[:n], ())
                 for kid, spelled in registry_table(registry, _spelled_children, prefecture.code)
                 if seg[n:].startswith(spelled)]
        if len(pairs) == 1:
            prefecture, kid = pairs[0]
            cand(kid).add(1.5, f"URL path /{seg}/ spells {prefecture.name}{kid.name}", own=True)
            return
    for seg in segments:
        found = department_segment(seg, registry)
        if found and len(found) <= 3:
            # a department's folder: the place's initials and the department's (/smczj/ =
            # 三明市财政局); initials several places share split the vote
            for region, department in found:
                cand(region).add(1.5 / len(found), f"URL path /{seg}/ spells {region.name}{department}"
                                 + (f" (one of {len(found)})" if len(found) > 1 else ""), own=True)
            return


def _department_initials(registry) -> dict[str, str]:
    """Pinyin initials → department (czj → 财政局, gaj → 公安局, wjw → 卫生健康委员会 …)."""
    from pypinyin import Style, lazy_pinyin
    table: dict[str, str] = {}
    for name in slots.DEPARTMENTS:
        for form in {name, name.replace("和", ""), name.replace("委员会", "委")}:
            letters = "".join(lazy_pinyin(form, style=Style.FIRST_LETTER))
            if len(letters) >= 3:
                table.setdefault(letters, name)
    return table


def _spelled_places(registry) -> dict[str, list]:
    """Initials (with and without the suffix's letter) → prefectures and counties."""
    index: dict[str, list] = {}
    for region in registry.regions:
        if region.level in ("prefecture", "county"):
            letters = initials(region.code)
            for key in {letters, letters + SUFFIX_LETTER.get(region.name[-1:], "")}:
                # two letters are a city's (sm = 三明); a county spells three or more
                if len(key) >= 3 or (len(key) == 2 and region.level == "prefecture"):
                    index.setdefault(key, []).append(region)
    return index


def department_segment(seg: str, registry) -> list[tuple[object, str]]:
    """(region, department) that a URL path segment spells as the place's initials followed
    by the department's: /smczj/ → 三明市 财政局 (a county's with its suffix: /gcxjyj/ →
    the counties spelled g-c-县: 故城县, 谷城县 …).

    >>> from gxcrawl.regions import load_registry
    >>> [(r.name, d) for r, d in department_segment("smczj", load_registry())]
    [('三明市', '财政局')]
    >>> sorted(r.name for r, d in department_segment("fzczj", load_registry()))
    ['抚州市', '福州市']
    """
    departments = registry_table(registry, _department_initials)
    places = registry_table(registry, _spelled_places)
    out = []
    for n in range(3, min(len(seg) - 1, 8) + 1):
        department = departments.get(seg[-n:])
        if department:
            out += [(region, department) for region in places.get(seg[:-n], ())]
    return out


def add_credit_code_evidence(text: str, url: str | None, registry, cand) -> None:
    """The area code inside a government body's 统一社会信用代码 (in the text, or in the
    URL of the shared 年报 module: xxgkAnnualReport.jsp?area=113708000043110332)."""
    query = urlsplit(url).query if url else ""
    for m in CREDIT_CODE_RE.finditer(query + " " + text):
        code = m.group(1)
        region = registry.by_code.get(code) or registry.by_code.get(code[:4] + "00")
        if region is not None and region.level != "province":
            cand(region).add(2.0, f"统一社会信用代码 {m.group()[:8]}… → {region.name}", own=True)
            return


def add_county_from_url(url: str | None, registry, cand, codes_evidence: dict) -> None:
    """A county of the prefecture the postcode / area code point to, spelled at the head
    of a URL path segment: /slsxxgkw/ = 舒兰市 (s-l + s for 市), /yongjia/ = 永嘉县.  Mirrors
    copy the original's paths."""
    if not url or not codes_evidence:
        return
    segments = [s for s in re.split(r"[/_.\-]", urlsplit(url).path.lower()) if s.isalpha() and s not in PATH_WORDS]
    if not segments:
        return
    children = [child for code in codes_evidence for child in registry.children(registry.by_code[code])]
    spellings = []
    for child in children:
        ini, full = initials(child.code), full_pinyin(child.code)
        spelled = ini + SUFFIX_LETTER.get(child.name[-1:], "")
        spellings.append((child, spelled if len(spelled) >= 3 else None, full if len(full) >= 4 else None))
    # the first segment that spells one county names the site (/slsxxgkw/…/cyqrmzfbgs/:
    # 舒兰市's disclosure site, then a department's folder)
    for seg in segments:
        matches = [child for child, spelled, full in spellings
                   if (spelled and seg.startswith(spelled)) or (full and seg.startswith(full))]
        if len(matches) == 1:
            cand(matches[0]).add(1.0, f"URL path /{seg}/ spells {matches[0].name}", own=True)
            return


# 文号 prefixes keep the place's abbreviation: 齐政办发〔2019〕29号 (齐齐哈尔), 温政发, 安府办
DOCNUM_RE = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{1,2})(?:政办发|政办函|政办|政发|政函|府办发|府办|府发)"
                       r"\s*[〔\[(（]\d{4}[〕\])）]")


def add_docnum_evidence(text: str, registry, cands: dict, cand, provinces: dict, codes_evidence: dict) -> None:
    """Votes from document numbers: the abbreviation before 政办发〔2019〕 names the place
    when exactly one prefecture or county of the provinces in view (mentioned, or holding a
    candidate) has a short name starting with it."""
    abbreviations = {m.group(1) for m in DOCNUM_RE.finditer(text)}
    if not abbreviations:
        return
    in_view = set(provinces) | {registry.province_of(c.region).code for c in cands.values()}
    in_view |= {registry.province_of(registry.by_code[code]).code for code in codes_evidence}
    if not in_view:
        return
    for abbreviation in abbreviations:
        matches = [r for r in registry.regions if r.level in ("prefecture", "county") and r.short
                   and r.short.startswith(abbreviation) and registry.province_of(r).code in in_view]
        prefectures = [r for r in matches if r.level == "prefecture"]
        chosen = prefectures if len(prefectures) == 1 else (matches if len(matches) == 1 else [])
        for region in chosen:
            cand(region).add(1.0, f"文号 {abbreviation}…〔年〕 → {region.name}", own=True)


def add_domain_candidates(text: str, registry, cand) -> None:
    """gov.cn hosts named in the text make candidates of their own: changchun.gov.cn →
    长春市, sm.gov.cn → 三明市 (initials of a single prefecture)."""
    hosts = provenance.gov_hosts_in_text(text)
    if not hosts:
        return
    index = registry_table(registry, _pinyin_index)
    by_initials = registry_table(registry, _prefectures_by_initials)
    for host in hosts:
        label = provenance.registrable(host).split(".")[0]
        regions = index.get(label) or (by_initials.get(label) if len(label) <= 4 else None) or []
        if 0 < len(regions) <= 2:
            for region in regions:
                cand(region)


def container_of_phrase(masked: str, registry):
    """The place written right before the phrase when a county slot follows it
    (重庆市|二郎街道, 宁德市|人民政府办公室): the phrase replaced a place inside it."""
    for pos in phrase_marks(masked):
        if pos and masked[pos - 1] in slots.ADMIN_CHARS and slots.county_slot(masked, pos + 1):
            place = slots.preceding_place(masked, pos, registry)
            if place and len(place) > 1:
                regions = [r for r in registry.find(place) if r.level != "county"]
                if len(regions) == 1 and registry.children(regions[0]):
                    return regions[0]
    return None


# a phrase's mark in the masked text sits between words; a table's cell separator has
# spaces around it
PHRASE_MARK_RE = re.compile(r"(?<![ |])\|(?![ |])")


@lru_cache(maxsize=4)
def phrase_marks(masked: str) -> tuple[int, ...]:
    """Positions of the ``|`` that stand for injected phrases in `masked`."""
    return tuple(m.start() for m in PHRASE_MARK_RE.finditer(masked))


def kept_suffix(masked: str) -> str:
    """市 / 县 / 区 / 旗 when most occurrences of the phrases are followed by it and then a
    template word (|县人民政府, |市政府): the phrase replaced a short name."""
    counts: dict[str, int] = {}
    total = 0
    for pos in phrase_marks(masked):
        if pos + 1 < len(masked):
            total += 1
            nxt = masked[pos + 1]
            if nxt in "市县区旗" and KEPT_AFTER_RE.match(masked, pos + 2) \
                    and not masked.startswith(slots.NOT_A_SUFFIX, pos + 1):
                counts[nxt] = counts.get(nxt, 0) + 1
    if not counts:
        return ""
    suffix, n = max(counts.items(), key=lambda kv: kv[1])
    return suffix if n * 2 > total else ""


KEPT_AFTER_RE = re.compile(r"人民|政府|委|政务|[\u4e00-\u9fff]{0,8}?(?:局|委员会|办公室|中心)")


def add_parallel_evidence(masked: str, cands: dict) -> None:
    """A place written unreplaced where the phrase stands elsewhere (永嘉县人民政府办公室 once,
    |人民政府办公室 everywhere else): the mirror missed one occurrence of what it replaced."""
    followers: dict[str, int] = {}
    for pos in phrase_marks(masked):
        nxt = masked[pos + 1:pos + 3]
        if len(nxt) == 2 and "\u4e00" <= nxt[0] <= "\u9fff":
            followers[nxt] = followers.get(nxt, 0) + 1
    if not followers:
        return
    top = max(followers.items(), key=lambda kv: kv[1])[0]
    for c in cands.values():
        for name in {c.region.name, c.region.short}:
            if name and len(name) >= 2 and name + top in masked:
                c.add(1.5, f"written unreplaced where the phrase stands: {name}{top}…", own=True)
                break


LEVEL_RE = re.compile(r"(?:我|全|本)(省|市|区|县|旗)(?![长委级民])")


def add_level_evidence(text: str, cands: dict) -> None:
    """我市 / 全区 / 本县: the page speaks as a 市, a 区 or a 县 — the region's suffix."""
    counts: dict[str, int] = {}
    for m in LEVEL_RE.finditer(text):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    if not counts:
        return
    level, n = max(counts.items(), key=lambda kv: kv[1])
    if n < 2 or n * 2 <= sum(counts.values()):
        return
    for c in cands.values():
        if c.own > 0 and slots.suffix_of(c.region.name).endswith(level):
            c.add(0.75, f"the page speaks of 我{level}/全{level} ×{n}")


def candidates_from_letters(text: str, registry) -> list:
    """Prefectures whose pinyin initials match the 索引号 prefix, when nothing else names a
    place (FZ → 抚州市, 福州市); the other evidence then decides."""
    index = [m.group(1) for m in INDEX_RE.finditer(text)][:1]
    if not index:
        return []
    return [region for region, letters in prefecture_initials(registry)
            if index[0].startswith(letters)]


def prefecture_initials(registry) -> list:
    """(prefecture, its pinyin initials) for every prefecture with at least two letters."""
    return registry_table(registry, _prefecture_initials)


def _prefecture_initials(registry) -> list:
    return [(r, initials(r.code)) for r in registry.regions
            if r.level == "prefecture" and len(initials(r.code)) >= 2]


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


TEXT_URL_RE = re.compile(r"https?://[a-z0-9.-]+(/[a-z0-9_./-]+)")
# path segments of CMS URLs that are no place's initials
PATH_WORDS = set("""html htm shtml index content contents art col cols info infos news module modules
site sites web cms pub public upload uploads files file detail details article articles list lists
page pages gkml xxgk xxgkml zwgk zfxxgk zfxxgknb xxgknb ndbg nb gongkai zfxx gov home main special
channel channels post posts view show tpl template jsp asp php""".split())


def add_initials_evidence(text: str, url: str | None, cands: dict) -> None:
    """Votes from letters: 索引号 prefix, e-mail local parts, gov.cn domain labels (and
    their subdomains: jaq.fuzhou.gov.cn ~ 晋安区), URL path."""
    index = [m.group(1) for m in INDEX_RE.finditer(text)][:3]
    locals_ = {m.group(1) for m in provenance.EMAIL_RE.finditer(text)}
    hosts = list(provenance.gov_hosts_in_text(text))
    labels = {provenance.registrable(h).split(".")[0] for h in hosts}
    subs = {lb for h in hosts for lb in h[:-len(provenance.registrable(h))].split(".")
            if 2 <= len(lb) <= 5 and lb not in ("www", "mail", "xxgk", "zwgk")}
    paths = [urlsplit(url).path.lower() if url else ""] + TEXT_URL_RE.findall(text)[:3]
    segments = [s for path in paths for s in re.split(r"[/_.\-]", path)
                if s.isalpha() and s not in PATH_WORDS][:6]
    for c in cands.values():
        ini, full = initials(c.region.code), full_pinyin(c.region.code)
        if len(ini) < 2:
            continue
        if any(p.startswith(ini) for p in index):
            c.add(1.5, f"索引号 prefix {index[0].upper()} = {ini.upper()}", own=True)
        local = next((lp for lp in locals_ if lp.startswith(full) or lp.startswith(ini)), None)
        if local:
            c.add(1.0, f"e-mail prefix {local}@ ~ {full if local.startswith(full) else ini}", own=True)
        label = next((lb for lb in labels if lb in (ini, full) or lb.endswith(ini) or lb == full), None)
        if label:
            c.add(1.5, f"gov.cn domain {label} ~ {c.region.short}", own=True)
        elif c.region.level == "county":
            sub = next((lb for lb in subs if lb == full or (lb.startswith(ini) and len(lb) <= len(ini) + 1)), None)
            if sub:
                c.add(1.0, f"gov.cn subdomain {sub} ~ {c.region.short}", own=True)
        seg = next((s for s in segments if s.startswith(full) or (len(s) > 3 and s.startswith(ini))), None)
        if seg:
            c.add(0.5, f"URL path /{seg}/ ~ {ini}", own=True)


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
    if evidence_kinds(best.evidence) < KINDS_NEEDED and best.score < STRONG_SINGLE:
        conf = min(conf, MIN_CONFIDENCE - 0.01)
    form = slots.place_form(text, spans, best.region.name)
    name = best.region.short if form == "short" and best.region.short else best.region.name
    slot_note = ("the text keeps the suffix after the phrase (…" + slots.suffix_of(best.region.name)
                 + "政府): short name") if form == "short" else "slot holds the full name"
    return name, best.evidence + [slot_note], conf
