"""`gxcrawl merge` carries the spam-mirror tables (gxcrawl.archive.mirrors, gxcrawl.crawl.cloaking) across
per-worker archives: a mirror copy seen by one worker is linked to the official report
archived by another, and merging again changes nothing."""
import sqlite3

import pytest

from gxcrawl.archive import Archive
from gxcrawl.crawl.cloaking import store_check
from gxcrawl.archive.merge import main as merge_main
from mirror_reports import TABLES_A, TABLES_B, TEXT, synthetic_report

OFFICIAL = "http://www.x.gov.cn/a.html"
MIRROR = "http://www.casino.example/a.html"
TABLES = ("bodies", "fetches", "crawls", "entries", "reports", "cell_values", "checks", "report_versions",
          "mirror_sightings", "cloaking_checks")


def _report(url, tables, text, mirror=False):
    return synthetic_report(url, tables, text, mirror=mirror, official_host="www.x.gov.cn")


@pytest.fixture
def parts(tmp_path):
    """worker-1 archived the official report (id 2 there); worker-2 saw only the mirror copy,
    and archived another report under id 1."""
    one, two = tmp_path / "gx.worker-1.db", tmp_path / "gx.worker-2.db"
    a = Archive(one)
    a.store_report(_report("http://www.x.gov.cn/b.html", TABLES_B, TEXT.format(who="某县教育局", n=5)))
    a.store_report(_report(OFFICIAL, TABLES_A, TEXT.format(who="某县人民政府", n=19)), a.store_body(b"official"))
    a.close()
    b = Archive(two)
    b.store_report(_report("http://www.x.gov.cn/c.html", TABLES_B, TEXT.format(who="某县卫健委", n=5)))
    b.store_report(_report(MIRROR, TABLES_A, TEXT.format(who="365体育人民政府", n=19), mirror=True),
                   b.store_body(b"mirror"))
    store_check(b.db, MIRROR, b.store_body(b"mirror"), b.store_body(b"engine"), 200, True, 0.3,
                [{"kind": "cloaking", "how": "content-differs", "href": None, "detail": "text similarity 0.3"}])
    assert b.db.execute("select official_url from mirror_sightings").fetchone()[0] is None   # not in this part
    b.close()
    return one, two


def dump(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {t: sorted(conn.execute(f"select * from {t}").fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def link(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "select m.mirror_url, m.official_url, m.official_year, m.official_report_id = r.id, m.match_score > 0.9 "
            "from mirror_sightings m left join reports r on r.url = m.official_url and r.year = m.official_year"
        ).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("order", ["official-first", "mirror-first"])
def test_merge_links_a_mirror_sighting_to_an_official_report_of_another_worker(parts, tmp_path, order):
    out = tmp_path / "gx.db"
    ordered = list(parts) if order == "official-first" else list(reversed(parts))
    assert merge_main([str(out)] + [str(p) for p in ordered]) == 0
    assert link(out) == [(MIRROR, OFFICIAL, 2021, 1, 1)]
    first = dump(out)
    assert len(first["reports"]) == 3 and len(first["mirror_sightings"]) == 1
    assert len(first["cloaking_checks"]) == 1
    assert not any(r[0] == MIRROR for r in first["reports"])          # a copy is never a report
    # the spam_findings view sees the merged rows
    conn = sqlite3.connect(out)
    kinds = {r[0] for r in conn.execute("select source from spam_findings where url = ?", [MIRROR])}
    conn.close()
    assert kinds == {"mirror", "cloaking"}
    # merging again (the same parts, in any order) changes nothing
    assert merge_main([str(out)] + [str(p) for p in parts]) == 0
    assert merge_main([str(out)] + [str(p) for p in reversed(parts)]) == 0
    assert dump(out) == first


def test_a_later_sighting_of_the_same_copy_wins(parts, tmp_path):
    one, two = parts
    out = tmp_path / "gx.db"
    assert merge_main([str(out), str(one), str(two)]) == 0
    b = Archive(two)                               # the worker sees the copy again, later, with a new body
    b.db.execute("update mirror_sightings set seen_at = '2999-01-01T00:00:00Z', body_sha256 = ?",
                 [b.store_body(b"mirror, again")])
    b.close()
    assert merge_main([str(out), str(two)]) == 0
    conn = sqlite3.connect(out)
    row = conn.execute("select seen_at, first_seen < seen_at, official_url from mirror_sightings").fetchone()
    conn.close()
    assert row == ("2999-01-01T00:00:00Z", 1, OFFICIAL)
