"""Attachment bodies for the replicas: DOCX (python-docx), a minimal PDF writer with a
ToUnicode map (text extractable by pdfplumber, no font embedded), and a tiny PNG.

>>> make_pdf(["瑞金市人民政府2016年政府信息公开工作年度报告"])[:8]
b'%PDF-1.4'
>>> make_png(4, 4)[:4]
b'\\x89PNG'
"""
from __future__ import annotations

import datetime
import io
import struct
import zlib


def make_docx(lines: list) -> bytes:
    import docx
    document = docx.Document()
    for item in lines:
        if isinstance(item, list):
            width = max((len(r) for r in item), default=1)
            table = document.add_table(rows=len(item), cols=width)
            for tr, row in zip(table.rows, item):
                cells = tr.cells          # one pass per row (table.cell() is quadratic)
                for cell, text in zip(cells, row):
                    cell.text = text
        else:
            document.add_paragraph(item)
    # fixed core properties and zip timestamps: the same document is the same bytes, as a real
    # server's file is (a crawl killed and resumed must archive the same body hash)
    document.core_properties.created = document.core_properties.modified = _EPOCH
    buf = io.BytesIO()
    document.save(buf)
    return _stable_zip(buf.getvalue())


_EPOCH = datetime.datetime(2024, 1, 1)


def _stable_zip(data: bytes) -> bytes:
    """The zip with every member's timestamp fixed (zipfile stamps members with the clock).

    >>> make_docx(["一、总体情况"]) == make_docx(["一、总体情况"])
    True
    """
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _wrap(text: str, width: int = 38) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]


def make_pdf(lines: list) -> bytes:
    """A plain PDF: one Type0/Identity-H font, CID == Unicode code point, ToUnicode map."""
    text_lines: list[str] = []
    for item in lines:
        if isinstance(item, list):
            text_lines += [" ".join(c for c in row) for row in item]
        else:
            text_lines += _wrap(item)
    pages = [text_lines[i:i + 45] for i in range(0, len(text_lines), 45)] or [[]]
    used_hi = sorted({ord(ch) >> 8 for line in text_lines for ch in line if ord(ch) < 0x10000} | {0})
    ranges = "\n".join(f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in used_hi)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
            + f"{len(used_hi)} beginbfrange\n{ranges}\nendbfrange\n".encode()
            + b"endcmap CMapName currentdict /CMap defineresource pop end end")
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(data: bytes, extra: str = "") -> bytes:
        return f"<< /Length {len(data)} {extra}>>\nstream\n".encode() + data + b"\nendstream"

    catalog = add(b"")
    pages_id = add(b"")
    tounicode = add(stream(cmap))
    descriptor = add(b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] "
                     b"/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 /StemV 80 >>")
    descendant = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
                     f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                     f"/FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode())
    font = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
               f"/DescendantFonts [{descendant} 0 R] /ToUnicode {tounicode} 0 R >>".encode())
    page_ids = []
    for page in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
        for line in page:
            hexed = "".join(f"{ord(ch):04X}" for ch in line if ord(ch) < 0x10000)
            ops.append(f"<{hexed}> Tj T*")
        ops.append("ET")
        content = add(stream("\n".join(ops).encode()))
        page_ids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()))
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    kids = " ".join(f"{p} 0 R" for p in page_ids)
    objs[pages_id - 1] = f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>".encode()
    return serialize_pdf(objs, root=catalog, header=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")


def serialize_pdf(objs: list, root: int, header: bytes = b"%PDF-1.4\n") -> bytes:
    """Numbered objects (1-based, in order) → a PDF file with a correct xref table."""
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_png(width: int = 64, height: int = 64, shade: int = 200) -> bytes:
    raw = b"".join(b"\x00" + bytes([shade, shade, shade]) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
