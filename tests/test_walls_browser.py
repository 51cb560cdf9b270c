"""200 bot walls passed by real Chromium in a real crawl: four replica portals each behind a
wall (Yunsuo on 磁县's PHPCMS county portal — the case of issue 13 — and on 瑞金's old portal,
Safedog on 明溪's TRS portal, Knownsec on 永嘉's Hanweb portal, whose lists are POSTs), the
whole host gated. Every report is archived; the
browser is used once per host and the cookies it won serve the host's later plain requests;
a second crawl asks for no report page again. Nothing leaves the portals' hosts."""
import shutil
import sqlite3

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports
from gxcrawl.replicas.phpcms import PhpcmsCounty
from gxcrawl.replicas.planted import PlantedCounty
from gxcrawl.replicas.sites import HanwebCounty, OldGbk
from gxcrawl.replicas.walls import Gated

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no chromium on PATH (apt-get install chromium)")
#: the cookie each wall grants once passed
CLEARANCE = {"yunsuo": "security_session_mid_verify", "safedog": "safedog-flow-item", "knownsec": "__jsl_clearance_s"}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    gates = [Gated(PhpcmsCounty(), "yunsuo"), Gated(OldGbk(), "yunsuo"), Gated(PlantedCounty(), "safedog"),
             Gated(HanwebCounty(), "knownsec")]
    db = tmp_path_factory.mktemp("walls-browser") / "archive.db"
    with Farm(sites=list(gates)) as farm:
        urls = ",".join(f"http://{g.host}/" for g in gates)
        first = run_crawl(farm, {"url": urls}, db, timeout=600)
        assert first.returncode == 0, first.stderr[-4000:]
        mark = len(farm.log)
        second = run_crawl(farm, {"url": urls}, db, timeout=600)
        assert second.returncode == 0, second.stderr[-4000:]
    return {"farm": farm, "gates": gates, "db": db, "stats": scrapy_stats(first.stderr),
            "stats2": scrapy_stats(second.stderr), "log1": farm.log[:mark], "log2": farm.log[mark:]}


def test_every_report_behind_the_walls_is_archived(crawled):
    results = compare(crawled["farm"], stored_reports(crawled["db"]))
    for gate in crawled["gates"]:
        r = results[gate.name]
        assert r.ok and len(r.found) == len(gate.manifest), (gate.kind, r.missing[:3], r.wrong_year[:3], r.extra[:3])
        assert gate.walls_served >= 1 and gate.passed >= len(gate.manifest)


def test_the_browser_once_per_host_then_its_cookies_serve_plain_requests(crawled):
    stats = crawled["stats"]
    assert stats.get("playwright/browser_count") == 1
    assert stats.get("gxcrawl/browser/cookies_won", 0) >= len(crawled["gates"])
    assert stats.get("gxcrawl/browser/requests", 0) <= 2 * len(crawled["gates"])
    # the browser loaded a few pages; the reports came to plain requests carrying its clearance
    assert stats.get("playwright/request_count", 0) < sum(len(g.manifest) for g in crawled["gates"]) / 2
    clearances = set(CLEARANCE.values())
    for gate in crawled["gates"]:
        cleared = [r for r in crawled["log1"] if r["host"] == gate.host and target(r) in report_urls(gate)
                   and r["status"] == 200 and CLEARANCE[gate.kind] + "=" in r["cookie"]]
        assert len(cleared) >= len(gate.manifest), gate.kind
        # a host's cookies only: never another wall's clearance
        sent = {c.split("=", 1)[0].strip() for r in crawled["log1"] if r["host"] == gate.host
                for c in r["cookie"].split(";") if "=" in c}
        assert sent & clearances == {CLEARANCE[gate.kind]}, (gate.kind, sent)


def report_urls(gate) -> set[str]:
    return {u.split(gate.host, 1)[1] for m in gate.manifest for u in m["urls"]}


def target(r: dict) -> str:
    return r["path"] + (f"?{r['query']}" if r["query"] else "")


def test_walls_recorded_nothing_left_blocked(crawled):
    conn = sqlite3.connect(str(crawled["db"]))
    blocked = conn.execute("select url, blocked_reason from fetches where blocked_reason is not null").fetchall()
    conn.close()
    assert blocked == []                 # every wall was passed: no page stayed one
    assert crawled["stats"].get("gxcrawl/blocked_final", 0) == 0
    kinds = {k.split("/")[-1].rsplit("-", 1)[0] for k in crawled["stats"] if k.startswith("gxcrawl/blocked/")}
    assert kinds >= {"yunsuo", "safedog", "jsl"}, kinds      # 加速乐 (Knownsec) walls are jsl


def test_second_crawl_asks_for_no_report_again(crawled):
    for gate in crawled["gates"]:
        again = [target(r) for r in crawled["log2"] if r["host"] == gate.host and target(r) in report_urls(gate)]
        assert again == [], (gate.kind, again[:5])


def test_nothing_left_the_portals(crawled):
    assert crawled["farm"].offsite == []
