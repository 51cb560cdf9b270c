"""The accountability signals and the panel over the replica farm crawled twice by the real
spider (tests/signals_build.py): every case planted on 明溪县 (gxcrawl/replicas/planted.py)
is found, and nothing else on the rest of the farm is flagged; the panel's figures are the
parsed cells; its exports keep their types; its WARC record ids are those of the WARC export."""
import csv
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from signals_build import CORRECTED, crawled_twice
from gxcrawl.parse.figures import FIGURES
from gxcrawl.replicas.planted import MISSING, WITHDRAW

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built():
    return crawled_twice()


@pytest.fixture(scope="module")
def db(built):
    conn = sqlite3.connect(built[0])
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def planted(built):
    return [m for m in built[1]["manifest"]["mingxi"]["reports"]]


def rows(db, sql, *params):
    return [dict(r) for r in db.execute(sql, params)]


def test_both_crawls_finished(db):
    crawls = rows(db, "select crawl_id, status, reports_new from crawls order by crawl_id")
    assert [(c["crawl_id"], c["status"]) for c in crawls] == [("crawl-1", "finished"), ("crawl-2", "finished")]
    assert crawls[0]["reports_new"] > 200


def test_figures_copied_from_the_previous_year_found(db, planted):
    case = next(m for m in planted if m.get("planted") == "copies_figures")
    found = rows(db, "select * from copied_reports where url = ?", case["url"])
    assert len(found) == 1
    row = found[0]
    assert "figures" in row["kind"] and row["scope"] == "same_body"
    assert (row["copies_agency"], row["copies_year"]) == (case["agency"], case["copies_year"])
    assert row["figures_equal"] == row["figures_compared"] >= 8
    assert row["cells_equal"] == row["cells_compared"] > 100 and row["share"] == 1.0


def test_text_copied_from_another_body_found(db, planted):
    case = next(m for m in planted if m.get("planted") == "copies_text")
    row = rows(db, "select * from copied_reports where url = ?", case["url"])[0]
    assert row["kind"] == "text" and row["scope"] == "other_body"      # its tables are its own
    assert (row["copies_agency"], row["copies_year"]) == (case["copies_agency"], case["copies_year"])
    assert 0.85 <= row["text_similarity"] <= 1 and row["copies_agency"] in row["detail"]


def test_no_other_report_flagged_as_copied(db, planted):
    expected = {m["url"] for m in planted if m.get("planted", "").startswith("copies_")}
    assert {r["url"] for r in rows(db, "select url from copied_reports")} == expected


def test_late_report_found_and_nothing_else_late(db, planted):
    late = rows(db, "select * from late_reports where status = 'late'")
    assert {r["url"] for r in late} == {m["url"] for m in planted if m.get("planted") == "late"}
    row = late[0]
    assert (row["body_kind"], row["deadline"], row["published"], row["days_late"]) == \
        ("department", "2023-01-31", "2023-03-15", 43)


def test_township_published_in_april_has_no_statutory_date(db):
    town = rows(db, "select status, published, rule from late_reports where agency = '明溪县雪峰镇人民政府' and year = 2023")
    assert town[0]["published"] == "2024-04-12" and town[0]["status"] == "no_statutory_date"
    assert "township" in town[0]["rule"]


def test_every_report_has_a_late_status(db):
    counts = dict(db.execute("select status, count(*) from late_reports group by status").fetchall())
    canonical = db.execute("select count(*) from reports where canonical = 1").fetchone()[0]
    assert sum(counts.values()) == canonical and counts["on_time"] > 100


def test_missing_year_found_and_nothing_else_missing(db):
    missing = {(r["kind"], r["agency"], r["year"]) for r in rows(db, "select * from missing_reports")}
    expected = set()
    for agency, year in MISSING:
        expected |= {("body_year", agency, year), ("region_year", agency, year)}
    assert missing == expected
    region = rows(db, "select * from region_years where region_name = '明溪县' order by year")
    assert [r["year"] for r in region if r["status"] == "missing"] == [y for _, y in MISSING]
    assert {r["status"] for r in rows(db, "select status from region_years where region_name != '明溪县'")} == {"found"}


def test_missing_counted_per_prefecture_and_province(db):
    pref = rows(db, "select * from missing_by_prefecture where prefecture = '三明市'")[0]
    assert (pref["region_years_missing"], pref["body_years_missing"]) == (1, 1)
    assert pref["regions"] >= 12 and pref["regions_crawled"] >= 5
    prov = rows(db, "select * from missing_by_province where province = '福建省'")[0]
    assert prov["region_years_missing"] == 1 and prov["region_years_found"] > 30


def test_withdrawn_reports_found_and_kept(db, planted, built):
    from gxcrawl.archive import Archive
    gone = {r["url"]: r for r in rows(db, "select * from withdrawn_reports")}
    expected = {m["url"]: m["withdraw"] for m in planted if m.get("withdraw")}
    assert set(gone) == set(expected)
    started = db.execute("select started from crawls where crawl_id = 'crawl-2'").fetchone()[0]
    archive = Archive(built[0])
    try:
        for url, what in expected.items():
            row = gone[url]
            assert (row["how"], row["page_status"]) == (("gone", 404) if what == "removed" else ("unlisted", 200))
            assert row["removed_at"] >= started and row["evidence"] == "list"
            # the archived copy is kept: the report row, and the very bytes of its first capture
            report = rows(db, "select body_sha256 from reports where url = ?", url)[0]
            assert report["body_sha256"] == row["archived_sha256"]
            assert hashlib.sha256(archive.body(row["archived_sha256"])).hexdigest() == row["archived_sha256"]
    finally:
        archive.close()


def test_mirror_hosts(db):
    from gxcrawl.replicas.sites import SpamMirror
    hosts = rows(db, "select * from mirror_hosts")
    assert [h["host"] for h in hosts] == ["www.gzdypg.com"]
    h = hosts[0]
    assert json.loads(h["portals"]) == ["www.yj.gov.cn"] and SpamMirror.BRAND in json.loads(h["brands"])
    assert h["copies"] == h["linked"] == 40 and h["first_seen"] <= h["last_seen"]


# -- the panel ----------------------------------------------------------------------------
def figure_from_cells(cells: dict, figure) -> tuple:
    """(value, source) of a figure computed from the stored cells by the data dictionary."""
    aliases = {"normative.made": "normative.issued", "rules.made": "rules.issued"}
    for tbl, keys in figure.cells.items():
        values = []
        for key in keys:
            value = cells.get((tbl, key), cells.get((tbl, aliases.get(key, key))))
            values.append(value)
        if values and all(v is not None for v in values):
            return sum(values), tbl
    return None, None


def test_panel_figures_equal_the_parsed_cells(db):
    panel = rows(db, "select * from panel where missing = 0")
    assert len(panel) == db.execute("select count(*) from reports where canonical = 1").fetchone()[0]
    checked = {"2019": 0, "2021": 0, "pre2019": 0}
    for row in panel:
        cells = {(t, r + ("." + c if c else "")): v for t, r, c, v in db.execute(
            "select tbl, row, col, value from cell_values where report_id = ?", [row["report_id"]])}
        for figure in FIGURES:
            if getattr(figure, "prose", None) and row[f"{figure.name}_source"] == "prose":
                continue         # from the text, not a table
            value, source = figure_from_cells(cells, figure)
            assert (row[figure.name], row[f"{figure.name}_source"]) == (value, source), (row["url"], figure.name)
        if row["generation"] in checked and row["requests_received"] is not None:
            checked[row["generation"]] += 1
    assert checked["2019"] > 40 and checked["2021"] > 80 and checked["pre2019"] >= 8, checked


def test_panel_one_row_per_body_and_year_with_regions(db):
    dupes = db.execute("select issuer_key, year, count(*) from panel group by 1, 2 having count(*) > 1").fetchall()
    assert dupes == []
    row = rows(db, "select * from panel where agency = '明溪县财政局' and year = 2022")[0]
    assert (row["region_code"], row["region_name"], row["region_level"], row["prefecture"], row["province"]) == \
        ("350421", "明溪县", "county", "三明市", "福建省")
    assert row["issuer_key"] == "350421|明溪县财政局" and row["generation"] == "2021"
    for agency, year in MISSING:
        gap = rows(db, "select * from panel where agency = ? and year = ?", agency, year)
        assert len(gap) == 1 and gap[0]["missing"] == 1 and gap[0]["url"] is None and gap[0]["requests_received"] is None


def test_panel_carries_the_signals(db, planted):
    by_url = {r["url"]: r for r in rows(db, "select * from panel where missing = 0")}
    for m in planted:
        row = by_url[m["url"]]
        assert row["copied"] == int(m.get("planted", "").startswith("copies_"))
        assert (row["late_status"] == "late") == (m.get("planted") == "late")
        assert (row["withdrawn_at"] is not None) == bool(m.get("withdraw"))
    assert sum(r["mirror_copies"] for r in by_url.values()) == 40


def export(db_path, what, out, *extra):
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "export", what, "--db", str(db_path), "-o", str(out), *extra],
                       capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_panel_warc_record_ids_are_those_of_the_warc_export(built, db, tmp_path):
    from gxcrawl.archive.warc import warc_payloads
    export(built[0], "warc", tmp_path / "a.warc.gz")
    records = {h["WARC-Record-ID"]: (h, payload) for h, payload in warc_payloads(tmp_path / "a.warc.gz")}
    panel = rows(db, "select url, capture_sha256, warc_record_id from panel where missing = 0")
    assert panel and all(r["warc_record_id"] for r in panel)
    for r in panel:
        headers, payload = records[r["warc_record_id"]]
        assert hashlib.sha256(payload).hexdigest() == r["capture_sha256"] == headers["WARC-Gxcrawl-Body-Sha256"]


def test_csv_round_trip_keeps_integers_and_blanks(built, db, tmp_path):
    meta = export(built[0], "panel", tmp_path / "panel.csv")
    with open(tmp_path / "panel.csv", encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    want = rows(db, "select * from panel order by issuer_key, year")
    assert meta["rows"] == len(got) == len(want)
    got.sort(key=lambda r: (r["issuer_key"], int(r["year"])))
    for g, w in zip(got, want):
        for figure in FIGURES:
            v = w[figure.name]
            assert g[figure.name] == ("" if v is None else str(int(v))), (w["url"], figure.name)
    pa_csv = pytest.importorskip("pyarrow.csv", reason="pyarrow not installed (pip install 'gxcrawl[parquet]')")
    table = pa_csv.read_csv(tmp_path / "panel.csv")
    assert str(table.schema.field("requests_received").type) == "int64"
    assert str(table.schema.field("missing").type) == "int64"
    assert table.column("requests_received").null_count == sum(1 for w in want if w["requests_received"] is None) > 0


def test_parquet_round_trip_keeps_types(built, db, tmp_path):
    try:
        import pyarrow.parquet as pq
    except ImportError:
        print("SKIP: pyarrow not installed (pip install 'gxcrawl[parquet]')")
        pytest.skip("pyarrow not installed (pip install 'gxcrawl[parquet]')")
    export(built[0], "panel", tmp_path / "panel.parquet")
    table = pq.read_table(tmp_path / "panel.parquet")
    types = {f.name: str(f.type) for f in table.schema}
    assert types["year"] == types["requests_received"] == types["reviews"] == types["days_late"] == "int64"
    assert types["agency"] == types["warc_record_id"] == "string" and types["copy_share"] == "double"
    got = sorted(table.to_pylist(), key=lambda r: (r["issuer_key"], r["year"]))
    want = rows(db, "select * from panel order by issuer_key, year")
    assert [(r["issuer_key"], r["year"], r["requests_received"], r["lawsuits"]) for r in got] == \
        [(r["issuer_key"], r["year"], r["requests_received"], r["lawsuits"]) for r in want]
    blanks = [r for r in got if r["missing"] == 1]
    assert blanks and all(r["requests_received"] is None and r["url"] is None for r in blanks)


def test_all_versions(built, tmp_path):
    export(built[0], "panel", tmp_path / "all.jsonl", "--all-versions")
    lines = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    agency, year = CORRECTED
    versions = [r for r in lines if r["agency"] == agency and r["year"] == year]
    assert [(r["version"], r["current"]) for r in versions] == [(1, 0), (2, 1)]
    assert versions[0]["capture_sha256"] != versions[1]["capture_sha256"]
    assert versions[0]["requests_received"] == versions[1]["requests_received"] is not None
    latest = export(built[0], "panel", tmp_path / "latest.jsonl")
    assert len(lines) == latest["rows"] + 1


def test_export_mirrors(built, tmp_path):
    meta = export(built[0], "mirrors", tmp_path / "mirrors.csv")
    with open(tmp_path / "mirrors.csv", encoding="utf-8", newline="") as fh:
        hosts = list(csv.DictReader(fh))
    assert meta["rows"] == 1 and hosts[0]["host"] == "www.gzdypg.com" and hosts[0]["copies"] == "40"


def test_export_rejects_an_unknown_format(built, tmp_path):
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "export", "panel", "--db", str(built[0]),
                        "-o", str(tmp_path / "panel.xlsx")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 2 and "unknown format .xlsx" in r.stderr and not (tmp_path / "panel.xlsx").exists()
