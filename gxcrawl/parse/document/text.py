"""Plain text (pages captured as text, like the seeds) → Document.

Each non-empty line becomes a paragraph; tables written one cell per line or
with `|`/tab separators are left to the table parser, which reads lines.

>>> load_text("标题\\n\\n 正文 ".encode("gbk")).text
'标题\\n正文'
"""
from __future__ import annotations

from typing import Optional

from gxcrawl.parse.document.decode import decode_body
from gxcrawl.parse.model import Document, Paragraph
from gxcrawl.parse.document.html import normalize_space


def load_text(body: bytes, headers: Optional[dict] = None) -> Document:
    text, encoding, warnings = decode_body(body, headers)
    blocks = [Paragraph(line) for line in (normalize_space(l) for l in text.splitlines()) if line]
    doc = Document(kind="text", blocks=blocks, warnings=warnings)
    doc.meta["encoding"] = encoding
    return doc
