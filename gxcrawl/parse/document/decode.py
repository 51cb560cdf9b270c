"""Decode HTML and text bytes to str, whatever charset they claim.

Government pages are UTF-8, GB2312, GBK or GB18030, declared in the HTTP
header, in a <meta> tag, nowhere, or wrongly. GB2312/GBK declarations are
decoded as gb18030 (their superset). Valid UTF-8 wins over any declaration,
because GBK text is practically never valid UTF-8 while the reverse fails often.

>>> decode_body("政府信息公开".encode("gbk"))[0]
'政府信息公开'
>>> decode_body('<meta charset="utf-8">政府'.encode("gbk"))[1]
'gb18030'
>>> decode_body("<p>2019年度报告</p>".encode("utf-16-be"))[:2]
('<p>2019年度报告</p>', 'utf-16-be')
"""
from __future__ import annotations

import codecs
import re
from typing import Optional

from w3lib.encoding import http_content_type_encoding

from gxcrawl.parse.document.wide import bom_encoding, decode_wide, wide_encoding

META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
GB_FAMILY = {"gb2312", "gbk", "gb18030", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def normalize_encoding(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    name = name.strip().lower()
    if name in GB_FAMILY or name.startswith("gb"):
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_encodings(body: bytes, headers: Optional[dict] = None) -> list[str]:
    """Encodings declared by the HTTP Content-Type header and by <meta> tags."""
    out = []
    content_type = _header(headers, "content-type")
    if content_type:
        enc = normalize_encoding(http_content_type_encoding(content_type))
        if enc:
            out.append(enc)
    match = META_CHARSET.search(body[:8192])
    if match:
        enc = normalize_encoding(match.group(1).decode("ascii", "ignore"))
        if enc:
            out.append(enc)
    return out


def decode_body(body: bytes, headers: Optional[dict] = None) -> tuple[str, str, list[str]]:
    """Return (text, encoding used, warnings)."""
    warnings: list[str] = []
    bom = bom_encoding(body)         # UTF-8, UTF-16 and UTF-32 byte-order marks (longest first)
    if bom:
        return body[bom[1]:].decode(bom[0], "replace"), bom[0], warnings
    wide = wide_encoding(body)       # UTF-16/32 without a BOM: told by where the NUL bytes are
    if wide:
        return decode_wide(body, wide), wide, warnings
    declared = declared_encodings(body, headers)
    try:
        text = body.decode("utf-8")
        if declared and declared[0] not in ("utf-8", "ascii"):
            warnings.append(f"declared charset {declared[0]} but bytes are valid UTF-8")
        return text, "utf-8", warnings
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(body)
    if mixed is not None:     # a UTF-8 page with a stray GBK footer / include: not a GBK page
        warnings.append("mixed encodings: bytes that are not UTF-8 decoded as gb18030")
        return mixed, "utf-8", warnings
    # a Western single-byte declaration on a Chinese page is a server default, not a fact
    candidates = ([enc for enc in declared if enc != "utf-8" and not _western(enc)] + ["gb18030"]
                  + [enc for enc in declared if _western(enc)])
    if declared and declared[0] == "utf-8":
        warnings.append("declared charset utf-8 but bytes are not valid UTF-8")
    for enc in candidates:
        try:
            return body.decode(enc), enc, warnings
        except UnicodeDecodeError:
            continue
    best = _charset_normalizer_guess(body)
    enc = best or "gb18030"
    warnings.append(f"undecodable bytes replaced (decoded as {enc})")
    return body.decode(enc, "replace"), enc, warnings


def _western(enc: str) -> bool:
    return enc in ("cp1252", "latin-1", "iso8859-1", "ascii") or enc.startswith(("iso8859-", "cp125", "mac-"))


#: a run of bytes that are not UTF-8, with the 2-byte "UTF-8" characters GBK pairs make by chance
#: around it (权 is C8 A8 in GBK, which is also U+0228 in UTF-8)
_ESCAPED_RUN = re.compile("[\udc80-\udcff\u0080-\u07ff]*[\udc80-\udcff][\udc80-\udcff\u0080-\u07ff]*"
                          "[\x40-\x7e]?")


def _mostly_utf8(body: bytes, max_invalid: float = 0.05) -> Optional[str]:
    """The text when at most `max_invalid` of the non-ASCII bytes are not UTF-8 (and some are);
    those runs are decoded as gb18030. None when the bytes are not mostly UTF-8.

    >>> _mostly_utf8("政府信息公开工作年度报告".encode() * 5 + "版权所有".encode("gbk"))[-4:]
    '版权所有'
    >>> _mostly_utf8("政府信息公开".encode("gbk")) is None
    True
    """
    text = body.decode("utf-8", "surrogateescape")
    invalid = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    non_ascii = sum(1 for b in body if b >= 0x80) if invalid else 0
    if not invalid or invalid > max_invalid * non_ascii:
        return None

    def redecode(m: re.Match) -> str:
        raw = m.group(0).encode("utf-8", "surrogateescape")
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            run = m.group(0)
            tail = run[-1] if run and not ("\udc80" <= run[-1] <= "\udcff") else ""
            head = run[:-1] if tail else run
            return head.encode("utf-8", "surrogateescape").decode("gb18030", "replace") + tail

    return _ESCAPED_RUN.sub(redecode, text)


def _charset_normalizer_guess(body: bytes) -> Optional[str]:
    try:
        from charset_normalizer import from_bytes
        match = from_bytes(body[:200_000]).best()
        return normalize_encoding(match.encoding) if match else None
    except Exception:   # the guesser is optional help, never a failure
        return None


def _header(headers: Optional[dict], name: str) -> Optional[str]:
    if not headers:
        return None
    for key, value in headers.items():
        key = key.decode() if isinstance(key, bytes) else str(key)
        if key.lower() == name:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return value
    return None
