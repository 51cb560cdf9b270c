"""DOCX → `Document`, with python-docx.

The body XML is walked in order, so tables stay between the right paragraphs
(content controls `w:sdt` and `w:customXml` wrappers are looked into). In a
table grid a merged cell carries its text in its first position only:
positions covered by `w:gridSpan` or by a `w:vMerge` continuation are `None`;
a real empty cell is `""`. Lines of one cell (its paragraphs, line breaks) are
joined without inserting spaces between Chinese characters.

The zip is inspected before anything is decompressed: too many members, more
than `MAX_UNCOMPRESSED` bytes in all, an absurd compression ratio (a zip bomb
posing as DOCX) or no main document part → DocumentError.

>>> load_docx(b"PK\\x03\\x04 not really a zip")
Traceback (most recent call last):
...
gxcrawl.parse.document.DocumentError: not a DOCX: broken zip archive (File is not a zip file)
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from typing import Iterator, Optional

from gxcrawl.parse.model import Block, Document, Paragraph, Table
from gxcrawl.parse.document import DocumentError
from gxcrawl.parse.document.textutil import join_lines, squeeze_spaces

#: refuse archives that would inflate to more than this
MAX_UNCOMPRESSED = 100 * 1024 * 1024
#: refuse a member that inflates more than this many times (and is > 1 MiB)
MAX_RATIO = 100
MAX_MEMBERS = 5_000
#: bounds on the grid built from a table (gridSpan="1000000" must not allocate)
MAX_SPAN = 64
MAX_COLUMNS = 256
MAX_ROWS = 20_000

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OFFICE_DOCUMENT = re.compile(r"/officeDocument$")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# ---------------------------------------------------------------- the zip

def check_zip(body: bytes) -> str:
    """Vet the archive without inflating it; return the main part's name.

    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    ...     z.writestr("word/document.xml", "<w:document/>")
    >>> check_zip(buf.getvalue())
    'word/document.xml'
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError(f"not a DOCX: broken zip archive ({exc})") from None
    if len(members) > MAX_MEMBERS:
        raise DocumentError(f"DOCX refused: {len(members)} zip members (limit {MAX_MEMBERS})")
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise DocumentError(f"DOCX refused: {total} bytes uncompressed (limit {MAX_UNCOMPRESSED}), a zip bomb?")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            raise DocumentError(f"DOCX refused: {m.filename} inflates {m.file_size // max(m.compress_size, 1)}x, "
                                "a zip bomb?")
    names = {m.filename for m in members}
    main = _main_part(archive, names)
    if main not in names:
        raise DocumentError(f"not a DOCX: no {main} in the archive")
    return main


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The officeDocument target named in _rels/.rels, else word/document.xml."""
    default = "word/document.xml"
    if "_rels/.rels" not in names or archive.getinfo("_rels/.rels").file_size > 1024 * 1024:
        return default
    try:
        from lxml import etree
        root = etree.fromstring(archive.read("_rels/.rels"), parser=_safe_parser())
    except Exception:  # noqa: BLE001 - a broken rels file: fall back to the usual name
        return default
    for rel in root:
        if OFFICE_DOCUMENT.search(rel.get("Type") or "") and rel.get("Target"):
            target = posixpath.normpath(rel.get("Target").lstrip("/"))
            return target if target in names else default
    return default


def _safe_parser():
    from lxml import etree
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# ---------------------------------------------------------------- text

_SKIP = {f"{{{MC}}}Fallback", _w("del"), _w("moveFrom"), _w("rPr"), _w("pPr"), _w("rt"),
         _w("instrText"), _w("delText"), _w("txbxContent")}


def run_text(el) -> str:
    """The visible text of a paragraph (or any run container): w:t, tabs and
    breaks; deleted text, field codes, ruby guides and the fallback copy of
    drawings are left out."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("t"):
                parts.append(child.text or "")
            elif tag == _w("tab"):
                parts.append("\t")
            elif tag in (_w("br"), _w("cr")):
                parts.append("\n")
            elif tag == _w("noBreakHyphen"):
                parts.append("-")
            else:
                walk(child)

    walk(el)
    return "".join(parts)


def _textboxes(p) -> Iterator:
    """Paragraphs inside text boxes anchored in `p` (the mc:Choice copy only)."""
    for box in p.iter(_w("txbxContent")):
        if any(a.tag == f"{{{MC}}}Fallback" for a in box.iterancestors()):
            continue
        yield from box.iter(_w("p"))


# ---------------------------------------------------------------- tables

def _val(el, path: str) -> Optional[str]:
    found = el.find(path)
    return None if found is None else found.get(_w("val"))


def _int(value: Optional[str], default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _cells(tr) -> Iterator:
    for child in tr:
        if child.tag == _w("tc"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _cells(content)


def _rows(tbl) -> Iterator:
    for child in tbl:
        if child.tag == _w("tr"):
            yield child
        elif child.tag in (_w("sdt"), _w("customXml")):
            content = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if content is not None:
                yield from _rows(content)


def cell_text(tc) -> str:
    """A cell's paragraphs (and nested tables' cells) joined as one string."""
    lines: list[str] = []
    for child in tc:
        if child.tag == _w("p"):
            lines.extend(run_text(child).split("\n"))
        elif child.tag == _w("tbl"):
            for row in table_grid(child):
                lines.extend(c for c in row if c)
        elif child.tag in (_w("sdt"), _w("customXml")):
            lines.extend(run_text(p) for p in child.iter(_w("p")))
    return join_lines(lines)


def table_grid(tbl) -> list[list[Optional[str]]]:
    """A w:tbl as a grid: gridSpan and vMerge continuations → None."""
    grid: list[list[Optional[str]]] = []
    for tr in _rows(tbl):
        if len(grid) >= MAX_ROWS:
            break
        row: list[Optional[str]] = [None] * min(_int(_val(tr, f"{_w('trPr')}/{_w('gridBefore')}"), 0), MAX_SPAN)
        for tc in _cells(tr):
            props = tc.find(_w("tcPr"))
            span = min(max(_int(_val(props, _w("gridSpan")), 1), 1), MAX_SPAN) if props is not None else 1
            vmerge = props.find(_w("vMerge")) if props is not None else None
            continued = vmerge is not None and vmerge.get(_w("val")) in (None, "continue")
            row.append(None if continued else cell_text(tc))
            row.extend([None] * (span - 1))
            if len(row) >= MAX_COLUMNS:
                break
        grid.append(row[:MAX_COLUMNS])
    width = max((len(r) for r in grid), default=0)
    return [r + [None] * (width - len(r)) for r in grid]


# ---------------------------------------------------------------- body

def body_blocks(body) -> list[Block]:
    """Paragraph and Table blocks of a w:body in document order."""
    blocks: list[Block] = []

    def paragraph(p) -> None:
        for inner in _textboxes(p):
            for line in run_text(inner).split("\n"):
                if squeeze_spaces(line):
                    blocks.append(Paragraph(squeeze_spaces(line)))
        for line in run_text(p).split("\n"):
            text = squeeze_spaces(line)
            if text:
                blocks.append(Paragraph(text))

    def walk(container) -> None:
        for child in container:
            if child.tag == _w("p"):
                paragraph(child)
            elif child.tag == _w("tbl"):
                rows = table_grid(child)
                if rows:
                    blocks.append(Table(rows))
            elif child.tag == _w("sdt"):
                content = child.find(_w("sdtContent"))
                if content is not None:
                    walk(content)
            elif child.tag == _w("customXml"):
                walk(child)

    walk(body)
    return blocks


def _open_body(body: bytes, main: str, doc: Document):
    """The w:body element, via python-docx; a package python-docx refuses
    (macro-enabled, template, odd relationships) is read from its main part."""
    import docx
    try:
        document = docx.Document(io.BytesIO(body))
        _core_properties(document, doc)
        return document.element.body
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
    from lxml import etree
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            root = etree.fromstring(archive.read(main), parser=_safe_parser())
    except Exception as exc:  # noqa: BLE001
        raise DocumentError(f"unreadable DOCX: {reason}; {main}: {' '.join(str(exc).split())[:120]}") from None
    found = root.find(_w("body"))
    if found is None:
        raise DocumentError(f"unreadable DOCX: {reason}; no w:body in {main}")
    doc.warnings.append(f"python-docx refused the package ({reason}); read {main} directly")
    return found


def _core_properties(document, doc: Document) -> None:
    try:
        props = document.core_properties
        title = squeeze_spaces(props.title or "")
        created, modified = props.created, props.modified
    except Exception:  # noqa: BLE001 - broken docProps must not lose the body
        return
    if title:
        doc.title = title
    if created:
        doc.meta["CreationDate"] = created.strftime("%Y-%m-%d")
    if modified:
        doc.meta["ModDate"] = modified.strftime("%Y-%m-%d")


def load_docx(body: bytes) -> Document:
    """DOCX bytes → Document(kind="docx"); only DocumentError escapes."""
    main = check_zip(body)
    doc = Document(kind="docx")
    try:
        doc.blocks = body_blocks(_open_body(body, main, doc))
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError("unreadable DOCX: XML nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the contract: only DocumentError escapes
        raise DocumentError(f"unreadable DOCX: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}") from None
    if not doc.blocks:
        doc.warnings.append("DOCX has no text")
    return doc
