"""Every source flattened into one stream of tokens in reading order: labels, values,
blanks and dashes. HTML, PDF and DOCX grids keep their empty cells as blanks; `|`- and
tab-separated lines are split into cells; text captured one cell per line gives one
token per line.

>>> tokens = tokenize_lines(["规章", "1", "2", "3"])
>>> [(t.kind, t.value) for t in tokens]
[('label', None), ('value', 1.0), ('value', 2.0), ('value', 3.0)]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional

from gxcrawl.parse.model import Block, Paragraph, Table

UNIT = r"(?:万元|亿元|元|万|件|条|项|个|次|人次|人|宗|份|家|篇|%)"
VALUE_RE = re.compile(
    r"^[+\-]?\d[\d,，]*(?:\.\d+)?\s*" + UNIT + r"?\s*(?:[（(][^）)]{0,20}[）)])?$")
NUMBER_RE = re.compile(r"[+\-]?\d[\d,，]*(?:\.\d+)?")
DASHES = {"/", "／", "\\", "-", "－", "—", "——", "―", "–", "无", "—/—", "-/-", "×", "*", "……", "…"}
UNIT_ONLY = re.compile(r"^[（(]?(?:单位[:：])?" + UNIT + r"[）)]?$")
SPACES = re.compile(r"\s+")


@dataclass
class Token:
    text: str           # as printed (white space normalised)
    kind: str           # label | value | blank | dash
    value: Optional[float] = None
    from_grid: bool = False   # positions are exact (grid or |-row), blanks are real
    glued: bool = False       # digits run into a label in one line: may hold several cells

    @property
    def key_text(self) -> str:
        return compact(self.text)


def compact(text: str) -> str:
    """Label text for matching: NFKC (full-width → ASCII), no white space.

    >>> compact("（一）予以 公开")
    '(一)予以公开'
    """
    return SPACES.sub("", unicodedata.normalize("NFKC", text))


def classify(text: str, from_grid: bool = False) -> Token:
    """One cell or line → a token.

    >>> classify("18(2019年起)").value
    18.0
    >>> classify("1.属于国家秘密").kind
    'label'
    >>> classify("/").kind
    'dash'
    """
    norm = compact(text)
    if norm == "":
        return Token(text, "blank", None, from_grid)
    if norm in DASHES or set(norm) <= set("/／\\-－—―–"):
        return Token(text, "dash", None, from_grid)
    if VALUE_RE.match(norm):
        number = NUMBER_RE.match(norm).group(0).replace(",", "").replace("，", "")
        try:
            return Token(text, "value", float(number), from_grid)
        except ValueError:
            pass
    return Token(text, "label", None, from_grid)


def split_row(line: str) -> Optional[list[str]]:
    """Cells of a `|`- or tab-separated line, or None for an ordinary line.

    >>> split_row("| 规章 | 0 |  | 1 |")
    ['规章', '0', '', '1']
    """
    if "|" in line:
        cells = [c.strip() for c in line.split("|")]
    elif "\t" in line:
        cells = [c.strip() for c in line.split("\t")]
    else:
        return None
    if cells and cells[0] == "":
        cells = cells[1:]
    if cells and cells[-1] == "":
        cells = cells[:-1]
    if not any(cells):
        return []
    if set("".join(cells)) <= set("-:： "):   # markdown separator row
        return []
    return cells


def row_tokens(cells: Iterable[Optional[str]]) -> list[Token]:
    """Tokens of one grid row. Blank cells standing before the row's last label
    are part of the label/header area (a drawn but empty cell), not values."""
    tokens = [classify(c, from_grid=True) for c in cells if c is not None]
    last_label = max((i for i, t in enumerate(tokens) if t.kind == "label"), default=-1)
    return [t for i, t in enumerate(tokens) if not (i < last_label and t.kind == "blank")]


#: digits run into the text: a number (signs and a decimal point included) that no unit,
#: date word or ordinal follows — those stay part of the label
GLUED_NUMBER = re.compile(r"[+\-]?\d+(?:\.\d+)?(?![\d.]*(?:年|月|日|号|时|余|多|%|％|[万亿]?元|件|条|个|次|人|篇|项|家|宗|份|期|名|场|批|届|天|周|位|部|所|户|台|套|类|种|只|万|亿|小时|分钟))")
#: the numbering that opens the next row's label: `2.其他法律…`, `3、…`
NUMBERING = re.compile(r"\d[.、．](?=\D)")
WHITE = re.compile(r"[\s\u3000]+")


def split_glued(line: str) -> list[Token]:
    """A line whose cells ran together → labels and runs of digits. White space
    separates cells; a digit before `.`/`、` and a label is that label's numbering.

    >>> [(t.kind, t.text, t.glued) for t in split_glued("数量523000055二、上年结转")]
    [('label', '数量', False), ('value', '523000055', True), ('label', '二、上年结转', False)]
    >>> [t.text for t in split_glued("信息00000002.其他法律")]
    ['信息', '0000000', '2.其他法律']
    >>> [t.text for t in split_glued("2019年共受理申请17件")]
    ['2019年共受理申请17件']
    """
    tokens: list[Token] = []
    for chunk in WHITE.split(line.strip()):
        if not chunk:
            continue
        whole = classify(chunk)
        if whole.kind != "label":
            tokens.append(whole)
            continue
        tokens.extend(glued_chunk(chunk))
    return tokens


def glued_chunk(chunk: str) -> list[Token]:
    numbering = {m.start() for m in NUMBERING.finditer(chunk)}
    tokens: list[Token] = []
    label_start = 0
    for match in GLUED_NUMBER.finditer(chunk):
        start, end = match.span()
        if end - 1 in numbering:            # the last digit numbers the next label
            end -= 1
        if end <= start:
            continue
        text = chunk[start:end]
        if not re.fullmatch(r"[+\-]?\d+(?:\.\d+)?", text) or not after_a_label(chunk, start, end):
            continue
        if start > label_start:
            tokens.append(Token(chunk[label_start:start], "label"))
        tokens.append(Token(text, "value", float(text), glued=True))
        label_start = end
    if label_start < len(chunk):
        tokens.append(Token(chunk[label_start:], "label"))
    return tokens if tokens else [Token(chunk, "label")]


def is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


#: what a row label ends with before its run of digits: its last character (稳定”, 情形）)
LABEL_END = set("）)”’」】》%")


def after_a_label(chunk: str, start: int, end: int) -> bool:
    """A table's run of digits follows a label's last character; digits after `_`, `:`
    or `·`, or opening a word (`365体育`, `12345热线`), are part of the text.

    >>> after_a_label("数量523", 2, 5), after_a_label("_365体育", 1, 4), after_a_label("365体育", 0, 3)
    (True, False, False)
    """
    if start == 0:
        return end >= len(chunk) or not is_cjk(chunk[end])
    before = chunk[start - 1]
    return is_cjk(before) or before in LABEL_END


def tokenize_lines(lines: Iterable[str]) -> list[Token]:
    tokens: list[Token] = []
    for line in lines:
        cells = split_row(line)
        if cells is None:
            if line.strip():
                token = classify(line.strip())
                if token.kind == "label" and HAS_DIGIT.search(line):
                    tokens.extend(split_glued(line))
                else:
                    tokens.append(token)
        else:
            tokens.extend(row_tokens(cells))
    return tokens


HAS_DIGIT = re.compile(r"\d")


def tokenize_blocks(blocks: Iterable[Block]) -> list[Token]:
    tokens: list[Token] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            tokens.extend(tokenize_lines(block.text.split("\n")))
        elif isinstance(block, Table):
            for row in block.rows:
                tokens.extend(row_tokens(row))
    return tokens
