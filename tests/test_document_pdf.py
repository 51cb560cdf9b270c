"""The PDF loader: real reports from ../shared, and input it must refuse calmly."""
from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from gxcrawl.parse.document import DocumentError, load_document
from gxcrawl.parse.document import pdf as pdfmod
from gxcrawl.parse.document.pdf import (clean_grid, continued_row, decode_pdf_string, is_page_number,
                                  join_lines, load_pdf, pdf_date, rebuild_trailer, squeeze_spaces)
from gxcrawl.parse.model import Paragraph, Table

SHARED = Path(__file__).resolve().parents[2] / "shared"
PDF_DIR = SHARED / "samples" / "pdf"
SAMPLES = ["hongze-2023", "hongze-2024", "huaian-2024"]


def sample_bytes(name: str) -> bytes:
    path = PDF_DIR / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"shared sample {path} not available")
    return path.read_bytes()


@pytest.fixture(scope="module")
def loaded() -> dict:
    """Each shared PDF loaded once for the module."""
    if not PDF_DIR.is_dir():
        pytest.skip(f"shared samples not available at {PDF_DIR}")
    return {name: load_document((PDF_DIR / f"{name}.pdf").read_bytes()) for name in SAMPLES}


def cells(doc) -> list[str]:
    return [c for b in doc.blocks if isinstance(b, Table) for row in b.rows for c in row if c]


def row_with(doc, label: str) -> list:
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                if any(c and label in c for c in row):
                    return row
    raise AssertionError(f"no table row with {label!r}")


# ---------------------------------------------------------------- helpers

def test_join_lines_no_spaces_between_chinese():
    assert join_lines(["（二）部分公开（区分处理的，只计这一情 形，不", "计其他情形）"]) == \
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert join_lines(["三", "、", "本", "年", "度"]) == "三、本年度"
    assert join_lines(["Open", "Government"]) == "Open Government"


def test_squeeze_spaces():
    assert squeeze_spaces("2023 年 全区受理申请 21 件") == "2023年全区受理申请21件"
    assert squeeze_spaces("10 1  0") == "10 1 0"
    assert squeeze_spaces("总\u3000计") == "总计"


def test_page_numbers():
    for text in ("- 3 -", "3", "— 12 —", "第 2 页", "第2页 共5页", "2 / 5"):
        assert is_page_number(text), text
    for text in ("2023 年", "10 1 0 0", "一、总体情况", "第二十条"):
        assert not is_page_number(text), text


def test_metadata_strings_and_dates():
    assert decode_pdf_string(b"\xfe\xff\x6d\x2a") == "洪"      # UTF-16BE
    assert decode_pdf_string(b"\xff\xfe\x2a\x6d") == "洪"      # UTF-16LE as WPS writes it
    assert decode_pdf_string("报告".encode("gb18030")) == "报告"
    assert pdf_date("D:20250225101115+08'00'") == "2025-02-25"
    assert pdf_date("garbage") is None


def test_grid_cells_keep_none_and_empty_apart():
    assert clean_grid([["商业\n企业", None, ""]]) == [["商业企业", None, ""]]
    assert continued_row(["", "", "2.重复申请", "0", ""]) == [None, None, "2.重复申请", "0", ""]


def test_rebuild_trailer_needs_a_catalog():
    assert rebuild_trailer(b"%PDF-1.4\n1 0 obj <</Type /Page>> endobj") is None
    assert rebuild_trailer(b"%PDF-1.4 nothing") is None


# ---------------------------------------------------------------- real reports

@pytest.mark.parametrize("name", SAMPLES)
def test_shared_pdf_blocks(loaded, name):
    doc = loaded[name]
    assert doc.kind == "pdf"
    assert not doc.needs_ocr and doc.warnings == []
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) >= 5
    all_cells = cells(doc)
    # long labels broken over lines in the PDF come out as single cells
    assert "一、本年新收政府信息公开申请数量" in all_cells
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in all_cells
    assert "5.要求行政机关确认或重新出具已获取信息" in all_cells
    assert "本年收费金额（单位：万元）" in all_cells
    # every table row has the same width; covered positions are None
    for table in tables:
        assert len({len(r) for r in table.rows}) == 1
    # no bare page numbers survive as paragraphs
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert not [p for p in paragraphs if is_page_number(p)]
    assert any(p.startswith("一、总体情况") for p in paragraphs)
    assert any("政府信息公开工作年度报告" in p for p in paragraphs[:3])


def test_hongze_2023_numbers_and_order(loaded):
    doc = loaded["hongze-2023"]
    new = row_with(doc, "本年新收政府信息公开申请数量")
    assert [c for c in new[3:]] == ["21", "0", "0", "0", "0", "0", "21"]
    assert row_with(doc, "行政处罚")[-1] == "4119"
    assert row_with(doc, "行政事业性收费")[-1] == "7730.28"
    t4 = [r for b in doc.blocks if isinstance(b, Table) for r in b.rows if r[0] == "10"]
    assert t4 == [["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]]
    # the heading of section 三 sits right before the table 三
    texts = [b.text if isinstance(b, Paragraph) else None for b in doc.blocks]
    i = texts.index("三、收到和处理政府信息公开申请情况")
    assert isinstance(doc.blocks[i + 1], Table)
    # a wrapped paragraph is one block, and a paragraph continued over a page break too
    assert any("建立健全政府信息公开保障机制，始终将政务公开工作摆在重要位置" in (t or "") for t in texts)
    assert any("严格执行“分级审核、先审后发”程序" in (t or "") for t in texts)
    assert doc.title == "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert doc.meta["PubDate"] == "2024-02-26"


def test_table_continued_over_page_break(loaded):
    doc = loaded["hongze-2024"]
    blocks = doc.blocks
    for i, block in enumerate(blocks[:-1]):
        if isinstance(block, Table) and any(c and "1.本机关不掌握相关政府信息" in c for r in block.rows for c in r):
            following = blocks[i + 1]
            assert isinstance(following, Table), "nothing may sit between the two halves"
            assert following.rows[0][:3] == [None, None, "2.没有现成信息需要另行制作"]
            return
    raise AssertionError("table 三 not found")


def test_group_label_split_over_pages_is_kept(loaded):
    cells_ = cells(loaded["huaian-2024"])
    assert "（四）无" in cells_ and "法提供" in cells_


def test_limits_pages_and_time(monkeypatch):
    body = sample_bytes("hongze-2023")
    monkeypatch.setattr(pdfmod, "MAX_PAGES", 2)
    doc = load_pdf(body)
    assert any("only the first 2" in w for w in doc.warnings)
    assert "五、存在的主要问题及改进情况" not in [getattr(b, "text", None) for b in doc.blocks]
    monkeypatch.setattr(pdfmod, "MAX_SECONDS", 0.0)
    doc = load_pdf(body)
    assert doc.blocks == [] and not doc.needs_ocr
    assert any("time limit" in w for w in doc.warnings)


def test_pathological_pages_guarded(monkeypatch):
    body = sample_bytes("hongze-2024")
    monkeypatch.setattr(pdfmod, "MAX_PAGE_GRAPHICS", 10)
    doc = load_pdf(body)
    assert not any(isinstance(b, Table) for b in doc.blocks)
    assert any("tables not detected" in w for w in doc.warnings)
    monkeypatch.setattr(pdfmod, "MAX_PAGE_CHARS", 10)
    doc = load_pdf(body)
    assert doc.blocks == []
    assert sum("skipped" in w for w in doc.warnings) == 5


# ---------------------------------------------------------------- bad input

def refused(body: bytes, *words: str) -> str:
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        load_pdf(body)
    message = str(info.value)
    assert "\n" not in message and message
    for word in words:
        assert word in message
    assert time.monotonic() - started < 5
    return message


def test_empty_and_garbage():
    refused(b"", "empty")
    refused(b"%PDF-1.7\n" + os.urandom(4000), "unreadable PDF")
    refused(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n", "PDF")
    with pytest.raises(DocumentError):
        load_document(b"%PDF-1.5\n" + b"\x00" * 100)


def test_truncated_pdf_recovers_first_page():
    body = sample_bytes("hongze-2023")
    doc = load_pdf(body[: len(body) // 2])
    assert any("damaged PDF" in w for w in doc.warnings)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert "2023年政府信息公开工作年度报告" in texts
    refused(body[:600], "unreadable PDF")


def _encrypted(user: str, algorithm: str = "AES-128") -> bytes:
    pypdf = pytest.importorskip("pypdf", reason="pypdf (test extra) makes encrypted PDFs")
    source = PDF_DIR / "hongze-2024.pdf"
    if source.exists():
        writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(source.read_bytes())))
    else:
        writer = pypdf.PdfWriter()
        writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_with_user_password_is_refused():
    refused(_encrypted("secret"), "encrypted PDF")
    refused(_encrypted("secret", "AES-256"), "encrypted PDF")


def test_encrypted_pdf_with_empty_user_password_is_read():
    body = _encrypted("", "RC4-128")
    doc = load_pdf(body)
    if (PDF_DIR / "hongze-2024.pdf").exists():
        assert "一、本年新收政府信息公开申请数量" in cells(doc)
    else:
        assert doc.needs_ocr   # a blank page


def test_image_only_pdf_needs_ocr():
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).rectangle((50, 50, 550, 300), outline="black")
    out = io.BytesIO()
    image.save(out, "PDF")
    doc = load_document(out.getvalue())
    assert doc.kind == "pdf" and doc.needs_ocr
    assert doc.blocks == []
    assert any("OCR" in w for w in doc.warnings)
