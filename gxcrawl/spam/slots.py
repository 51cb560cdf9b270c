"""Template slots: positions of a report that must hold a place name or a fixed phrase.

A report says ``温州市人民政府``, ``抚州市政务服务管理局``, ``《中华人民共和国政府信息公开条例》``;
a mirror writes its brand into those positions.  These helpers tell what surrounds a
span of (normalised) text, and find slot fillers that are not place names.

>>> slot_after("英国威廉希尔公司市人民政府办公室", 8)
'市人民政府'
>>> preceding_place("石家庄市36500365体育在线投注办公室", 4)
'石家庄市'
"""
from __future__ import annotations

import re

from ..regions import SUFFIXES

ADMIN_CHARS = "省市州盟县区旗镇乡"
# fixed words that follow a place in report templates (longest first)
FOLLOWERS = sorted("""市人民政府 县人民政府 区人民政府 人民政府 市政府 县政府 区政府 政府 市委 县委 区委 委
市政务服务管理局 政务服务管理局 市 县 区 镇 乡 各级 各县 全市 政府信息公开 信息公开 政务公开
门户网站 办公室 有关要求 政府公报""".split(), key=len, reverse=True)
# words a slot filler may not run into (on the right) when a phrase is extended
STOP_RIGHT = sorted(set(FOLLOWERS) | set("""人民 政务 信息 办公 有关 门户 网站 委员会 管理局
机关 部门 各部门 工作 年度 公开 坚持 深入 认真 中心""".split()), key=len, reverse=True)
# characters a slot filler may not run into on the left
STOP_LEFT = set(ADMIN_CHARS) | set("由在与和及年的对向将从为是了于按据经据并或等到把被让给同跟向")
BOUNDARY_RE = re.compile(r"[\s,。、;:!?,.;:!?“”\"'‘’《》〈〉()()\[\]【】<>|/\\·•…—\-]")
PROVINCE_WORDS = re.compile(r"(中共|中国|中华人民共和国)$")


def is_boundary(ch: str) -> bool:
    """Punctuation and white space end a phrase (the underscore of chains does not).

    >>> is_boundary("_"), is_boundary("。")
    (False, True)
    """
    return bool(BOUNDARY_RE.match(ch))


def slot_after(text: str, end: int) -> str | None:
    """The template word that follows position `end`, if any."""
    for word in FOLLOWERS:
        if text.startswith(word, end):
            return word
    return None


STOP_RIGHT_RE = re.compile("|".join(map(re.escape, STOP_RIGHT)))


def stops_right(text: str, pos: int) -> bool:
    """True when a phrase extended to `pos` would run into a template word.

    >>> stops_right("365体育人民政府", 5), stops_right("365体育人民政府", 3)
    (True, False)
    """
    return STOP_RIGHT_RE.match(text, pos) is not None


def stops_left(text: str, pos: int) -> bool:
    """True when the character at `pos` may not be absorbed by a phrase growing left."""
    return pos < 0 or text[pos] in STOP_LEFT or is_boundary(text[pos])


def preceding_place(text: str, start: int, registry=None) -> str | None:
    """The place name (or bare admin suffix) right before `start`: 石家庄市 / 市 / None.

    A phrase preceded by a place name replaced a department, not the place."""
    if start <= 0 or text[start - 1] not in ADMIN_CHARS:
        return None
    if registry is None:
        from ..regions import load_registry
        registry = load_registry()
    for length in range(min(start, 12), 1, -1):
        candidate = text[start - length:start]
        if candidate in registry.by_name:
            return candidate
    return text[start - 1]


def suffix_of(name: str) -> str:
    """The administrative suffix of a full name: 抚州市 → 市, 兴国县 → 县, 广西壮族自治区 → 自治区.

    >>> suffix_of("抚州市"), suffix_of("兴国县")
    ('市', '县')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return ""


def place_form(text: str, spans, region_name: str) -> str:
    """Which form of the place the phrase stood for: the short name when the text keeps
    the suffix after the phrase in most occurrences (英国威廉希尔公司市政府 → 抚州), else the
    full name (365…人民政府 → 温州市人民政府).

    >>> place_form("X市政府。X市人民政府", [(0, 1), (5, 6)], "抚州市")
    'short'
    >>> place_form("X人民政府。X鹿城区", [(0, 1), (6, 7)], "温州市")
    'full'
    """
    suffix = suffix_of(region_name)
    if not suffix or not spans:
        return "full"
    kept = sum(1 for _, end in spans if text.startswith(suffix, end))
    return "short" if kept * 2 > len(spans) else "full"


def department_slot(text: str, spans, registry=None) -> bool:
    """True when most occurrences follow a place name or a bare 市/县: the phrase replaced
    a department name (石家庄市36500365体育在线投注 = 石家庄市XX局), not the place."""
    if not spans:
        return False
    placed = sum(1 for start, _ in spans if preceding_place(text, start, registry))
    return placed * 2 > len(spans)


def filler_is_place(filler: str, registry) -> bool:
    """Whether a slot filler (text before 人民政府 …) is a place or a generic word.

    >>> from gxcrawl.regions import load_registry
    >>> filler_is_place("福建省三明市", load_registry()), filler_is_place("365bet网上娱乐", load_registry())
    (True, False)
    """
    if not filler:
        return True
    for length in range(min(len(filler), 12), 1, -1):
        if filler[-length:] in registry.by_name:
            return True
    return filler[-1] in ADMIN_CHARS and len(filler) <= 4 or filler in GENERIC_FILLERS


GENERIC_FILLERS = set("各级 本级 上级 当地 地方 乡镇 区县 县区 各 本 省 市 县 区 乡 镇 街道 我".split())


def anomalous_fillers(text: str, registry) -> list[tuple[int, int]]:
    """Spans before 人民政府 that hold Latin letters or an underscore chain and are not a place
    — brand slots the lexicon may not know (``bjmssf88娱乐人民政府``).

    >>> from gxcrawl.regions import load_registry
    >>> t = "由abc88娱乐人民政府办公室编制。福建省三明市人民政府"
    >>> [t[s:e] for s, e in anomalous_fillers(t, load_registry())]
    ['abc88娱乐']
    """
    out = []
    pos = text.find("人民政府")
    while pos >= 0:
        end = pos - 1 if pos > 0 and text[pos - 1] in "市县区" else pos
        start = end
        while start > max(0, end - 40) and FILLER_CHAR.match(text[start - 1]) \
                and not stops_left(text, start - 1):
            start -= 1
        filler = text[start:end]
        if len(filler) >= 3 and re.search(r"[a-z_]", filler) and not filler_is_place(filler, registry):
            out.append((start, end))
        pos = text.find("人民政府", pos + 4)
    return out


FILLER_CHAR = re.compile(r"[0-9a-z_\u4e00-\u9fff]")
