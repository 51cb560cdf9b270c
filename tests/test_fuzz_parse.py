"""Property-based tests: no input makes parse_report raise, hang or balloon.

Random bytes, mutated real pages (HTML, text, PDF, DOCX) and random HTML trees
go through the same `parse_report` the CLI and the pipelines use. The time
bound is a hang detector (generous, far above normal), not a speed target;
speed lives in bench/.
"""
import io
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gxcrawl import parse_report
from gxcrawl.parse.model import Report

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"
SEED_HTML = sorted(FIXTURES.glob("*.html"))[0].read_bytes() if FIXTURES.is_dir() else b"<html></html>"
HANG_SECONDS = 20
PEAK_BYTES = 400 * 1024 * 1024

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def parse_bounded(body: bytes) -> Report:
    tracemalloc.start()
    started = time.monotonic()
    try:
        report = parse_report(body, url="http://www.example.gov.cn/xxgk/nb/t1.html")
    finally:
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert isinstance(report, Report)
    assert elapsed < HANG_SECONDS, f"{elapsed:.1f}s on {len(body)} bytes"
    assert peak < PEAK_BYTES, f"peak {peak >> 20} MiB on {len(body)} bytes"
    report.to_dict()  # serialisable
    return report


def mutate(body: bytes, data) -> bytes:
    """Flip, cut, duplicate and splice random spans of a real document."""
    buf = bytearray(body)
    for _ in range(data.draw(st.integers(1, 8))):
        if not buf:
            break
        op = data.draw(st.sampled_from(["flip", "cut", "dup", "insert", "truncate"]))
        i = data.draw(st.integers(0, len(buf) - 1))
        j = min(len(buf), i + data.draw(st.integers(1, 4096)))
        if op == "flip":
            buf[i] ^= data.draw(st.integers(1, 255))
        elif op == "cut":
            del buf[i:j]
        elif op == "dup":
            buf[i:i] = buf[i:j]
        elif op == "insert":
            buf[i:i] = data.draw(st.binary(max_size=256))
        else:
            del buf[i:]
    return bytes(buf)


@FUZZ
@given(st.binary(max_size=20000))
def test_random_bytes(body):
    parse_bounded(body)


@FUZZ
@given(st.data())
def test_mutated_html(data):
    parse_bounded(mutate(SEED_HTML, data))


TAGS = st.sampled_from(["div", "p", "table", "tr", "td", "th", "span", "br", "script", "style",
                        "a", "font", "marquee", "tbody", "h1", "meta", "iframe"])
ATTRS = st.sampled_from(['', ' rowspan="9999"', ' colspan="0"', ' colspan="-3"', ' rowspan="x"',
                         ' style="display:none"', ' class="TRS_Editor"', ' id="zoom"',
                         ' name="ArticleTitle" content="2019年政府信息公开工作年度报告"'])
WORDS = st.sampled_from(["规章", "0", "12", "/", "一、本年新收政府信息公开申请数量", "（七）总计",
                         "行政复议", "四、结转下年度继续办理", "2019年", "", "&amp;", "<!--", "]]>",
                         "政府信息公开工作年度报告", "第二十条第（一）项", "本年制发件数"])


@st.composite
def html_trees(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        if depth < 6 and draw(st.booleans()):
            tag, attrs = draw(TAGS), draw(ATTRS)
            inner = draw(html_trees(depth=depth + 1))
            closing = f"</{tag}>" if draw(st.integers(0, 4)) else ""   # sometimes unclosed
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
        else:
            parts.append(draw(WORDS))
    return "".join(parts)


@FUZZ
@given(html_trees(), st.sampled_from(["utf-8", "gb18030"]))
def test_random_html_trees(tree, encoding):
    parse_bounded(f"<html><body>{tree}</body></html>".encode(encoding, "replace"))


def test_pathological_nesting():
    body = ("<div>" * 20000 + "政府信息公开" + "</div>" * 20000).encode()
    parse_bounded(body)
    body = ("<table><tr><td>" * 3000 + "规章" + "</td></tr></table>" * 3000).encode()
    parse_bounded(body)


def test_ten_thousand_row_table():
    rows = "".join(f"<tr><td>规章</td><td>{i}</td><td>{i}</td><td>{i}</td></tr>" for i in range(10000))
    body = f"<html><body><div id='zoom'><p>第二十条第（一）项 本年新制作数量</p><table>{rows}</table></div></body></html>"
    report = parse_bounded(body.encode())
    assert report.tables["t2"].get("rules.made") == 0


@pytest.fixture(scope="module")
def pdf_bytes(shared_dir):
    return (shared_dir / "samples" / "pdf" / "hongze-2024.pdf").read_bytes()


@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_pdf(pdf_bytes, data):
    parse_bounded(mutate(pdf_bytes, data))


def docx_bytes() -> bytes:
    import docx
    document = docx.Document()
    document.add_paragraph("三明市人民政府办公室2021年政府信息公开工作年度报告")
    table = document.add_table(rows=2, cols=4)
    for i, text in enumerate(["规章", "0", "0", "1"]):
        table.cell(1, i).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_docx(data):
    body = docx_bytes()
    parse_bounded(mutate(body, data))
    # and a structurally valid zip with a mutated document.xml
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    entries["word/document.xml"] = mutate(entries["word/document.xml"], data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    parse_bounded(out.getvalue())


# -- the pipelines: hostile responses as DocumentItems ----------------------------------------
class _Stats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count


class _Crawler:
    """Just what ParsePipeline / UnreadableNotes use: stats, settings, the archive slot."""
    def __init__(self, db):
        from scrapy.settings import Settings
        self.stats = _Stats()
        self.settings = Settings({"GXCRAWL_ARCHIVE": str(db), "GXCRAWL_CRAWL_ID": "fuzz"})


HOSTILE_HEADERS = st.dictionaries(
    st.sampled_from(["Content-Type", "content-type", "Content-Disposition", "Content-Encoding", "X-Junk"]),
    st.one_of(st.sampled_from(["text/html; charset=utf-8", "text/html; charset=gbk", "text/html; charset=x-nope",
                               "text/html; charset=", "application/pdf", "application/octet-stream",
                               'attachment; filename="../../etc/passwd"', "gzip", "text/html; charset=utf-16"]),
              st.text(max_size=40)),
    max_size=3)
KINDS = st.sampled_from(["page", "attachment", "image-page"])
TITLES = st.one_of(st.none(), st.sampled_from(["2023年政府信息公开工作年度报告", "网站年度报表", ""]), st.text(max_size=30))
BODIES = st.one_of(st.binary(max_size=4000), st.builds(lambda b: SEED_HTML[:b], st.integers(0, len(SEED_HTML))))


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=BODIES, headers=HOSTILE_HEADERS, kind=KINDS, title=TITLES,
       url=st.sampled_from(["http://www.example.gov.cn/nb/t1.html", "http://x.gov.cn/a;b/../%00.pdf",
                            "http://x.gov.cn/下载.docx?name=$(id)", "http://x.gov.cn/"]))
def test_pipelines_take_hostile_items(tmp_path_factory, body, headers, kind, title, url):
    """ParsePipeline then UnreadableNotes on hostile DocumentItems: an item always comes out,
    with a Report, and nothing escapes."""
    from gxcrawl.crawl.hardening import UnreadableNotes
    from gxcrawl.crawl.items import DocumentItem
    from pipelines.parse import ParsePipeline
    crawler = _Crawler(tmp_path_factory.mktemp("pipe") / "a.db")
    item = DocumentItem(url=url, final_url=url, status=200, body=body, headers=headers,
                        content_type=headers.get("Content-Type"), kind=kind, portal="fuzz", portal_name="fuzz",
                        list_title=title, list_year=None)
    started = time.monotonic()
    out = ParsePipeline.from_crawler(crawler).process_item(item)
    out = UnreadableNotes.from_crawler(crawler).process_item(out)
    assert time.monotonic() - started < HANG_SECONDS
    report = out.get("report")
    assert isinstance(report, Report) and out["is_report"] in (True, False)
    if kind == "image-page":
        assert out["needs_ocr"]
    archive = getattr(crawler, "_gxcrawl_archive", None)
    if archive is not None:
        archive.close()
