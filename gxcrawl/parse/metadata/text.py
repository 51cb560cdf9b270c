"""The text every metadata finder reads: a normalized copy of the same length as the
printed text (so a span found in one is cut from the other), and its first lines.

>>> normalize("二〇一九年成都市體育局")
('二〇一九年成都市體育局', '2019年成都市体育局')
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gxcrawl.chinese import to_simplified

_PINYIN_GLOSS = re.compile(
    r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)）]")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: 0x20,
                   0xFEFF: 0x20})
_FULLWIDTH.pop(0xFF0C)      # keep ， (it is fine as is)
_FULLWIDTH.pop(0xFF1B)      # ；


def normalize(text: str) -> tuple[str, str]:
    """(printed, normalized): printed is `text` without pinyin glosses and with
    odd spaces made plain; normalized has the same length, simplified, with
    ASCII digits and punctuation, Chinese-numeral years as digits."""
    printed = _PINYIN_GLOSS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    printed = printed.translate({0xA0: 0x20, 0x3000: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})
    norm = printed.translate(_FULLWIDTH)
    norm = re.sub(r"[〇零○Ｏ一二三四五六七八九]{4}(?=\s*年)",
                  lambda m: m.group(0).translate(_CN_DIGITS), norm)
    simplified = to_simplified(norm)
    return printed, (simplified if len(simplified) == len(printed) else norm)


CJK = r"\u4e00-\u9fff"
NAME_CHARS = rf"[{CJK}()（）·]"
ORG_SUFFIX = (r"(?:人民政府|政府|办公室|办公厅|办事处|管理委员会|管委会|委员会|局|厅|委|办|"
              r"中心|院|所|站|署|馆|队|处|会|社|行|部|公署|集团)")
PLACE_SUFFIX = r"(?:省|市|区|县|旗|州|盟|镇|乡|街道|地区|林区|苏木)"
ZONE_RE = re.compile(r"(?:经济技术开发区|经济开发区|技术开发区|高新技术产业开发区|产业开发区|开发区|"
                     r"示范区|高新区|工业园区|产业园区|园区|试验区|合作区|保税区|实验区|管理区|新区|新城)")
ORG_END = re.compile(ORG_SUFFIX + "$")
PLACE_END = re.compile(PLACE_SUFFIX + "$")


@dataclass
class Line:
    start: int
    end: int
    printed: str
    norm: str


# a report's first section heading run into the line before it (…年度报告一、总体情况…), or the
# page's fields run into its title (…年度报告发布时间:2012-01-23…): where a line is cut
RUN_IN_HEADING = re.compile(r"[一二]\s*[、.．]\s*(?:总体情况|概述|基本情况|基本概况|主动公开|政府信息公开工作)")
RUN_IN_FIELD = re.compile(r"(?:公开工作年度报告|公开年度报告|公开年报|公开工作报告)(?=发布时间|发布日期|发文日期|信息来源|来源[:：]|"
                          r"发布机构|时间[:：]|日期[:：]|本报告|本年度报告|根据)")
_NOT_BEFORE_HEADING = set(" \t\n第其统之唯单万")


def run_in_cuts(norm: str, limit: int) -> list[int]:
    """Positions in the first `limit` characters where a line runs into a heading or a field."""
    cuts = [m.start() for m in RUN_IN_HEADING.finditer(norm, 0, limit)
            if m.start() and norm[m.start() - 1] not in _NOT_BEFORE_HEADING]
    cuts += [m.end() for m in RUN_IN_FIELD.finditer(norm, 0, limit)]
    return sorted(cuts)


def text_lines(printed: str, norm: str, limit: int) -> list[Line]:
    """The first `limit` non-empty lines (within the first 4,000 characters), trimmed of
    spaces and table pipes; a line that runs into the first section heading is cut there.

    >>> [ln.printed for ln in text_lines(*normalize("X局2020年政府信息公开工作年度报告一、总体情况2020年"), 5)]
    ['X局2020年政府信息公开工作年度报告', '一、总体情况2020年']
    """
    out = []
    pos = 0
    run_in = run_in_cuts(norm, 4400)
    k = 0
    for raw in norm.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        while k < len(run_in) and run_in[k] < start:
            k += 1
        cuts = [start]
        while k < len(run_in) and run_in[k] < end:
            if run_in[k] - start < 400:
                cuts.append(run_in[k])
            k += 1
        cuts.append(end)
        for s, e in zip(cuts, cuts[1:]):
            # trim pipes/space at both ends
            while s < e and norm[s] in " \t|｜":
                s += 1
            while e > s and norm[e - 1] in " \t|｜":
                e -= 1
            if s < e:
                out.append(Line(s, e, printed[s:e], norm[s:e]))
        if len(out) >= limit or start > 4000:
            break
    return out[:limit]
