"""The data model shared by every stage: documents in, reports out.

A `Document` is what the document layer makes of raw bytes (HTML, text, PDF,
DOCX, DOC): metadata plus an ordered list of blocks, each a paragraph or a table
grid. A `Report` is what the parser makes of a document.

>>> Report(source="x.html").to_dict()["tables"]
{'t2': {}, 't3': {}, 't4': {}, 'tpre': {}}
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Union

#: bumped whenever a change to the parsing code can change a parsed report
PARSER_VERSION = "0.8.0"


@dataclass
class Paragraph:
    text: str


@dataclass
class Table:
    """A grid of cell texts. `None` marks a position covered by a row/colspan
    (no cell of its own); `""` is a real, empty cell."""
    rows: list[list[Optional[str]]]


Block = Union[Paragraph, Table]


@dataclass
class Document:
    kind: str                      # html | text | pdf | docx | doc
    blocks: list[Block] = field(default_factory=list)
    title: Optional[str] = None    # <title> or the document's own title property
    meta: dict[str, str] = field(default_factory=dict)   # <meta name=…> (ArticleTitle, PubDate, …)
    warnings: list[str] = field(default_factory=list)
    needs_ocr: bool = False        # pages are images with no text layer
    raw_html: Optional[str] = None  # decoded HTML, for checks on markup (spam, hidden links)
    tree: Any = field(default=None, repr=False, compare=False)  # the parsed lxml tree of raw_html

    @property
    def text(self) -> str:
        return "\n".join(block_text(b) for b in self.blocks)


def block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    return "\n".join(" | ".join(c or "" for c in row) for row in block.rows)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""
    #: "accounting": an identity of the tables; "prose": a figure the prose states
    #: against the table's (`figures.prose_agrees.*`), no failure of the table
    kind: str = "accounting"


@dataclass
class Section:
    number: str      # 一, 二 … as printed
    title: str
    text: str


@dataclass
class Cell:
    table: str       # t2 | t3 | t4 | tpre
    key: str         # canonical key, e.g. new.total
    value: Optional[float]
    raw: str         # the text as printed ("", "/", "18(2019年起)")


def empty_spam() -> dict[str, Any]:
    return {"is_mirror": False, "official_host": None, "phrases": [],
            "replacements": [], "hidden_links": []}


@dataclass
class Report:
    source: str
    url: Optional[str] = None
    is_report: bool = False
    title: Optional[str] = None
    year: Optional[int] = None
    agency: Optional[str] = None
    # why that agency: [{"source", "name", "sentence", "weight"[, "completed"]}], strongest first
    agency_evidence: list[dict[str, Any]] = field(default_factory=list)
    region: Optional[dict] = None            # {"name": …, "code": …}
    published: Optional[str] = None          # YYYY-MM-DD
    format: Optional[str] = None             # pre2019 | 2019 | 2021 | mixed
    table_formats: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    text: str = ""
    tables: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}, "tpre": {}})
    cells: list[Cell] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    #: the harmonized figures across table generations (gxcrawl.parse.figures):
    #: name → {"value", "source", "evidence"}
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)
    spam: dict[str, Any] = field(default_factory=empty_spam)
    warnings: list[str] = field(default_factory=list)
    doc_kind: Optional[str] = None
    needs_ocr: bool = False
    parser_version: str = PARSER_VERSION

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def failed_checks(self) -> list[Check]:
        """The failed accounting checks (a prose figure that disagrees is no failure of the tables)."""
        return [c for c in self.checks if not c.ok and c.kind == "accounting"]
