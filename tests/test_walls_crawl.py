"""Bot walls answering 200 in real crawls (scrapy crawl portal in a subprocess, the replica farm
on 127.0.0.1): a wall page is recorded as blocked with its reason, never parsed as a report and
never marks its list entry done — the next crawl asks for it again; once the wall is gone the
reports are archived and a further crawl asks for none of them."""
import sqlite3

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports
from gxcrawl.replicas.sites import OldGbk
from gxcrawl.replicas.walls import Gated

NO_BROWSER = {"GXCRAWL_BROWSER": "0"}


def report_paths(site) -> set[str]:
    return {u.split(site.host, 1)[1] for m in site.manifest for u in m["urls"]}


def fetched(farm, start: int, host: str, paths: set[str]) -> list[tuple[str, int]]:
    return [(r["path"], r["status"]) for r in farm.log[start:] if r["host"] == host and r["path"] in paths]


def entries(db) -> set[str]:
    conn = sqlite3.connect(str(db))
    try:
        return {u for (u,) in conn.execute("select url from entries")}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def walled(tmp_path_factory):
    """瑞金's report pages and attachments behind a Yunsuo-style 200 wall; lists open."""
    site = OldGbk()
    paths = report_paths(site)
    gate = Gated(site, "yunsuo", guard=lambda path: path in paths)
    farm = Farm(sites=[gate]).start()
    yield {"farm": farm, "site": site, "gate": gate, "paths": paths,
           "db": tmp_path_factory.mktemp("walls") / "archive.db"}
    farm.stop()


def crawl(state, settings=NO_BROWSER):
    farm, start = state["farm"], len(state["farm"].log)
    proc = run_crawl(farm, {"url": f"http://{state['site'].host}/"}, state["db"], settings=settings)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return scrapy_stats(proc.stderr), fetched(farm, start, state["site"].host, state["paths"])


def test_a_200_wall_is_blocked_never_a_report_and_asked_again(walled):
    site, db = walled["site"], walled["db"]
    pages = {u.split(site.host, 1)[1] for m in site.manifest for u in m["urls"][:1]}
    stats, first = crawl(walled)
    assert {p for p, _ in first} >= pages and all(s == 200 for _, s in first)
    assert stored_reports(db) == []
    assert stats.get("gxcrawl/blocked/yunsuo-200", 0) >= len(pages)
    conn = sqlite3.connect(str(db))
    reasons = {u: r for u, r in conn.execute("select url, blocked_reason from fetches where status = 200")}
    conn.close()
    assert all(reasons.get(f"http://{site.host}{p}") == "yunsuo-200" for p in pages), reasons
    assert not entries(db) & {f"http://{site.host}{p}" for p in walled["paths"]}
    # the next crawl asks for every walled page again
    stats, second = crawl(walled)
    assert {p for p, _ in second} >= pages
    assert stats.get("gxcrawl/incremental/skipped", 0) == 0
    assert stored_reports(db) == []


def test_when_the_wall_is_gone_the_reports_are_archived_then_not_asked_again(walled):
    farm, site, db = walled["farm"], walled["site"], walled["db"]
    farm.by_host[site.host] = site            # the wall is taken down
    crawl(walled)
    result = compare(farm, stored_reports(db))[site.name]
    assert result.ok and len(result.found) == len(site.manifest), (result.missing, result.extra)
    stats, again = crawl(walled)
    assert again == []
    assert stats.get("gxcrawl/incremental/skipped", 0) >= len(site.manifest)
