"""Traditional → simplified characters, one character for one.

The table is OpenCC's TSCharacters (first candidate of each entry), written to
data/t2s.txt by scripts/build_spam_lexicon.py, so the conversion is a single
`str.translate` and keeps every offset: a span found in the converted text can
be cut from the printed text. (opencc's phrase-level conversion is 10–50× slower
and can change the length.)

>>> to_simplified("成都市體育局2020年政府信息公開工作年度報告")
'成都市体育局2020年政府信息公开工作年度报告'
"""
from __future__ import annotations

from functools import lru_cache

from gxcrawl.data import DATA


# characters the simplified script writes too, in names (乾安县, 乾县): never converted
BOTH_SCRIPTS = "乾"


@lru_cache(maxsize=1)
def t2s_table() -> dict[int, str]:
    """
    >>> to_simplified("乾安县衛生健康委員會")
    '乾安县卫生健康委员会'
    """
    table: dict[int, str] = {}
    for line in (DATA / "t2s.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            trad, simp = line.split("\t")
            if len(trad) == 1 and len(simp) == 1 and trad not in BOTH_SCRIPTS:
                table[ord(trad)] = simp
    return table


def to_simplified(text: str) -> str:
    return text.translate(t2s_table())
