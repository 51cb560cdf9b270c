"""The archive: exact raw bytes by sha256, reports keyed by (url, year), reparse."""
import hashlib
import json
import sqlite3

from gxcrawl import parse_report
from gxcrawl.archive import Archive
from gxcrawl.parse.model import PARSER_VERSION
from gxcrawl.archive.reparse import reparse_archive

from conftest import seed_path


def test_raw_bytes_are_kept_exactly_once(tmp_path):
    archive = Archive(tmp_path / "a.db")
    body = "政府信息公开".encode("gbk") + bytes(range(256))
    sha = archive.store_body(body)
    assert sha == hashlib.sha256(body).hexdigest()
    assert archive.store_body(body) == sha
    assert archive.count("bodies") == 1
    assert archive.body(sha) == body


def test_fetch_records_reason(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.record_fetch("http://x.gov.cn/a", status=412, body=b"<script>$_ts</script>",
                         blocked_reason="ruishu challenge")
    row = next(archive.db["fetches"].rows)
    assert row["status"] == 412 and row["blocked_reason"] == "ruishu challenge"
    assert archive.body(row["body_sha256"]) == b"<script>$_ts</script>"


def test_report_rows_cells_checks_and_reparse(tmp_path, shared_dir):
    path = tmp_path / "a.db"
    archive = Archive(path)
    body = seed_path(shared_dir, "001").read_bytes()
    url = "http://www.anshun.gov.cn/zwgk/xxgknb/2020/t20210129_1.html"
    report = parse_report(body, url=url)
    sha = archive.store_body(body)
    key = archive.store_report(report, body_sha256=sha)
    assert key == (url, report.year or 0)
    row = archive.db["reports"].get(key)
    assert row["parser_version"] == PARSER_VERSION
    assert row["body_sha256"] == sha
    assert json.loads(row["tables"])["t3"]["new.total"] == 19
    cells = {r["key"]: r["value"] for r in archive.db["cells"].rows_where("tbl = 't3'")}
    assert cells["new.total"] == 19 and len(cells) == 161
    assert archive.db["checks"].count == len(report.checks)
    # storing the same report again replaces, never duplicates
    archive.store_report(report, body_sha256=sha)
    assert archive.db["reports"].count == 1 and archive.db["cells"].count == len(report.cells)
    archive.close()

    archive = Archive(path)
    first = reparse_archive(archive)
    assert first["seen"] == 1 and first["changed"] == 0 and first["unchanged"] == 1
    # a stale row (older parser output) is brought up to date, then left alone
    archive.db.execute("update reports set agency = 'stale', parser_version = '0.0.1'")
    archive.db.conn.commit()
    assert reparse_archive(archive)["changed"] == 1
    assert archive.db["reports"].get(key)["parser_version"] == PARSER_VERSION
    assert reparse_archive(archive)["changed"] == 0


def test_archive_uses_wal(tmp_path):
    Archive(tmp_path / "a.db")
    mode = sqlite3.connect(tmp_path / "a.db").execute("pragma journal_mode").fetchone()[0]
    assert mode == "wal"
