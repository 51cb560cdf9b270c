"""桐庐-like 大汉 jcms county portal of the mixed kind real counties run: the annual-report
column has tabs (县政府 / 县级部门 / 乡镇（街道）), each listed a different way —

* 县政府: a static list (`index.html`, `index_2.html` … with 下一页), one report only as a
  PDF behind its article page, a 图解 and a 网站年度报表 among the entries;
* 县级部门: a Hanweb `<script type="text/xml">` datastore whose first page carries no
  `<totalrecord>` (nor a `totalRecord` in its jpage call), further records only by POSTing
  `dataproxy.jsp?startrecord=…&endrecord=…`, whose replies carry no total either;
* 乡镇（街道）: an empty `<ul>` filled by a same-host script file (`/script/xxgk/xzlist.js`)
  from a JSON API (`/api/xxgk/list?unitid=…&colid=…&pageIndex=N`) whose replies carry no
  total: the list ends where a page comes back empty.

Mixed generations (pre-2019 统计表, 2019, 2021 tables), a DOCX, look-alikes (法治政府建设
年度报告, 解读) in every list.
"""
from __future__ import annotations

import json
from typing import Optional

from gxcrawl.replicas.attachments import make_docx, make_pdf
from gxcrawl.replicas.content import ReportSpec, render_report, report_lines
from gxcrawl.replicas.sites import Reply, Request, Site, _tid, _ul, e, html_reply, not_found

GENERATOR = {"Generator": "大汉版通"}
ON = ' class="on"'


class MixedCounty(Site):
    name, family = "tonglu", "hanweb-mixed"
    COL_AREA, COL_NB, COL_BM, COL_XZ, COL_ZN = "1229137242", "1229137260", "1229137262", "1229137263", "1229137250"
    UNITID = "330122"
    STATIC_PER_PAGE = 8
    PER_PAGE = 15                   # the datastore's first page and each jpage page
    JSON_PAGE = 5

    def __init__(self, host="www.tonglu.gov.cn", site_name="桐庐县人民政府", region="桐庐县"):
        self.records: list[tuple[str, str, str]] = []
        self.towns: list[dict] = []
        self.files: dict[str, bytes] = {}
        super().__init__(host, site_name, region)
        self.dynamic.append(("/module/web/jpage/dataproxy.jsp", self.dataproxy))
        self.dynamic.append(("/api/xxgk/list", self.town_api))
        self.dynamic.append(("/module/download/downfile.jsp", self.download))

    # -- dynamic parts -------------------------------------------------------------
    def rec(self, u: str, t: str, d: str) -> str:
        return f"<record><![CDATA[<li><a href='{u}' title='{e(t)}' target='_blank'>{e(t)}</a><span>{d}</span></li>]]></record>"

    def dataproxy(self, req: Request) -> Reply:
        if req.method != "POST" or req.form.get("columnid") != self.COL_BM:
            return Reply(200, b"<?xml version='1.0' encoding='UTF-8'?><datastore></datastore>", "text/xml; charset=utf-8")
        start = max(1, int(req.q("startrecord", "1") or 1))
        end = int(req.q("endrecord", str(start + 44)) or start + 44)
        chunk = self.records[start - 1:end]
        xml = ("<?xml version='1.0' encoding='UTF-8'?><datastore><recordset>"
               f"{''.join(self.rec(*r) for r in chunk)}</recordset></datastore>")
        return Reply(200, xml.encode(), "text/xml; charset=utf-8")

    def town_api(self, req: Request) -> Reply:
        if req.q("unitid") != self.UNITID or req.q("colid") != self.COL_XZ:
            body = {"code": 400, "msg": "参数错误", "data": None}
        else:
            page = max(1, int(req.q("pageIndex", "1") or 1))
            size = int(req.q("pageSize", str(self.JSON_PAGE)) or self.JSON_PAGE)
            chunk = self.towns[(page - 1) * size: page * size]
            body = {"code": 200, "msg": "success", "data": {"pageIndex": page, "list": chunk}}
        return Reply(200, json.dumps(body, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    def download(self, req: Request) -> Reply:
        data = self.files.get(req.q("filename"))
        if data is None:
            return not_found()
        return Reply(200, data, "application/octet-stream",
                     {"Content-Disposition": f"attachment; filename={req.q('filename')}"})

    # -- pages ---------------------------------------------------------------------
    def chrome(self, title: str, body: str, column: str = "", extra: Optional[dict] = None) -> Reply:
        nav = (f'<a href="/col/col{self.COL_AREA}/index.html">政务公开</a> <a href="/col/col1229137001/index.html">新闻中心</a>'
               ' <a href="/col/col1229137002/index.html">政民互动</a>')
        metas = {**GENERATOR, **({"ColumnName": column} if column else {}), **(extra or {})}
        return html_reply(self.page(title, body, metas, nav=nav))

    def tabs(self, here: str) -> str:
        tabs = [(self.COL_NB, "县政府"), (self.COL_BM, "县级部门"), (self.COL_XZ, "乡镇（街道）")]
        return '<div class="tab">' + "".join(
            f'<a href="/col/col{c}/index.html"{ON if c == here else ""}>{t}</a>' for c, t in tabs) + "</div>"

    def art(self, colid: str, spec: ReportSpec, body_html: Optional[str] = None, title: Optional[str] = None) -> str:
        y, m, d = (int(x) for x in spec.published.split("-"))
        path = f"/art/{y}/{m}/{d}/art_{colid}_{_tid(spec, colid)}.html"
        title = title or spec.title
        body = (f'<div class="position">首页 &gt; 政务公开 &gt; 政府信息公开年报</div><h1 class="title">{e(title)}</h1>'
                f'<div class="info">发布日期：{spec.published} 信息来源：{e(spec.agency)}</div>'
                f'<div id="zoom">{render_report(spec) if body_html is None else body_html}</div>')
        self.add(path, self.chrome(title, body, extra={"ArticleTitle": title, "PubDate": spec.published}))
        return path

    def attached(self, colid: str, spec: ReportSpec, kind: str) -> str:
        fname = f"{spec.published.replace('-', '')}{_tid(spec) % 100000:05d}.{kind}"
        self.files[fname] = make_pdf(report_lines(spec)) if kind == "pdf" else make_docx(report_lines(spec))
        att = f"/module/download/downfile.jsp?classid=0&filename={fname}"
        path = self.art(colid, spec, f'<p>{e(spec.title)}</p><p>附件：<a href="{att}">{e(spec.title)}.{kind}</a></p>')
        self.expect(path, spec, kind=kind, also=[att])
        return path

    def lookalike(self, colid: str, title: str, date: str, text: str) -> str:
        spec = ReportSpec("桐庐县人民政府", int(date[:4]) - 1, published=date, serial=777)
        return self.art(colid, spec, f"<p>{e(text)}</p>", title=title)

    def build(self) -> None:
        self.add("/", self.chrome(self.site_name, '<div class="news"><a href="/art/2024/3/1/art_1229137001_1.html">'
                                  '桐庐新闻</a></div>'))
        self.add(f"/col/col{self.COL_AREA}/index.html", self.chrome("政务公开", _ul([
            (f"/col/col{self.COL_ZN}/index.html", "政府信息公开指南", ""),
            (f"/col/col{self.COL_NB}/index.html", "政府信息公开年报", ""),
            ("/col/col1229137259/index.html", "政府网站工作年度报表", "")]), "政务公开"))
        serial = 0
        # 县政府: static list pages
        own: list[tuple[str, str, str]] = []
        for year in range(2024, 2014, -1):
            for agency in ("桐庐县人民政府", "桐庐县人民政府办公室"):
                if agency.endswith("办公室") and year < 2020:
                    continue
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0571-64211234",
                                  generation="mixed" if (year, agency) == (2022, "桐庐县人民政府") else None)
                if (year, agency) == (2019, "桐庐县人民政府"):
                    path = self.attached(self.COL_NB, spec, "pdf")
                else:
                    path = self.art(self.COL_NB, spec)
                    self.expect(path, spec)
                own.append((path, spec.title, spec.published))
        own.insert(1, (self.lookalike(self.COL_NB, "图解：桐庐县2023年政府信息公开工作年度报告", "2024-01-22", "一图读懂"),
                       "图解：桐庐县2023年政府信息公开工作年度报告", "2024-01-22"))
        own.insert(6, (self.lookalike(self.COL_NB, "桐庐县人民政府网站2022年工作年度报表", "2023-01-16", "网站报表"),
                       "桐庐县人民政府网站2022年工作年度报表", "2023-01-16"))
        pages = [own[i:i + self.STATIC_PER_PAGE] for i in range(0, len(own), self.STATIC_PER_PAGE)]
        for i, chunk in enumerate(pages):
            name = "index.html" if i == 0 else f"index_{i + 1}.html"
            pager = []
            if i > 0:
                pager.append(f'<a href="{"index.html" if i == 1 else f"index_{i}.html"}">上一页</a>')
            pager += [f'<a href="{"index.html" if j == 0 else f"index_{j + 1}.html"}">{j + 1}</a>' for j in range(len(pages))]
            if i + 1 < len(pages):
                pager.append(f'<a href="index_{i + 2}.html">下一页</a>')
            body = (f"<h2>政府信息公开年报</h2>{self.tabs(self.COL_NB)}{_ul(chunk)}"
                    f'<div class="page">共{len(pages)}页 {" ".join(pager)}</div>')
            self.add(f"/col/col{self.COL_NB}/{name}", self.chrome(f"政府信息公开年报 {self.site_name}", body, "政府信息公开年报"))
        # 县级部门: a datastore with no total anywhere
        for year in range(2024, 2020, -1):
            for agency in ("桐庐县教育局", "桐庐县财政局", "桐庐县民政局", "桐庐县卫生健康局", "桐庐县自然资源和规划局"):
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0571-64211234")
                if (year, agency) == (2022, "桐庐县民政局"):
                    path = self.attached(self.COL_BM, spec, "docx")
                else:
                    path = self.art(self.COL_BM, spec)
                    self.expect(path, spec)
                self.records.append((path, spec.title, spec.published))
        self.records.insert(4, (self.lookalike(self.COL_BM, "桐庐县财政局2023年法治政府建设年度报告", "2024-01-25", "法治政府"),
                                "桐庐县财政局2023年法治政府建设年度报告", "2024-01-25"))
        params = (f"appid=1&webid=3061&path=/&columnid={self.COL_BM}&unitid=94621&webname={self.site_name}"
                  "&permissiontype=0")
        store = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1'
                 f'&{params}"></a>]]></nextgroup><recordset>{"".join(self.rec(*r) for r in self.records[:self.PER_PAGE])}'
                 "</recordset></datastore></script>")
        script = (f"<script>$(function(){{ $('#div{self.COL_BM}').jpage({{dataStore: dataStore, perPage: {self.PER_PAGE},"
                  f" showMode: 'full', proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {{col: 1, appid: 1,"
                  f" webid: 3061, path: '/', columnid: {self.COL_BM}, sourceContentType: 1, unitid: 94621,"
                  f" webname: '{self.site_name}', permissiontype: 0}} }}); }});</script>")
        self.add(f"/col/col{self.COL_BM}/index.html", self.chrome(
            f"县级部门 {self.site_name}", f'<h2>县级部门</h2>{self.tabs(self.COL_BM)}<div id="div{self.COL_BM}">{store}</div>'
            f"{script}", "县级部门"))
        # 乡镇（街道）: filled by a script file from a JSON API
        for year in range(2024, 2020, -1):
            for agency in ("桐庐县桐君街道办事处", "桐庐县分水镇人民政府", "桐庐县富春江镇人民政府"):
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0571-64211234")
                path = self.art(self.COL_XZ, spec)
                self.expect(path, spec)
                self.towns.append({"title": spec.title, "url": path, "date": spec.published, "source": agency})
        self.towns.insert(2, {"title": "《桐庐县分水镇2023年政府信息公开工作年度报告》解读", "date": "2024-01-26",
                              "url": self.lookalike(self.COL_XZ, "《桐庐县分水镇2023年政府信息公开工作年度报告》解读",
                                                    "2024-01-26", "解读")})
        self.add(f"/col/col{self.COL_XZ}/index.html", self.chrome(
            f"乡镇（街道） {self.site_name}",
            f'<h2>乡镇（街道）</h2>{self.tabs(self.COL_XZ)}<ul class="list" id="xzlist" data-colid="{self.COL_XZ}"></ul>'
            f'<div id="xzpage"></div><script>var UNITID = "{self.UNITID}";</script>'
            '<script src="/module/jslib/jquery/jquery.js"></script><script src="/script/xxgk/xzlist.js"></script>',
            "乡镇（街道）"))
        self.add("/module/jslib/jquery/jquery.js", Reply(200, b"/*! jQuery v1.12.4 */ window.jQuery=window.$=function(){};",
                                                         "application/javascript"))
        self.add("/script/xxgk/xzlist.js", Reply(200, XZLIST_JS.encode(), "application/javascript; charset=utf-8"))


XZLIST_JS = """/* 乡镇（街道）信息公开年报列表 */
(function ($) {
    var api = '/api/xxgk/list';
    var size = 5;
    function render(list) {
        var html = '';
        for (var i = 0; i < list.length; i++) {
            html += '<li><a href="' + list[i].url + '" target="_blank">' + list[i].title + '</a><span>' + list[i].date + '</span></li>';
        }
        $('#xzlist').append(html);
    }
    function load(pageIndex) {
        $.ajax({
            url: api + '?unitid=' + UNITID + '&colid=' + $('#xzlist').data('colid') + '&pageIndex=' + pageIndex + '&pageSize=' + size,
            type: 'get', dataType: 'json',
            success: function (res) {
                if (res.code == 200 && res.data.list.length) { render(res.data.list); $('#xzpage').html('<a data-p="' + (pageIndex + 1) + '">加载更多</a>'); }
            }
        });
    }
    $(document).on('click', '#xzpage a', function () { load(parseInt($(this).data('p'))); });
    load(1);
})(jQuery);
"""
