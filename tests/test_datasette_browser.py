"""The archive in headless Chromium: the search box, a canned query and a chart render
and show the right things. Screenshots go to tests/artifacts/ (gitignored)."""
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
