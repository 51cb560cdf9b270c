"""明溪县 (www.fjmx.gov.cn, a county of 三明 on a TRS WCM portal like its prefecture's): the
replica whose reports carry the accountability problems researchers look for, planted
among ordinary ones (gxcrawl.archive.signals must find each, and nothing else):

* 明溪县教育局 2023 prints its 2022 tables again (figures copied from its previous year);
* 明溪县自然资源局 2022 is 明溪县财政局's 2022 text under its own name (text copied from
  another body), with tables of its own;
* 明溪县卫生健康局 2022 is published on 2023-03-15, after the departments' 31 January
  (late); 明溪县雪峰镇人民政府 2023 is published in April — a township, for which the 2019
  条例 sets no date (not late);
* 明溪县人民政府 has no report for 2021 (a missing year, and the region's own report
  missing for that year);
* between two crawls a test removes 明溪县卫生健康局 2020 (its entry and its page: 404) and
  unlists 明溪县财政局 2019 (the page stays): both are withdrawn (`WITHDRAW`).

Like real reports, each body writes its own account of the year (`own_account`): what it
published on its own subjects, with its own numbers, different every year.

>>> site = PlantedCounty()
>>> sorted({m["planted"] for m in site.manifest if m.get("planted")})
['copies_figures', 'copies_text', 'late']
>>> [(m["agency"], m["year"]) for m in site.manifest if m["agency"] == "明溪县人民政府" and m["year"] == 2021]
[]
"""
from __future__ import annotations

import html as htmlmod
import random
from typing import Optional

from gxcrawl.replicas.content import ReportSpec, make_numbers, render_report
from gxcrawl.replicas.sites import Site, _tid, _ul, html_reply

e = htmlmod.escape

#: each body's own subjects (what its report tells about besides the template)
SUBJECTS = {
    "明溪县人民政府": ["重大行政决策预公开", "政府常务会议议题", "乡村振兴项目", "营商环境政策", "重点项目建设进度", "民生实事办理"],
    "明溪县财政局": ["预决算公开", "财政资金直达基层", "政府采购意向", "惠民惠农补贴发放", "政府债务限额", "国有资产管理情况"],
    "明溪县教育局": ["义务教育招生入学", "教育收费项目", "学生资助政策", "校园安全专项整治", "教师招聘公告", "课后服务安排"],
    "明溪县自然资源局": ["国土空间规划", "建设用地供应计划", "不动产登记办事指南", "矿产资源开发", "耕地保护责任", "林地征占用审批"],
    "明溪县卫生健康局": ["医疗机构执业信息", "公共卫生服务项目", "传染病防控信息", "医保药品采购", "基层医疗服务能力", "健康教育活动"],
    "明溪县雪峰镇人民政府": ["村级财务公开", "低保对象名单", "人居环境整治", "防汛抗旱准备", "农村危房改造", "乡村建设项目"],
}
SENTENCES = [
    "围绕{s}，{a}全年发布相关信息{n}条，较上年增加{m}条，做到应公开尽公开。",
    "在{s}方面，{a}编制公开目录{n}项，组织专题解读{m}次，回应群众关切。",
    "针对{s}中群众反映集中的问题，{a}通过政务新媒体发布政策问答{n}篇，开展线下宣传{m}场。",
]
#: (agency, year) → what a test does between two crawls: removed (page and entry gone) or unlisted
WITHDRAW = {("明溪县卫生健康局", 2020): "removed", ("明溪县财政局", 2019): "unlisted"}
#: (agency, year) without a report, on purpose
MISSING = (("明溪县人民政府", 2021),)
#: (agency, year) whose cross-year checks against the year before fail on purpose: the 2023
#: report of 教育局 prints its 2022 figures again (copies_figures), so 2023's 上年结转 and
#: 现行有效 do not follow from 2022, nor 2024's from what 2023 printed. Every other body's
#: numbers follow from its year before (gxcrawl.replicas.content.year_numbers).
CROSS_YEAR_BREAKS = (("明溪县教育局", 2023), ("明溪县教育局", 2024))


def own_account(agency: str, year: int) -> tuple[str, ...]:
    """Three paragraphs on three of the body's six subjects for `year` (a different first
    subject every year of six), with numbers of the year."""
    rng = random.Random(f"own|{agency}|{year}")
    subjects = SUBJECTS.get(agency) or SUBJECTS["明溪县人民政府"]
    first = year % len(subjects)
    picks = [subjects[first], subjects[(first + 1) % len(subjects)], subjects[(first + 3) % len(subjects)]]
    return tuple(SENTENCES[i].format(s=s, a=agency, n=rng.randint(12, 480), m=rng.randint(2, 40))
                 for i, s in enumerate(picks))


class PlantedCounty(Site):
    name, family = "mingxi", "trs"
    site_id = "3504210001"
    PER_PAGE = 15
    COL = "/zwgk/zfxxgknb/"

    def __init__(self, host="www.fjmx.gov.cn", site_name="明溪县人民政府", region="明溪县"):
        self.entries: list[tuple[str, str, str]] = []
        super().__init__(host, site_name, region)

    def spec(self, agency: str, year: int, serial: int, published: Optional[str] = None) -> ReportSpec:
        return ReportSpec(agency, year, region=self.region, serial=serial, phone="0598-2812345",
                          published=published, extra_prose=own_account(agency, year))

    def article(self, spec: ReportSpec) -> str:
        y, m, d = spec.published.split("-")
        path = f"{self.COL}{y}{m}/t{y}{m}{d}_{_tid(spec)}.html"
        metas = {"ArticleTitle": spec.title, "PubDate": f"{spec.published} 10:00", "ColumnName": "政府信息公开年报",
                 "ContentSource": spec.agency}
        body = (f'<div class="position">当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>'
                f'<div class="info">来源：{e(spec.agency)} 发布时间：{spec.published}</div>'
                f'<div class="TRS_Editor">{render_report(spec)}</div>')
        self.add(path, html_reply(self.page(spec.title, body, metas)))
        return path

    def list_pages(self) -> None:
        """The column's static list pages (TRS createPageHTML), newest first."""
        items = sorted(self.entries, key=lambda i: i[2], reverse=True)
        pages = [items[i:i + self.PER_PAGE] for i in range(0, len(items), self.PER_PAGE)] or [[]]
        for i, chunk in enumerate(pages):
            rel = [("./" + u.split(self.COL, 1)[1], t, d) for u, t, d in chunk]
            body = (f'<h2 class="column">政府信息公开年报</h2>{_ul(rel)}<div id="page_div"></div>'
                    f'<script type="text/javascript">createPageHTML({len(pages)}, {i}, "index", "html");</script>')
            self.add(self.COL + ("index.html" if i == 0 else f"index_{i}.html"),
                     html_reply(self.page(f"政府信息公开年报_{self.site_name}", body, {"ColumnName": "政府信息公开年报"})))

    def publish(self, spec: ReportSpec, **planted) -> None:
        path = self.article(spec)
        self.expect(path, spec, **planted)
        self.entries.append((path, spec.title, spec.published))

    def build(self) -> None:
        nav = '<a href="/zwgk/">政务公开</a> <a href="/xwzx/">新闻中心</a>'
        self.add("/", html_reply(self.page(self.site_name, '<div class="news">明溪要闻</div>', nav=nav)))
        self.add("/zwgk/index.html", html_reply(self.page("政务公开", _ul([
            ("/zwgk/zfxxgkzn/", "政府信息公开指南", ""), (self.COL, "政府信息公开年报", ""),
            ("/zwgk/czzj/", "财政资金", "")]), nav=nav)))
        serial = 0
        specs: dict[tuple[str, int], ReportSpec] = {}
        for agency in SUBJECTS:
            first = 2016 if agency == self.site_name else 2019
            for year in range(first, 2025):
                if (agency, year) in MISSING:
                    continue
                serial += 1
                published = {("明溪县卫生健康局", 2022): "2023-03-15", ("明溪县雪峰镇人民政府", 2023): "2024-04-12",
                             ("明溪县财政局", 2022): "2023-01-12", ("明溪县自然资源局", 2022): "2023-01-29"
                             }.get((agency, year))
                specs[(agency, year)] = self.spec(agency, year, serial, published)
        # the planted copies
        edu, prev = specs[("明溪县教育局", 2023)], specs[("明溪县教育局", 2022)]
        edu.numbers = {**make_numbers(f"{edu.agency}|{edu.year}|{edu.serial}"),
                       **{k: prev.numbers[k] for k in ("t2", "t3", "t4", "pre")}}
        land, finance = specs[("明溪县自然资源局", 2022)], specs[("明溪县财政局", 2022)]
        land.extra_prose = tuple(p.replace(finance.agency, land.agency) for p in finance.extra_prose)
        land.numbers = {**land.numbers, "prose": dict(finance.numbers["prose"])}
        planted = {("明溪县教育局", 2023): {"planted": "copies_figures", "copies_year": 2022},
                   ("明溪县自然资源局", 2022): {"planted": "copies_text", "copies_agency": "明溪县财政局",
                                               "copies_year": 2022},
                   ("明溪县卫生健康局", 2022): {"planted": "late"}}
        for key, spec in specs.items():
            extra = dict(planted.get(key, {}))
            if key in WITHDRAW:
                extra["withdraw"] = WITHDRAW[key]
            self.publish(spec, **extra)
        self.list_pages()
