"""The replica farm: families behave like the real CMSs, manifests ship with the package."""
import json
import urllib.error
import urllib.parse
import urllib.request

from gxcrawl import parse_report
from gxcrawl.replicas.farm import MANIFESTS
from gxcrawl.parse.document.sniff import sniff


def fetch(farm, url, data=None, headers=None):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.proxy_url}))
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def test_binds_loopback_only(farm):
    assert farm.server.server_address[0] == "127.0.0.1"


def test_families_and_sizes(farm):
    sizes = {s.name: len(s.manifest) for s in farm.sites}
    assert set(sizes) >= {"sanming", "yongjia", "jiaocheng", "ruijin", "jinan", "spam-mirror"}
    assert sum(sizes.values()) > 200
    years = {m["year"] for s in farm.sites for m in s.manifest}
    assert years == set(range(2015, 2025))


def test_shipped_manifests_match_generated(farm):
    for site in farm.sites:
        shipped = json.loads((MANIFESTS / f"{site.name}.json").read_text(encoding="utf-8"))
        assert shipped["reports"] == site.manifest, f"regenerate: python -m gxcrawl.replicas --write-manifests"


def test_hanweb_list_only_in_datastore_and_dataproxy_needs_form(farm):
    status, body, _ = fetch(farm, "http://www.yj.gov.cn/col/col1229000002/index.html")
    assert status == 200 and b"<datastore>" in body and b"<a href='/art/" in body
    url = "http://www.yj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=16&endrecord=30&perpage=15"
    _, empty, _ = fetch(farm, url)
    assert b"<totalrecord>0" in empty
    form = urllib.parse.urlencode({"col": 1, "appid": 1, "webid": 3431, "path": "/", "columnid": "1229000002",
                                   "unitid": 5555, "permissiontype": 0}).encode()
    _, page2, _ = fetch(farm, url, data=form)
    assert page2.count(b"<record>") == 8 and b"<totalrecord>23<" in page2


def test_json_list_needs_referer_and_pages_need_the_challenge_cookie(farm):
    api = "http://www.jiaocheng.gov.cn/fjdzapp/data?channelid=7a3cd1e0&page=1&prepage=8"
    assert json.loads(fetch(farm, api)[1])["docs"] == []
    data = json.loads(fetch(farm, api, headers={"Referer": "http://www.jiaocheng.gov.cn/zwgk/zfxxgknb/"})[1])
    assert data["total"] == 19 and len(data["docs"]) == 8
    article = "http://www.jiaocheng.gov.cn" + data["docs"][0]["url"]
    status, body, _ = fetch(farm, article)
    assert status == 412 and b"$_ts" in body and b"document.cookie" in body
    site = farm.site("jiaocheng")
    status, body, _ = fetch(farm, article, headers={"Cookie": f"{site.COOKIE}={site.token}"})
    assert status == 200 and "政府信息公开工作年度报告".encode() in body


def test_old_portal_is_gbk_with_attachments(farm):
    status, body, headers = fetch(farm, "http://www.ruijin.gov.cn/zwgk/gknb/gknb2016/index.html")
    assert "charset" not in headers["Content-Type"] and b"charset=gb2312" in body
    assert "信息公开".encode("gbk") in body or "2016年度".encode("gbk") in body
    kinds = {m["kind"] for m in farm.site("ruijin").manifest}
    assert kinds >= {"html", "pdf", "doc", "docx", "wps", "image"}


def test_district_traps(farm):
    site = "http://www.fzja.gov.cn/xjwz/zwgk/zfxxgk/zfxxgknb/"
    _, page9, _ = fetch(farm, site + "search.jsp?page=9")
    assert b"search.jsp?page=10" in page9            # endless
    _, cal, _ = fetch(farm, "http://www.fzja.gov.cn/xjwz/calendar/?y=2024&m=12")
    assert b"y=2025&m=1" in cal                      # calendar never ends
    assert fetch(farm, "http://www.fzja.gov.cn/xjwz/flaky/jyj/t20200110_always.html")[0] == 500


def test_spam_mirror_copies_with_brand(farm):
    status, body, _ = fetch(farm, "http://www.gzdypg.com/col/col1229000002/index.html")
    assert status == 200 and "365网站手机打不开".encode() in body and b"www.yj.gov.cn" not in body
    assert all(m["is_mirror"] for m in farm.site("spam-mirror").manifest)


def test_unknown_hosts_are_refused_and_recorded(farm):
    assert fetch(farm, "http://www.baidu.com/")[0] == 502
    assert "http://www.baidu.com/" in farm.offsite


def test_generated_reports_parse_with_their_year(farm):
    """Content check independent of the crawler: each generated document parses to its year."""
    for name in ("sanming", "ruijin"):
        for m in farm.site(name).manifest[:8]:
            url = m["urls"][-1]
            status, body, headers = fetch(farm, url)
            if m["kind"] == "image":
                assert sniff(body) == "html"
                continue
            report = parse_report(body, url=url)
            assert report.is_report and report.year == m["year"], (url, report.year, report.warnings)
