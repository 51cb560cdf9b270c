"""kill -9 at several points of a crawl, restart with the same JOBDIR: the final archive
holds exactly the reports (and every cell value) of an uninterrupted crawl — none
missing, none doubled, no half-written rows."""
import signal
import sqlite3

import pytest

from gxcrawl.replicas.harness import crawl_and_kill, run_crawl

CITIES = {"city": "三明,永嘉,瑞金"}


def snapshot(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        reports = sorted(conn.execute("select url, year, content_hash, is_report, title, agency, published "
                                      "from reports").fetchall())
        cells = sorted(conn.execute("select r.url, r.year, c.tbl, c.row, c.col, c.value, c.raw from cell_values c "
                                    "join reports r on r.id = c.report_id").fetchall(), key=repr)
        orphans = conn.execute("select count(*) from cell_values where report_id not in (select id from reports)"
                               ).fetchone()[0]
        versions = conn.execute("select count(*) from report_versions").fetchone()[0]
        ids = conn.execute("select count(*), count(distinct id) from reports").fetchone()
        return {"reports": reports, "cells": cells, "orphans": orphans, "versions": versions, "ids": ids}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(farm, tmp_path_factory):
    db = tmp_path_factory.mktemp("ref") / "ref.db"
    proc = run_crawl(farm, CITIES, db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    snap = snapshot(db)
    assert len(snap["reports"]) > 100 and snap["versions"] == 0
    return snap


@pytest.mark.parametrize("kills", [(12,), (60,), (25, 90, 150)], ids=["early", "middle", "three-kills"])
def test_kill_9_and_resume_gives_the_same_archive(farm, reference, tmp_path, kills):
    db, jobdir = tmp_path / "a.db", tmp_path / "job"
    for n in kills:
        code = crawl_and_kill(farm, CITIES, db, n, {"JOBDIR": str(jobdir), "CONCURRENT_REQUESTS": "4"})
        assert code == -signal.SIGKILL, f"the crawl finished before {n} fetches"
        assert (jobdir / "gxcrawl.running").exists()        # the marker of an unclean stop
    proc = run_crawl(farm, CITIES, db, settings={"JOBDIR": str(jobdir)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "did not shut down cleanly" in proc.stderr
    assert not (jobdir / "gxcrawl.running").exists()
    snap = snapshot(db)
    missing = set(r[:2] for r in reference["reports"]) - set(r[:2] for r in snap["reports"])
    extra = set(r[:2] for r in snap["reports"]) - set(r[:2] for r in reference["reports"])
    assert not missing and not extra, (sorted(missing)[:5], sorted(extra)[:5])
    assert snap["reports"] == reference["reports"]
    assert snap["cells"] == reference["cells"]
    assert snap["orphans"] == 0 and snap["ids"][0] == snap["ids"][1]
    assert snap["versions"] == 0, sqlite3.connect(db).execute(
        "select url, year, version, reason, parser_version, body_sha256, title, text from report_versions").fetchall()
    conn = sqlite3.connect(db)
    runs = conn.execute("select status, resumed from crawls order by rowid").fetchall()
    assert runs[-1] == ("finished", 1) and len(runs) == len(kills) + 1
    assert all(status == "killed" for status, _ in runs[:-1])      # marked by the run that found them dead
