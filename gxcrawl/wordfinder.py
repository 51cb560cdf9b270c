"""Find many fixed words in a text: leftmost, longest, non-overlapping.

Used for the region names (gxcrawl.regions, ~3,600 names) and the spam lexicon
(gxcrawl.parse.spam.lexicon).  One regex alternation of thousands of words is slow in
Python's `re` (each candidate position tries the branches one by one), and a Python
loop over every character is slower still.  Here a small regex — a character class of
possible first characters followed by a lookahead of possible second characters — lets
the regex engine jump to where a word may start; a dict keyed by the first two
characters (longest words first) settles it.

>>> finder = WordFinder(["三明市", "三明", "明溪县", "淫"])
>>> finder.find("福建省三明市明溪县;淫秽")
[(3, '三明市'), (6, '明溪县'), (10, '淫')]
"""
from __future__ import annotations

import re
from typing import Iterable


class WordFinder:
    def __init__(self, words: Iterable[str]):
        words = sorted({w for w in words if w}, key=len, reverse=True)
        self.by_prefix: dict[str, list[str]] = {}
        for word in words:
            self.by_prefix.setdefault(word[:2], []).append(word)
        longer = [w for w in words if len(w) >= 2]
        singles = "".join(sorted(w for w in words if len(w) == 1))
        starts = []
        if longer:
            firsts = "".join(sorted({w[0] for w in longer}))
            seconds = "".join(sorted({w[1] for w in longer}))
            starts.append(f"[{re.escape(firsts)}](?=[{re.escape(seconds)}])")
        if singles:
            starts.append(f"[{re.escape(singles)}]")
        self._starts = re.compile("|".join(starts)) if starts else None

    def find(self, text: str) -> list[tuple[int, str]]:
        """(start, word) of each match, left to right; at each position the longest word
        wins and the search goes on after it."""
        out: list[tuple[int, str]] = []
        if self._starts is None:
            return out
        by_prefix, end = self.by_prefix, 0
        for m in self._starts.finditer(text):
            i = m.start()
            if i < end:                        # inside the word just found
                continue
            for word in by_prefix.get(text[i:i + 2], ()):
                if text.startswith(word, i):
                    break
            else:
                word = text[i] if text[i] in by_prefix else None
            if word is not None:
                out.append((i, word))
                end = i + len(word)
        return out
