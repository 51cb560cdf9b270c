"""The virtual portals of the scale farm (gxcrawl.replicas.scale): portal *i* of N, drawn
from a seeded RNG, with the shape of a real TRS county portal.

home ``/`` → disclosure area ``/zwgk/`` → report column ``/zwgk/zfxxgknb/`` (static
``index.html``, ``index_1.html`` … with ``createPageHTML``, ten entries a page) → 5–30
report pages of mixed generations (``pre2019`` 统计表, 2019, 2021, ``mixed``), rendered by
gxcrawl.replicas.content; one report in ten is a shell page whose report is a PDF or DOCX
attachment. The area also links look-alike columns (网站年度报表, 政府工作报告) that a
polite crawler never fetches. One portal in twenty is slow (four times the latency), one
in fifty fails (503 on every page; no true reports).

Pages are rendered when asked for (a 3,000-portal farm holds only its specs), the same
bytes every time.

>>> p = ScalePortal(3)
>>> 5 <= len(p.manifest) <= 30 and p.host == "www.s0003.scale.gov.cn"
True
>>> b"zfxxgknb" in p.answer("/zwgk/").body
True
"""
from __future__ import annotations

import hashlib
import html as htmlmod
import random
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Optional

from gxcrawl.replicas.content import ReportSpec, render_report, report_lines
from gxcrawl.replicas.sites import Reply, html_reply, not_found

e = htmlmod.escape
PER_PAGE = 10
HOST_SUFFIX = ".scale.gov.cn"
DEPARTMENTS = ("财政局", "教育局", "卫生健康局", "自然资源局", "市场监督管理局", "人力资源和社会保障局", "交通运输局",
               "住房和城乡建设局", "农业农村局", "民政局", "司法局", "应急管理局", "生态环境局", "水利局")
SLOW_EVERY, SLOW_OFFSET = 20, 7        # one portal in twenty is slow …
FAILING_EVERY, FAILING_OFFSET = 50, 13  # … one in fifty is down
SLOW_FACTOR = 4.0


@lru_cache(maxsize=1)
def counties() -> tuple[str, ...]:
    """County-level names of the region registry, in code order (the portals' places)."""
    from gxcrawl.regions import load_registry
    return tuple(r.name for r in sorted(load_registry().regions, key=lambda r: r.code) if r.level == "county")


def host_of(index: int) -> str:
    return f"www.s{index:04d}{HOST_SUFFIX}"


@dataclass(frozen=True)
class Entry:
    """One report of a portal: its spec, where its page is, and its attachment if any."""
    spec: ReportSpec
    page: str
    attachment: Optional[str] = None     # path of the PDF/DOCX holding the report

    @property
    def kind(self) -> str:
        return self.attachment.rsplit(".", 1)[1] if self.attachment else "html"


class ScalePortal:
    """Virtual portal number `index`: its pages (`answer(path)`) and true reports (`manifest`)."""

    family = "trs"

    def __init__(self, index: int):
        self.index = index
        self.host = host_of(index)
        self.place = counties()[index % len(counties())]
        self.name = f"s{index:04d}"
        self.site_name = f"{self.place}人民政府"
        self.region = self.place
        self.slow = index % SLOW_EVERY == SLOW_OFFSET
        self.failing = index % FAILING_EVERY == FAILING_OFFSET

    # -- the plan ---------------------------------------------------------------
    @cached_property
    def entries(self) -> list[Entry]:
        rng = random.Random(f"scale-portal-{self.index}")
        bodies = [self.site_name] + [self.place + d for d in rng.sample(DEPARTMENTS, 4)]
        pairs = [(a, y) for y in range(2024, 2014, -1) for a in bodies if y >= 2019 or a == self.site_name]
        count = min(rng.randint(5, 30), len(pairs))
        chosen = sorted(rng.sample(pairs, count), key=lambda p: (-p[1], bodies.index(p[0])))
        out = []
        for serial, (agency, year) in enumerate(chosen, 1):
            gen = "mixed" if year == 2023 and rng.random() < 0.3 else None
            spec = ReportSpec(agency, year, region=self.place, serial=self.index * 100 + serial, generation=gen)
            y, m, d = spec.published.split("-")
            tid = int(hashlib.md5(f"{self.index}|{agency}|{year}".encode()).hexdigest()[:7], 16)
            page = f"/zwgk/zfxxgknb/{y}{m}/t{y}{m}{d}_{tid}.html"
            attachment = None
            if rng.random() < 0.1:
                ext = "pdf" if rng.random() < 0.5 else "docx"
                attachment = f"/zwgk/zfxxgknb/{y}{m}/P0{y}{m}{d}{tid:08d}.{ext}"
            out.append(Entry(spec, page, attachment))
        return [] if self.failing else out

    @cached_property
    def manifest(self) -> list[dict]:
        """The true reports as the other replicas' manifests give them (url = the stored document)."""
        out = []
        for en in self.entries:
            urls = [self.url(en.page)] + ([self.url(en.attachment)] if en.attachment else [])
            item = {"url": urls[-1], "year": en.spec.year, "agency": en.spec.agency, "kind": en.kind, "urls": urls}
            if en.attachment:
                item["page"] = urls[0]
            out.append(item)
        return out

    @cached_property
    def routes(self) -> dict[str, tuple]:
        """path → (what, argument): the pages this portal serves."""
        r: dict[str, tuple] = {"/robots.txt": ("robots", None), "/": ("home", None), "/index.html": ("home", None),
                               "/zwgk/": ("area", None), "/zwgk/index.html": ("area", None)}
        pages = self.list_pages()
        for i in range(len(pages)):
            r["/zwgk/zfxxgknb/" + ("index.html" if i == 0 else f"index_{i}.html")] = ("list", i)
        r["/zwgk/zfxxgknb/"] = ("list", 0)
        for en in self.entries:
            r[en.page] = ("report", en)
            if en.attachment:
                r[en.attachment] = ("attachment", en)
        return r

    def list_pages(self) -> list[list[Entry]]:
        return [self.entries[i:i + PER_PAGE] for i in range(0, len(self.entries), PER_PAGE)] or [[]]

    def url(self, path: str) -> str:
        return f"http://{self.host}{path}"

    # -- serving ----------------------------------------------------------------
    def answer(self, path: str) -> Reply:
        if self.failing:
            return Reply(503, b"<html><body>Service Unavailable</body></html>", "text/html")
        what, arg = self.routes.get(path, (None, None))
        if what is None:
            return not_found()
        if what == "robots":
            return Reply(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        if what == "attachment":
            return attachment_reply(arg.spec, arg.kind)
        return html_reply(getattr(self, what + "_page")(arg))

    def chrome(self, title: str, body: str, metas: Optional[dict] = None) -> str:
        meta = {"SiteName": self.site_name, "SiteDomain": self.host, **(metas or {})}
        meta_html = "\n".join(f'<meta name="{k}" content="{e(str(v))}">' for k, v in meta.items())
        return (f'<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
                f"{meta_html}\n<title>{e(title)}</title></head>\n<body><div class=\"header\"><a href=\"/\">"
                f'{e(self.site_name)}</a> <a href="/zwgk/">政务公开</a> <a href="/hdjl/">互动交流</a></div>\n'
                f'<div class="main">{body}</div>\n<div class="footer">主办：{e(self.site_name)}办公室 '
                f'<a href="http://www.gov.cn/">中国政府网</a></div>\n</body></html>')

    def home_page(self, _) -> str:
        return self.chrome(self.site_name, f'<div class="news"><a href="/xwzx/">{e(self.place)}新闻</a></div>')

    def area_page(self, _) -> str:
        links = [("/zwgk/zfxxgkzn/", "政府信息公开指南"), ("/zwgk/zfxxgknb/", "政府信息公开年报"),
                 ("/zwgk/wzndbb/", "政府网站工作年度报表"), ("/zwgk/zfgzbg/", "政府工作报告")]
        return self.chrome("政务公开", '<ul class="list">' + "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in links)
                           + "</ul>")

    def list_page(self, i: int) -> str:
        pages = self.list_pages()
        items = "".join(f'<li><a href="./{en.page.split("/zwgk/zfxxgknb/", 1)[1]}" target="_blank" '
                        f'title="{e(en.spec.title)}">{e(en.spec.title)}</a><span>{en.spec.published}</span></li>'
                        for en in pages[i])
        body = (f'<h2 class="column">政府信息公开年报</h2><ul class="list">{items}</ul><div id="page_div"></div>'
                f'<script type="text/javascript">createPageHTML({len(pages)}, {i}, "index", "html");</script>')
        return self.chrome(f"政府信息公开年报_{self.site_name}", body, {"ColumnName": "政府信息公开年报"})

    def report_page(self, en: Entry) -> str:
        spec = en.spec
        if en.attachment:
            name = en.attachment.rsplit("/", 1)[1]
            content = f'<p>{e(spec.title)}</p><p>附件：<a href="./{name}">{e(spec.title)}.{en.kind}</a></p>'
        else:
            content = render_report(spec)
        metas = {"ArticleTitle": spec.title, "PubDate": f"{spec.published} 09:30", "ColumnName": "政府信息公开年报",
                 "ContentSource": spec.agency}
        body = (f'<div class="position">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
                f'<div class="info">来源：{e(spec.agency)} 时间：{spec.published} 10:00</div>'
                f'<div class="TRS_Editor">{content}</div>')
        return self.chrome(spec.title, body, metas)


def attachment_reply(spec: ReportSpec, kind: str) -> Reply:
    from gxcrawl.replicas.attachments import make_docx, make_pdf
    lines = report_lines(spec)
    if kind == "pdf":
        return Reply(200, make_pdf(lines), "application/pdf")
    return Reply(200, make_docx(lines), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
