"""The statistical tables of a report → flat maps under the canonical keys.

Every source (HTML grids, text with one cell per line, `|`/tab rows, PDF and
DOCX grids) is first flattened into one stream of tokens in reading order:
labels, values, blanks and dashes. The tables are then read by anchoring on
their row labels, in the order the templates print them, which survives
rowspan/colspan, labels split over lines or pages, tables continued over a
page break, and the 15 numbers of table 四 printed as one flat row.

A blank cell is `None` (never 0); a cell printed as `/`, `-`, `—` or `无` is
`None` too and keeps its raw text in `Cell.raw`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional

from gxcrawl.parse.model import Block, Cell
from gxcrawl.parse.tables.templates import (T2_2019_HEADERS, T2_2021_HEADERS, T2_COLUMNS, T2_END_PATTERNS,
                                            T2_PATTERNS, T3_COLUMNS,
                                            T3_PATTERNS, T4_COLUMNS, T4_GROUPS, TPRE_NOT_A_ROW,
                                            TPRE_PATTERNS)
from gxcrawl.parse.tables.identities import (T4_ROW, cumulative_identities, t3_identities, t4_columns,
                                             t4_identities)
from gxcrawl.parse.tables.solve import Piece, Row, Solved, solve
from gxcrawl.parse.tables.tokens import UNIT_ONLY, Token, compact, tokenize_blocks


@dataclass
class ParsedTables:
    tables: dict[str, dict] = field(
        default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}, "tpre": {}})
    formats: dict[str, str] = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def put(self, table: str, key: str, token: Optional[Token]) -> None:
        value = token.value if token is not None else None
        if value is not None and value == int(value):
            value = int(value)
        self.tables[table][key] = value
        self.cells.append(Cell(table, key, value, token.text if token is not None else ""))

    def put_value(self, table: str, key: str, value, raw: str) -> None:
        if value is not None and value == int(value):
            value = int(value)
        self.tables[table][key] = value
        self.cells.append(Cell(table, key, value, raw))

    @property
    def format(self) -> Optional[str]:
        generations = {v for k, v in self.formats.items() if k in ("t2", "t3", "tpre")}
        if not generations:
            return None
        if len(generations) == 1:
            return generations.pop()
        return "mixed"


def is_value_like(token: Token) -> bool:
    return token.kind in ("value", "blank", "dash")


def find_token(tokens: list[Token], pattern: re.Pattern, start: int = 0,
               end: Optional[int] = None) -> int:
    end = len(tokens) if end is None else end
    for i in range(start, end):
        if tokens[i].kind == "label" and pattern.search(tokens[i].key_text):
            return i
    return -1


def find_label_across(tokens: list[Token], pattern: re.Pattern) -> int:
    """The first label the pattern finds in, or across the break to the next label
    (`一、本年度新` / `收政府信息公开申请数量` on two lines)."""
    found = find_token(tokens, pattern)
    for i in range(len(tokens) - 1 if found < 0 else found):
        if "新" not in tokens[i].text[-8:] + tokens[i + 1].text[:8]:
            continue    # 本年度新收 broken anywhere keeps 新 near the break
        if tokens[i].kind == "label" and tokens[i + 1].kind == "label" and \
                pattern.search(tokens[i].key_text[-12:] + tokens[i + 1].key_text[:12]) and \
                not pattern.search(tokens[i + 1].key_text):
            return i
    return found


# ---------------------------------------------------------------------------
# the parser

T3_START = re.compile(r"本年度?新收|申请人情况")
T3_FIRST_ROW = re.compile(r"本年度?新收")
T2_START = re.compile(r"第二十条|信息内容")
T4_START = re.compile(r"行政复议")
SECTION_3 = re.compile(r"^三[、.]?收到和处理")
SECTION_5 = re.compile(r"^[五六][、.]")
TPRE_START = re.compile(r"统计表|统计指标")


def parse_tables(blocks: Iterable[Block]) -> ParsedTables:
    """All tables of a report from its blocks."""
    return parse_tokens(tokenize_blocks(blocks))


def parse_tokens(tokens: list[Token]) -> ParsedTables:
    result = ParsedTables()
    t3_first = find_label_across(tokens, T3_FIRST_ROW)
    t3_end = None
    if t3_first >= 0:
        t2_start = find_token(tokens, T2_START, 0, t3_first)
        if t2_start >= 0:
            parse_t2(tokens[t2_start:t3_first], result)
        t3_end = parse_t3(tokens, t3_first, result)
        parse_t4(tokens, t3_end, result)
    else:
        t2_start = find_token(tokens, T2_START)
        if t2_start >= 0:
            parse_t2(tokens[t2_start:], result)
    if not result.tables["t3"] and not result.tables["t2"]:
        tpre_start = find_token(tokens, TPRE_START)
        if tpre_start >= 0:
            parse_tpre(tokens[tpre_start:], result)
    return result


def collect_values(tokens: list[Token], i: int) -> tuple[list[Token], int]:
    values = []
    while i < len(tokens) and is_value_like(tokens[i]):
        values.append(tokens[i])
        i += 1
    return values, i


def fit(values: list[Token], width: int) -> list[Token]:
    """Drop blanks beyond `width`: filler cells of a merged row (trailing) or an
    empty cell drawn between the label and the numbers (leading)."""
    while len(values) > width:
        if values[-1].kind == "blank":
            values = values[:-1]
        elif values[0].kind == "blank":
            values = values[1:]
        else:
            break
    return values


def parse_t2(tokens: list[Token], result: ParsedTables) -> None:
    region_text = "".join(t.key_text for t in tokens if t.kind == "label")
    n2021 = len(T2_2021_HEADERS.findall(region_text))
    n2019 = len(T2_2019_HEADERS.findall(region_text))
    if not n2021 and not n2019:
        return
    generation = "2021" if n2021 > n2019 else "2019"
    columns = T2_COLUMNS[generation]
    amount_unit = re.search(r"采购总金额[(（]?(万元|元)", region_text)
    i, seen = 0, set()
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "label":
            i += 1
            continue
        key = next((k for k, p in T2_PATTERNS if p.search(token.key_text)), None)
        if key is None and i + 1 < len(tokens) and tokens[i + 1].glued:
            key = next((k for k, p in T2_END_PATTERNS if p.search(token.key_text)), None)
        if key is None or key in seen or key not in columns:
            i += 1
            continue
        values, i = collect_values(tokens, i + 1)
        if not values:
            continue
        seen.add(key)
        cols = columns[key]
        if needs_solver([(key, values)], len(cols)):
            assign_t2_solved(key, values, cols, result)
            continue
        values = fit(values, len(cols))
        if len(values) != len(cols):
            result.warnings.append(
                f"t2 row {key}: {len(values)} values for {len(cols)} columns")
        for col, value in zip(cols, values):
            result.put("t2", f"{key}.{col}", value)
    if seen:
        result.formats["t2"] = generation
        if amount_unit and "procurement" in seen:
            result.tables["t2"]["procurement.amount_unit"] = amount_unit.group(1)


def t3_column_layout(header: list[Token]) -> tuple[str, ...]:
    """The 7 standard columns, or 8 with a 法人或其他组织小计 column placed where the
    header puts it."""
    texts = [t.key_text for t in header if t.kind == "label"]
    sub = next((i for i, t in enumerate(texts) if "小计" in t), None)
    if sub is None:
        return T3_COLUMNS
    first_org = next((i for i, t in enumerate(texts) if "商业企业" in t), None)
    cols = list(T3_COLUMNS)
    if first_org is not None and sub < first_org:
        cols.insert(1, "org_subtotal")
    else:
        cols.insert(6, "org_subtotal")
    return tuple(cols)


def match_t3_row(label: str, candidates: list[int]) -> Optional[int]:
    """Index (into T3_PATTERNS) of the row whose keyword ends last in `label`;
    ties go to the earlier row."""
    best, best_end = None, -1
    for index in candidates:
        key, pattern = T3_PATTERNS[index]
        for match in pattern.finditer(label):
            if match.end() > best_end:
                best, best_end = index, match.end()
    return best


def parse_t3(tokens: list[Token], first: int, result: ParsedTables) -> int:
    header_start = find_token(tokens, re.compile(r"申请人情况"), max(0, first - 40), first)
    columns = t3_column_layout(tokens[header_start if header_start >= 0 else max(0, first - 15):first])
    position = 0            # next T3 row that may match
    label: list[str] = []
    i = first
    keys_seen: list[str] = []
    rows_read: list[tuple[str, list[Token]]] = []
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "label":
            if keys_seen and keys_seen[-1] == "next":
                break
            if T4_START.search(token.key_text) and "next" in keys_seen:
                break
            label.append(token.key_text)
            i += 1
            continue
        values, i = collect_values(tokens, i)
        text = "".join(label)[-120:]
        label = []
        index = match_t3_row(text, list(range(position, len(T3_PATTERNS))))
        if index is None:
            if text:
                result.warnings.append(f"t3: values after unknown label {text[:30]!r} ignored")
            continue
        key = T3_PATTERNS[index][0]
        position = index + 1
        keys_seen.append(key)
        if values and values[-1] is tokens[-1] and values[-1].glued:
            result.warnings.append(f"t3 row {key}: the text ends inside the row; not read")
            break
        rows_read.append((key, values))
        if key == "next":
            break
    if needs_solver(rows_read, len(columns)):
        assign_t3_solved(rows_read, columns, result)
    else:
        for key, values in rows_read:
            assign_t3_row(key, values, columns, result)
    if keys_seen:
        subrows = {"other.no_correction", "other.no_fee", "other.other"} & set(keys_seen)
        printed = T3_2021_SUBROWS.search("".join(t.key_text for t in tokens[first:i] if t.kind == "label"))
        result.formats["t3"] = "2021" if subrows or printed else "2019"
    return i


#: the 2021 template's sub-rows of （六）其他处理, printed even where a capture gives them no number
T3_2021_SUBROWS = re.compile(r"不补正.{0,40}(?:收费通知|缴纳费用)")


def needs_solver(rows: list[tuple[str, list[Token]]], width: int) -> bool:
    """Rows captured as text whose cells ran together or lost their blanks."""
    return any(any(v.glued for v in values) and width > 1 or
               (len(fit(values, width)) < width and not any(v.from_grid for v in values))
               for _, values in rows)


def pieces_of(values: list[Token]) -> tuple[Piece, ...]:
    return tuple(Piece(compact(v.text), glued=v.glued, value=v.value)
                 for v in values if v.kind != "blank")


def is_sparse(rows: list[tuple[str, list[Token]]], width: int) -> bool:
    """The capture dropped blank cells: some row prints fewer digits than it has columns."""
    def most_cells(values: list[Token]) -> int:
        return sum(len(compact(v.text)) if v.glued else 1 for v in values if v.kind != "blank")
    return any(most_cells(values) < width for _, values in rows)


def solver_rows(rows: list[tuple[str, list[Token]]], columns: tuple[str, ...], sparse: bool) -> list[Row]:
    return [Row(key, columns, pieces_of(values), sparse) for key, values in rows]


def assign_t3_solved(rows_read: list[tuple[str, list[Token]]], columns: tuple[str, ...],
                     result: ParsedTables) -> None:
    """Table 三 from rows whose cells ran together or lost their blanks: one constraint
    problem over the whole table (gxcrawl.parse.tables.solve)."""
    sparse = is_sparse(rows_read, len(columns))
    rows = solver_rows(rows_read, columns, sparse)
    solved = solve(rows, t3_identities(rows, sparse))
    raw = {key: " ".join(v.text.strip() for v in values) for key, values in rows_read}
    put_solved("t3", rows, solved, raw, result, skip=("org_subtotal",))
    how = "blank cells dropped" if sparse else "cells run together"
    result.warnings.append(f"t3: {how}; split by the table's identities" if solved.solutions
                           else f"t3: {how}")


def put_solved(table: str, rows: list[Row], solved: Solved, raw: dict[str, str], result: ParsedTables,
               skip: tuple[str, ...] = (), key_of=lambda row, col: f"{row}.{col}") -> None:
    for row in rows:
        for col in row.columns:
            if col in skip:
                continue
            result.put_value(table, key_of(row.key, col), solved.values.get((row.key, col)), raw.get(row.key, ""))
    for warning in solved.warnings:
        result.warnings.append(f"{table}: {warning}")
    if solved.ambiguous:
        named = ", ".join(f"{key_of(r, c)} ({'|'.join('blank' if v is None else str(v) for v in options)})"
                          for (r, c), options in solved.ambiguous.items() if c not in skip)
        result.warnings.append(f"{table}: ambiguous cells left null: {named}")


def assign_t3_row(key: str, values: list[Token], columns: tuple[str, ...],
                  result: ParsedTables) -> None:
    n = len(columns)
    values = fit(values, n)
    if len(values) == n:
        for col, value in zip(columns, values):
            if col != "org_subtotal":
                result.put("t3", f"{key}.{col}", value)
        return
    if len(values) > n:
        result.warnings.append(f"t3 row {key}: {len(values)} values for {n} columns; extra ignored")
        for col, value in zip(columns, values[:n]):
            if col != "org_subtotal":
                result.put("t3", f"{key}.{col}", value)
        return
    # Fewer values than columns: the blanks were lost (text captured one cell per
    # line). Only the first (自然人) and last (总计) positions are certain.
    placed = {}
    if len(values) == 1:
        placed["total"] = values[0]
    else:
        placed["natural"], placed["total"] = values[0], values[-1]
    result.warnings.append(
        f"t3 row {key}: {len(values)} values for {n} columns; only "
        f"{'/'.join(placed)} placed, the rest left blank")
    for col in columns:
        if col != "org_subtotal":
            result.put("t3", f"{key}.{col}", placed.get(col))


def parse_t4(tokens: list[Token], start: int, result: ParsedTables) -> None:
    head = find_token(tokens, T4_START, start, min(len(tokens), start + 60))
    if head < 0:
        return
    i = head
    while i < len(tokens) and not is_value_like(tokens[i]):
        if SECTION_5.match(tokens[i].key_text) and i > head:
            return
        i += 1
    values: list[Token] = []
    while i < len(tokens) and len(values) < 15:
        token = tokens[i]
        if is_value_like(token):
            values.append(token)
        elif values and (len(token.key_text) > 12 or any(v.glued for v in values)):
            break   # prose after the table; the end of a run of glued cells
        i += 1
    if any(v.glued for v in values):
        assign_t4_solved(values, i >= len(tokens), result)
        return
    if len(values) < 15:
        if values:
            result.warnings.append(f"t4: only {len(values)} of 15 values found")
        if len(values) < 5:
            return
    for index, value in enumerate(values[:15]):
        group, col = T4_GROUPS[index // 5], T4_COLUMNS[index % 5]
        result.put("t4", f"{group}.{col}", value)


def assign_t2_solved(key: str, values: list[Token], columns: tuple[str, ...], result: ParsedTables) -> None:
    """A table 二 row whose cells ran together: table 二 has no identity inside a report,
    so only a row with a single split (`000`, `0+11`) is read."""
    sparse = is_sparse([(key, values)], len(columns))
    row = Row(key, columns, pieces_of(values), sparse, signed=("change",))
    put_solved("t2", [row], solve([row], []), {key: " ".join(v.text.strip() for v in values)}, result)


def assign_t4_solved(values: list[Token], at_end: bool, result: ParsedTables) -> None:
    """Table 四's 15 cells from runs of glued digits, split by the groups' totals."""
    if at_end:
        result.warnings.append("t4: the text ends inside the table; not read")
        return
    pieces = pieces_of(values)
    sparse = sum(len(p.text) if p.glued else 1 for p in pieces) < 15
    row = Row(T4_ROW, t4_columns(), pieces, sparse)
    solved = solve([row], t4_identities())
    put_solved("t4", [row], solved, {T4_ROW: " ".join(p.text for p in pieces)}, result,
               key_of=lambda _row, col: col)


TPRE_CUMULATIVE = re.compile(r"累计")
TPRE_YEAR = re.compile(r"本年")


def tpre_columns(tokens: list[Token]) -> tuple[str, ...]:
    """("year",) for the usual 统计数 column; ("year", "cumulative") when the header,
    before the first number, prints 本年 and 累计 columns."""
    head = []
    for token in tokens:
        if token.kind == "value":
            break
        head.append(token.key_text)
    text = "".join(head)[:200]
    return ("year", "cumulative") if TPRE_CUMULATIVE.search(text) and TPRE_YEAR.search(text) else ("year",)


def parse_tpre(tokens: list[Token], result: ParsedTables) -> None:
    columns = tpre_columns(tokens)
    label: list[str] = []
    group: Optional[str] = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "label":
            if not UNIT_ONLY.match(token.key_text):
                label.append(token.key_text)
            i += 1
            continue
        if token.kind != "value" or not label:
            if token.kind == "dash":
                label = []
            i += 1
            continue
        values, i = collect_values(tokens, i)
        text = "".join(label[-2:])
        key, group = tpre_key(text, group)
        if key is None and not TPRE_NOT_A_ROW.search(text):
            key = printed_label(label)
        label = []
        if not key or key in result.tables["tpre"]:
            continue
        if len(columns) == 1:
            result.put("tpre", key, values[0])
        else:
            put_tpre_two_columns(key, values[:2], columns, result)
    if result.tables["tpre"]:
        result.formats["tpre"] = "pre2019"


def tpre_key(label: str, group: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """The canonical key of a 统计表 row's label, and the review/suit group that rows after
    it belong to (the group of the last total row).

    >>> tpre_key("五、行政诉讼数量", None)
    ('suit.total', 'suit')
    >>> tpre_key("（二）被依法纠错数", "suit")
    ('suit.corrected', 'suit')
    >>> tpre_key("（二）被依法纠错数", None)
    (None, None)
    """
    key = next((k for k, p in TPRE_PATTERNS if p.search(label)), None)
    if key in ("review.total", "suit.total"):
        return key, key.split(".")[0]
    if key and "{group}" in key:
        return (key.format(group=group) if group else None), group
    return key, group


def put_tpre_two_columns(key: str, values: list[Token], columns: tuple[str, ...], result: ParsedTables) -> None:
    """本年 | 累计 of one row, split when the capture ran them together (`3181204`): 累计 is
    never below 本年; a split that rule does not settle leaves both null."""
    row = Row(key, columns, pieces_of(values))
    solved = solve([row], cumulative_identities([row], "year", "cumulative"))
    put_solved("tpre", [row], solved, {key: " ".join(v.text.strip() for v in values)}, result,
               key_of=lambda row_key, col: row_key if col == "year" else f"{row_key}.cumulative")


def printed_label(parts: list[str]) -> Optional[str]:
    """The printed label of a tpre row: its last part that is not a parenthetical note."""
    for part in reversed(parts):
        if not re.match(r"^[(（].*[)）]$", part):
            # a label the capture ran into its group's heading and its unit: the last item
            part = TPRE_NUMBERING.split(part)[-1] or part
            cleaned = re.sub(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）]|\d+[.、]|其中[:：])",
                             "", part)
            cleaned = TPRE_UNIT_END.sub("", cleaned) or cleaned
            return cleaned[:60] or None
    return None


TPRE_NUMBERING = re.compile(r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|(?<![\d.])\d[.、]|其中[:：])")
#: the unit a text capture glued to the end of the label (`…公开政府信息数条`)
TPRE_UNIT_END = re.compile(r"(?<=[数额量])(?:万元|人次|条|件|次|个|人|篇|项|元)$")
