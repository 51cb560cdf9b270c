"""The host rule (gxcrawl/crawl/scope.py): which URLs are on a portal, and the downloader
middleware every request passes — dont_filter replays and redirect follow-ups included."""
import sqlite3

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from gxcrawl.crawl.scope import OffPortalRequest, ScopeMiddleware, is_on_portal, registrable_domain
from spiders.portal import PortalSpider

SM = {"www.sm.gov.cn"}


@pytest.mark.parametrize("url, on", [
    ("http://www.sm.gov.cn/zwgk/", True),
    ("https://www.sm.gov.cn:8443/a.pdf", True),
    ("http://tjj.sm.gov.cn/x", True),             # a subdomain of the registrable domain
    ("http://sm.gov.cn/", True),
    ("http://WWW.SM.GOV.CN./x", True),
    ("http://www.sm.gov.cn.evil.com/x", False),   # a look-alike
    ("http://sm.gov.cn.evil.com/x", False),
    ("http://evilsm.gov.cn/", False),
    ("http://www.fj.gov.cn/", False),             # the province is another portal
    ("http://www.evil.com/?u=http://www.sm.gov.cn/", False),
    ("http://www.evil.com/#www.sm.gov.cn", False),
    ("http://www.sm.gov.cn@www.evil.com/", False),   # userinfo is not the host
    ("javascript:location='http://www.sm.gov.cn/'", False),
    ("data:text/html,<a href=http://www.sm.gov.cn/>", False),
    ("ftp://www.sm.gov.cn/a.pdf", False),
    ("http:///nohost", False),
    ("http://[::1", False),                       # unparsable
])
def test_is_on_portal(url, on):
    assert is_on_portal(url, SM) is on


def test_bare_ip_and_single_label_seeds_are_only_themselves():
    assert is_on_portal("http://127.0.0.1:9000/x", {"127.0.0.1"})
    assert not is_on_portal("http://127.0.0.2/x", {"127.0.0.1"})
    assert not is_on_portal("http://1.127.0.0.1/x", {"127.0.0.1"})
    assert is_on_portal("http://localhost/x", {"localhost"}) and not is_on_portal("http://a.localhost/", {"localhost"})
    assert not is_on_portal("http://www.other.gov.cn/", {"gov.cn"})   # a public suffix covers nothing


def test_non_gov_seeds_cover_their_registrable_domain():
    assert registrable_domain("www.example.com.cn") == "example.com.cn"
    assert is_on_portal("http://files.example.com.cn/a.pdf", {"www.example.com.cn"})
    assert not is_on_portal("http://www.com.cn/", {"www.example.com.cn"})


@pytest.fixture
def crawler(tmp_path):
    crawler = get_crawler(PortalSpider, {"GXCRAWL_ARCHIVE": str(tmp_path / "a.db"), "GXCRAWL_CRAWL_ID": "t1"})
    crawler.spider = PortalSpider.from_crawler(crawler, url="http://www.faults.gov.cn/")
    return crawler


def refused_rows(crawler):
    crawler._gxcrawl_archive.close()
    conn = sqlite3.connect(crawler.settings.get("GXCRAWL_ARCHIVE"))
    try:
        return conn.execute("select url, host, reason, referer, kind, crawl_id from refused order by id").fetchall()
    finally:
        conn.close()


def test_middleware_refuses_dont_filter_replays_and_redirects(crawler):
    mw = ScopeMiddleware.from_crawler(crawler)
    portal = next(iter(crawler.spider.portals))
    assert mw.process_request(Request("http://www.faults.gov.cn/a.html", meta={"portal": portal})) is None
    replay = Request("http://www.faults.gov.cn.evil.com/a.html", dont_filter=True,
                     meta={"portal": portal, "gx_after_browser": True}, headers={"Referer": "http://www.faults.gov.cn/"})
    with pytest.raises(OffPortalRequest):
        mw.process_request(replay)
    hop = Request("http://www.faults.gov.cn.evil.com/b.html", dont_filter=True,
                  meta={"portal": portal, "redirect_urls": ["http://www.faults.gov.cn/b.html"], "redirect_reasons": [301]})
    with pytest.raises(OffPortalRequest) as refused:
        mw.process_request(hop)
    assert refused.value.origin == "http://www.faults.gov.cn/b.html"
    robots = Request("http://www.faults.gov.cn.evil.com/robots.txt")        # no portal in meta: any portal's hosts
    with pytest.raises(OffPortalRequest):
        mw.process_request(robots)
    assert crawler.stats.get_value("gxcrawl/refused") == 3
    rows = refused_rows(crawler)
    assert [r[0] for r in rows] == [replay.url, hop.url, robots.url]
    assert rows[0][2] == "off-portal host www.faults.gov.cn.evil.com (replayed after a browser round)"
    assert rows[0][3] == "http://www.faults.gov.cn/" and rows[0][5] == "t1" and rows[0][4] == "off_host"
    assert rows[1][2].endswith("(redirect 301 from http://www.faults.gov.cn/b.html)")
    assert rows[1][3] == "http://www.faults.gov.cn/b.html"


def test_middleware_drops_responses_that_ended_off_the_portal(crawler):
    mw = ScopeMiddleware.from_crawler(crawler)
    request = Request("http://www.faults.gov.cn/c.html", meta={"portal": next(iter(crawler.spider.portals))})
    ok = HtmlResponse("http://www.faults.gov.cn/c.html", body=b"<p>ok</p>", request=request)
    assert mw.process_response(request, ok) is ok
    elsewhere = HtmlResponse("http://www.faults.gov.cn.evil.com/c.html", body=b"<p>x</p>", request=request)
    with pytest.raises(OffPortalRequest):
        mw.process_response(request, elsewhere)
    assert refused_rows(crawler)[0][4] == "off_host_response"


def test_scrapy_offsite_middleware_is_replaced():
    from scrapy.utils.project import get_project_settings
    mws = get_project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    assert mws["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
    assert mws["gxcrawl.crawl.scope.ScopeMiddleware"] < min(v for k, v in mws.items() if v is not None
                                                            and k != "gxcrawl.crawl.scope.ScopeMiddleware")
