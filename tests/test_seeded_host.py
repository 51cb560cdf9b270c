"""The seeded host is the portal: a county site served on a bare IP and port (as real county
sites are), seeded with `-a url=http://127.0.0.1:PORT/`, has its reports stored as reports —
not as mirror copies because the host is outside gov.cn — while a gambling copy planted on
that host (a report page whose place name a brand replaced, as on hacked county CMSs) is
still called a mirror, and does not turn the host's other reports into copies.

The real `portal` spider over HTTP on 127.0.0.1 (scrapy crawl in a subprocess), the real
SQLite archive."""
import json
import socket
import sqlite3

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.content import ReportSpec, render_report
from gxcrawl.replicas.harness import run_crawl, scrapy_stats, stored_reports, stored_sightings
from gxcrawl.replicas.sites import SpamMirror, TrsCity, html_reply

BRAND = SpamMirror.BRAND


class PlantedCopyCity(TrsCity):
    """The TRS city replica with one more page, linked from its home page: a copy of a
    report of another government with that government's name replaced by a betting brand."""
    PLANTED = "/zwgk/zfxxgknb/szf/201901/t20190115_88888.html"

    def build(self) -> None:
        super().build()
        spec = ReportSpec("永嘉县人民政府", 2018, region="永嘉县", serial=777, phone="0577-67221234")
        title = spec.title.replace("永嘉县", BRAND)
        body = f'<div class="TRS_Editor">{render_report(spec).replace("永嘉县", BRAND)}</div>'
        self.add(self.PLANTED, html_reply(self.page(title, body, {"ArticleTitle": title})))
        home = self.static["/"].body.decode("utf-8").replace(
            "</body>", f'<div class="news"><a href="{self.url(self.PLANTED)}">{title}</a></div></body>')
        self.add("/", html_reply(home))
        self.add("/index.html", html_reply(home))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ip_crawl(tmp_path_factory):
    port = free_port()
    site = PlantedCopyCity(host=f"127.0.0.1:{port}")
    with Farm(sites=[site], port=port) as farm:
        db = tmp_path_factory.mktemp("seeded") / "archive.db"
        # the farm is the proxy of 127.0.0.1 itself: nothing but the farm can be reached
        proc = run_crawl(farm, {"url": f"http://127.0.0.1:{port}/"}, db,
                         settings={"GXCRAWL_HOST_MAP": json.dumps({"127.0.0.1": farm.address})})
        assert proc.returncode == 0, proc.stderr[-3000:]
        yield {"site": site, "farm": farm, "db": db, "stats": scrapy_stats(proc.stderr),
               "reports": stored_reports(db), "sightings": stored_sightings(db)}


def test_every_report_of_the_seeded_ip_host_is_stored_as_a_report(ip_crawl):
    site = ip_crawl["site"]
    stored = {(r["url"], r["year"]) for r in ip_crawl["reports"] if not r["is_mirror"]}
    expected = {(m["url"], m["year"]) for m in site.manifest}
    assert expected and all(m["url"].startswith(f"http://{site.host}/") for m in site.manifest)
    assert expected - stored == set(), sorted(expected - stored)[:10]
    assert {u for u, _ in stored} - {u for u, _ in expected} == set()        # nothing else is a report
    assert ip_crawl["farm"].offsite == []


def test_a_planted_spam_copy_on_that_host_is_still_a_mirror(ip_crawl):
    site = ip_crawl["site"]
    (sighting,) = ip_crawl["sightings"]                    # the planted copy, and only it
    assert sighting["url"] == site.url(site.PLANTED) and sighting["reason"] == "flagged"
    conn = sqlite3.connect(ip_crawl["db"])
    phrases = conn.execute("select phrases from mirror_sightings").fetchone()[0]
    assert BRAND in phrases
    assert conn.execute("select count(*) from reports where url = ?", [site.url(site.PLANTED)]).fetchone()[0] == 0


def test_a_seeded_host_that_names_itself_by_a_brand_is_a_mirror_site():
    """The spider drops a portal from its official hosts when its home page calls itself by a
    gambling brand (the farm's spam mirror: SiteName 365…人民政府)."""
    from spiders.portal import PortalSpider
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.test import get_crawler
    crawler = get_crawler(PortalSpider, {"GXCRAWL_ARCHIVE": ":memory:"})
    spider = PortalSpider.from_crawler(crawler, url="http://www.gzdypg.com/,http://10.1.2.3:8080/")
    assert spider.official_hosts == {"www.gzdypg.com", "10.1.2.3"}
    from gxcrawl.replicas.sites import Request as ReplicaRequest
    mirror = Farm(include_shared=False).site("spam-mirror").handle(ReplicaRequest("GET", "/", {}, {}, {}))
    request = Request("http://www.gzdypg.com/", meta={"portal": "www.gzdypg.com"})
    response = HtmlResponse("http://www.gzdypg.com/", body=mirror.body, request=request)
    list(spider.parse_root(response) or [])
    assert spider.official_hosts == {"10.1.2.3"}


def test_the_seeded_portal_and_what_it_calls_itself_are_in_the_portals_table(ip_crawl):
    site = ip_crawl["site"]
    conn = sqlite3.connect(ip_crawl["db"])
    row = conn.execute("select status, verified, verified_at, checked_url, site_name, identified_as, source "
                       "from portals where code = '127.0.0.1'").fetchone()
    assert row is not None
    status, verified, verified_at, checked_url, site_name, identified_as, source = row
    assert (status, verified, site_name) == ("identified", 1, site.site_name)
    assert identified_as == "350400 三明市" and source == "url argument"
    assert checked_url == f"http://{site.host}/" and verified_at.startswith("20")
