"""gxcrawl: collect and understand Chinese government information-disclosure annual reports.

The parsing core is usable without Scrapy:

>>> from gxcrawl import parse_report
>>> report = parse_report(open("page.html", "rb").read(), url="http://www.sm.gov.cn/…")  # doctest: +SKIP
>>> report.year, report.agency  # doctest: +SKIP
(2019, '三明市人民政府办公室')
"""
from gxcrawl.parse.model import PARSER_VERSION, Document, Report

__all__ = ["parse_report", "Report", "Document", "PARSER_VERSION"]


def parse_report(body: bytes, url: str | None = None, source: str | None = None,
                 headers: dict | None = None, official_hosts=None) -> Report:
    """bytes + url → Report. See gxcrawl.parse.report.parse_report."""
    from gxcrawl.parse.report import parse_report as _parse
    return _parse(body, url=url, source=source, headers=headers, official_hosts=official_hosts)
