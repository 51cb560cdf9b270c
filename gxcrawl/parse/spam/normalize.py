"""Normalise page text before the spam scan, keeping a map back to the original.

Spam mirrors convert pages to traditional characters and insert pinyin glosses after
converted characters (務(wù), 報(bào)).  The lexicon is simplified and lower-case, so the
scan runs on ``normalize(text).text``; ``.origin[i]`` is the index in the original text of
normalised character ``i`` so that spans found there can be cut from the original.

>>> n = normalize("國務(wù)院辦公廳 365BET")
>>> n.text
'国务院办公厅 365bet'
>>> n.original_span(1, 3)
(1, 7)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gxcrawl.chinese import t2s_table


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# a pinyin gloss "(wù)" right after a CJK character: 1-6 letters with a tone mark, or one of
# the toneless particles.  "(二" or "(app)" are not glosses.
GLOSS_RE = re.compile(
    r"(?<=[\u3400-\u9fff])[((]"
    r"(?:[a-zü]{0,5}[" + _TONED + r"][a-zü]{0,5}|de|men|zi|le|me|ma|ba|ne|ge|zhe|tou|li)"
    r"[))]"
)


def gloss_count(text: str) -> int:
    """How many pinyin glosses (報(bào)) the text has.

    >>> gloss_count("本年報(bào)的電(diàn)子版"), gloss_count("电话(0598)")
    (2, 0)
    """
    return len(GLOSS_RE.findall(text))


@lru_cache(maxsize=1)
def translation_table() -> dict[int, str]:
    """str.translate table: traditional → simplified (t2s.txt), full-width letters and
    digits → ASCII, A-Z → a-z.  Every entry maps one character to one character.

    >>> "體育ＡＰＰ".translate(translation_table())
    '体育app'
    """
    table: dict[int, str] = dict(t2s_table())
    for code in range(0xFF01, 0xFF5F):            # full-width letters and digits only:
        ch = chr(code - 0xFEE0)                    # full-width punctuation (,:) is
        if ch.isalnum():                           # handled by the patterns as it is
            table[code] = ch.lower()
    for code in range(ord("A"), ord("Z") + 1):
        table[code] = chr(code + 32)
    return table


@dataclass
class Normalized:
    text: str
    origin: list[int] | None     # None: same length as the original, index i ↔ i
    tail: int = 0                # characters removed after the last kept one (a final gloss)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text to the original text; a gloss
        after the span's last character belongs to the span (網(wǎng) is one character).

        >>> n = normalize("365網(wǎng)站")
        >>> n.original_span(0, 4), n.original_span(0, 5)
        ((0, 10), (0, 11))
        """
        if self.origin is None:
            return start, end
        if start >= len(self.origin):
            return self.origin[-1] + 1, self.origin[-1] + 1
        first = self.origin[start]
        if end <= start:
            return first, first
        # the gap up to the next kept character is exactly the removed gloss, if any
        last = self.origin[end] if end < len(self.origin) else self.origin[end - 1] + 1 + self.tail
        return first, last


def strip_glosses(text: str) -> tuple[str, list[int] | None]:
    """Remove pinyin glosses; return the text and the origin map (None if nothing removed).

    >>> strip_glosses("政務(wù)公開")[0]
    '政務公開'
    """
    if "(" not in text and "(" not in text:
        return text, None
    pieces, origin, last = [], [], 0
    for m in GLOSS_RE.finditer(text):
        pieces.append(text[last:m.start()])
        origin.extend(range(last, m.start()))
        last = m.end()
    if last == 0:
        return text, None
    pieces.append(text[last:])
    origin.extend(range(last, len(text)))
    return "".join(pieces), origin


@lru_cache(maxsize=1)
def _needs_table() -> re.Pattern:
    """A character class of what str.lower() does not handle: traditional CJK, full-width
    alnum.  Only the BMP characters are listed: re compiles those to a bitmap (a lookup per
    character, ~5× faster than a frozenset walk) but falls back to a linear list when one
    character lies beyond U+FFFF, so the rare astral ones are covered by a range — text
    with such a character just takes the general path."""
    chars = sorted(chr(c) for c in translation_table() if 0x7F < c <= 0xFFFF)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "\U00010000-\U0010ffff]")


def normalize(text: str) -> Normalized:
    """Strip glosses, convert traditional → simplified and lower-case ASCII."""
    stripped, origin = strip_glosses(text)
    tail = len(text) - (origin[-1] + 1) if origin else 0
    return Normalized(_simplify(stripped), origin, tail)


def _simplify(text: str) -> str:
    """Lower case, traditional → simplified, full-width → ASCII; one character for one.

    str.translate with a dict costs a lookup per character; most pages are simplified
    with a handful of traditional characters (a 繁體 link), so only those are replaced.
    """
    lowered = text.lower()
    if len(lowered) != len(text):              # a character whose lower case is longer
        return text.translate(translation_table())
    needs = _needs_table()
    count = len(needs.findall(lowered))
    if not count:
        return lowered
    table = translation_table()
    if count * 8 > len(lowered):               # mostly traditional: one pass is cheaper
        return lowered.translate(table)
    return needs.sub(lambda m: table.get(ord(m.group()), m.group()), lowered)


def to_simplified(text: str) -> str:
    """Gloss-free simplified lower-case text (no origin map).

    >>> to_simplified("廣州市政府門戶網(wǎng)站")
    '广州市政府门户网站'
    """
    return normalize(text).text
