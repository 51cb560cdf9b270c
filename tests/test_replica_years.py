"""The replicas' numbers follow from year to year (issue 15): on the demo archive the only
failing cross-year checks are the breaks planted on purpose (gxcrawl/replicas/planted.py),
and those do fail."""
import shutil

import pytest

from archive_build import DEMO_RUN, built_archive
from gxcrawl.replicas.content import T3_COLS, year_numbers
from gxcrawl.replicas.planted import CROSS_YEAR_BREAKS, MISSING


def test_a_bodys_numbers_follow_from_its_year_before():
    for agency in ("三明市人民政府办公室", "永嘉县人民政府"):
        for year in range(2019, 2025):
            before, now = year_numbers(agency, year - 1), year_numbers(agency, year)
            assert all(now["t3"][c]["carried"] == before["t3"][c]["next"] for c in T3_COLS)
            assert now["t2"]["normative_total"] == before["t2"]["normative_total"] + now["t2"]["normative"]


@pytest.fixture(scope="module")
def demo_failures(tmp_path_factory):
    _, source = built_archive()
    if source != "replicas":
        pytest.skip("the test archive was built from fixtures, not by `gxcrawl demo`")
    from gxcrawl.archive import Archive
    from gxcrawl.archive.crosscheck import failures, run_crosschecks
    db = tmp_path_factory.mktemp("years") / "demo.db"
    shutil.copy(DEMO_RUN["workdir"] / "archive" / "demo.db", db)     # the demo's own archive, nothing added
    archive = Archive(db)
    stats = run_crosschecks(archive.db)
    return stats, failures(archive.db)


def test_failing_cross_year_checks_of_the_demo_are_the_planted_ones(demo_failures):
    stats, failed = demo_failures
    assert stats["carry_over"] > 500 and stats["in_force"] > 100       # checks ran across many bodies
    breaks = {(f["agency"], f["year"]) for f in failed if f["kind"] in ("carry_over", "in_force")}
    gaps = {(f["agency"], f["year"]) for f in failed if f["kind"] == "missing_year"}
    assert breaks <= set(CROSS_YEAR_BREAKS), breaks - set(CROSS_YEAR_BREAKS)
    assert gaps <= set(MISSING), gaps - set(MISSING)
    assert breaks == set(CROSS_YEAR_BREAKS) and gaps == set(MISSING)   # and the planted ones are caught
