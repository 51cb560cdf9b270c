"""HTML → Document: the main content as paragraph and table blocks.

The content container is found from the CMS families' known containers first
(TRS `TRS_Editor`, Hanweb `#zoom`, …) and by a text-density score otherwise.
Tables are real grids: a position covered by a rowspan/colspan is `None`, an
empty cell is `""`. Tables that contain tables are layout, not data, and are
read as ordinary blocks. The title line and the 发布时间 line that usually sit
just above the container are kept as leading paragraphs.

>>> doc = load_html('<html><body><div id="zoom"><p>一、总体情况</p><table><tr><td rowspan="2">a</td><td>1</td></tr><tr><td></td></tr></table></div></body></html>'.encode())
>>> doc.blocks[1].rows
[['a', '1'], [None, '']]
"""
from __future__ import annotations

import re
from typing import Optional

import lxml.html
from lxml import etree

from gxcrawl.parse.document.decode import decode_body
from gxcrawl.parse.model import Block, Document, Paragraph, Table

#: a page larger than this (in characters) is cut, with a warning
MAX_HTML_CHARS = 12_000_000
MAX_SPAN = 200

CONTENT_SELECTORS = (
    ".TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view", "#zoom", "#Zoom", ".zoom",
    "#UCAP-CONTENT", ".Custom_UnionStyle", ".article-content", ".art_con", ".artCon",
    ".pages_content", ".wzcon", ".xxgk_content", ".news_content", ".con_text", ".TRS_PreAppend",
    "#content", "#Content", ".content", "article",
)
SKIP_TAGS = {"script", "style", "noscript", "iframe", "select", "option", "button", "input",
             "textarea", "object", "embed", "svg", "canvas", "template", "head", "form"}
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
              "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
              "pre", "address", "center", "table", "tr", "td", "th", "tbody", "thead", "tfoot",
              "caption", "hr", "figure", "figcaption", "fieldset", "legend"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
DATE_LINE = re.compile(r"(发布|时间|日期|来源|发文|成文).{0,12}(19|20)\d\d\s*[-年./]")
TITLE_LINE = re.compile(r"(?:19|20)\d\d.{0,40}(?:报告|年报|报表)")


def normalize_space(text: str) -> str:
    """Collapse every kind of white space to one ASCII space and strip.

    >>> normalize_space("\\u3000本年新\\n 制作数量\\xa0")
    '本年新 制作数量'
    """
    return SPACES.sub(" ", text).strip()


def load_html(body: bytes, headers: Optional[dict] = None, url: Optional[str] = None) -> Document:
    text, encoding, warnings = decode_body(body, headers)
    if len(text) > MAX_HTML_CHARS:
        warnings.append(f"page of {len(text)} characters cut to {MAX_HTML_CHARS}")
        text = text[:MAX_HTML_CHARS]
    doc = Document(kind="html", warnings=warnings, raw_html=text)
    doc.meta["encoding"] = encoding
    root = parse_html(text)
    if root is None:
        doc.warnings.append("no HTML element could be parsed")
        return doc
    doc.tree = root
    doc.meta.update(meta_tags(root))
    doc.title = page_title(root)
    container = find_container(root)
    body_el = root.find("body")
    scope = body_el if body_el is not None else root
    blocks, start, end = element_blocks(scope, container)
    header = [b for b in blocks[max(0, start - 12):start]
              if isinstance(b, Paragraph) and len(b.text) < 160
              and (DATE_LINE.search(b.text) or TITLE_LINE.search(b.text))]
    doc.blocks = header + blocks[start:end]
    return doc


def parse_html(text: str):
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
    if not text.strip():
        return None
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        return lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def meta_tags(root) -> dict[str, str]:
    """<meta name=… content=…> as a dict (first occurrence wins)."""
    out: dict[str, str] = {}
    for meta in root.iter("meta"):
        name = meta.get("name") or meta.get("property")
        content = meta.get("content")
        if name and content is not None and name not in out:
            out[name.strip()] = normalize_space(content)
    return out


def page_title(root) -> Optional[str]:
    title = root.find(".//title")
    if title is not None and title.text_content():
        return normalize_space(title.text_content())
    return None


def is_hidden(el) -> bool:
    style = el.get("style")
    return bool(style and HIDDEN_STYLE.search(style)) or el.get("hidden") is not None


def visible_text_length(el) -> int:
    total = 0
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in SKIP_TAGS:
            continue
        if node.text:
            total += len(node.text.strip())
        if node.tail and node is not el:
            total += len(node.tail.strip())
    return total


def find_container(root):
    """The element holding the article: a known CMS container, else the best-scoring block."""
    best, best_len = None, 0
    for selector in CONTENT_SELECTORS:
        try:
            matches = root.cssselect(selector)
        except Exception:  # an invalid selector for this tree; never fatal
            continue
        for el in matches:
            length = visible_text_length(el)
            if length > best_len:
                best, best_len = el, length
        if best is not None and best_len >= 200:
            return best
    density_best = density_container(root)
    if density_best is not None and (best is None or visible_text_length(density_best) > best_len * 2):
        return density_best
    return best if best is not None else root


def density_container(root):
    """Readability-style choice: paragraphs vote for their parent and grandparent,
    link text counts against."""
    scores: dict = {}
    for el in root.iter("p", "td", "div", "span", "font", "section", "li"):
        if el.getparent() is None:
            continue
        own = "".join(t for t in (el.text or "",) + tuple(c.tail or "" for c in el)).strip()
        if len(own) < 20:
            continue
        link_chars = sum(len(a.text_content()) for a in el.iter("a"))
        score = len(own) - 2 * link_chars
        if score <= 0:
            continue
        parent = el.getparent()
        scores[parent] = scores.get(parent, 0) + score
        grand = parent.getparent()
        if grand is not None:
            scores[grand] = scores.get(grand, 0) + score / 2
    if not scores:
        return None
    return max(scores.items(), key=lambda kv: kv[1])[0]


def is_layout_table(table) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def element_blocks(scope, container) -> tuple[list[Block], int, int]:
    """Blocks of `scope` in document order, and the [start, end) range of those
    that come from `container`."""
    blocks: list[Block] = []
    line: list[str] = []
    marks = {"start": 0, "end": None}

    def flush() -> None:
        text = normalize_space("".join(line))
        line.clear()
        if text:
            blocks.append(Paragraph(text))

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None:
            return
        tag = tag.lower()
        if tag in SKIP_TAGS or is_hidden(node):
            return
        if node is container:
            flush()
            marks["start"] = len(blocks)
        if tag == "table" and not is_layout_table(node):
            flush()
            grid = table_grid(node)
            if grid.rows:
                blocks.append(grid)
        elif tag == "br":
            flush()
        else:
            is_block = tag in BLOCK_TAGS
            if is_block:
                flush()
            if node.text:
                line.append(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    line.append(child.tail)
            if is_block:
                flush()
        if node is container:
            flush()
            marks["end"] = len(blocks)

    walk(scope)
    flush()
    end = marks["end"] if marks["end"] is not None else len(blocks)
    if container is None or container is scope or marks["end"] is None:
        return blocks, 0, len(blocks)
    return blocks, marks["start"], end


def cell_text(cell) -> str:
    parts = []
    for node in cell.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in SKIP_TAGS or is_hidden(node):
            continue
        if node.text:
            parts.append(node.text)
        if node is not cell and node.tail:
            parts.append(node.tail)
    return normalize_space("".join(parts))


def _span(value: Optional[str]) -> int:
    try:
        return max(1, min(MAX_SPAN, int(str(value).strip() or 1)))
    except ValueError:
        return 1


def table_grid(table) -> Table:
    """A <table> as a grid honouring rowspan/colspan (covered positions are None)."""
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    covered: set[tuple[int, int]] = set()
    grid: list[list[Optional[str]]] = []
    for r, tr in enumerate(rows):
        row: list[Optional[str]] = []
        col = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag.lower() not in ("td", "th"):
                continue
            while (r, col) in covered:
                row.append(None)
                col += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            row.append(cell_text(cell))
            row.extend([None] * (colspan - 1))
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    covered.add((r + dr, col + dc))
            col += colspan
        while (r, col) in covered:
            row.append(None)
            col += 1
        if any(c is not None for c in row):
            grid.append(row)
    return Table(rows=grid)


def _owning_table(tr):
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent
