"""Split a report's text into its numbered sections (一、总体情况 …).

>>> [(s.number, s.title) for s in split_sections("前言\\n一、总体情况\\n正文\\n二、主动公开政府信息情况\\n表")]
[('一', '总体情况'), ('二', '主动公开政府信息情况')]
"""
from __future__ import annotations

import re

from gxcrawl.parse.model import Section

TABLE_ROW_TITLE = re.compile(r"结转|新收|办理结果|申请数量|主动公开情况$|回应解读情况$|依申请公开情况$")
HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.{0,40}?)\s*$")
NUMERALS = "一二三四五六七八九十"


def numeral_value(numeral: str) -> int:
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + NUMERALS.index(numeral[1]) + 1
    if len(numeral) == 2 and numeral.endswith("十"):
        return (NUMERALS.index(numeral[0]) + 1) * 10
    return NUMERALS.index(numeral[0]) + 1 if len(numeral) == 1 else 0


def split_sections(text: str) -> list[Section]:
    """Top-level sections, numbered 一, 二, 三 … in sequence. Headings of the
    statistical tables that repeat a number (三、本年度办理结果 inside table 三)
    are not taken as sections, because numbering must go up by one."""
    sections: list[Section] = []
    body: list[str] = []
    expected = 1
    for line in text.split("\n"):
        match = HEADING.match(line)
        if match and numeral_value(match.group(1)) == expected and not re.search(r"\d\s*$", match.group(2)) \
                and not TABLE_ROW_TITLE.search(match.group(2)):
            if sections:
                sections[-1].text = "\n".join(body).strip()
            sections.append(Section(match.group(1), match.group(2), ""))
            body = []
            expected += 1
            continue
        body.append(line)
    if sections:
        sections[-1].text = "\n".join(body).strip()
    return sections
