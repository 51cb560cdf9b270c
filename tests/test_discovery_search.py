"""The site-search fallback without Scrapy: finding the search, asking it, reading its hits."""
import json
from urllib.parse import parse_qsl, urlsplit

from gxcrawl.crawl.discovery import same_site
from gxcrawl.crawl.discovery.search import (QUERIES, SearchForm, find_search_form, find_search_forms, search_request_body,
                                      search_request_headers, search_request_url, search_results)

MQ = "http://www.fjmq.gov.cn/"


def ok_mq(url):
    return same_site(url, {"www.fjmq.gov.cn"})


def query_of(url):
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


HANWEB = """<html><head><meta charset="utf-8"></head><body>
<form id="loginForm" action="/jpaas/login.do" method="post"><input name="username"><input type="password" name="password"></form>
<form id="searchForm" action="/jsearchfront/search.do" method="get">
  <input type="hidden" name="websiteid" value="350124000000000"><input type="hidden" name="searchid" value="12">
  <select name="position"><option value="title">标题</option><option value="all" selected>全文</option></select>
  <input type="text" name="q" placeholder="请输入关键词"><input type="submit" value="搜索"></form>
</body></html>"""


def test_hanweb_form_with_hidden_fields_login_form_skipped():
    form = find_search_form(HANWEB, MQ)
    assert form == SearchForm("http://www.fjmq.gov.cn/jsearchfront/search.do", "q", "GET",
                              (("websiteid", "350124000000000"), ("searchid", "12"), ("position", "all")),
                              "utf-8", "form", "form", MQ)
    url = search_request_url(form, QUERIES[0])
    assert url.startswith("http://www.fjmq.gov.cn/jsearchfront/search.do?websiteid=350124000000000&searchid=12")
    assert query_of(url) == {"websiteid": "350124000000000", "searchid": "12", "position": "all",
                             "q": "政府信息公开工作年度报告"}
    assert search_request_body(form, "年度报告") is None
    assert search_request_headers(form) == {"Referer": MQ}


def test_trs_was5_form_in_a_gbk_page_encodes_the_query_in_gbk():
    html = ("<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'></head><body>"
            "<form name='searchform' action='http://www.rj.gov.cn/was5/web/search?channelid=2&amp;perpage=20' "
            "method='get'><input name='searchword' type='text'><input type='submit'></form></body></html>")
    form = find_search_form(html, "http://www.rj.gov.cn/index.htm")
    assert (form.url, form.field, form.charset) == ("http://www.rj.gov.cn/was5/web/search?channelid=2&perpage=20",
                                                    "searchword", "gb18030")
    url = search_request_url(form, "年度报告")
    assert url == "http://www.rj.gov.cn/was5/web/search?channelid=2&perpage=20&searchword=%C4%EA%B6%C8%B1%A8%B8%E6"


def test_post_form_so_jsp_and_a_form_named_search_with_an_odd_action():
    html = ('<form action="/so.jsp" method="POST"><input type="hidden" name="siteid" value="7">'
            '<input type="text" name="kw"></form>')
    form = find_search_form(html, "https://www.example.gov.cn/")
    assert (form.url, form.field, form.method) == ("https://www.example.gov.cn/so.jsp", "kw", "POST")
    assert search_request_url(form, "年度报告") == "https://www.example.gov.cn/so.jsp"
    assert search_request_body(form, "年度报告") == b"siteid=7&kw=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A"
    assert search_request_headers(form)["Content-Type"] == "application/x-www-form-urlencoded"
    named = '<form id="search" action="/module/find.jsp"><input name="keyword"></form>'
    assert find_search_form(named, "http://x.gov.cn/").url == "http://x.gov.cn/module/find.jsp"


def test_no_search_no_form():
    assert find_search_form("<html><body><a href='/'>首页</a></body></html>", MQ) is None
    assert find_search_form('<form action="/jpaas/login.do"><input name="user"><input type="password" name="p">'
                            "</form>", MQ) is None
    assert find_search_form('<form action="/comment/add.do"><input name="content"></form>', MQ) is None
    assert find_search_form('<form action="javascript:void(0)"><input name="q"></form>', MQ) is None


def test_off_site_search_is_not_used_when_hosts_are_checked():
    html = '<form action="http://so.fujian.gov.cn/search" method="get"><input name="q"></form>'
    assert find_search_form(html, MQ).url == "http://so.fujian.gov.cn/search"
    assert find_search_form(html, MQ, hosts_ok=ok_mq) is None


def test_json_endpoint_in_the_inline_config():
    html = """<html><body><script src="/js/search.js"></script>
<script>var searchConfig = {"searchUrl": "/irs/front/search", "code": "17f0a9b3f2a", "searchWordName": "searchWord",
 "dataTypeId": "1431", "pageSize": "10"};
$.ajax({url: searchConfig.searchUrl, type: "POST", contentType: "application/json", data: JSON.stringify(q)});</script>
</body></html>"""
    (form,) = find_search_forms(html, "https://www.example.gov.cn/")
    assert (form.url, form.field, form.method, form.kind, form.body) == (
        "https://www.example.gov.cn/irs/front/search", "searchWord", "POST", "config", "json")
    assert dict(form.params) == {"code": "17f0a9b3f2a", "dataTypeId": "1431"}
    body = json.loads(search_request_body(form, "政府信息公开工作年度报告"))
    assert body == {"code": "17f0a9b3f2a", "dataTypeId": "1431", "searchWord": "政府信息公开工作年度报告"}
    headers = search_request_headers(form)
    assert headers["Content-Type"].startswith("application/json") and headers["X-Requested-With"] == "XMLHttpRequest"
    # a GET endpoint with a known query key
    get = '<script>var cfg = {api: "/jsearchfront/interfaces/search.do?websiteid=33", keyword: ""};</script>'
    form = find_search_form(get, MQ)
    assert (form.method, form.field) == ("GET", "keyword")
    assert query_of(search_request_url(form, "年报")) == {"websiteid": "33", "keyword": "年报"}


def test_a_real_form_is_preferred_to_a_config_endpoint():
    html = HANWEB.replace("</body>", '<script>var s = {url: "/api/search/list.do"};</script></body>')
    forms = find_search_forms(html, MQ)
    assert [f.kind for f in forms] == ["form", "config"]
    assert find_search_form(html, MQ).url.endswith("/jsearchfront/search.do")


RESULTS = """<html><body><a href="/">闽清县人民政府</a>
<div class="jcse-result-box"><a href="/art/2025/3/13/art_4117_1.html" title="闽清县人民政府2024年政府信息公开工作年度报告">
  闽清县人民政府2024年<em>政府信息公开工作年度报告</em></a><div>http://www.fjmq.gov.cn/art/2025/3/13/art_4117_1.html</div></div>
<div class="jcse-result-box"><a href="/col/col4117/index.html">政府信息公开年报</a></div>
<div class="jcse-result-box"><a href="/art/2024/2/2/art_4120_2.html">图解：闽清县2023年政府信息公开工作年度报告</a></div>
<div class="jcse-result-box"><a href="/art/2024/3/1/art_1005_1.html">闽清县住房公积金2023年年度报告</a></div>
<div class="jcse-result-box"><a href="http://www.fuzhou.gov.cn/zwgk/gknb/202401/t20240125_1.htm">福州市人民政府2023年政府信息公开工作年度报告</a></div>
<div class="jcse-result-box"><a href="/art/2022/1/20/art_4118_3.html">闽清县教育局2021年政府信息公开工作年度报告</a></div>
<div class="jcse-result-box"><a href="/picture/0/5.pdf">闽清县白樟镇人民政府2022年信息公开年度报告.pdf</a></div>
<div class="jcse-result-box"><a href="/art/2024/5/6/art_1001_6.html">闽清县召开常务会议</a></div>
<div class="pager">共17条 第1/4页 <a href="search.do?q=x&amp;p=1">首页</a> <a href="search.do?q=x&amp;p=1">1</a>
<a href="search.do?q=x&amp;p=2">2</a> <a href="search.do?q=x&amp;p=3">3</a> <a href="search.do?q=x&amp;p=2">下一页</a>
<a href="search.do?q=x&amp;p=4">尾页</a> <a href="/col/col1001/index.html">&gt;</a></div></body></html>"""


def test_html_hits_reports_columns_lookalikes_offsite_and_pages():
    base = "http://www.fjmq.gov.cn/jsearchfront/search.do?q=x"
    res = search_results(RESULTS, base, ok_mq)
    assert [l.url for l in res.reports] == ["http://www.fjmq.gov.cn/art/2025/3/13/art_4117_1.html",
                                            "http://www.fjmq.gov.cn/art/2022/1/20/art_4118_3.html",
                                            "http://www.fjmq.gov.cn/picture/0/5.pdf"]
    assert res.reports[0].text == "闽清县人民政府2024年政府信息公开工作年度报告"
    assert [l.url for l in res.columns] == ["http://www.fjmq.gov.cn/col/col4117/index.html"]
    assert {l.text for l in res.skipped} == {"图解：闽清县2023年政府信息公开工作年度报告", "闽清县住房公积金2023年年度报告",
                                            "福州市人民政府2023年政府信息公开工作年度报告"}
    pages = [query_of(u)["p"] for u in res.pages]
    assert pages == ["2", "3", "4"]            # not page 1 again, not the '>' link elsewhere
    assert res.hits == 7
    # the years filter
    only = search_results(RESULTS, base, ok_mq, years=[2024])
    assert [l.text for l in only.reports] == ["闽清县人民政府2024年政府信息公开工作年度报告"]


def test_json_hits_nested_with_highlight_and_pages():
    data = {"code": 200, "data": {"page": {"pageCount": 3}, "middle": {"list": [
        {"data": {"title": "闽清县<em>2023年政府信息公开工作年度报告</em>", "url": "/art/2024/1/28/art_4117_7.html",
                  "time": "2024-01-28 10:00:00"}},
        {"data": {"title": "政府信息公开年报", "url": "http://www.fjmq.gov.cn/col/col4117/index.html"}},
        {"data": {"title": "三明市2023年政府信息公开工作年度报告", "url": "http://www.sm.gov.cn/zwgk/t1.html"}},
    ]}}}
    url = "http://www.fjmq.gov.cn/irs/front/search?searchWord=x&page=1"
    res = search_results(json.dumps(data, ensure_ascii=False), url, ok_mq)
    assert [(l.url, l.text, l.date) for l in res.reports] == [
        ("http://www.fjmq.gov.cn/art/2024/1/28/art_4117_7.html", "闽清县2023年政府信息公开工作年度报告", "2024-01-28")]
    assert [l.url for l in res.columns] == ["http://www.fjmq.gov.cn/col/col4117/index.html"]
    assert [l.url for l in res.skipped] == ["http://www.sm.gov.cn/zwgk/t1.html"]
    assert [query_of(u)["page"] for u in res.pages] == ["2", "3"]
    assert search_results(data, url.replace("page=1", "page=2"), ok_mq).pages == []   # only page 1 announces them
    assert search_results(b"callback([])", url, ok_mq).hits == 0                      # JSONP, nothing found
