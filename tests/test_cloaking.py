"""A hacked official page (晋安 replica): hidden links, a referrer redirect script and
cloaking for Baiduspider are found by the real spider (subprocess) and stored, queryable."""
import json
import sqlite3
import urllib.error
import urllib.request

import pytest

from gxcrawl.archive import Archive
from gxcrawl.crawl.cloaking import BAIDUSPIDER_UA, ENGINE_FETCH_MARK, compare_bodies
from gxcrawl.replicas.harness import compare, run_crawl, stored_reports


@pytest.fixture(scope="module")
def hacked(farm):
    return next(m for m in farm.site("jinan").manifest if m.get("hacked"))


def fetch(farm, url, headers=None):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.proxy_url}), NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


@pytest.fixture(scope="module")
def crawl(farm, tmp_path_factory):
    db = tmp_path_factory.mktemp("cloaking") / "jinan.db"
    start = len(farm.log)
    proc = run_crawl(farm, {"url": "http://www.fzja.gov.cn/"}, db, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    crawl_log.extend(r for r in farm.log[start:] if r["host"] == "www.fzja.gov.cn")
    return db


crawl_log: list = []      # the farm's requests made by the crawl (before the tests fetch anything)


def test_replica_page_is_hacked_and_cloaked(farm, hacked):
    url = hacked["url"]
    status, normal, _ = fetch(farm, url)
    assert status == 200 and b"document.referrer" in normal and b"display:none" in normal
    status, engine, _ = fetch(farm, url, {"User-Agent": BAIDUSPIDER_UA})
    assert status == 200 and "澳门金沙赌场_".encode() in engine and b"document.referrer" not in engine
    status, _, headers = fetch(farm, url, {"Referer": "https://www.baidu.com/s?wd=x"})
    assert status == 302 and "365bet-example" in headers["Location"]
    assert set(hacked["hacked"]) == {"hidden-links", "referrer-redirect", "cloaking"}


def test_hacked_page_stored_as_the_report_with_its_findings(farm, crawl, hacked):
    result = compare(farm, stored_reports(crawl), names=["jinan"])["jinan"]
    assert result.ok and len(result.found) == len(farm.site("jinan").manifest)
    conn = sqlite3.connect(crawl)
    row = conn.execute("select year, agency, is_mirror, spam from reports where url = ?", [hacked["url"]]).fetchone()
    assert row[:3] == (2022, "福州市晋安区岳峰镇人民政府", 0)
    findings = conn.execute("select kind, how, href from spam_findings where url = ? and source = 'report'",
                            [hacked["url"]]).fetchall()
    hows = {h for k, h, _ in findings if k == "hidden_link"}
    assert {"display:none", "off-screen", "tiny-font", "marquee"} <= hows and any("<style>" in h for h in hows)
    assert [(k, href) for k, h, href in findings if k == "redirect"] == \
        [("redirect", "http://www.365bet-example.com/?from=fzja")]
    # no other page of the portal is flagged
    assert {u for (u,) in conn.execute("select distinct url from spam_findings")} == {hacked["url"]}


def test_cloaking_found_and_both_bodies_archived_exactly(farm, crawl, hacked):
    url = hacked["url"]
    conn = sqlite3.connect(crawl)
    checks = conn.execute("select differs, engine_status, normal_sha256, engine_sha256, findings, user_agent, referer "
                          "from cloaking_checks where url = ?", [url]).fetchall()
    assert len(checks) == 1
    differs, status, normal_sha, engine_sha, findings, ua, referer = checks[0]
    assert differs == 1 and status == 200 and "Baiduspider" in ua and referer.startswith("https://www.baidu.com/s?wd=")
    hows = {f["how"] for f in json.loads(findings)}
    assert {"engine-only-links", "engine-only-title-injection", "engine-only-spam-text"} <= hows
    kinds = conn.execute("select count(*) from spam_findings where url = ? and kind = 'cloaking'", [url]).fetchone()[0]
    assert kinds == len(hows)
    archive = Archive(crawl)
    assert archive.body(normal_sha) == fetch(farm, url)[1]
    assert archive.body(engine_sha) == fetch(farm, url, {"User-Agent": BAIDUSPIDER_UA})[1]
    fetched = dict(conn.execute("select url, body_sha256 from fetches where url in (?, ?) and status = 200",
                                [url, url + ENGINE_FETCH_MARK]).fetchall())
    assert fetched == {url: normal_sha, url + ENGINE_FETCH_MARK: engine_sha}
    archive.close()
    # re-fetched once, as Baiduspider, with no cookies; nothing else was
    engine_requests = [r for r in crawl_log if "Baiduspider" in r["ua"]
                       and r["path"] != "/robots.txt"]
    assert [r["path"] for r in engine_requests] == [url.split("www.fzja.gov.cn", 1)[1]]
    assert engine_requests[0]["cookie"] == "" and engine_requests[0]["referer"] == referer


def test_cloaking_check_can_be_turned_off(farm, tmp_path, hacked):
    db = tmp_path / "off.db"
    before = len([r for r in farm.log if "Baiduspider" in r["ua"]])
    proc = run_crawl(farm, {"url": "http://www.fzja.gov.cn/", "years": "2022"}, db,
                     settings={"GXCRAWL_CLOAKING_CHECK": "0"}, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len([r for r in farm.log if "Baiduspider" in r["ua"]]) == before
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from cloaking_checks").fetchone()[0] == 0
    assert conn.execute("select count(*) from spam_findings where url = ?", [hacked["url"]]).fetchone()[0] >= 6


def test_redirect_for_the_search_engine_is_cloaking():
    page = "<html><head><title>某县2020年政府信息公开工作年度报告</title></head><body>正文</body></html>".encode()
    differs, _, findings = compare_bodies(page, b"", "http://www.x.gov.cn/a.html", 302,
                                          {"Location": "http://casino.example.com/"})
    assert differs and findings[0]["how"] == "engine-only-redirect" and findings[0]["href"] == "http://casino.example.com/"
    assert compare_bodies(page, page, "http://www.x.gov.cn/a.html") == (False, 1.0, [])
