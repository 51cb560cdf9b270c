"""The issuing body of a report from its body text, when the title names none: the
compiler sentence (由X按照…编制), the subject of the first paragraph, the signature, the
contact sentence, the page's 来源 field, a report title quoted in the text, 我局/本委.

>>> agency_from_body(*normalize("本报告由三明市统计局根据《条例》编制。"), load_registry(), [])
('三明市统计局', '由…编制')
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from gxcrawl.parse.metadata.names import BAD_NAME_START, finish_agency, has_place, is_zone
from gxcrawl.parse.metadata.text import CJK, NAME_CHARS, ORG_END, PLACE_END, normalize  # noqa: F401 (doctest)
from gxcrawl.parse.metadata.title import agency_from_title, match_title
from gxcrawl.regions import Registry, load_registry  # noqa: F401 (doctest)

_BY_RE = re.compile(rf"由({NAME_CHARS}{{2,40}}?)(?:按照|根据|依据|依照|综合|汇总|结合|负责|牵头|统一|组织|"
                    rf"编制|编写|起草|制作|在)")
_SUBJECT_RE = re.compile(
    rf"(?m)^\s*(?:(?:19|20)\d{{2}}\s*年度?|今年以来|本年度)\s*[,，、]\s*({NAME_CHARS}{{3,30}}?)"
    r"(?=在|认真|按照|坚持|深入|全面|严格|以|围绕|紧紧|进一步|结合|继续|积极|高度|始终|立足|聚焦|持续|"
    r"根据|依据|着力|切实|不断|大力|紧扣|主动|扎实|稳步|依法|贯彻)")
_CONTACT_RE = re.compile(rf"(?:请与|请联系|联系单位[:：]|咨询单位[:：])\s*({NAME_CHARS}{{3,40}}?)(?:联系|[(（,，。:：])")
_FIELD_RE = re.compile(rf"(?:发布机构|发文机关|发布单位|信息来源|来源|发布机关)\s*[:：]?\s*({NAME_CHARS}{{3,40}})(?=\s|$|\|)")
_SIGNATURE_RE = re.compile(rf"({NAME_CHARS}{{3,40}})[\s|]*((?:19|20)\d{{2}})\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日[\s|]*$")
_SUB_UNIT = re.compile(r"(?<=局|委|府|办|室|厅|心)[^局委府办室厅心]{1,8}(?:科|股|组|处)$")


def agency_from_body(printed: str, norm: str, registry: Registry,
                     warnings: list[str]) -> tuple[Optional[str], Optional[str]]:
    """(agency, the evidence it came from), trying each sentence form in turn."""
    head_norm = norm[:5000]

    def from_regex(regex: re.Pattern, need_place: bool, text_norm: str = head_norm,
                   offset: int = 0) -> Optional[str]:
        for m in regex.finditer(text_norm):
            s, e = m.span(1)
            s += offset
            e += offset
            if s > 0 and re.match(r"[A-Za-z0-9_]", norm[s - 1]):
                continue            # the tail of a spam chain ("…_365数字含义人民政府")
            name_norm = norm[s:e]
            sub = _SUB_UNIT.search(name_norm)
            if sub:
                e -= len(sub.group(0))
                name_norm = norm[s:e]
            if need_place and not has_place(name_norm, registry):
                continue
            if not ORG_END.search(name_norm) and not PLACE_END.search(name_norm) and not is_zone(name_norm, registry):
                continue
            a = finish_agency(printed[s:e], name_norm, registry, warnings)
            if a:
                return a
        return None

    # 本报告由X按照…编制 (but 由X综合各…: X compiles for its government)
    for m in _BY_RE.finditer(head_norm):
        s, e = m.span(1)
        nm = norm[s:e]
        follow = norm[e:e + 2]
        if follow in ("综合", "汇总"):
            g = re.match(r"(.+?)(?:人民政府|政府)(?:办公室|办公厅)$", nm)
            if g:
                a = finish_agency(printed[s:s + len(g.group(1))], g.group(1), registry, warnings)
                if a and not a.endswith("人民政府"):
                    a = None
                if a:
                    return a, "由…综合…编制"
            continue
        if not ORG_END.search(nm):
            continue
        a = finish_agency(printed[s:e], nm, registry, warnings)
        if a:
            return a, "由…编制"
    a = from_regex(_SUBJECT_RE, True)
    if a:
        return a, "subject of the first paragraph"
    tail_start = max(0, len(norm) - 400)
    a = from_regex(_SIGNATURE_RE, False, norm[tail_start:], tail_start)
    if a:
        return a, "signature"
    a = from_regex(_CONTACT_RE, True)
    if a:
        return a, "contact"
    a = from_regex(_FIELD_RE, True)
    if a:
        return a, "page field"
    # 《…2019年政府信息公开工作年度报告》 quoted in the text
    for m in re.finditer(r"《([^》\n]{6,60})》", head_norm):
        inner = m.group(1)
        tm = match_title(inner, loose_tail=False)
        if tm:
            s = m.start(1)
            a = agency_from_title(printed[s:s + len(inner)], inner, tm, registry, warnings)
            if a:
                return a, "quoted report title"
    a = self_reference_agency(printed, norm, registry, warnings)
    if a:
        return a, "self-reference"
    return None, None


def self_reference_agency(printed: str, norm: str, registry: Registry,
                          warnings: list[str]) -> Optional[str]:
    """'我乡' + '均村乡人民政府' in the text → 均村乡人民政府; '我局' + a place-named 局."""
    head = norm[:5000]
    refs = Counter(m.group(1) for m in re.finditer(r"[我本](局|委|办|乡|镇|街道|中心|院|厅)", head))
    if not refs:
        return None
    kind = refs.most_common(1)[0][0]
    if kind in ("乡", "镇", "街道"):
        pattern = rf"([{CJK}]{{2,6}}?{kind})(?:人民政府|办事处)"
    else:
        pattern = rf"({NAME_CHARS}{{2,20}}?{kind})(?![{CJK}]{{0,1}}(?:网站|门户|官网|网))"
    names: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in re.finditer(pattern, head):
        s, e = m.span(0) if kind in ("乡", "镇", "街道") else m.span(1)
        nm = norm[s:e]
        if BAD_NAME_START.search(nm) or (s > 0 and re.match(r"[A-Za-z0-9_]", norm[s - 1])):
            continue
        if kind not in ("乡", "镇", "街道") and not has_place(nm, registry):
            continue
        names[nm] += 1
        first.setdefault(nm, (s, e))
    if not names:
        return None
    nm, _ = max(names.items(), key=lambda kv: (kv[1], -first[kv[0]][0]))
    s, e = first[nm]
    a = finish_agency(printed[s:e], nm, registry, warnings)
    if a:
        warnings.append("agency inferred from self-reference (我" + kind + ")")
    return a
