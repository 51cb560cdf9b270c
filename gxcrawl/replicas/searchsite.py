"""闽清-like county portal whose annual reports are reachable ONLY through its site search.

Nothing on the home page names the disclosure area or the report column, none of the usual
column paths exists (they 404), and the column itself (/col/col4117/) is linked from
nowhere. The home page carries a login form and a Hanweb jsearch form
(``/jsearchfront/search.do`` with hidden ``websiteid`` / ``searchid`` / ``tpl`` and the query
field ``q``); the search answers only with the right ``websiteid`` and pages its hits five
at a time (``p=2`` …, 下一页 / 尾页). Its index starts in 2021 (older reports are only in the
column, which is one of the hits), department and township reports have no list at all
(only search hits), township titles say 信息公开年度报告 (found only by the query 年度报告),
and the hits include look-alikes (图解, 公积金, 法治政府) and a report on another portal's
host that must not be fetched.
"""
from __future__ import annotations

import html as htmlmod
from dataclasses import dataclass
from urllib.parse import quote

from gxcrawl.replicas.attachments import make_pdf
from gxcrawl.replicas.content import ReportSpec, render_report, report_lines
from gxcrawl.replicas.sites import Reply, Request, Site, _tid, _ul, html_reply

e = htmlmod.escape


@dataclass
class TownSpec(ReportSpec):
    """A township report titled …年信息公开年度报告 (no 政府…工作 in the title)."""

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年信息公开年度报告"


class SearchOnly(Site):
    name, family = "minqing", "search-only"
    WEBSITEID = "350124000000000"
    PER_PAGE = 5
    INDEX_SINCE = "2021-01-01"       # the search index was rebuilt in 2021: older pages are not in it
    COLUMN = "/col/col4117/index.html"

    def __init__(self, host="www.fjmq.gov.cn", site_name="闽清县人民政府", region="闽清县"):
        self.index: list[tuple[str, str, str, str]] = []     # (url, title, date, text)
        self.searches = 0
        super().__init__(host, site_name, region)
        self.dynamic.append(("/jsearchfront/search.do", self.search))

    # -- pages ---------------------------------------------------------------
    def art(self, colid: str, spec: ReportSpec, body_html: str = "") -> str:
        y, m, d = (int(x) for x in spec.published.split("-"))
        path = f"/art/{y}/{m}/{d}/art_{colid}_{_tid(spec)}.html"
        body = (f'<div class="title">{e(spec.title)}</div><div class="info">发布日期：{spec.published} '
                f'信息来源：{e(spec.agency)}</div><div id="zoom">{body_html or render_report(spec)}</div>')
        self.add(path, html_reply(self.page(spec.title, body, {"Generator": "大汉版通", "ArticleTitle": spec.title,
                                                                "PubDate": spec.published})))
        return path

    def indexed(self, path: str, title: str, date: str, text: str = "") -> None:
        if date >= self.INDEX_SINCE:
            self.index.append((self.url(path) if path.startswith("/") else path, title, date, text or title))

    def build(self) -> None:
        nav = ('<a href="/col/col1001/index.html">新闻中心</a> <a href="/col/col1002/index.html">办事服务</a>'
               ' <a href="/col/col1003/index.html">互动交流</a>')
        login = ('<form id="loginForm" action="/jpaas/login.do" method="post"><input type="text" name="username">'
                 '<input type="password" name="password"><input type="submit" value="登录"></form>')
        search = ('<form id="searchForm" name="searchForm" action="/jsearchfront/search.do" method="get" target="_blank">'
                  f'<input type="hidden" name="websiteid" value="{self.WEBSITEID}">'
                  '<input type="hidden" name="searchid" value="12"><input type="hidden" name="pg" value="">'
                  '<input type="hidden" name="tpl" value="1461">'
                  '<input type="text" name="q" id="q" placeholder="请输入关键词"><input type="submit" value="搜索"></form>')
        news = _ul([(f"/art/2024/5/{d}/art_1001_{d}.html", f"闽清县召开第{d}次常务会议", f"2024-05-{d:02d}")
                    for d in (6, 13, 20)])
        home = self.page(self.site_name, f'{login}{search}<div class="news">{news}</div>', {"SiteIDCode": "3501240001"},
                         nav=nav)
        self.add("/", html_reply(home))
        self.add("/index.html", html_reply(home))
        for d in (6, 13, 20):
            self.add(f"/art/2024/5/{d}/art_1001_{d}.html", html_reply(self.page(
                f"闽清县召开第{d}次常务会议", f"<div id='zoom'><p>会议研究了有关事项。</p></div>")))
        self.add("/col/col1001/index.html", html_reply(self.page("新闻中心", news, nav=nav)))
        serial = 0
        # 县政府: its own column (unlinked), 2018–2024
        column = []
        for year in range(2024, 2017, -1):
            serial += 1
            spec = ReportSpec("闽清县人民政府", year, region=self.region, serial=serial, phone="0591-22332233")
            path = self.art("4117", spec)
            self.expect(path, spec)
            column.append((path, spec.title, spec.published))
            self.indexed(path, spec.title, spec.published)
        self.add(self.COLUMN, html_reply(self.page(f"政府信息公开年报_{self.site_name}",
                                                   f"<h2>政府信息公开年报</h2>{_ul(column)}",
                                                   {"Generator": "大汉版通", "ColumnName": "政府信息公开年报"})))
        self.indexed(self.COLUMN, "政府信息公开年报", "2025-01-01", "本栏目发布闽清县人民政府政府信息公开工作年度报告")
        # 县教育局: no list anywhere, one report only as a PDF attachment
        for year in range(2024, 2020, -1):
            serial += 1
            spec = ReportSpec("闽清县教育局", year, region=self.region, serial=serial, phone="0591-22332233")
            if year == 2022:
                att = f"/picture/0/{_tid(spec)}.pdf"
                self.add(att, Reply(200, make_pdf(report_lines(spec)), "application/pdf"))
                path = self.art("4118", spec, f'<p>附件：<a href="{att}">{e(spec.title)}.pdf</a></p>')
                self.expect(path, spec, kind="pdf", also=[att])
            else:
                path = self.art("4118", spec)
                self.expect(path, spec)
            self.indexed(path, spec.title, spec.published)
        # 白樟镇: titled 信息公开年度报告 (only the query 年度报告 finds them)
        for year in range(2024, 2021, -1):
            serial += 1
            spec = TownSpec("闽清县白樟镇人民政府", year, region=self.region, serial=serial, phone="0591-22332233")
            path = self.art("4119", spec)
            self.expect(path, spec)
            self.indexed(path, spec.title, spec.published)
        # hits that are not this portal's reports
        fake = ReportSpec("闽清县人民政府", 2023, serial=990)
        tj = self.art("4120", fake, "<p><img src='/images/tj2023.png'></p><p>一图读懂</p>")
        self.indexed(tj, "图解：闽清县2023年政府信息公开工作年度报告", "2024-02-02")
        for i, title in enumerate(("闽清县住房公积金2023年年度报告", "闽清县2023年法治政府建设年度报告")):
            path = f"/art/2024/3/{i + 1}/art_1005_{i + 1}.html"
            self.add(path, html_reply(self.page(title, f"<div id='zoom'><h1>{e(title)}</h1></div>")))
            self.indexed(path, title, f"2024-03-0{i + 1}")
        self.indexed("http://www.fuzhou.gov.cn/zwgk/gknb/202401/t20240125_1.htm",
                     "福州市人民政府2023年政府信息公开工作年度报告", "2024-01-25")
        self.index.sort(key=lambda doc: doc[2], reverse=True)

    # -- the search engine ---------------------------------------------------
    def search(self, req: Request) -> Reply:
        with self.lock:
            self.searches += 1
        q, p = req.q("q").strip(), req.q("p", "1")
        page = int(p) if p.isdigit() and int(p) > 0 else 1
        if req.q("websiteid") != self.WEBSITEID:
            return html_reply(self.page("检索", "<div class='jcse-error'>参数错误：网站标识不能为空</div>"))
        hits = [doc for doc in self.index if q and (q in doc[1] or q in doc[3])]
        pages = max(1, -(-len(hits) // self.PER_PAGE))
        chunk = hits[(page - 1) * self.PER_PAGE: page * self.PER_PAGE]
        items = []
        for url, title, date, _ in chunk:
            shown = e(title).replace(e(q), f"<em>{e(q)}</em>") if q else e(title)
            items.append(f'<div class="jcse-result-box"><div class="jcse-news-title"><a href="{e(url)}" target="_blank"'
                         f' title="{e(title)}">{shown}</a></div><div class="jcse-news-abs">{e(title)}……</div>'
                         f'<div class="jcse-news-url">{e(url)}</div><span class="jcse-news-date">{date}</span></div>')

        def link(n: int, text: str) -> str:
            return (f'<a href="/jsearchfront/search.do?websiteid={self.WEBSITEID}&amp;searchid=12&amp;pg=&amp;tpl=1461'
                    f'&amp;q={quote(q)}&amp;p={n}">{text}</a>')
        pager = f"共{len(hits)}条 第{page}/{pages}页 " + link(1, "首页")
        if page > 1:
            pager += " " + link(page - 1, "上一页")
        pager += " " + " ".join(link(n, str(n)) for n in range(1, pages + 1))
        if page < pages:
            pager += " " + link(page + 1, "下一页")
        pager += " " + link(pages, "尾页")
        body = (f'<div class="jcse-search">检索词：{e(q)}</div><div id="jcse-result">{"".join(items) or "未找到相关结果"}</div>'
                f'<div class="jcse-pager">{pager}</div>')
        return html_reply(self.page(f"{q} - 站内搜索", body))
