"""Checks across the reports of one government body (its `issuer`: region code +
agency name) over the years, stored in the `cross_checks` table:

* ``carry_over`` — table 三 ``next`` (结转下年度继续办理) of year Y equals ``carried``
  (上年结转) of year Y+1, per applicant column;
* ``in_force`` — 2021 table 二: ``in_force(Y) == in_force(Y-1) + issued(Y) - repealed(Y)``
  for 规章 and 规范性文件;
* ``missing_year`` — a year between the body's first and last report with no report.

Only real reports count (is_report, not a spam mirror, year known); when a body has
several reports for one year (copies, attachments) the one with the most cells is used
and marked `reports.canonical = 1` (the others 0): sums over bodies use only those.

>>> carry_over_rows({"next": {"total": 5}}, {"carried": {"total": 7}})
[('total', 5.0, 7.0, False)]
>>> in_force_rows({"rules": {"in_force": 10}}, {"rules": {"issued": 2, "repealed": 1, "in_force": 11}})
[('rules', 11.0, 11.0, True)]
>>> missing_years([2018, 2019, 2022])
[2020, 2021]
"""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from gxcrawl.archive.views import T3_COLUMNS

DDL = """
create table if not exists cross_checks (
    id integer primary key,
    kind text not null,         -- carry_over | in_force | missing_year
    issuer text not null,       -- region code | agency (gxcrawl.archive.store.issuer_key)
    agency text,
    region_code text references regions(code),
    year integer not null,      -- the later year (carry_over, in_force) or the missing year
    url text,                   -- report of `year` (null for missing_year)
    prev_year integer,
    prev_url text,
    item text,                  -- t3 column (carry_over) or t2 row (in_force)
    expected real,
    actual real,
    ok integer not null,
    detail text
)
"""


def carry_over_rows(prev: dict, cur: dict) -> list[tuple[str, float, float, bool]]:
    """(column, next of Y, carried of Y+1, equal?) for every column both years print.
    `prev`/`cur`: {row: {col: value}} of table 三."""
    out = []
    for col in T3_COLUMNS:
        a = (prev.get("next") or {}).get(col)
        b = (cur.get("carried") or {}).get(col)
        if a is not None and b is not None:
            out.append((col, float(a), float(b), float(a) == float(b)))
    return out


def in_force_rows(prev: dict, cur: dict) -> list[tuple[str, float, float, bool]]:
    """(row, expected in_force(Y), printed in_force(Y), equal?) for 规章 and 规范性文件.
    `prev`/`cur`: {row: {col: value}} of table 二 (2021 generation)."""
    out = []
    for row in ("rules", "normative"):
        p, c = prev.get(row) or {}, cur.get(row) or {}
        values = (p.get("in_force"), c.get("issued"), c.get("repealed"), c.get("in_force"))
        if any(v is None for v in values):
            continue
        expected = float(values[0]) + float(values[1]) - float(values[2])
        out.append((row, expected, float(values[3]), expected == float(values[3])))
    return out


def missing_years(years: list[int]) -> list[int]:
    """Years between the first and the last of `years` that are absent."""
    have = set(years)
    return [y for y in range(min(have), max(have) + 1) if y not in have] if have else []


def canonical_reports(db) -> dict[str, dict[int, dict]]:
    """{issuer: {year: report row}} choosing one real report per body and year."""
    rows = db.execute("""
        select r.id, r.url, r.year, r.issuer, r.agency, r.region_code,
               (select count(*) from cell_values c where c.report_id = r.id) as n
        from reports r
        where r.is_report = 1 and coalesce(r.is_mirror, 0) = 0 and r.year > 0
          and r.issuer is not null
        order by r.issuer, r.year, n desc, r.url""").fetchall()
    out: dict[str, dict[int, dict]] = defaultdict(dict)
    for rid, url, year, issuer, agency, code, n in rows:
        out[issuer].setdefault(year, {"id": rid, "url": url, "year": year, "issuer": issuer,
                                      "agency": agency, "region_code": code})
    return out


def _tables(db, report_id: int) -> dict[str, dict[str, dict[str, float]]]:
    out: dict = defaultdict(lambda: defaultdict(dict))
    for tbl, row, col, value in db.execute(
            "select tbl, row, col, value from cell_values where report_id = ? and tbl in ('t2', 't3')",
            [report_id]):
        out[tbl][row][col] = value
    return out


def run_crosschecks(db) -> dict[str, int]:
    """Recompute `cross_checks` for the whole archive; returns counts per kind and
    failures (`{'carry_over': 7, 'carry_over_failed': 1, …}`)."""
    db.execute(DDL)
    bodies = canonical_reports(db)
    found: list[dict] = []
    for issuer, by_year in bodies.items():
        years = sorted(by_year)
        tables = {y: _tables(db, by_year[y]["id"]) for y in years}
        for y in years:
            cur, prev = by_year[y], by_year.get(y - 1)
            if prev is None:
                continue
            base = {"issuer": issuer, "agency": cur["agency"], "region_code": cur["region_code"],
                    "year": y, "url": cur["url"], "prev_year": y - 1, "prev_url": prev["url"]}
            for col, a, b, ok in carry_over_rows(tables[y - 1]["t3"], tables[y]["t3"]):
                found.append(dict(base, kind="carry_over", item=col, expected=a, actual=b, ok=int(ok),
                                  detail=f"{y - 1} 结转下年度 {col} = {a:g}; {y} 上年结转 {col} = {b:g}"))
            for row, exp, act, ok in in_force_rows(tables[y - 1]["t2"], tables[y]["t2"]):
                found.append(dict(base, kind="in_force", item=row, expected=exp, actual=act, ok=int(ok),
                                  detail=f"{y} 现行有效 {row}: printed {act:g}, "
                                         f"{y - 1} in_force + issued - repealed = {exp:g}"))
        last = by_year[years[-1]]
        for y in missing_years(years):
            found.append({"kind": "missing_year", "issuer": issuer, "agency": last["agency"],
                          "region_code": last["region_code"], "year": y, "url": None,
                          "prev_year": max(x for x in years if x < y),
                          "prev_url": by_year[max(x for x in years if x < y)]["url"],
                          "item": None, "expected": None, "actual": None, "ok": 0,
                          "detail": f"no report for {y} (reports for {years[0]}–{years[-1]})"})
    chosen = [(r["id"],) for by_year in bodies.values() for r in by_year.values()]
    with db.conn:
        db.execute("update reports set canonical = 0 where coalesce(canonical, 1) != 0")
        db.conn.executemany("update reports set canonical = 1 where id = ?", chosen)
        db.execute("delete from cross_checks")
        if found:
            db["cross_checks"].insert_all(found)
    stats: dict[str, int] = defaultdict(int)
    for f in found:
        stats[f["kind"]] += 1
        if not f["ok"]:
            stats[f["kind"] + "_failed"] += 1
    return dict(stats)


def failures(db, kind: Optional[str] = None) -> list[dict]:
    """Failed cross-report checks, optionally of one kind."""
    sql = "select * from cross_checks where ok = 0" + (" and kind = ?" if kind else "") + \
          " order by issuer, year, item"
    cur = db.execute(sql, [kind] if kind else [])
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]
