"""湛江-like Guangdong prefecture portal on the gkmlpt 政府信息公开目录 platform, which the
province, its prefectures, counties and departments all run:

* the government's directory `/gkmlpt/index` and each department's `/{dept}/gkmlpt/index`
  are Vue shells: no links, a `window._CONFIG` holding the directory's site key (SID) and
  its category tree, the Vue CLI build's scripts (`manifest`, `vendor`, `app`) and the
  list component's chunk announced by `<link rel=prefetch>`;
* the list endpoint is named only in that chunk, minified:
  `"/gkmlpt/api/all/"+t+"?page="+e+"&sid="+window._CONFIG.SID`; replies are JSON
  `{"articles": [...], "total": N}`, 10 a page, `publish_time` in unix seconds;
* the annual-report category has another id and another name in every directory
  (政府信息公开年报, 政府信息公开工作年度报告, 年度报告 under 政府信息公开), beside
  look-alike categories (政府网站工作年度报表) and 解读 items inside it;
* content pages `/…/gkmlpt/content/{a}/{b}/post_{id}.html` are static HTML; some reports are
  only a PDF (`/attachment/0/…/….pdf`) linked from a short page.

The 政务公开 page links the government's directory and the departments'.
"""
from __future__ import annotations

import datetime
import json
from typing import Optional

from gxcrawl.replicas.attachments import make_pdf
from gxcrawl.replicas.content import ReportSpec, render_report, report_lines
from gxcrawl.replicas.sites import Reply, Request, Site, _tid, _ul, e, html_reply, not_found

PER_PAGE = 10

#: (folder, department, SID, the report category's id and name, its parent's name or None)
DIRECTORIES = [
    ("", "湛江市人民政府", "759001", "2654", "政府信息公开年报", None),
    ("zjsczj", "湛江市财政局", "759012", "1203", "政府信息公开工作年度报告", None),
    ("zjsjyj", "湛江市教育局", "759015", "3317", "年度报告", "政府信息公开"),
    ("zjswjj", "湛江市卫生健康局", "759027", "412", "政府信息公开年报", None),
]
CHUNK = "/gkmlpt/static/js/chunk-2d0e5357.5f1b2c7e.js"
APP = "/gkmlpt/static/js/app.8d3c61a0.js"


def tree(cat_id: str, cat_name: str, parent: Optional[str], base: int) -> list:
    """A directory's category tree: the usual 政府信息公开目录 headings, the report category inside."""
    report = {"id": int(cat_id), "name": cat_name, "parent": 0, "children": []}
    nodes = [{"id": base + 1, "name": "政府信息公开指南", "children": []},
             {"id": base + 2, "name": "政府信息公开制度", "children": []},
             {"id": base + 3, "name": "法定主动公开内容", "children": [
                 {"id": base + 31, "name": "机构职能", "children": []},
                 {"id": base + 32, "name": "政策文件", "children": []},
                 {"id": base + 33, "name": "规划计划", "children": []},
                 {"id": base + 34, "name": "财政预决算", "children": []}]},
             {"id": base + 5, "name": "政府网站工作年度报表", "children": []}]
    if parent:
        nodes.insert(3, {"id": base + 4, "name": parent, "children": [report,
                                                                       {"id": base + 41, "name": "政府信息公开指南"}]})
    else:
        nodes.insert(3, report)
    return nodes


class GkmlptPrefecture(Site):
    name, family = "zhanjiang", "gkmlpt"

    def __init__(self, host="www.zhanjiang.gov.cn", site_name="湛江市人民政府", region="湛江市",
                 loading: str = "prefetch"):
        #: how the shell reaches its list chunk: "prefetch" (a <link rel=prefetch>, Vue CLI's build),
        #: "runtime" (only the webpack runtime's chunk map names it), "none" (the chunk is not served)
        self.loading = loading
        self.lists: dict[tuple[str, str], list[dict]] = {}     # (sid, category id) → articles, newest first
        self.files: dict[str, bytes] = {}
        super().__init__(host, site_name, region)
        self.dynamic.append(("/attachment/", self.attachment))
        self.api_calls = 0

    def handle(self, req: Request) -> Reply:
        # /gkmlpt/api/… and /{dept}/gkmlpt/api/…: the platform answers by the site key
        if "/gkmlpt/api/" in req.path:
            return self.api(req)
        return super().handle(req)

    def api(self, req: Request) -> Reply:
        with self.lock:
            self.api_calls += 1
        tail = req.path.split("/gkmlpt/api/", 1)[1]
        if not tail.startswith("all/"):
            return not_found()
        cat = tail[4:].strip("/")
        page = max(1, int(req.q("page", "1") or 1)) if req.q("page", "1").isdigit() else 1
        articles = self.lists.get((req.q("sid"), cat))
        if articles is None:
            body = {"articles": [], "total": 0}
        else:
            body = {"articles": articles[(page - 1) * PER_PAGE: page * PER_PAGE], "total": len(articles)}
        return Reply(200, json.dumps(body, ensure_ascii=False).encode(), "application/json;charset=UTF-8")

    def attachment(self, req: Request) -> Reply:
        data = self.files.get(req.path)
        return Reply(200, data, "application/pdf") if data is not None else not_found()

    # -- pages ---------------------------------------------------------------------
    def shell(self, folder: str, name: str, sid: str, nodes: list) -> str:
        config = {"SID": sid, "SITE_NAME": name, "DOMAIN": self.host, "IS_SUB": bool(folder), "TREE": nodes}
        config_js = json.dumps(config, ensure_ascii=False)
        # the config as Vue CLI templates print it: keys unquoted, strings single-quoted
        config_js = config_js.replace('"SID"', "SID").replace('"SITE_NAME"', "SITE_NAME").replace('"DOMAIN"', "DOMAIN") \
            .replace('"IS_SUB"', "IS_SUB").replace('"TREE"', "TREE").replace("true", "!0").replace("false", "!1")
        return (f"<!DOCTYPE html><html><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">"
                f"<meta name=\"SiteName\" content=\"{e(self.site_name)}\"><meta name=\"SiteDomain\" content=\"{self.host}\">"
                f"<meta name=\"SiteIDCode\" content=\"4408000001\"><title>{e(name)}政府信息公开</title>"
                f"{f'<link href={CHUNK} rel=prefetch>' if self.loading == 'prefetch' else ''}"
                f"<link href=/gkmlpt/static/css/app.6f1c2a.css rel=preload as=style>"
                f"<link href=/gkmlpt/static/js/app.8d3c61a0.js rel=preload as=script>"
                f"<link href=/gkmlpt/static/css/app.6f1c2a.css rel=stylesheet></head><body><div id=app></div>"
                f"<script>window._CONFIG = {config_js};</script>"
                f"<script src=/gkmlpt/static/js/manifest.2ae2e69a.js></script>"
                f"<script src=/gkmlpt/static/js/vendor.f1f9c3b7.js></script><script src={APP}></script></body></html>")

    def content(self, folder: str, spec: ReportSpec, ident: int, body_html: Optional[str] = None,
                title: Optional[str] = None) -> str:
        prefix = f"/{folder}" if folder else ""
        path = f"{prefix}/gkmlpt/content/{ident // 100000}/{ident // 100}/post_{ident}.html"
        title = title or spec.title
        meta = (f'<table class="introduce"><tr><td>索引号：</td><td>11440800MB2C{ident % 100000:05d}/{spec.published[:4]}-{ident % 997:05d}</td>'
                f'<td>分类：</td><td>政府信息公开年报</td></tr><tr><td>发布机构：</td><td>{e(spec.agency)}</td>'
                f'<td>成文日期：</td><td>{spec.published}</td></tr><tr><td>名称：</td><td colspan=3>{e(title)}</td></tr></table>')
        body = (f'<div class="crumb">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>{meta}<h1 class="title">{e(title)}</h1>'
                f'<div class="article-content" id="zoom">{render_report(spec) if body_html is None else body_html}</div>')
        self.add(path, html_reply(self.page(title, body, {"ArticleTitle": title, "PubDate": spec.published,
                                                          "ContentSource": spec.agency, "SiteIDCode": "4408000001"})))
        return path

    def article(self, path: str, title: str, published: str) -> dict:
        stamp = int(datetime.datetime(*(int(x) for x in published.split("-")), 9, 30,
                                      tzinfo=datetime.timezone(datetime.timedelta(hours=8))).timestamp())
        ident = int(path.rsplit("post_", 1)[1].split(".")[0])
        return {"id": ident, "title": title, "url": self.url(path), "publish_time": stamp, "first_publish_time": stamp,
                "identifier": f"11440800MB2C/{published[:4]}-{ident % 997:05d}", "classify_main_name": "政府信息公开年报"}

    def build(self) -> None:
        nav = '<a href="/zwgk/index.html">政务公开</a> <a href="/xwzx/index.html">新闻中心</a> <a href="/hdjl/index.html">互动交流</a>'
        self.add("/", html_reply(self.page(self.site_name, '<div class="news"><a href="/xwzx/zjyw/content/post_1.html">'
                                           '湛江要闻</a></div>', {"SiteIDCode": "4408000001"}, nav=nav)))
        depts = "".join(f'<li><a href="/{f}/gkmlpt/index" target="_blank">{e(n)}</a></li>' for f, n, *_ in DIRECTORIES if f)
        self.add("/zwgk/index.html", html_reply(self.page("政务公开", (
            '<div class="box"><h3>政府信息公开</h3><ul><li><a href="/gkmlpt/index" target="_blank">政府信息公开目录</a></li>'
            '<li><a href="/gkmlpt/index#1" target="_blank">政府信息公开指南</a></li>'
            '<li><a href="/zwgk/zcjd/index.html">政策解读</a></li></ul></div>'
            f'<div class="box"><h3>部门信息公开目录</h3><ul>{depts}</ul></div>'), nav=nav)))
        self.add("/gkmlpt/static/js/manifest.2ae2e69a.js", js(MANIFEST_JS))
        self.add("/gkmlpt/static/js/vendor.f1f9c3b7.js", js("/*! vendor: Vue v2.6.14, axios 0.21 */!function(){}();"))
        self.add(APP, js(APP_JS))
        if self.loading != "none":
            self.add(CHUNK, js(CHUNK_JS))
        serial = 0
        for i, (folder, agency_name, sid, cat_id, cat_name, parent) in enumerate(DIRECTORIES):
            prefix = f"/{folder}" if folder else ""
            self.add(f"{prefix}/gkmlpt/index", html_reply(self.shell(folder, agency_name, sid,
                                                                      tree(cat_id, cat_name, parent, 100 * (i + 1)))))
            articles = []
            if folder:
                bodies = [agency_name]
                first = 2019
            else:
                bodies = ["湛江市人民政府", "湛江市人民政府办公室"]
                first = 2015
            for year in range(2024, first - 1, -1):
                for agency in bodies:
                    if agency.endswith("办公室") and year < 2019:
                        continue
                    serial += 1
                    spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0759-3183512")
                    ident = 1700000 + _tid(spec) % 90000 + serial
                    if serial % 9 == 4:        # only a PDF behind a short page
                        att = f"/attachment/0/{ident // 1000}/{ident}/{_tid(spec, 'pdf')}.pdf"
                        self.files[att] = make_pdf(report_lines(spec))
                        path = self.content(folder, spec, ident, f'<p>{e(spec.title)}</p><p>附件：<a href="{att}">'
                                                                 f'{e(spec.title)}.pdf</a></p>')
                        self.expect(path, spec, kind="pdf", also=[att])
                    else:
                        path = self.content(folder, spec, ident)
                        self.expect(path, spec)
                    articles.append(self.article(path, spec.title, spec.published))
            # look-alikes filed under the report category on real directories
            fake = ReportSpec(bodies[0], 2023, published="2024-02-02", serial=880 + i)
            title = f"图解：{bodies[0]}2023年政府信息公开工作年度报告"
            path = self.content(folder, fake, 1800000 + i, "<p><img src='/attachment/tj.png'></p>", title=title)
            articles.insert(1, self.article(path, title, fake.published))
            if not folder:
                title = "湛江市人民政府网站2023年工作年度报表"
                path = self.content(folder, fake, 1800100, "<p>网站年度报表</p>", title=title)
                articles.insert(4, self.article(path, title, "2024-01-18"))
            self.lists[(sid, cat_id)] = articles


def js(code: str) -> Reply:
    return Reply(200, code.encode("utf-8"), "application/javascript; charset=utf-8")


MANIFEST_JS = ('!function(e){function r(r){for(var n,l,f=r[0],i=r[1],p=r[2],c=0,s=[];c<f.length;c++)l=f[c],o[l]&&s.push(o[l][0]),'
               'o[l]=0}var t={},o={1:0};function u(e){return a.p+"static/js/"+({}[e]||e)+"."+{"chunk-2d0e5357":"5f1b2c7e"}[e]+".js"}'
               'a.p="/gkmlpt/"}([]);')
APP_JS = ('(window["webpackJsonp"]=window["webpackJsonp"]||[]).push([["app"],{"56d7":function(t,e,n){"use strict";n.r(e);'
          'var a=n("2b0e"),i=n("8c4f");a["a"].use(i["a"]);var o=new i["a"]({routes:[{path:"/",component:function(){return '
          'n.e("chunk-2d0e5357").then(n.bind(null,"5a0c"))}},{path:"/:id",component:function(){return n.e("chunk-2d0e5357")'
          '.then(n.bind(null,"5a0c"))}}]});new a["a"]({router:o,render:function(t){return t("router-view")}}).$mount("#app")}}]);')
CHUNK_JS = ('(window["webpackJsonp"]=window["webpackJsonp"]||[]).push([["chunk-2d0e5357"],{"5a0c":function(t,e,n){"use strict";'
            'n.r(e);var a=n("bc3a"),i=n.n(a);e["default"]={name:"GkList",data:function(){return{list:[],total:0,page:1,'
            'cat:0}},created:function(){this.cat=this.$route.params.id||window._CONFIG.TREE[0].id,this.fetch(this.cat,1)},'
            'methods:{fetch:function(t,e){var n=this;i.a.get("/gkmlpt/api/all/"+t+"?page="+e+"&sid="+window._CONFIG.SID)'
            '.then(function(t){n.list=t.data.articles,n.total=t.data.total})},go:function(t){this.page=t,this.fetch(this.cat,t)}}}}}]);')
