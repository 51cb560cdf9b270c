"""Demo data is never to be taken for a crawl of the real web.

`gxcrawl demo` crawls local replica portals under real portal URLs and real agency
names; its `crawls` rows carry `demo = 1` (GXCRAWL_DEMO). Whatever reads or exports an
archive asks `demo_crawls` and says so (the WARC `warcinfo`, `gxcrawl export`).

>>> import sqlite3; db = sqlite3.connect(":memory:")
>>> demo_crawls(db)
[]
>>> _ = db.execute("create table crawls (crawl_id text, demo integer)")
>>> _ = db.executemany("insert into crawls values (?, ?)", [("crawl-1", 1), ("crawl-2", None)])
>>> demo_crawls(db), is_demo(db, "crawl-2")
(['crawl-1'], False)
"""
from __future__ import annotations

from typing import Optional

NOTICE = ("DEMO DATA: captures of gxcrawl's local replica portals (generated pages served on "
          "127.0.0.1 under real portal URLs), not of the real web")


def _execute(db, sql: str, params=()):
    return (db.conn if hasattr(db, "conn") else db).execute(sql, params)


def demo_crawls(db) -> list[str]:
    """Ids of the crawls marked demo (sqlite3 connection or sqlite_utils Database)."""
    try:
        rows = _execute(db, "select crawl_id from crawls where demo = 1 order by crawl_id").fetchall()
    except Exception:  # noqa: BLE001 - no crawls table / no demo column: an older or a parse-only archive
        return []
    return [r[0] for r in rows]


def is_demo(db, crawl_id: Optional[str] = None) -> bool:
    """Does the archive (or that one crawl of it) hold demo data?"""
    ids = demo_crawls(db)
    return crawl_id in ids if crawl_id else bool(ids)
