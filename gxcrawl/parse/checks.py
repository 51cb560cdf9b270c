"""The accounting checks of report-formats.md, run on every parsed report.

A failing check is data, never an exception: real reports contain real errors.
Checks that need a cell the report left blank are skipped, not failed.
Cross-year checks (next(Y) == carried(Y+1), in_force continuity) need two
reports of the same body and run in the archive, not here.

>>> t4 = {"review.upheld": 10, "review.corrected": 1, "review.other": 0,
...       "review.pending": 0, "review.total": 0}
>>> [(c.name, c.ok, c.detail) for c in check_t4(t4)]
[('t4.review', False, '10+1+0+0 = 11 != 0')]
"""
from __future__ import annotations

from typing import Optional

from gxcrawl.parse.model import Check
from gxcrawl.parse.tables import T3_COLUMNS, T3_RESULT_ROWS, T4_COLUMNS, T4_GROUPS

APPLICANT_COLUMNS = T3_COLUMNS[:-1]


def _num(value) -> Optional[float]:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _sum_check(name: str, parts: list, total, close: float = 1e-6) -> Optional[Check]:
    parts = [_num(p) for p in parts]
    total = _num(total)
    if total is None or any(p is None for p in parts):
        return None
    left = sum(parts)
    ok = abs(left - total) <= close
    detail = "+".join(_fmt(p) for p in parts) + f" = {_fmt(left)} {'==' if ok else '!='} {_fmt(total)}"
    return Check(name, ok, detail)


def check_t3(t3: dict) -> list[Check]:
    checks: list[Check] = []
    if not t3:
        return checks
    other_rows = (["other.no_correction", "other.no_fee", "other.other"]
                  if any(k.startswith("other.no_correction.") for k in t3) else ["other"])
    for col in T3_COLUMNS:
        new, carried = _num(t3.get(f"new.{col}")), _num(t3.get(f"carried.{col}"))
        total, nxt = _num(t3.get(f"total.{col}")), _num(t3.get(f"next.{col}"))
        if None not in (new, carried, total, nxt):
            ok = abs((new + carried) - (total + nxt)) < 1e-6
            checks.append(Check(
                f"t3.balance.{col}", ok,
                f"new+carried = {_fmt(new)}+{_fmt(carried)} {'==' if ok else '!='} "
                f"total+next = {_fmt(total)}+{_fmt(nxt)}"))
        rows = list(T3_RESULT_ROWS) + other_rows
        check = _sum_check(f"t3.results.{col}", [t3.get(f"{r}.{col}") for r in rows],
                           t3.get(f"total.{col}"))
        if check:
            checks.append(check)
    for row in _t3_rows_in_order(t3):
        check = _sum_check(f"t3.applicants.{row}",
                           [t3.get(f"{row}.{c}") for c in APPLICANT_COLUMNS], t3.get(f"{row}.total"))
        if check:
            checks.append(check)
    return checks


def _t3_rows_in_order(t3: dict) -> list[str]:
    rows: list[str] = []
    for key in t3:
        row = key.rsplit(".", 1)[0]
        if row not in rows:
            rows.append(row)
    return rows


def check_t4(t4: dict) -> list[Check]:
    checks = []
    for group in T4_GROUPS:
        parts = [t4.get(f"{group}.{c}") for c in T4_COLUMNS[:-1]]
        check = _sum_check(f"t4.{group}", parts, t4.get(f"{group}.total"))
        if check:
            checks.append(check)
    return checks


def run_checks(tables: dict) -> list[Check]:
    """The accounting checks of the tables (the prose is compared in gxcrawl.parse.prose)."""
    return check_t3(tables.get("t3") or {}) + check_t4(tables.get("t4") or {})
