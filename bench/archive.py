"""Archive benchmark: size per report (raw and parsed), reparse throughput, and the
slowest canned query (and search) on an archive of 20,000 synthetic reports.

    python bench/archive.py [--reports 20000] [--keep DIR]

The synthetic archive clones the parsed fixture reports (tests/fixtures/html and the
shared seeds) with bulk SQL: new url, year 2016–2023, a random county as region,
numbers scaled; the cells, checks and search indexes come along. Prints numbers.
"""
from __future__ import annotations

import argparse
import json
import re
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from gxcrawl.archive import Archive  # noqa: E402
from gxcrawl.archive.crosscheck import run_crosschecks  # noqa: E402
from gxcrawl.archive.panel import build_panel_table  # noqa: E402
from gxcrawl.archive.signals import run_signals  # noqa: E402
from gxcrawl.datasette import METADATA  # noqa: E402
from gxcrawl.archive.reparse import reparse_archive  # noqa: E402
from gxcrawl.archive.search import rebuild_search, search_clause  # noqa: E402

PARAMS = {"region": "福建省", "province": "福建", "year": "2021", "check": "", "kind": "", "q": "申请", "host": ""}


def table_bytes(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes per table/index (dbstat), grouped: bodies, search, parsed."""
    rows = conn.execute("select name, sum(pgsize) from dbstat group by name").fetchall()
    groups = {"bodies": 0, "search": 0, "parsed": 0}
    for name, size in rows:
        if name.startswith(("bodies", "sqlite_autoindex_bodies")):
            groups["bodies"] += size
        elif name.startswith(("reports_fts", "reports_bigram")):
            groups["search"] += size
        else:
            groups["parsed"] += size
    return groups


def build_base(db: Path) -> Archive:
    from archive_build import load_fixtures, plant_breaks
    archive = Archive(db)
    load_fixtures(archive)
    plant_breaks(archive)
    return archive


def clone(archive: Archive, n: int, seed: int = 7) -> float:
    """Add `n` synthetic reports cloned from the real ones; returns seconds."""
    t0 = time.perf_counter()
    rnd = random.Random(seed)
    db = archive.db
    base = [r[0] for r in db.execute("select id from reports where is_report = 1 and year > 0 "
                                      "and (select count(*) from cell_values where report_id = id) > 0")]
    counties = db.execute("select code, name from regions where level = 'county' and code != parent_code").fetchall()
    start = db.execute("select max(id) from reports").fetchone()[0] + 1
    clones = []
    for i in range(n):
        code, name = rnd.choice(counties)
        clones.append((start + i, rnd.choice(base), f"http://bench{i % 997}.gov.cn/xxgk/nb/{i}.html",
                       rnd.randint(2016, 2023), code, name, f"{name}人民政府办公室", rnd.uniform(0.5, 3.0)))
    conn = db.conn
    with conn:
        conn.execute("create temp table clones (id integer primary key, base integer, url text, year integer, "
                      "code text, name text, agency text, factor real)")
        conn.executemany("insert into clones values (?, ?, ?, ?, ?, ?, ?, ?)", clones)
        cols = [c for c in db["reports"].columns_dict if c not in
                ("id", "url", "year", "region_code", "region_name", "agency", "issuer")]
        conn.execute(f"""insert into reports (id, url, year, region_code, region_name, agency, issuer, {', '.join(cols)})
            select c.id, c.url, c.year, c.code, c.name, c.agency, c.code || '|' || c.agency,
                   {', '.join('r.' + x for x in cols)}
            from clones c join reports r on r.id = c.base""")
        conn.execute("""insert into cell_values (report_id, tbl, row, col, value, raw)
            select c.id, v.tbl, v.row, v.col, case when v.value is null then null
                   else round(v.value * c.factor) end, v.raw
            from clones c join cell_values v on v.report_id = c.base""")
        conn.execute("""insert into checks (url, year, name, ok, detail)
            select c.url, c.year, k.name, k.ok, k.detail from clones c
            join reports r on r.id = c.base join checks k on k.url = r.url and k.year = r.year""")
    rebuild_search(db)
    return time.perf_counter() - t0


def canned_queries() -> dict[str, str]:
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    return {k: v["sql"] for k, v in meta["databases"]["gxcrawl"]["queries"].items()}


def time_query(conn: sqlite3.Connection, sql: str, params: dict, repeat: int = 3) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = len(conn.execute(sql, params).fetchall())
        best = min(best, time.perf_counter() - t0)
    return best, n


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=20000)
    ap.add_argument("--keep", help="build the archive in this directory and keep it")
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="gxcrawl-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db = tmp / "gxcrawl.db"
    if db.exists():
        db.unlink()

    t0 = time.perf_counter()
    archive = build_base(db)
    n_base = archive.db.execute("select count(*) from reports").fetchone()[0]
    print(f"base archive: {n_base} parsed reports in {time.perf_counter() - t0:.2f} s")
    conn = archive.db.conn
    conn.commit()
    sizes = table_bytes(conn)
    raw_avg = conn.execute("select avg(size), avg(length(data)) from bodies").fetchone()
    print(f"raw body per report: {raw_avg[0] / 1024:.1f} KiB as fetched, {raw_avg[1] / 1024:.1f} KiB stored (zlib); "
          f"parsed rows per report: {sizes['parsed'] / n_base / 1024:.1f} KiB, search indexes {sizes['search'] / n_base / 1024:.1f} KiB")

    # reparse throughput: full parse + compare of every stored report
    rounds, t0 = 5, time.perf_counter()
    for _ in range(rounds):
        stats = reparse_archive(archive)
    dt = time.perf_counter() - t0
    print(f"reparse: {n_base * rounds / dt:.1f} reports/s (unchanged: {stats['unchanged']}/{stats['seen']})")
    t0 = time.perf_counter()
    stats = reparse_archive(archive, force=True)
    print(f"reparse --force: {n_base / (time.perf_counter() - t0):.1f} reports/s")

    secs = clone(archive, args.reports)
    total = archive.db.execute("select count(*) from reports").fetchone()[0]
    print(f"cloned {args.reports} synthetic reports in {secs:.1f} s (archive: {total} reports)")
    t0 = time.perf_counter()
    cc = run_crosschecks(archive.db)
    print(f"cross-year checks over {total} reports: {time.perf_counter() - t0:.1f} s {cc}")
    t0 = time.perf_counter()
    signals = run_signals(archive.db)
    t1 = time.perf_counter()
    panel = build_panel_table(archive.db)
    print(f"signals over {total} reports: {t1 - t0:.1f} s {signals}; panel: {panel} rows in "
          f"{time.perf_counter() - t1:.1f} s")
    archive.db.execute("pragma wal_checkpoint(TRUNCATE)")
    conn.commit()
    sizes = table_bytes(conn)
    print(f"archive file: {db.stat().st_size / 2**20:.1f} MiB; per report: parsed {sizes['parsed'] / total / 1024:.1f} KiB, "
          f"search {sizes['search'] / total / 1024:.1f} KiB, raw bodies {sizes['bodies'] / total / 1024:.2f} KiB "
          f"(clones share their bodies)")

    ro = sqlite3.connect(f"file:{db}?immutable=1", uri=True)
    timings = {}
    for name, sql in canned_queries().items():
        missing = set(re.findall(r":([a-z_]+)", sql)) - set(PARAMS)
        if missing:
            raise SystemExit(f"canned query {name} takes {sorted(missing)}: add a value to PARAMS")
        params = {k: v for k, v in PARAMS.items() if f":{k}" in sql}
        timings[name] = time_query(ro, sql, params)
    for term in ("申请", "政府信息公开", "行政复议 申请"):
        where, params = search_clause(term)
        timings[f"search box: {term}"] = time_query(
            ro, f"select id, url, year from reports where {where} order by year desc limit 101", params)
    timings["t3_wide page"] = time_query(ro, "select * from t3_wide limit 101", {})
    timings["cells: 福建 counties 2021"] = time_query(
        ro, "select region_name, value from cells where province_code = '350000' and region_level = 'county' "
            "and year = 2021 and tbl = 't3' and row = 'new' and col = 'total'", {})
    for name, (sec, n) in sorted(timings.items(), key=lambda kv: -kv[1][0]):
        print(f"  {sec * 1000:8.1f} ms  {n:6d} rows  {name}")
    slowest = max((v[0], k) for k, v in timings.items() if not k.startswith(("search box", "t3_wide", "cells:")))
    print(f"slowest canned query: {slowest[1]} {slowest[0] * 1000:.1f} ms on {total} reports")
    archive.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
