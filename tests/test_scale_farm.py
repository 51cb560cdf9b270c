"""The scale farm (gxcrawl.replicas.scale): a small one, crawled by the real spider, is
crawled completely and fairly — every portal's reports found, no host ever with more
requests in flight than CONCURRENT_REQUESTS_PER_DOMAIN (the farm counts them), nothing
fetched twice, the slow and the failing portal finished too. It crawls as bench/scale.py
does, parsing in a worker process (GXCRAWL_PARSE_PROCESSES): the reports are still
committed in the order their pages arrived."""
import sqlite3
import urllib.request

import pytest

from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports
from gxcrawl.replicas.scale import ScaleFarm

N = 16            # portal 7 is slow, portal 13 fails
PER_HOST = 2


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scale")
    with ScaleFarm(N, latency=(0.02, 0.06)) as farm:
        urls = tmp / "roots.txt"
        urls.write_text("\n".join(farm.roots()), encoding="utf-8")
        proc = run_crawl(farm, {"url": f"@{urls}"}, tmp / "scale.db", timeout=300, settings={
            "GXCRAWL_BROWSER": "0", "CONCURRENT_REQUESTS": "256", "CONCURRENT_REQUESTS_PER_DOMAIN": str(PER_HOST),
            "GXCRAWL_PARSE_PROCESSES": "2"})
        assert proc.returncode == 0, proc.stderr[-3000:]
        yield farm, stored_reports(tmp / "scale.db"), scrapy_stats(proc.stderr), tmp / "scale.db"


def test_the_farm_has_a_real_portal_shape():
    farm = ScaleFarm(60, latency=(0.0, 0.0))
    sizes = [len(p.manifest) for p in farm.portals if not p.failing]
    assert min(sizes) >= 5 and max(sizes) <= 30
    kinds = {m["kind"] for p in farm.portals for m in p.manifest}
    years = {m["year"] for p in farm.portals for m in p.manifest}
    assert kinds == {"html", "pdf", "docx"} and years == set(range(2015, 2025))
    assert sum(p.slow for p in farm.portals) == 3 and sum(p.failing for p in farm.portals) == 1
    with farm:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.proxy_url}))
        with pytest.raises(urllib.error.HTTPError) as err:
            opener.open("http://www.s0013.scale.gov.cn/", timeout=10)
        assert err.value.code == 503
        list_page = opener.open("http://www.s0001.scale.gov.cn/zwgk/zfxxgknb/", timeout=10).read().decode()
        assert "createPageHTML(" in list_page and farm.portals[1].manifest[0]["agency"] in list_page


def test_every_portal_s_reports_are_found(crawled):
    farm, reports, _, _ = crawled
    results = compare(farm, reports)
    assert sum(r.expected for r in results.values()) > 100
    assert {name: (r.missing, r.wrong_year, r.extra) for name, r in results.items() if not r.ok} == {}


def test_no_host_has_more_requests_in_flight_than_its_limit(crawled):
    farm, _, _, _ = crawled
    assert set(farm.max_in_flight) == set(farm.by_host)           # every portal was reached, the failing one too
    assert max(farm.max_in_flight.values()) <= PER_HOST
    assert max(farm.max_in_flight.values()) == PER_HOST            # and the limit is used


def test_nothing_is_fetched_twice_and_nothing_leaves_the_farm(crawled):
    farm, _, stats, _ = crawled
    assert farm.repeats() == {} and farm.offsite == []
    assert stats["downloader/request_count"] == sum(farm.requests.values())


def test_reports_parsed_in_a_worker_are_committed_in_arrival_order(crawled):
    _, _, stats, db = crawled
    assert not stats.get("gxcrawl/parse_errors")
    conn = sqlite3.connect(db)
    try:     # a report page's first fetch, in report id order: the fetches' order
        rows = conn.execute("select r.id, min(f.id) from reports r join fetches f on f.url = r.url "
                            "group by r.id order by r.id").fetchall()
    finally:
        conn.close()
    assert len(rows) > 100
    assert [f for _, f in rows] == sorted(f for _, f in rows)
