"""The archive in headless Chromium: the search box, a canned query and a chart render
and show the right things. Screenshots go to tests/artifacts/ (gitignored)."""
import json
import os
from pathlib import Path
from urllib.parse import quote

import pytest

from archive_build import DatasetteServer

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        print(f"SKIP: {CHROMIUM} not installed (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with DatasetteServer(tmp_path_factory.mktemp("browser")) as server:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            pg = context.new_page()
            pg.set_default_timeout(30000)
            errors: list = []
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            pg.base = server.url
            pg.js_errors = errors
            yield pg
            browser.close()


def test_search_box_finds_two_character_terms(page):
    page.goto(page.base + "/gxcrawl/reports")
    box = page.locator("input#_search")
    box.fill("申请")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    assert "_search=" in page.url
    assert "search matches" in page.inner_text("h3, .extra-wheres, body")
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() >= 5
    assert page.evaluate("window.__gxcrawl_xss") is None       # stored script never runs
    rows.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=False)


def test_canned_query_shows_a_regions_requests(page):
    page.goto(page.base + "/gxcrawl/region_requests_by_year?region=" + quote("安顺市"))
    page.wait_for_load_state("networkidle")
    table = page.locator("table.rows-and-columns")
    text = table.inner_text()
    assert "2020" in text and "2021" in text and "2022" in text and "53" in text
    page.screenshot(path=str(ARTIFACTS / "canned_query.png"), full_page=True)


def test_chart_renders(page):
    page.goto(page.base + "/-/dashboards/requests?region=")
    page.wait_for_selector("#card-requests canvas, #card-requests svg", timeout=30000)
    page.wait_for_load_state("networkidle")
    charts = page.locator(".dashboard-card canvas, .dashboard-card svg")
    assert charts.count() >= 3
    box = charts.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50
    page.screenshot(path=str(ARTIFACTS / "chart.png"), full_page=True)
    assert not [e for e in page.js_errors if "Content Security Policy" in e or "EvalError" in e], page.js_errors


def server_json(page, path: str):
    """JSON from the served archive through the browser's own request context."""
    return page.request.get(page.base + path).json()


def failing_report(page) -> dict:
    """A report whose own checks fail on table cells (t3 / t4), chosen from the archive."""
    rows = server_json(page, "/gxcrawl/failed_checks.json?_shape=array&_size=max&is_mirror=0")
    for row in rows:
        if row["check_name"].startswith(("t3.", "t4.")):
            found = server_json(page, "/gxcrawl/reports.json?_shape=array&url=" + quote(row["url"])
                                + f"&year={row['year']}&_col=id&_col=tables&_col=agency&_col=region_name")
            return {**found[0], "check": row["check_name"], "detail": row["detail"]}
    pytest.skip("no report with a failing table check in the test archive")


def row_cells(page, table: str, label: str) -> list[str]:
    """The value cells of the row of `table` whose last printed label is `label`."""
    return page.evaluate("""([table, label]) => {
        for (const tr of document.querySelectorAll(`table#${table} tr`)) {
            const ths = tr.querySelectorAll("th.row");
            if (ths.length && ths[ths.length - 1].textContent.trim() === label)
                return [...tr.querySelectorAll("td.v")].map(td => td.textContent.trim());
        }
        return null;
    }""", [table, label])


def test_report_page_reads_like_the_report(page):
    report = failing_report(page)
    tables = json.loads(report["tables"])
    page.goto(page.base + f"/gxcrawl/-/report/{report['id']}")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("dd.agency") == report["agency"]
    assert page.inner_text("dd.region").startswith(report["region_name"] or "—")
    assert page.locator("dd.capture a").count() == 1                 # the archived capture
    # table 三 as the template prints it: the 总计 column is the last of the row
    t3 = tables.get("t3") or {}
    if t3:
        header = page.locator("table#t3 tr").nth(1).inner_text()
        assert "自然人" in header and "法人或其他组织" in header and "总计" in header
        cells = row_cells(page, "t3", "一、本年新收政府信息公开申请数量")
        printed = [str(int(t3[f"new.{c}"])) if t3.get(f"new.{c}") is not None else ""
                   for c in ("natural", "commercial", "research", "social", "legal", "other_org", "total")]
        assert cells == printed
        assert row_cells(page, "t3", "1.属于国家秘密") is not None   # nested labels: （三）不予公开 › 1.
    if tables.get("t4"):
        header = page.inner_text("table#t4")
        assert "行政复议" in header and "未经复议直接起诉" in header and "复议后起诉" in header
        assert page.locator("table#t4 td.v").count() == 15
    # the failing check is listed and marked on its cells
    assert report["check"] in page.inner_text("ul.failing")
    marked = page.locator("td.fail")
    assert marked.count() >= 1
    assert report["check"] in marked.first.get_attribute("data-fails")
    assert page.evaluate("window.__gxcrawl_xss") is None
    page.screenshot(path=str(ARTIFACTS / "report_page.png"), full_page=True)


def test_reports_table_is_compact_and_links_report_pages(page):
    page.goto(page.base + "/")
    page.click("text=the reports")
    page.wait_for_load_state("networkidle")
    headers = [h.strip() for h in page.locator("table.rows-and-columns thead th").all_inner_texts()]
    assert "title" in " ".join(headers) and "agency" in " ".join(headers)
    for wide in ("text", "tables", "sections", "spam", "agency_evidence"):
        assert wide not in [h.split()[0] for h in headers if h], headers
    link = page.locator("table.rows-and-columns a.report-page").first
    title = link.inner_text()
    page.screenshot(path=str(ARTIFACTS / "reports_table.png"), full_page=False)
    link.click()
    page.wait_for_load_state("networkidle")
    assert "/-/report/" in page.url and page.inner_text("h1") == title


def test_requests_chart_draws_every_year_by_generation(page):
    from archive_build import built_archive
    page.goto(page.base + "/-/dashboards/requests?region=")
    page.wait_for_selector("#card-requests svg text", timeout=30000)
    page.wait_for_load_state("networkidle")
    rows = server_json(page, "/gxcrawl.json?_shape=array&sql=" + quote(
        "select distinct year, generation from panel where requests_received is not null and year > 0"))
    years = {r["year"] for r in rows}
    if built_archive()[1] == "replicas":             # the demo's replicas publish 2015–2024
        assert years >= set(range(2015, 2025)), years
    drawn = set(page.evaluate("() => [...document.querySelectorAll('#card-requests svg text')]"
                              ".map(t => t.textContent)"))          # the axis labels and the legend
    page.screenshot(path=str(ARTIFACTS / "chart_requests.png"), full_page=True)
    assert {str(y) for y in years} <= drawn, drawn
    legend = {"pre2019": "统计表 (pre-2019)", "2019": "2019 template", "2021": "2021 template"}
    assert {legend[r["generation"]] for r in rows if r["generation"] in legend} <= drawn, drawn
