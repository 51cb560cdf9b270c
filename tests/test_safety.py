"""Safe by construction: hostile XML, hostile file names, converters in a box, content-addressed
storage, and an archive served read-only with crawled HTML never rendered."""
import ast
import subprocess
import time
from pathlib import Path

import pytest

from gxcrawl.crawl.discovery.lists import hanweb_records

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for d in ("gxcrawl", "spiders", "pipelines") for p in (ROOT / d).rglob("*.py"))

RECORD = '<record><![CDATA[<li><a href="/art/2024/1/1/art_1_1.html">2023年政府信息公开工作年度报告</a></li>]]></record>'


# -- XML from Hanweb datastores -------------------------------------------------------------
def test_billion_laughs_datastore_is_not_expanded():
    lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE datastore [<!ENTITY lol0 "lol">{lol}]>'
           f"<datastore><nextgroup>&lol9;</nextgroup><recordset>{RECORD}</recordset></datastore>")
    started = time.monotonic()
    entries, total, nextgroup = hanweb_records(xml, "http://www.yj.gov.cn/col/col1/index.html")
    assert time.monotonic() - started < 2
    assert not nextgroup or len(nextgroup) < 1000         # 10**9 "lol"s never materialise
    assert [e.text for e in entries] == ["2023年政府信息公开工作年度报告"]


def test_external_entity_datastore_reads_no_file_and_no_network(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">'
           f'<!ENTITY net SYSTEM "http://127.0.0.1:9/evil.dtd">]>'
           f"<datastore><totalrecord>1</totalrecord><nextgroup>&x;&net;</nextgroup>"
           f"<recordset>{RECORD}</recordset></datastore>")
    entries, total, nextgroup = hanweb_records(xml, "http://www.yj.gov.cn/col/col1/index.html")
    assert "TOP-SECRET" not in (nextgroup or "")
    assert all("TOP-SECRET" not in e.text for e in entries)


def test_every_xml_parser_in_the_code_refuses_entities():
    """Each lxml XMLParser(...) built in the code says resolve_entities=False and no_network."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "XMLParser":
                kw = {k.arg: k.value for k in node.keywords}
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                assert "resolve_entities" in kw and getattr(kw["resolve_entities"], "value", None) is False, where
                assert getattr(kw.get("no_network"), "value", True) is True, where


# -- converters and file names --------------------------------------------------------------
HOSTILE_NAMES = ['../../etc/passwd', 'a;rm -rf ~;.doc', '$(touch pwned).doc', '`id`.doc', "-rf.doc",
                 "报告\x00.doc", "|cat /etc/shadow"]


def test_no_shell_anywhere():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert "shell=True" not in text, path
        assert "os.system(" not in text and "os.popen(" not in text, path


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_converter_gets_a_fixed_name_in_a_private_dir(monkeypatch, name, tmp_path):
    """The spider hands the loader bytes only; whatever the URL or Content-Disposition said,
    antiword sees argv [exe, args…, <private tmp>/input.doc], no shell, limits set."""
    from gxcrawl.parse.document import doc as docmod
    from gxcrawl import parse_report
    seen = {}

    def fake_run(argv, **kwargs):
        seen.update(argv=argv, **kwargs)
        Path(kwargs["stdout"].name).write_bytes(b"")
        return subprocess.CompletedProcess(argv, 1, b"", b"antiword: not a Word document")

    monkeypatch.setattr(docmod, "antiword_path", lambda: "/usr/bin/antiword")
    monkeypatch.setattr(docmod.subprocess, "run", fake_run)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    url = f"http://www.example.gov.cn/uploadfiles/{name}"
    report = parse_report(ole, url=url, headers={"Content-Disposition": f'attachment; filename="{name}"'})
    assert not report.is_report
    argv = seen["argv"]
    assert isinstance(argv, list) and argv[0] == "/usr/bin/antiword"
    assert Path(argv[-1]).name == "input.doc" and Path(argv[-1]).parent.name.startswith("gxcrawl-doc-")
    assert all(name not in a for a in argv)
    assert seen.get("shell") in (None, False) and seen["timeout"] and seen["cwd"] == str(Path(argv[-1]).parent)
    assert seen.get("preexec_fn") is not None                 # RLIMIT_FSIZE / AS / CPU
    assert set(seen["env"]) <= {"PATH", "HOME", "LANG"}
    assert not Path(argv[-1]).parent.exists()                 # the private dir is gone
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_real_antiword_with_hostile_name(tmp_path, monkeypatch):
    from gxcrawl.parse.document.doc import antiword_path
    if antiword_path() is None:
        pytest.skip("antiword not installed (apt-get install antiword)")
    from gxcrawl import parse_report
    monkeypatch.chdir(tmp_path)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 600
    report = parse_report(ole, url="http://x.gov.cn/$(touch pwned);.doc")
    assert not report.is_report and any("unreadable" in w for w in report.warnings)
    assert list(tmp_path.iterdir()) == []


# -- what is written to disk ----------------------------------------------------------------
def test_bodies_are_content_addressed_never_named_from_the_url(tmp_path, monkeypatch):
    import hashlib
    from gxcrawl.archive import Archive
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "a.db"
    archive = Archive(db)
    body = b"<html><script>alert(1)</script></html>"
    for url in ["http://x.gov.cn/../../../../tmp/evil.html", "http://x.gov.cn/a;rm -rf /.pdf",
                "file:///etc/passwd", "http://x.gov.cn/%2e%2e/%2e%2e/evil"]:
        archive.record_fetch(url, status=200, body=body, crawl_id="t")
    sha = archive.store_body(body)
    archive.close()
    assert sha == hashlib.sha256(body).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) <= ["a.db", "a.db-shm", "a.db-wal"]
    assert not Path("/tmp/evil.html").exists()


def test_no_file_is_opened_for_writing_with_a_url_derived_name():
    """Audit: the only writes are the archive (SQLite), WARC/feeds at a path the user gives,
    and converter input under a fixed name in a private temporary directory."""
    allowed = {"gxcrawl/archive/warc.py", "gxcrawl/parse/document/doc.py", "gxcrawl/replicas/farm.py",
               "gxcrawl/cli/serve.py", "gxcrawl/cli/__init__.py", "gxcrawl/cli/demo.py",
               "gxcrawl/datasette/plugins/gxcrawl_plugin.py",
               "gxcrawl/cli/schedule.py",          # fixed unit/cron names, never from a URL
               "gxcrawl/archive/tabular.py"}       # export panel / mirrors: the path the user gives (-o)
    offenders = []
    for path in SOURCES:
        rel = str(path.relative_to(ROOT))
        text = path.read_text(encoding="utf-8")
        writes = ("write_bytes(" in text or "write_text(" in text or '"wb"' in text or "'wb'" in text
                  or '"w"' in text and "open(" in text)
        if writes and rel not in allowed and not rel.startswith(("gxcrawl/replicas/", "gxcrawl/crawl/incremental",
                                                                 "gxcrawl/crawl/distributed")):
            offenders.append(rel)
    assert not offenders, f"review these writers and add them to the audit list: {offenders}"


# -- Datasette ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from archive_build import DatasetteServer
    from gxcrawl.archive import Archive
    server = DatasetteServer(tmp_path_factory.mktemp("safe-serve"))
    archive = Archive(server.db)
    body = (b"<html><body><script>window.__gx_pwned=1</script><img src=x onerror=alert(1)>"
            b"<a href='javascript:alert(2)'>x</a></body></html>")
    archive.record_fetch("javascript:alert(document.domain)", status=200, body=body, crawl_id="hostile",
                         final_url="javascript:alert(3)", content_type="text/html")
    archive.close()
    with server as s:
        s.hostile_sha = __import__("hashlib").sha256(body).hexdigest()
        yield s


def test_datasette_never_renders_crawled_html_or_links(hostile_server):
    s = hostile_server
    status, headers, html = s.get("/gxcrawl/fetches?crawl_id=hostile")
    assert status == 200
    assert b'href="javascript:' not in html and b"href='javascript:" not in html
    assert b"<script>window.__gx_pwned" not in html
    assert "script-src" in headers["content-security-policy"] or "default-src 'self'" in headers["content-security-policy"]
    # the raw body is a zlib blob, served (if at all) as a download, never as a page
    status, headers, blob = s.get(f"/gxcrawl/bodies/{s.hostile_sha}.blob?_blob_column=data")
    if status == 200:
        assert not headers.get("content-type", "").startswith("text/html")
        assert b"<script>" not in blob
    status, headers, html = s.get(f"/gxcrawl/bodies/{s.hostile_sha}")
    assert b"<script>window.__gx_pwned" not in html


def test_datasette_refuses_writes(hostile_server):
    import urllib.error
    import urllib.request
    s = hostile_server
    for path, data in [("/gxcrawl/reports/-/insert", b'{"row": {"url": "x"}}'),
                       ("/gxcrawl/-/query", b"sql=delete+from+fetches")]:
        req = urllib.request.Request(s.url + path, data=data, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        assert status >= 400, path
    rows = s.json("/gxcrawl.json?sql=select+count(*)+as+n+from+fetches+where+crawl_id='hostile'&_shape=array")
    assert rows[0]["n"] == 1
