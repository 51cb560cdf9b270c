"""Text helpers shared by the PDF, DOCX and DOC loaders."""
from __future__ import annotations

import re


_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31c0-\u31ef\u3200-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
_WORD_END = re.compile(r"[A-Za-z]$")
_WORD_START = re.compile(r"^[A-Za-z]")


def squeeze_spaces(text: str) -> str:
    """Drop whitespace next to CJK characters and collapse the rest.

    Justified Chinese text is extracted with gaps that are not spaces.

    >>> squeeze_spaces("号 ， 邮 编 ： 223100 ，  2023 年 Jisupdf  Editor")
    '号，邮编：223100，2023年Jisupdf Editor'
    """
    text = _SPACE_NEXT_TO_CJK.sub("", text)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def join_lines(lines: list[str]) -> str:
    """Join the lines of one wrapped cell or paragraph.

    No separator, except a space between two Latin words.

    >>> join_lines(["社会", "公益", "组织"])
    '社会公益组织'
    >>> join_lines(["Open government", "information"])
    'Open government information'
    """
    out = ""
    for line in (squeeze_spaces(x) for x in lines):
        if not line:
            continue
        if out and _WORD_END.search(out) and _WORD_START.search(line):
            out += " "
        out += line
    return squeeze_spaces(out)
