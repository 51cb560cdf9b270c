"""PDF → `Document`, with pdfplumber.

Per page, in reading order (top to bottom): ruled tables become `Table` blocks,
the text outside them becomes `Paragraph` blocks (wrapped lines are joined back
into paragraphs, bare page numbers such as "- 3 -" are dropped).

What real report PDFs need, and what this module does about it:

* WPS/Jisupdf paint a white filled rectangle behind every line of text; taken
  as rulings they turn the whole page into a one-column "table". Wide filled
  rectangles without a stroke are backgrounds, not rulings, and are ignored.
* A table continued over a page break has no closing/opening horizontal rule,
  so the last row on a page and the first on the next would be lost; where two
  or more vertical rules end at the same height with nothing there, a closing
  rule is added.
* Text inside one cell, or one paragraph, that wraps over several lines is
  joined without inserting spaces between Chinese characters, and the spaces
  that justified text puts between CJK characters ("情 形", "2023 年") are
  removed.
* Bounded work: at most `MAX_PAGES` pages are read (the rest is dropped with a
  warning), `MAX_SECONDS` in all; pages with absurdly many characters, vector
  objects or content bytes are skipped or read without table detection, with a
  warning.
* Encrypted PDFs are opened with the empty user password; if a password is
  really needed → DocumentError("encrypted PDF: …"). Truncated files or files
  with a broken xref are rebuilt (cut at the last complete object, a trailer
  pointing at the catalog appended) and whatever pages survive are read.
* Pages without a text layer (scans) set `needs_ocr` with a warning.

>>> join_lines(["（二）部分公开（区分处理的，只计这一情 形，不", "计其他情形）"])
'（二）部分公开（区分处理的，只计这一情形，不计其他情形）'
"""
from __future__ import annotations

import contextlib
import io
import logging
import re
import statistics
import time
import zlib
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from gxcrawl.parse.model import Document, Paragraph, Table
from gxcrawl.parse.document import DocumentError

#: pages beyond this are not read (a warning says so); reports have < 30 pages
MAX_PAGES = 300
#: wall-clock budget for one PDF; pages after it are dropped with a warning
MAX_SECONDS = 60.0
#: a page with more characters than this is skipped (pathological)
MAX_PAGE_CHARS = 100_000
#: a page with more vector objects than this is read without table detection
MAX_PAGE_GRAPHICS = 5_000
#: a page whose decompressed content streams exceed this is skipped
MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024

from gxcrawl.parse.document.textutil import join_lines, squeeze_spaces
_CID = re.compile(r"\(cid:\d+\)")

_PAGE_NUMBER = re.compile(
    r"^[-－—–_~·•\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-－—–_~·•\s]*$"
    r"|^(page|p\.)\s*\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.I)


def is_page_number(text: str) -> bool:
    """
    >>> [is_page_number(t) for t in ("- 3 -", "3", "第 2 页 共 5 页", "3/5", "2023 年")]
    [True, True, True, True, False]
    """
    return bool(_PAGE_NUMBER.match(text.strip()))


_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[章节条部分])")
_NUMBER_TOKEN = re.compile(r"(?<!\S)[-+]?\d[\d,.]*%?(?!\S)")


# ---------------------------------------------------------------- metadata

def decode_pdf_string(value: Any) -> Optional[str]:
    """A PDF text string (bytes) → str: UTF-16 with either BOM, UTF-8, GB18030
    (Chinese producers write it raw), else PDFDocEncoding.

    >>> decode_pdf_string(b"\\xff\\xfe*m\\xfdl")
    '洪泽'
    """
    if isinstance(value, str):
        return value
    if not isinstance(value, (bytes, bytearray)):
        return None
    raw = bytes(value)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    from pdfminer.utils import decode_text
    return decode_text(raw)


_TITLE_JUNK = re.compile(r"^(microsoft\s+(word|excel)\s*-\s*|wps\s*-\s*)|\.(docx?|wps|pdf|xlsx?)$", re.I)


def clean_title(title: Optional[str]) -> Optional[str]:
    """
    >>> clean_title("Microsoft Word - 2023年报告.docx")
    '2023年报告'
    """
    if not title:
        return None
    title = _TITLE_JUNK.sub("", title.replace("\x00", "")).strip()
    title = squeeze_spaces(title)
    if not title or title.lower() in {"untitled", "无标题", "unknown"}:
        return None
    return title


def pdf_date(value: Optional[str]) -> Optional[str]:
    """
    >>> pdf_date("D:20240226144123+06'41'")
    '2024-02-26'
    """
    m = re.match(r"^(?:D:)?(\d{4})(\d{2})(\d{2})", (value or "").strip())
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _read_metadata(pdf: Any, doc: Document) -> None:
    from pdfminer.pdftypes import resolve1
    info: dict[str, Any] = {}
    for entry in getattr(pdf.doc, "info", None) or []:
        if isinstance(entry, dict):
            info.update(entry)
    title = clean_title(decode_pdf_string(resolve1(info.get("Title"))))
    if title:
        doc.title = title
    created = pdf_date(decode_pdf_string(resolve1(info.get("CreationDate"))))
    if created:
        doc.meta["CreationDate"] = created
        doc.meta["PubDate"] = created


# ---------------------------------------------------------------- opening

@contextlib.contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs a warning per odd font or object; keep them out of the logs."""
    loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels):
            lg.setLevel(level)


def _root_cause(exc: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in PdfminerException(original)."""
    if exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc.__cause__ or exc.__context__ or exc


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def rebuild_trailer(body: bytes) -> Optional[bytes]:
    """A truncated PDF (or one whose xref/trailer is gone) made readable again:
    cut after the last complete object and append a trailer whose /Root is the
    last object that declares /Type /Catalog. None if there is no catalog.

    >>> rebuild_trailer(b"%PDF-1.4\\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\\n2 0 obj <</Ty")[-37:]
    b'endobj\\ntrailer\\n<</Root 1 0 R>>\\n%%EOF\\n'
    """
    end = body.rfind(b"endobj")
    if end < 0:
        return None
    head = body[:end + len(b"endobj")]
    root = None
    for m in re.finditer(rb"(\d+)\s+(\d+)\s+obj\s*<<(?:(?!endobj).){0,4000}?/Type\s*/Catalog\b", head, re.S):
        root = m
    if root is None:
        return None
    return head + b"\ntrailer\n<</Root %s %s R>>\n%%%%EOF\n" % (root.group(1), root.group(2))


def _open(body: bytes, warnings: list[str]) -> Any:
    """Open with pdfplumber (empty password); rebuild a broken file once."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    def attempt(data: bytes) -> Any:
        pdf = pdfplumber.open(io.BytesIO(data), password="")
        try:
            if not pdf.pages:
                raise DocumentError("PDF has no pages")
        except DocumentError:
            pdf.close()
            raise
        return pdf

    try:
        return attempt(body)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds
        cause = _root_cause(exc)
        if isinstance(cause, PDFPasswordIncorrect):
            raise DocumentError("encrypted PDF: a password is required to open it") from None
        if isinstance(cause, PDFEncryptionError) or "encrypt" in str(cause).lower():
            raise DocumentError(f"encrypted PDF: cannot decrypt ({_one_line(cause)})") from None
        first_error = cause
    rebuilt = rebuild_trailer(body)
    if rebuilt is not None:
        try:
            pdf = attempt(rebuilt)
        except Exception:  # noqa: BLE001
            pdf = None
        if pdf is not None:
            warnings.append(f"damaged PDF ({_one_line(first_error)}): rebuilt the trailer, "
                            f"{len(pdf.pages)} page(s) recovered")
            return pdf
    raise DocumentError(f"unreadable PDF: {_one_line(first_error)}")


# ---------------------------------------------------------------- page guards

def _content_size(page: Any, limit: int) -> int:
    """Decompressed size of the page's content streams, counted up to `limit`
    without ever holding more than that in memory (flate bombs)."""
    from pdfminer.pdftypes import resolve1
    total = 0
    for stream in page.page_obj.contents or []:
        stream = resolve1(stream)
        raw = getattr(stream, "rawdata", None)
        if raw is None:
            raw = getattr(stream, "data", None) or b""
            total += len(raw)
            continue
        filters = resolve1(stream.attrs.get("Filter")) if hasattr(stream, "attrs") else None
        names = [getattr(f, "name", f) for f in (filters if isinstance(filters, list) else [filters])]
        if "FlateDecode" in names or "Fl" in names:
            try:
                decompressor = zlib.decompressobj()
                total += len(decompressor.decompress(raw, limit - total + 1))
            except zlib.error:
                total += len(raw)
        else:
            total += len(raw)
        if total > limit:
            break
    return total


def _page_problem(page: Any) -> Optional[str]:
    """Why a page must be skipped (None if it can be read)."""
    try:
        size = _content_size(page, MAX_PAGE_CONTENT_BYTES)
    except Exception:  # noqa: BLE001 - a guard must not fail the page
        size = 0
    if size > MAX_PAGE_CONTENT_BYTES:
        return f"content stream over {MAX_PAGE_CONTENT_BYTES // (1024 * 1024)} MiB"
    if len(page.chars) > MAX_PAGE_CHARS:
        return f"{len(page.chars)} characters"
    return None


# ---------------------------------------------------------------- tables

def _is_ruling(obj: dict) -> bool:
    """Objects whose edges may rule a table: lines, curves, stroked rectangles
    and thin filled rectangles. A wide filled, unstroked rectangle is a
    background (WPS paints one white box behind each line of text)."""
    if obj.get("object_type") != "rect":
        return True
    if obj.get("stroke"):
        return True
    return min(obj.get("width", 0), obj.get("height", 0)) <= 2.0


def _closing_rules(edges: list[dict], tol: float = 3.0) -> list[dict]:
    """Horizontal rules that a table split over pages is missing: where two or
    more vertical rules end (or start) at the same height and no horizontal
    rule passes there, add one spanning them."""
    vertical = [e for e in edges if e.get("orientation") == "v"]
    horizontal = [e for e in edges if e.get("orientation") == "h"]

    def covered(x: float, y: float) -> bool:
        return any(abs(h["top"] - y) <= tol and h["x0"] - tol <= x <= h["x1"] + tol for h in horizontal)

    dangling: list[tuple[float, float]] = []
    for v in vertical:
        for y in (v["top"], v["bottom"]):
            if not covered(v["x0"], y):
                dangling.append((y, v["x0"]))
    dangling.sort()
    rules: list[dict] = []
    group: list[tuple[float, float]] = []
    for point in dangling + [(float("inf"), 0.0)]:
        if group and point[0] - group[0][0] > tol:
            if len(group) >= 2:
                y = statistics.median(p[0] for p in group)
                x0, x1 = min(p[1] for p in group), max(p[1] for p in group)
                if x1 - x0 > 2 * tol:
                    rules.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0,
                                  "height": 0, "orientation": "h", "object_type": "line"})
            group = []
        group.append(point)
    return rules


@dataclass
class _Found:
    bbox: tuple[float, float, float, float]
    rows: list[list[Optional[str]]]


def clean_grid(raw: list[list[Optional[str]]]) -> list[list[Optional[str]]]:
    """pdfplumber's extracted grid with each cell's wrapped lines joined.

    >>> clean_grid([["商业\\n企业", None, ""]])
    [['商业企业', None, '']]
    """
    return [[None if cell is None else join_lines(_CID.sub("", cell).split("\n")) for cell in row]
            for row in raw]


def _is_real_table(rows: list[list[Optional[str]]]) -> bool:
    """At least two rows and two columns with text; a one-column grid is a
    framed text box, read as paragraphs instead."""
    if len(rows) < 2:
        return False
    filled_columns = {i for row in rows for i, cell in enumerate(row) if cell}
    return len(filled_columns) >= 2


def _find_tables(page: Any, warnings: list[str], page_no: int) -> list[_Found]:
    graphics = len(page.rects) + len(page.lines) + len(page.curves)
    if graphics > MAX_PAGE_GRAPHICS:
        warnings.append(f"page {page_no}: {graphics} vector objects, tables not detected")
        return []
    ruled = page.filter(_is_ruling)
    found = _tables_on(ruled)
    if not found:   # unusual drawing: let every rectangle rule
        found = _tables_on(page)
    return found


def _tables_on(page: Any) -> list[_Found]:
    closing = _closing_rules(page.edges)
    found = []
    for table in page.find_tables({"explicit_horizontal_lines": closing}):
        rows = clean_grid(table.extract())
        if not _is_real_table(rows):
            continue
        top = table.bbox[1]
        if any(abs(rule["top"] - top) <= 3.0 for rule in closing):
            rows[0] = continued_row(rows[0])
        found.append(_Found(tuple(table.bbox), rows))
    return found


def continued_row(row: list[Optional[str]]) -> list[Optional[str]]:
    """The first row of a table continued from the previous page: its leading
    empty cells are the rest of row-spanning label cells begun on that page,
    so they are covered positions (None), not empty cells.

    >>> continued_row(["", "", "3.补正后申请内容仍不明确", "0", ""])
    [None, None, '3.补正后申请内容仍不明确', '0', '']
    """
    out = list(row)
    for i, cell in enumerate(out):
        if cell:
            break
        out[i] = None
    return out


# ---------------------------------------------------------------- text lines

@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    gappy: bool       # wide gaps between characters: a row of an unruled table


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _text_lines(page: Any, tables: list[_Found]) -> list[_Line]:
    bboxes = [t.bbox for t in tables]
    outside = page.filter(lambda o: o.get("object_type") != "char" or not any(_inside(o, b) for b in bboxes))
    lines = []
    for raw in outside.extract_text_lines(return_chars=True, strip=True):
        text = squeeze_spaces(_CID.sub("", raw["text"]))
        if not text:
            continue
        chars = raw.get("chars") or []
        sizes = [c.get("size", 0) for c in chars if c.get("size")]
        size = statistics.median(sizes) if sizes else max(raw["bottom"] - raw["top"], 1.0)
        gappy = any(b["x0"] - a["x1"] > 3 * size for a, b in zip(chars, chars[1:]))
        lines.append(_Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], size, gappy))
    return lines


def _drop_page_numbers(lines: list[_Line], height: float) -> list[_Line]:
    """Bare page numbers in the top or bottom 15 % of the page, or as the very
    first/last line, are not text."""
    keep = []
    for i, line in enumerate(lines):
        marginal = line.top > height * 0.85 or line.bottom < height * 0.15 or i in (0, len(lines) - 1)
        if marginal and is_page_number(line.text):
            continue
        keep.append(line)
    return keep


def _tabular(line: _Line) -> bool:
    return line.gappy or len(_NUMBER_TOKEN.findall(line.text)) >= 3


# ---------------------------------------------------------------- assembly

class _Assembler:
    """Turns the page-ordered lines and tables into blocks, joining wrapped
    lines into paragraphs (also across a page break)."""

    def __init__(self) -> None:
        self.blocks: list = []
        self.lines: list[str] = []      # the open paragraph
        self.open_ends = False          # did its last line run to the right margin?
        self.last: Optional[_Line] = None
        self.table_page = 0             # page of the last table block

    def flush(self) -> None:
        if self.lines:
            text = join_lines(self.lines)
            if text:
                self.blocks.append(Paragraph(text))
        self.lines, self.open_ends, self.last = [], False, None

    def table(self, rows: list[list[Optional[str]]], page_no: int) -> None:
        """A table right after a table that ended the previous page, with as
        many columns, continues it: its first row's leading blanks are covered."""
        self.flush()
        previous = self.blocks[-1] if self.blocks else None
        if (isinstance(previous, Table) and self.table_page == page_no - 1 and previous.rows
                and len(previous.rows[0]) == len(rows[0])):
            rows = [continued_row(rows[0])] + rows[1:]
        self.blocks.append(Table(rows))
        self.table_page = page_no

    def line(self, line: _Line, left: float, right: float) -> None:
        indented = line.x0 > left + 1.5 * line.size
        starts = (not self.open_ends or indented or _HEADING.match(line.text) or _tabular(line)
                  or (self.last is not None and line.top - self.last.bottom > 1.5 * line.size))
        if starts:
            self.flush()
        self.lines.append(line.text)
        self.open_ends = line.x1 >= right - 2 * line.size and not _tabular(line)
        self.last = line

    def page_break(self) -> None:
        self.last = None   # vertical gaps do not count across pages


def _margins(lines: list[_Line], previous: tuple[float, float]) -> tuple[float, float]:
    """Left edge and (80th percentile) right edge of the page's text; a page
    with few lines keeps the previous page's."""
    if len(lines) < 4:
        return previous
    rights = sorted(line.x1 for line in lines)
    return min(line.x0 for line in lines), rights[int(len(rights) * 0.8)]


def _read_pages(pdf: Any, doc: Document, started: float) -> None:
    pages = pdf.pages
    if len(pages) > MAX_PAGES:
        doc.warnings.append(f"{len(pages)} pages: only the first {MAX_PAGES} were read")
    assembler = _Assembler()
    margins = (0.0, 0.0)
    text_chars = cid_chars = 0
    image_pages: list[int] = []
    pages_read = 0
    for index, page in enumerate(pages[:MAX_PAGES]):
        page_no = index + 1
        if time.monotonic() - started > MAX_SECONDS:
            doc.warnings.append(f"time limit ({MAX_SECONDS:.0f} s) reached: pages from {page_no} on not read")
            break
        try:
            problem = _page_problem(page)
            if problem:
                doc.warnings.append(f"page {page_no} skipped: {problem}")
                continue
            pages_read += 1
            chars = page.chars
            cid_chars += sum(1 for c in chars if c.get("text", "").startswith("(cid:"))
            visible = sum(1 for c in chars if c.get("text", "").strip())
            text_chars += visible
            if visible == 0:
                if _mostly_image(page):
                    image_pages.append(page_no)
                continue
            tables = _find_tables(page, doc.warnings, page_no)
            lines = _drop_page_numbers(_text_lines(page, tables), float(page.height))
            margins = _margins(lines, margins if margins[1] else _fallback_margins(page))
            items: list[tuple[float, int, Any]] = [(t.bbox[1], 0, t) for t in tables]
            items += [(line.top, 1, line) for line in lines]
            assembler.page_break()
            for _, _, item in sorted(items, key=lambda it: (it[0], it[1])):
                if isinstance(item, _Found):
                    assembler.table(item.rows, page_no)
                else:
                    assembler.line(item, *margins)
        except DocumentError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the rest
            doc.warnings.append(f"page {page_no} unreadable: {_one_line(exc)}")
        finally:
            _release(page)
    assembler.flush()
    doc.blocks = assembler.blocks
    _judge_text_layer(doc, text_chars, cid_chars, image_pages, pages_read)


def _fallback_margins(page: Any) -> tuple[float, float]:
    return float(page.width) * 0.12, float(page.width) * 0.88


def _mostly_image(page: Any) -> bool:
    area = float(page.width) * float(page.height) or 1.0
    return any(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) > 0.3 * area for im in page.images)


def _release(page: Any) -> None:
    with contextlib.suppress(Exception):
        page.close()


def _judge_text_layer(doc: Document, text_chars: int, cid_chars: int, image_pages: list[int],
                      pages: int) -> None:
    """Set needs_ocr when the pages read have no (usable) text layer."""
    if pages == 0:      # nothing read (limits): the warnings already say why
        return
    if text_chars == 0:
        doc.needs_ocr = True
        doc.warnings.append(f"no text layer in {pages} page(s): scanned images, needs OCR")
        return
    if text_chars and cid_chars > 0.3 * text_chars:
        doc.needs_ocr = True
        doc.warnings.append("text layer unreadable (fonts without a Unicode map): needs OCR")
    if image_pages:
        doc.needs_ocr = True
        shown = ", ".join(str(p) for p in image_pages[:20])
        doc.warnings.append(f"page(s) {shown} have no text layer (images): needs OCR")


# ---------------------------------------------------------------- entry point

def load_pdf(body: bytes) -> Document:
    """PDF bytes → Document(kind="pdf"); raises DocumentError for input that
    cannot be read (never anything else).

    >>> load_pdf(b"%PDF-1.4 garbage")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    gxcrawl.parse.document.DocumentError: unreadable PDF: ...
    """
    started = time.monotonic()
    doc = Document(kind="pdf")
    if not body or not body.strip():
        raise DocumentError("empty PDF")
    try:
        with _quiet_pdfminer():
            pdf = _open(body, doc.warnings)
            try:
                with contextlib.suppress(Exception):
                    _read_metadata(pdf, doc)
                _read_pages(pdf, doc, started)
            finally:
                with contextlib.suppress(Exception):
                    pdf.close()
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError("unreadable PDF: objects nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the contract: only DocumentError escapes
        raise DocumentError(f"unreadable PDF: {type(exc).__name__}: {_one_line(exc)}") from None
    return doc
