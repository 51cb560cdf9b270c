"""The DOCX loader: the real 2021 template, synthetic merges, and zip bombs."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from gxcrawl.parse.document import DocumentError, load_document
from gxcrawl.parse.document import docx as docxmod
from gxcrawl.parse.document.docx import check_zip, load_docx
from gxcrawl.parse.model import Paragraph, Table

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEMPLATE = SHARED / "reference" / "template-2021-blank.docx"


def template_bytes() -> bytes:
    if not TEMPLATE.exists():
        pytest.skip(f"shared template {TEMPLATE} not available")
    return TEMPLATE.read_bytes()


def build_docx() -> bytes:
    """A small report made with python-docx: a colspan, a rowspan, a
    two-paragraph cell, tables between paragraphs."""
    import docx
    document = docx.Document()
    document.core_properties.title = "测试区2023年政府信息公开工作年度报告"
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "第二十条第（一）项"
    for i, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        table.cell(1, i).text = text
    for i, text in enumerate(["规章", "1", "0", ""]):
        table.cell(2, i).text = text
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(2, 0)).text = "三、本年度办理结果"
    cell = table.cell(0, 1)
    cell.text = "商业"
    cell.add_paragraph("企业")
    table.cell(0, 2).text = "4"
    table.cell(1, 1).text = "（七）总计"
    table.cell(1, 2).text = "21"
    paragraph = document.add_paragraph("全年收取费用")
    paragraph.add_run().add_break()
    paragraph.add_run("0 元。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def refused(body: bytes, *words: str) -> str:
    started = time.monotonic()
    with pytest.raises(DocumentError) as info:
        load_docx(body)
    message = str(info.value)
    assert message and "\n" not in message
    for word in words:
        assert word in message, message
    assert time.monotonic() - started < 5
    return message


# ---------------------------------------------------------------- real input

def test_template_blocks_in_body_order():
    doc = load_document(template_bytes())
    assert doc.kind == "docx" and doc.warnings == []
    kinds = ["T" if isinstance(b, Table) else b.text for b in doc.blocks]
    assert kinds[0] == "政府信息公开工作年度报告格式模板"
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况"):
        assert kinds[kinds.index(heading) + 1] == "T", heading
    assert kinds.count("T") == 3


def test_template_merged_cells():
    doc = load_docx(template_bytes())
    t2, t3, t4 = [b for b in doc.blocks if isinstance(b, Table)]
    assert t2.rows[0] == ["第二十条第（一）项", None, None, None]
    assert t2.rows[2] == ["规章", "", "", ""]           # empty cells are "", not None
    assert t2.rows[6] == ["行政许可", "", None, None]   # gridSpan
    assert len(t3.rows[0]) == 10
    labels = [c for row in t3.rows for c in row if c]
    assert "一、本年新收政府信息公开申请数量" in labels
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    # vMerge continuation of 三、本年度办理结果 is None in the rows below it
    start = next(i for i, r in enumerate(t3.rows) if r[0] == "三、本年度办理结果")
    assert t3.rows[start + 1][0] is None
    assert t4.rows[-1] == [""] * 15


def test_synthetic_merges_and_breaks():
    doc = load_docx(build_docx())
    assert doc.title == "测试区2023年政府信息公开工作年度报告"
    blocks = doc.blocks
    assert isinstance(blocks[0], Paragraph) and blocks[0].text == "二、主动公开政府信息情况"
    first, second = [b for b in blocks if isinstance(b, Table)]
    assert first.rows == [["第二十条第（一）项", None, None, None],
                          ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
                          ["规章", "1", "0", ""]]
    assert second.rows[0] == ["三、本年度办理结果", "商业企业", "4"]
    assert second.rows[1] == [None, "（七）总计", "21"]
    assert second.rows[2][0] is None
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts[-2:] == ["全年收取费用", "0元。"]   # a line break splits the paragraph


def test_macro_enabled_package_is_read_from_main_part():
    body = build_docx()
    source = zipfile.ZipFile(io.BytesIO(body))
    members = {n: source.read(n) for n in source.namelist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    doc = load_docx(zip_of(members))
    assert any(isinstance(b, Table) for b in doc.blocks)
    assert any("python-docx refused" in w for w in doc.warnings)


# ---------------------------------------------------------------- bad input

def test_zip_bomb_is_refused_before_inflating():
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    refused(bomb, "zip bomb")
    with pytest.raises(DocumentError):
        load_document(bomb)


def test_total_size_limit(monkeypatch):
    monkeypatch.setattr(docxmod, "MAX_UNCOMPRESSED", 10_000)
    refused(zip_of({"word/document.xml": b"x" * 20_000}), "uncompressed")


def test_missing_document_part_and_broken_zip():
    refused(zip_of({"word/styles.xml": b"<w:styles/>"}), "no word/document.xml")
    refused(b"PK\x03\x04" + b"\0" * 200, "broken zip")
    refused(template_bytes()[:5000] if TEMPLATE.exists() else b"PK\x03\x04xx", "broken zip")


def test_garbage_document_xml():
    refused(zip_of({"word/document.xml": b"<not xml"}), "unreadable DOCX")
    refused(zip_of({"word/document.xml": b"<?xml version='1.0'?><root/>"}), "unreadable DOCX")


def test_check_zip_names_main_part():
    assert check_zip(zip_of({"word/document.xml": b"<x/>"})) == "word/document.xml"
