"""Incremental re-crawls of the replica farm (gxcrawl.crawl.incremental): list pages are
revalidated (ETag / Last-Modified → 304, content hash where the server sends no
validators), report pages are requested only when their list entry is new or changed,
a changed report becomes a new version, every run is a `crawls` row."""
import sqlite3
import urllib.request

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.admin import add_report, edit_report
from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports

CITIES = {"city": "三明,永嘉,瑞金"}          # TRS static lists, Hanweb datastore + POST, old portal without validators
SITES = ["sanming", "yongjia", "ruijin"]


def report_urls(farm):
    """Every URL that belongs to a report entry (pages, attachments, images) on the crawled sites."""
    urls = set()
    for name in SITES:
        site = farm.site(name)
        for m in site.manifest:
            urls.update(m["urls"])
    return urls


def crawl(farm, db, **settings):
    start = len(farm.log)
    proc = run_crawl(farm, CITIES, db, settings={k: str(v) for k, v in settings.items()})
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = scrapy_stats(proc.stderr)
    log = farm.log[start:]
    return stats, log


def fetched_reports(farm, log):
    hosts = {farm.site(n).host: n for n in SITES}
    urls = report_urls(farm)
    out = []
    for r in log:
        url = f"http://{r['host']}{r['path']}" + (f"?{r['query']}" if r["query"] else "")
        if r["host"] in hosts and (url in urls or f"http://{r['host']}{r['path']}" in urls
                                   or "/uploadfiles/" in r["path"] or "downfile.jsp" in r["path"]):
            out.append((url, r["status"]))
    return out


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    with Farm(include_shared=False) as farm:
        yield {"farm": farm, "db": tmp / "archive.db", "runs": []}


def test_replica_conditional_requests():
    with Farm(include_shared=False) as farm:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.proxy_url}))
        first = opener.open("http://www.sm.gov.cn/zwgk/index.html")
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert etag and modified and first.read()
        for header in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
            req = urllib.request.Request("http://www.sm.gov.cn/zwgk/index.html", headers=header)
            with pytest.raises(urllib.error.HTTPError) as exc:
                opener.open(req)
            assert exc.value.code == 304 and exc.value.read() == b""
        # the old portal sends no validators (a crawler must compare content hashes there)
        assert "ETag" not in opener.open("http://www.ruijin.gov.cn/").headers
        # admin endpoint on the farm's own address: add a report, edit one
        data = urllib.parse.urlencode({"site": "sanming", "list_path": "/zwgk/zfxxgknb/szf/index.html",
                                       "agency": "三明市人民政府研究室", "year": "2024"}).encode()
        url = urllib.request.urlopen(f"{farm.proxy_url}/_admin/add", data=data).read().decode()
        assert "三明市人民政府研究室".encode() in opener.open(url).read()
        data = urllib.parse.urlencode({"url": url, "note": "已更正"}).encode()
        assert urllib.request.urlopen(f"{farm.proxy_url}/_admin/edit", data=data).read() == b"ok"
        assert "已更正".encode() in opener.open(url).read()
        req = urllib.request.Request("http://www.sm.gov.cn/zwgk/index.html", headers={"If-None-Match": etag})
        with pytest.raises(urllib.error.HTTPError):
            opener.open(req)      # unchanged pages still 304


def test_first_crawl(state):
    farm = state["farm"]
    stats, log = crawl(farm, state["db"])
    state["first"] = stats
    results = compare(farm, stored_reports(state["db"]), names=SITES)
    assert all(r.ok and len(r.found) == r.expected for r in results.values()), \
        {n: (len(r.missing), len(r.extra)) for n, r in results.items()}
    assert stats["gxcrawl/reports_new"] == len(stored_reports(state["db"]))
    print("first crawl:", stats["downloader/request_count"], "requests,", stats["downloader/response_bytes"], "bytes,",
          stats["gxcrawl/requests/navigation"], "navigation (robots, roots, areas, list pages, list APIs)")


def test_second_crawl_of_unchanged_farm_is_cheap(state):
    farm, first = state["farm"], state["first"]
    before = stored_reports(state["db"])
    stats, log = crawl(farm, state["db"])
    state["second"] = stats
    print("second crawl:", stats["downloader/request_count"], "requests,", stats["downloader/response_bytes"], "bytes,",
          stats.get("gxcrawl/incremental/not_modified"), "answered 304")
    assert stats["downloader/request_count"] <= first["gxcrawl/requests/navigation"]
    assert stats["downloader/response_bytes"] <= 0.10 * first["downloader/response_bytes"]
    assert fetched_reports(farm, log) == []                       # no report page requested at all
    assert stats.get("gxcrawl/incremental/skipped") == len(before)
    assert stats.get("gxcrawl/incremental/not_modified", 0) > 0    # ETag / Last-Modified revalidation
    assert stats.get("gxcrawl/incremental/same_hash", 0) > 0       # 瑞金: no validators, same content hash
    assert sorted((r["url"], r["year"]) for r in stored_reports(state["db"])) == \
        sorted((r["url"], r["year"]) for r in before)


def test_added_and_edited_reports_are_picked_up(state):
    farm = state["farm"]
    sm = farm.site("sanming")
    added = add_report(sm, "/zwgk/zfxxgknb/szf/index.html", "三明市人民政府研究室", 2024, published="2025-03-30")
    edited = sm.manifest[3]["url"]                       # corrected: new text, re-dated in the list
    edit_report(sm, edited, note="（2025年4月更正：主动公开数据有误）", list_date="2025-04-01")
    stats, log = crawl(farm, state["db"])
    assert sorted(u for u, _ in fetched_reports(farm, log)) == sorted([added, edited])
    assert stats["downloader/request_count"] <= state["first"]["gxcrawl/requests/navigation"] + 2
    conn = sqlite3.connect(state["db"])
    assert conn.execute("select year, version from reports where url = ?", [added]).fetchone() == (2024, 1)
    version, = conn.execute("select version from reports where url = ?", [edited]).fetchone()
    assert version == 2
    old = conn.execute("select version, reason from report_versions where url = ?", [edited]).fetchall()
    assert old == [(1, "content")]
    rows = conn.execute("select requests, bytes, reports_new, reports_changed, reports_unchanged, entries_skipped, "
                        "not_modified, status, portals, started, finished from crawls order by started, rowid").fetchall()
    assert len(rows) == 3
    assert rows[0][2] == len(stored_reports(state["db"])) - 1 and rows[0][7] == "finished"
    assert rows[1][2:5] == (0, 0, 0) and rows[1][6] > 0
    assert rows[2][2:5] == (1, 1, 0)
    assert all(r[0] > 0 and r[1] > 0 and r[9] and r[10] and "三明" in r[8] for r in rows)


def test_silent_edit_needs_revalidation(state):
    """An edit that leaves the list entry alone is invisible to a plain re-crawl; the
    revalidation setting finds it with conditional GETs (304 for everything else)."""
    farm = state["farm"]
    sm = farm.site("sanming")
    silent = sm.manifest[6]["url"]
    edit_report(sm, silent, note="（悄悄修改）")
    stats, log = crawl(farm, state["db"])
    assert fetched_reports(farm, log) == []
    stats, log = crawl(farm, state["db"], GXCRAWL_REVALIDATE_REPORTS=1)
    fetched = fetched_reports(farm, log)
    changed = [u for u, status in fetched if status == 200 and "ruijin" not in u]
    assert changed == [silent], changed[:10]
    assert all(status in (200, 304) for _, status in fetched)
    conn = sqlite3.connect(state["db"])
    assert conn.execute("select version from reports where url = ?", [silent]).fetchone() == (2,)
    assert stats["gxcrawl/reports_changed"] == 1
