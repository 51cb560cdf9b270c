"""Grow lexicon hits into the injected phrases a mirror wrote into the page.

1. Hits of the lexicon that lie close together form a *core* (``365体育`` … ``打不开网址``).
2. A core that occurs several times is extended by *consensus*: left and right while every
   occurrence has the same neighbour, never over punctuation, an administrative suffix
   (市, 县 …) or a template word (人民政府, 信息公开 …).  The brand ``英国威廉希尔公司`` is the
   longest string common to all its contexts (``英国威廉希尔公司市政府``, ``…公司、市政府``).
3. A core seen once is extended over Latin letters/digits, filler words (app, 官网, 下载,
   苹果版 …, data/spam_filler.txt) and whole ``_``-separated chain segments.
4. The phrase is kept when its score (hits + bonuses for a ``_`` chain, repetition and a
   template slot) reaches 1.0 and it has one strong hit or some structural evidence.
5. Fillers of template slots that are not places (slots.slot_fillers) are phrases too
   when they look like a brand (betting words, Latin letters or digits mixed in, a chain)
   or fill place slots repeatedly: brands the lexicon does not know (``博发体育人民政府``).
   A slot filler also fixes where a lexicon phrase begins (大富豪 + 国际娱乐官网).
6. A phrase never ends inside a department name or before a town (万博体育|局 → 万博,
   万博枫林|镇 → 万博), and a longer phrase seen far less often than a shorter one inside
   it is dropped in favour of the shorter.

>>> [p.text for p in find_phrases("由365bet网上娱乐_365体育平台网址人民政府办公室编制。以及365bet网上娱乐_365体育平台网址有关要求")]
['365bet网上娱乐_365体育平台网址']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gxcrawl.parse.spam import slots
from gxcrawl.parse.spam.lexicon import Hit, scan

from gxcrawl.data import DATA
CORE_GAP = 2          # hits at most this many characters apart form one core
MIN_CORE = 0.6        # a core needs one hit at least this heavy
THRESHOLD = 1.0
ASCII_RUN = re.compile(r"[0-9a-z]+")


@dataclass
class Phrase:
    text: str                          # as in the normalised text
    spans: list[tuple[int, int]]       # occurrences in the normalised text
    score: float
    hits: list[str] = field(default_factory=list)
    standalone: bool = False           # the phrase is a whole line (an injected title)
    slot: str | None = None            # template word that follows it most often

    def as_evidence(self) -> str:
        return f"{len(self.spans)}× lexicon {', '.join(sorted(set(self.hits))[:6])}"


@lru_cache(maxsize=1)
def filler_words() -> tuple[str, ...]:
    path = DATA / "spam_filler.txt"
    words = [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")] if path.exists() else []
    return tuple(sorted(set(words), key=len, reverse=True))


def cores(hits: list[Hit], text: str = "") -> list[tuple[int, int]]:
    """Cluster hits into [start, end) cores (never across punctuation); drop clusters of
    weak hits only.

    >>> from gxcrawl.parse.spam.lexicon import scan
    >>> t = "通过平台下载,365体育怎么打不开网址"
    >>> cores(scan(t), t)
    [(7, 19)]
    """
    out, cur, heavy = [], None, 0.0
    for hit in hits:
        if cur and hit.start - cur[1] <= CORE_GAP and not any(
                slots.is_boundary(ch) for ch in text[cur[1]:hit.start]):
            cur = (cur[0], max(cur[1], hit.end))
            heavy = max(heavy, hit.weight)
            continue
        if cur and heavy >= MIN_CORE:
            out.append(cur)
        cur, heavy = (hit.start, hit.end), hit.weight
    if cur and heavy >= MIN_CORE:
        out.append(cur)
    return out


def occurrences(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + len(needle))
    return out


# what betting sites append to a brand: 开云体育(中国)官方网站, 华体会(中国)官网,
# 澳门新葡京(官方), bet365【官方认证】
BRAND_TAIL_RE = re.compile(r"[((]中国[))](?:官方网站|官方网|官网|官方平台|官方入口|有限公司)?|官方网站"
                           r"|[((【\[](?:官方|官网|认证|官方认证|官方授权|正版|中文版|app|官方入口)[))】\]]")


def brand_tail(text: str, pos: int) -> str:
    """The ``(中国)官方网站`` or ``【官方认证】`` tail of a brand starting at `pos`, or "".

    >>> brand_tail("澳门新葡京(官方)人民政府", 5), brand_tail("bet365【官方认证】政府", 6)
    ('(官方)', '【官方认证】')
    """
    m = BRAND_TAIL_RE.match(text, pos)
    return m.group() if m else ""


# template words a phrase growing left stops at (三明市人民政府办公室|BRAND印发…)
LEFT_TEMPLATE_WORDS = ("办公室", "办公厅", "人民政府", "国务院", "委员会")


def extend_consensus(text: str, starts: list[int], length: int) -> tuple[int, int]:
    """Grow all occurrences together; return (left growth, right growth)."""
    left = 0
    while True:
        pos = [s - left - 1 for s in starts]
        if min(pos) < 0:
            break
        ch = text[pos[0]]
        if all(text[p] == ch and slots.joins_brand(text, p, -1) for p in pos):
            left += 1
            continue
        if any(text[p] != ch for p in pos) or slots.is_boundary(ch) or ch in slots.ADMIN_CHARS:
            break
        if any(text.endswith(word, 0, pos[0] + 1) for word in LEFT_TEMPLATE_WORDS):
            break               # …办公室|BRAND: the template word is not part of the brand
        left += 1
    right = 0
    while True:
        pos = [s + length + right for s in starts]
        if max(pos) >= len(text):
            break
        tail = brand_tail(text, pos[0])
        if tail and all(text.startswith(tail, p) for p in pos):
            right += len(tail)
            continue
        ch = text[pos[0]]
        if all(text[p] == ch and slots.joins_brand(text, p, 1) for p in pos):
            right += 1
            continue
        if any(text[p] != ch for p in pos) or slots.is_boundary(ch):
            break
        if any(slots.stops_right(text, p) for p in pos) or slots.town_at(text, pos[0]):
            break
        right += 1
    return left, right


def extend_alone(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a single occurrence over Latin runs, filler words and chain segments."""
    fillers = filler_words()
    while end < len(text):
        tail = brand_tail(text, end)
        if tail:
            end += len(tail)
            continue
        m = ASCII_RUN.match(text, end)
        if m:
            end = m.end()
            continue
        if text[end] == "_":
            seg_end = end + 1
            while seg_end < len(text) and not slots.is_boundary(text[seg_end]) \
                    and text[seg_end] != "_" and not slots.stops_right(text, seg_end):
                seg_end += 1
            if seg_end == end + 1:
                break
            end = seg_end
            continue
        word = next((w for w in fillers if text.startswith(w, end)), None)
        if word is None or slots.stops_right(text, end):
            break
        end += len(word)
    while start > 0:
        ch = text[start - 1]
        if ch.isascii() and ch.isalnum():
            start -= 1
            continue
        if ch == "_":
            seg = start - 1
            while seg > 0 and not slots.is_boundary(text[seg - 1]) and text[seg - 1] != "_" \
                    and text[seg - 1] not in slots.ADMIN_CHARS:
                seg -= 1
            if seg == start - 1:
                break
            start = seg
            continue
        word = next((w for w in fillers if text.endswith(w, 0, start)), None)
        if word is None:
            break
        start -= len(word)
    return start, end


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


# words of a report title: a chain on a line with these replaced a place in the title
# (365bet…人民政府2022年政府信息公开工作年度报告), it is not the whole line
TITLE_WORDS_RE = re.compile(r"政府|报告|公开|年度|办公|局|委员会|中心|街道|\d{4}年")


def trim_right(text: str, phrase: str, starts: list[int]) -> str:
    """Cut a phrase that ends inside a template word continuing after it (万博体育|局 →
    万博, when every occurrence is followed by 局 so that 体育局 is the department)."""
    if not starts:
        return phrase
    for k in range(max(1, len(phrase) - 5), len(phrase)):
        if all((m := slots.STOP_RIGHT_RE.match(text, s + k)) and (
                m.end() > s + len(phrase) or m.end() == s + len(phrase) and m.group() in slots.DEPARTMENT_SET)
               for s in starts):
            return phrase[:k]
    return phrase


def grow(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The full phrase around core [start, end) and the starts of its occurrences."""
    core = text[start:end]
    starts = occurrences(text, core)
    if len(starts) >= 2:
        left, right = extend_consensus(text, starts, len(core))
        phrase = text[start - left:end + right]
    else:
        s, e = extend_alone(text, start, end)
        phrase = text[s:e]
        # a lone `_` chain that fills its whole line is an injected title: take the line
        ls, le = line_bounds(text, s, e)
        line = text[ls:le].strip()
        if "_" in line and phrase in line and not any(slots.is_boundary(c) for c in line if c != " ") \
                and not TITLE_WORDS_RE.search(line.replace(phrase, "|")):
            phrase = line
    phrase = trim_right(text, phrase, occurrences(text, phrase))
    return phrase, occurrences(text, phrase)


def score_phrase(text: str, phrase: str, spans) -> tuple[float, list[str], float, str | None]:
    """Score = lexicon hits + bonuses; returns (score, hit terms, strongest hit, slot)."""
    hits = scan(phrase)
    base = sum(h.weight for h in hits)
    strongest = max((h.weight for h in hits), default=0.0)
    bonus = 0.0
    if phrase.count("_") >= 1 and len(phrase) >= 8:
        bonus += 0.3
    if len(spans) >= 3:
        bonus += 0.2
    followers = [slots.slot_after(text, e) for _, e in spans]
    named = [f for f in followers if f]
    slot = max(set(named), key=named.count) if named else None
    if slot and len(named) * 2 >= len(spans):
        bonus += 0.4
    return base + bonus, [h.term for h in hits], strongest if bonus == 0 else max(strongest, bonus), slot


SLOT_ANOMALY = 0.6     # a filler that is not a place, in a position that must hold one
WEAK_ANOMALY = 0.4     # … in a weaker position (before a department name, 政务公开)
BRAND_SHAPE = 0.4      # … that has betting words or an underscore chain
MIXED_SCRIPT = 0.4     # … that mixes Chinese with Latin letters or digits (永盈88, ky开元)
CJK_RE = re.compile(r"[\u4e00-\u9fff]{2,}")
MIXED_RE = re.compile(r"[\u4e00-\u9fff][0-9a-z]|[0-9a-z][\u4e00-\u9fff]")


def find_phrases(text: str, hits: list[Hit] | None = None, registry=None) -> list[Phrase]:
    """Injected phrases of normalised `text`, longest first."""
    hits = scan(text) if hits is None else hits
    spans = cores(hits, text)
    found: dict[str, Phrase] = {}
    grown: dict[str, str] = {}
    for start, end in spans:
        core = text[start:end]
        if core in grown:                       # same core seen before: same phrase
            continue
        phrase, starts = grow(text, start, end)
        grown[core] = phrase
        phrase = phrase.strip(" _")
        if len(phrase) < 2 or phrase in found:
            continue
        occ = [(s, s + len(phrase)) for s in occurrences(text, phrase)]
        total, terms, strongest, slot = score_phrase(text, phrase, occ)
        if total < THRESHOLD or strongest < THRESHOLD and total < THRESHOLD + 0.3:
            continue
        found[phrase] = _phrase(text, phrase, occ, total, terms, slot)
    if registry is not None:
        for filler, strong, weak in slots.slot_fillers(text, registry):
            _add_slot_filler(text, filler, strong, weak, found)
    # drop phrases contained in longer ones — unless the shorter one is written far more
    # often (豪门棋牌 ×18 inside a stray 豪门棋牌委 ×1: the longer one is the mistake)
    ordered = sorted(found.values(), key=lambda p: -len(p.text))
    dropped = set()
    for i, long in enumerate(ordered):
        for short in ordered[i + 1:]:
            if short.text in long.text and short.text not in dropped and long.text not in dropped:
                if len(long.spans) * 2 >= len(short.spans):
                    dropped.add(short.text)
                else:
                    dropped.add(long.text)
    return [p for p in ordered if p.text not in dropped]


def _phrase(text, phrase, occ, total, terms, slot) -> Phrase:
    standalone = any(text[ls:le].strip() == phrase
                     for ls, le in (line_bounds(text, s, e) for s, e in occ))
    return Phrase(phrase, occ, round(total, 2), terms, standalone, slot)


def _add_slot_filler(text: str, filler: str, strong: int, weak: int, found: dict) -> None:
    """Score a non-place slot filler (slots.slot_fillers) and add it when it reaches the
    threshold.  A filler that merely adds words to a lexicon phrase is kept only when the
    words it adds look like a brand too (开云体育 → 开云体育(中国)官方网站)."""
    filler = filler.strip(" _")
    if len(filler) < 2 or filler in found:
        return
    inner = [p for p in found if p in filler]
    if inner:
        extra = filler
        for p in inner:
            extra = extra.replace(p, "")
        # the slot shows where the brand begins (大富豪 + 国际娱乐官网): words the slot
        # adds are taken when occurrences agree on them, or when they are few or brand-like
        if extra and not (strong + weak >= 2 or len(extra) <= 4 or slots.is_brand_like(extra)):
            return
    outer = [p for p in found if filler in p]
    if outer:
        return
    brand_like = slots.is_brand_like(filler)
    if not brand_like and (not strong or (strong < 2 or weak > strong) and not scan(filler)):
        return                          # settled before scoring: the common case of a verb
    occ = [(s, s + len(filler)) for s in occurrences(text, filler)]
    total, terms, strongest, slot = score_phrase(text, filler, occ)
    if not brand_like and strongest < MIN_CORE:
        # no brand shape, no lexicon word: only a filler repeated in place slots, and not a
        # two-character name before 市/县/区 (襄樊市: an old name the registry may lack)
        if strong < 2 or weak > strong or not CJK_RE.fullmatch(filler) \
                or slots.maybe_old_place(text, filler):
            return
    if not strong and not brand_like:
        return
    total += SLOT_ANOMALY if strong else WEAK_ANOMALY
    if brand_like:
        total += MIXED_SCRIPT if MIXED_RE.search(filler) else \
            BRAND_SHAPE + (0.2 if slots.brand_marks(filler) >= 2 else 0.0)
    if total < THRESHOLD:
        return
    found[filler] = _phrase(text, filler, occ, total, terms + ["slot:" + (slot or "人民政府")], slot)
