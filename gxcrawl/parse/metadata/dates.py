"""Dates in report pages: publish dates, the statistics period, years.

All functions take text that is already simplified Chinese with ASCII digits
(see gxcrawl.parse.metadata.normalize); they are pure and small.

>>> normalize_date("2021-01-29 10:00")
'2021-01-29'
>>> normalize_date("2019年1月22日")
'2019-01-22'
>>> period_year("本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。")
2019
>>> period_year("统计期限自201811日至20181231日截止")   # 年/月 dropped by extraction
2018
>>> find_published("来源:三明市政府办 时间:2020-01-31 14:03")
('2020-01-31', '时间')
"""
from __future__ import annotations

import re
from typing import Optional
from urllib.parse import parse_qs, unquote, urlsplit

MIN_YEAR, MAX_YEAR = 2000, 2099
Y = r"((?:19|20)\d{2})"

# "2019-01-22", "2019/1/22", "2019.01.22", "2019年1月22日", "2019 年 1 月 22 日"
DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*[日号]?")
COMPACT_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")

# Labels that introduce the date a page was published, best first. Spaces
# between the characters of a label ("发 布 日 期") are squeezed out first.
PUBLISHED_LABELS = ("发布时间", "发布日期", "发文日期", "公开日期", "发表时间", "发表日期",
                    "上网时间", "上载日期", "印发日期", "成文日期", "时间", "日期", "更新时间")
_LABEL_RE = re.compile(
    r"(?<!统计)(?<!截止)(?<!办公)(?<!受理)(?<!答复)(?<!生成)(?<!有效)"
    r"(" + "|".join(PUBLISHED_LABELS) + r")\s*[:：]?\s*(?=\d)")

# Statistics period: "自2019年1月1日起至2019年12月31日止", "2020年1月1日至12月31日",
# mangled "202311日至20231231日", "自 2023年 1 月 1 日起至2023年 12 月 31 日止".
PERIOD_RE = re.compile(
    rf"(?<!\d){Y}\s*年?\s*0?1\s*月?\s*0?1\s*[日号]?\s*(?:起|开始)?\s*"
    rf"(?:至|到|—|–|-|~|～|－)\s*(?:{Y}\s*年?\s*)?12\s*月?\s*31\s*[日号]?")
# "统计期限为2019年度", "本报告统计数据从2016年…"
PERIOD_LOOSE_RE = re.compile(
    rf"统计(?:期限|时限|时间|数据|区间|周期|范围|期间)[^。\n；;]{{0,12}}?(?<!\d){Y}\s*年")

YEAR_WORD_RE = re.compile(rf"(?<!\d){Y}\s*年(?!\s*\d{{1,2}}\s*月)")
_BRACKETED = re.compile(r"〔[^〕\n]{0,12}〕|\[[^\]\n]{0,12}\]|【[^】\n]{0,30}】|《[^》\n]{0,80}》|（[^）\n]{0,30}号）|\([^)\n]{0,30}号\)")


def _valid(year: int, month: int = 1, day: int = 1) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 and 1 <= day <= 31


def normalize_date(value: str | None) -> Optional[str]:
    """Any common date spelling → YYYY-MM-DD (None when there is no full date)."""
    if not value:
        return None
    m = DATE_RE.search(value) or COMPACT_DATE_RE.search(value)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not _valid(y, mo, d):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def squeeze_cjk_spaces(text: str) -> str:
    """'发 布 日 期' → '发布日期' (spaces between two CJK characters removed)."""
    return re.sub(r"(?<=[\u4e00-\u9fff])[ \t\u3000\xa0]+(?=[\u4e00-\u9fff])", "", text)


def find_published(text: str, meta: dict[str, str] | None = None,
                   head_chars: int = 2500) -> tuple[Optional[str], Optional[str]]:
    """(YYYY-MM-DD, source) of the page's publish date: <meta> PubDate and kin
    first, then labelled dates near the top of the text ("发布时间: …",
    "时间:2020-01-31", "发布日期\\n2026-01-26")."""
    for key, value in (meta or {}).items():
        k = key.lower().replace("_", "").replace("-", "")
        if k in ("pubdate", "publishdate", "firstpublishedtime", "publishtime",
                 "articlepubdate", "dctermsissued", "dcdate", "releasedate", "date"):
            date = normalize_date(value)
            if date:
                return date, f"meta:{key}"
    head = squeeze_cjk_spaces(text[:head_chars])
    best: tuple[int, int, str, str] | None = None
    for m in _LABEL_RE.finditer(head):
        date = normalize_date(head[m.end(): m.end() + 24])
        if not date:
            continue
        rank = PUBLISHED_LABELS.index(m.group(1))
        if best is None or (rank, m.start()) < best[:2]:
            best = (rank, m.start(), date, m.group(1))
    if best:
        return best[2], best[3]
    return None, None


def period_year(text: str) -> Optional[int]:
    """The year of the statistics-period sentence, or None."""
    for m in PERIOD_RE.finditer(text):
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else start
        if start == end and _valid(start):
            return start
    m = PERIOD_LOOSE_RE.search(text)
    if m and _valid(int(m.group(1))):
        return int(m.group(1))
    return None


def mask_bracketed(text: str) -> str:
    """Blank out 〔2021〕, 《…2019年…》, (…号): years in them are other documents'."""
    return _BRACKETED.sub(lambda m: " " * len(m.group(0)), text)


def year_mentions(text: str) -> list[int]:
    """Years written 'YYYY年' (not dates with a month, not inside 〔〕《》 or
    document numbers), in order."""
    out = []
    for m in YEAR_WORD_RE.finditer(mask_bracketed(text)):
        y = int(m.group(1))
        if _valid(y):
            out.append(y)
    return out


def lead_year(text: str) -> Optional[int]:
    """The year that opens a paragraph: '2019年,我局…', '2010年度,…', '截至2010年底'."""
    m = re.search(rf"(?m)^\s*(?:截至|截止)?{Y}\s*年(?:度|底)?\s*[,，、]", text)
    if m and _valid(int(m.group(1))):
        return int(m.group(1))
    return None


_YEAR_END_RE = re.compile(rf"(?:截至|截止到?|至)\s*{Y}\s*(?:年\s*12\s*月\s*31\s*日|年底|年末)")


def year_end_year(text: str) -> Optional[int]:
    """The year of the first year-end the text counts up to (截止2020年12月31日, 截至2010年底):
    the year a report's figures close.

    >>> year_end_year("截止2020年12月31日,我局主动公开的信息15条")
    2020
    """
    m = _YEAR_END_RE.search(text)
    if m and _valid(int(m.group(1))):
        return int(m.group(1))
    return None


def url_year(url: str | None) -> Optional[int]:
    """Year hints in a URL: fbtime=2025 (the annual-report module), /2010nb/,
    /2022n/, /nb2019/. Not dated paths like /202101/ (those are publish dates)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    query = parse_qs(parts.query)
    for key in ("fbtime", "year", "nd", "bgnd"):
        for value in query.get(key, []):
            if re.fullmatch(Y, value.strip()) and _valid(int(value)):
                return int(value)
    path = unquote(parts.path)
    m = re.search(rf"(?:^|/){Y}(?:n|nb|nd|nian|ndbg)(?:/|$)|(?:^|/)(?:nb|ndbg){Y}(?:/|$)", path, re.I)
    if m:
        y = int(m.group(1) or m.group(2))
        if _valid(y):
            return y
    return None
