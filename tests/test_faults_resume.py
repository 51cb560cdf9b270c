"""kill -9 of a crawl of the fault host at a random moment, then the same crawl resumed with the
same JOBDIR: the archive ends with the same reports — URL, year, body hash and content hash —
as an uninterrupted crawl, nothing doubled, nothing off the portal. The kill point is a random
number of recorded fetches (seed printed; GXCRAWL_TEST_SEED=N replays one)."""
import os
import random
import signal
import sqlite3
import time

import pytest

from gxcrawl.replicas import Farm
from gxcrawl.replicas.faults import HOST, FaultSite
from gxcrawl.replicas.harness import crawl_and_kill, fetch_count, run_crawl

ARGS = {"url": f"http://{HOST}/"}
SETTINGS = {"DOWNLOAD_TIMEOUT": "5", "GXCRAWL_BROWSER": "0"}


def reports(db):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        rows = sorted(conn.execute("select url, year, body_sha256, content_hash, is_report, needs_ocr from reports"
                                   ).fetchall())
        ids = conn.execute("select count(*), count(distinct url || '|' || year) from reports").fetchone()
        return rows, ids
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    db = tmp_path_factory.mktemp("faults-ref") / "ref.db"
    site = FaultSite()
    with Farm(sites=[site]) as farm:
        proc = run_crawl(farm, ARGS, db, timeout=300, settings=SETTINGS)
        site.stop.set()
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows, ids = reports(db)
    assert rows and ids[0] == ids[1]
    return {"reports": rows, "fetches": fetch_count(db)}


@pytest.mark.parametrize("kills", [1, 2], ids=["one-kill", "two-kills"])
def test_kill_9_at_a_random_moment_then_resume(reference, tmp_path, kills):
    seed = int(os.environ.get("GXCRAWL_TEST_SEED") or time.time_ns() % 100_000)
    rng = random.Random(seed)
    points = sorted(rng.randint(2, max(3, reference["fetches"] - 3)) for _ in range(kills))
    print(f"seed {seed}: kill -9 after {points} of {reference['fetches']} fetches")
    db, jobdir = tmp_path / "a.db", tmp_path / "job"
    site = FaultSite()
    with Farm(sites=[site]) as farm:
        for n in points:
            code = crawl_and_kill(farm, ARGS, db, n, {**SETTINGS, "JOBDIR": str(jobdir)}, deadline=150)
            assert code == -signal.SIGKILL, f"seed {seed}: the crawl ended before {n} fetches"
            assert (jobdir / "gxcrawl.running").exists()
        proc = run_crawl(farm, ARGS, db, timeout=300, settings={**SETTINGS, "JOBDIR": str(jobdir)})
        site.stop.set()
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "did not shut down cleanly" in proc.stderr
    rows, ids = reports(db)
    assert ids[0] == ids[1], f"seed {seed}: a report stored twice"
    missing = sorted(set(reference["reports"]) - set(rows))
    extra = sorted(set(rows) - set(reference["reports"]))
    assert not missing and not extra, (seed, missing[:5], extra[:5])
    assert farm.offsite == []
