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
# the same headings run into the text (a capture that lost its line breaks:
# …止。一、总体情况 2020年以来… 二、主动公开政府信息情况…)
_INLINE_HEADING = re.compile(r"(?<![第其统之唯单万])(?:[一二三四五六七八九十]{1,2}\s*[、.．]|第[一二三四五六七八九十]部分)\s*"
                             r"(\S{2,12})")
# the sections of the statutory report, in the order the national formats print them
STATUTORY_ORDER = ("overview", "active", "request", "review", "problems", "other")
_TOPIC_RES = {name: re.compile(pattern) for name, pattern in _TOPICS.items()}
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


def heading_topics(head: str) -> tuple[set[str], list[str]]:
    """(topics of the numbered headings, the topics in the order the headings come), from
    headings on lines of their own and from headings run into the text."""
    topics: set[str] = set()
    order: list[str] = []
    seen_at: set[int] = set()
    for regex in (_HEADING, _INLINE_HEADING):
        if regex is _INLINE_HEADING and len(topics) >= 3:
            break               # the headings on lines of their own tell enough
        for m in regex.finditer(head):
            if m.start(1) in seen_at:
                continue
            seen_at.add(m.start(1))
            heading = m.group(1)[:24]
            for name, pattern in _TOPIC_RES.items():
                if pattern.search(heading):
                    topics.add(name)
                    order.append((m.start(1), name))
                    break
    return topics, [name for _, name in sorted(order)]


def in_statutory_order(order: list[str]) -> bool:
    """Do three or more of the statutory sections come in the template's order?

    >>> in_statutory_order(["overview", "active", "request", "review"]), in_statutory_order(["review", "active"])
    (True, False)
    """
    seq = [STATUTORY_ORDER.index(t) for t in order if t in STATUTORY_ORDER]
    best = 0
    longest: list[int] = []         # longest increasing run of distinct sections
    for i, x in enumerate(seq):
        run = [x]
        for y in seq[i + 1:]:
            if y > run[-1]:
                run.append(y)
        if len(run) > best:
            best, longest = len(run), run
    return best >= 3 and longest[0] <= 1


# a form to fill in: the place, the body or the year left blank (××县, 20XX年, ____年,
# （单位名称）, （文字描述）)
_BLANK = re.compile(r"[X×xＸ*＊□]{2,4}|某某|_{2,}|＿{2,}")
_BLANK_CHARS = re.compile(r"[X×xＸ*＊□某_＿]{2}")
_BLANKED_AFTER = re.compile(r"\s*(?:年|省|市|县|区|镇|乡|街道|局|委|厅|单位|部门|人民政府|政府|办公室)")
_INSTRUCTION = re.compile(r"(?:文字描述|单位名称|机关名称|部门名称|具体网址|请填写|填写[^)）】\]]{0,8})\s*[)）】\]]")
_BARE_TITLE = re.compile(r"^\s*(?:(?:政府|政务)?信息公开|政务公开)(?:工作)?(?:年度报告|年报)\s*$")


def blanks(norm_head: str) -> list[str]:
    """The blanks of a form in the head of a text. A form blanks the year and the place
    out; a report may keep one blank its writer forgot (政府门户网站（具体网址）).

    >>> blanks("××县20XX年政府信息公开工作年度报告\\n一、总体情况（文字描述）")
    ['××县', 'XX年', '（文字描述）']
    """
    found: list[tuple[int, str]] = []
    pos = 0
    for m in _BLANK_CHARS.finditer(norm_head):          # cheap: a character class first
        if m.start() < pos:
            continue
        blank = _BLANK.match(norm_head, m.start())
        if blank:
            pos = blank.end()
            after = _BLANKED_AFTER.match(norm_head, pos)
            if after:
                found.append((m.start(), norm_head[m.start():after.end()]))
    for m in _INSTRUCTION.finditer(norm_head):
        if m.start() and norm_head[m.start() - 1] in "(（【[":
            found.append((m.start() - 1, norm_head[m.start() - 1:m.end()]))
    return [b for _, b in sorted(found)]


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
    topics, order = heading_topics(head)
    if topics:
        add(min(len(topics), 4), "section headings " + ",".join(sorted(topics)))
    if in_statutory_order(order):
        add(2, "the statutory sections in their order")
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
    if any(_BARE_TITLE.match(line) for line in head[:400].split("\n")[:8]):
        add(2, "titled only as an annual disclosure report")
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
    blank = blanks(norm[:3000])
    if len(blank) >= 3 or (len(blank) >= 2 and any(b.endswith("年") for b in blank)):
        reasons.append("a form with blanks (" + ", ".join(blank[:3]) + "), not a report")
        return False, score
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
