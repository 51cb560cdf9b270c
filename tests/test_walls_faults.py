"""The bot-wall fault host (gxcrawl/replicas/faults.py: WALL_FAULTS, WallFaultSite) crawled twice
by the real spider with real Chromium: walls answering 200 (and 521) pass in the browser and
their reports are archived; a wall that never passes and a WAF's ban are recorded as blocked
with their reason and asked for again by the next crawl; in the browser nothing off the
portal's hosts, and no image, media or font, is loaded — each refusal is a row of `refused` —
and the farm, which counts every request that reaches it (the browser's included), saw none
off the portal."""
import shutil
import sqlite3
from urllib.parse import urlsplit

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.faults import WALL_EVIL, WALL_FAULTS, WALL_HOST, WallFaultSite
from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports
from gxcrawl.replicas.walls import TRACKER_HOSTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no chromium on PATH (apt-get install chromium)")
BY_ID = {f.id: f for f in WALL_FAULTS}
BLOCKED_REASONS = {"wall-never-passes": "yunsuo-200", "wall-ban-200": "ban-safedog-200"}


def url(fault) -> str:
    return f"http://{WALL_HOST}{fault.path}"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("wall-faults") / "archive.db"
    site = WallFaultSite()
    runs = []
    with Farm(sites=[site]) as farm:
        for _ in range(2):
            start = len(farm.log)
            proc = run_crawl(farm, {"url": f"http://{WALL_HOST}/"}, db, timeout=600)
            assert proc.returncode == 0, proc.stderr[-4000:]
            runs.append({"stats": scrapy_stats(proc.stderr), "log": farm.log[start:len(farm.log)]})
    conn = sqlite3.connect(str(db))
    conn.row_factory = sqlite3.Row
    fetches = [dict(r) for r in conn.execute("select url, status, blocked_reason, crawl_id from fetches order by id")]
    refused = [dict(r) for r in conn.execute("select url, host, reason, referer, kind, crawl_id from refused")]
    entries = {r["url"] for r in conn.execute("select url from entries")}
    crawls = [r["crawl_id"] for r in conn.execute("select crawl_id from crawls order by started")]
    conn.close()
    return {"farm": farm, "site": site, "runs": runs, "fetches": fetches, "refused": refused, "entries": entries,
            "crawls": crawls, "reports": stored_reports(db)}


def test_every_good_report_behind_a_wall_is_archived(crawled):
    result = compare(crawled["farm"], crawled["reports"])["wall-faults"]
    assert result.ok and len(result.found) == len([f for f in WALL_FAULTS if f.expect == "report"]), \
        ([m["fault"] for m in result.missing], result.extra)


@pytest.mark.parametrize("fault", WALL_FAULTS, ids=[f.id for f in WALL_FAULTS])
def test_wall_fault(crawled, fault):
    rows = [f for f in crawled["fetches"] if f["url"] == url(fault)]
    archived = {r["url"] for r in crawled["reports"]}
    if fault.expect == "report":
        assert url(fault) in archived
        assert url(fault) in crawled["entries"]
        assert all(r["blocked_reason"] is None for r in rows), rows
        return
    assert fault.expect == "blocked"
    assert url(fault) not in archived and url(fault) not in crawled["entries"]
    # recorded blocked with its reason in both crawls: the entry was asked for again
    first, second = crawled["crawls"][-2:]
    for crawl_id in (first, second):
        mine = [r for r in rows if r["crawl_id"] == crawl_id]
        assert mine and mine[-1]["blocked_reason"] == BLOCKED_REASONS[fault.id], rows
    if fault.id == "wall-ban-200":        # a ban gets no browser round: one plain request a crawl
        for run in crawled["runs"]:
            assert len([r for r in run["log"] if r["path"] == fault.path]) == 1


def test_the_browser_loads_nothing_off_the_portal_and_no_images_or_fonts(crawled):
    assert crawled["farm"].offsite == []
    assert not [r for r in crawled["farm"].log if r["host"] != WALL_HOST], \
        {r["host"] for r in crawled["farm"].log}
    assert not [r for r in crawled["farm"].log if r["path"].startswith("/static/")]
    trackers = url(BY_ID["wall-trackers"])
    mine = [r for r in crawled["refused"] if r["referer"] == trackers]
    hosts = {r["host"] for r in mine if r["kind"] == "browser_off_host"}
    assert hosts >= {*TRACKER_HOSTS, WALL_EVIL}, mine
    resources = {urlsplit(r["url"]).path for r in mine if r["kind"] == "browser_resource"}
    assert resources >= {"/static/images/loading.gif", "/static/fonts/wall.woff2"}, mine
    assert all(r["reason"] and r["crawl_id"] for r in mine)
    stats = crawled["runs"][0]["stats"]
    browser_rows = [r for r in crawled["refused"] if r["kind"].startswith("browser")
                    and r["crawl_id"] == crawled["crawls"][-2]]
    assert stats.get("gxcrawl/browser/refused") == len(browser_rows) > 0


def test_one_browser_round_per_walled_page(crawled):
    stats = crawled["runs"][0]["stats"]
    walled = [f for f in WALL_FAULTS if f.id.startswith("wall-") and f.id != "wall-ban-200"]
    assert stats.get("playwright/browser_count") == 1
    assert stats.get("gxcrawl/browser/requests") == len(walled)
    assert stats.get("gxcrawl/blocked_final") == len(BLOCKED_REASONS)
