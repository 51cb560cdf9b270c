"""Spam mirrors in the crawl and the archive: the real spider (subprocess) over the gambling
mirror www.gzdypg.com and the official 永嘉 portal it copies, in both orders. The mirror's
reports are mirror sightings linked to the official reports — never reports — and the
official reports are exactly those of a crawl of the official host alone."""
import json
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from gxcrawl.archive import Archive
from gxcrawl.archive.mirrors import compare, fingerprint, relink_all
from gxcrawl.replicas.harness import compare as compare_manifest
from gxcrawl.replicas.harness import run_crawl, stored_reports, stored_sightings
from mirror_reports import TABLES_A, TABLES_B, TEXT, synthetic_report

OFFICIAL = {"url": "http://www.yj.gov.cn/"}
MIRROR = {"url": "http://www.gzdypg.com/"}


def _crawl(farm, args, db):
    proc = run_crawl(farm, args, db, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def crawls(farm, tmp_path_factory):
    """official alone → copy → + mirror (official first); mirror alone → + official (mirror first)."""
    tmp = tmp_path_factory.mktemp("mirrors")
    alone, off_first, mir_first = tmp / "official.db", tmp / "official-first.db", tmp / "mirror-first.db"
    with ThreadPoolExecutor(2) as pool:       # two independent chains on two cores
        a = pool.submit(_crawl, farm, OFFICIAL, alone)
        b = pool.submit(_crawl, farm, MIRROR, mir_first)
        a.result(), b.result()
        for suffix in ("", "-wal", "-shm"):
            src = alone.with_name(alone.name + suffix)
            if src.exists():
                shutil.copy(src, off_first.with_name(off_first.name + suffix))
        a = pool.submit(_crawl, farm, MIRROR, off_first)
        b = pool.submit(_crawl, farm, OFFICIAL, mir_first)
        a.result(), b.result()
    return {"alone": alone, "official-first": off_first, "mirror-first": mir_first}


def _links(db):
    return sorted((s["url"], s["year"], s["official_url"], s["official_year"]) for s in stored_sightings(db))


def _content(db):
    conn = sqlite3.connect(str(db))
    try:
        reports = {(u, y): (t, tables, text, sha) for u, y, t, tables, text, sha in conn.execute(
            "select url, year, title, tables, text, body_sha256 from reports")}
        cells = sorted(conn.execute("select r.url, r.year, c.tbl, c.row, c.col, c.value, c.raw "
                                    "from cell_values c join reports r on r.id = c.report_id").fetchall())
        versions = conn.execute("select count(*) from report_versions").fetchone()[0]
    finally:
        conn.close()
    return reports, cells, versions


@pytest.mark.parametrize("order", ["official-first", "mirror-first"])
def test_mirror_reports_are_sightings_linked_to_the_official_ones(farm, crawls, order):
    db = crawls[order]
    mirror, official = farm.site("spam-mirror"), farm.site("yongjia")
    reports = stored_reports(db)
    result = compare_manifest(farm, reports, names=["yongjia", "spam-mirror"], sightings=stored_sightings(db))
    # counts of reports equal the official manifest; nothing stored as a report from the mirror
    assert result["yongjia"].ok and len(result["yongjia"].found) == len(official.manifest)
    assert len(reports) == len(official.manifest)
    assert not [r for r in reports if "gzdypg" in r["url"]]
    assert result["spam-mirror"].ok, (result["spam-mirror"].missing[:3], result["spam-mirror"].extra[:3])
    # every sighting linked to the official report at the same path, with the evidence
    sightings = stored_sightings(db)
    assert len(sightings) == len(mirror.manifest)
    for s in sightings:
        assert s["official_url"] == s["url"].replace("www.gzdypg.com", "www.yj.gov.cn"), s
        assert s["official_year"] == s["year"] and s["match_score"] >= 0.9
    conn = sqlite3.connect(str(db))
    reasons = dict(conn.execute("select reason, count(*) from mirror_sightings group by reason").fetchall())
    assert reasons.get("flagged", 0) >= len(mirror.manifest) - reasons.get("mirror-host", 0)
    pdfs = [m for m in mirror.manifest if m["kind"] == "pdf"]
    evidence = [json.loads(e) for (e,) in conn.execute(
        "select match_evidence from mirror_sightings where mirror_url like '%downfile.jsp%'")]
    assert len(evidence) == len(pdfs) and all(e.get("identical_bytes") for e in evidence)
    html = [json.loads(e) for (e,) in conn.execute(
        "select match_evidence from mirror_sightings where mirror_url not like '%downfile.jsp%'")]
    assert all(e["cell_agreement"] == 1.0 and e["text_similarity"] > 0.9 for e in html)
    # the sightings keep what the mirror did
    phrases = conn.execute("select phrases, hidden_links, body_sha256 from mirror_sightings where reason = 'flagged' "
                           "limit 1").fetchone()
    assert "365" in phrases[0] and "365bet-example" in phrases[1] and phrases[2]
    # the pages keep the portal's 网站标识码 (3303240001 → 永嘉县): the guessed government is 永嘉's
    hosts = dict(conn.execute("select official_host, count(*) from mirror_sightings where reason = 'flagged' "
                              "group by official_host").fetchall())
    assert hosts == {"www.yj.gov.cn": reasons["flagged"]}, hosts
    assert conn.execute("select count(*) from spam_findings where kind = 'mirror_copy'").fetchone()[0] == len(sightings)


def test_a_mirror_host_is_checked_for_cloaking_once(farm, crawls):
    """Re-fetching every mirrored page as Baiduspider would double the mirror's requests: a
    non-government host gets one cloaking check per crawl (GXCRAWL_CLOAKING_OTHER_HOST_PAGES)."""
    for order in ("official-first", "mirror-first"):
        conn = sqlite3.connect(str(crawls[order]))
        checks = conn.execute("select count(*) from cloaking_checks where url like 'http://www.gzdypg.com/%'").fetchone()[0]
        conn.close()
        assert checks == 1, (order, checks)
    engine = [r for r in farm.log if r["host"] == "www.gzdypg.com" and "Baiduspider" in (r["ua"] or "")]
    assert len(engine) == 2                      # the mirror was crawled twice in this module


def test_both_orders_give_the_same_links(crawls):
    assert _links(crawls["official-first"]) == _links(crawls["mirror-first"])
    assert all(link[2] for link in _links(crawls["mirror-first"]))


def test_no_official_report_overwritten_by_mirror_content(crawls):
    alone = _content(crawls["alone"])
    for order in ("official-first", "mirror-first"):
        reports, cells, versions = _content(crawls[order])
        assert set(reports) == set(alone[0])
        for key, (title, tables, text, sha) in reports.items():
            a_title, a_tables, a_text, a_sha = alone[0][key]
            assert (title, tables, text, sha) == (a_title, a_tables, a_text, a_sha), key
            assert "365" not in (title or "") and "gzdypg" not in (text or "")
        assert cells == alone[1]
        assert versions == alone[2] == 0          # no report was replaced by another version


# -- the archive API and the matching, without a crawl ---------------------------------

def test_store_report_refuses_a_mirror_and_links_in_any_order():
    a = Archive(":memory:")
    mirror = synthetic_report("http://www.casino.example/a.html", TABLES_A, TEXT.format(who="365体育人民政府", n=19),
                              mirror=True)
    a.store_report(mirror, a.store_body(b"mirror"))            # routed to mirror_sightings
    assert a.count("reports") == 0 and a.count("mirror_sightings") == 1
    assert a.db.execute("select official_url from mirror_sightings").fetchone()[0] is None   # waits
    a.store_report(synthetic_report("http://www.x.gov.cn/b.html", TABLES_B, TEXT.format(who="某县教育局", n=5)))
    assert a.db.execute("select official_url from mirror_sightings").fetchone()[0] is None   # other numbers
    a.store_report(synthetic_report("http://www.x.gov.cn/a.html", TABLES_A, TEXT.format(who="某县人民政府", n=19)))
    row = a.db.execute("select official_url, official_year, match_score from mirror_sightings").fetchone()
    assert row[0] == "http://www.x.gov.cn/a.html" and row[1] == 2021 and row[2] > 0.9
    assert relink_all(a.db) == 1
    assert a.db.execute("select official_url from mirror_sightings").fetchone()[0] == "http://www.x.gov.cn/a.html"


def test_matching_uses_numbers_and_text_not_the_title():
    same_title = fingerprint(TABLES_B, TEXT.format(who="某县人民政府", n=5))
    copy = fingerprint(TABLES_A, TEXT.format(who="365体育人民政府", n=19))
    official = fingerprint(TABLES_A, TEXT.format(who="某县人民政府", n=19))
    assert compare(copy, official).ok and not compare(copy, same_title).ok
    # no table numbers: the text and the numbers written in it decide
    assert compare(fingerprint({}, TEXT.format(who="365体育", n=19)), fingerprint({}, TEXT.format(who="某县", n=19))).ok
    assert not compare(fingerprint({}, TEXT.format(who="某县", n=19)), fingerprint({}, TEXT.format(who="某县", n=7))).ok
