"""Tell what kind of document a body is from its bytes, never from a file name.

>>> sniff(b"%PDF-1.7 ...")
'pdf'
>>> sniff("<!DOCTYPE html><html>".encode())
'html'
>>> sniff("三明市2019年政府信息公开工作年度报告".encode())
'text'
>>> sniff("\\ufeff<html><body>年度报告</body></html>".encode("utf-16-le")), sniff("一、总体情况\\n".encode("utf-32-be"))
('html', 'text')
"""
from __future__ import annotations

import io
import re
import zipfile

from gxcrawl.parse.document.wide import decode_wide, wide_encoding

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HTML_HINT = re.compile(rb"<\s*(!doctype\s+html|html|head|body|meta|title|div|table|p|script)\b", re.I)


def sniff(body: bytes) -> str:
    """Return one of pdf, docx, doc, xlsx, zip, html, text, image, empty, binary."""
    if not body or not body.strip():
        return "empty"
    head = body[:2048]
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE2_MAGIC):
        return "doc"   # Word 97-2003, WPS and XLS share the OLE2 container
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(body)
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n" or head[:6] in (b"GIF87a", b"GIF89a"):
        return "image"
    wide = wide_encoding(head)      # UTF-16/32: NUL bytes, yet text (a BOM or the NUL pattern)
    if wide:
        text = decode_wide(head[: len(head) - len(head) % 4], wide).encode("utf-8", "replace")
        return "html" if HTML_HINT.search(text[:2048]) else "text"
    if HTML_HINT.search(stripped[:1024]) or HTML_HINT.search(head):
        return "html"
    if _looks_like_text(head):
        return "text"
    return "binary"


def _sniff_zip(body: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "binary"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return "zip"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:   # a multibyte character cut by the 2 KiB window
                return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls < len(head) * 0.01
