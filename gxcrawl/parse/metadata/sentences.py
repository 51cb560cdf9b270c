"""The sentence forms in which a report names the body that issues it, found in the
normalized head of the text (see metadata/text.py): each gives the span of the name as
written, the form's name, and what the name stands for there — the issuer itself, an
office that compiles or answers for it (X局办公室 → X局), or a region whose government
compiles for the whole region (由X市人民政府办公室综合各县…编制 → X市人民政府).

>>> [(m.form, m.role, "由济宁市体育局按照要求编制"[m.start:m.end])
...  for m in find_mentions("由济宁市体育局按照要求编制")]
[('由…编制', 'office', '济宁市体育局')]
>>> [(m.form, "2022年,宝鸡市体育局认真落实决策部署"[m.start:m.end]) for m in find_mentions("2022年,宝鸡市体育局认真落实决策部署")]
[('subject sentence', '宝鸡市体育局')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from gxcrawl.parse.metadata.text import NAME_CHARS as N

Y = r"(?:19|20)\d{2}\s*年\s*度?"
_REPORT = r"(?:政府信息公开|政务信息公开|政务公开|信息公开)"

# verbs that follow the subject of a report's first sentences (2019年,X认真贯彻…)
SUBJECT_VERBS = (r"在|认真|按照|坚持|深入|全面|严格|以|围绕|紧紧|进一步|结合|继续|积极|高度|始终|立足|聚焦|持续|"
                 r"根据|依据|着力|切实|不断|大力|紧扣|主动|扎实|稳步|依法|贯彻|共|累计|通过|强化|加强|推进|落实|"
                 r"坚决|牢固|把|将|对|全力|扎实|精心|注重|重点|努力|不折不扣|锚定|对标|始终坚持")

FORMS: list[tuple[str, str, re.Pattern]] = [
    # 本报告由X按照…编制 (综合 / 汇总: see _whole_region)
    ("由…编制", "office", re.compile(
        rf"由\s*({N}{{2,40}}?)\s*(?:按照|根据|依据|依照|综合|汇总|结合|负责|牵头|统一|组织|编制|编写|起草|制作|"
        rf"会同|参照|对照|于|在)")),
    # 现公布X(以下简称…)2022年…年度报告 / 发布X2021年…报告 / 特编制X2016年…报告 / 现将X2015年…报告如下
    ("published title", "issuer", re.compile(
        rf"(?:现公布|予以公布|公布|现发布|发布|特编制|编制|编写了|现将|向社会公开|面向社会公开)\s*《?\s*"
        rf"({N}{{2,40}}?)\s*(?:\(以下简称[^)\n]{{1,20}}\))?\s*{Y}\s*(?:的)?{_REPORT}")),
    # 综合2017年度X各县(市、区)…编制: X's government reports for the whole region
    ("whole region", "region", re.compile(
        rf"综合\s*(?:{Y})?\s*({N}{{2,20}}?)(?:所属)?各(?:县|区|市|乡|镇|街道|部门|单位|级)")),
    # 一、总体情况 X严格按照…
    ("subject sentence", "issuer", re.compile(
        rf"(?:总体情况|概述|基本情况|工作概况)\s*(?:\n\s*)?({N}{{3,30}}?)(?={SUBJECT_VERBS})")),
    # 如对本报告有疑问,请与X联系 (the office that answers: weak)
    ("contact", "office", re.compile(
        rf"(?:请与|请联系[:：]?|请致电|可致电|可与|联系单位[:：]|咨询单位[:：]|联系部门[:：]|受理机构[:：])\s*"
        rf"({N}{{3,40}}?)\s*(?:联系|咨询|[(（,，。:：;；]|电话|地址|$)", re.M)),
    # 发布机构:弥勒市交通运输局 / 来源:三明市政府办 / 信息来源:市人民政府办公室
    ("page field", "issuer", re.compile(
        rf"(?:发布机构|发文机关|发文单位|发布单位|信息来源|来源|发布机关|公开单位|发布部门|公开主体|所属机构|"
        rf"责任部门|生成机构)\s*[:：]?\s*({N}{{2,40}})(?=\s|$|\||\d)")),
]


# forms found from the words after the name, the name read back to the clause's start
# (a lazy name run tried at every clause start is slow on long pages)
RIGHT_ANCHORED: list[tuple[str, str, re.Pattern]] = [
    # …的规定,三亚市海棠区人民政府办公室编制了2020年…报告
    ("…编制了", "office", re.compile(r"(?:编制|编写|起草)(?:了|完成)")),
    # 二郎街道现面向社会公开2022年度政府信息公开年度报告
    ("published title", "issuer", re.compile(
        rf"(?:面向社会公开|向社会公开|公布|发布)\s*《?\s*{Y}\s*(?:的)?{_REPORT}")),
]
# 2019年,X坚持… / 2019年度,在…领导下,X…: the year (or 今年以来) opening a sentence, then
# the subject up to its verb
_OPENING = re.compile(r"(?:19|20)\d{2}\s*年(?:度|以来|来)?|今年以来|本年度|一年来|近年来")
_SUBJECT_AFTER = re.compile(rf"\s*[,，、]?\s*(?:在[^,，。\n]{{2,40}}?下\s*[,，]\s*)?({N}{{3,30}}?)(?={SUBJECT_VERBS})")
_NAME_CHAR = re.compile(N)
SUBJECT_LIMIT = 3000     # the subject sentences open the report: its first sections
# adverbs between a name and the verb the name is read back from (X认真编制了, X现面向社会公开)
_ADVERB_END = re.compile(r"(?:认真|组织|重新|依法|已|现|特此|特)$")
_CLAUSE_START = set(",，。;；:：") | set(" \t\n")


@dataclass(frozen=True)
class Mention:
    start: int          # span of the name in the normalized (and printed) text
    end: int
    form: str           # the sentence form
    role: str           # issuer | office | region
    sentence: tuple[int, int]


_SENTENCE_END = re.compile(r"[。;；!！?？\n]")


def sentence_span(norm: str, start: int, end: int, limit: int = 120) -> tuple[int, int]:
    """The sentence around [start, end), at most `limit` characters either way."""
    left = max(0, start - limit)
    m = None
    for m in _SENTENCE_END.finditer(norm, left, start):
        pass
    s = m.end() if m else left
    m = _SENTENCE_END.search(norm, end, min(len(norm), end + limit))
    e = m.end() if m else min(len(norm), end + limit)
    return s, e


def find_mentions(norm: str, limit: int = 5000) -> list[Mention]:
    """Every name the sentence forms give in the first `limit` characters, in text order."""
    head = norm[:limit]
    out: list[Mention] = []
    for form, role, regex in FORMS:
        for m in regex.finditer(head):
            s, e = m.span(1)
            if s > 0 and re.match(r"[A-Za-z0-9_]", norm[s - 1]):
                continue            # the tail of a spam chain (…_365数字含义人民政府)
            this_form, this_role = form, role
            if form == "由…编制" and norm[e:e + 4].lstrip().startswith(("综合", "汇总")):
                this_form, this_role = "whole region", "region"
            out.append(Mention(s, e, this_form, this_role, sentence_span(norm, s, e)))
    for form, role, regex in RIGHT_ANCHORED:
        for m in regex.finditer(head):
            s = e = m.start()
            while s > 0 and e - s < 40 and _NAME_CHAR.match(head[s - 1]):
                s -= 1
            adverb = _ADVERB_END.search(head, s, e)
            if adverb:
                e = adverb.start()
            if e - s >= (3 if form == "…编制了" else 2) and (s == 0 or head[s - 1] in _CLAUSE_START):
                out.append(Mention(s, e, form, role, sentence_span(norm, s, e)))
    for m in _OPENING.finditer(head, 0, SUBJECT_LIMIT):
        p = m.start()
        if p and head[p - 1] not in _CLAUSE_START and not head.endswith(("总体情况", "概述", "基本情况"), 0, p):
            continue
        sm = _SUBJECT_AFTER.match(head, m.end())
        if sm:
            s, e = sm.span(1)
            if not (s > 0 and re.match(r"[A-Za-z0-9_]", norm[s - 1])):
                out.append(Mention(s, e, "subject sentence", "issuer", sentence_span(norm, s, e)))
    out.sort(key=lambda m: m.start)
    return out
