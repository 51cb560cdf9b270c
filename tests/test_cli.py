"""`gxcrawl parse` as a user runs it: JSON Lines, clear one-line errors, bounded."""
import json
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, seed_path

REQUIRED_KEYS = {"source", "url", "is_report", "title", "year", "agency", "region", "published",
                 "format", "table_formats", "sections", "text", "tables", "checks", "spam",
                 "warnings"}


def gxcrawl(*args, stdin=None, timeout=120):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "gxcrawl", *args], capture_output=True,
                          input=stdin, timeout=timeout, env=env, cwd=ROOT)


def test_parse_json_lines_for_several_inputs(shared_dir):
    files = [str(seed_path(shared_dir, p)) for p in ("000", "001")]
    result = gxcrawl("parse", "--json", *files)
    assert result.returncode == 0, result.stderr.decode()
    objects = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(objects) == 2
    for obj in objects:
        assert REQUIRED_KEYS <= set(obj)
        assert set(obj["tables"]) == {"t2", "t3", "t4", "tpre"}
        assert set(obj["spam"]) >= {"is_mirror", "official_host", "phrases", "replacements",
                                    "hidden_links"}
    assert objects[1]["tables"]["t3"]["new.total"] == 19
    assert objects[0]["source"] == files[0]


def test_parse_with_url_and_archive(tmp_path, shared_dir):
    db = tmp_path / "x.db"
    url = "http://www.sm.gov.cn/zw/zfxxgk/xxgknb/202001/t20200131_1.htm"
    result = gxcrawl("parse", "--url", url, "--archive", str(db),
                     str(seed_path(shared_dir, "000")))
    assert result.returncode == 0, result.stderr.decode()
    assert "format 2019" in result.stdout.decode()
    import sqlite3
    rows = sqlite3.connect(db).execute("select url, parser_version from reports").fetchall()
    assert rows and rows[0][0] == url


def test_parse_json_names_the_agency_evidence(tmp_path):
    """`gxcrawl parse --json --url` gives the agency with the sentences and sources that chose it."""
    page = tmp_path / "report.html"
    page.write_text("<html><head><title>县审计局2022年政府信息公开工作年度报告</title></head><body>"
                    "<p>县审计局2022年政府信息公开工作年度报告</p><p>本报告中所列数据的统计期限自2022年1月1日起至"
                    "2022年12月31日止。如对本报告有疑问，请与县审计局办公室联系。</p></body></html>", encoding="utf-8")
    result = gxcrawl("parse", "--json", "--url", "http://sjj.tonglu.gov.cn/art/2023/1/5/art_1_1.html", str(page))
    assert result.returncode == 0, result.stderr.decode()
    obj = json.loads(result.stdout.decode().splitlines()[-1])
    assert obj["agency"] == "桐庐县审计局"
    evidence = obj["agency_evidence"]
    assert evidence[0]["source"] == "title" and "县审计局2022年" in evidence[0]["sentence"]
    assert "桐庐县" in evidence[0]["completed"]
    assert {"page <title>", "contact"} <= {e["source"] for e in evidence}


def zip_bomb(path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))


@pytest.mark.parametrize("name,make", [
    ("empty.html", lambda p: p.write_bytes(b"")),
    ("random.pdf", lambda p: p.write_bytes(os.urandom(20000))),
    ("truncated.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")),
    ("bomb.docx", zip_bomb),
])
def test_bad_input_gives_one_line_error(tmp_path, name, make):
    path = tmp_path / name
    make(path)
    result = gxcrawl("parse", "--json", str(path))
    err = result.stderr.decode().strip()
    assert "Traceback" not in err
    obj = json.loads(result.stdout.decode())
    assert obj["is_report"] is False and obj["warnings"]
    assert result.returncode == 1 and len(err.splitlines()) == 1 and str(path) in err


def test_fifty_megabyte_page_is_bounded(tmp_path):
    path = tmp_path / "huge.html"
    filler = ("<p>" + "无关内容" * 200 + "</p>\n").encode()
    with path.open("wb") as fh:
        fh.write(b"<html><body>")
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(filler)
        fh.write(b"</body></html>")
    result = gxcrawl("parse", "--json", str(path), timeout=180)
    assert "Traceback" not in result.stderr.decode()
    obj = json.loads(result.stdout.decode())
    assert obj["is_report"] is False
    assert any("cut" in w for w in obj["warnings"])


def test_missing_file_is_a_clear_error():
    result = gxcrawl("parse", "/no/such/file.html")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "gxcrawl: /no/such/file.html: No such file or directory"


# -- inputs that are not plain files (issue 14) ----------------------------------------------
REPORT_HTML = ("<html><head><title>三明市财政局2019年政府信息公开工作年度报告</title></head><body>"
               "<h1>三明市财政局2019年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>").encode()


def test_a_fifo_is_a_one_line_error_never_a_hang(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)                                     # no writer: open() for reading would block
    good = tmp_path / "good.html"
    good.write_bytes(REPORT_HTML)
    result = gxcrawl("parse", "--json", str(fifo), str(good), timeout=60)
    err = result.stderr.decode().strip().splitlines()
    assert err == [f"gxcrawl: {fifo}: not a regular file (a FIFO): not read"]
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["source"] for r in records] == [str(fifo), str(good)]     # every input gets its record
    assert records[0]["is_report"] is False and "not a regular file" in records[0]["warnings"][0]
    assert records[1]["is_report"] is True and result.returncode == 2
    plain = gxcrawl("parse", "/dev/null", "/dev/zero", timeout=60)       # a device is not read either
    assert plain.returncode == 2 and "character device" in plain.stderr.decode()


def test_a_name_with_a_newline_stays_on_one_line(tmp_path):
    odd = tmp_path / "三明\nyear 2019 | report.html"
    odd.write_bytes(REPORT_HTML)
    tab = tmp_path / "tab\there.html"
    tab.write_bytes(REPORT_HTML)
    result = gxcrawl("parse", str(odd), str(tab))
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 2 and result.returncode == 0
    assert lines[0].startswith('"' + str(tmp_path) + '/三明\\nyear 2019 | report.html": report')
    assert lines[1].startswith('"' + str(tmp_path) + '/tab\\there.html": report')
    assert json.loads(gxcrawl("parse", "--json", str(odd)).stdout)["source"] == str(odd)


def test_a_name_that_is_not_utf8_is_escaped(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/\xff\xfe.html"
    with open(raw, "wb") as fh:
        fh.write(REPORT_HTML)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "gxcrawl", "parse", raw], capture_output=True, env=env, cwd=ROOT,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.decode().startswith(f'"{tmp_path}/\\xff\\xfe.html": report')
    record = subprocess.run([sys.executable, "-m", "gxcrawl", "parse", "--json", raw], capture_output=True, env=env,
                            cwd=ROOT, timeout=120)
    assert json.loads(record.stdout)["source"].endswith("/\udcff\udcfe.html")


def test_a_directory_gives_one_record_per_file_inside(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_bytes(REPORT_HTML)
    (folder / "sub" / "b.html").write_bytes(REPORT_HTML)
    (folder / "sub" / "empty.pdf").write_bytes(b"")
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = gxcrawl("parse", "--json", str(folder), str(empty), "/no/such/file.html")
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["source"] for r in records] == [str(folder / "a.html"), str(folder / "sub" / "b.html"),
                                              str(folder / "sub" / "empty.pdf"), str(empty), "/no/such/file.html"]
    assert [r["is_report"] for r in records] == [True, True, False, False, False]
    assert all(r["warnings"] for r in records[2:]) and all(REQUIRED_KEYS <= set(r) for r in records)
    err = result.stderr.decode().splitlines()
    assert err == [f"gxcrawl: {folder / 'sub' / 'empty.pdf'}: unreadable: empty input",
                   f"gxcrawl: {empty}: a directory holding no file",
                   "gxcrawl: /no/such/file.html: No such file or directory"]
    assert result.returncode == 2
