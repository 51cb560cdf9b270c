"""Discovery that does not depend on having seen the family: each replica of a CMS family
crawled with the real spider from its root alone (`-a url=`), like a portal nobody here built.

Must show, per replica: every report of its manifest found with its year, nothing else
stored as a report, a second crawl fetching no report page again, and the requests per
report found (printed; asserted ≤ 1.5)."""
from urllib.parse import urlsplit

import pytest

from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports

FAMILIES = ["tonglu", "zhanjiang", "cixian"]


def _report_paths(site) -> set[str]:
    out = set()
    for m in site.manifest:
        for url in m["urls"] + ([m["page"]] if m.get("page") else []):
            parts = urlsplit(url)
            out.add(parts.path + ("?" + parts.query if parts.query else ""))
    return out


@pytest.fixture(scope="module", params=FAMILIES)
def crawled(request, farm, tmp_path_factory):
    site = farm.site(request.param)
    db = tmp_path_factory.mktemp(site.name) / "archive.db"
    before = len(farm.requests_for(site.host))
    first = run_crawl(farm, {"url": f"http://{site.host}/"}, db)
    assert first.returncode == 0, first.stderr[-4000:]
    middle = len(farm.requests_for(site.host))
    second = run_crawl(farm, {"url": f"http://{site.host}/"}, db)
    assert second.returncode == 0, second.stderr[-4000:]
    log = farm.requests_for(site.host)
    return {"site": site, "db": db, "stats": scrapy_stats(first.stderr), "first": log[before:middle],
            "second": log[middle:], "reports": stored_reports(db)}


def test_every_report_found_and_nothing_else(farm, crawled):
    site = crawled["site"]
    result = compare(farm, crawled["reports"], names=[site.name])[site.name]
    assert result.expected == len(site.manifest) > 20
    assert not result.missing, [m["url"] for m in result.missing]
    assert not result.wrong_year, result.wrong_year
    assert not result.extra, [r["url"] for r in result.extra]
    assert len(result.found) == result.expected


def test_requests_per_report(crawled):
    site = crawled["site"]
    ratio = len(crawled["first"]) / len(site.manifest)
    print(f"\n{site.name}: {len(crawled['first'])} requests for {len(site.manifest)} reports = {ratio:.2f} per report")
    assert ratio <= 1.5


def test_second_crawl_fetches_no_report_page_again(crawled):
    reports = _report_paths(crawled["site"])
    again = [r["path"] + ("?" + r["query"] if r["query"] else "") for r in crawled["second"]]
    assert not [p for p in again if p in reports]
    assert len(crawled["second"]) < len(crawled["first"]) / 2


def test_list_titles_are_whole(crawled):
    """A list title cut by the CMS (str_cut: …) is stored whole, from the link's title attribute."""
    import sqlite3
    conn = sqlite3.connect(str(crawled["db"]))
    signatures = [s for (s,) in conn.execute("select signature from entries")]
    conn.close()
    assert signatures and not [s for s in signatures if "…" in s or "..." in s]


@pytest.mark.parametrize("loading", ["runtime", "none"])
def test_gkmlpt_found_however_its_chunk_is_reached(tmp_path, loading):
    """The list chunk named only by the webpack runtime's chunk map, or not served at all (then
    the platform's own endpoint, known to the crawler, is asked): every report still found."""
    from gxcrawl.replicas import Farm
    from gxcrawl.replicas.gkmlpt import GkmlptPrefecture
    with Farm(sites=[GkmlptPrefecture(loading=loading)]) as farm:
        site = farm.sites[0]
        proc = run_crawl(farm, {"url": f"http://{site.host}/"}, tmp_path / "a.db")
        assert proc.returncode == 0, proc.stderr[-3000:]
        result = compare(farm, stored_reports(tmp_path / "a.db"))[site.name]
        assert result.ok and len(result.found) == result.expected, (result.missing, result.extra)
        stats = scrapy_stats(proc.stderr)
        assert stats.get("discovery/family_endpoints", 0) == (0 if loading == "runtime" else 4)
        print(f"\ngkmlpt ({loading}): {len(farm.requests_for(site.host))} requests for {result.expected} reports")
