"""Report metadata from a page's clean text: is it an annual OGI report
(《政府信息公开工作年度报告》), which year does it cover, who issued it, where,
and when was it published.

    extract_metadata(text, title=None, meta=None, url=None) -> Metadata

The work is done on a *normalized* copy of the text that has the same length
as the text it came from (traditional → simplified, full-width → ASCII,
二〇一九 → 2019), so every span found there is cut from the printed text:
the agency comes back exactly as the page prints it (成都市體育局 stays
traditional). Pinyin glosses that some mirrors put after each converted
character (報(bào)) are removed first.

>>> m = extract_metadata("三明市人民政府办公室2019年政府信息公开工作年度报告\\n来源:三明市政府办 时间:2020-01-31 14:03")
>>> m.is_report, m.year, m.agency, m.region.name, m.published
(True, 2019, '三明市人民政府办公室', '三明市', '2020-01-31')
>>> split_title("福州市晋安区2016年政府信息公开工作年度报告")
('福州市晋安区人民政府', 2016)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from gxcrawl.parse.metadata.agency import find_agency
from gxcrawl.parse.metadata.dates import find_published
from gxcrawl.parse.metadata.is_report import decide_is_report, report_score
from gxcrawl.parse.metadata.names import finish_agency, is_zone, looks_like_spam_name
from gxcrawl.parse.metadata.region import choose_region, region_of_agency, region_of_host
from gxcrawl.parse.metadata.text import normalize, text_lines
from gxcrawl.parse.metadata.title import classify_title, find_title, heading_over_date, read_title, split_title
from gxcrawl.parse.metadata.year import choose_year
from gxcrawl.regions import Region, load_registry

__all__ = ["Metadata", "extract_metadata", "normalize", "split_title", "classify_title", "finish_agency",
           "is_zone", "report_score", "region_of_agency", "region_of_host", "looks_like_spam_name"]


@dataclass
class Metadata:
    title: Optional[str] = None          # the report's title line, as printed
    year: Optional[int] = None           # the year the report covers
    agency: Optional[str] = None         # the issuing body, as printed
    region: Optional[Region] = None      # the agency's region (lowest level)
    published: Optional[str] = None      # YYYY-MM-DD
    is_report: bool = False
    score: int = 0                       # body evidence score (see report_score)
    warnings: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)   # field -> where it came from
    agency_evidence: list[dict] = field(default_factory=list)  # the sources of the chosen agency
    reasons: list[str] = field(default_factory=list)         # why is_report is what it is

    def as_dict(self) -> dict:
        return {"title": self.title, "year": self.year, "agency": self.agency,
                "region": self.region.as_dict() if self.region else None,
                "published": self.published, "is_report": self.is_report,
                "warnings": list(self.warnings), "evidence": dict(self.evidence),
                "agency_evidence": [dict(e) for e in self.agency_evidence]}


MAX_CHARS = 30000


def extract_metadata(text: str, *, title: str | None = None, meta: dict[str, str] | None = None,
                     url: str | None = None) -> Metadata:
    registry = load_registry()
    meta = meta or {}
    md = Metadata()
    text = text or ""
    if len(text) > MAX_CHARS:     # everything looked at is near the top, or the signature
        text = text[: MAX_CHARS - 2000] + "\n" + text[-2000:]
    printed, norm = normalize(text)
    lines = text_lines(printed, norm, 60)

    found = find_title(lines, meta, title, url, md.reasons)
    title_year = None
    if found is not None and found.kind == "report":
        md.title, title_year = read_title(found, lines)
    heading = heading_over_date(lines)
    heading_date_year = heading[0] if heading else None
    choice = find_agency(printed, norm, lines, found, meta, title, url, registry, md.warnings)
    md.agency, md.agency_evidence = choice.name, choice.evidence
    if choice.name:
        md.evidence["agency"] = choice.evidence[0]["source"]
        close = [f"{name} ({score:g})" for name, score in choice.rivals if score >= choice.score * 0.8]
        if close:
            md.warnings.append(f"agency {choice.name} ({choice.score:g}) has close rivals: " + ", ".join(close))

    md.published, pub_src = find_published(norm, meta)
    if md.published:
        md.evidence["published"] = pub_src
    md.year, year_src = choose_year(norm, title_year, url, md.published, heading_date_year, md.warnings)
    if year_src:
        md.evidence["year"] = year_src
    md.is_report, md.score = decide_is_report(norm, lines, found, url, meta, md.reasons)
    md.region, region_src = choose_region(md.agency, norm[:5000], norm, url, registry, md.warnings)
    if region_src:
        md.evidence["region"] = region_src
    return md
