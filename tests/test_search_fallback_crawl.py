"""The site-search fallback in a real crawl (scrapy crawl portal in a subprocess, the replica
farm behind GXCRAWL_HOST_MAP): 闽清's reports are reachable only through its search page."""
from urllib.parse import parse_qs

import pytest

from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports

ROOT = "http://www.fjmq.gov.cn/"


@pytest.fixture(scope="module")
def crawl(farm, tmp_path_factory):
    db = tmp_path_factory.mktemp("search") / "archive.db"
    before = len(farm.requests_for("www.fjmq.gov.cn"))
    proc = run_crawl(farm, {"url": ROOT}, db)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {"db": db, "proc": proc, "stats": scrapy_stats(proc.stderr), "reports": stored_reports(db),
            "requests": farm.requests_for("www.fjmq.gov.cn")[before:]}


def test_every_report_found_through_the_search(farm, crawl):
    result = compare(farm, crawl["reports"], names=["minqing"])["minqing"]
    assert len(result.found) == result.expected == len(farm.site("minqing").manifest) == 14
    assert result.ok, (result.missing, result.wrong_year, result.extra)
    kinds = {m["kind"] for m in result.found}
    assert kinds == {"html", "pdf"}


def test_search_is_the_last_fallback_and_asked_properly(crawl):
    requests = crawl["requests"]
    paths = [r["path"] for r in requests]
    searches = [r for r in requests if r["path"] == "/jsearchfront/search.do"]
    # the five usual column paths were tried (404) before the search
    assert sum(1 for r in requests if r["status"] == 404) == 5
    first_search = paths.index("/jsearchfront/search.do")
    assert all(i < first_search for i, r in enumerate(requests) if r["status"] == 404)
    queries = [parse_qs(r["query"]) for r in searches]
    assert {q["q"][0] for q in queries} == {"政府信息公开工作年度报告", "年度报告"}
    assert all(q["websiteid"] == ["350124000000000"] and q["searchid"] == ["12"] for q in queries)
    assert all(r["referer"] == ROOT for r in searches)
    # every result page once (3 for the long query, 4 for 年度报告), nothing else
    pages = sorted((q["q"][0], q.get("p", ["1"])[0]) for q in queries)
    assert len(pages) == len(set(pages)) == 7
    # the column found by the search was walked; look-alikes and 图解 were not fetched
    assert "/col/col4117/index.html" in paths
    assert not [p for p in paths if "art_1005_" in p or "art_4120_" in p]
    stats = crawl["stats"]
    assert stats["gxcrawl/search/portals"] == 1 and stats["gxcrawl/search/requests"] == 7


def test_hits_on_other_hosts_are_not_fetched(farm, crawl):
    assert farm.offsite == []
    ignored = [line for line in crawl["proc"].stderr.splitlines() if "unmapped host ignored:" in line]
    assert not [line for line in ignored if "fuzhou" in line]


def test_without_the_search_nothing_is_found(farm, tmp_path):
    before = len(farm.requests_for("www.fjmq.gov.cn"))
    proc = run_crawl(farm, {"url": ROOT}, tmp_path / "off.db", settings={"GXCRAWL_SEARCH": "0"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert stored_reports(tmp_path / "off.db") == []
    assert not [r for r in farm.requests_for("www.fjmq.gov.cn")[before:] if "search" in r["path"]]
