"""A report is stored in one transaction: a process killed in the middle of
Archive.store_report leaves either the whole report (row, cells, checks, index) or none
of it. (sqlite-utils commits every write made outside an open transaction, so `with
conn:` alone did not hold: a kill -9 left a row without its cells, and the resumed crawl
stored it again as a spurious second version — tests/test_resume.py's flake.)"""
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from gxcrawl.archive import Archive
from gxcrawl.parse.model import Cell, Check, Report

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
URL = "http://www.x.gov.cn/r.html"


def report(title="某县2020年政府信息公开工作年度报告", total=3.0):
    r = Report(source="s", url=URL, year=2020, is_report=True, title=title, text="收到申请3件")
    r.cells = [Cell("t3", "new.total", total, str(int(total))), Cell("t3", "new.natural", 1.0, "1")]
    r.checks = [Check("t3.balance.total", True, "ok")]
    return r


def counts(db):
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("reports", "cell_values", "checks", "report_versions")}
    finally:
        conn.close()


@pytest.mark.parametrize("die_in", ["gxcrawl.archive.store.index_report", "gxcrawl.archive.store.link_report"])
def test_kill_in_the_middle_of_a_store_leaves_nothing(tmp_path, die_in):
    db = tmp_path / "a.db"
    Archive(db).close()
    module, name = die_in.rsplit(".", 1)
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {ROOT!r}); sys.path.insert(0, {os.path.join(ROOT, "tests")!r})
        import {module}
        from gxcrawl.archive import Archive
        from test_archive_atomic import report
        archive = Archive({str(db)!r})
        setattr({module}, {name!r}, lambda *a, **k: os._exit(9))     # the kill, after the row and cells
        archive.store_report(report())
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9, proc.stderr[-2000:]
    assert counts(db) == {"reports": 0, "cell_values": 0, "checks": 0, "report_versions": 0}
    archive = Archive(db)                  # the resumed crawl stores it: one version, complete
    archive.store_report(report())
    assert counts(db) == {"reports": 1, "cell_values": 2, "checks": 1, "report_versions": 0}
    assert archive.db.execute("select version from reports").fetchone()[0] == 1
    archive.close()


def test_a_failed_change_keeps_the_old_version_whole(tmp_path, monkeypatch):
    archive = Archive(tmp_path / "a.db")
    archive.store_report(report())
    import gxcrawl.archive.store

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(gxcrawl.archive.store, "index_report", boom)
    with pytest.raises(RuntimeError):
        archive.store_report(report(total=5.0))
    assert counts(archive.path) == {"reports": 1, "cell_values": 2, "checks": 1, "report_versions": 0}
    assert archive.db.execute("select value from cell_values where row = 'new' and col = 'total'"
                              ).fetchone()[0] == 3.0
    monkeypatch.undo()
    archive.store_report(report(total=5.0))      # the real change: one old version
    assert counts(archive.path)["report_versions"] == 1
    archive.close()


def test_a_half_written_row_from_an_older_archive_is_completed_not_versioned(tmp_path):
    archive = Archive(tmp_path / "a.db")
    archive.store_report(report())
    from gxcrawl.archive.search import unindex_report
    row = dict(archive.db["reports"].get((URL, 2020)))
    unindex_report(archive.db, row)        # what a kill mid-store left before stores were atomic:
    archive.db.execute("delete from cell_values")      # the row alone (cells, checks, index came after)
    archive.db.execute("delete from checks")
    archive.store_report(report())
    assert counts(archive.path) == {"reports": 1, "cell_values": 2, "checks": 1, "report_versions": 0}
    assert archive.db.execute("select version from reports").fetchone()[0] == 1
    # a row edited by hand is still a change (gxcrawl.archive.reparse relies on it)
    archive.db.execute("update reports set published = '2000-01-01'")
    archive.store_report(report())
    assert counts(archive.path)["report_versions"] == 1
    archive.close()
