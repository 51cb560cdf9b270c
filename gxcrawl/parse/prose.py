"""Figures the report states in its prose: where it has no table, and to compare with one.

Many reports state their figures in words — `全年共受理政府信息公开申请64件`,
`2020年未收到政府信息公开申请`, `未发生涉及政府信息公开的行政复议、行政诉讼案件`, `行政复议0件` —
and some have no table at all. `prose_figures(text)` reads those sentence forms, each
figure with the sentence it came from:

>>> prose_figures("2019年未收到政府信息公开申请。")["requests_received"]["value"]
0
>>> prose_figures("全年共受理政府信息公开申请17件，均已答复。")["requests_received"]["evidence"]
'全年共受理政府信息公开申请17件，均已答复'

A clause whose subject is a part of the body — `其中，区政府办受理…`, `区政府办代表区政府受理…` —
counts that part's requests, not the body's: it gives no figure. Reviews and lawsuits are
read in section 四 (复议诉讼) or in a sentence about 政府信息公开 only.

`with_prose(figures, prose)` fills a figure no table gives (source "prose"); a table figure
is never overwritten. `prose_checks` compares the two where both exist: a check of kind
"prose" (`figures.prose_agrees.<figure>`), not an accounting check of the table.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from gxcrawl.parse.model import Check

CLAUSE_END = re.compile(r"[。；;，,\n]")
SENTENCE_END = re.compile(r"[。；;\n]")
NUMBER_UNIT = r"(\d+)\s*(?:件|宗|条|个|份|起|次|例)"

REQUESTS_COUNT = re.compile(
    r"(?:收到|受理|接收|新收|接到)[^。；;，,\d]{0,14}?"
    r"(?:(?:政府信息公开|信息公开)[^。；;，,\d]{0,8}?申请|依申请(?:公开)?)[^。；;，,\d]{0,8}?" + NUMBER_UNIT)
REQUESTS_NONE = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收|发生)?[^。；;，,\d]{0,10}?(?:政府信息公开|依申请公开)[^。；;，,\d]{0,4}?申请"
    r"(?![^。；;，,]{0,6}?\d)")
REVIEWS_COUNT = re.compile(r"行政复议(?:案件|申请)?[^。；;，,\d诉]{0,6}?" + NUMBER_UNIT)
LAWSUITS_COUNT = re.compile(r"行政诉讼(?:案件)?[^。；;，,\d复]{0,6}?" + NUMBER_UNIT)
REVIEWS_NONE = re.compile(r"(?:未|没有|无)(?:发生|收到|出现|产生)?[^。；;，,\d]{0,24}?行政复议")
LAWSUITS_NONE = re.compile(r"(?:未|没有|无)(?:发生|收到|出现|产生)?[^。；;，,\d]{0,30}?行政诉讼")
#: section 四 of the report, where reviews and lawsuits are told
SECTION_REVIEWS = re.compile(r"四[、.．]\s*[^。\n]{0,30}?行政复议[^。\n]{0,20}?情况")
SECTION_AFTER = re.compile(r"五[、.．]\s*(?:存在|主要|工作|政府信息公开工作存在)")
#: a clause about a part of the body, not the body itself
PART_SUBJECT = re.compile(r"其中|代表|分别")
ABOUT_DISCLOSURE = re.compile(r"政府信息公开|信息公开")

#: the figures the prose gives, each with the table figure it is compared with
PROSE_FIGURES = ("requests_received", "reviews", "lawsuits")


def figure(value: int, evidence: str) -> dict[str, Any]:
    return {"value": value, "source": "prose", "evidence": evidence.strip()[:160]}


def sentence_around(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = SENTENCE_END.search(text, end)
    return text[left:right.start() if right else len(text)]


def clause_before(text: str, start: int) -> str:
    """The clause a match stands in, up to the match: its subject."""
    left = max((m.end() for m in CLAUSE_END.finditer(text, max(0, start - 80), start)), default=max(0, start - 80))
    return text[left:start]


def about_a_part(text: str, start: int) -> bool:
    return bool(PART_SUBJECT.search(clause_before(text, start)))


HEADING = re.compile(r"[一二三四五六七八九十]+[、.．][^。；，,]{0,30}?情况")
NOT_REQUESTS = re.compile(r"复议|诉讼")
#: a count of reviews and lawsuits together (`行政复议和行政诉讼案件共2件`): neither's
TOGETHER = re.compile(r"行政复议[和、及与或]$")


def evidence_of(text: str, start: int, end: int) -> str:
    """The sentence of a match, from after the last heading a capture ran into it."""
    sentence_start = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = SENTENCE_END.search(text, end)
    left = max((m.end() for m in HEADING.finditer(text, sentence_start, start)), default=sentence_start)
    return text[left:right.start() if right else len(text)].strip()


def first_figure(text: str, count: re.Pattern, none: re.Pattern,
                 need_topic: bool = False) -> Optional[dict[str, Any]]:
    """The first sentence stating a count (`…17件`) or none (`未收到…`) about the body itself.
    In a sentence that says none came of 政府信息公开 (`共受理行政复议1起，…没有因政府信息公开
    而被提起的`), the counts are the body's other cases: the figure is 0."""
    found = []
    for match in none.finditer(text):
        sentence = sentence_around(text, match.start(), match.end())
        topical = bool(ABOUT_DISCLOSURE.search(match.group(0)))
        if need_topic and not ABOUT_DISCLOSURE.search(sentence):
            continue
        found.append((sentence_start(text, match.start()), 0 if topical else 2, match.start(), 0,
                      evidence_of(text, match.start(), match.end())))
    for match in count.finditer(text):
        sentence = sentence_around(text, match.start(), match.end())
        if about_a_part(text, match.start()) or (need_topic and not ABOUT_DISCLOSURE.search(sentence)):
            continue
        if count is REQUESTS_COUNT and NOT_REQUESTS.search(match.group(0)):
            continue
        if TOGETHER.search(clause_before(text, match.start())):
            continue
        found.append((sentence_start(text, match.start()), 1, match.start(), int(match.group(1)),
                      evidence_of(text, match.start(), match.end())))
    if not found:
        return None
    _, _, _, value, evidence = min(found)
    return figure(value, evidence)


def sentence_start(text: str, position: int) -> int:
    return max((m.end() for m in SENTENCE_END.finditer(text, 0, position)), default=0)


def reviews_text(text: str) -> tuple[str, bool]:
    """Section 四 when the report has one (any sentence there counts), else the whole
    text (only sentences about 政府信息公开 count)."""
    head = SECTION_REVIEWS.search(text)
    if not head:
        return text, True
    tail = SECTION_AFTER.search(text, head.end())
    return text[head.start():tail.start() if tail else len(text)], False


def prose_figures(text: str) -> dict[str, dict[str, Any]]:
    """The figures the prose states (only those it states)."""
    out: dict[str, dict[str, Any]] = {}
    requests = first_figure(text, REQUESTS_COUNT, REQUESTS_NONE)
    if requests:
        out["requests_received"] = requests
    section, need_topic = reviews_text(text)
    for name, count, none in (("reviews", REVIEWS_COUNT, REVIEWS_NONE),
                              ("lawsuits", LAWSUITS_COUNT, LAWSUITS_NONE)):
        found = first_figure(section, count, none, need_topic)
        if found:
            out[name] = found
    return out


def with_prose(figures: dict[str, dict], prose: dict[str, dict]) -> dict[str, dict]:
    """The table figures, with the prose filling those no table gives."""
    merged = dict(figures)
    for name, found in prose.items():
        if merged.get(name, {}).get("value") is None:
            merged[name] = found
    return merged


def accepted_values(name: str, figures: dict[str, dict]) -> set:
    """What the prose may say for a table figure: requests received may be told with
    the carried-over ones (受理…申请 N 件 of new + carried)."""
    value = figures[name]["value"]
    accepted = {value}
    carried = figures.get("requests_carried", {}).get("value")
    if name == "requests_received" and carried is not None:
        accepted.add(value + carried)
    return accepted


def prose_checks(figures: dict[str, dict], prose: dict[str, dict]) -> list[Check]:
    """Each prose figure against the table figure of the same name, where both exist."""
    checks = []
    for name, found in prose.items():
        table = figures.get(name) or {}
        if table.get("value") is None or table.get("source") == "prose":
            continue
        accepted = accepted_values(name, figures)
        ok = found["value"] in accepted
        checks.append(Check(
            f"figures.prose_agrees.{name}", ok,
            f"prose says {found['value']} ({found['evidence'][:40]}), {table['evidence']} = "
            + " or ".join(str(v) for v in sorted(accepted)), kind="prose"))
    return checks
