"""Discovery of lists by what pages load (gxcrawl.crawl.discovery.jsread / scripts / loaded):
JS literals and endpoint templates read without running them, filled from a page's context;
paging on when the total is unknown; sibling lists; platform directories."""
from gxcrawl.crawl.discovery.jsread import assignments, js_value, url_templates
from gxcrawl.crawl.discovery.lists import hanweb_listing, json_entries, json_total_count
from gxcrawl.crawl.discovery.loaded import declared_total, reply_entries
from gxcrawl.crawl.discovery.plan import directory_links, plan_page, sibling_links
from gxcrawl.crawl.discovery.lists import Link
from gxcrawl.crawl.discovery.scripts import (PAGE, PageContext, Template, endpoint_urls, family_templates, fill,
                                             page_context, report_categories, script_context, script_sources)

ANY = lambda url: True   # noqa: E731


def test_js_literals_in_the_forms_pages_write_them():
    code = """window._CONFIG = {
        SID: '759001', 'SITE_NAME': "湛江市人民政府", IS_SUB: !1, n: 0x1f,
        TREE: [{id: 1, name: '政府信息公开指南', children: [],}, {id: 2, name: '政府信息公开年报'}],
        render: function (a) { return a + 1 }, // a comment
        list: [1, 2, 3]
    };"""
    config = assignments(code)["_CONFIG"]
    assert config["SID"] == "759001" and config["SITE_NAME"] == "湛江市人民政府"
    assert config["IS_SUB"] is False and config["n"] == 31 and config["render"] is None
    assert [n["name"] for n in config["TREE"]] == ["政府信息公开指南", "政府信息公开年报"]
    assert js_value("[1, 'a', {b: null}]") == [1, "a", {"b": None}]
    assert js_value("garbage(") is None


def test_endpoint_templates_from_minified_and_plain_code():
    chunk = 'i.a.get("/gkmlpt/api/all/"+t+"?page="+e+"&sid="+window._CONFIG.SID).then(function(t){n.list=t.data}))'
    assert [t.text for t in url_templates(chunk)] == ["/gkmlpt/api/all/{t}?page={e}&sid={SID}"]
    jquery = """var api = '/api/xxgk/list', size = 10;
        $.ajax({url: api + '?colid=' + $('#list').attr('data-colid') + '&pageIndex=' + p + '&pageSize=' + size});"""
    assert [t.text for t in url_templates(jquery)] == ["/api/xxgk/list?colid={colid}&pageIndex={p}&pageSize=10"]
    # static files and page markup are no endpoints
    assert url_templates("var a = '/static/js/app.js'; var b = '<li><a href=\"' + u + '\">';") == []


def test_report_categories_are_found_by_name_in_any_tree():
    tree = [{"id": 1, "name": "政府信息公开指南"},
            {"catid": "33", "catname": "法定主动公开内容", "children": [{"catid": "35", "catname": "年度报告"}]},
            {"id": 9, "name": "政府网站工作年度报表"}, {"id": 7, "title": "政府信息公开工作年度报告"}]
    assert report_categories(tree) == ["35", "7"]


def test_a_template_is_filled_from_the_page_context():
    html = ('<ul id="xz" data-colid="1229137263"></ul><input type="hidden" name="unitid" value="330122">'
            '<script>var webid = "3061";</script>')
    ctx = page_context(html, "http://www.tonglu.gov.cn/col/col1229137263/index.html")
    urls = fill(Template("/api/list?unitid={u}&colid={c}&pageIndex={p}&webid={webid}"), ctx,
                "http://www.tonglu.gov.cn/col/col1229137263/index.html")
    assert urls == [f"http://www.tonglu.gov.cn/api/list?unitid=330122&colid=1229137263&pageIndex={PAGE}&webid=3061"]
    # a site key nobody names: no request (its reply would be empty)
    assert fill(Template("/api/list?sid={s}&page={p}"), PageContext(), "http://x.gov.cn/") == []


def test_a_tree_without_a_report_category_asks_nothing():
    ctx = script_context("window._CONFIG = {SID: 's1', TREE: [{id: 1, name: '机构职能'}]}")
    assert ctx.trees and ctx.categories == []
    assert fill(Template("/gkmlpt/api/all/{t}?page={e}&sid={SID}"), ctx, "http://x.gov.cn/gkmlpt/index") == []


def test_gkmlpt_is_known_when_its_chunk_cannot_be_read():
    ctx = page_context("<script>window._CONFIG={SID:'759012',TREE:[{id:1203,name:'政府信息公开工作年度报告'}]}</script>",
                       "http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index")
    urls = endpoint_urls(ctx, family_templates("http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index", ctx),
                         "http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index", ANY)
    # the directory's own endpoint, and the platform's root one (which answers by SID on some sites)
    assert urls == [f"http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/api/all/1203?page={PAGE}&sid=759012",
                    f"http://www.zhanjiang.gov.cn/gkmlpt/api/all/1203?page={PAGE}&sid=759012"]
    assert family_templates("http://www.x.gov.cn/col/col1/index.html", ctx) == []


def test_script_files_same_host_libraries_last_or_out():
    html = ('<link href="/gkmlpt/static/js/chunk-1.js" rel="prefetch"><script src="/js/jquery-1.12.min.js"></script>'
            '<script src="http://other.example.com/x.js"></script><script src="/js/common.js"></script>'
            '<script src="/js/list.js"></script>')
    ok = lambda u: u.startswith("http://www.x.gov.cn/")   # noqa: E731
    assert script_sources(html, "http://www.x.gov.cn/a/", ok) == [
        "http://www.x.gov.cn/gkmlpt/static/js/chunk-1.js", "http://www.x.gov.cn/js/list.js", "http://www.x.gov.cn/js/common.js"]


def test_a_datastore_with_no_total_asks_for_the_next_group():
    records = "".join(f"<record><![CDATA[<li><a href='/art/2024/1/{i}/art_5_{i}.html'>t{i}</a></li>]]></record>"
                      for i in range(1, 16))
    page = ("<script type='text/xml'><datastore><nextgroup><![CDATA[<a href='/module/web/jpage/dataproxy.jsp?page=1"
            "&appid=1&webid=3061&path=/&columnid=5&unitid=9&permissiontype=0'></a>]]></nextgroup><recordset>"
            f"{records}</recordset></datastore></script><script>$('#d').jpage({{perPage: 15}})</script>")
    listing = hanweb_listing(page, "http://www.x.gov.cn/col/col5/index.html")
    assert listing.total is None and listing.open_ended and len(listing.entries) == 15
    [(url, form)] = listing.posts
    assert url.endswith("dataproxy.jsp?startrecord=16&endrecord=60&perpage=15") and form["columnid"] == "5"
    # with a total, every group at once, as before
    with_total = page.replace("<recordset>", "<totalrecord>40</totalrecord><recordset>")
    assert len(hanweb_listing(with_total, "http://www.x.gov.cn/col/col5/index.html").posts) == 1
    assert not hanweb_listing(with_total, "http://www.x.gov.cn/col/col5/index.html").open_ended


def test_replies_of_any_kind_give_entries():
    data = {"code": 200, "data": {"list": [{"title": "分水镇2023年政府信息公开工作年度报告", "url": "/art/1.html",
                                            "publish_time": 1706000000}], "totalCount": 12}}
    [entry] = reply_entries(data, b"", "http://x.gov.cn/api", "http://x.gov.cn/col/")
    assert entry.url == "http://x.gov.cn/art/1.html" and entry.date == "2024-01-23"
    assert json_total_count(data) == 12
    xml = b"<datastore><recordset><record><![CDATA[<a href='/art/2.html'>t</a>]]></record></recordset></datastore>"
    assert [l.url for l in reply_entries(None, xml, "http://x.gov.cn/p", "http://x.gov.cn/")] == ["http://x.gov.cn/art/2.html"]
    assert declared_total("<span>共 7 条</span>") == 7 and declared_total("<p>无</p>") is None


def test_sibling_tabs_and_department_lists_of_the_same_shape():
    url = "http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=16"
    links = [Link("http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=17", "部门"),
             Link("http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=18", "乡镇（街道）"),
             Link("http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=19", "磁县教育局"),
             Link("http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=2", "新闻中心"),
             Link("http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=3", "政策解读"),
             Link("http://www.cixian.gov.cn/index.php?m=content&c=index&a=show&catid=16&id=5", "部门"),
             Link("http://www.cixian.gov.cn/zwgk/bm/", "部门")]
    assert [l.text for l in sibling_links(links, url, ANY)] == ["部门", "乡镇（街道）", "磁县教育局"]


def test_a_cut_title_is_taken_whole_from_the_title_attribute():
    full = "磁县人民政府办公室2023年政府信息公开工作年度报告"
    html = (f'<ul><li><a href="index.php?m=content&amp;c=index&amp;a=show&amp;catid=16&amp;id=88" title="{full}">'
            f'磁县人民政府办公室2023年政府信息公…</a><span>2024-01-20</span></li></ul>')
    plan = plan_page("http://www.cixian.gov.cn/index.php?m=content&c=index&a=lists&catid=16", html, "column", ANY)
    assert [(l.text, l.date) for l in plan.reports] == [(full, "2024-01-20")]


def test_platform_directories_are_followed_from_any_page():
    links = [Link("http://www.zhanjiang.gov.cn/gkmlpt/index", "政府信息公开目录"),
             Link("http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index#1203", "湛江市财政局"),
             Link("http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/content/1/1/post_1.html", "报告")]
    assert [l.url for l in directory_links(links, ANY)] == ["http://www.zhanjiang.gov.cn/gkmlpt/index",
                                                            "http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index"]
    html = "".join(f'<a href="{l.url}">{l.text}</a>' for l in links)
    plan = plan_page("http://www.zhanjiang.gov.cn/zwgk/index.html", html, "area", ANY)
    assert len(plan.directories) == 2 and not any("gkmlpt/index" in a.url for a in plan.areas)


def test_ajax_calls_with_their_parameters_in_an_object():
    code = """var page = 1;
        function load() { $.ajax({url: '/xxgk/api/getList.do', type: 'post', dataType: 'json',
                                  data: {columnId: $('#list').data('colid'), pageNo: page, pageSize: 15},
                                  success: function (r) { render(r.rows) }}); }
        axios.get(base + '/api/v1/list', {params: {catid: window.CATID, page: this.page}});"""
    found = {(t.text, t.method) for t in url_templates(code)}
    assert ("/xxgk/api/getList.do?columnId={colid}&pageNo=1&pageSize=15", "POST") in found
    assert ("/api/v1/list?catid={CATID}&page=1", "GET") in found      # page: the page (fill)
    ctx = page_context('<ul id="list" data-colid="88"></ul>', "http://x.gov.cn/col/")
    urls = endpoint_urls(ctx, url_templates(code), "http://x.gov.cn/col/", ANY)
    assert f"POST http://x.gov.cn/xxgk/api/getList.do?columnId=88&pageNo={PAGE}&pageSize=15" in urls


def test_year_folders_count_only_under_a_report_category():
    tree = [{"id": 1, "name": "财政预决算", "children": [{"id": 11, "name": "2023年"}]},
            {"id": 2, "name": "政府信息公开年报", "children": [{"id": 21, "name": "2023年"}, {"id": 22, "name": "2022年度"}]}]
    assert report_categories(tree) == ["2", "21", "22"]


def test_webpack_runtime_names_its_chunks():
    from gxcrawl.crawl.discovery.scripts import script_files_named
    from gxcrawl.replicas.gkmlpt import CHUNK, MANIFEST_JS
    named = script_files_named(MANIFEST_JS, "http://www.zhanjiang.gov.cn/gkmlpt/static/js/manifest.2ae2e69a.js", ANY)
    assert named == ["http://www.zhanjiang.gov.cn" + CHUNK]


def test_json_records_under_other_key_names():
    data = {"rows": [{"infoTitle": "磁县2023年政府信息公开工作年度报告", "detailUrl": "/info/1.html", "fbsj": "2024-01-20"},
                     {"vc_title": "x", "note": "no url"}]}
    assert [(l.url, l.date) for l in json_entries(data, "http://x.gov.cn/")] == [("http://x.gov.cn/info/1.html", "2024-01-20")]


def test_a_config_given_as_json_text_and_trees_under_other_key_names():
    config = ('{"SID": "755030", "classify": [{"classify_id": 88, "classify_name": "机构职能"},'
              ' {"classify_id": 89, "classify_name": "政府信息公开年报"}]}')
    ctx = script_context(f"window._CONFIG = JSON.parse('{config}');")
    assert ctx.values["sid"] == "755030" and ctx.categories == ["89"]
