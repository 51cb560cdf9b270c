"""Legacy Word (.doc, OLE2) → `Document`, with Debian's `antiword`.

antiword runs as a subprocess with an argument list (never a shell), a
timeout, a minimal environment, and the input written to a private temporary
directory under a fixed name. Its DocBook output (`-x db`) is used: it keeps
paragraphs and table rows apart, which its plain-text mode cannot (a wrapped
cell and a new row with empty first cells look the same there). Column spans
are recovered from the `colspec` widths: a cell as wide as two columns of the
table's finest grid is followed by one `None`. Vertical merges are not in
antiword's output, so their continuation cells come out as `""`.

If the DocBook output cannot be parsed, the plain-text output is used instead,
where consecutive `|`-separated lines become one Table (one row per line).

WPS and XLS files share the OLE2 container; antiword cannot read them, and the
DocumentError says what the container seems to hold.

>>> rows_from_pipe_lines(["|信息内容 |本年制发件数 |", "|规章 |0 |"])
[['信息内容', '本年制发件数'], ['规章', '0']]
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

from gxcrawl.parse.model import Block, Document, Paragraph, Table
from gxcrawl.parse.document import DocumentError
from gxcrawl.parse.document.textutil import join_lines, squeeze_spaces

#: seconds antiword may run
TIMEOUT = 30
#: refuse antiword output larger than this (bytes)
MAX_OUTPUT = 64 * 1024 * 1024
INPUT_NAME = "input.doc"

_OLE_STREAMS = {
    "WordDocument": "a Word document",
    "Workbook": "an Excel workbook (XLS)",
    "PowerPoint Document": "a PowerPoint presentation (PPT)",
    "EncryptedPackage": "an encrypted Office document",
}


def ole_streams(body: bytes) -> list[str]:
    """Names of well-known OLE2 streams found in the container's directory
    (a cheap scan for their UTF-16LE names; enough for a clear message).

    >>> ole_streams("xxWorkbookxx".encode("utf-16-le"))
    ['Workbook']
    """
    return [name for name in _OLE_STREAMS if name.encode("utf-16-le") in body]


def _container_kind(body: bytes) -> str:
    streams = ole_streams(body)
    for name in ("EncryptedPackage", "Workbook", "PowerPoint Document", "WordDocument"):
        if name in streams:
            return _OLE_STREAMS[name]
    return "an OLE2 file without a Word stream (WPS, or damaged)"


# ---------------------------------------------------------------- antiword

def antiword_path() -> Optional[str]:
    return shutil.which("antiword")


def run_antiword(body: bytes, args: list[str]) -> bytes:
    """antiword ARGS input.doc → stdout bytes; DocumentError on any failure."""
    exe = antiword_path()
    if exe is None:
        raise DocumentError("cannot read legacy .doc: antiword is not installed (apt-get install antiword)")
    with tempfile.TemporaryDirectory(prefix="gxcrawl-doc-") as tmp:
        source = Path(tmp) / INPUT_NAME
        source.write_bytes(body)
        out_path = Path(tmp) / "out"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp, "LANG": "C.UTF-8"}
        try:
            with open(out_path, "wb") as out:
                proc = subprocess.run([exe, *args, str(source)], stdout=out, stderr=subprocess.PIPE,
                                      stdin=subprocess.DEVNULL, cwd=tmp, env=env, timeout=TIMEOUT,
                                      check=False, shell=False, preexec_fn=_child_limits)
        except subprocess.TimeoutExpired:
            raise DocumentError(f"antiword timed out after {TIMEOUT} s") from None
        except OSError as exc:
            raise DocumentError(f"antiword could not run: {exc}") from None
        size = out_path.stat().st_size
        if proc.returncode != 0:
            message = _stderr_line(proc.stderr, str(source))
            raise DocumentError(f"antiword failed on {_container_kind(body)}: {message}")
        if size > MAX_OUTPUT:
            raise DocumentError(f"antiword output too large ({size} bytes)")
        return out_path.read_bytes()


def _child_limits() -> None:
    """In the converter's process, before exec: it cannot write a file larger than
    MAX_OUTPUT (a DOC that inflates forever), use more than 1 GiB of memory or TIMEOUT s of CPU."""
    import resource
    for limit, value in ((resource.RLIMIT_FSIZE, MAX_OUTPUT + 1), (resource.RLIMIT_AS, 1 << 30),
                         (resource.RLIMIT_CPU, TIMEOUT + 1)):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def _stderr_line(stderr: bytes, path: str) -> str:
    text = stderr.decode("utf-8", "replace").replace(path, "the file").replace(INPUT_NAME, "the file")
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return (lines[0] if lines else "no output, exit status non-zero")[:200]


# ---------------------------------------------------------------- DocBook

_TEXT_BLOCKS = {"para", "title", "simpara", "literallayout", "programlisting", "screen", "entry",
                "term", "subtitle", "bridgehead"}
_SKIP = {"bookinfo", "articleinfo", "indexterm", "remark"}


def docbook_blocks(xml: bytes) -> tuple[list[Block], Optional[str]]:
    """antiword's DocBook → (blocks, title from bookinfo)."""
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             recover=False)
    root = etree.fromstring(xml, parser=parser)
    title = None
    info_title = root.find("bookinfo/title")
    if info_title is None:
        info_title = root.find("title")
    if info_title is not None:
        title = fix_mojibake(squeeze_spaces("".join(info_title.itertext()))) or None
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        for line in "".join(buffer).split("\n"):
            text = squeeze_spaces(line)
            if text:
                blocks.append(Paragraph(text))
        buffer.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP or (tag == "title" and el.getparent() is root):
            return
        if tag in ("informaltable", "table"):
            flush()
            rows = docbook_table(el)
            if rows:
                blocks.append(Table(rows))
            return
        if tag in _TEXT_BLOCKS:
            flush()
        if el.text:
            buffer.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if tag in _TEXT_BLOCKS:
            flush()

    walk(root)
    flush()
    return blocks, title


def fix_mojibake(text: str) -> str:
    """antiword copies the document properties' bytes (UTF-8 or GBK) into its
    output as if they were Windows-1252; undo that when it yields Chinese.

    >>> fix_mojibake("æµ‹è¯•æŠ¥å‘Š")
    '测试报告'
    >>> fix_mojibake("Annual report")
    'Annual report'
    """
    for single in ("cp1252", "latin-1"):
        try:
            raw = text.encode(single)
        except UnicodeEncodeError:
            continue
        for encoding in ("utf-8", "gb18030"):
            try:
                fixed = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if re.search(r"[\u4e00-\u9fff]", fixed):
                return fixed
    return text


def _widths(tgroup) -> list[float]:
    widths = []
    for spec in tgroup.findall("colspec"):
        value = (spec.get("colwidth") or "").rstrip("pt*")
        try:
            widths.append(float(value))
        except ValueError:
            widths.append(0.0)
    return widths


def _edges(widths: list[float]) -> list[float]:
    edges, x = [0.0], 0.0
    for w in widths:
        x += w
        edges.append(round(x, 1))
    return edges


def merge_edges(all_edges: list[list[float]], tol: float = 3.0) -> list[float]:
    """The finest column grid of a table whose row groups have different
    columns (antiword starts a new tgroup whenever the cells change).

    >>> merge_edges([[0, 216, 324, 432], [0, 108, 216, 324, 432]])
    [0, 108, 216, 324, 432]
    """
    out: list[float] = []
    for x in sorted(x for edges in all_edges for x in edges):
        if not out or x - out[-1] > tol:
            out.append(x)
    return out


def _span(start: float, end: float, grid: list[float], tol: float = 3.0) -> tuple[int, int]:
    first = min(range(len(grid)), key=lambda i: abs(grid[i] - start))
    last = min(range(len(grid)), key=lambda i: abs(grid[i] - end))
    return first, max(last - first, 1)


def docbook_table(table) -> list[list[Optional[str]]]:
    """An informaltable (several tgroups) as one grid with None for spans."""
    groups = table.findall("tgroup")
    widths = [_widths(g) for g in groups]
    usable = all(widths) and all(sum(w) > 0 for w in widths)
    grid = merge_edges([_edges(w) for w in widths]) if usable else []
    rows: list[list[Optional[str]]] = []
    for group, group_widths in zip(groups, widths):
        edges = _edges(group_widths) if usable else []
        for row in group.iter("row"):
            cells: list[Optional[str]] = []
            for i, entry in enumerate(row.findall("entry")):
                text = join_lines("".join(entry.itertext()).split("\n"))
                cells.append(text)
                if usable and i + 1 < len(edges):
                    _, span = _span(edges[i], edges[i + 1], grid)
                    cells.extend([None] * (span - 1))
            rows.append(cells)
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


# ---------------------------------------------------------------- plain text

def rows_from_pipe_lines(lines: list[str]) -> list[list[Optional[str]]]:
    """antiword's text-mode table lines ("|a |b |") → rows of cell texts."""
    rows = []
    for line in lines:
        cells = line.strip().strip("|").split("|")
        rows.append([squeeze_spaces(c) for c in cells])
    width = max((len(r) for r in rows), default=0)
    return [r + [None] * (width - len(r)) for r in rows]


def text_blocks(text: str) -> list[Block]:
    """antiword's plain text → Paragraphs, and Tables for runs of |-lines."""
    blocks: list[Block] = []
    pending: list[str] = []
    for line in text.replace("\f", "\n").split("\n") + [""]:
        if line.strip().startswith("|") and line.strip().endswith("|"):
            pending.append(line)
            continue
        if pending:
            blocks.append(Table(rows_from_pipe_lines(pending)))
            pending = []
        text_line = squeeze_spaces(line)
        if text_line:
            blocks.append(Paragraph(text_line))
    return blocks


# ---------------------------------------------------------------- entry point

def load_doc(body: bytes) -> Document:
    """OLE2 .doc bytes → Document(kind="doc"); only DocumentError escapes."""
    if not body:
        raise DocumentError("empty DOC")
    streams = ole_streams(body)
    if "WordDocument" not in streams:
        if "EncryptedPackage" in streams:
            raise DocumentError("encrypted Office document: a password is required")
        if streams:
            raise DocumentError(f"not a Word document: the OLE2 container holds {_container_kind(body)}")
    doc = Document(kind="doc")
    try:
        xml = run_antiword(body, ["-x", "db"])
        try:
            doc.blocks, title = docbook_blocks(xml)
            doc.title = title
        except Exception as exc:  # noqa: BLE001 - odd characters in antiword's XML
            doc.warnings.append(f"antiword DocBook output unusable ({type(exc).__name__}); used plain text")
            text = run_antiword(body, ["-m", "UTF-8.txt", "-w", "0"])
            doc.blocks = text_blocks(text.decode("utf-8", "replace"))
    except DocumentError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: only DocumentError escapes
        raise DocumentError(f"unreadable DOC: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}") from None
    if not doc.blocks:
        doc.warnings.append("DOC has no text")
    return doc
