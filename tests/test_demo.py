"""`gxcrawl demo` as a newcomer runs it (issue 15): quiet, offline, in its own archive.

The session's demo run (tests/archive_build.py runs `gxcrawl demo` with no options in an
empty directory, as the README says) is what these tests read; `-v` is run once more.
"""
import json
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from archive_build import DEMO_RUN, ROOT, built_archive


@pytest.fixture(scope="module")
def demo():
    _, source = built_archive()
    if source != "replicas":
        pytest.skip("the test archive was built from fixtures, not by `gxcrawl demo`")
    return DEMO_RUN


def test_demo_prints_a_progress_line_and_the_summary_only(demo):
    out, err = demo["stdout"], demo["stderr"]
    lines = (out + err).splitlines()
    assert len(lines) <= 40, "\n".join(lines)
    for noise in ("DEBUG", "INFO", "WARNING", "Traceback", "[scrapy", "publicsuffix"):
        assert noise not in out + err
    assert re.search(r"pages\s+\d+\s+reports\s+\d+", err)              # the progress line
    assert "Reports in the archive" in out and "This run (finished):" in out
    assert "Open it:  gxcrawl serve --db archive/demo.db" in out
    # the summary's figures are the archive's
    conn = sqlite3.connect(demo["workdir"] / "archive" / "demo.db")
    reports = conn.execute("select count(*) from reports where is_report = 1").fetchone()[0]
    assert f"The archive holds: {reports} reports" in out
    new = conn.execute("select reports_new from crawls").fetchone()[0]
    assert f"reports {new} new" in out


def test_demo_touches_nothing_but_its_archive_and_its_log(demo):
    assert demo["before"] == set()
    created = demo["after"]
    logs = {f for f in created if f.startswith("archive/logs/")}
    assert created - logs == {"archive/demo.db"}
    (log,) = logs
    assert re.fullmatch(r"archive/logs/demo-\d{8}T\d{6}\.log", log)
    text = (demo["workdir"] / log).read_text(encoding="utf-8")
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in text     # the Scrapy log went there
    assert f"Scrapy log: {log}" in demo["stdout"]
    assert demo["repo_archive_after"] == demo["repo_archive_before"]        # never archive/gxcrawl.db


def test_demo_crawl_rows_are_marked_demo(demo):
    conn = sqlite3.connect(demo["workdir"] / "archive" / "demo.db")
    rows = conn.execute("select crawl_id, demo, status from crawls").fetchall()
    assert rows and all(demo_mark == 1 for _, demo_mark, _ in rows), rows


def test_export_warc_of_the_demo_archive_says_it_is_demo_data(demo, tmp_path):
    from warcio.archiveiterator import ArchiveIterator
    out = tmp_path / "demo.warc.gz"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "export", "warc", "--db", "archive/demo.db", "-o", str(out)],
                       capture_output=True, text=True, env=env, cwd=demo["workdir"], timeout=300)
    assert r.returncode == 0, r.stderr
    assert "DEMO DATA" in r.stderr and json.loads(r.stdout)["demo"] is True
    with out.open("rb") as fh:
        info = next(iter(ArchiveIterator(fh)))
        assert info.rec_type == "warcinfo"
        fields = info.content_stream().read().decode()
    assert "gxcrawl-demo: true" in fields and "DEMO DATA" in fields and "not of the real web" in fields


def test_demo_verbose_prints_the_scrapy_log(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "demo", "-v", "--no-browser"], capture_output=True,
                       text=True, env=env, cwd=tmp_path, timeout=1800)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in r.stderr
    assert "DEBUG" not in r.stderr                       # INFO, not every item dict
    assert not (tmp_path / "archive" / "logs").exists()  # printed, not written
    assert "Reports in the archive" in r.stdout
