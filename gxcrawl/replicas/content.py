"""Report content for the replica portals, generated deterministically.

Each report is a `ReportSpec` (agency, year, numbers drawn from a seeded RNG) rendered as
an HTML fragment with real ``<table>`` markup in the table generation of its year
(``pre2019`` 统计表 for 2015–2018, ``2019`` for 2019–2020, ``2021`` from 2021, and a
``mixed`` layout like hongze-2023: 2021 table 二 with 2019 table 三). Numbers are
consistent (勾稽关系 hold) so a correct parser passes every check — within a report and
across years: a body's numbers of year Y follow from its year Y-1 (`year_numbers`: this
year's 上年结转 is last year's 结转下年度, 现行有效 grows by what was issued), so the
cross-year checks fail only where a replica plants a break (gxcrawl/replicas/planted.py).
Specs with a serial from STANDALONE_SERIAL on (look-alike pages, fault pages) keep numbers
of their own.

>>> spec = ReportSpec("三明市人民政府办公室", 2019, region="三明市", serial=1)
>>> html = render_report(spec)
>>> "三明市人民政府办公室2019年政府信息公开工作年度报告" in html and "<table" in html
True
"""
from __future__ import annotations

import copy
import functools
import html as htmlmod
import random
from dataclasses import dataclass, field
from typing import Optional

T3_COLS = ["natural", "commercial", "research", "social", "legal", "other_org"]
DENIED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
          "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
REFUSED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
           "5.要求行政机关确认或重新出具已获取信息"]
OTHER_2021 = ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"]

PROSE = [
    "{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，按照上级关于政务公开工作的部署要求，"
    "坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，持续提升政务公开质量。",
    "（一）主动公开方面。全年通过政府门户网站主动公开政府信息{n1}条，发布政策解读{n2}篇，"
    "及时回应社会关切，做好重点领域信息公开。",
    "（二）依申请公开方面。健全依申请公开受理、登记、办理、答复、归档等流程，依法按时办结依申请公开事项。",
    "（三）政府信息管理方面。严格落实信息发布“三审三校”制度，动态调整主动公开基本目录。",
    "（四）平台建设方面。优化政府网站政府信息公开专栏，整合政务新媒体，拓宽公开渠道。",
    "（五）监督保障方面。将政务公开工作纳入年度绩效考核，组织开展业务培训{n3}次。",
]


@dataclass
class ReportSpec:
    agency: str
    year: int
    region: str = ""
    serial: int = 0                  # makes numbers distinct per report
    generation: Optional[str] = None  # pre2019 | 2019 | 2021 | mixed (default from year)
    published: Optional[str] = None   # YYYY-MM-DD (default: early next year, by the statutory date)
    phone: str = "0598-8231086"
    extra_title: str = ""             # e.g. a suffix seen on real titles
    numbers: dict = field(default_factory=dict)
    #: the body's own account of its year (paragraphs after the overview), as real reports have
    extra_prose: tuple = ()

    def __post_init__(self):
        if self.generation is None:
            self.generation = "pre2019" if self.year <= 2018 else "2019" if self.year <= 2020 else "2021"
        if self.published is None:
            rng = random.Random(f"{self.agency}{self.year}{self.serial}")
            month, day = rng.randint(1, 3), rng.randint(10, 28)
            if self.year >= 2019 and not self.agency.endswith(("人民政府", "街道办事处")):
                month = 1      # 2019 条例 第四十九条: a government's departments publish by 31 January
            self.published = f"{self.year + 1}-0{month}-{day}"
        if not self.numbers:
            self.numbers = (year_numbers(self.agency, self.year) if self.serial < STANDALONE_SERIAL
                            else make_numbers(f"{self.agency}|{self.year}|{self.serial}"))

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告{self.extra_title}"


#: serials from here on mark specs whose numbers stand alone (not a body's chain of years)
STANDALONE_SERIAL = 900
#: the first year of a body's chain of numbers (nothing is carried into it)
FIRST_YEAR = 2014


def year_numbers(agency: str, year: int) -> dict:
    """The numbers of `agency`'s report on `year`, following from its year before: what the
    year before carried into the next year is this year's 上年结转, and the normative
    documents in force grow by those issued (none are repealed).

    >>> a, b = year_numbers("某县人民政府", 2021), year_numbers("某县人民政府", 2022)
    >>> all(b["t3"][c]["carried"] == a["t3"][c]["next"] for c in T3_COLS)
    True
    >>> b["t2"]["normative_total"] == a["t2"]["normative_total"] + b["t2"]["normative"]
    True
    """
    return copy.deepcopy(_year_numbers(agency, year))


@functools.lru_cache(maxsize=4096)
def _year_numbers(agency: str, year: int) -> dict:
    prev = _year_numbers(agency, year - 1) if year > FIRST_YEAR else None
    return make_numbers(f"{agency}|{year}", prev=prev)


def make_numbers(seed: str, prev: Optional[dict] = None) -> dict:
    """Consistent table values: t3 rows sum per column, columns sum per row; with `prev`
    (the body's numbers of the year before) consistent with it too."""
    rng = random.Random(seed)
    cols = {c: (rng.randint(0, 40) if c == "natural" else rng.randint(0, 3)) for c in T3_COLS}
    carried = {c: (rng.randint(0, 2) if c == "natural" else 0) for c in T3_COLS}
    if prev is not None:
        carried = {c: prev["t3"][c]["next"] for c in T3_COLS}
    t3 = {}
    for c in T3_COLS:
        total = cols[c] + carried[c]
        nxt = rng.randint(0, min(2, total))
        handled = total - nxt
        granted = rng.randint(0, handled)
        partial = rng.randint(0, handled - granted)
        unable = handled - granted - partial
        t3[c] = {"new": cols[c], "carried": carried[c], "granted": granted, "partial": partial,
                 "unable.no_info": unable, "total": handled, "next": nxt}
    review = [rng.randint(0, 2) for _ in range(4)]
    suit = [rng.randint(0, 1) for _ in range(4)]
    t2 = {"normative": rng.randint(0, 30), "normative_total": rng.randint(30, 300),
          "licensing": rng.randint(0, 500), "penalty": rng.randint(0, 200),
          "procurement_items": rng.randint(0, 20), "procurement_amount": rng.randint(0, 900000)}
    if prev is not None:
        t2["normative_total"] = prev["t2"]["normative_total"] + t2["normative"]
    return {
        "t2": t2,
        "t3": t3,
        "t4": {"review": review + [sum(review)], "suit_direct": suit + [sum(suit)],
               "suit_after_review": [0, 0, 0, 0, 0]},
        "prose": {"n1": rng.randint(300, 9000), "n2": rng.randint(5, 80), "n3": rng.randint(1, 12)},
        "pre": {"active": rng.randint(500, 40000), "received": sum(cols.values())},
    }


def _td(v, attrs="") -> str:
    return f"<td{attrs}>{htmlmod.escape(str(v))}</td>"


def t2_2019(n: dict) -> str:
    t2 = n["t2"]
    return f"""<table border="1" cellspacing="0">
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>规范性文件</td>{_td(t2['normative'])}{_td(t2['normative'])}{_td(t2['normative_total'])}</tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政许可</td><td>0</td><td>0</td>{_td(t2['licensing'])}</tr>
<tr><td>其他对外管理服务事项</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>
<tr><td>行政处罚</td><td>0</td><td>0</td>{_td(t2['penalty'])}</tr>
<tr><td>行政强制</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td>上一年项目数量</td><td colspan="2">本年增/减</td></tr>
<tr><td>行政事业性收费</td><td>0</td><td colspan="2">0</td></tr>
<tr><td colspan="4">第二十条第（九）项</td></tr>
<tr><td>信息内容</td><td>采购项目数量</td><td colspan="2">采购总金额</td></tr>
<tr><td>政府集中采购</td>{_td(t2['procurement_items'])}<td colspan="2">{t2['procurement_amount']}</td></tr>
</table>"""


def t2_2021(n: dict) -> str:
    t2 = n["t2"]
    return f"""<table border="1" cellspacing="0">
<tr><td colspan="4">第二十条第（一）项</td></tr>
<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>行政规范性文件</td>{_td(t2['normative'])}<td>0</td>{_td(t2['normative_total'])}</tr>
<tr><td colspan="4">第二十条第（五）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政许可</td><td colspan="3">{t2['licensing']}</td></tr>
<tr><td colspan="4">第二十条第（六）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年处理决定数量</td></tr>
<tr><td>行政处罚</td><td colspan="3">{t2['penalty']}</td></tr>
<tr><td>行政强制</td><td colspan="3">0</td></tr>
<tr><td colspan="4">第二十条第（八）项</td></tr>
<tr><td>信息内容</td><td colspan="3">本年收费金额（单位：万元）</td></tr>
<tr><td>行政事业性收费</td><td colspan="3">0</td></tr>
</table>"""


def t3_table(n: dict, generation: str) -> str:
    t3 = n["t3"]

    def row(key: str) -> str:
        vals = [t3[c].get(key, 0) for c in T3_COLS]
        return "".join(_td(v) for v in vals) + _td(sum(vals))

    zeros = "<td>0</td>" * 7
    out = ['<table border="1" cellspacing="0">',
           '<tr><td colspan="3" rowspan="2">申请人情况</td><td rowspan="2">自然人</td>'
           '<td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
           "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
           f'<tr><td colspan="3">一、本年新收政府信息公开申请数量</td>{row("new")}</tr>',
           f'<tr><td colspan="3">二、上年结转政府信息公开申请数量</td>{row("carried")}</tr>']
    n_other = 3 if generation == "2021" else 1
    span = 2 + 8 + 3 + 5 + n_other + 1
    out.append(f'<tr><td rowspan="{span}">三、本年度办理结果</td>'
               f'<td colspan="2">（一）予以公开</td>{row("granted")}</tr>')
    out.append(f'<tr><td colspan="2">（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td>{row("partial")}</tr>')
    for i, label in enumerate(DENIED):
        head = '<td rowspan="8">（三）不予公开</td>' if i == 0 else ""
        out.append(f"<tr>{head}<td>{label}</td>{zeros}</tr>")
    for i, label in enumerate(UNABLE):
        head = '<td rowspan="3">（四）无法提供</td>' if i == 0 else ""
        cells = row("unable.no_info") if i == 0 else zeros
        out.append(f"<tr>{head}<td>{label}</td>{cells}</tr>")
    for i, label in enumerate(REFUSED):
        head = '<td rowspan="5">（五）不予处理</td>' if i == 0 else ""
        out.append(f"<tr>{head}<td>{label}</td>{zeros}</tr>")
    if n_other == 1:
        out.append(f'<tr><td colspan="2">（六）其他处理</td>{zeros}</tr>')
    else:
        for i, label in enumerate(OTHER_2021):
            head = '<td rowspan="3">（六）其他处理</td>' if i == 0 else ""
            out.append(f"<tr>{head}<td>{label}</td>{zeros}</tr>")
    out.append(f'<tr><td colspan="2">（七）总计</td>{row("total")}</tr>')
    out.append(f'<tr><td colspan="3">四、结转下年度继续办理</td>{row("next")}</tr>')
    out.append("</table>")
    return "\n".join(out)


def t4_table(n: dict) -> str:
    t4 = n["t4"]
    heads = "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
    vals = "".join(_td(v) for g in ("review", "suit_direct", "suit_after_review") for v in t4[g])
    return f"""<table border="1" cellspacing="0">
<tr><td colspan="5" rowspan="2">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>{heads}{heads}{heads}</tr>
<tr>{vals}</tr>
</table>"""


def pre2019_table(spec: ReportSpec) -> str:
    n = spec.numbers
    received = n["pre"]["received"]
    rows = [("一、主动公开情况", "——", ""),
            ("（一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）", "条", n["pre"]["active"]),
            ("其中：主动公开规范性文件数", "条", n["t2"]["normative"]),
            ("制发规范性文件总数", "件", n["t2"]["normative_total"]),
            ("二、依申请公开情况", "——", ""),
            ("（一）收到申请数", "件", received),
            ("（二）申请办结数", "件", received),
            ("三、因政府信息公开申请行政复议、提起行政诉讼情况", "——", ""),
            ("（一）维持具体行政行为数", "件", 0),
            ("四、举报投诉数量", "件", 0),
            ("五、依申请公开信息收取的费用", "万元", 0),
            ("六、机构建设和保障经费情况", "——", ""),
            ("（一）政府信息公开工作专门机构数", "个", 1),
            ("（二）从事政府信息公开工作人员数", "人", 3)]
    body = "".join(f"<tr><td>{htmlmod.escape(a)}</td><td>{b}</td><td>{c}</td></tr>" for a, b, c in rows)
    return (f"<p>附件：</p><p>政府信息公开情况统计表（{spec.year}年度）</p>"
            f"<p>填报单位（盖章）：{htmlmod.escape(spec.agency)}</p>"
            f'<table border="1" cellspacing="0"><tr><td>统计指标</td><td>单位</td><td>统计数</td></tr>{body}</table>')


def report_sections(spec: ReportSpec) -> list[tuple[str, str]]:
    """(kind, html) blocks of the report body, title excluded."""
    n, y, a = spec.numbers, spec.year, spec.agency
    e = htmlmod.escape
    intro = (f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{e(a)}{y}年政府信息公开工作年度报告。"
             f"本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。本报告电子版可在政府门户网站查阅或下载。"
             f"如对本报告有疑问，请联系{e(a)}，联系电话：{spec.phone}。")
    blocks = [("p", intro)]
    prose = [p.format(year=y, agency=e(a), **n["prose"]) for p in PROSE]
    own = [("p", e(p)) for p in spec.extra_prose]
    if spec.generation == "pre2019":
        blocks += [("h", "一、概述"), ("p", prose[0]), *own, ("p", prose[1]),
                   ("h", "二、主动公开政府信息情况"), ("p", prose[3]),
                   ("h", "三、政府信息依申请公开办理情况"),
                   ("p", f"{y}年共收到政府信息公开申请{n['pre']['received']}件，均已按时答复。"),
                   ("h", "四、政府信息公开的收费及减免情况"), ("p", "本年度未收取任何费用。"),
                   ("h", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"), ("p", "本年度无相关情况。"),
                   ("h", "六、政府信息公开工作存在的主要问题及改进措施"), ("p", prose[4]),
                   ("h", "七、其他需要报告的事项"), ("p", "无。"),
                   ("raw", pre2019_table(spec))]
        return blocks
    t2 = t2_2019(n) if spec.generation == "2019" else t2_2021(n)
    t3_gen = "2019" if spec.generation in ("2019", "mixed") else "2021"
    new_total = sum(v["new"] for v in n["t3"].values())
    blocks += [("h", "一、总体情况"), ("p", prose[0]), *own, *[("p", p) for p in prose[1:]],
               ("h", "二、主动公开政府信息情况"), ("raw", t2),
               ("h", "三、收到和处理政府信息公开申请情况"),
               ("p", f"{y}年共收到政府信息公开申请{new_total}件。"),
               ("raw", t3_table(n, t3_gen)),
               ("h", "四、政府信息公开行政复议、行政诉讼情况"), ("raw", t4_table(n)),
               ("h", "五、存在的主要问题及改进情况"),
               ("p", "一是公开内容的深度和广度有待加强；二是政策解读形式还不够丰富。下一步将加强培训，提升公开质量。"),
               ("h", "六、其他需要报告的事项"), ("p", "本年度未收取信息处理费。")]
    return blocks


def render_report(spec: ReportSpec) -> str:
    """The report as an HTML fragment (title + body), to be placed in a CMS article template."""
    out = [f'<h1 class="title">{htmlmod.escape(spec.title)}</h1>']
    for kind, text in report_sections(spec):
        if kind == "raw":
            out.append(text)
        elif kind == "h":
            out.append(f"<p><strong>{text}</strong></p>")
        else:
            out.append(f"<p>{text}</p>")
    return "\n".join(out)


def report_lines(spec: ReportSpec) -> list[list[str] | str]:
    """The report as text lines and table grids, for PDF/DOCX attachments."""
    from lxml import html as lhtml
    out: list = [spec.title]
    for kind, text in report_sections(spec):
        if kind == "raw":
            tree = lhtml.fromstring(f"<div>{text}</div>")
            for el in tree:
                if el.tag == "table":
                    out.append([[td.text_content().strip() for td in tr.findall("td")] for tr in el.iter("tr")])
                else:
                    out.append(el.text_content().strip())
        else:
            out.append(lhtml.fromstring(f"<p>{text}</p>").text_content())
    return out
