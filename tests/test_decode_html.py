"""Charset decoding, content container, boilerplate removal."""
from gxcrawl.parse.clean import clean_lines
from gxcrawl.parse.document.decode import decode_body
from gxcrawl.parse.document.html import load_html
from gxcrawl.parse.document.sniff import sniff

BODY = "三明市人民政府办公室2019年政府信息公开工作年度报告。一、总体情况。" * 10


def page(charset_meta: str, body: str = BODY) -> str:
    return f"""<html><head>{charset_meta}<title>三明市人民政府办公室2019年政府信息公开工作年度报告_三明市人民政府</title>
    <meta name="ArticleTitle" content="三明市人民政府办公室2019年政府信息公开工作年度报告">
    <meta name="PubDate" content="2020-01-31 14:03"></head><body>
    <div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a>信息公开年报</a></div>
    <div class="crumb">当前位置：首页 &gt; 政务公开 &gt; 年报</div>
    <h1>三明市人民政府办公室2019年政府信息公开工作年度报告</h1>
    <div class="info">发布时间：2020-01-31 14:03 字号：[大 中 小] 【打印】【关闭】</div>
    <div class="TRS_Editor"><p>{body}</p><p style="display:none"><a href="http://spam.example">隐藏</a></p></div>
    <div class="share">扫一扫在手机上查看当前页面</div>
    <div class="pn"><p>上一篇：关于某事的通知</p><p>下一篇：无</p></div>
    <div class="footer">主办单位：三明市人民政府办公室 网站标识码：3504000001 闽ICP备05001416号</div>
    </body></html>"""


def test_gbk_declared_in_meta_only():
    raw = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("gbk")
    text, encoding, warnings = decode_body(raw)
    assert encoding == "gb18030" and "三明市" in text and not warnings


def test_wrong_declaration_is_overruled():
    raw = page('<meta charset="utf-8">').encode("gb18030")
    text, encoding, warnings = decode_body(raw, headers={"Content-Type": "text/html; charset=utf-8"})
    assert encoding == "gb18030" and "政府信息公开" in text
    assert any("not valid UTF-8" in w for w in warnings)


def test_utf8_declared_as_gbk():
    raw = page('<meta charset="gbk">').encode("utf-8")
    text, encoding, warnings = decode_body(raw)
    assert encoding == "utf-8" and "三明市" in text and warnings


def test_gb18030_only_characters():
    raw = "䶮𠀀 三明".encode("gb18030")
    assert decode_body(raw)[0] == "䶮𠀀 三明"


def test_container_header_lines_and_boilerplate():
    doc = load_html(page('<meta charset="utf-8">').encode("utf-8"))
    text = "\n".join(clean_lines(doc.text.split("\n")))
    assert doc.meta["ArticleTitle"].startswith("三明市人民政府办公室")
    assert doc.title.endswith("_三明市人民政府")
    assert text.startswith("三明市人民政府办公室2019年政府信息公开工作年度报告")
    assert "发布时间：2020-01-31 14:03" in text
    for junk in ("当前位置", "扫一扫", "上一篇", "下一篇", "ICP备", "网站标识码", "打印", "字号",
                 "首页", "隐藏"):
        assert junk not in text, junk
    assert "一、总体情况" in text


def test_density_fallback_without_known_container():
    html = ("<html><body><div id='menu'>" + "<a href='#'>栏目链接</a>" * 40 + "</div>"
            "<div id='main'><div id='art'>" + "".join(f"<p>{BODY[:60]}第{i}段。</p>" for i in range(20)) +
            "</div></div><div id='foot'>版权所有 ICP备</div></body></html>")
    doc = load_html(html.encode())
    assert "栏目链接" not in doc.text and "第19段" in doc.text


def test_layout_tables_are_read_as_text_not_grids():
    html = ("<html><body><table><tr><td><div class='TRS_Editor'><p>" + BODY + "</p>"
            "<table><tr><td>规章</td><td>1</td></tr></table></div></td></tr></table></body></html>")
    doc = load_html(html.encode())
    grids = [b for b in doc.blocks if hasattr(b, "rows")]
    assert len(grids) == 1 and grids[0].rows == [["规章", "1"]]


def test_sniff_ignores_names_and_reads_bytes():
    assert sniff(b"") == "empty"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == "doc"
    assert sniff("<html><body>年报</body></html>".encode("gbk")) == "html"
    assert sniff(bytes(range(256)) * 4) == "binary"


# -- UTF-16 / UTF-32 (issue 14: a report in UTF-16 with a BOM was sniffed as binary) --------------
import codecs  # noqa: E402

import pytest  # noqa: E402

from gxcrawl import parse_report  # noqa: E402
from gxcrawl.parse.document.wide import wide_encoding  # noqa: E402

WIDE = [(enc, bom) for enc in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be") for bom in (True, False)]


@pytest.mark.parametrize("enc, bom", WIDE, ids=[f"{e}{'-bom' if b else ''}" for e, b in WIDE])
def test_wide_unicode_pages_are_read_not_binary(enc, bom):
    raw = (("\ufeff" if bom else "") + page('<meta charset="utf-16">')).encode(enc)
    assert sniff(raw) == "html"
    text, encoding, _ = decode_body(raw)
    assert encoding == enc and text.lstrip("\ufeff").startswith("<html>") and "三明市人民政府办公室" in text
    report = parse_report(raw, url="http://www.sm.gov.cn/zwgk/t20200131_1.html")
    assert report.is_report and report.year == 2019 and report.agency == "三明市人民政府办公室"


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_wide_plain_text_without_bom_is_text(enc):
    raw = "三明市2019年政府信息公开工作年度报告\n一、总体情况\n2019年，全年收到申请12件。\n".encode(enc)
    assert sniff(raw) == "text" and wide_encoding(raw) == enc


@pytest.mark.parametrize("raw", [
    "政府信息公开工作年度报告".encode("gbk") * 20,       # GBK: no NUL bytes
    "政府信息公开工作年度报告".encode("utf-8") * 20,
    b"\x89PNG\r\n\x1a\n" + bytes(200),                      # NULs at both offsets
    b"\x00\x01\x02\x03" * 100,                              # binary
    bytes(range(256)) * 4,
    b"<html>" + b"\x00" * 3 + b"</html>",                   # a few stray NULs (malformed-html)
])
def test_single_byte_and_binary_bodies_are_not_wide(raw):
    assert wide_encoding(raw) is None


def test_utf32_bom_is_not_taken_for_utf16():
    raw = codecs.BOM_UTF32_LE + "一、总体情况".encode("utf-32-le")
    assert wide_encoding(raw) == "utf-32-le" and decode_body(raw)[0] == "一、总体情况"
