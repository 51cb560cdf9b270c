"""Is a page an annual OGI report: its title decides when it has one; otherwise the
evidence of the body (statistics period, the statutory sections, table labels, the
Regulation cited) against the marks of notices, guides, explainers and other reports.

>>> report_score("本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。") >= 3
True
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import unquote

from gxcrawl.parse.metadata.dates import period_year
from gxcrawl.parse.metadata.text import Line
from gxcrawl.parse.metadata.title import TitleFound, report_titles_listed

_HEADING = re.compile(r"(?m)^\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]|第[一二三四五六七八九十]部分)\s*(.{0,40})$")
_TOPICS = {
    "overview": r"总体情况|概述|基本情况|基本概况|概况",
    "active": r"主动公开",
    "request": r"依申请|政府信息公开申请|申请公开",
    "review": r"行政复议|行政诉讼|复议|诉讼",
    "problems": r"存在的?主要问题|问题和改进|问题及改进|改进措施|改进情况|主要问题",
    "other": r"其他需要报告|需要说明的事项|其他事项",
    "fees": r"收费及减免|收费和减免|收费情况",
}
_SECTION_LIST = re.compile(r"(?:总体情况|概述)[、,，]?\s*主动公开")
_SELF_REF = re.compile(r"本(?:年度)?报告|本年报|本年度报告|年度报告如下|报告如下|现将.{0,40}(?:年度报告|年报)")
_STATUTE = re.compile(r"政府信息公开条例》|《条例》")
_TABLE_LABELS = re.compile(r"本年新收政府信息公开申请数量|本年新制作数量|本年制发件数|主动公开政府信息数|"
                           r"上年结转政府信息公开申请数量|收到申请数|予以公开|同意公开答复数")
_URL_HINT = re.compile(r"nb|ndbg|annualreport|年报|年度报告|xxgknb|ndbb", re.I)
_NEG_BODY = {
    "notice": re.compile(r"印发给你们|现印发|请认真贯彻执行|请认真遵照执行|通知如下|各省、自治区、直辖市|"
                         r"各县\(市\)、区人民政府|现就.{0,20}通知"),
    "guide": re.compile(r"本指南|《指南》|指南》\(以下简称"),
    "academic": re.compile(r"摘要|关键词|参考文献|Table \d|DOI|\[\d+\]|Abstract", re.I),
    "website_report": re.compile(r"网站名称|首页网址|网站标识码|政府网站工作年度报表"),
    "explainer": re.compile(r"图解|一图读懂|解读"),
    "other_report": re.compile(r"法治政府建设|各位代表|住房公积金|政府工作报告"),
}


def report_score(norm: str, url: str | None = None, meta: dict[str, str] | None = None,
                 reasons: list[str] | None = None) -> int:
    """Evidence from the body that a page is an annual OGI report (≥ 4: it is)."""
    reasons = reasons if reasons is not None else []
    score = 0

    def add(points: int, why: str) -> None:
        nonlocal score
        score += points
        reasons.append(f"{points:+d} {why}")

    head = norm[:6000]
    if period_year(head):
        add(3, "statistics period")
    if _SELF_REF.search(head):
        add(2, "speaks of itself as a report")
    topics = set()
    for m in _HEADING.finditer(head):
        for name, pattern in _TOPICS.items():
            if re.search(pattern, m.group(1)):
                topics.add(name)
    if topics:
        add(min(len(topics), 4), "section headings " + ",".join(sorted(topics)))
    if _SECTION_LIST.search(head):
        add(2, "lists the statutory sections")
    if _STATUTE.search(head):
        add(1, "cites the Regulation")
    anywhere = {n for n in ("active", "request", "review") if re.search(_TOPICS[n], head)}
    if len(anywhere) >= 2:
        add(1, "talks of " + ",".join(sorted(anywhere)))
    if _TABLE_LABELS.search(head):
        add(2, "statistics table labels")
    hint = (url or "") + " " + " ".join(v for k, v in (meta or {}).items()
                                        if k.lower() in ("columnname", "column", "channel"))
    if _URL_HINT.search(unquote(hint)):
        add(1, "url/column hint")
    for name, pattern in _NEG_BODY.items():
        zone = head[:300] if name in ("explainer", "other_report") else head
        if pattern.search(zone):
            add(-4, f"looks like a {name}")
    return score


def decide_is_report(norm: str, lines: list[Line], found: Optional[TitleFound], url: Optional[str],
                     meta: dict[str, str], reasons: list[str]) -> tuple[bool, int]:
    """(is it a report, body score): a list of report titles is an index page; a report
    title makes a report, another kind of title makes none; without a title the body
    score decides (≥ 4)."""
    score = report_score(norm, url, meta, reasons)
    listed = report_titles_listed(lines)
    if listed >= 3 and score < 4:
        reasons.append(f"a list of {listed} report titles, not a report")
        return False, score
    if found is not None and found.kind == "report":
        return True, score
    if found is not None and found.kind == "negative":
        return False, score
    reasons.append(f"no title; body score {score}")
    return score >= 4, score
