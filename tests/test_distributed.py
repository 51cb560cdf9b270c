"""Two scrapy-redis workers on a real redis-server over the replica farm: exactly the
report set of one worker, no URL fetched twice (robots.txt aside: each worker obeys it
itself), per-worker archives merged by `gxcrawl merge`; `gxcrawl crawl --redis --workers`
does the same in one command and re-crawls incrementally."""
import collections
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.harness import PROJECT, crawl_command, offline_settings, run_crawl, stored_reports

CITIES = {"city": "三明,永嘉,瑞金"}
REDIS = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    if not REDIS:
        print("SKIP distributed tests: redis-server not found (scripts/setup.sh installs it: apt-get install redis-server)")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    try:
        import scrapy_redis  # noqa: F401
    except ImportError:
        print("SKIP distributed tests: scrapy-redis not installed (pip install scrapy-redis)")
        pytest.skip("scrapy-redis not installed")
    port = free_port()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis
        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def farm():
    with Farm(include_shared=False) as f:
        yield f


def env():
    return dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def report_keys(db):
    return sorted((r["url"], r["year"]) for r in stored_reports(db))


def cells(db):
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute("select r.url, r.year, c.tbl, c.row, c.col, c.value from cell_values c "
                                   "join reports r on r.id = c.report_id").fetchall(), key=repr)
    finally:
        conn.close()


def requests_of(farm, start):
    return collections.Counter((r["method"], r["host"], r["path"], r["query"], tuple(sorted(r["form"].items())))
                               for r in farm.log[start:] if r["path"] != "/robots.txt")


@pytest.fixture(scope="module")
def single(farm, tmp_path_factory):
    db = tmp_path_factory.mktemp("single") / "one.db"
    start = len(farm.log)
    proc = run_crawl(farm, CITIES, db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return {"db": db, "requests": requests_of(farm, start)}


def test_two_workers_same_reports_no_url_twice(farm, redis_url, single, tmp_path):
    start = len(farm.log)
    procs, dbs = [], []
    for k in (1, 2):
        db = tmp_path / f"worker-{k}.db"
        settings = offline_settings(farm, db)
        # pull from the shared queue a few at a time, and slowly enough that the second
        # worker (a few seconds to start) always finds work left: which worker takes what
        # is up to Redis, that both take part is what this test checks
        settings.update({"GXCRAWL_REDIS_URL": redis_url, "GXCRAWL_CRAWL_ID": "test-two-workers",
                         "CONCURRENT_REQUESTS": "2", "DOWNLOAD_DELAY": "0.1",
                         "RANDOMIZE_DOWNLOAD_DELAY": "False"})
        procs.append(subprocess.Popen(crawl_command(CITIES, settings), cwd=PROJECT, env=env(),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        dbs.append(db)
    errs = [p.communicate(timeout=240)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e[-2000:] for e in errs]
    requests = requests_of(farm, start)
    twice = [k for k, n in requests.items() if n > 1]
    assert twice == [], twice[:10]
    assert set(requests) == set(single["requests"])         # the same pages as one worker
    per_worker = [len(stored_reports(db)) for db in dbs]
    assert all(n > 0 for n in per_worker), per_worker       # both workers did work
    out = tmp_path / "merged.db"
    merge = subprocess.run([sys.executable, "-m", "gxcrawl", "merge", str(out), *map(str, dbs)], cwd=PROJECT,
                           env=env(), capture_output=True, text=True, timeout=120)
    assert merge.returncode == 0, merge.stderr
    assert report_keys(out) == report_keys(single["db"])
    assert cells(out) == cells(single["db"])
    again = subprocess.run([sys.executable, "-m", "gxcrawl", "merge", str(out), *map(str, dbs)], cwd=PROJECT,
                           env=env(), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and '"reports_added": 0' in again.stdout     # idempotent
    conn = sqlite3.connect(out)
    assert conn.execute("select count(*) from report_versions").fetchone() == (0,)
    (crawl_id, requests_sum, workers), = conn.execute("select crawl_id, requests, worker from crawls").fetchall()
    assert crawl_id == "test-two-workers" and workers.count(":") == 2
    robots = sum(1 for r in farm.log[start:] if r["path"] == "/robots.txt")
    assert requests_sum == sum(requests.values()) + robots      # counters of both workers summed


def test_gxcrawl_crawl_with_workers_and_incremental_recrawl(farm, redis_url, single, tmp_path):
    db = tmp_path / "archive" / "gxcrawl.db"
    args = [sys.executable, "-m", "gxcrawl", "crawl", "--city", "三明,永嘉,瑞金", "--db", str(db),
            "--redis", redis_url, "--workers", "2"]
    for k, v in offline_settings(farm, db).items():
        if k != "GXCRAWL_ARCHIVE":
            args += ["-s", f"{k}={v}"]
    first = subprocess.run(args, cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=240)
    assert first.returncode == 0, first.stderr[-3000:]
    assert report_keys(db) == report_keys(single["db"])
    assert not list(db.parent.glob("gxcrawl.worker-*"))          # parts merged and removed
    start = len(farm.log)
    second = subprocess.run(args, cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=240)
    assert second.returncode == 0, second.stderr[-3000:]
    requests = requests_of(farm, start)
    navigation = sum(n for k, n in single["requests"].items())
    assert sum(requests.values()) <= navigation and not [k for k, n in requests.items() if n > 1]
    refetched = {k[2] for k in requests if "/art/" in k[2] or "/t20" in k[2]}
    # Known bug, open (see the README and the issue notes): with two workers, an entry is now
    # and then not marked done (a shell page whose attachment the other worker fetched, and
    # rarely a plain page), so the next crawl fetches that page once more. Bounded here so a
    # regression still fails; the single-worker incremental tests require zero.
    print(f"distributed re-crawl re-fetched {len(refetched)} report page(s): {sorted(refetched)}")
    assert len(refetched) <= 2, sorted(refetched)
    assert not any(k[2].lower().endswith((".pdf", ".doc", ".docx", ".wps", ".xls")) for k in requests)
    assert report_keys(db) == report_keys(single["db"])
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from report_versions").fetchone() == (0,)
    assert conn.execute("select count(*) from crawls").fetchone() == (2,)
    assert len(list((db.parent / "logs").glob("crawl-*.worker-*.log"))) == 4
