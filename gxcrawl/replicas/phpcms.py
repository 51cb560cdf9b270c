"""磁县-like PHPCMS v9 county portal (Hebei's county sites run it: real roots list
`index.php?m=content&c=index&a=lists&catid=N` pages):

* every page is `index.php?m=content&c=index&a=…`: `lists&catid=N` for a category,
  `&page=N` for its further pages (PHPCMS's pager: `<a class="a1">29条</a>`, 上一页, the
  numbers with the current one a `<span>`, 下一页), `show&catid=N&id=M` for an article;
* the annual-report category (政府信息公开年报) is a parent: its page shows the latest few of
  本级 and tabs 本级 / 部门 / 乡镇 (sibling categories, other catids); 乡镇 lists no
  article, only the towns' own categories (磁州镇, 讲武城镇 …);
* titles in lists are cut by `str_cut` (…) with the whole title in the `title` attribute;
* some reports are only a PDF/DOCX under `/uploadfile/YYYY/MMDD/…`; look-alikes (图解,
  网站工作年度报表, 法治政府建设年度报告, 解读) sit in the same lists.

Built plain: a bot wall (gxcrawl/replicas/walls.py `Gated`) can be put in front of it.
"""
from __future__ import annotations

from typing import Optional

from gxcrawl.replicas.attachments import make_docx, make_pdf
from gxcrawl.replicas.content import ReportSpec, render_report, report_lines
from gxcrawl.replicas.sites import Reply, Request, Site, _tid, e, html_reply, not_found

PER_PAGE = 10
CUT = 20           # str_cut length of list titles


def lists_url(catid: int, page: int = 1) -> str:
    return f"/index.php?m=content&c=index&a=lists&catid={catid}" + (f"&page={page}" if page > 1 else "")


def show_url(catid: int, ident: int) -> str:
    return f"/index.php?m=content&c=index&a=show&catid={catid}&id={ident}"


def str_cut(title: str, length: int = CUT) -> str:
    """PHPCMS's str_cut: the first `length` characters and … when longer."""
    return title if len(title) <= length else title[:length] + "…"


class PhpcmsCounty(Site):
    name, family = "cixian", "phpcms"
    AREA, NB, OWN, DEPTS, TOWNS = 10, 760, 761, 762, 763
    TOWN_CATS = [(771, "磁县磁州镇人民政府", "磁州镇"), (772, "磁县讲武城镇人民政府", "讲武城镇")]

    def __init__(self, host="www.cixian.gov.cn", site_name="磁县人民政府", region="磁县"):
        self.categories: dict[int, dict] = {}      # catid → {"name", "items": [(url, title, date)], "body": str}
        self.articles: dict[tuple[int, int], Reply] = {}
        super().__init__(host, site_name, region)
        self.dynamic.append(("/index.php", self.route))

    # -- routing -------------------------------------------------------------------
    def route(self, req: Request) -> Reply:
        if req.path != "/index.php":
            return not_found()
        if not req.query:
            return self.static["/"]
        if req.q("m") != "content" or req.q("c") != "index":
            return not_found()
        catid = int(req.q("catid", "0")) if req.q("catid", "0").isdigit() else 0
        if req.q("a") == "lists" and catid in self.categories:
            page = int(req.q("page", "1")) if req.q("page", "1").isdigit() else 1
            return self.list_page(catid, max(1, page))
        if req.q("a") == "show":
            reply = self.articles.get((catid, int(req.q("id", "0")) if req.q("id", "0").isdigit() else 0))
            if reply is not None:
                return reply
            return html_reply(self.page("提示信息", "<div class='msg'>信息不存在或已删除</div>"))
        return not_found()

    # -- pages ---------------------------------------------------------------------
    def chrome(self, title: str, body: str, crumbs: str = "") -> Reply:
        nav = (f'<a href="/index.php">首页</a> <a href="{lists_url(2)}">新闻中心</a> <a href="{lists_url(self.AREA)}">'
               f'政务公开</a> <a href="{lists_url(5)}">政民互动</a>')
        return html_reply(self.page(title, f'<div class="crumbs">当前位置：<a href="/index.php">首页</a> &gt; {crumbs}</div>{body}',
                                    {"keywords": self.site_name, "description": self.site_name}, nav=nav))

    def pager(self, catid: int, page: int, pages: int, total: int) -> str:
        if pages <= 1:
            return ""
        parts = [f'<a class="a1">{total}条</a>', f'<a href="{lists_url(catid, max(1, page - 1))}" class="a1">上一页</a>']
        for n in range(1, pages + 1):
            parts.append(f"<span>{n}</span>" if n == page else f'<a href="{lists_url(catid, n)}">{n}</a>')
        parts.append(f'<a href="{lists_url(catid, min(pages, page + 1))}" class="a1">下一页</a>')
        return f'<div id="pages" class="text-c">{" ".join(parts)}</div>'

    def list_page(self, catid: int, page: int) -> Reply:
        cat = self.categories[catid]
        items = cat["items"]
        pages = max(1, -(-len(items) // PER_PAGE))
        if page > pages:
            page = pages              # PHPCMS answers past the end with the last page
        chunk = items[(page - 1) * PER_PAGE: page * PER_PAGE]
        rows = "".join(f'<li><span class="rt">{d}</span><a href="{e(u)}" title="{e(t)}" target="_blank">{e(str_cut(t))}</a></li>'
                       for u, t, d in chunk)
        body = (f'<div class="left"><h3>政府信息公开年报</h3>{cat.get("tabs", "")}</div>'
                f'<div class="right"><h2>{e(cat["name"])}</h2>{cat.get("body", "")}'
                f'<ul class="list lh24 f14">{rows}</ul>{self.pager(catid, page, pages, len(items))}</div>')
        return self.chrome(f"{cat['name']} - {self.site_name}", body, e(cat["name"]))

    def show(self, catid: int, spec: ReportSpec, body_html: Optional[str] = None, title: Optional[str] = None) -> str:
        ident = 1000 + _tid(spec, str(catid)) % 9000
        while (catid, ident) in self.articles:
            ident += 1
        title = title or spec.title
        body = (f'<div id="Article"><h1>{e(title)}<br/><span>{spec.published} 10:21:07　来源：{e(spec.agency)}</span></h1>'
                f'<div class="content">{render_report(spec) if body_html is None else body_html}</div></div>')
        self.articles[(catid, ident)] = self.chrome(f"{title} - {self.site_name}", body, "政府信息公开年报")
        return show_url(catid, ident)

    def attached(self, catid: int, spec: ReportSpec, kind: str) -> str:
        y, m, d = spec.published.split("-")
        att = f"/uploadfile/{y}/{m}{d}/{y}{m}{d}{_tid(spec) % 1000000:06d}.{kind}"
        data = make_pdf(report_lines(spec)) if kind == "pdf" else make_docx(report_lines(spec))
        self.add(att, Reply(200, data, "application/pdf" if kind == "pdf" else
                            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        path = self.show(catid, spec, f'<p>{e(spec.title)}</p><p>附件：<a href="{att}">{e(spec.title)}.{kind}</a></p>')
        self.expect(path, spec, kind=kind, also=[att])
        return path

    def report(self, catid: int, spec: ReportSpec, kind: str = "html") -> tuple[str, str, str]:
        if kind == "html":
            path = self.show(catid, spec)
            self.expect(path, spec)
        else:
            path = self.attached(catid, spec, kind)
        return path, spec.title, spec.published

    def lookalike(self, catid: int, title: str, date: str) -> tuple[str, str, str]:
        spec = ReportSpec("磁县人民政府", int(date[:4]) - 1, published=date, serial=990)
        return self.show(catid, spec, f"<p>{e(title)}</p><p>图文内容。</p>", title=title), title, date

    def build(self) -> None:
        home = self.chrome(self.site_name, '<div class="news"><a href="/index.php?m=content&amp;c=index&amp;a=show&amp;'
                                           'catid=2&amp;id=1">磁县要闻</a></div>')
        self.add("/", home)
        self.categories[self.AREA] = {"name": "政务公开", "items": [], "body": "<ul class='cat'>" + "".join(
            f'<li><a href="{lists_url(c)}">{n}</a></li>' for c, n in ((11, "政府信息公开指南"), (12, "政府信息公开制度"),
                                                                     (self.NB, "政府信息公开年报"), (13, "法定主动公开内容"),
                                                                     (14, "政府网站工作年度报表"))) + "</ul>"}
        tabs = ('<ul class="tabs">' + "".join(f'<li><a href="{lists_url(c)}">{n}</a></li>' for c, n in
                                              ((self.OWN, "本级"), (self.DEPTS, "部门"), (self.TOWNS, "乡镇"))) + "</ul>")
        serial = 0
        own = []
        for year in range(2024, 2014, -1):
            for agency in ("磁县人民政府", "磁县人民政府办公室"):
                if agency.endswith("办公室") and year < 2019:
                    continue
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0310-2321234",
                                  generation="mixed" if (year, agency) == (2021, "磁县人民政府") else None)
                own.append(self.report(self.OWN, spec, "pdf" if (year, agency) == (2018, "磁县人民政府") else "html"))
        own.insert(1, self.lookalike(self.OWN, "图解：磁县2023年政府信息公开工作年度报告", "2024-01-26"))
        own.insert(5, self.lookalike(self.OWN, "磁县人民政府网站2022年工作年度报表", "2023-01-12"))
        depts = []
        for year in range(2024, 2021, -1):
            for agency in ("磁县教育局", "磁县财政局", "磁县民政局"):
                serial += 1
                spec = ReportSpec(agency, year, region=self.region, serial=serial, phone="0310-2321234")
                depts.append(self.report(self.DEPTS, spec, "docx" if (year, agency) == (2023, "磁县财政局") else "html"))
        depts.insert(3, self.lookalike(self.DEPTS, "磁县财政局2023年法治政府建设年度报告", "2024-01-29"))
        self.categories[self.NB] = {"name": "政府信息公开年报", "items": own[:5], "tabs": tabs}
        self.categories[self.OWN] = {"name": "本级", "items": own, "tabs": tabs}
        self.categories[self.DEPTS] = {"name": "部门", "items": depts, "tabs": tabs}
        towns = "<ul class='cat'>" + "".join(f'<li><a href="{lists_url(c)}">{n}</a></li>' for c, _, n in self.TOWN_CATS) + "</ul>"
        self.categories[self.TOWNS] = {"name": "乡镇", "items": [], "tabs": tabs, "body": towns}
        for catid, agency, short in self.TOWN_CATS:
            items = []
            for year in (2024, 2023):
                serial += 1
                items.append(self.report(catid, ReportSpec(agency, year, region=self.region, serial=serial,
                                                           phone="0310-2321234")))
            if catid == 771:
                items.insert(1, self.lookalike(catid, f"《{agency}2023年政府信息公开工作年度报告》解读", "2024-01-30"))
            self.categories[catid] = {"name": short, "items": items, "tabs": tabs}
