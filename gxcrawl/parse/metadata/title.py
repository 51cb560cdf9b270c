"""Report titles: is a line the title of an annual OGI report (or of something else:
a notice, a guide, 解读, another kind of annual report), its year, the body it names,
and which of the page's title candidates (meta, text lines, <title>, URL) is the title.

>>> split_title("福州市晋安区2016年政府信息公开工作年度报告")
('福州市晋安区人民政府', 2016)
>>> classify_title("关于印发2020年政务公开工作要点的通知")
'negative'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote, urlsplit

from gxcrawl.parse.metadata.names import agency_like, finish_agency
from gxcrawl.parse.metadata.text import CJK, Line, normalize
from gxcrawl.regions import Registry

_OGI = r"(?:(?:政府|政务)?(?:信息|资讯)公开|政务公开)"
TITLE_RE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年?\s*度?\s*(?P<mid>[^\s,，。;；:：《》“”\d]{0,24}?)"
    + _OGI + r"(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:年度)?(?:报告|年报)")
# "…政府信息公开工作2019年度报告", "…政府信息公开年度报告(2019年度)"
TITLE_ALT_RES = (
    re.compile(_OGI + r"(?:工作)?(?:的)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?(?:工作)?(?:年度)?(?:报告|年报)"),
    re.compile(_OGI + r"(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)\s*[(（]\s*(?P<year>(?:19|20)\d{2})\s*年?度?\s*[)）]"),
    # no year at all: "三明市统计局政府信息公开工作年度报告" (the agency must be real)
    re.compile(r"(?<=[局委办室厅府心院所站处区县市镇乡道])" + _OGI + r"(?:工作)?(?:的)?年度报告(?P<year>)"),
)
NEG_TITLE_RE = re.compile(
    r"关于.{2,80}(?:通知|意见|决定|批复|函|公告|通报|说明|办法|规定)\s*$|"
    r".{2,40}(?:政府|政务)?信息公开指南\s*$|图解|解读|一图|读懂|图说|报表|格式|"
    r"法治政府建设.{0,20}报告|政府工作报告|住房公积金.{0,20}报告|"
    r"信息公开目录\s*$|工作要点\s*$|实施方案\s*$|考核办法\s*$|评估报告|测评报告|第三方评估|"
    r"的通知\s*$")
_OTHER_ANNUAL_RE = re.compile(r"(?:19|20)\d{2}\s*年度?.{0,40}报告\s*$")
_SENTENCE_WORDS = re.compile(r"。|现将|现公布|予以公布|公布如下|根据|按照|依据|印发|转发|编制|做好|请|《|“|本报告|本年报")
# the page's fields run into the title line (…年度报告发布时间:2021-01-29 来源:…)
_FIELD_AFTER = re.compile(r"(?:发布时间|发布日期|发文日期|来源|信息来源|发布机构|发布单位|时间|日期|作者|浏览|点击|字号|"
                          r"索引号|【|\[)")
_BREADCRUMB = re.compile(r"[>»›]|当前位置|您的位置|所在位置|当前页面")


def split_title(line: str, registry: Registry | None = None) -> Optional[tuple[Optional[str], int]]:
    """(agency, year) of a report title line, or None if it is not one.
    Works on printed text; the agency is what precedes the year, or what sits
    between 年 and 政府信息公开 (2021年抚州市政府信息公开… → 抚州市人民政府)."""
    printed, norm = normalize(line)
    m = match_title(norm, loose_tail=True)
    if m is None:
        return None
    agency = agency_from_title(printed, norm, m, registry, [])
    return agency, (int(m.group("year")) if m.group("year") else None)


# a title cut short by a list page (…2020年政府信息公开工作年度报...): the cut must fall
# after 信息公开 / 政务公开
TRUNCATED_TITLE_RE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年?\s*度?\s*(?P<mid>[^\s,，。;；:：《》“”\d]{0,24}?)" + _OGI
    + r"(?:工作?)?(?:年度?)?(?:工?作?)?(?:报告?|年报?)?\s*(?:\.{2,}|…+|。。+)\s*$")


def match_title(norm: str, loose_tail: bool = False) -> Optional[re.Match]:
    if norm.rstrip().endswith(("..", "…", "。。")):
        m = TRUNCATED_TITLE_RE.search(norm)
        if m and int(m.group("year")) >= 2000 and len(norm) <= 140 and not _SENTENCE_WORDS.search(norm[:m.start()]):
            return m
    m = TITLE_RE.search(norm)
    if not m:
        for regex in TITLE_ALT_RES:
            m = regex.search(norm)
            if m:
                break
        else:
            return None
    if m.group("year") and int(m.group("year")) < 2000:
        return None
    if not m.group("year"):
        pre = norm[:m.start()].strip()
        if not pre or finish_agency(pre, pre) is None:
            return None
    tail = norm[m.end():].strip(" \t|:：。.")
    if tail and not re.fullmatch(r"[(（][^)）]{0,14}[)）]", tail) and not _FIELD_AFTER.match(tail):
        if not (loose_tail and re.match(r"[\s_\-—|｜]", norm[m.end():])):
            if len(tail) > 2:
                return None
    pre = norm[:m.start()]
    if _SENTENCE_WORDS.search(pre) or _SENTENCE_WORDS.search(m.groupdict().get("mid") or ""):
        return None
    if len(norm) > 140:
        return None
    return m


def title_text(printed: str, norm: str, m: re.Match) -> str:
    """The title as printed, without breadcrumbs before it or a site name after it."""
    tokens = list(re.finditer(r"[^\s>»›/|｜:：_\-—]+", norm[:m.start()]))
    start = m.start()
    if tokens and tokens[-1].end() == m.start():
        start = tokens[-1].start()
        if len(tokens[-1].group(0)) < 3 and len(tokens) > 1:
            start = tokens[-2].start()
    end = m.end()
    tail = re.match(r"\s*[(（][^)）]{0,14}[)）]", norm[end:])
    if tail:
        end += tail.end()
    return printed[start:end].strip()


def agency_from_title(printed: str, norm: str, m: re.Match, registry, warnings) -> Optional[str]:
    pre_end = m.start()
    # last token of what precedes the year (drops breadcrumbs and site names)
    tokens = [t for t in re.finditer(r"[^\s>»›/|｜:：_\-—]+", norm[:pre_end])]
    if tokens:
        last = tokens[-1]
        start = last.start()
        if len(last.group(0)) < 3 and len(tokens) > 1:
            start = tokens[-2].start()
        cand = finish_agency(printed[start:pre_end], norm[start:pre_end], registry, warnings)
        if cand:
            return cand
        if norm[start:pre_end].strip():
            return None
    mid = m.groupdict().get("mid")
    if mid:
        s, e = m.span("mid")
        return finish_agency(printed[s:e], norm[s:e], registry, warnings)
    return None


def classify_title(norm_line: str, loose_tail: bool = True) -> Optional[str]:
    """'report', 'negative' (a notice, guide, 解读, another kind of annual
    report…) or None (not a title at all) for one normalized line."""
    line = norm_line.strip(" \t|")
    if re.search(r"[>»›]", line):
        line = re.split(r"[>»›]", line)[-1].strip(" \t|")
    if len(line) < 6 or len(line) > 140 or _BREADCRUMB.search(line):
        return None
    if "。" in line or re.match(r"(?:本报告|本年报|根据|按照|依据|为|现将|现公布|经)", line):
        return None
    if NEG_TITLE_RE.search(line):
        if re.search(r"信息公开|政务公开|报告|报表|通知|指南", line):
            return "negative"
    if match_title(line, loose_tail=loose_tail):
        return "report"
    if _OTHER_ANNUAL_RE.search(line) and not re.search(r"信息公开|政务公开|_|\|", line):
        return "negative"
    return None


_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-/.]\d{1,2}[-/.]\d{1,2})\s*$")


@dataclass
class TitleFound:
    kind: str                   # report | negative
    source: str                 # meta:ArticleTitle | text | title | url
    printed: str
    norm: str
    line: Optional[int]         # index in the page's lines (text candidates)


def title_candidates(lines: list[Line], meta: dict[str, str], title: Optional[str],
                     url: Optional[str]) -> list[tuple[str, str, str, Optional[int]]]:
    """(source, printed, normalized, line index): <meta ArticleTitle>, text lines, <title>,
    the URL's Chinese path segments — in the order they are believed."""
    cands: list[tuple[str, str, str, Optional[int]]] = []
    for key in ("ArticleTitle", "articletitle", "Title", "title", "og:title"):
        if meta.get(key):
            p, n = normalize(meta[key])
            cands.append((f"meta:{key}", p, n, None))
            break
    for i, ln in enumerate(lines):
        cands.append(("text", ln.printed, ln.norm, i))
    if title:
        p, n = normalize(title)
        cands.append(("title", p, n, None))
    if url:
        try:
            path = unquote(urlsplit(url).path)
        except ValueError:
            path = ""
        for seg in path.split("/"):
            seg = re.sub(r"\.[a-z]{2,5}$", "", seg, flags=re.I)
            if re.search(f"[{CJK}]", seg):
                p, n = normalize(seg)
                cands.append(("url", p, n, None))
    return cands


def find_title(lines: list[Line], meta: dict[str, str], title: Optional[str], url: Optional[str],
               reasons: list[str]) -> Optional[TitleFound]:
    """The first candidate that is a title, report or not (the reason is noted)."""
    for source, p, n, idx in title_candidates(lines, meta, title, url):
        kind = classify_title(n, loose_tail=(source != "text"))
        if kind is None:
            continue
        if kind == "report":
            reasons.append(f"report title ({source})")
        else:
            reasons.append(f"not a report: title {n.strip()[:60]!r} ({source})")
        return TitleFound(kind, source, p, n, idx)
    return None


def body_line_above(found: TitleFound, lines: list[Line]) -> Optional[Line]:
    """The line above a title that names no body, when it is a body's name
    (三明市统计局 / 2020年政府信息公开工作年度报告; a date line between is skipped)."""
    m = match_title(found.norm, loose_tail=True)
    if m is None or found.line is None or found.norm[:m.start()].strip() or m.groupdict().get("mid"):
        return None
    for j in (found.line - 1, found.line - 2):
        if j < 0:
            break
        prev = lines[j]
        if agency_like(prev.norm):
            return prev
        if _DATE_LINE.match(prev.norm) is None and len(prev.norm) > 2:
            break
    return None


def read_title(found: TitleFound, lines: list[Line]) -> tuple[str, Optional[int]]:
    """(title as printed, year) of a report title; a title that names no body is printed
    with the body's line above it (三明市统计局 / 2020年… → 三明市统计局2020年…)."""
    m = match_title(found.norm, loose_tail=True)
    year = int(m.group("year")) if m.group("year") else None
    text = title_text(found.printed, found.norm, m)
    above = body_line_above(found, lines)
    if above is not None and finish_agency(above.printed, above.norm):
        text = above.printed.strip() + text
    return text, year


def heading_over_date(lines: list[Line]) -> Optional[tuple[int, Line]]:
    """A heading line followed by a date line (廣州市人民政府 / 2013年3月): (the date's year,
    the heading line)."""
    for i, ln in enumerate(lines[:15]):
        if i + 1 < len(lines) and _DATE_LINE.match(lines[i + 1].norm) and agency_like(ln.norm):
            return int(re.match(r"\s*(\d{4})", lines[i + 1].norm).group(1)), ln
    return None


def report_titles_listed(lines: list[Line]) -> int:
    """How many distinct report titles the top of the page lists (index pages)."""
    seen = set()
    for ln in lines:
        m = match_title(ln.norm.strip(), loose_tail=True)
        if m:
            seen.add(ln.norm.strip()[: m.end()])
    return len(seen)
