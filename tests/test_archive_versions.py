"""The archive built for the session (tests/archive_build.py): every report reachable with
its raw body, long-format cells, versions when content changes, idempotent store and
reparse, Chinese full-text search."""
import json
import sqlite3

from archive_build import (FIXTURES, PLANTED, PLANTED_AGENCY, built_archive, fresh_copy,
                           manifest_report_urls, shift_years)
from gxcrawl import parse_report
from gxcrawl.archive import Archive, sha256_hex
from gxcrawl.archive.versions import changed_reports, report_history
from gxcrawl.parse.model import PARSER_VERSION, Report
from gxcrawl.archive.reparse import reparse_archive
from gxcrawl.archive.search import search_reports


def source_of() -> str:
    return built_archive()[1]


def test_every_report_is_reachable_with_its_exact_body(archive_conn):
    path, _ = built_archive()
    archive = Archive(path)
    rows = archive_conn.execute("select url, year, body_sha256 from reports").fetchall()
    assert len(rows) >= 10
    for url, year, sha in rows:
        body = archive.body(sha)
        assert sha256_hex(body) == sha
        fetched = archive_conn.execute("select count(*) from fetches where body_sha256 = ?", [sha]).fetchone()[0]
        assert fetched >= 1, url
    if source_of() == "replicas":          # every true report of the replica farm was crawled
        stored = {r[0] for r in rows}
        missing = [u for u in manifest_report_urls() if not set(u) & stored]
        assert not missing, missing[:5]
    for url in PLANTED.values():
        assert archive_conn.execute("select count(*) from fetches where url = ?", [url]).fetchone()[0] == 1


def test_one_query_for_a_provinces_counties_by_year(archive_conn):
    # the 蕉城区 seed (宁德市, 福建) is a county report; 三明市 is a prefecture
    rows = archive_conn.execute("select region_name, year, value from cells where province = '福建省' "
                      "and tbl = 't3' and row = 'new' and col = 'total' order by year").fetchall()
    assert rows and "三明市" in {r[0] for r in rows}
    fujian = {r[0] for r in archive_conn.execute("select name from regions where province_code = '350000'")}
    assert {r[0] for r in rows} <= fujian
    one = archive_conn.execute("select count(*) from cells where province_code = '350000' and "
                     "region_level = 'prefecture' and year = 2019 and key = 'new.total'").fetchone()[0]
    assert one >= 1


def test_store_report_is_idempotent_and_keeps_versions(tmp_path):
    archive = Archive(fresh_copy(tmp_path))
    url = PLANTED["sanming_2020"]
    before = archive.db.execute("select count(*) from report_versions").fetchone()[0]
    snapshot = archive.db["reports"].get((url, 2020))
    body = shift_years((FIXTURES / "trs_sanming_2019.html").read_bytes().replace(
        "三明市人民政府办公室".encode(), PLANTED_AGENCY.encode()), 1)
    archive.store_report(parse_report(body, url=url), archive.store_body(body))
    assert archive.db["reports"].get((url, 2020)) == snapshot          # nothing rewritten
    assert archive.db.execute("select count(*) from report_versions").fetchone()[0] == before
    # the page changes on the portal: new bytes, new numbers → a new version, old one kept
    changed = body.replace("2020年政府信息公开".encode(), "2020年政府信息公开（修订）".encode())
    assert changed != body
    archive.store_report(parse_report(changed, url=url), archive.store_body(changed))
    history = report_history(archive.db, url, 2020)
    assert [h["version"] for h in history] == [1, 2] and [h["current"] for h in history] == [0, 1]
    assert history[0]["body_sha256"] == sha256_hex(body) and history[1]["body_sha256"] == sha256_hex(changed)
    assert json.loads(history[0]["cells"]) and history[0]["reason"] == "content"
    assert (url, 2020, 2) in changed_reports(archive.db)
    # report_history view shows both
    assert archive.db.execute("select count(*) from report_history where url = ?", [url]).fetchone()[0] == 2


def test_reparse_changes_nothing_on_a_second_run_and_records_the_parser(tmp_path):
    archive = Archive(fresh_copy(tmp_path))
    n = archive.db.execute("select count(*) from reports").fetchone()[0]
    first = reparse_archive(archive)
    assert first["seen"] == n and first["changed"] == 0 and first["moved"] == 0
    # an older parser's output: one row with other content, one with only an older version
    archive.db.execute("update reports set parser_version = '0.0.1', title = 'old' where url = ?",
                       [PLANTED["sanming_2022"]])
    archive.db.execute("update reports set parser_version = '0.0.1' where url = ?", [PLANTED["anshun_2022"]])
    archive.db.conn.commit()
    second = reparse_archive(archive)
    assert second["changed"] == 1 and second["version_only"] == 1
    rows = archive.db.execute("select distinct parser_version from reports").fetchall()
    assert rows == [(PARSER_VERSION,)]
    old = archive.db.execute("select title, parser_version, reason from report_versions where url = ?",
                             [PLANTED["sanming_2022"]]).fetchall()
    assert old == [("old", "0.0.1", "parser")]
    snapshot = archive.db.execute("select * from reports order by id").fetchall()
    third = reparse_archive(archive)
    assert third["changed"] == third["moved"] == third["version_only"] == 0
    assert archive.db.execute("select * from reports order by id").fetchall() == snapshot


def test_chinese_search_two_and_more_characters(archive_conn):
    path, _ = built_archive()
    archive = Archive(path)
    total = archive_conn.execute("select count(*) from reports where text like '%申请%'").fetchone()[0]
    assert total and len(search_reports(archive.db, "申请", limit=1000)) == total
    three = archive_conn.execute("select count(*) from reports where text like '%行政复议%'").fetchone()[0]
    assert len(search_reports(archive.db, "行政复议", limit=1000)) == three
    assert all("瑞金" in (r["agency"] or "") + (r["title"] or "") + (r["region_name"] or "")
               for r in search_reports(archive.db, "瑞金市 申请"))
    assert search_reports(archive.db, "没有这个词组") == []


def test_schema1_archive_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
      create table bodies (sha256 text primary key, size int, compression text, data blob, first_seen text);
      create table reports (url text not null, year int not null, is_report int, title text, agency text,
        region_name text, region_code text, published text, format text, table_formats text, text text,
        sections text, tables text, spam text, is_mirror int, warnings text, checks_failed int,
        doc_kind text, needs_ocr int, body_sha256 text, parser_version text, parsed_at text, source text,
        primary key (url, year));
      create table cells (url text, year int, tbl text, key text, value real, raw text, primary key (url, year, tbl, key));
      create table checks (url text, year int, name text, ok int, detail text, primary key (url, year, name));
      create table meta (key text primary key, value text);
      insert into meta values ('schema_version', '1');
      insert into reports (url, year, title, agency, text) values ('http://x.gov.cn/a', 2020, 't', '某局', '收到申请3件');
      insert into cells values ('http://x.gov.cn/a', 2020, 't3', 'new.total', 3, '3');
    """)
    conn.commit()
    conn.close()
    archive = Archive(path)
    assert archive.db.execute("select key, value from cells").fetchall() == [("new.total", 3.0)]
    assert search_reports(archive.db, "申请")[0]["url"] == "http://x.gov.cn/a"
    assert archive.db.execute("select value from meta where key = 'schema_version'").fetchone() == ("3",)
    assert "agency_evidence" in archive.db["reports"].columns_dict


def test_schema2_archive_gets_agency_evidence_and_keeps_its_rows(tmp_path):
    """Schema 2 → 3: the `agency_evidence` column is added to reports and report_versions;
    the rows already there stay, and a report parsed again fills it with the evidence
    that can be queried as JSON."""
    path = tmp_path / "v2.db"
    archive = Archive(path)
    archive.store_report(Report(source="s", url="http://x.gov.cn/old", year=2019, agency="某局"))
    for table in ("reports", "report_versions"):        # as a schema-2 archive had them
        archive.db.execute(f"alter table {table} drop column agency_evidence")
    archive.db.execute("update meta set value = '2' where key = 'schema_version'")
    archive.db.conn.commit()
    archive = Archive(path)
    assert archive.db.execute("select value from meta where key = 'schema_version'").fetchone() == ("3",)
    assert "agency_evidence" in archive.db["report_versions"].columns_dict
    assert archive.db.execute("select agency, agency_evidence from reports").fetchall() == [("某局", None)]
    text = ("福州市晋安区2016年政府信息公开工作年度报告\n本报告由福州市晋安区人民政府信息公开办编制。"
            "本报告统计数据从2016年1月1日至2016年12月31日止。")
    archive.store_report(parse_report(text.encode("utf-8"), url="http://www.fzja.gov.cn/a.htm"))
    rows = archive.db.execute(
        "select r.agency, json_extract(e.value, '$.source') from reports r, json_each(r.agency_evidence) e "
        "where r.url = 'http://www.fzja.gov.cn/a.htm'").fetchall()
    assert rows == [("福州市晋安区人民政府", "title"), ("福州市晋安区人民政府", "由…编制")]
