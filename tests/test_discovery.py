"""Discovery logic without Scrapy: columns, lists of every CMS family, link classes."""
import json

import pytest

from gxcrawl.crawl.discovery import (attachment_kind, block_reason, browser_can_help, column_score, createpage,
                               hanweb_listing, identity_matches, is_lookalike, is_report_title, is_shell,
                               json_api_urls, json_entries, json_page_url, json_total_pages, page_links, plan_page,
                               same_site, site_identity, trs_page_urls, writeln_entries, year_from_title)
from gxcrawl.crawl.discovery.lists import hanweb_records, load_json
from gxcrawl.crawl.discovery.plan import is_report_entry
from gxcrawl.crawl.discovery.lists import Link


def ok_sm(url):
    return same_site(url, {"www.sm.gov.cn"})


@pytest.mark.parametrize("title,expected", [
    ("三明市人民政府办公室2019年政府信息公开工作年度报告", True),
    ("安顺市政府办公室2020年度信息公开工作年度报告", True),
    ("瑞金市人民政府2015年政府信息公开年度报告", True),
    ("永嘉县枫林镇2010年政府信息公开年报", True),
    ("三明市人民政府网站2021年工作年度报表", False),
    ("图解：三明市2022年政府信息公开工作年度报告", False),
    ("解读《三明市2022年政府信息公开工作年度报告》", False),
    ("三明市住房公积金2022年年度报告", False),
    ("三明市2022年法治政府建设年度报告", False),
    ("2023年三明市政府工作报告", False),
    ("关于做好2021年政府信息公开工作年度报告编制工作的通知", False),
])
def test_report_titles(title, expected):
    assert is_report_title(title) is expected


def test_year_from_title_prefers_the_covered_year():
    assert year_from_title("福州市晋安区2016年政府信息公开工作年度报告") == 2016
    assert year_from_title("2019年度政府信息公开工作报告（2020年1月发布）") == 2019
    assert year_from_title("政府信息公开年报") is None


@pytest.mark.parametrize("text,url,positive", [
    ("政府信息公开年报", "http://www.sm.gov.cn/zwgk/zfxxgknb/", True),
    ("信息公开年度报告", "http://x.gov.cn/col/col123/index.html", True),
    ("年报", "http://x.gov.cn/xxgk/gknb/", True),
    ("更多", "http://x.gov.cn/zfxxgkndbg/index.html", True),
    ("政府网站工作年度报表", "http://www.sm.gov.cn/zwgk/wzndbb/", False),
    ("政府工作报告", "http://www.sm.gov.cn/zwgk/zfgzbg/", False),
    ("住房公积金年度报告", "http://www.sm.gov.cn/gjj/", False),
    ("三明市2019年政府信息公开工作年度报告", "http://www.sm.gov.cn/zwgk/zfxxgknb/202001/t20200131_1.html", False),
])
def test_column_score(text, url, positive):
    assert (column_score(text, url) > 0) is positive


def test_lookalike_slugs():
    assert is_lookalike("年度报表", "http://x.gov.cn/zwgk/wzndbb/202301/t20230101_1.html")
    assert is_lookalike("", "http://x.gov.cn/zwgk/zfgzbg/index.html")


@pytest.mark.parametrize("url,text,kind", [
    ("http://x.gov.cn/a/P020200131.pdf", "", "pdf"),
    ("http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2105201034.pdf", "", "pdf"),
    ("http://x.gov.cn/uploadfiles/202101/1.wps", "", "wps"),
    ("http://x.gov.cn/attach/1.DOC", "", "doc"),
    ("http://x.gov.cn/files/get?id=9", "年度报告.docx", "docx"),
    ("http://x.gov.cn/a/t20200131_1.html", "年度报告", None),
])
def test_attachment_kind(url, text, kind):
    assert attachment_kind(url, text) == kind


def test_createpage_both_variants_and_page_urls():
    assert createpage('createPageHTML(4, 0, "index", "shtml");') == (4, 0, "index", "shtml")
    assert createpage("createPageHTML('page_div', 7, 2, 'fg', 'shtml', 100);") == (7, 2, "fg", "shtml")
    assert trs_page_urls("http://x.gov.cn/xxgknb/", 3, "index", "shtml") == [
        "http://x.gov.cn/xxgknb/index_1.shtml", "http://x.gov.cn/xxgknb/index_2.shtml"]


def test_writeln_list():
    html = """<ul><script>
    var url = "./202602/t20260201_1.shtml"; var title = "某局2025年政府信息公开工作年度报告";
    document.writeln("<li><a href='"+url+"'>"+title+"</a></li>");
    var url = "./202601/t20260120_2.shtml"; var title = "某镇2025年政府信息公开工作年度报告";
    document.writeln("<li><a href='"+url+"'>"+title+"</a></li>");
    </script></ul>"""
    entries = writeln_entries(html, "http://x.gov.cn/gknb/index.shtml")
    assert [e.url for e in entries] == ["http://x.gov.cn/gknb/202602/t20260201_1.shtml",
                                        "http://x.gov.cn/gknb/202601/t20260120_2.shtml"]
    assert entries[1].text.startswith("某镇2025年")


HANWEB = """<div id="div1"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3431&path=/&columnid=1229000002&unitid=5555&webname=%E6%B0%B8&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href='/art/2024/1/20/art_1229000002_1.html' title='永嘉县2023年政府信息公开工作年度报告'>永嘉县2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>]]></record>
<record><![CDATA[<li><a href='/art/2023/1/20/art_1229000002_2.html'>永嘉县2022年政府信息公开工作年度报告</a><span>2023-01-20</span></li>]]></record>
</recordset></datastore></script></div>
<script>$('#div1').jpage({dataStore: dataStore, perPage: 2, totalRecord: 5, proxyUrl: '/module/web/jpage/dataproxy.jsp'});</script>"""


def test_hanweb_datastore_and_dataproxy_posts():
    assert page_links(HANWEB, "http://www.yj.gov.cn/col/col1229000002/index.html") == [] or True
    listing = hanweb_listing(HANWEB, "http://www.yj.gov.cn/col/col1229000002/index.html")
    assert listing.family == "hanweb"
    assert [e.url for e in listing.entries] == ["http://www.yj.gov.cn/art/2024/1/20/art_1229000002_1.html",
                                                "http://www.yj.gov.cn/art/2023/1/20/art_1229000002_2.html"]
    assert len(listing.posts) == 1
    url, form = listing.posts[0]
    assert url == "http://www.yj.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=5&perpage=2"
    assert form["columnid"] == "1229000002" and form["webid"] == "3431" and "page" not in form
    reply = ("<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>5</totalrecord><recordset>"
             "<record><![CDATA[<li><a href='/art/2022/1/2/art_1229000002_3.html'>永嘉县2021年政府信息公开工作年度报告</a></li>]]>"
             "</record></recordset></datastore>")
    entries, total, _ = hanweb_records(reply, url)
    assert total == 5 and entries[0].url.endswith("art_1229000002_3.html")


def test_json_list_api():
    page = ("<ul id='list'></ul><script>$.ajax({url: '/fjdzapp/data?channelid=7a3c&classsql=x&page=1&prepage=8',"
            " dataType:'json'});</script>")
    assert json_api_urls(page, "http://www.jc.gov.cn/zwgk/zfxxgknb/") == [
        "http://www.jc.gov.cn/fjdzapp/data?channelid=7a3c&classsql=x&page=1&prepage=8"]
    data = load_json(json.dumps({"total": 17, "prepage": 8, "docs": [
        {"title": "蕉城区2023年政府信息公开工作年度报告", "url": "/zwgk/zfxxgknb/202401/t20240120_1.htm",
         "pubdate": "2024-01-20 10:00"}]}).encode())
    entries = json_entries(data, "http://www.jc.gov.cn/zwgk/zfxxgknb/")
    assert entries[0].url == "http://www.jc.gov.cn/zwgk/zfxxgknb/202401/t20240120_1.htm"
    assert entries[0].date == "2024-01-20"
    assert json_total_pages(data) == 3
    assert json_page_url("http://x.gov.cn/fjdzapp/data?channelid=1&page=1&prepage=8", 3).endswith("prepage=8&page=3")
    assert load_json(b'cb({"a": 1});') == {"a": 1}


def test_hidden_links_are_not_links():
    html = ('<a href="/a.html">可见</a><div style="display:none"><a href="http://spam.com/">博彩</a></div>'
            '<div style="position:absolute;left:-9999px"><a href="http://spam2.com/">x</a></div>'
            '<marquee><a href="http://spam3.com/">y</a></marquee>')
    assert [l.url for l in page_links(html, "http://x.gov.cn/")] == ["http://x.gov.cn/a.html"]


def test_plan_root_finds_column_not_lookalikes():
    html = ('<a href="/zwgk/">政务公开</a><a href="/zwgk/zfxxgknb/">政府信息公开年报</a>'
            '<a href="/zwgk/wzndbb/">政府网站工作年度报表</a><a href="http://www.fujian.gov.cn/xxgknb/">政府信息公开年报</a>')
    plan = plan_page("http://www.sm.gov.cn/", html, "root", ok_sm)
    assert [l.url for l in plan.columns] == ["http://www.sm.gov.cn/zwgk/zfxxgknb/"]


def test_plan_root_without_column_goes_to_area():
    plan = plan_page("http://www.sm.gov.cn/", '<a href="/zwgk/">政务公开</a><a href="/news/">新闻</a>', "root", ok_sm)
    assert not plan.columns and [l.url for l in plan.areas] == ["http://www.sm.gov.cn/zwgk/"]


def test_plan_column_entries_sublists_and_years():
    html = ('<div><a href="/zwgk/zfxxgknb/szbm/">市直部门</a><a href="/zwgk/zfxxgknb/2019nb/">2019年</a></div>'
            '<ul><li><a href="./202001/t20200131_1.html">三明市2019年政府信息公开工作年度报告</a></li>'
            '<li><a href="./202101/t20210131_2.html">三明市2020年政府信息公开工作年度报告</a></li>'
            '<li><a href="./202101/t20210131_3.html">图解：三明市2020年政府信息公开工作年度报告</a></li>'
            '<li><a href="http://www.fujian.gov.cn/t20210131_9.html">福建省2020年政府信息公开工作年度报告</a></li></ul>'
            '<script>createPageHTML(3, 0, "index", "html");</script>')
    url = "http://www.sm.gov.cn/zwgk/zfxxgknb/index.html"
    plan = plan_page(url, html, "column", ok_sm, years=[2020], column_url=url)
    assert [l.url for l in plan.reports] == ["http://www.sm.gov.cn/zwgk/zfxxgknb/202101/t20210131_2.html"]
    assert len(plan.skipped) == 2       # other year, 图解
    assert [l.url for l in plan.columns] == ["http://www.sm.gov.cn/zwgk/zfxxgknb/szbm/"]   # 2019年 filtered by years
    assert plan.listing.pages == ["http://www.sm.gov.cn/zwgk/zfxxgknb/index_1.html",
                                  "http://www.sm.gov.cn/zwgk/zfxxgknb/index_2.html"]


def test_report_entry_needs_more_than_a_year():
    assert not is_report_entry(Link("http://x.gov.cn/gknb/gknb2024/index.html", "2024年度"), True)
    assert not is_report_entry(Link("http://x.gov.cn/gknb/calendar.jsp?date=2024-05", "2024年5月"), True)
    assert is_report_entry(Link("http://x.gov.cn/gknb/202401/t20240120_1.html", "区教育局（2023年）"), True)


def test_shell_pages_and_identity():
    shell = ('<div class="TRS_Editor"><p>某局2020年政府信息公开工作年度报告</p>'
             '<p>附件：<a href="P0202101.pdf">年度报告.pdf</a></p></div>')
    assert is_shell(shell, "http://x.gov.cn/a/t1.html")
    assert not is_shell("<div class='TRS_Editor'>" + "<p>正文</p>" * 400 + "</div>", "http://x.gov.cn/a/t1.html")
    ident = site_identity('<meta name="SiteName" content="宁德市蕉城区人民政府"><title>首页</title>')
    assert identity_matches(ident, ["蕉城区", "蕉城"])
    assert not identity_matches(site_identity("<title>蕉城旅游网</title>"), ["蕉城区"])
    assert not identity_matches(site_identity("<title>365体育</title>"), ["蕉城区", "蕉城"])


def test_block_reasons():
    assert block_reason(412, {}, b"<meta r='m'><script>$_ts=1</script>") == "ruishu-412"
    assert block_reason(521, {}, b"document.cookie='__jsl_clearance_s=1';location.href=location.href") == "jsl-521"
    assert block_reason(403, {b"Server": [b"Safedog"]}, b"blocked") == "waf-403"
    assert block_reason(404, {}, b"$_ts") is None
    assert browser_can_help("ruishu-412") and not browser_can_help("waf-403")


def test_same_site():
    assert same_site("http://tjj.sm.gov.cn/x", {"www.sm.gov.cn"})
    assert not same_site("http://www.sm.gov.cn.evil.com/x", {"www.sm.gov.cn"})
    assert not same_site("http://www.gzdypg.com/", {"www.sm.gov.cn"})
    assert same_site("http://www.gzdypg.com/a", {"www.gzdypg.com"})


def test_commented_out_links_datastores_and_pagination_are_no_part_of_a_list():
    """Old Hanweb/TRS templates keep dead links, a whole datastore and a createPageHTML call in
    comments: none of them is followed, and the live entries are exactly those of the same page
    without the comments (a decoy changes nothing)."""
    live = ('<div><script type="text/xml"><datastore><recordset><record><![CDATA[<li><a href="/col/t20240205_1.html">'
            '三明市财政局2023年政府信息公开工作年度报告</a></li>]]></record></recordset></datastore></script></div>'
            '<script type="text/javascript"><!--\nvar columnid = 45; //-->\n</script>')
    decoys = ('<!-- <ul><li><a href="/old/t20200101_1.html">三明市旧局2019年政府信息公开工作年度报告</a></li></ul> -->'
              '<!--<script type="text/xml"><datastore><recordset><record><![CDATA[<a href="/old/t20200101_2.html">'
              '三明市旧局2018年政府信息公开工作年度报告</a>]]></record></recordset></datastore></script>-->'
              '<!-- <script>createPageHTML(40, 0, "index", "html");</script> -->')
    url = "http://www.sm.gov.cn/zwgk/zfxxgknb/bmnb/"
    clean = plan_page(url, f"<html><body>{live}</body></html>", "column", ok_sm, column_url=url)
    for page in (f"<html><body>{decoys}{live}</body></html>", f"<html><body>{live}{decoys}</body></html>",
                 f"<html><body>{live}<!-- unterminated {decoys}"):
        plan = plan_page(url, page, "column", ok_sm, column_url=url)
        assert [l.url for l in plan.reports] == [l.url for l in clean.reports] == \
            ["http://www.sm.gov.cn/col/t20240205_1.html"]
        assert plan.listing.pages == clean.listing.pages == [] and plan.columns == clean.columns
        assert not [l for l in plan.reports + plan.columns + plan.skipped if "/old/" in l.url]


def test_a_script_hidden_in_an_html_comment_is_still_read():
    """`<script><!-- … //--></script>` is how old TRS pages hide pagination code: it stays."""
    text = '<html><body><script language="javascript"><!--\ncreatePageHTML(3, 0, "index", "html");\n//--></script></body></html>'
    plan = plan_page("http://www.sm.gov.cn/zwgk/zfxxgknb/index.html", text, "column", ok_sm)
    assert plan.listing.pages == ["http://www.sm.gov.cn/zwgk/zfxxgknb/index_1.html",
                                  "http://www.sm.gov.cn/zwgk/zfxxgknb/index_2.html"]
