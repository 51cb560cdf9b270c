"""How a signal's table is written: created from its DDL, emptied and refilled in one
transaction (signals are derived data, recomputed from the archive by `gxcrawl index`).

>>> import sqlite_utils
>>> db = sqlite_utils.Database(memory=True)
>>> replace_rows(db, "t", "create table if not exists t (a integer, b text)", [{"a": 1, "b": "x"}])
1
>>> db.execute("select a, b from t").fetchall()
[(1, 'x')]
"""
from __future__ import annotations

from typing import Iterable

from gxcrawl.archive.db import transaction


def replace_rows(db, name: str, ddl: str, rows: Iterable[dict]) -> int:
    """Create `name` if needed, then replace its rows by `rows`; returns how many."""
    rows = list(rows)
    db.execute(ddl)
    with transaction(db):
        db.execute(f"delete from [{name}]")
        if rows:
            cols = list(rows[0])
            marks = ", ".join("?" for _ in cols)
            db.conn.executemany(f"insert into [{name}] ({', '.join(cols)}) values ({marks})",
                                [[r.get(c) for c in cols] for r in rows])
    return len(rows)


def query_dicts(db, sql: str, params: Iterable = ()) -> list[dict]:
    cur = db.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]
