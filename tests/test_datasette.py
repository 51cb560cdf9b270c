"""`gxcrawl serve`: Datasette over the archive, read-only, with Chinese search, canned
queries, facets, dashboards, and stored HTML shown as text only."""
from urllib.parse import quote

import pytest

from archive_build import DatasetteServer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with DatasetteServer(tmp_path_factory.mktemp("serve")) as s:
        yield s


def test_opened_immutable_and_read_only(server):
    dbs = server.json("/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in dbs if d["name"] == "gxcrawl"] == [("gxcrawl", False)]
    plugins = {p["name"] for p in server.json("/-/plugins.json")}
    assert "datasette-dashboards" in plugins and "gxcrawl_plugin.py" in plugins
    assert not any("render-html" in p for p in plugins)


@pytest.mark.parametrize("term", ["申请", "公开", "信息公开", "行政复议", "开"])
def test_search_box_two_and_more_characters(server, term):
    rows = server.json(f"/gxcrawl/reports.json?_search={quote(term)}&_shape=array&_col=text&_size=max")
    assert rows and all(term in r["text"] for r in rows)


def test_search_no_match(server):
    assert server.json(f"/gxcrawl/reports.json?_search={quote('没有这个词组')}&_shape=array") == []


def test_canned_queries(server):
    by_year = server.json(f"/gxcrawl/region_requests_by_year.json?region={quote('安顺市')}&_shape=array")
    assert [r["year"] for r in by_year] == [2020, 2021, 2022]
    assert by_year[1]["requests_received"] == 53
    missing = server.json(f"/gxcrawl/bodies_missing_a_year.json?region={quote('福建省')}&_shape=array")
    assert ("三明市统计局", 2021) in [(r["agency"], r["missing_year"]) for r in missing]
    failing = server.json("/gxcrawl/cross_check_failures.json?kind=in_force&_shape=array")
    assert [(r["year"], r["item"]) for r in failing if r["agency"] == "安顺市政府办公室"] == [(2022, "normative")]
    largest = server.json("/gxcrawl/largest_requesters.json?year=&_shape=array")
    assert largest[0]["requests_received"] == max(r["requests_received"] for r in largest)
    server.json("/gxcrawl/reports_failing_checks.json?check=&year=&_shape=array")
    found = server.json(f"/gxcrawl/search_text.json?q={quote('申请')}&_shape=array")
    assert found and all("【申请】" in r["context"] for r in found)      # the 2-character term highlighted
    counties = server.json(f"/gxcrawl/county_requests.json?province={quote('福建')}&year=2018&_shape=array")
    assert all(r["region_name"] for r in counties)


def test_facets(server):
    data = server.json("/gxcrawl/reports.json?_facet=year&_facet=format&_facet_array=failed_checks&_facet=is_mirror")
    facets = data["facet_results"]
    assert {"year", "format", "is_mirror", "failed_checks"} <= set(facets)
    default = server.json("/gxcrawl/reports.json")["facet_results"]
    assert {"year", "region_name", "format", "is_mirror", "failed_checks"} <= set(default)


def test_dashboard_and_chart_data(server):
    status, _, html = server.get("/-/dashboards/requests?region=")
    assert status == 200 and b"vega" in html
    rows = server.json("/gxcrawl.json?sql=" + quote("select count(*) as n from report_summary where canonical = 1")
                       + "&_shape=array")
    assert rows[0]["n"] >= 6


def test_stored_html_is_text_and_headers_are_strict(server):
    # every column (the table opens compact, without the text: ?_full=1 asks for all of them)
    status, headers, html = server.get(f"/gxcrawl/reports?_search={quote('window.__gxcrawl_xss')}&_full=1")
    assert status == 200
    assert b"<script>window.__gxcrawl_xss" not in html
    assert b"&lt;script&gt;window.__gxcrawl_xss" in html
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, body = server.get("/gxcrawl.db")
    assert status in (403, 404)                  # allow_download off
    status, _, body = server.get("/gxcrawl/-/query?sql=" + quote("delete from reports"))
    assert status in (400, 403) or b"error" in body.lower()


def test_report_page_escapes_stored_html(server):
    rows = server.json(f"/gxcrawl/reports.json?_search={quote('window.__gxcrawl_xss')}&_shape=array&_col=id")
    status, headers, html = server.get(f"/gxcrawl/-/report/{rows[0]['id']}")
    assert status == 200 and "content-security-policy" in headers
    assert b"<script>window.__gxcrawl_xss" not in html
    assert b"&lt;script&gt;window.__gxcrawl_xss" in html
    assert server.get("/gxcrawl/-/report/999999999")[0] == 404


def test_reports_table_opens_compact(server):
    import urllib.request
    with urllib.request.urlopen(server.url + "/gxcrawl/reports?_sort=year") as r:
        assert "_col=title" in r.url and "_sort=year" in r.url
        html = r.read().decode()
    assert 'class="report-page"' in html
    assert 'data-column="text"' not in html and 'data-column="tables"' not in html
    counts = server.json("/gxcrawl/report_summary.json?_shape=array&_size=20&new_total__notblank=1&_col=new_total")
    assert counts and all(isinstance(r["new_total"], int) for r in counts)     # 125, not 125.0


def test_row_pages_link_regions(server):
    data = server.json("/gxcrawl/reports.json?_shape=objects&_labels=on&region_code=350400&_size=1")
    assert data["rows"][0]["region_code"]["label"] == "三明市"


# -- metadata of the tables and views added with incremental crawls and spam mirrors ----------
RECENT = ["mirror_sightings", "spam_findings", "cloaking_checks", "crawls", "crawl_summary", "entries",
          "report_versions", "report_history", "cross_checks"]


def _shipped_metadata():
    import json
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "gxcrawl" / "datasette" / "metadata.json"
    return json.loads(path.read_text(encoding="utf-8"))["databases"]["gxcrawl"]


def test_every_table_and_view_of_the_archive_is_described():
    import sqlite3
    from archive_build import built_archive
    db, _ = built_archive()
    tables = _shipped_metadata()["tables"]
    conn = sqlite3.connect(db)
    names = [n for (n,) in conn.execute("select name from sqlite_master where type in ('table', 'view')")
             if not n.startswith(("reports_fts", "reports_bigram", "sqlite_"))]
    assert set(RECENT) <= set(names)
    missing = [n for n in names if not tables.get(n, {}).get("hidden")
               and not (tables.get(n, {}).get("title") and tables[n].get("description"))]
    assert missing == [], f"undescribed in gxcrawl/datasette/metadata.json: {missing}"
    for name in RECENT:      # and every column of the recent ones
        cols = [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
        described = tables[name].get("columns", {})
        assert [c for c in cols if c not in described] == [], name
        assert [c for c in described if c not in cols] == [], name     # no stale column names


def test_recent_tables_show_their_descriptions(server):
    for name in RECENT:
        status, _, html = server.get(f"/gxcrawl/{name}")
        assert status == 200, name
        title = _shipped_metadata()["tables"][name]["title"]
        assert title.encode() in html, name
    data = server.json("/gxcrawl/mirror_sightings.json?_size=1")
    assert {"mirror_host", "reason"} <= set(data["facet_results"])


def test_canned_queries_mirror_sightings_and_crawl_history(server):
    from archive_build import built_archive
    _, source = built_archive()
    queries = _shipped_metadata()["queries"]
    assert queries["mirror_sightings_with_official"]["title"] == "Mirror sightings with the official report they copy"
    assert queries["crawl_history"]["title"] == "Crawl history"
    sightings = server.json("/gxcrawl/mirror_sightings_with_official.json?host=&_shape=array")
    history = server.json("/gxcrawl/crawl_history.json?_shape=array")
    if source != "replicas":      # an archive of fixtures only has no crawl and no mirror
        return
    mirror = [r for r in sightings if r["mirror_host"] == "www.gzdypg.com"]     # the replica mirror of 永嘉
    assert len(mirror) == 40 and all(r["injected_phrases"] for r in mirror if r["reason"] == "flagged")
    linked = [r for r in mirror if r["official_url"]]
    assert len(linked) == 40 and all(r["official_url"].startswith("http://www.yj.gov.cn/") and r["official_agency"]
                          and "永嘉" in r["official_agency"] and r["match_score"] > 0.5 for r in linked)
    by_official = server.json(f"/gxcrawl/mirror_sightings_with_official.json?host={quote('www.yj.gov.cn')}&_shape=array")
    assert len(by_official) == len(linked) and {r["mirror_host"] for r in by_official} == {"www.gzdypg.com"}
    assert server.json("/gxcrawl/mirror_sightings_with_official.json?host=www.sm.gov.cn&_shape=array") == []
    assert history == sorted(history, key=lambda r: r["started"], reverse=True)
    (demo,) = [r for r in history if r["crawl_id"].startswith("crawl-")]    # the demo crawl
    assert demo["status"] == "finished" and demo["requests"] > 100 and demo["reports_new"] > 100
    assert demo["fetches"] > 100 and demo["seconds"] >= 0 and demo["mb"] > 0
