"""Weighted gambling / porn lexicon and a fast single-pass scan.

Entries come from gxcrawl/data/spam_brands.txt (hand-maintained brands, betting words,
porn-SEO words and a few regexes) and gxcrawl/data/spam_porn.txt (derived from jionlp by
scripts/build_spam_lexicon.py).  The literals are found by gxcrawl.wordfinder (leftmost,
longest, non-overlapping; the regex engine jumps between possible word starts); each of the
handful of regex entries runs only when the literal it requires is in the text.

Scan normalised text (gxcrawl.parse.spam.normalize): simplified, lower-case.

>>> [(h.term, h.weight) for h in scan("由365bet网上娱乐人民政府")]
[('365bet', 1.0), ('网上娱乐', 1.0)]
>>> scan("全年365天不打烊的体育局")
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gxcrawl.wordfinder import WordFinder

from gxcrawl.data import DATA
FILES = ("spam_brands.txt", "spam_porn.txt")


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    term: str
    weight: float
    category: str


@dataclass
class Lexicon:
    literals: dict[str, tuple[float, str]]
    patterns: list[tuple[str, float, str]]
    finder: WordFinder
    # each regex entry compiled, with a substring every match contains ("" if none):
    # most texts lack it, and `in` is far cheaper than running a lookbehind everywhere
    pattern_res: list[tuple[re.Pattern, str, float, str]]


def read_entries(paths=None) -> tuple[dict[str, tuple[float, str]], list[tuple[str, float, str]]]:
    """Literal term → (weight, category) (max weight wins) and the regex entries."""
    literals: dict[str, tuple[float, str]] = {}
    patterns: list[tuple[str, float, str]] = []
    for path in paths or [DATA / name for name in FILES]:
        if not Path(path).exists():
            continue
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            weight, category, term = line.split("\t", 2)
            if term.startswith("re:"):
                patterns.append((term[3:], float(weight), category))
            else:
                term = term.lower()
                if term not in literals or literals[term][0] < float(weight):
                    literals[term] = (float(weight), category)
    return literals, patterns


def required_literal(pattern: str) -> str:
    r"""The longest run of literal characters that every match of `pattern` contains
    ("" when there is none).

    >>> required_literal(r"(?<![\d.])\d{0,5}365(?![天日])"), required_literal(r"a|b")
    ('365', '')
    """
    from re import _parser as sre_parse
    best, run = "", ""
    for op, arg in sre_parse.parse(pattern):
        if op is sre_parse.LITERAL:
            run += chr(arg)
            best = max(best, run, key=len)
        elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT, sre_parse.AT):
            continue            # zero-width: the run goes on
        else:
            run = ""
    return best


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    literals, patterns = read_entries()
    pattern_res = [(re.compile(p), required_literal(p), w, c) for p, w, c in patterns]
    return Lexicon(literals, patterns, WordFinder(literals), pattern_res)


def scan(text: str, lexicon: Lexicon | None = None) -> list[Hit]:
    """Non-overlapping lexicon hits in normalised `text`, in text order; where a literal
    and a regex entry overlap the heavier one is kept."""
    lex = lexicon or load_lexicon()
    literals = lex.literals
    hits = [Hit(start, start + len(term), term, *literals[term])
            for start, term in lex.finder.find(text)]
    extra = [Hit(m.start(), m.end(), m.group(), weight, category)
             for pattern, needle, weight, category in lex.pattern_res
             if needle in text for m in pattern.finditer(text)]
    if extra:
        hits = resolve_overlaps(hits + extra)
    return hits


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep the heaviest (then longest) of overlapping hits."""
    import bisect
    starts: list[int] = []
    kept: list[Hit] = []                  # sorted by start, non-overlapping
    for hit in sorted(hits, key=lambda h: (-h.weight, -(h.end - h.start), h.start)):
        i = bisect.bisect_left(starts, hit.start)
        if i > 0 and kept[i - 1].end > hit.start:
            continue
        if i < len(kept) and kept[i].start < hit.end:
            continue
        starts.insert(i, hit.start)
        kept.insert(i, hit)
    return kept


def score(hits) -> float:
    """Sum of hit weights.

    >>> round(score(scan("亚洲精品中文字幕乱码")), 1)
    3.0
    """
    return sum(h.weight for h in hits)
