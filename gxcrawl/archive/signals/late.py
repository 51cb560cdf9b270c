"""Late reports: each body's report of the year against its statutory date
(gxcrawl.archive.signals.statutory), in the `late_reports` table.

The publication date is the report's own (`reports.published`); when the report prints
none, the date its list showed (the crawl's `entries`, title|date). The crawler's first
sight of the page (`fetches`) is evidence too: a report the crawler first saw after the
deadline, although an earlier crawl had read the report's list after the deadline
without finding it, was not there in time — whatever date it prints.

`status`: ``late`` (published, or shown by the list evidence, after the deadline),
``on_time``, ``no_statutory_date`` (township governments, 街道 offices, 公共企事业单位 under
the 2019 条例; issuer or region level unknown), ``undated`` (no date printed or listed,
and no list evidence).

>>> lateness("2023-03-15", "2023-01-31")
43
>>> lateness("2023-01-20", "2023-01-31")
0
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Optional

from gxcrawl.archive.signals.statutory import body_kind, statutory_deadline
from gxcrawl.archive.signals.tables import query_dicts, replace_rows

DDL = """
create table if not exists late_reports (
    report_id integer primary key,   -- reports.id
    url text, year integer, issuer text, agency text,
    region_code text, region_name text, region_level text, prefecture text, province text,
    body_kind text,                  -- government | department | township | institution
    rule text,                       -- the article that sets the date (or why there is none)
    deadline text,                   -- last day to publish, YYYY-MM-DD
    published text,                  -- YYYY-MM-DD
    published_from text,             -- report (printed) | list (the list entry's date)
    first_seen text,                 -- first fetch of the report by the crawler (UTC)
    status text not null,            -- late | on_time | no_statutory_date | undated
    days_late integer,               -- days after the deadline (late only)
    evidence text
)
"""
#: the deadline day ends at 24:00 China time (UTC+8)
CHINA = timezone(timedelta(hours=8))


def lateness(published: Optional[str], deadline: Optional[str]) -> Optional[int]:
    """Days `published` lies after `deadline` (0 when in time, None when either is unknown)."""
    day, due = _day(published), _day(deadline)
    if day is None or due is None:
        return None
    return max(0, (day - due).days)


def _day(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def deadline_end_utc(deadline: str) -> str:
    """The end of the deadline day in China, as a UTC timestamp like `fetches.fetched_at`.

    >>> deadline_end_utc("2023-01-31")
    '2023-01-31T16:00:00Z'
    """
    end = datetime.combine(date.fromisoformat(deadline) + timedelta(days=1), datetime.min.time(), CHINA)
    return end.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _has(db, table: str) -> bool:
    return table in db.table_names()


def report_rows(db) -> list[dict]:
    """The canonical report of each body and year, with its region, dates and list."""
    entries = _has(db, "entries")      # the crawl's table (gxcrawl.crawl.incremental), when there is one
    listed = ("(select e.signature from entries e where e.url = r.url)" if entries else "null")
    list_url = ("(select e.list_url from entries e where e.url = r.url)" if entries else "null")
    return query_dicts(db, f"""
        select r.id as report_id, r.url, r.year, r.issuer, r.agency, r.region_code,
               g.name as region_name, g.level as region_level, g.prefecture, g.province,
               r.published, {listed} as listed, {list_url} as list_url,
               (select min(f.fetched_at) from fetches f where f.url = r.url) as first_seen,
               (select f.crawl_id from fetches f where f.url = r.url order by f.fetched_at, f.id limit 1)
                 as first_seen_crawl
        from reports r left join regions g on g.code = r.region_code
        where r.canonical = 1 and r.is_report = 1 and r.year > 0
        order by r.id""")


def list_read_before(db, list_url: Optional[str], after: str, before: Optional[str],
                     crawl_id: Optional[str]) -> Optional[str]:
    """When a crawl other than `crawl_id` (the one that first fetched the report), and not
    limited to some years, read `list_url` after `after` and before `before` (UTC)."""
    if not list_url or not before:
        return None
    # a crawl limited to some years (-a years=) does not take every entry of a list
    row = db.execute("select min(f.fetched_at) from fetches f left join crawls c on c.crawl_id = f.crawl_id "
                     "where f.url = ? and f.status in (200, 304) and f.fetched_at > ? and f.fetched_at < ? "
                     "and coalesce(f.crawl_id, '') != coalesce(?, '') and coalesce(c.args, '') not like '%\"years\"%'",
                     [list_url, after, before, crawl_id]).fetchone()
    return row[0] if row else None


def judge(row: dict, db=None) -> dict:
    """The late_reports row of one report row (report_rows)."""
    kind = body_kind(row["agency"])
    deadline, rule = statutory_deadline(row["year"], kind, row["region_level"])
    published, source = row["published"], "report" if row["published"] else None
    if not published and row.get("listed") and "|" in row["listed"]:
        listed = _day(row["listed"].rsplit("|", 1)[1])
        if listed:
            published, source = listed.isoformat(), "list"
    out = {k: row[k] for k in ("report_id", "url", "year", "issuer", "agency", "region_code", "region_name",
                               "region_level", "prefecture", "province", "first_seen")}
    out.update(body_kind=kind, rule=rule, deadline=deadline, published=published, published_from=source,
               days_late=None, evidence=None)
    if deadline is None:
        out["status"] = "no_statutory_date"
        return out
    late = lateness(published, deadline)
    if late:
        out.update(status="late", days_late=late,
                   evidence=f"published {published} ({source}), {late} days after {deadline}")
        return out
    seen_list = list_read_before(db, row.get("list_url"), deadline_end_utc(deadline), row["first_seen"],
                                 row.get("first_seen_crawl")) if db is not None else None
    if seen_list:
        out.update(status="late", days_late=lateness(row["first_seen"], deadline),
                   evidence=f"not on its list {row['list_url']} when an earlier crawl read it at {seen_list}, "
                            f"after the deadline {deadline}; first seen {row['first_seen']}"
                            + (f" (prints {published})" if published else ""))
        return out
    out["status"] = "on_time" if published else "undated"
    return out


def run_late(db) -> dict:
    """Recompute `late_reports`; returns the count per status."""
    rows = [judge(r, db) for r in report_rows(db)]
    replace_rows(db, "late_reports", DDL, rows)
    counts: dict = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return counts
