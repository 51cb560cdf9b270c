"""Connection-level helpers every archive module shares: timestamps, hashes, one real
transaction, the `meta` key/value table.

>>> sha256_hex(b"")[:12]
'e3b0c44298fc'
"""
from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from typing import Optional


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@contextmanager
def transaction(db):
    """One real SQLite transaction around several writes (a savepoint when nested).

    `with db.conn:` is not one: sqlite-utils commits every write made while no transaction
    is open (`execute`, `insert`, `upsert` …), so a kill between two writes of a block left
    e.g. a report row without its cells. Never use `with db.conn:` inside this block: its
    exit commits the transaction half-way."""
    atomic = getattr(db, "atomic", None)
    if atomic is None:          # sqlite-utils < 4 (no atomic()): best effort
        with db.conn:
            yield db
        return
    with atomic():
        yield db


def meta_get(db, key: str) -> Optional[str]:
    """A value of the `meta` table (None if absent)."""
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return row[0] if row else None


def meta_set(db, key: str, value: str) -> None:
    db.execute("insert or replace into meta (key, value) values (?, ?)", [key, value])


def one_dict(cursor) -> Optional[dict]:
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row))
