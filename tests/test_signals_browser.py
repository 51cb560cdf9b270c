"""The signals in Datasette over the farm crawled twice (tests/signals_build.py): the
panel's data dictionary as column descriptions, the canned queries, and — in headless
Chromium — the signals dashboard showing each planted case. Screenshots go to
tests/artifacts/ (gitignored)."""
import os
from pathlib import Path
from urllib.parse import quote

import pytest

from archive_build import DatasetteServer
from signals_build import crawled_twice
from gxcrawl.parse.figures import FIGURE_NAMES
from gxcrawl.replicas.planted import MISSING

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db, info = crawled_twice()
    with DatasetteServer(tmp_path_factory.mktemp("signals-datasette"), source=db) as s:
        s.manifest = info["manifest"]["mingxi"]["reports"]
        yield s


def planted(server, kind):
    return [m for m in server.manifest if m.get("planted") == kind or m.get("withdraw") == kind]


def test_panel_columns_described_by_the_data_dictionary(server):
    meta = server.json("/-/metadata.json")
    columns = meta["databases"]["gxcrawl"]["tables"]["panel"]["columns"]
    for name in FIGURE_NAMES:
        assert name in columns and f"{name}_source" in columns
    assert "t3: new.total" in columns["requests_received"].replace("table 三", "t3")
    assert "warc_record_id" in columns and "export warc" in columns["warc_record_id"]


def test_canned_queries_list_the_planted_cases(server):
    copies = server.json("/gxcrawl/copies_found.json?kind=&_shape=array")
    assert {c["url"] for c in copies} == {m["url"] for m in planted(server, "copies_figures") + planted(server, "copies_text")}
    late = server.json("/gxcrawl/late_found.json?region=" + quote("三明市") + "&_shape=array")
    assert [r["url"] for r in late] == [m["url"] for m in planted(server, "late")]
    missing = server.json("/gxcrawl/missing_found.json?region=" + quote("福建省") + "&_shape=array")
    assert {(r["agency"], r["year"]) for r in missing} == set(MISSING)
    withdrawn = server.json("/gxcrawl/withdrawn_found.json?_shape=array")
    assert {r["url"] for r in withdrawn} == {m["url"] for m in server.manifest if m.get("withdraw")}
    hosts = server.json("/gxcrawl/mirror_host_list.json?_shape=array")
    assert [h["host"] for h in hosts] == ["www.gzdypg.com"]
    panel = server.json("/gxcrawl/panel_of_region.json?region=" + quote("明溪县") + "&_shape=array")
    assert len(panel) == len(server.manifest) + len(MISSING)


@pytest.fixture(scope="module")
def page(server):
    if not os.path.exists(CHROMIUM):
        print(f"SKIP: {CHROMIUM} not installed (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(30000)
        errors: list = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.js_errors = errors
        yield pg
        browser.close()


def chart_text(page, slug: str) -> str:
    """The text a chart draws (axis labels of the SVG Vega renders), once it has drawn."""
    page.wait_for_selector(f"#chart-{slug} svg text", timeout=30000)
    return " ".join(page.eval_on_selector_all(f"#chart-{slug} svg text", "els => els.map(e => e.textContent)"))


def test_signals_dashboard_shows_the_planted_cases(page, server):
    page.goto(server.url + "/-/dashboards/signals?region=")
    page.wait_for_load_state("networkidle")
    by = {m.get("planted") or m.get("withdraw"): m for m in server.manifest if m.get("planted") or m.get("withdraw")}
    copied = chart_text(page, "copied")
    figures, text = by["copies_figures"], by["copies_text"]
    assert f"{figures['agency']} {figures['year']} ← {figures['agency']} {figures['copies_year']}" in copied
    assert f"{text['agency']} {text['year']} ← {text['copies_agency']} {text['copies_year']}" in copied
    assert f"{by['late']['agency']} {by['late']['year']}" in chart_text(page, "late")
    missing = chart_text(page, "missing")
    assert all(agency in missing for agency, _ in MISSING)
    assert "福建省 · 三明市" in chart_text(page, "by-province")
    withdrawn = chart_text(page, "withdrawn")
    assert all(f"{by[k]['agency']} {by[k]['year']}" in withdrawn for k in ("removed", "unlisted"))
    assert "www.gzdypg.com" in chart_text(page, "mirror-hosts")
    metrics = {slug: page.locator(f"#chart-{slug}").inner_text().strip()
               for slug in ("m-copied", "m-late", "m-missing", "m-withdrawn", "m-mirrors")}
    assert metrics == {"m-copied": "2 copied", "m-late": "1 late", "m-missing": f"{2 * len(MISSING)} missing",
                       "m-withdrawn": "2 withdrawn", "m-mirrors": "1 hosts"}
    page.screenshot(path=str(ARTIFACTS / "signals_dashboard.png"), full_page=True)
    assert not [e for e in page.js_errors if "Content Security Policy" in e or "EvalError" in e], page.js_errors


def test_dashboard_region_filter(page, server):
    page.goto(server.url + "/-/dashboards/signals?region=" + quote("永嘉县"))
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#chart-m-late p")
    assert page.locator("#chart-m-late").inner_text().strip() == "0 late"
    assert page.locator("#chart-m-copied").inner_text().strip() == "0 copied"
    page.screenshot(path=str(ARTIFACTS / "signals_dashboard_yongjia.png"), full_page=True)


def test_panel_table_in_the_browser(page, server):
    page.goto(server.url + "/gxcrawl/panel?region_name=" + quote("明溪县") + "&_sort=year")
    page.wait_for_load_state("networkidle")
    header = page.locator("table.rows-and-columns thead").inner_text()
    assert "requests_received" in header and "warc_record_id" in header
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() == len(server.manifest) + len(MISSING)
    rows.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "panel_table.png"), full_page=False)
