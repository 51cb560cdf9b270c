"""The document layer: raw bytes → `Document` (paragraph and table blocks).

The kind is sniffed from the bytes (gxcrawl.parse.document.sniff), never from a file name.
Every loader raises `DocumentError` with a one-line reason for input it cannot
read; nothing else may escape.
"""
from __future__ import annotations

from typing import Optional

from gxcrawl.parse.model import Document
from gxcrawl.parse.document.sniff import sniff

#: inputs larger than this are refused before any parsing (bounded memory/time)
MAX_BODY_BYTES = 64 * 1024 * 1024


class DocumentError(Exception):
    """Input that cannot be read as a document; str(error) is a one-line reason."""


def load_document(body: bytes, headers: Optional[dict] = None, url: Optional[str] = None) -> Document:
    if len(body) > MAX_BODY_BYTES:
        raise DocumentError(f"body too large: {len(body)} bytes (limit {MAX_BODY_BYTES})")
    kind = sniff(body)
    if kind == "empty":
        raise DocumentError("empty input")
    if kind == "html":
        from gxcrawl.parse.document.html import load_html
        return load_html(body, headers=headers, url=url)
    if kind == "text":
        from gxcrawl.parse.document.text import load_text
        return load_text(body, headers=headers)
    if kind == "pdf":
        from gxcrawl.parse.document.pdf import load_pdf
        return load_pdf(body)
    if kind == "docx":
        from gxcrawl.parse.document.docx import load_docx
        return load_docx(body)
    if kind == "doc":
        from gxcrawl.parse.document.doc import load_doc
        return load_doc(body)
    if kind == "image":
        doc = Document(kind="image", needs_ocr=True)
        doc.warnings.append("image only: stored, needs OCR")
        return doc
    raise DocumentError(f"unsupported content: {kind} ({len(body)} bytes)")
