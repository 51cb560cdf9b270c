"""The replica portals: every page of each virtual host, generated in memory.

Each `Site` answers `handle(Request) -> Reply` and knows its true reports (`manifest`).
Families: TRS city portal (三明), Hanweb county portal (永嘉), JSON list + 412 JS challenge
(蕉城), old GBK portal with attachments and pre-2019 reports (瑞金), district portal with
many departments and traps (晋安), a gambling spam mirror of 永嘉, and — when the shared
material is present — Hanweb portals serving the three real PDFs (洪泽, 淮安).
"""
from __future__ import annotations

import hashlib
import html as htmlmod
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import quote

from gxcrawl.replicas.attachments import make_docx, make_pdf, make_png
from gxcrawl.replicas.content import ReportSpec, render_report, report_lines

SHARED_PDF = Path(__file__).resolve().parents[3] / "shared" / "samples" / "pdf"
e = htmlmod.escape


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict          # lower-case names
    form: dict = field(default_factory=dict)

    def q(self, name: str, default: str = "") -> str:
        return (self.query.get(name) or [default])[0]

    @property
    def cookies(self) -> dict:
        out = {}
        for part in self.headers.get("cookie", "").split(";"):
            if "=" in part:
                k, v = part.strip().split("=", 1)
                out[k] = v
        return out


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)


def html_reply(text: str, charset: str = "utf-8", declare_in_header: bool = True, status: int = 200) -> Reply:
    ctype = f"text/html; charset={charset}" if declare_in_header else "text/html"
    return Reply(status, text.encode("gb18030" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset), ctype)


def not_found() -> Reply:
    return Reply(404, "<html><head><title>404</title></head><body>页面不存在</body></html>".encode())


class Site:
    """A virtual host. Subclasses fill `self.static` (path → Reply) and `self.manifest`."""
    name = "site"
    family = "html"
    #: 网站标识码 (10 digits, the first six the government's administrative code): when set,
    #: every page carries it in <meta name="SiteIDCode"> and in the footer, as real portals do
    site_id: Optional[str] = None
    #: look-alike hosts (www.<portal>.evil.com) the site redirects or links to: the farm answers
    #: them with a foreign page and counts every request in `Farm.offsite` (a crawl must send none)
    lookalikes: tuple = ()

    def __init__(self, host: str, site_name: str, region: str):
        self.host = host
        self.site_name = site_name
        self.region = region
        self.static: dict[str, Reply] = {"/robots.txt": Reply(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")}
        self.dynamic: list[tuple[str, Callable[[Request], Reply]]] = []
        self.manifest: list[dict] = []
        self.lock = threading.Lock()
        self.build()

    def build(self) -> None:  # pragma: no cover - overridden
        pass

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    def add(self, path: str, reply: Reply) -> None:
        self.static[path] = reply

    def expect(self, path: str, spec: ReportSpec, kind: str = "html", also: Optional[list[str]] = None, **extra) -> None:
        """Record a true report. `url` is where the report document is stored by the crawler: the
        attachment for a shell page (then `page` is the article page), else the page itself."""
        urls = [self.url(path)] + [self.url(p) for p in (also or [])]
        entry = {"url": urls[-1] if also else urls[0], "year": spec.year, "agency": spec.agency, "kind": kind,
                 "urls": urls}
        if also:
            entry["page"] = urls[0]
        entry.update(extra)
        self.manifest.append(entry)

    def handle(self, req: Request) -> Reply:
        for prefix, fn in self.dynamic:
            if req.path.startswith(prefix):
                return fn(req)
        reply = self.static.get(req.path)
        if reply is None and req.path.endswith("/"):
            reply = self.static.get(req.path + "index.html") or self.static.get(req.path + "index.htm")
        return reply or not_found()

    # -- page chrome ------------------------------------------------------
    def page(self, title: str, body: str, metas: Optional[dict] = None, charset: str = "utf-8",
             nav: str = "", extra_head: str = "") -> str:
        meta = {"SiteName": self.site_name, "SiteDomain": self.host, "SiteIDCode": self.site_id}
        meta.update(metas or {})
        site_id = f" 网站标识码：{e(self.site_id)}" if self.site_id else ""
        meta_html = "\n".join(f'<meta name="{k}" content="{e(str(v))}">' for k, v in meta.items() if v is not None)
        return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
{meta_html}
<title>{e(title)}</title>{extra_head}</head>
<body><div class="header"><a href="/">{e(self.site_name)}</a> {nav}</div>
<div class="main">{body}</div>
<div class="footer">主办：{e(self.site_name)}办公室 <a href="http://www.gov.cn/">中国政府网</a>
<a href="http://bszs.conac.cn/sitename?method=show&amp;id=1">党政机关</a>{site_id}</div>
</body></html>"""


def _ul(items: list[tuple[str, str, str]]) -> str:
    return "<ul class=\"list\">" + "".join(
        f'<li><a href="{e(u)}" target="_blank" title="{e(t)}">{e(t)}</a><span>{d}</span></li>' for u, t, d in items) + "</ul>"


def _date(spec: ReportSpec) -> str:
    return spec.published


def _tid(spec: ReportSpec, salt: str = "") -> int:
    return int(hashlib.md5(f"{spec.agency}{spec.year}{salt}".encode()).hexdigest()[:6], 16)


# ---------------------------------------------------------------------------------------
class TrsCity(Site):
    """三明-like TRS WCM city portal: static index.html / index_N.html lists with createPageHTML,
    a container-id variant, a document.writeln list, look-alike columns and 图解/解读 items."""
    name, family = "sanming", "trs"
    PER_PAGE = 15

    def __init__(self, host="www.sm.gov.cn", site_name="三明市人民政府", region="三明市"):
        super().__init__(host, site_name, region)

    def article(self, column: str, spec: ReportSpec, body_html: Optional[str] = None, salt: str = "") -> str:
        y, m, d = spec.published.split("-")
        path = f"/zwgk/zfxxgknb/{column}/{y}{m}/t{y}{m}{d}_{_tid(spec, salt)}.html"
        metas = {"ArticleTitle": spec.title, "PubDate": f"{spec.published} 09:30", "ColumnName": "政府信息公开年报",
                 "SiteIDCode": "3504000001", "ContentSource": spec.agency}
        body = (f'<div class="position">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
                f'<div class="info">来源：{e(spec.agency)} 时间：{spec.published} 10:00</div>'
                f'<div class="TRS_Editor">{body_html or render_report(spec)}</div>')
        self.add(path, html_reply(self.page(spec.title, body, metas)))
        return path

    def lookalike(self, column: str, title: str, date: str, text: str) -> str:
        y, m, d = date.split("-")
        path = f"/zwgk/{column}/{y}{m}/t{y}{m}{d}_{abs(hash(title)) % 99999}.html"
        self.add(path, html_reply(self.page(title, f'<div class="TRS_Editor"><h1>{e(title)}</h1><p>{e(text)}</p></div>',
                                            {"ArticleTitle": title, "ColumnName": column})))
        return path

    def paged_list(self, folder: str, items: list, title: str, container: bool = False, nav: str = "") -> None:
        pages = [items[i:i + self.PER_PAGE] for i in range(0, len(items), self.PER_PAGE)] or [[]]
        for i, chunk in enumerate(pages):
            rel = [("./" + u.split(folder, 1)[1] if u.startswith(folder) else u, t, d) for u, t, d in chunk]
            if container:
                script = f"createPageHTML('page_div', {len(pages)}, {i}, 'index', 'html', {len(items)});"
            else:
                script = f'createPageHTML({len(pages)}, {i}, "index", "html");'
            body = (f'<h2 class="column">{e(title)}</h2>{nav}{_ul(rel)}<div id="page_div"></div>'
                    f'<script type="text/javascript">{script}</script>')
            html = self.page(f"{title}_{self.site_name}", body, {"ColumnName": title})
            name = "index.html" if i == 0 else f"index_{i}.html"
            self.add(folder + name, html_reply(html))

    def build(self) -> None:
        nav = ('<a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a> <a href="/zwgk/zfgzbg/">政府工作报告</a>'
               ' <a href="/zwgk/wzndbb/">网站年度报表</a>')
        home = self.page(f"{self.site_name}", '<div class="news"><a href="/xwzx/202401/t20240105_1.html">三明新闻</a></div>'
                         '<a href="http://www.fujian.gov.cn/">福建省人民政府</a>'
                         '<div style="display:none"><a href="http://www.gzdypg.com/">365体育</a></div>'
                         # a TRS was5 site search: never used here, the column is found (it would 404)
                         '<form name="searchform" action="/was5/web/search" method="get" target="_blank">'
                         '<input type="hidden" name="channelid" value="255531"><input type="text" name="searchword">'
                         '<input type="submit" value="搜索"></form>',
                         {"SiteIDCode": "3504000001"}, nav=nav)
        self.add("/index.html", html_reply(home))
        self.add("/", html_reply(home))
        area = self.page("政务公开", _ul([("/zwgk/zfxxgkzn/", "政府信息公开指南", ""), ("/zwgk/zfxxgkzd/", "政府信息公开制度", ""),
                                        ("/zwgk/zfxxgknb/", "政府信息公开年报", ""), ("/zwgk/wzndbb/", "政府网站工作年度报表", ""),
                                        ("/zwgk/gjjndbg/", "住房公积金年度报告", ""), ("/zwgk/fzzfjs/", "法治政府建设年度报告", ""),
                                        ("/zwgk/zfgzbg/", "政府工作报告", "")]), nav=nav)
        self.add("/zwgk/index.html", html_reply(area))
        # look-alike columns, fully built so that a careless crawler would store them
        for col, title in (("wzndbb", "三明市人民政府网站{y}年工作年度报表"), ("zfgzbg", "{y}年三明市政府工作报告"),
                           ("gjjndbg", "三明市住房公积金{y}年年度报告"), ("fzzfjs", "三明市{y}年法治政府建设年度报告")):
            items = [(self.lookalike(col, title.format(y=y), f"{y + 1}-01-20", "本报表依据《政府网站发展指引》编制。"),
                      title.format(y=y), f"{y + 1}-01-20") for y in range(2019, 2025)]
            self.paged_list(f"/zwgk/{col}/", items, title.split("{")[0] or col)
        sub = ('<div class="subnav"><a href="/zwgk/zfxxgknb/szf/">市政府</a> <a href="/zwgk/zfxxgknb/szbm/">市直部门</a>'
               ' <a href="/zwgk/zfxxgknb/xsq/">县（市、区）</a></div>')
        # 市政府 (+ its office), 2015–2024, all generations; 图解/解读 companions and a 报表 item in the list
        szf: list = []
        serial = 0
        for year in range(2024, 2014, -1):
            for agency in ("三明市人民政府", "三明市人民政府办公室"):
                if agency.endswith("办公室") and year < 2019:
                    continue
                serial += 1
                gen = "mixed" if (year == 2023 and agency == "三明市人民政府") else None
                spec = ReportSpec(agency, year, region=self.region, serial=serial, generation=gen)
                path = self.article("szf", spec)
                self.expect(path, spec)
                szf.append((self.url(path), spec.title, spec.published))
            if year in (2022, 2020):
                fake = ReportSpec("三明市人民政府", year, serial=900 + year)
                tj = self.article("szf", fake, f"<p><img src='/images/tj{year}.png'></p><p>一图读懂{year}年报告</p>", salt="tj")
                szf.append((self.url(tj), f"图解：三明市{year}年政府信息公开工作年度报告", fake.published))
                jd = self.article("szf", fake, "<p>解读：年度报告的主要内容。</p>", salt="jd")
                szf.append((self.url(jd), f"解读《三明市{year}年政府信息公开工作年度报告》", fake.published))
        szf.insert(3, (self.url(self.lookalike("zfxxgknb/szf", "三明市人民政府网站2023年工作年度报表", "2024-01-15", "报表")),
                       "三明市人民政府网站2023年工作年度报表", "2024-01-15"))
        szf.insert(5, ("http://www.fujian.gov.cn/zwgk/zfxxgkzl/gknb/202403/t20240320_1.htm",
                       "福建省人民政府2023年政府信息公开工作年度报告", "2024-03-20"))
        self.paged_list("/zwgk/zfxxgknb/szf/", szf, "市政府", nav=sub)
        # 市直部门: container-id createPageHTML, some reports only as PDF / DOCX attachments
        depts = ["三明市财政局", "三明市教育局", "三明市公安局", "三明市卫生健康委员会", "三明市生态环境局"]
        szbm = []
        for year in range(2024, 2018, -1):
            for agency in depts:
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial)
                kind = "html"
                if serial % 6 == 0:
                    kind = "pdf"
                elif serial % 7 == 0:
                    kind = "docx"
                if kind == "html":
                    path = self.article("szbm", spec)
                    self.expect(path, spec)
                else:
                    y, m, d = spec.published.split("-")
                    att = f"/zwgk/zfxxgknb/szbm/{y}{m}/P0{y}{m}{d}{_tid(spec):07d}.{kind}"
                    data = make_pdf(report_lines(spec)) if kind == "pdf" else make_docx(report_lines(spec))
                    ctype = "application/pdf" if kind == "pdf" else "application/msword"
                    self.add(att, Reply(200, data, ctype))
                    shell = (f'<p>{e(spec.title)}</p><p>附件：<a href="./{att.rsplit("/", 1)[1]}">'
                             f'{e(spec.title)}.{kind}</a></p>')
                    path = self.article("szbm", spec, shell)
                    self.expect(path, spec, kind=kind, also=[att])
                szbm.append((self.url(path), spec.title, spec.published))
        self.paged_list("/zwgk/zfxxgknb/szbm/", szbm, "市直部门", container=True, nav=sub)
        # 县（市、区）: the list is written by document.writeln from inline vars
        lines = []
        for year in range(2024, 2020, -1):
            for agency in ("三明市三元区人民政府", "永安市人民政府", "三明市沙县区人民政府"):
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial)
                path = self.article("xsq", spec)
                self.expect(path, spec)
                rel = "./" + path.split("/zwgk/zfxxgknb/xsq/", 1)[1]
                lines.append(f'var url = "{rel}";\nvar title = "{spec.title}";\n'
                             f'document.writeln("<li><a href=\'" + url + "\'>" + title + "</a><span>{spec.published}</span></li>");')
        body = f'<h2>县（市、区）</h2>{sub}<ul class="list"><script>\n' + "\n".join(lines) + "\n</script></ul>"
        self.add("/zwgk/zfxxgknb/xsq/index.html", html_reply(self.page("县（市、区）", body, {"ColumnName": "县（市、区）"})))
        # the column's own landing page: sub-navigation plus the latest few
        latest = szf[:5]
        self.add("/zwgk/zfxxgknb/index.html", html_reply(self.page(
            "政府信息公开年报", f"<h2>政府信息公开年报</h2>{sub}{_ul(latest)}", {"ColumnName": "政府信息公开年报"}, nav=nav)))


# ---------------------------------------------------------------------------------------
class HanwebCounty(Site):
    """永嘉-like 大汉 jcms county portal: lists only in <script type="text/xml"> datastores,
    further records via POST /module/web/jpage/dataproxy.jsp; some reports as downfile.jsp PDFs."""
    name, family = "yongjia", "hanweb"
    PER_PAGE = 15
    SHOWN = 15

    def __init__(self, host="www.yj.gov.cn", site_name="永嘉县人民政府", region="永嘉县", webid="3431",
                 reports: Optional[list] = None, name: Optional[str] = None, site_id: Optional[str] = None):
        self.webid = webid
        self.site_id = site_id
        self.columns: dict[str, list[tuple[str, str, str]]] = {}
        self.report_plan = reports
        if name:
            self.name = name
        super().__init__(host, site_name, region)
        self.dynamic.append(("/module/web/jpage/dataproxy.jsp", self.dataproxy))

    def rec(self, u: str, t: str, d: str) -> str:
        return f"<record><![CDATA[<li><a href='{u}' title='{e(t)}' target='_blank'>{e(t)}</a><span>{d}</span></li>]]></record>"

    def column_page(self, colid: str, title: str, items: list, nav: str = "") -> None:
        self.columns[colid] = items
        shown = items[: self.SHOWN]
        params = (f"appid=1&webid={self.webid}&path=/&columnid={colid}&unitid=5555&webname={quote(self.site_name)}"
                  "&permissiontype=0")
        store = (f'<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&{params}"></a>]]>'
                 f"</nextgroup><recordset>{''.join(self.rec(*i) for i in shown)}</recordset></datastore></script>")
        script = (f"<script>$(function(){{ $('#{colid}').jpage({{dataStore: dataStore, perPage: {self.PER_PAGE}, totalRecord: {len(items)},"
                  f" proxyUrl: '/module/web/jpage/dataproxy.jsp', ajaxParam: {{col: 1, appid: 1, webid: {self.webid}, path: '/',"
                  f" columnid: {colid}, sourceContentType: 1, unitid: 5555, webname: '{self.site_name}', permissiontype: 0}} }}); }});</script>")
        body = f'<h2>{e(title)}</h2>{nav}<div id="{colid}">{store}</div>{script}'
        self.add(f"/col/col{colid}/index.html", html_reply(self.page(
            f"{title} {self.site_name}", body, {"Generator": "大汉版通", "ColumnName": title})))

    def dataproxy(self, req: Request) -> Reply:
        if req.method != "POST":
            return Reply(200, b"<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>0</totalrecord></datastore>",
                         "text/xml; charset=utf-8")
        colid = req.form.get("columnid", "")
        items = self.columns.get(colid, [])
        start = int(req.q("startrecord", "1") or 1)
        end = int(req.q("endrecord", str(start + 44)) or start + 44)
        chunk = items[start - 1:end]
        xml = (f"<?xml version='1.0' encoding='UTF-8'?><datastore><totalrecord>{len(items)}</totalrecord>"
               f"<recordset>{''.join(self.rec(*i) for i in chunk)}</recordset></datastore>")
        return Reply(200, xml.encode(), "text/xml; charset=utf-8")

    def art(self, colid: str, spec: ReportSpec, body_html: Optional[str] = None) -> str:
        y, m, d = (int(x) for x in spec.published.split("-"))
        path = f"/art/{y}/{m}/{d}/art_{colid}_{_tid(spec)}.html"
        body = (f'<div class="position">首页 &gt; 政务公开 &gt; 政府信息公开年报</div><div class="title">{e(spec.title)}</div>'
                f'<div class="info">发布日期：{spec.published} 信息来源：{e(spec.agency)}</div>'
                f'<div id="zoom">{body_html or render_report(spec)}</div>')
        self.add(path, html_reply(self.page(spec.title, body, {"Generator": "大汉版通", "ArticleTitle": spec.title,
                                                                "PubDate": spec.published})))
        return path

    def attach_shell(self, colid: str, spec: ReportSpec, data: bytes, ext: str = "pdf") -> tuple[str, str]:
        fname = f"{spec.published.replace('-', '')}{_tid(spec) % 10000:04d}.{ext}"
        att = f"/module/download/downfile.jsp?classid=0&filename={fname}"
        self.add("/module/download/downfile.jsp", Reply(404, b"missing filename"))
        self.attachments[fname] = data
        shell = f'<p>附件：<a href="{att}">{e(spec.title)}.{ext}</a></p>'
        return self.art(colid, spec, shell), att

    def download(self, req: Request) -> Reply:
        data = self.attachments.get(req.q("filename"))
        if data is None:
            return not_found()
        return Reply(200, data, "application/octet-stream",
                     {"Content-Disposition": f"attachment; filename={req.q('filename')}"})

    def build(self) -> None:
        self.attachments: dict[str, bytes] = {}
        self.dynamic.append(("/module/download/downfile.jsp", self.download))
        nav = '<a href="/col/col1229000001/index.html">政务公开</a> <a href="/col/col1229000050/index.html">新闻中心</a>'
        home = self.page(self.site_name, '<div class="news">要闻</div>', {"Generator": "大汉版通"}, nav=nav)
        self.add("/", html_reply(home))
        self.add("/index.html", html_reply(home))
        self.add("/col/col1229000001/index.html", html_reply(self.page("政务公开", _ul([
            ("/col/col1229000010/index.html", "政府信息公开指南", ""),
            ("/col/col1229000002/index.html", "政府信息公开年报", ""),
            ("/col/col1229000009/index.html", "政府网站工作年度报表", "")]), {"Generator": "大汉版通"}, nav=nav)))
        if self.report_plan is not None:      # a portal serving given documents (the real PDFs)
            items = []
            for spec, data in self.report_plan:
                path, att = self.attach_shell("1229000002", spec, data)
                self.expect(path, spec, kind="pdf", also=[att])
                items.append((path, spec.title, spec.published))
            self.column_page("1229000002", "政府信息公开年报", items)
            return
        sub = '<div class="subnav"><a href="/col/col1229000003/index.html">乡镇（街道）年报</a></div>'
        main, towns = [], []
        serial = 0
        for year in range(2024, 2014, -1):
            for agency in ("永嘉县人民政府", "永嘉县人民政府办公室", "永嘉县教育局"):
                if year < 2019 and agency != "永嘉县人民政府":
                    continue
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0577-67221234")
                if serial % 5 == 0:
                    path, att = self.attach_shell("1229000002", spec, make_pdf(report_lines(spec)))
                    self.expect(path, spec, kind="pdf", also=[att])
                else:
                    path = self.art("1229000002", spec)
                    self.expect(path, spec)
                main.append((path, spec.title, spec.published))
            for agency in ("永嘉县枫林镇人民政府", "永嘉县岩头镇人民政府", "永嘉县桥头镇人民政府"):
                if year < 2019:
                    continue
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0577-67221234")
                path = self.art("1229000003", spec)
                self.expect(path, spec)
                towns.append((path, spec.title, spec.published))
        main.insert(2, ("/art/2024/1/10/art_1229000002_9.html", "图解：永嘉县2023年政府信息公开工作年度报告", "2024-01-10"))
        self.add("/art/2024/1/10/art_1229000002_9.html", html_reply(self.page("图解", "<img src='/images/tj.png'>")))
        self.column_page("1229000002", "政府信息公开年报", main, nav=sub)
        self.column_page("1229000003", "乡镇（街道）年报", towns)
        self.column_page("1229000009", "政府网站工作年度报表", [
            (f"/art/{y + 1}/1/15/art_1229000009_{y}.html", f"永嘉县人民政府门户网站{y}年工作年度报表", f"{y + 1}-01-15")
            for y in range(2019, 2025)])


# ---------------------------------------------------------------------------------------
class JsonChallenge(Site):
    """蕉城-like Fujian platform portal: the list is filled by JavaScript from
    /fjdzapp/data (JSON, answers empty without the list page as Referer); report pages sit
    behind a 瑞数-style 412 challenge that only a browser passes (inline script sets a
    cookie and reloads)."""
    name, family = "jiaocheng", "json"
    PER_PAGE = 8
    COOKIE = "jc_clearance"

    def __init__(self, host="www.jiaocheng.gov.cn", site_name="宁德市蕉城区人民政府", region="蕉城区"):
        self.docs: list[dict] = []
        self.articles: dict[str, Reply] = {}
        super().__init__(host, site_name, region)
        self.token = hashlib.sha1(f"{host}-clearance".encode()).hexdigest()[:20]
        self.dynamic.append(("/fjdzapp/data", self.api))
        self.dynamic.append(("/zwgk/zfxxgknb/2", self.guarded))
        self.challenges = 0

    def challenge(self) -> Reply:
        codes = ",".join(str(ord(c)) for c in reversed(self.token))
        script = (f"var $_ts=window['$_ts'];if(!$_ts)$_ts={{}};$_ts.nsd=84137;"
                  f"var _p=[{codes}];var _v=_p.reverse().map(function(c){{return String.fromCharCode(c)}}).join('');"
                  f"document.cookie='{self.COOKIE}='+_v+'; path=/';setTimeout(function(){{location.reload()}},30);")
        body = f"<html><head><meta name=\"robots\" content=\"noindex\" r='m'><script>{script}</script></head><body></body></html>"
        return Reply(412, body.encode(), "text/html; charset=utf-8", {"Set-Cookie": "FSSBBIl1UgzbN7N80S=abc; path=/"})

    def guarded(self, req: Request) -> Reply:
        reply = self.articles.get(req.path)
        if reply is None:
            return not_found()
        if req.cookies.get(self.COOKIE) != self.token:
            with self.lock:
                self.challenges += 1
            return self.challenge()
        return reply

    def api(self, req: Request) -> Reply:
        referer = req.headers.get("referer", "")
        docs = self.docs if referer.startswith(f"http://{self.host}/") else []
        page = max(1, int(req.q("page", "1") or 1))
        per = int(req.q("prepage", str(self.PER_PAGE)) or self.PER_PAGE)
        chunk = docs[(page - 1) * per: page * per]
        out = {"result": "ok", "total": len(docs), "page": page, "prepage": per,
               "pagecount": -(-len(docs) // per) if docs else 0, "docs": chunk}
        return Reply(200, json.dumps(out, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def build(self) -> None:
        nav = '<a href="/zwgk/">政府信息公开</a> <a href="/xwzx/">新闻中心</a>'
        home = self.page(self.site_name, "<div>蕉城要闻</div>", {"SiteIDCode": "3509020001"}, nav=nav)
        self.add("/", html_reply(home))
        self.add("/zwgk/index.html", html_reply(self.page("政府信息公开", _ul([
            ("/zwgk/zfxxgkzn/", "政府信息公开指南", ""), ("/zwgk/zfxxgknb/", "政府信息公开年报", ""),
            ("/zwgk/zfgzbg/", "政府工作报告", "")]), nav=nav)))
        script = ("<script>var channelid='7a3cd1e0';$(function(){ $.ajax({url: '/fjdzapp/data?channelid=7a3cd1e0&sitename=jiaocheng"
                  f"&classsql=chnlid%3D1234&page=1&prepage={self.PER_PAGE}', dataType:'json', success:function(d){{render(d.docs)}}}});}});</script>")
        self.add("/zwgk/zfxxgknb/index.html", html_reply(self.page(
            "政府信息公开年报", f'<h2>政府信息公开年报</h2><ul id="list"></ul><div id="pager"></div>{script}',
            {"ColumnName": "政府信息公开年报"}, nav=nav)))
        serial = 0
        for year in range(2024, 2018, -1):
            for agency in ("宁德市蕉城区人民政府", "宁德市蕉城区人民政府办公室", "宁德市蕉城区教育局"):
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0593-2869591")
                y, m, d = spec.published.split("-")
                path = f"/zwgk/zfxxgknb/{y}{m}/t{y}{m}{d}_{_tid(spec)}.htm"
                body = (f'<div class="info">发布时间：{spec.published}</div>'
                        f'<div class="TRS_Editor">{render_report(spec)}</div>')
                self.articles[path] = html_reply(self.page(spec.title, body, {"ArticleTitle": spec.title}))
                self.expect(path, spec, browser=True)
                self.docs.append({"title": spec.title, "url": path, "pubdate": spec.published, "chnlname": "年报"})
        self.docs.insert(1, {"title": "蕉城区2023年政府信息公开工作年度报告解读", "url": "/zwgk/zcjd/202401/t20240120_1.htm",
                             "pubdate": "2024-01-20"})


# ---------------------------------------------------------------------------------------
class OldGbk(Site):
    """瑞金-like old portal: GB2312 pages declared only in <meta>, per-year sub-folders,
    pre-2019 reports with a 统计表, and reports only as PDF / DOC / DOCX / WPS attachments
    or as images (图片版)."""
    name, family = "ruijin", "old"

    def __init__(self, host="www.ruijin.gov.cn", site_name="瑞金市人民政府", region="瑞金市"):
        super().__init__(host, site_name, region)

    def gbk(self, title: str, body: str) -> Reply:
        html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                f"<title>{e(title)}</title></head><body><table width=\"960\"><tr><td>"
                f'<a href="/">{e(self.site_name)}</a> <a href="/zwgk/index.html">政务公开</a></td></tr>'
                f'<tr><td id="zoom">{body}</td></tr><tr><td>版权所有：{e(self.site_name)} 赣ICP备05004237号</td></tr></table></body></html>')
        return html_reply(html, charset="gb2312", declare_in_header=False)

    def build(self) -> None:
        home = self.gbk(f"{self.site_name}门户网站", '<a href="/zwgk/index.html">政务公开</a> <a href="/news/">瑞金新闻</a>')
        self.add("/", home)
        self.add("/index.html", home)
        self.add("/zwgk/index.html", self.gbk("政务公开", _ul([("/zwgk/gknb/index.html", "信息公开年报", ""),
                                                              ("/zwgk/gkzn/index.html", "信息公开指南", "")])))
        years = list(range(2024, 2014, -1))
        self.add("/zwgk/gknb/index.html", self.gbk("信息公开年报", "<h2>信息公开年报</h2>" + _ul(
            [(f"/zwgk/gknb/gknb{y}/index.html", f"{y}年度", "") for y in years])))
        serial = 0
        kinds = {2019: "pdf", 2020: "doc", 2021: "docx", 2022: "wps", 2023: "image"}
        for year in years:
            items = []
            agencies = ["瑞金市人民政府"] + (["瑞金市教育局"] if year <= 2018 else [])
            for agency in agencies:
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0797-2558610")
                y, m, d = spec.published.split("-")
                path = f"/zwgk/gknb/gknb{year}/{y}{m}/t{y}{m}{d}_{_tid(spec)}.html"
                kind = kinds.get(year, "html") if agency == "瑞金市人民政府" else "html"
                if agency == "瑞金市教育局" and year == 2018:
                    att = f"/uploadfiles/{y}{m}/{_tid(spec)}.pdf"
                    self.add(att, Reply(200, make_pdf(report_lines(spec)), "application/pdf"))
                    self.expect(att, spec, kind="pdf")
                    items.append((att, spec.title + ".pdf", spec.published))
                    continue
                if kind == "html":
                    body = f"<div>发布时间：{spec.published}</div>{render_report(spec)}"
                    self.add(path, self.gbk(spec.title, body))
                    self.expect(path, spec)
                elif kind == "image":
                    imgs = [f"/uploadfiles/{y}{m}/nb{year}_{i}.png" for i in (1, 2)]
                    for i, img in enumerate(imgs):
                        self.add(img, Reply(200, make_png(80, 60, 180 + i), "image/png"))
                    body = f"<h1>{e(spec.title)}</h1>" + "".join(f'<p><img src="{i}" alt="图片版"></p>' for i in imgs)
                    self.add(path, self.gbk(spec.title, body))
                    self.expect(path, spec, kind="image", needs_ocr=True)
                else:
                    att = f"/uploadfiles/{y}{m}/{_tid(spec)}.{kind}"
                    data = make_pdf(report_lines(spec)) if kind == "pdf" else make_docx(report_lines(spec))
                    self.add(att, Reply(200, data, "application/octet-stream"))
                    body = f'<h1>{e(spec.title)}</h1><p>附件：<a href="{att}">{e(spec.title)}.{kind}</a></p>'
                    self.add(path, self.gbk(spec.title, body))
                    self.expect(path, spec, kind=kind, also=[att])
                items.append((path, spec.title, spec.published))
            self.add(f"/zwgk/gknb/gknb{year}/index.html", self.gbk(f"{year}年度", f"<h2>{year}年度</h2>" + _ul(items)))


# ---------------------------------------------------------------------------------------
class DistrictTraps(Site):
    """晋安-like district portal: the column lists many departments' and towns' reports in
    sub-lists, with a calendar trap, endless query-string pagination, broken links and 500s."""
    name, family = "jinan", "trs-district"
    DEPTS = [("qzf", "福州市晋安区人民政府"), ("jyj", "福州市晋安区教育局"), ("czj", "福州市晋安区财政局"),
             ("wjj", "福州市晋安区卫生健康局"), ("yfz", "福州市晋安区岳峰镇人民政府"), ("gsz", "福州市晋安区鼓山镇人民政府"),
             ("xdz", "福州市晋安区新店镇人民政府"), ("wzjd", "福州市晋安区王庄街道办事处")]
    COL = "/xjwz/zwgk/zfxxgk/zfxxgknb/"

    def __init__(self, host="www.fzja.gov.cn", site_name="福州市晋安区人民政府", region="晋安区"):
        self.flaky: dict[str, int] = {}
        super().__init__(host, site_name, region)
        self.dynamic.append(("/xjwz/calendar/", self.calendar))
        self.dynamic.append((self.COL + "calendar.jsp", self.calendar))
        self.dynamic.append((self.COL + "search.jsp", self.endless))
        self.dynamic.append(("/xjwz/flaky/", self.flaky_page))
        self.static["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /xjwz/calendar/\n", "text/plain")
        self.calendar_hits = 0

    def calendar(self, req: Request) -> Reply:
        with self.lock:
            self.calendar_hits += 1
        y, m = int(req.q("y", "2024") or 2024), int(req.q("m", "5") or 5)
        prev = (y, m - 1) if m > 1 else (y - 1, 12)
        nxt = (y, m + 1) if m < 12 else (y + 1, 1)
        days = "".join(f'<a href="?y={y}&m={m}&d={d}">{d}</a> ' for d in range(1, 29))
        body = f'<a href="?y={prev[0]}&m={prev[1]}">上一月</a> {y}年{m}月 <a href="?y={nxt[0]}&m={nxt[1]}">下一月</a><div>{days}</div>'
        return html_reply(self.page(f"{y}年{m}月", body))

    def endless(self, req: Request) -> Reply:
        page = int(req.q("page", "1") or 1)
        items = self.all_items[:5]     # past the end the CMS keeps answering with the same page
        body = (f"<h2>政府信息公开年报</h2>{_ul(items)}<a href=\"search.jsp?page={page + 1}\">下一页</a>"
                f' <a href="calendar.jsp?date=2024-0{page % 9 + 1}">2024年0{page % 9 + 1}月</a>')
        return html_reply(self.page("政府信息公开年报", body, {"ColumnName": "政府信息公开年报"}))

    #: (department slug, year) of the hacked report page
    HACKED = ("yfz", 2022)
    GAMBLING = "http://www.365bet-example.com/"

    def hack(self, path: str, spec: ReportSpec) -> None:
        """A true report page of this portal, hacked: hidden links (display:none, off-screen,
        tiny font, marquee, a <style> class), a script sending visitors from a search engine to
        a casino (document.referrer), and cloaking — Baiduspider gets a gambling title and
        visible casino links, a visitor arriving from a search engine gets a 302 to the casino."""
        hidden = ('<div style="display:none"><a href="http://www.amjs-example.com/">澳门金沙娱乐场</a></div>'
                  '<div style="position:absolute;left:-9000px;top:-9000px">'
                  '<a href="http://www.bet365-example.net/">bet365体育在线投注</a></div>'
                  '<p style="font-size:1px"><a href="http://www.yhyl-example.com/">银河娱乐城</a></p>'
                  '<marquee width="1" height="1" scrollamount="1000"><a href="http://www.ag-example.com/">AG真人百家乐</a></marquee>'
                  '<style>.yqlj{display:none}</style><div class="yqlj"><a href="http://www.pjyl-example.com/">葡京娱乐</a></div>')
        redirect = ('<script type="text/javascript">var s=document.referrer;if(s.indexOf("baidu")>0||s.indexOf("sogou")>0'
                    f'||s.indexOf("so.com")>0){{window.location.href="{self.GAMBLING}?from=fzja";}}</script>')
        metas = {"ArticleTitle": spec.title, "ColumnName": "政府信息公开年报"}
        body = f'<div class="TRS_Editor">{render_report(spec)}</div>'
        normal = html_reply(self.page(spec.title, body + hidden, metas, extra_head=redirect))
        casino = ('<div class="tj"><a href="http://www.365bet-example.com/">365体育投注官网</a> '
                  '<a href="http://www.amjs-example.com/">澳门金沙赌场</a> <a href="http://www.ag-example.com/">AG百家乐'
                  '真人娱乐</a> 365体育在线投注，澳门金沙娱乐场官方网站，百家乐真人荷官在线发牌。</div>')
        cloaked = html_reply(self.page(f"澳门金沙赌场_365体育投注官网_{spec.title}", casino + body,
                                       {**metas, "keywords": "澳门金沙赌场,365体育投注,百家乐"}))

        def serve(req: Request) -> Reply:
            if req.path != path:
                return not_found()
            ua, referer = req.headers.get("user-agent", ""), req.headers.get("referer", "")
            if "spider" in ua.lower():
                return cloaked
            if any(se in referer for se in ("baidu.com", "sogou.com", "so.com", "sm.cn")):
                return Reply(302, b"", "text/html", {"Location": self.GAMBLING + "?from=fzja"})
            return normal
        self.dynamic.append((path, serve))

    def flaky_page(self, req: Request) -> Reply:
        with self.lock:
            n = self.flaky[req.path] = self.flaky.get(req.path, 0) + 1
        if req.path.endswith("_always.html") or n <= 1:
            return Reply(500, b"<html><body>Internal Server Error</body></html>")
        return self.static.get("/flaky-content" + req.path, not_found())

    def build(self) -> None:
        nav = ('<a href="/xjwz/zwgk/">政务公开</a> <a href="/xjwz/calendar/?y=2024&m=5">活动日历</a>'
               ' <a href="/xjwz/zwgk/zfxxgk/wzndbb/">网站年度报表</a>')
        home = self.page(self.site_name, '<div class="calendar"><a href="/xjwz/calendar/?y=2024&m=4">上月</a>'
                         '<a href="/xjwz/calendar/?y=2024&m=6">下月</a></div>', {"SiteIDCode": "3501110001"}, nav=nav)
        self.add("/", html_reply(home))
        self.add("/xjwz/zwgk/index.html", html_reply(self.page("政务公开", _ul([
            ("/xjwz/zwgk/zfxxgk/", "政府信息公开", ""), ("/xjwz/zwgk/zcjd/", "政策解读", "")]), nav=nav)))
        self.add("/xjwz/zwgk/zfxxgk/index.html", html_reply(self.page("政府信息公开", _ul([
            ("/xjwz/zwgk/zfxxgk/zfxxgkzn/", "政府信息公开指南", ""), (self.COL, "政府信息公开年报", ""),
            ("/xjwz/zwgk/zfxxgk/wzndbb/", "政府网站工作年度报表", "")]), nav=nav)))
        serial = 0
        self.all_items = []
        dept_nav = '<div class="bm">' + " ".join(
            f'<a href="{self.COL}bm/{slug}/">{name.replace("福州市晋安区", "")}</a>' for slug, name in self.DEPTS) + "</div>"
        for slug, agency in self.DEPTS:
            items = []
            first = 2015 if slug == "qzf" else 2019
            for year in range(2024, first - 1, -1):
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0591-83926179")
                y, m, d = spec.published.split("-")
                path = f"{self.COL}bm/{slug}/{y}{m}/t{y}{m}{d}_{_tid(spec)}.html"
                page = html_reply(self.page(spec.title, f'<div class="TRS_Editor">{render_report(spec)}</div>',
                                            {"ArticleTitle": spec.title, "ColumnName": "政府信息公开年报"}))
                if (slug, year) == self.HACKED:   # a hacked official page: 暗链, referrer redirect, cloaking
                    self.hack(path, spec)
                    self.expect(path, spec, hacked=["hidden-links", "referrer-redirect", "cloaking"])
                    items.append((path, spec.title, spec.published))
                    continue
                if serial % 11 == 0:      # served by a flaky backend: 500 once, then fine (retried)
                    path = f"/xjwz/flaky/{slug}/t{y}{m}{d}_{_tid(spec)}.html"
                    self.static["/flaky-content" + path] = page
                else:
                    self.add(path, page)
                self.expect(path, spec)
                items.append((path, spec.title, spec.published))
            if slug == "jyj":
                items.insert(1, (f"{self.COL}bm/{slug}/202101/t20210115_404404.html",
                                 "福州市晋安区教育局2020年政府信息公开工作年度报告（更正）", "2021-01-15"))   # broken link
                items.insert(2, ("/xjwz/flaky/jyj/t20200110_always.html",
                                 "福州市晋安区教育局2019年政府信息公开工作年度报告（旧版）", "2020-01-10"))    # always 500
            self.all_items += items
            per = 5
            pages = [items[i:i + per] for i in range(0, len(items), per)]
            for i, chunk in enumerate(pages):
                script = f'createPageHTML({len(pages)}, {i}, "index", "html");'
                cal = f'<a href="{self.COL}calendar.jsp?date=2024-05">2024年5月</a>'
                body = f"<h2>{e(agency)}</h2>{dept_nav}{_ul(chunk)}<script>{script}</script>{cal}"
                self.add(f"{self.COL}bm/{slug}/" + ("index.html" if i == 0 else f"index_{i}.html"),
                         html_reply(self.page(agency, body, {"ColumnName": "政府信息公开年报"})))
        col_body = (f"<h2>政府信息公开年报</h2>{dept_nav}{_ul(self.all_items[:5])}"
                    f'<a href="search.jsp?page=2">下一页</a> <a href="calendar.jsp?date=2024-05">2024年5月</a>')
        self.add(self.COL + "index.html", html_reply(self.page("政府信息公开年报", col_body, {"ColumnName": "政府信息公开年报"},
                                                               nav=nav)))


# ---------------------------------------------------------------------------------------
class SpamMirror(Site):
    """A gambling mirror of another replica on its own host: every page copied with the place
    name replaced by a betting brand, the domain rewritten, hidden links added."""
    name, family = "spam-mirror", "mirror"
    BRAND = "365网站手机打不开_365体育怎么打不开网址_365数字含义"

    def __init__(self, original: Site, host="www.gzdypg.com", replace: str = "永嘉县"):
        self.original, self.replace = original, replace
        super().__init__(host, f"{self.BRAND}人民政府", original.region)

    def rewrite(self, body: bytes) -> bytes:
        text = body.decode("utf-8", "replace").replace(self.replace, self.BRAND).replace(self.original.host, self.host)
        text = text.replace("</body>", '<div style="position:absolute;left:-9999px"><a href="http://www.365bet-example.com/">'
                                       "365体育投注</a></div></body>")
        return text.encode("utf-8")

    def handle(self, req: Request) -> Reply:
        if req.path == "/robots.txt":
            return self.static["/robots.txt"]
        reply = self.original.handle(req)
        if reply.content_type.startswith(("text/html", "text/xml")):
            return Reply(reply.status, self.rewrite(reply.body), reply.content_type, dict(reply.headers))
        return reply

    def build(self) -> None:
        for entry in self.original.manifest:
            copy = dict(entry)
            copy["url"] = entry["url"].replace(self.original.host, self.host)
            copy["urls"] = [u.replace(self.original.host, self.host) for u in entry["urls"]]
            copy["is_mirror"] = True
            copy["official_host"] = self.original.host
            self.manifest.append(copy)


class Decoy(Site):
    """A site on a pinyin-guessed host (www.rj.gov.cn for 瑞金) that is NOT that government:
    the spider must reject the candidate root by the site's identity and store nothing."""
    name, family = "decoy", "decoy"

    def __init__(self, host="www.rj.gov.cn", site_name="日照市科技信息网", region=""):
        super().__init__(host, site_name, region)

    def build(self) -> None:
        self.add("/", html_reply(self.page(self.site_name, _ul([("/xxgknb/", "政府信息公开年报", "")]))))
        self.add("/xxgknb/index.html", html_reply(self.page("年报", _ul([(
            "/xxgknb/202401/t20240101_1.html", "某单位2023年政府信息公开工作年度报告", "2024-01-01")]))))
        spec = ReportSpec("某单位", 2023, serial=1)
        self.add("/xxgknb/202401/t20240101_1.html", html_reply(self.page(spec.title, render_report(spec))))


def shared_pdf_sites() -> list[Site]:
    """Hanweb portals serving the three real PDFs from shared/samples/pdf (only when present)."""
    if not SHARED_PDF.is_dir():
        return []
    plans = {"hongze": ("www.hongze.gov.cn", "淮安市洪泽区人民政府", "洪泽区",
                        [("hongze-2023.pdf", "洪泽区人民政府", 2023, "2024-01-25"),
                         ("hongze-2024.pdf", "淮安市洪泽区人民政府", 2024, "2025-01-20")]),
             "huaian": ("www.huaian.gov.cn", "淮安市人民政府", "淮安市",
                        [("huaian-2024.pdf", "淮安市人民政府", 2024, "2025-03-28")])}
    out = []
    for name, (host, site_name, region, files) in plans.items():
        docs = []
        for fname, agency, year, published in files:
            path = SHARED_PDF / fname
            if path.exists():
                docs.append((ReportSpec(agency, year, region=region, published=published), path.read_bytes()))
        if docs:
            out.append(HanwebCounty(host, site_name, region, webid="51", reports=docs, name=name))
    return out
