"""The year a report covers, from the strongest source that gives one: the title, the
statistics period, a report title quoted in the text, the opening year, the URL, the most
mentioned year, the publish year minus one. Disagreeing strong sources are a warning.

>>> choose_year("本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。", None, None, None, None, [])
(2019, 'statistics period')
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from gxcrawl.parse.metadata.dates import lead_year, period_year, url_year, year_end_year, year_mentions
from gxcrawl.parse.metadata.title import TITLE_ALT_RES, TITLE_RE, match_title


def quoted_title_year(head_norm: str) -> Optional[int]:
    """The year of a report title the text quotes (《…2019年…年度报告》, 现将…年度报告)."""
    for m in re.finditer(r"《([^》\n]{6,60})》|(?:公布|现将|发布)([^。\n]{4,60}?(?:年度报告|年报))", head_norm):
        inner = m.group(1) or m.group(2)
        tm = match_title(inner) if m.group(1) else (TITLE_RE.search(inner) or TITLE_ALT_RES[0].search(inner))
        if tm and tm.group("year"):
            return int(tm.group("year"))
    return None


def choose_year(norm: str, title_year: Optional[int], url: Optional[str], published: Optional[str],
                heading_date_year: Optional[int], warnings: list[str]) -> tuple[Optional[int], Optional[str]]:
    """(year, its source)."""
    head_norm = norm[:5000]
    candidates: list[tuple[str, Optional[int]]] = [("title", title_year),
                                                   ("statistics period", period_year(norm[:8000]))]
    candidates.append(("quoted report title", quoted_title_year(head_norm)))
    candidates.append(("opening year", lead_year(norm[:8000])))
    candidates.append(("year-end date", year_end_year(norm[:8000])))
    candidates.append(("url", url_year(url)))
    mentions = year_mentions(norm[:8000])
    mode = None
    if mentions:
        counts = Counter(mentions)
        best = max(counts.values())
        mode = next(y for y in mentions if counts[y] == best)
    candidates.append(("year mentions", mode))
    pub_year = int(published[:4]) if published else heading_date_year
    candidates.append(("publish year - 1", pub_year - 1 if pub_year else None))
    year, source = next(((y, src) for src, y in candidates if y), (None, None))
    strong = {src: y for src, y in candidates[:3] if y}
    if len(set(strong.values())) > 1:
        warnings.append("year sources disagree: " + ", ".join(f"{k}={v}" for k, v in strong.items()))
    if year and pub_year and year > pub_year:
        warnings.append(f"year {year} after publish year {pub_year}")
    return year, source
