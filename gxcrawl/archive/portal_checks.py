"""The `portals` table: each portal of the registry (data/portals.tsv) or seeded by a crawl,
and what its site was seen to say of itself — when, at which URL, under which name.

A registry root is a hint until the site identifies itself: the spider fetches the home page,
reads its SiteName and title, and records the check here (`record_check`):

* `status` — ``identified`` (the site names the government), ``names_other`` (it names another
  body, or nothing the registry knows), ``brand`` (it calls itself by a gambling brand: a
  mirror), ``unnamed`` (no SiteName, no title), ``unreachable`` (the root never answered);
* `verified` — 1 for ``identified``, 0 otherwise (null: never checked);
* `verified_at`, `checked_url` (the page that answered, after redirects), `site_name` (what it
  calls itself), `identified_as` (the region its name designates, code and name), `detail`,
  `crawl_id`.

Registry columns (`code`, `name`, `root`, `extra_hosts`, `access`, `source`) are refreshed from
data/portals.tsv whenever that file changes; the checks stay. A portal seeded by URL without a
region is keyed by its host (`code` = the host, `source` = ``url argument``).

>>> import sqlite_utils
>>> db = sqlite_utils.Database(memory=True)
>>> ensure_portals(db)
>>> record_check(db, "330483", {"status": "identified", "site_name": "桐乡市人民政府",
...              "checked_url": "https://www.tx.gov.cn/", "identified_as": "330483 桐乡市"},
...              checked_at="2026-12-04T20:00:00Z")
>>> db.execute("select root, verified, site_name from portals where code = '330483'").fetchone()
('https://www.tx.gov.cn/', 1, '桐乡市人民政府')
"""
from __future__ import annotations

import hashlib
import time
from functools import lru_cache
from typing import Optional
from urllib.parse import urlsplit

from gxcrawl.portals import DATA as REGISTRY_FILE
from gxcrawl.portals import known_roots

REGISTRY_COLUMNS = {"code": str, "name": str, "root": str, "extra_hosts": str, "access": str, "source": str}
CHECK_COLUMNS = {"status": str, "verified": int, "verified_at": str, "checked_url": str, "site_name": str,
                 "identified_as": str, "detail": str, "crawl_id": str}
STATUSES = ("identified", "names_other", "brand", "unnamed", "unreachable")
META_KEY = "portals_registry"

#: a worker's check merges in when it is newer than the one already there
MERGE_SQL = (
    "insert into portals (code, name, root, extra_hosts, access, source, status, verified, verified_at, "
    "checked_url, site_name, identified_as, detail, crawl_id) values (:code, :name, :root, :extra_hosts, "
    ":access, :source, :status, :verified, :verified_at, :checked_url, :site_name, :identified_as, :detail, "
    ":crawl_id) on conflict(code) do update set status = excluded.status, verified = excluded.verified, "
    "verified_at = excluded.verified_at, checked_url = excluded.checked_url, site_name = excluded.site_name, "
    "identified_as = excluded.identified_as, detail = excluded.detail, crawl_id = excluded.crawl_id "
    "where excluded.verified_at is not null and excluded.verified_at > coalesce(portals.verified_at, '')")


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@lru_cache(maxsize=1)
def registry_signature() -> str:
    """sha1 of data/portals.tsv: the table's registry rows are refreshed when it changes."""
    try:
        return hashlib.sha1(REGISTRY_FILE.read_bytes()).hexdigest()
    except OSError:
        return ""


def ensure_portals(db) -> None:
    """Create `portals`, add the columns older archives lack, and bring its registry rows up to
    date with data/portals.tsv (once per change of that file; checks are kept)."""
    if "portals" not in db.table_names():
        # no foreign key to regions: a portal seeded by URL is keyed by its host
        db["portals"].create({**REGISTRY_COLUMNS, **CHECK_COLUMNS}, pk="code")
    elif db["portals"].foreign_keys:          # archives from before seeded portals were recorded
        db["portals"].transform(drop_foreign_keys=["code"])
    columns = db["portals"].columns_dict
    for name, kind in {**REGISTRY_COLUMNS, **CHECK_COLUMNS}.items():
        if name not in columns:
            db["portals"].add_column(name, kind)
    if "meta" not in db.table_names():
        db["meta"].insert({"key": META_KEY, "value": ""}, pk="key")
    row = db.execute("select value from meta where key = ?", [META_KEY]).fetchone()
    signature = registry_signature()
    if row is not None and row[0] == signature:
        return
    refresh_registry_rows(db)
    db.execute("insert or replace into meta (key, value) values (?, ?)", [META_KEY, signature])
    db.conn.commit()


def refresh_registry_rows(db) -> None:
    """Upsert every registry root (registry columns only)."""
    try:
        roots = known_roots()
    except Exception:          # portals.tsv not shipped
        return
    known = {r[0] for r in db.execute("select code from regions")} if "regions" in db.table_names() else None
    rows = [(k.code, k.name, k.root, ",".join(k.extra_hosts), k.access, k.source)
            for k in roots.values() if known is None or k.code in known]
    with db.conn:
        db.conn.executemany(
            "insert into portals (code, name, root, extra_hosts, access, source) values (?, ?, ?, ?, ?, ?) "
            "on conflict(code) do update set name = excluded.name, root = excluded.root, "
            "extra_hosts = excluded.extra_hosts, access = excluded.access, source = excluded.source", rows)


def record_check(db, key: str, check: dict, name: Optional[str] = None, root: Optional[str] = None,
                 source: Optional[str] = None, crawl_id: Optional[str] = None,
                 checked_at: Optional[str] = None) -> None:
    """Record what a portal's home page said of itself (`check`: status, site_name,
    checked_url, identified_as, detail). A portal not in the table (seeded by URL) is added
    with `name`, `root` and `source`."""
    status = check.get("status")
    if status not in STATUSES:
        raise ValueError(f"unknown portal check status {status!r}: one of {', '.join(STATUSES)}")
    values = {"status": status, "verified": int(status == "identified"), "verified_at": checked_at or _now(),
              "checked_url": check.get("checked_url"), "site_name": check.get("site_name"),
              "identified_as": check.get("identified_as"), "detail": check.get("detail"), "crawl_id": crawl_id}
    with db.conn:
        exists = db.execute("select 1 from portals where code = ?", [key]).fetchone()
        if exists:
            db.conn.execute("update portals set " + ", ".join(f"{k} = ?" for k in values) + " where code = ?",
                            [*values.values(), key])
        else:
            row = {"code": key, "name": name or key, "root": root, "extra_hosts": "", "access": "",
                   "source": source or "url argument", **values}
            db.conn.execute(f"insert into portals ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                            list(row.values()))


def official_hosts(db) -> frozenset:
    """The hosts the archive knows as governments' own, whatever their domain: every root and
    extra host of `portals` (the registry's, the crawls' seeded ones) but those whose home page
    called itself by a gambling brand. `gxcrawl reparse` passes them to the parser, as the
    crawl did.

    >>> import sqlite_utils
    >>> db = sqlite_utils.Database(memory=True)
    >>> ensure_portals(db)
    >>> record_check(db, "10.1.2.3", {"status": "identified"}, root="http://10.1.2.3:8080/")
    >>> record_check(db, "www.gzdypg.com", {"status": "brand"}, root="http://www.gzdypg.com/")
    >>> hosts = official_hosts(db)
    >>> "10.1.2.3" in hosts, "www.gzdypg.com" in hosts, "www.tx.gov.cn" in hosts
    (True, False, True)
    """
    hosts = set()
    for root, extra in db.execute("select root, extra_hosts from portals where coalesce(status, '') != 'brand'"):
        host = urlsplit(root or "").hostname
        hosts.update(h.lower() for h in [host, *(extra or "").split(",")] if h)
    return frozenset(hosts)
