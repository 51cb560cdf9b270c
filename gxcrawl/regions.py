"""The administrative-division registry bundled with gxcrawl.

Every province, prefecture and county with its 6-digit code (data/regions.tsv),
and each prefecture's telephone area code and postcode (data/citycodes.tsv),
both generated from the jionlp package by scripts/build_regions.py.

>>> registry = load_registry()
>>> registry.by_code["350400"].name
'三明市'
>>> [r.code for r in registry.find("三明")]
['350400']
>>> registry.find_in_text("福建省三明市人民政府办公室")[0].name
'三明市'
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from gxcrawl.wordfinder import WordFinder

from gxcrawl.data import DATA
SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区",
            "省", "市", "州", "盟", "县", "区", "旗")


@dataclass(frozen=True)
class Region:
    code: str
    name: str           # full name: 三明市
    short: str          # short name: 三明
    level: str          # province | prefecture | county
    parent_code: str

    def as_dict(self) -> dict:
        return {"name": self.name, "code": self.code}


@dataclass(frozen=True)
class CityCodes:
    province_short: str
    city_short: str
    area_code: str
    postcode: str


class Registry:
    def __init__(self, regions: list[Region], citycodes: list[CityCodes]):
        self.regions = regions
        self.by_code = {r.code: r for r in regions}
        self.by_name: dict[str, list[Region]] = {}
        for r in regions:
            for key in {r.name, r.short}:
                if key:
                    self.by_name.setdefault(key, []).append(r)
        self.citycodes = citycodes
        # several cities can share a telephone area code (024: 沈阳, 抚顺, 本溪, 铁岭) or a
        # postcode prefix (2360: 阜阳, 亳州): every one is kept.  Postcodes are compared
        # zero-padded (the table may hold 10000 for 010000).
        self.by_area_code: dict[str, list[CityCodes]] = {}
        self.by_postcode: dict[str, list[CityCodes]] = {}      # first four digits
        self.by_postal_zone: dict[str, list[CityCodes]] = {}   # first three digits
        for c in citycodes:
            postcode = c.postcode.zfill(6)
            self.by_area_code.setdefault(c.area_code, []).append(c)
            self.by_postcode.setdefault(postcode[:4], []).append(c)
            self.by_postal_zone.setdefault(postcode[:3], []).append(c)
        # names indexed by first character, longest first, so 福州市晋安区 finds
        # 晋安区 and not 安区. Two-character short names (城区, 中山) are too
        # ambiguous in running text; two-character full names (盘县) are kept.
        full_names = {r.name for r in regions}
        self._names = WordFinder(name for name in self.by_name
                                 if len(name) >= 3 or (len(name) == 2 and name in full_names))
        self._children: Optional[dict[str, list[Region]]] = None

    def parent(self, region: Region) -> Optional[Region]:
        return self.by_code.get(region.parent_code)

    def ancestors(self, region: Region) -> list[Region]:
        out, cur = [], self.parent(region)
        while cur is not None and cur not in out and cur != region:
            out.append(cur)
            cur = self.parent(cur)
        return out

    def province_of(self, region: Region) -> Region:
        chain = [region] + self.ancestors(region)
        return chain[-1]

    def children(self, region: Region) -> list[Region]:
        if self._children is None:
            self._children = {}
            for r in self.regions:
                self._children.setdefault(r.parent_code, []).append(r)
        return list(self._children.get(region.code, ()))

    def descendants(self, region: Region) -> list[Region]:
        out = []
        for child in self.children(region):
            out.append(child)
            out.extend(self.descendants(child))
        return out

    def find(self, name: str) -> list[Region]:
        """Regions whose full or short name is `name` (or its code)."""
        name = name.strip()
        if name.isdigit() and name in self.by_code:
            return [self.by_code[name]]
        return list(self.by_name.get(name, []))

    def places_in_text(self, text: str, context: str = "") -> list[tuple[int, str, Region]]:
        """(start, name as written, region) of each region name in `text`, left to right,
        disambiguated like `find_in_text`.

        >>> [(s, n, r.code) for s, n, r in load_registry().places_in_text("由福州市晋安区编制")]
        [(1, '福州市', '350100'), (4, '晋安区', '350111')]
        """
        haystack = text + context
        out = []
        for start, name in self._names.find(text):
            best = self._disambiguate(self.by_name[name], haystack)
            if best is not None:
                out.append((start, name, best))
        return out

    def find_in_text(self, text: str, context: str = "") -> list[Region]:
        """Regions named in `text`, most specific first (a county before its
        prefecture), each disambiguated by the names around it in `text` and
        `context` (e.g. 福州市晋安区 picks the 晋安区 of 福州)."""
        found = [(start, region) for start, _, region in self.places_in_text(text, context)]
        order = {"county": 0, "prefecture": 1, "province": 2}
        found.sort(key=lambda pair: (order[pair[1].level], pair[0]))
        seen, out = set(), []
        for _, region in found:
            if region.code not in seen:
                seen.add(region.code)
                out.append(region)
        return out

    def _disambiguate(self, candidates: list[Region], text: str) -> Optional[Region]:
        if len(candidates) == 1:
            return candidates[0]
        scored = []
        for region in candidates:
            score = sum(1 for a in self.ancestors(region) if a.short and a.short in text)
            scored.append((score, region.level == "prefecture", region))
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        if len(scored) > 1 and scored[0][:2] == scored[1][:2] and scored[0][0] == 0:
            return None   # ambiguous and nothing in the text decides
        return scored[0][2]

    def cities_of_area_code(self, area_code: str) -> list[CityCodes]:
        """Every city of a telephone area code.

        >>> [c.city_short for c in load_registry().cities_of_area_code("0598")]
        ['三明']
        """
        return list(self.by_area_code.get(area_code, ()))

    def cities_of_postcode(self, postcode: str) -> list[CityCodes]:
        """The cities whose postcode shares the first four digits; else, when the postal
        zone (first three digits) has one city, that city (325112 of 永嘉 → 温州).

        >>> [c.city_short for c in load_registry().cities_of_postcode("325112")]
        ['温州']
        """
        postcode = postcode.zfill(6)
        rows = self.by_postcode.get(postcode[:4])
        if rows:
            return list(rows)
        zone = self.by_postal_zone.get(postcode[:3], [])
        return list(zone) if len(zone) == 1 else []


@dataclass(frozen=True)
class Zone:
    """A functional zone with a government of its own that the division registry does not
    list (杨凌示范区, 两江新区): data/zones.tsv, each row with the source that makes it certain."""
    name: str           # 杨凌示范区
    short: str          # 杨凌
    kind: str           # 示范区 | 经济开发区 | 新区 …
    parent_code: str
    hosts: tuple[str, ...]
    source: str


@lru_cache(maxsize=1)
def load_zones() -> tuple[Zone, ...]:
    """
    >>> [z.name for z in load_zones() if "yangling.gov.cn" in z.hosts]
    ['杨凌示范区']
    """
    return tuple(Zone(r["name"], r["short"], r["kind"], r["parent_code"], tuple(r["hosts"].split(",")), r["source"])
                 for r in _read("zones.tsv"))


def _read(name: str) -> list[dict]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    regions = [Region(**row) for row in _read("regions.tsv")]
    citycodes = [CityCodes(**row) for row in _read("citycodes.tsv")]
    return Registry(regions, citycodes)


def strip_suffix(name: str) -> str:
    """三明市 → 三明; 宁德市蕉城区 → 宁德市蕉城 (only the last suffix)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
