"""`gxcrawl serve`: Datasette over the archive, read-only, with Chinese search, canned
queries, facets, dashboards, and stored HTML shown as text only."""
from urllib.parse import quote

import pytest

from archive_build import XSS_MARK, DatasetteServer


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
    assert found and all("申请" in r["context"] for r in found)
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
    status, headers, html = server.get(f"/gxcrawl/reports?_search={quote('window.__gxcrawl_xss')}")
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


def test_row_pages_link_regions(server):
    data = server.json("/gxcrawl/reports.json?_shape=objects&_labels=on&region_code=350400&_size=1")
    assert data["rows"][0]["region_code"]["label"] == "三明市"
