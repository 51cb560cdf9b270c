"""Withdrawn reports: a report once archived that its portal took back. Two kinds of
evidence, one table `withdrawn_reports` (the archived copy is never deleted: it stays in
`reports`, `bodies` and `fetches`, and the panel marks it):

* the crawl saw it leave its list (`withdrawals`, written by the crawl —
  gxcrawl.crawl.withdrawals — through `record_withdrawal`): in a complete crawl that read
  the report's list again, the entry was on no list any more; the crawl then asked for
  the page once: ``gone`` (it answers 404/410), ``deleted_notice`` (a "信息已删除" page)
  or ``unlisted`` (still online, but no longer listed);
* its page answered 404/410 after an earlier 200 (`fetches`, e.g. a re-crawl with
  GXCRAWL_REVALIDATE_REPORTS): ``gone``.

A report listed again later (`relisted_at`) is no longer withdrawn, nor is a gone page that
answers 200 again.

>>> import sqlite_utils
>>> db = sqlite_utils.Database(memory=True); ensure_withdrawals(db)
>>> record_withdrawal(db, "http://x.gov.cn/a.html", "unlisted", entry_url="http://x.gov.cn/a.html",
...                   list_url="http://x.gov.cn/list/", page_status=200, crawl_id="c2", at="2025-02-01T00:00:00Z")
>>> db.execute("select url, how, removed_at from withdrawals").fetchall()
[('http://x.gov.cn/a.html', 'unlisted', '2025-02-01T00:00:00Z')]
"""
from __future__ import annotations

from typing import Optional

from gxcrawl.archive.db import utc_now
from gxcrawl.archive.signals.tables import query_dicts, replace_rows

WITHDRAWALS_DDL = """
create table if not exists withdrawals (
    url text not null,           -- the archived report (its page, or the attachment it came from)
    entry_url text,              -- the list entry that led to it
    list_url text,               -- the list it was on
    removed_at text not null,    -- when the crawl found it gone from its list (UTC)
    how text not null,           -- gone | deleted_notice | unlisted
    page_status integer,         -- what its page answered when asked again
    crawl_id text,
    relisted_at text,            -- listed again by a later crawl
    primary key (url, removed_at)
)
"""
#: a worker's withdrawal merged into a merged archive (gxcrawl merge): one row per url and time
WITHDRAWALS_MERGE_SQL = (
    "insert or ignore into withdrawals (url, entry_url, list_url, removed_at, how, page_status, crawl_id, "
    "relisted_at) values (:url, :entry_url, :list_url, :removed_at, :how, :page_status, :crawl_id, :relisted_at)")

DDL = """
create table if not exists withdrawn_reports (
    report_id integer primary key,   -- reports.id: the archived copy, kept
    url text, year integer, issuer text, agency text, region_code text,
    removed_at text not null,        -- first evidence of the removal (UTC)
    how text not null,               -- gone | deleted_notice | unlisted
    page_status integer,
    evidence text not null,          -- list (the crawl) | fetch (a 404/410 after a 200)
    list_url text,
    last_ok_fetch text,              -- the last 200 fetch before the removal
    archived_sha256 text,            -- the bytes kept (bodies)
    detail text
)
"""


def ensure_withdrawals(db) -> None:
    db.execute(WITHDRAWALS_DDL)


def record_withdrawal(db, url: str, how: str, entry_url: Optional[str] = None, list_url: Optional[str] = None,
                      page_status: Optional[int] = None, crawl_id: Optional[str] = None,
                      at: Optional[str] = None) -> None:
    """The crawl found the archived report `url` gone from its list (`how`: gone,
    deleted_notice, unlisted). An open withdrawal of `url` is not recorded twice."""
    ensure_withdrawals(db)
    if db.execute("select 1 from withdrawals where url = ? and relisted_at is null", [url]).fetchone():
        return
    db.execute("insert or ignore into withdrawals (url, entry_url, list_url, removed_at, how, page_status, crawl_id) "
               "values (?, ?, ?, ?, ?, ?, ?)", [url, entry_url, list_url, at or utc_now(), how, page_status, crawl_id])


def record_relisted(db, urls, at: Optional[str] = None) -> int:
    """Reports listed again: their open withdrawals end. Returns how many ended."""
    ensure_withdrawals(db)
    n = 0
    for url in urls:
        n += db.execute("update withdrawals set relisted_at = ? where (url = ? or entry_url = ?) "
                        "and relisted_at is null", [at or utc_now(), url, url]).rowcount
    return n


def open_withdrawal(db, url: str) -> bool:
    ensure_withdrawals(db)
    return db.execute("select 1 from withdrawals where (url = ? or entry_url = ?) and relisted_at is null",
                      [url, url]).fetchone() is not None


def from_list(db) -> list[dict]:
    return query_dicts(db, """
        select r.id as report_id, r.url, r.year, r.issuer, r.agency, r.region_code, w.removed_at, w.how,
               w.page_status, 'list' as evidence, w.list_url, r.body_sha256 as archived_sha256,
               (select max(f.fetched_at) from fetches f where f.url = r.url and f.status = 200
                  and f.fetched_at <= w.removed_at) as last_ok_fetch
        from withdrawals w join reports r on r.url = w.url
        where w.relisted_at is null
          and (w.how = 'unlisted' or not exists (select 1 from fetches f where f.url = r.url
                                                 and f.status = 200 and f.fetched_at > w.removed_at))
        order by w.removed_at""")


def from_fetches(db) -> list[dict]:
    """Reports whose latest fetch answered 404/410 after an earlier 200."""
    return query_dicts(db, """
        with last as (select url, max(id) as id from fetches where status is not null group by url)
        select r.id as report_id, r.url, r.year, r.issuer, r.agency, r.region_code,
               (select min(g.fetched_at) from fetches g where g.url = r.url and g.status in (404, 410)
                  and g.id > (select max(h.id) from fetches h where h.url = r.url and h.status = 200)) as removed_at,
               'gone' as how, f.status as page_status, 'fetch' as evidence, null as list_url,
               r.body_sha256 as archived_sha256,
               (select max(h.fetched_at) from fetches h where h.url = r.url and h.status = 200) as last_ok_fetch
        from reports r join last on last.url = r.url join fetches f on f.id = last.id
        where f.status in (404, 410)
          and exists (select 1 from fetches h where h.url = r.url and h.status = 200)
        order by r.id""")


def run_withdrawn(db) -> dict:
    """Recompute `withdrawn_reports` (list evidence first, then fetch evidence)."""
    ensure_withdrawals(db)
    rows: dict[int, dict] = {}
    for r in from_list(db) + from_fetches(db):
        if r["report_id"] in rows:
            continue
        said = {"gone": f"its page answers {r['page_status']}", "deleted_notice": "its page says it was deleted",
                "unlisted": "no longer listed (the page still answers)"}[r["how"]]
        where = f" from {r['list_url']}" if r["list_url"] else ""
        r["detail"] = f"removed{where} by {r['removed_at']}: {said}; archived copy {r['archived_sha256'] or '?'} kept"
        rows[r["report_id"]] = r
    replace_rows(db, "withdrawn_reports", DDL, rows.values())
    counts: dict = {}
    for r in rows.values():
        counts[r["how"]] = counts.get(r["how"], 0) + 1
    return counts
