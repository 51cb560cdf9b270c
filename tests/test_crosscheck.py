"""Cross-year checks find the planted breaks (and nothing on consistent pairs)."""
import sqlite3

import pytest

from archive_build import PLANTED, PLANTED_AGENCY, built_archive
from gxcrawl.archive import Archive
from gxcrawl.archive.crosscheck import failures, run_crosschecks

ANSHUN = "520400|安顺市政府办公室"
SANMING = "350400|" + PLANTED_AGENCY


@pytest.fixture(scope="module")
def archive():
    path, _ = built_archive()
    return Archive(path)


def test_carry_over_breaks(archive):
    bad = {(f["issuer"], f["year"], f["item"]) for f in failures(archive.db, "carry_over")}
    assert (ANSHUN, 2021, "total") in bad             # 2020 结转 0, 2021 上年结转 7
    assert (ANSHUN, 2022, "total") in bad             # 2021 结转 5, planted 2022 上年结转 7
    assert not any(i == SANMING for i, _, _ in bad)   # 0 → 0
    ok = archive.db.execute("select count(*) from cross_checks where kind = 'carry_over' and ok = 1 "
                            "and issuer = ? and year = 2020", [SANMING]).fetchone()[0]
    assert ok >= 1
    row = next(f for f in failures(archive.db, "carry_over")
               if f["issuer"] == ANSHUN and f["year"] == 2022 and f["item"] == "total")
    assert (row["expected"], row["actual"], row["url"]) == (5.0, 7.0, PLANTED["anshun_2022"])


def test_in_force_break(archive):
    bad = [f for f in failures(archive.db, "in_force") if f["issuer"] == ANSHUN]
    assert [(f["issuer"], f["year"], f["item"], f["expected"], f["actual"]) for f in bad] == \
        [(ANSHUN, 2022, "normative", 130.0, 127.0)]
    assert archive.db.execute("select ok from cross_checks where kind = 'in_force' and item = 'rules' "
                              "and issuer = ?", [ANSHUN]).fetchone() == (1,)


def test_missing_year(archive):
    missing = [(f["issuer"], f["year"]) for f in failures(archive.db, "missing_year")]
    assert [y for i, y in missing if i == SANMING] == [2021]
    assert not any(i == ANSHUN for i, _ in missing)


def test_one_canonical_report_per_body_and_year(archive):
    dupes = archive.db.execute("select issuer, year, sum(canonical) from reports where is_report = 1 "
                               "and year > 0 and is_mirror = 0 group by issuer, year having sum(canonical) != 1").fetchall()
    assert dupes == []


def test_rerun_is_stable(archive, tmp_path):
    before = archive.db.execute("select kind, issuer, year, item, ok from cross_checks order by 1, 2, 3, 4").fetchall()
    stats = run_crosschecks(Archive(":memory:").db)
    assert stats == {}
    conn = sqlite3.connect(built_archive()[0])
    assert conn.execute("select kind, issuer, year, item, ok from cross_checks order by 1, 2, 3, 4").fetchall() == before
