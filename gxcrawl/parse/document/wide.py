"""Bytes in a Unicode encoding wider than a byte — UTF-16 and UTF-32, with or without a BOM.

Their NUL bytes make them look binary to a sniffer that thinks in single bytes; a report
saved by Notepad or exported by an old CMS as "Unicode" is UTF-16LE with a BOM. Without a
BOM the NULs themselves tell: markup, digits, spaces and line breaks are ASCII, so every
UTF-16LE text has zero bytes at odd offsets (and almost never at even ones), UTF-32LE has
three of four bytes of an ASCII character zero and never a byte above 0x10 in the third.

>>> wide_encoding("\\ufeff<html>年度报告</html>".encode("utf-16-le"))
'utf-16-le'
>>> wide_encoding("<html><body>2019年度报告</body></html>".encode("utf-16-be"))
'utf-16-be'
>>> wide_encoding("一、总体情况\\n2020年".encode("utf-32-le"))
'utf-32-le'
>>> wide_encoding("政府信息公开".encode("gbk")) is None, wide_encoding(b"<html>") is None
(True, True)
"""
from __future__ import annotations

import codecs
from typing import Optional

#: longest BOM first: the UTF-32LE BOM starts with the UTF-16LE one
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SAMPLE = 4096


def bom_encoding(body: bytes) -> Optional[tuple[str, int]]:
    """(encoding, BOM length) when the body starts with a Unicode byte-order mark.

    >>> bom_encoding(codecs.BOM_UTF32_LE + b"<\\0\\0\\0"), bom_encoding(b"\\xff\\xfe<\\0")
    (('utf-32-le', 4), ('utf-16-le', 2))
    """
    for bom, enc in BOMS:
        if body.startswith(bom):
            return enc, len(bom)
    return None


def wide_encoding(body: bytes) -> Optional[str]:
    """utf-16-le/-be or utf-32-le/-be when the bytes are one of them (BOM or NUL pattern), else
    None. A UTF-8 BOM is not "wide": None."""
    found = bom_encoding(body)
    if found:
        return found[0] if found[0] != "utf-8" else None
    head = body[:SAMPLE]
    for enc in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        if _pattern(head, enc) and _plausible(head, enc):
            return enc
    return None


def _pattern(head: bytes, enc: str) -> bool:
    """The NUL layout of `enc` over the sample: ASCII characters leave zero bytes in fixed places."""
    if enc.startswith("utf-32"):
        n = len(head) // 4
        if n < 2:
            return False
        units = [head[i * 4:i * 4 + 4] for i in range(n)]
        if enc.endswith("be"):
            units = [u[::-1] for u in units]
        # a code point is at most 0x10FFFF: the top byte is 0, the next at most 0x10
        return all(u[3] == 0 and u[2] <= 0x10 for u in units)
    n = len(head) // 2
    if n < 4:
        return False
    low, high = (head[0:2 * n:2], head[1:2 * n:2]) if enc.endswith("le") else (head[1:2 * n:2], head[0:2 * n:2])
    zeros_high, zeros_low = high.count(0), low.count(0)
    # text has line breaks, spaces, digits or markup: some ASCII (high byte 0); a low byte 0
    # with a high byte set is a CJK character such as 一 U+4E00 or 开 U+5F00 — frequent, but far
    # rarer than ASCII in any page or report
    return zeros_high >= max(2, n // 20) and zeros_high >= 4 * zeros_low


def _plausible(head: bytes, enc: str) -> bool:
    """The sample decodes strictly (a character cut at the sample's end aside) to text: hardly
    any control characters, nine in ten characters of the kinds such text is written in."""
    unit = 4 if enc.startswith("utf-32") else 2
    size = len(head) - len(head) % unit
    try:
        text = codecs.getincrementaldecoder(enc)("strict").decode(head[:size], final=False)
    except UnicodeDecodeError:
        return False
    if not text:
        return False
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f")
    texty = sum(1 for ch in text if _texty(ch))
    return controls <= len(text) // 100 and texty >= 0.9 * len(text)


def _texty(ch: str) -> bool:
    """A character of the kinds Chinese government text is written in: ASCII, Latin and general
    punctuation, CJK punctuation, kana, the CJK ideographs, compatibility and full-width forms."""
    code = ord(ch)
    return (0x20 <= code < 0x7F or ch in "\t\r\n\f" or 0xA0 <= code < 0x2500 or 0x2E80 <= code < 0xA000
            or 0xF900 <= code < 0xFB00 or 0xFE30 <= code < 0xFFF0)


def decode_wide(body: bytes, enc: str) -> str:
    """The text of a wide body (its BOM dropped, broken units replaced).

    >>> decode_wide(codecs.BOM_UTF16_BE + "报告".encode("utf-16-be"), "utf-16-be")
    '报告'
    """
    found = bom_encoding(body)
    if found and found[0] == enc:
        body = body[found[1]:]
    return body.decode(enc, "replace")
