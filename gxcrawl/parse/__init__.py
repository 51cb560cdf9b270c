"""The parser: bytes + url → Report. A plain library: no Scrapy, no SQLite.

In: the bytes of a fetched page or file (HTML, text, PDF, DOCX, DOC), the URL it came
from and, optionally, its HTTP headers. Out: a `Report` — is it an annual OGI report,
the year it covers, the issuing body, region, publish date, sections, every cell of the
statistical tables under the canonical keys, the accounting checks, the spam findings.

The stages, in the order the data flows through them (`report.parse_report`):

- `document`: what the bytes are (`sniff`), bytes → text (`decode`), and each format
  (`html`, `pdf`, `docx`, `doc`, `text`) → a `Document` of paragraphs and table grids;
- `clean`: page boilerplate off (breadcrumbs, 打印/关闭, footers);
- `spam`: gambling mirrors, injected phrases and hidden links; the replaced text restored;
- `metadata`: title, agency, year, region, publish date, is it a report;
- `tables`: the statistical tables from one token stream;
- `sections`, `checks`: numbered sections; the accounting checks;
- `model`: the dataclasses every stage shares.

>>> parse_report(b"").warnings
['unreadable: empty input']
"""
from gxcrawl.parse.model import PARSER_VERSION, Document, Report
from gxcrawl.parse.report import parse_report

__all__ = ["parse_report", "Report", "Document", "PARSER_VERSION"]
