"""SQL views over the archive: the long-format `cells`, the familiar wide tables
(`t2_wide`, `t3_wide`, `t4_wide`), one summary row per report, failed checks,
version history and crawls; plus `table_rows`, the printed label and order of
every row key.

Views are (re)created by `ensure_views`, called whenever an Archive is opened; a
change to the SQL here bumps VIEWS_VERSION so old archives get the new views.

>>> from gxcrawl.archive.store import Archive
>>> a = Archive(":memory:")
>>> sorted(set(VIEWS) <= set(a.db.view_names()) for _ in [0])
[True]
>>> wide_columns("t3")[:2]
['natural', 'commercial']
"""
from __future__ import annotations

from gxcrawl.archive.db import meta_get, meta_set

VIEWS_VERSION = "6"

T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
T2_COLUMNS = ("made", "published", "total", "prev_items", "change", "decisions", "items",
              "amount", "issued", "repealed", "in_force")

#: printed labels of the row keys (shared/reference/report-formats.md), in printed order
ROW_LABELS = {
    "t2": [("rules", "规章"), ("normative", "（行政）规范性文件"), ("licensing", "行政许可"),
           ("other_services", "其他对外管理服务事项"), ("penalty", "行政处罚"),
           ("coercion", "行政强制"), ("fees", "行政事业性收费"), ("procurement", "政府集中采购")],
    "t3": [("new", "一、本年新收政府信息公开申请数量"), ("carried", "二、上年结转政府信息公开申请数量"),
           ("granted", "（一）予以公开"), ("partial", "（二）部分公开"),
           ("denied.secret", "（三）不予公开 1.属于国家秘密"), ("denied.law", "2.其他法律行政法规禁止公开"),
           ("denied.safety", "3.危及“三安全一稳定”"), ("denied.third_party", "4.保护第三方合法权益"),
           ("denied.internal", "5.属于三类内部事务信息"), ("denied.process", "6.属于四类过程性信息"),
           ("denied.enforcement", "7.属于行政执法案卷"), ("denied.query", "8.属于行政查询事项"),
           ("unable.no_info", "（四）无法提供 1.本机关不掌握相关政府信息"),
           ("unable.create", "2.没有现成信息需要另行制作"), ("unable.unclear", "3.补正后申请内容仍不明确"),
           ("refused.petition", "（五）不予处理 1.信访举报投诉类申请"), ("refused.repeat", "2.重复申请"),
           ("refused.publication", "3.要求提供公开出版物"), ("refused.massive", "4.无正当理由大量反复申请"),
           ("refused.confirm", "5.要求行政机关确认或重新出具已获取信息"), ("other", "（六）其他处理"),
           ("other.no_correction", "（六）1.申请人无正当理由逾期不补正"),
           ("other.no_fee", "（六）2.申请人逾期未按收费通知要求缴纳费用"), ("other.other", "（六）3.其他"),
           ("total", "（七）总计"), ("next", "四、结转下年度继续办理")],
    "t4": [("review", "行政复议"), ("suit_direct", "行政诉讼·未经复议直接起诉"),
           ("suit_after_review", "行政诉讼·复议后起诉")],
}


def wide_columns(tbl: str) -> list[str]:
    """The columns of a wide view, in printed order.

    >>> wide_columns("t4")
    ['upheld', 'corrected', 'other', 'pending', 'total']
    """
    return list({"t2": T2_COLUMNS, "t3": T3_COLUMNS, "t4": T4_COLUMNS}[tbl])


def wide_view_sql(tbl: str) -> str:
    """SELECT giving one row per report and printed row key of table `tbl`, one column
    per printed column. Driven by `reports` × `table_rows` with a primary-key lookup
    per cell (no GROUP BY), so a filter on url/year/region and LIMIT apply before
    any cell is read — a page of the view costs the same on 20 rows or 20 million."""
    lookups = ",\n  ".join(
        f"(select {_as_int('value')} from cell_values where report_id = r.id and tbl = '{tbl}' "
        f"and row = k.row and col = '{col}') as [{col}]" for col in wide_columns(tbl))
    return f"""select r.url, r.year, r.agency, r.region_code, r.region_name, r.issuer,
  k.row, k.label, k.ord,
  {lookups},
  r.id as report_id
from reports r
join table_rows k on k.tbl = '{tbl}'
where exists (select 1 from cell_values e where e.report_id = r.id and e.tbl = '{tbl}' and e.row = k.row)"""


def _as_int(expr: str) -> str:
    """SQL: `expr` as an integer when it is a whole number (counts show as 125, not 125.0);
    amounts with decimals stay real.

    >>> _as_int("value")
    'case when value = cast(value as integer) then cast(value as integer) else value end'
    """
    return f"case when {expr} = cast({expr} as integer) then cast({expr} as integer) else {expr} end"


def _cell(tbl: str, row: str, col: str = "total") -> str:
    return (f"(select {_as_int('value')} from cell_values where report_id = r.id and tbl = '{tbl}' "
            f"and row = '{row}' and col = '{col}')")


def _cell_sum(tbl: str, prefix: str, col: str = "total") -> str:
    return (f"(select {_as_int('s')} from (select sum(value) as s from cell_values where report_id = r.id "
            f"and tbl = '{tbl}' and row like '{prefix}.%' and col = '{col}'))")


VIEWS = {
    "cells": """select r.url, r.year, c.tbl, c.row, c.col,
  case when c.col = '' then c.row else c.row || '.' || c.col end as key,
  c.value, c.raw, c.report_id, r.issuer, r.agency, r.region_code, r.region_name,
  g.level as region_level, g.prefecture_code, g.province_code, g.province,
  r.format, r.is_mirror
from cell_values c
join reports r on r.id = c.report_id
left join regions g on g.code = r.region_code""",
    "t2_wide": wide_view_sql("t2"),
    "t3_wide": wide_view_sql("t3"),
    "t4_wide": wide_view_sql("t4"),
    "report_summary": f"""select r.id as report_id, r.url, r.year, r.issuer, r.agency,
  r.region_code, r.region_name, g.level as region_level, g.prefecture_code,
  g.province_code, g.province, r.format, r.is_mirror, r.is_report, r.canonical,
  {_cell('t3', 'new')} as new_total,
  {_cell('t3', 'carried')} as carried_total,
  {_cell('t3', 'granted')} as granted_total,
  {_cell('t3', 'partial')} as partial_total,
  {_cell_sum('t3', 'denied')} as denied_total,
  {_cell_sum('t3', 'unable')} as unable_total,
  {_cell_sum('t3', 'refused')} as refused_total,
  coalesce({_cell('t3', 'other')}, {_cell_sum('t3', 'other')}) as other_total,
  {_cell('t3', 'total')} as handled_total,
  {_cell('t3', 'next')} as next_total,
  {_cell('t3', 'new', 'natural')} as new_natural,
  {_cell('t4', 'review')} as review_total,
  {_cell('t4', 'suit_direct')} as suit_direct_total,
  {_cell('t4', 'suit_after_review')} as suit_after_review_total,
  {_cell('tpre', 'requests.received', '')} as pre2019_requests_received,
  r.checks_failed, r.failed_checks
from reports r
left join regions g on g.code = r.region_code""",
    "failed_checks": """select k.url, k.year, k.name as check_name, k.detail, r.agency,
  r.region_code, r.region_name, r.format, r.is_mirror
from checks k join reports r on r.url = k.url and r.year = k.year
where k.ok = 0 and k.name not like 'figures.%'""",
    "report_history": """select url, year, version, 0 as current, reason, content_hash,
  body_sha256, parser_version, parsed_at, superseded_at, title, agency, tables
from report_versions
union all
select url, year, coalesce(version, 1), 1, null, content_hash, body_sha256, parser_version,
  parsed_at, null, title, agency, tables
from reports""",
    "crawl_summary": """select crawl_id, min(fetched_at) as started, max(fetched_at) as finished,
  count(*) as fetches, count(body_sha256) as with_body,
  sum(error is not null) as errors, sum(blocked_reason is not null) as blocked,
  sum(status >= 400) as http_errors
from fetches group by crawl_id""",
}


def ensure_views(db, force: bool = False) -> None:
    """Create `table_rows` and the views (again, if VIEWS_VERSION changed)."""
    if not force and meta_get(db, "views_version") == VIEWS_VERSION \
            and set(VIEWS) <= set(db.view_names()):
        return
    with db.conn:
        db.execute("drop table if exists table_rows")
        db.execute("create table table_rows (tbl text, row text, ord integer, label text, "
                   "primary key (tbl, row))")
        db.conn.executemany("insert into table_rows values (?, ?, ?, ?)",
                       [(tbl, row, i, label) for tbl, rows in ROW_LABELS.items()
                        for i, (row, label) in enumerate(rows)])
        for name in VIEWS:
            db.execute(f"drop view if exists [{name}]")
        if "cells" in db.table_names():
            return          # a schema-1 archive not migrated yet; Archive migrates first
        for name, sql in VIEWS.items():
            db.execute(f"create view [{name}] as {sql}")
        meta_set(db, "views_version", VIEWS_VERSION)


def wide_rows(db, tbl: str, url: str, year: int) -> dict[str, dict]:
    """The wide view of one report as {row key: {column: value}} (nulls kept).

    >>> from gxcrawl.archive.store import Archive
    >>> wide_rows(Archive(":memory:").db, "t3", "http://x", 2020)
    {}
    """
    cols = wide_columns(tbl)
    cur = db.execute(f"select row, {', '.join(f'[{c}]' for c in cols)} from {tbl}_wide "
                     "where url = ? and year = ?", [url, year])
    return {r[0]: dict(zip(cols, r[1:])) for r in cur.fetchall()}
