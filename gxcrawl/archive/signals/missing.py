"""Missing reports, in three tables:

* `missing_reports` — ``body_year``: a year between a body's first and last report with
  no report (the cross-year check ``missing_year``, gxcrawl.archive.crosscheck);
  ``region_year``: a year in which a region's portal yielded reports but not its
  government's own;
* `region_years` — for each region of the registry whose portal the crawl reached,
  each year its portal yielded reports for: ``found`` (its government's own report —
  the issuer is the region's 人民政府) or ``missing``. A region's reports are those
  carrying its code and those on its portal's hosts (`portals`);
* views `missing_by_prefecture` and `missing_by_province`: per prefecture / province,
  the registry's regions, those crawled, the region-years found and missing, and the
  body-years missing.

>>> year_span([2016, 2019, 2017])
[2016, 2017, 2018, 2019]
"""
from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from gxcrawl.archive.signals.statutory import body_kind
from gxcrawl.archive.signals.tables import query_dicts, replace_rows

MISSING_DDL = """
create table if not exists missing_reports (
    kind text not null,          -- body_year | region_year
    issuer text,                 -- the body (body_year); the region's government (region_year)
    agency text,
    region_code text, region_name text, region_level text, prefecture text, province text,
    year integer not null,       -- the year without a report
    first_year integer,          -- the range looked at
    last_year integer,
    detail text
)
"""

REGION_YEARS_DDL = """
create table if not exists region_years (
    region_code text not null, region_name text, region_level text, prefecture text, province text,
    year integer not null,
    status text not null,        -- found | missing
    report_url text,             -- the government's own report (found)
    agency text,
    reports integer,             -- reports of the region's bodies that year
    portal text,                 -- the region's portal root (portals), when known
    primary key (region_code, year)
)
"""

BY_AREA_VIEW = """
create view if not exists missing_by_{area} as
with reg as (select {area}_code as code, {area} as name, count(*) as regions from regions
             where level in ({levels}) and {area}_code is not null group by {area}_code),
     cov as (select g.{area}_code as code, count(distinct y.region_code) as crawled,
                    sum(y.status = 'found') as found, sum(y.status = 'missing') as missing
             from region_years y join regions g on g.code = y.region_code group by g.{area}_code),
     bod as (select g.{area}_code as code, count(*) as body_years_missing
             from missing_reports m join regions g on g.code = m.region_code
             where m.kind = 'body_year' group by g.{area}_code)
select reg.code as {area}_code, reg.name as {area}, reg.regions, coalesce(cov.crawled, 0) as regions_crawled,
       coalesce(cov.found, 0) as region_years_found, coalesce(cov.missing, 0) as region_years_missing,
       coalesce(bod.body_years_missing, 0) as body_years_missing
from reg left join cov on cov.code = reg.code left join bod on bod.code = reg.code
where cov.code is not null or bod.code is not null
"""
VIEWS = {"missing_by_prefecture": BY_AREA_VIEW.format(area="prefecture", levels="'prefecture', 'county'"),
         "missing_by_province": BY_AREA_VIEW.format(area="province", levels="'province', 'prefecture', 'county'")}


def year_span(years) -> list[int]:
    """Every year from the first to the last of `years`."""
    years = [y for y in years if y]
    return list(range(min(years), max(years) + 1)) if years else []


def _region_info(db) -> dict[str, dict]:
    return {r["code"]: r for r in query_dicts(
        db, "select code, name, level, prefecture, province from regions")}


def body_years(db, regions: dict) -> list[dict]:
    out = []
    for m in query_dicts(db, "select issuer, agency, region_code, year, prev_year, detail from cross_checks "
                             "where kind = 'missing_year' order by issuer, year"):
        g = regions.get(m["region_code"]) or {}
        span = db.execute("select min(year), max(year) from reports where issuer = ? and canonical = 1",
                          [m["issuer"]]).fetchone()
        out.append({"kind": "body_year", "issuer": m["issuer"], "agency": m["agency"],
                    "region_code": m["region_code"], "region_name": g.get("name"), "region_level": g.get("level"),
                    "prefecture": g.get("prefecture"), "province": g.get("province"), "year": m["year"],
                    "first_year": span[0], "last_year": span[1], "detail": m["detail"]})
    return out


def region_reports(db) -> dict[str, list[dict]]:
    """region code → the canonical reports of its bodies and of its portal's hosts."""
    portal_of: dict[str, str] = {}
    for p in query_dicts(db, "select code, root, extra_hosts from portals"):
        for host in [urlsplit(p["root"] or "").hostname, *(p["extra_hosts"] or "").split(",")]:
            if host:
                portal_of[host.lower()] = p["code"]
    out: dict[str, list[dict]] = defaultdict(list)
    for r in query_dicts(db, "select id, url, year, agency, region_code from reports "
                             "where canonical = 1 and is_report = 1 and year > 0"):
        codes = {r["region_code"], portal_of.get((urlsplit(r["url"]).hostname or "").lower())}
        for code in codes - {None}:
            out[code].append(r)
    return out


def coverage(db, regions: dict) -> list[dict]:
    """The region_years rows: each region reached, each year of its portal's reports."""
    roots = {p["code"]: p["root"] for p in query_dicts(db, "select code, root from portals")}
    out = []
    for code, reports in sorted(region_reports(db).items()):
        g = regions.get(code)
        if g is None:
            continue
        for year in year_span(r["year"] for r in reports):
            that_year = [r for r in reports if r["year"] == year]
            own = [r for r in that_year if r["region_code"] == code and body_kind(r["agency"]) == "government"]
            out.append({"region_code": code, "region_name": g["name"], "region_level": g["level"],
                        "prefecture": g["prefecture"], "province": g["province"], "year": year,
                        "status": "found" if own else "missing",
                        "report_url": own[0]["url"] if own else None, "agency": own[0]["agency"] if own else None,
                        "reports": len(that_year), "portal": roots.get(code)})
    return out


def run_missing(db) -> dict:
    """Recompute missing_reports and region_years (after gxcrawl.archive.crosscheck)."""
    regions = _region_info(db)
    cover = coverage(db, regions)
    missing = body_years(db, regions)
    spans: dict[str, list[int]] = defaultdict(list)
    for c in cover:
        spans[c["region_code"]].append(c["year"])
    for c in cover:
        if c["status"] == "missing":
            first, last = min(spans[c["region_code"]]), max(spans[c["region_code"]])
            missing.append({"kind": "region_year", "issuer": None, "agency": f"{c['region_name']}人民政府",
                            "region_code": c["region_code"], "region_name": c["region_name"],
                            "region_level": c["region_level"], "prefecture": c["prefecture"],
                            "province": c["province"], "year": c["year"], "first_year": first, "last_year": last,
                            "detail": f"the portal yielded {c['reports']} reports for {c['year']}, "
                                      f"none by the region's government ({first}–{last})"})
    replace_rows(db, "region_years", REGION_YEARS_DDL, cover)
    replace_rows(db, "missing_reports", MISSING_DDL, missing)
    ensure_views(db)
    return {"body_year": sum(m["kind"] == "body_year" for m in missing),
            "region_year": sum(m["kind"] == "region_year" for m in missing),
            "region_years_found": sum(c["status"] == "found" for c in cover)}


def ensure_views(db) -> None:
    db.execute(MISSING_DDL)
    db.execute(REGION_YEARS_DDL)
    for sql in VIEWS.values():
        db.execute(sql)
