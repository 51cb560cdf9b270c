"""The panel: one row per issuing body and report year, the same figures across every
table generation, where each came from, the accountability signals, and where to find
the bytes — what `gxcrawl export panel` writes and the `panel` table of Datasette shows.

A body is its `issuer_key` (region code | agency as printed, the host when no agency:
gxcrawl.archive.rows.issuer_key), the key the cross-year checks follow a body with. For
each body and year the canonical report is used (gxcrawl.archive.crosscheck: not a
mirror copy, most cells); with ``all_versions`` every stored version of it (oldest
first, `current` = 1 for the latest). A year in a body's range with no report is a row
too (``missing`` = 1, no report columns), so the panel is balanced within each body's
range.

The columns are `columns()`: the data dictionary (`PANEL_COLUMNS` and one pair per
harmonized figure of gxcrawl.parse.figures — new figures join the panel as they are
added there). README "The panel" prints it; Datasette shows it as column descriptions.

>>> [c.name for c in columns()][:4]
['issuer_key', 'agency', 'year', 'region_code']
>>> figure_columns()[0].name, figure_columns()[1].name
('requests_received', 'requests_received_source')
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, Optional

from gxcrawl.archive.db import transaction
from gxcrawl.archive.signals.tables import query_dicts
from gxcrawl.archive.warc import warc_record_id
from gxcrawl.parse import figures as figures_module
from gxcrawl.parse.figures import FIGURES, harmonize


@dataclass(frozen=True)
class Column:
    name: str
    type: str            # integer | number (a count) | real (a ratio) | text
    unit: str
    meaning: str
    mapping: str = ""    # how each table generation's cells map to it


PANEL_COLUMNS: tuple[Column, ...] = (
    Column("issuer_key", "text", "", "the issuing body, stable across years: region code | agency (host when no agency)"),
    Column("agency", "text", "", "the issuing body as printed (e.g. 三明市财政局)"),
    Column("year", "integer", "year", "the year the report covers (not the year it was published)"),
    Column("region_code", "text", "", "6-digit administrative division code of the body (→ regions)"),
    Column("region_name", "text", "", "name of that division (regions.name)"),
    Column("region_level", "text", "", "province | prefecture | county (regions.level)"),
    Column("prefecture", "text", "", "the prefecture the division belongs to (regions.prefecture)"),
    Column("province", "text", "", "the province (regions.province)"),
    Column("generation", "text", "", "table generation: pre2019 (统计表) | 2019 | 2021 | mixed (2021 table 二 with a 2019 table 三)"),
    Column("published", "text", "date", "publication date printed by the report, YYYY-MM-DD"),
    Column("first_seen", "text", "UTC", "first fetch of the report by the crawler (fetches)"),
    Column("missing", "integer", "0/1", "1: no report for this year between the body's first and last (the report columns are empty)"),
    Column("checks_failed", "integer", "checks", "accounting checks (勾稽关系) the printed numbers fail"),
    Column("failed_checks", "text", "", "their names, separated by '; '"),
    Column("copied", "integer", "0/1", "1: the figures or the text copy another report (copied_reports)"),
    Column("copy_kind", "text", "", "figures | text | figures+text; same body (another year) or another body: copy_scope"),
    Column("copy_scope", "text", "", "same_body | other_body"),
    Column("copies_url", "text", "", "the report it copies"),
    Column("copies_year", "integer", "year", "the year of the report it copies"),
    Column("copy_share", "real", "0..1", "how much: share of equal cells (figures), else text similarity"),
    Column("late_status", "text", "", "late | on_time | no_statutory_date | undated (late_reports)"),
    Column("deadline", "text", "date", "statutory last day (2019 条例 第四十九/五十条, 2008 条例 第三十一条)"),
    Column("days_late", "integer", "days", "days after the deadline (late only)"),
    Column("withdrawn_at", "text", "UTC", "when the portal was found to have taken the report back (withdrawn_reports)"),
    Column("withdrawn_how", "text", "", "gone (404/410) | deleted_notice | unlisted"),
    Column("mirror_copies", "integer", "copies", "copies of this report seen on spam mirrors (mirror_sightings)"),
    Column("url", "text", "", "the report: its page, or the attachment it was read from"),
    Column("capture_sha256", "text", "", "sha256 of the bytes parsed, exactly as fetched (bodies)"),
    Column("warc_record_id", "text", "", "WARC-Record-ID of that capture in `gxcrawl export warc`"),
    Column("captured_at", "text", "UTC", "when that capture was fetched"),
    Column("version", "integer", "", "version of the report (1 + earlier versions in report_versions)"),
    Column("current", "integer", "0/1", "1: the latest version (always 1 without --all-versions)"),
    Column("report_id", "integer", "", "reports.id"),
)


def _mapping(figure) -> str:
    names = {"t2": "table 二", "t3": "table 三", "t4": "table 四", "tpre": "pre-2019 统计表"}
    aliases = getattr(figures_module, "T2_2021_ALIASES", {})     # the 2021 template's names of table 二 cells
    parts = [f"{names.get(tbl, tbl)}: " + " + ".join(f"{k} (2019) / {aliases[k]} (2021)" if k in aliases else k
                                                     for k in keys) for tbl, keys in figure.cells.items()]
    if getattr(figure, "prose", None):
        parts.append("prose")
    return "; ".join(parts)


def figure_columns() -> list[Column]:
    """A value and a source column per harmonized figure (gxcrawl.parse.figures.FIGURES)."""
    out = []
    for f in FIGURES:
        out.append(Column(f.name, "number", f.unit, f.meaning, _mapping(f)))
        out.append(Column(f"{f.name}_source", "text", "",
                          f"where {f.name} came from: t2 | t3 | t4 | tpre | prose (empty: no table gives it)"))
    return out


def columns() -> list[Column]:
    """Every panel column in order: identity, figures, checks and signals, provenance."""
    head, tail = list(PANEL_COLUMNS[:11]), list(PANEL_COLUMNS[11:])
    return head + figure_columns() + tail


def column_types() -> list[tuple[str, str]]:
    return [(c.name, c.type) for c in columns()]


# -- rows -----------------------------------------------------------------------------
def _json(text, default):
    try:
        value = json.loads(text) if text else default
    except ValueError:
        return default
    return value if value is not None else default


def _capture(db, url: str, sha: Optional[str]) -> dict:
    """The first fetch of `url` that returned these bytes (what the WARC export writes)."""
    if not sha:
        return {}
    row = db.execute("select id, url, fetched_at from fetches where url = ? and body_sha256 = ? "
                     "and status is not null order by (status = 200) desc, id limit 1", [url, sha]).fetchone()
    if row is None:
        return {}
    return {"warc_record_id": warc_record_id(row[0], row[1], row[2], sha), "captured_at": row[2]}


def _signals(db) -> dict[str, dict[int, dict]]:
    names = set(db.table_names())
    out: dict[str, dict[int, dict]] = {}
    for table, sql in (
            ("copied_reports", "select report_id, kind, scope, copies_url, copies_year, share from copied_reports "
                               "order by report_id, share desc"),
            ("late_reports", "select report_id, status, deadline, days_late from late_reports"),
            ("withdrawn_reports", "select report_id, removed_at, how from withdrawn_reports")):
        out[table] = {}
        if table in names:
            for r in query_dicts(db, sql):
                out[table].setdefault(r["report_id"], r)
    return out


def _report_rows(db, all_versions: bool) -> list[dict]:
    current = query_dicts(db, """
        select r.id as report_id, r.url, r.year, r.issuer, r.agency, r.region_code, r.format, r.published,
               r.figures, r.tables, r.checks_failed, r.failed_checks, r.body_sha256, r.version, 1 as current,
               g.name as g_name, g.level as g_level, g.prefecture as g_prefecture, g.province as g_province,
               (select min(f.fetched_at) from fetches f where f.url = r.url) as first_seen,
               (select count(*) from mirror_sightings m where m.official_report_id = r.id) as mirror_copies
        from reports r left join regions g on g.code = r.region_code
        where r.canonical = 1 and r.is_report = 1 and r.year > 0 and coalesce(r.is_mirror, 0) = 0""")
    if not all_versions:
        return current
    old_cols = set(db["report_versions"].columns_dict)
    figures = "v.figures" if "figures" in old_cols else "null"
    by_id = {r["report_id"]: r for r in current}
    old = query_dicts(db, f"""
        select v.report_id, v.url, v.year, v.issuer, v.agency, v.region_code, v.format, v.published,
               {figures} as figures, v.tables, v.checks_failed, v.failed_checks, v.body_sha256, v.version,
               0 as current
        from report_versions v where v.report_id in (select id from reports where canonical = 1)""")
    for row in old:
        cur = by_id.get(row["report_id"])
        if cur is None:
            continue
        row.update({k: cur[k] for k in ("g_name", "g_level", "g_prefecture", "g_province", "first_seen",
                                        "mirror_copies")})
        if row["region_code"] != cur["region_code"]:
            row.update(g_name=None, g_level=None, g_prefecture=None, g_province=None)
    return current + [r for r in old if r["report_id"] in by_id]


def panel_row(db, r: dict, signals: dict) -> dict:
    """One panel row from a report (or version) row."""
    figures = _json(r["figures"], {}) or harmonize(_json(r["tables"], {}))
    rid = r["report_id"]
    copy = signals["copied_reports"].get(rid) if r["current"] else None
    late = signals["late_reports"].get(rid) if r["current"] else None
    gone = signals["withdrawn_reports"].get(rid)
    row = {"issuer_key": r["issuer"], "agency": r["agency"], "year": r["year"], "region_code": r["region_code"],
           "region_name": r["g_name"], "region_level": r["g_level"], "prefecture": r["g_prefecture"],
           "province": r["g_province"], "generation": r["format"], "published": r["published"],
           "first_seen": r["first_seen"], "missing": 0, "checks_failed": r["checks_failed"],
           "failed_checks": "; ".join(_json(r["failed_checks"], [])) or None,
           "copied": int(copy is not None), "copy_kind": copy and copy["kind"], "copy_scope": copy and copy["scope"],
           "copies_url": copy and copy["copies_url"], "copies_year": copy and copy["copies_year"],
           "copy_share": copy and copy["share"],
           "late_status": late and late["status"], "deadline": late and late["deadline"],
           "days_late": late and late["days_late"],
           "withdrawn_at": gone and gone["removed_at"], "withdrawn_how": gone and gone["how"],
           "mirror_copies": r["mirror_copies"], "url": r["url"], "capture_sha256": r["body_sha256"],
           "warc_record_id": None, "captured_at": None, "version": r["version"] or 1, "current": r["current"],
           "report_id": rid}
    for f in FIGURES:
        fig = figures.get(f.name) or {}
        row[f.name] = fig.get("value")
        row[f"{f.name}_source"] = fig.get("source")
    row.update(_capture(db, r["url"], r["body_sha256"]))
    return row


def missing_rows(db) -> list[dict]:
    """A row for each year in a body's range with no report (cross_checks missing_year)."""
    out = []
    for m in query_dicts(db, """
            select x.issuer, x.agency, x.region_code, x.year, g.name, g.level, g.prefecture, g.province
            from cross_checks x left join regions g on g.code = x.region_code
            where x.kind = 'missing_year'"""):
        row = {c.name: None for c in columns()}
        row.update(issuer_key=m["issuer"], agency=m["agency"], year=m["year"], region_code=m["region_code"],
                   region_name=m["name"], region_level=m["level"], prefecture=m["prefecture"],
                   province=m["province"], missing=1, copied=0, current=1)
        out.append(row)
    return out


def panel_rows(db, all_versions: bool = False) -> list[dict]:
    """The panel, sorted by body, year and version."""
    signals = _signals(db)
    rows = [panel_row(db, r, signals) for r in _report_rows(db, all_versions)] + missing_rows(db)
    rows.sort(key=lambda r: (r["issuer_key"] or "", r["year"] or 0, r["version"] or 0))
    return rows


def iter_dictionary() -> Iterator[tuple[str, str, str, str, str]]:
    """(column, type, unit, meaning, mapping) for the README and Datasette."""
    for c in columns():
        yield c.name, c.type, c.unit, c.meaning, c.mapping


def column_descriptions() -> dict[str, str]:
    """{column: description} for Datasette: meaning, unit, and the cells of each generation.

    >>> column_descriptions()["requests_received"].startswith("information requests received")
    True
    """
    out = {}
    for c in columns():
        text = c.meaning + (f" [{c.unit}]" if c.unit else "")
        out[c.name] = text + (f" — {c.mapping}" if c.mapping else "")
    return out


def panel_ddl() -> str:
    # numeric, not real: whole numbers stay integers in SQLite (and in Datasette)
    sql_type = {"integer": "integer", "number": "numeric", "real": "real", "text": "text"}
    return "create table if not exists panel (" + ", ".join(f"[{c.name}] {sql_type[c.type]}" for c in columns()) + ")"


def ensure_panel_table(db) -> None:
    """An (empty) `panel` table until the first `build_panel_table`, so that queries work."""
    db.execute(panel_ddl())


def build_panel_table(db) -> int:
    """(Re)write the `panel` table that Datasette shows: the latest versions."""
    rows = panel_rows(db)
    cols = columns()
    with transaction(db):
        db.execute("drop table if exists panel")
        db.execute(panel_ddl())
        if rows:
            marks = ", ".join("?" for _ in cols)
            db.conn.executemany(f"insert into panel values ({marks})", [[r.get(c.name) for c in cols] for r in rows])
        db.execute("create index if not exists idx_panel_issuer_year on panel(issuer_key, year)")
    return len(rows)
