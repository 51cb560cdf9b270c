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

>>> [p.text for p in find_phrases("由365bet网上娱乐_365体育平台网址人民政府办公室编制。以及365bet网上娱乐_365体育平台网址有关要求")]
['365bet网上娱乐_365体育平台网址']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import slots
from .lexicon import Hit, scan

DATA = Path(__file__).resolve().parent.parent / "data"
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

    >>> from gxcrawl.spam.lexicon import scan
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


def extend_consensus(text: str, starts: list[int], length: int) -> tuple[int, int]:
    """Grow all occurrences together; return (left growth, right growth)."""
    left = 0
    while True:
        pos = [s - left - 1 for s in starts]
        if min(pos) < 0:
            break
        ch = text[pos[0]]
        if any(text[p] != ch for p in pos) or slots.is_boundary(ch) or ch in slots.ADMIN_CHARS:
            break
        left += 1
    right = 0
    while True:
        pos = [s + length + right for s in starts]
        if max(pos) >= len(text):
            break
        ch = text[pos[0]]
        if any(text[p] != ch for p in pos) or slots.is_boundary(ch):
            break
        if any(slots.stops_right(text, p) for p in pos):
            break
        right += 1
    return left, right


def extend_alone(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a single occurrence over Latin runs, filler words and chain segments."""
    fillers = filler_words()
    while end < len(text):
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
        if "_" in line and phrase in line and not any(slots.is_boundary(c) for c in line if c != " "):
            phrase = line
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


def find_phrases(text: str, hits: list[Hit] | None = None, registry=None) -> list[Phrase]:
    """Injected phrases of normalised `text`, longest first."""
    hits = scan(text) if hits is None else hits
    spans = cores(hits, text)
    if registry is not None:
        spans += slots.anomalous_fillers(text, registry)
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
        starts = occurrences(text, phrase)
        occ = [(s, s + len(phrase)) for s in starts]
        total, terms, strongest, slot = score_phrase(text, phrase, occ)
        if total < THRESHOLD or strongest < THRESHOLD and total < THRESHOLD + 0.3:
            continue
        standalone = any(text[ls:le].strip() == phrase
                         for ls, le in (line_bounds(text, s, e) for s, e in occ))
        found[phrase] = Phrase(phrase, occ, round(total, 2), terms, standalone, slot)
    # drop phrases contained in longer ones
    ordered = sorted(found.values(), key=lambda p: -len(p.text))
    kept: list[Phrase] = []
    for p in ordered:
        if not any(p.text in k.text for k in kept):
            kept.append(p)
    return kept
