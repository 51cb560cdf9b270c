"""The accounting identities of each table, as the solver's constraints.

Table 三: in each row the six requester columns sum to 总计 (and the five organisation
columns to the 小计 of the 8-column variant); in each column 新收 + 结转 = 总计 + 结转下年 and
the result rows sum to 总计. Table 四: in each group 维持 + 纠正 + 其他 + 未审结 = 总计. The
pre-2019 统计表 printed with 本年 and 累计 columns: 累计 ≥ 本年.

An identity through a row the capture did not give is left out — unless the table drops
its blank cells (`sparse`), where a row printed without any number is a blank row.

>>> [i.name for i in t4_identities()][:1]
['review: upheld+corrected+other+pending = total']
"""
from __future__ import annotations

from gxcrawl.parse.tables.solve import Identity, Row, column_sums, row_sums
from gxcrawl.parse.tables.templates import T3_COLUMNS, T3_RESULT_ROWS, T4_COLUMNS, T4_GROUPS

T3_APPLICANTS = T3_COLUMNS[:-1]
T3_ORGANISATIONS = T3_COLUMNS[1:-1]
T3_OTHER_2019 = ("other",)
T3_OTHER_2021 = ("other.no_correction", "other.no_fee", "other.other")
T4_ROW = "t4"


def t3_result_rows(keys: set[str]) -> tuple[str, ...]:
    other = T3_OTHER_2021 if keys & set(T3_OTHER_2021) else T3_OTHER_2019
    return T3_RESULT_ROWS + other


def t3_identities(rows: list[Row], sparse: bool) -> list[Identity]:
    """Every identity of table 三 over the rows read (see the module's docstring)."""
    if not rows:
        return []
    columns = rows[0].columns
    keys = {r.key for r in rows}
    out = row_sums(rows, T3_APPLICANTS, "total")
    if "org_subtotal" in columns:
        out += row_sums(rows, T3_ORGANISATIONS, "org_subtotal")

    def present(*needed: str) -> bool:
        return sparse or all(k in keys for k in needed)

    if present("new", "carried", "total", "next"):
        out += column_sums(columns, ("new", "carried"), ("total", "next"), "new+carried = total+next")
    results = t3_result_rows(keys)
    if present("total", *results):
        out += column_sums(columns, results, ("total",), "results = total")
    if present("new", "carried", "next", *results):
        # the two above without 总计: still holds when the 总计 row is unreadable
        out += column_sums(columns, ("new", "carried"), results + ("next",), "new+carried = results+next")
    return out


def t4_columns() -> tuple[str, ...]:
    """Table 四 read as one row of 15 cells: review.upheld … suit_after_review.total."""
    return tuple(f"{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS)


def t4_identities() -> list[Identity]:
    parts = T4_COLUMNS[:-1]
    return [Identity(f"{g}: {'+'.join(parts)} = total", tuple((T4_ROW, f"{g}.{c}") for c in parts),
                     ((T4_ROW, f"{g}.total"),)) for g in T4_GROUPS]


def cumulative_identities(rows: list[Row], year: str, cumulative: str) -> list[Identity]:
    """累计 (the total since records began) is never below 本年 (this year)."""
    return [Identity(f"{r.key}: {cumulative} >= {year}", ((r.key, cumulative),), ((r.key, year),), ">=")
            for r in rows]
