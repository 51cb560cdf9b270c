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
    # every entry of the first crawl was recorded as done by one of the workers, whichever
    # worker fetched its page and attachments (the entry counts are shared in Redis): the
    # re-crawl fetches no report page, as a single-worker re-crawl
    print(f"distributed re-crawl re-fetched {len(refetched)} report page(s): {sorted(refetched)}")
    assert not refetched, sorted(refetched)
    assert not any(k[2].lower().endswith((".pdf", ".doc", ".docx", ".wps", ".xls")) for k in requests)
    assert report_keys(db) == report_keys(single["db"])
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from report_versions").fetchone() == (0,)
    assert conn.execute("select count(*) from crawls").fetchone() == (2,)
    assert len(list((db.parent / "logs").glob("crawl-*.worker-*.log"))) == 4


# -- entry bookkeeping across workers, event by event (no crawl: the interleavings that made
# -- a distributed re-crawl fetch pages again, replayed deterministically) -----------------
class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, n=1):
        self.values[key] = self.values.get(key, 0) + n


def _worker(redis_url, crawl_id, db):
    """An EntryTracker as one worker of a distributed crawl has it (its own archive; no
    `redis_url`: a single-process crawl)."""
    from types import SimpleNamespace
    from scrapy.settings import Settings
    from scrapy.signalmanager import SignalManager
    from gxcrawl.crawl.incremental import EntryTracker
    crawler = SimpleNamespace(settings=Settings({"GXCRAWL_REDIS_URL": redis_url or "", "GXCRAWL_CRAWL_ID": crawl_id,
                                                 "GXCRAWL_ARCHIVE": str(db)}),
                              stats=_Stats(), signals=SignalManager())
    return EntryTracker(crawler)


def _entries(tracker):
    return [r[0] for r in tracker._archive().db.execute("select url from entries order by url")]


SIG = "某县2023年政府信息公开工作年度报告|2024-01-20"


def _report_request(url, list_url):
    """A report request as the spider yields it for a list entry (spiders/portal.py)."""
    from scrapy import Request
    return Request(url, meta={"role": "report", "gx_entry": url, "gx_sig": SIG, "list_url": list_url})


def _response(request, body=b"<html><body>report</body></html>"):
    from scrapy.http import HtmlResponse
    return HtmlResponse(request.url, body=body, request=request)


def _yield(tracker, response, *outputs):
    """The spider's output for `response` through the tracker (spider middleware)."""
    return list(tracker.process_spider_output(response, list(outputs)))


def test_entry_done_when_a_worker_processes_another_workers_request(redis_url, tmp_path):
    """Worker A reads list 1 and requests report X; worker B pops X from the shared queue
    and, while X's item is still in its pipeline, reads list 2, which links X as well: the
    shared duplicate filter refuses B's request. X is done all the same — recorded once —
    and the re-crawl skips it."""
    a, b = _worker(redis_url, "entries-race", tmp_path / "a.db"), _worker(redis_url, "entries-race", tmp_path / "b.db")
    from scrapy import Request
    url = "http://www.example.gov.cn/xxgk/nb/t20240120_1.html"
    list1, list2 = "http://www.example.gov.cn/xxgk/nb/", "http://www.example.gov.cn/xxgk/nb/index_1.html"
    x = _report_request(url, list1)
    _yield(a, _response(Request(list1)), x)              # A: the request goes to Redis
    item = {"url": url}
    _yield(b, _response(x), item)                        # B popped it: the page, its item under way
    again = _report_request(url, list2)
    _yield(b, _response(Request(list2)), again)
    b.request_dropped(again)                             # seen already (A's request)
    assert _entries(a) == _entries(b) == []
    b.item_scraped(item)                                 # the report is stored: the entry is done
    assert (_entries(a), _entries(b)) == ([], [url])
    assert a.known(url, SIG) is False and b.known(url, SIG) is True      # in B's part, so merged
    a._archive().close(), b._archive().close()


def test_shell_entry_done_only_when_every_attachment_is_in(redis_url, tmp_path):
    """A shell page's attachments are fetched by both workers: the entry is recorded once,
    when the last one is stored (by whichever worker that is), and not at all when one of
    them failed in the other worker."""
    from scrapy import Request
    for crawl_id, fail_last in (("shell-ok", False), ("shell-failed", True)):
        a = _worker(redis_url, crawl_id, tmp_path / f"{crawl_id}-a.db")
        b = _worker(redis_url, crawl_id, tmp_path / f"{crawl_id}-b.db")
        url = "http://www.example.gov.cn/xxgk/nb/t20240120_2.html"
        x = _report_request(url, "http://www.example.gov.cn/xxgk/nb/")
        nav = _response(Request("http://www.example.gov.cn/xxgk/nb/"))
        _yield(a, nav, x)                                           # A requests the page
        docs = [Request(f"http://www.example.gov.cn/xxgk/nb/P02024012{k}.pdf", meta={"role": "attachment"})
                for k in (1, 2)]
        _yield(b, _response(x), *docs)                              # B fetched it: a shell, two attachments
        assert all(d.meta["gx_entry"] == url for d in docs)
        first = {"url": docs[0].url}
        _yield(a, _response(docs[0], b"%PDF-1.4"), first)           # A fetched the first one
        a.item_scraped(first)
        assert _entries(a) == _entries(b) == []                     # the second is still under way
        if fail_last:
            b.mark_failed(docs[1])
            assert _entries(a) == _entries(b) == []
            assert b.crawler.stats.values.get("gxcrawl/incremental/entries_failed") == 1
        else:
            second = {"url": docs[1].url}
            _yield(b, _response(docs[1], b"%PDF-1.4"), second)
            b.item_scraped(second)
            assert (_entries(a), _entries(b)) == ([], [url])
        import redis
        server = redis.Redis.from_url(redis_url)                    # nothing left under way in Redis
        assert not server.exists(f"gxcrawl:{crawl_id}:entries", f"gxcrawl:{crawl_id}:entries_failed",
                                 f"gxcrawl:{crawl_id}:entries_meta")
        a._archive().close(), b._archive().close()


def test_report_link_to_a_page_fetched_as_a_column_is_not_done(redis_url, tmp_path):
    """The duplicate filter refuses a report request because the page was fetched under
    another role (a column page linked with a report-like title): not recorded, as with
    one worker — with one worker (local counts) and with several (counts in Redis)."""
    from scrapy import Request
    url = "http://www.example.gov.cn/xxgk/nb/index.html"
    for redis in (None, redis_url):
        tracker = _worker(redis, "column-link", tmp_path / f"{bool(redis)}.db")
        x = _report_request(url, "http://www.example.gov.cn/")
        _yield(tracker, _response(Request("http://www.example.gov.cn/")), x)
        tracker.request_dropped(x)
        assert _entries(tracker) == [] and tracker.known(url, SIG) is False
        tracker._archive().close()
