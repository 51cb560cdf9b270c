"""A report's own page in Datasette (`/<db>/-/report/<id>`): the report as it reads.

A header (issuing body, region, year, published, the source URL and the archived capture),
tables 二, 三, 四 — or the pre-2019 统计表 — laid out as the national templates print them
(shared/reference/report-formats.md: the blocks of table 二, the nested row labels of table
三, the three groups of table 四), each cell of a failing check marked with the check, the
sections, the stored versions and the mirror sightings of the report. Everything is text:
the template (templates/report.html) is autoescaped and no stored HTML is ever rendered.

The layout functions are plain: rows in, cells out.

>>> [c["text"] for c in label_grid([("一、新收",), ("三、结果", "（一）予以公开"), ("三、结果", "（七）总计")])[1]]
['三、结果', '（一）予以公开']
>>> label_grid([("三、结果", "（一）予以公开"), ("三、结果", "（七）总计")])[0][0]["rowspan"]
2
>>> sorted(check_cells("t3.balance.natural"))
[('t3', 'carried.natural'), ('t3', 'new.natural'), ('t3', 'next.natural'), ('t3', 'total.natural')]
>>> show(125.0), show(0.5), show(None)
('125', '0.5', '')
"""
from __future__ import annotations

import json
from typing import Any, Optional

from gxcrawl.parse.tables import T3_COLUMNS, T3_RESULT_ROWS, T4_COLUMNS, T4_GROUPS, TPRE_LABELS

RESULTS = "三、本年度办理结果"
#: table 三 as the templates print its label column: (key, label levels); 2019 has one （六） row
T3_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new", ("一、本年新收政府信息公开申请数量",)),
    ("carried", ("二、上年结转政府信息公开申请数量",)),
    ("granted", (RESULTS, "（一）予以公开")),
    ("partial", (RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ("denied.secret", (RESULTS, "（三）不予公开", "1.属于国家秘密")),
    ("denied.law", (RESULTS, "（三）不予公开", "2.其他法律行政法规禁止公开")),
    ("denied.safety", (RESULTS, "（三）不予公开", "3.危及“三安全一稳定”")),
    ("denied.third_party", (RESULTS, "（三）不予公开", "4.保护第三方合法权益")),
    ("denied.internal", (RESULTS, "（三）不予公开", "5.属于三类内部事务信息")),
    ("denied.process", (RESULTS, "（三）不予公开", "6.属于四类过程性信息")),
    ("denied.enforcement", (RESULTS, "（三）不予公开", "7.属于行政执法案卷")),
    ("denied.query", (RESULTS, "（三）不予公开", "8.属于行政查询事项")),
    ("unable.no_info", (RESULTS, "（四）无法提供", "1.本机关不掌握相关政府信息")),
    ("unable.create", (RESULTS, "（四）无法提供", "2.没有现成信息需要另行制作")),
    ("unable.unclear", (RESULTS, "（四）无法提供", "3.补正后申请内容仍不明确")),
    ("refused.petition", (RESULTS, "（五）不予处理", "1.信访举报投诉类申请")),
    ("refused.repeat", (RESULTS, "（五）不予处理", "2.重复申请")),
    ("refused.publication", (RESULTS, "（五）不予处理", "3.要求提供公开出版物")),
    ("refused.massive", (RESULTS, "（五）不予处理", "4.无正当理由大量反复申请")),
    ("refused.confirm", (RESULTS, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息")),
    ("other", (RESULTS, "（六）其他处理")),
    ("other.no_correction", (RESULTS, "（六）其他处理",
                             "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")),
    ("other.no_fee", (RESULTS, "（六）其他处理",
                      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请")),
    ("other.other", (RESULTS, "（六）其他处理", "3.其他")),
    ("total", (RESULTS, "（七）总计")),
    ("next", ("四、结转下年度继续办理",)),
)
T3_HEADER_ORGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

#: table 二 as printed: blocks of (heading, column labels, [(row key, label)], column keys)
T2_BLOCKS = {
    "2019": (
        ("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
         (("rules", "规章"), ("normative", "规范性文件")), ("made", "published", "total")),
        ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
         ("prev_items", "change", "decisions")),
        ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"),
         (("penalty", "行政处罚"), ("coercion", "行政强制")), ("prev_items", "change", "decisions")),
        ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), (("fees", "行政事业性收费"),),
         ("prev_items", "change")),
        ("第二十条第（九）项", ("采购项目数量", "采购总金额"), (("procurement", "政府集中采购"),),
         ("items", "amount")),
    ),
    "2021": (
        ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"),
         (("rules", "规章"), ("normative", "行政规范性文件")), ("issued", "repealed", "in_force")),
        ("第二十条第（五）项", ("本年处理决定数量",), (("licensing", "行政许可"),), ("decisions",)),
        ("第二十条第（六）项", ("本年处理决定数量",), (("penalty", "行政处罚"), ("coercion", "行政强制")),
         ("decisions",)),
        ("第二十条第（八）项", ("本年收费金额（单位：万元）",), (("fees", "行政事业性收费"),), ("amount",)),
    ),
}
T4_GROUP_LABELS = {"review": "行政复议", "suit_direct": "未经复议直接起诉", "suit_after_review": "复议后起诉"}
T4_COLUMN_LABELS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def show(value) -> str:
    """A cell as printed: integers without '.0', blanks empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label_grid(levels: list[tuple[str, ...]]) -> list[list[dict]]:
    """The label cells of nested row headers: equal labels above each other merge
    (rowspan); a row with fewer levels spans the remaining label columns (colspan)."""
    depth = max((len(lv) for lv in levels), default=1)
    grid: list[list[dict]] = [[] for _ in levels]
    for level in range(depth):
        i = 0
        while i < len(levels):
            row = levels[i]
            if len(row) <= level:
                i += 1
                continue
            j = i + 1
            while j < len(levels) and len(levels[j]) > level + 1 and len(row) > level + 1 \
                    and levels[j][:level + 1] == row[:level + 1]:
                j += 1
            colspan = 1 if len(row) > level + 1 else depth - level
            grid[i].append({"text": row[level], "rowspan": j - i, "colspan": colspan})
            i = j
    return grid


def check_cells(name: str) -> set[tuple[str, str]]:
    """The cells (table, key) a failing in-report check is about."""
    parts = name.split(".")
    if name.startswith("t3.balance."):
        return {("t3", f"{r}.{parts[2]}") for r in ("new", "carried", "total", "next")}
    if name.startswith("t3.results."):
        rows = (*T3_RESULT_ROWS, "other", "other.no_correction", "other.no_fee", "other.other", "total")
        return {("t3", f"{r}.{parts[2]}") for r in rows}
    if name.startswith("t3.applicants."):
        row = ".".join(parts[2:])
        return {("t3", f"{row}.{c}") for c in T3_COLUMNS}
    if name.startswith("t4.") and parts[1] in T4_GROUPS:
        return {("t4", f"{parts[1]}.{c}") for c in T4_COLUMNS}
    if name == "prose.requests":
        return {("t3", "new.total")}
    return set()


def cross_cells(check: dict, report_url: str) -> set[tuple[str, str]]:
    """The cells of this report a failing cross-year check is about (its later or earlier side)."""
    item, kind = check.get("item"), check.get("kind")
    if not item:
        return set()
    if kind == "carry_over":
        return {("t3", f"carried.{item}")} if check.get("url") == report_url else {("t3", f"next.{item}")}
    if kind == "in_force" and check.get("url") == report_url:
        return {("t2", f"{item}.in_force")}
    return set()


def flags(checks: list[dict], crosses: list[dict], report_url: str) -> dict[tuple[str, str], list[str]]:
    """(table, key) → the failing checks that name the cell, as 'name: detail'."""
    out: dict[tuple[str, str], list[str]] = {}
    for c in checks:
        for cell in check_cells(c["name"]):
            out.setdefault(cell, []).append(f"{c['name']}: {c['detail']}")
    for c in crosses:
        for cell in cross_cells(c, report_url):
            out.setdefault(cell, []).append(f"{c['kind']} {c['item']}: {c['detail']}")
    return out


def cell(tables: dict, raw: dict, marks: dict, tbl: str, key: str) -> dict:
    """One value cell: its text as printed, its key, the failing checks on it."""
    value = (tables.get(tbl) or {}).get(key)
    text = show(value) if value is not None else (raw.get((tbl, key)) or "")
    return {"text": text, "key": f"{tbl} {key}", "fails": marks.get((tbl, key), [])}


def t3_rows(tables: dict, generation: Optional[str]) -> list[str]:
    """The row keys table 三 prints: the 2021 template's three （六） rows or the 2019 one."""
    t3 = tables.get("t3") or {}
    three = generation == "2021" or any(k.startswith(("other.no_correction.", "other.no_fee.", "other.other."))
                                        for k in t3)
    skip = {"other"} if three else {"other.no_correction", "other.no_fee", "other.other"}
    return [key for key, _ in T3_LAYOUT if key not in skip]


def t3_table(tables: dict, raw: dict, marks: dict, generation: Optional[str]) -> dict:
    keys = t3_rows(tables, generation)
    labels = dict(T3_LAYOUT)
    grid = label_grid([labels[k] for k in keys])
    rows = [{"labels": grid[i], "cells": [cell(tables, raw, marks, "t3", f"{k}.{c}") for c in T3_COLUMNS]}
            for i, k in enumerate(keys)]
    depth = max(len(labels[k]) for k in keys)
    return {"rows": rows, "label_columns": depth, "orgs": T3_HEADER_ORGS}


def t2_table(tables: dict, raw: dict, marks: dict, generation: Optional[str]) -> list[dict]:
    t2 = tables.get("t2") or {}
    if generation not in T2_BLOCKS:
        generation = "2021" if any(k.endswith((".issued", ".in_force", ".repealed")) for k in t2) else "2019"
    return [{"heading": heading, "columns": columns,
             "rows": [{"label": label, "cells": [cell(tables, raw, marks, "t2", f"{key}.{c}") for c in cols]}
                      for key, label in rows]}
            for heading, columns, rows, cols in T2_BLOCKS[generation]]


def t4_table(tables: dict, raw: dict, marks: dict) -> dict:
    return {"groups": [T4_GROUP_LABELS[g] for g in T4_GROUPS], "columns": T4_COLUMN_LABELS,
            "cells": [cell(tables, raw, marks, "t4", f"{g}.{c}") for g in T4_GROUPS for c in T4_COLUMNS]}


def tpre_table(tables: dict, raw: dict, marks: dict) -> list[dict]:
    return [{"label": TPRE_LABELS.get(key, key), "key": key, "cell": cell(tables, raw, marks, "tpre", key)}
            for key in (tables.get("tpre") or {})]


def safe_link(url: Optional[str]) -> Optional[str]:
    """Only http(s) URLs become links (never javascript: or data:).

    >>> safe_link("http://www.sm.gov.cn/a.htm"), safe_link("javascript:alert(1)")
    ('http://www.sm.gov.cn/a.htm', None)
    """
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _json(text: Optional[str], default: Any) -> Any:
    try:
        return json.loads(text) if text else default
    except ValueError:
        return default


def build(report: dict, checks: list[dict], crosses: list[dict], raw_cells: list[dict],
          versions: list[dict], sightings: list[dict], capture: Optional[dict]) -> dict:
    """The template's context from the archive's rows of one report."""
    tables = _json(report.get("tables"), {})
    formats = _json(report.get("table_formats"), {})
    raw = {(r["tbl"], r["row"] + (f".{r['col']}" if r["col"] else "")): r["raw"] for r in raw_cells}
    failing = [c for c in checks if not c["ok"]]
    marks = flags(failing, [c for c in crosses if not c["ok"]], report["url"])
    context = {
        "report": report, "source_link": safe_link(report.get("url")), "capture": capture,
        "failing": failing, "crosses_failing": [c for c in crosses if not c["ok"]],
        "checks_run": len(checks), "sections": _json(report.get("sections"), []),
        "versions": versions, "sightings": sightings, "formats": formats,
        "t2": t2_table(tables, raw, marks, formats.get("t2")) if tables.get("t2") else None,
        "t3": t3_table(tables, raw, marks, formats.get("t3")) if tables.get("t3") else None,
        "t4": t4_table(tables, raw, marks) if tables.get("t4") else None,
        "tpre": tpre_table(tables, raw, marks) if tables.get("tpre") else None,
    }
    return context


async def page_context(db, report_id: int) -> Optional[dict]:
    """Read one report and everything around it through a Datasette Database; None if absent."""
    async def rows(sql: str, params) -> list[dict]:
        try:
            return [dict(r) for r in (await db.execute(sql, params)).rows]
        except Exception:  # noqa: BLE001 - an older archive without that table
            return []

    found = await rows("select * from reports where id = ?", [report_id])
    if not found:
        return None
    report = found[0]
    key = [report["url"], report["year"]]
    checks = await rows("select name, ok, detail from checks where url = ? and year = ? order by name", key)
    crosses = await rows("select kind, item, year, url, prev_year, prev_url, ok, detail from cross_checks "
                         "where (url = ? and year = ?) or (prev_url = ? and prev_year = ?)", key + key)
    raw = await rows("select tbl, row, col, raw from cell_values where report_id = ?", [report_id])
    versions = await rows("select version, first_stored, superseded_at, reason, parser_version, content_hash, "
                          "checks_failed from report_versions where url = ? and year = ? order by version", key)
    sightings = await rows("select mirror_url, mirror_host, match_score, first_seen from mirror_sightings "
                           "where official_report_id = ? or (official_url = ? and official_year = ?) "
                           "order by mirror_url", [report_id, *key])
    capture = await rows("select id, fetched_at, status from fetches where url = ? and body_sha256 = ? "
                         "order by id desc limit 1", [report["url"], report.get("body_sha256")])
    for s in sightings:
        s["link"] = safe_link(s.get("mirror_url"))
    return build(report, checks, crosses, raw, versions, sightings, capture[0] if capture else None)
