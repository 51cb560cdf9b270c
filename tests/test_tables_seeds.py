"""Every table cell of seeds 000 and 001, and the tpre keys of seed 002.

The expected values were read off the seed texts by hand. In seed 000 some
rows of table 三 list fewer numbers than columns (the text capture dropped the
blank cells): the positions are then found by the table's identities
(gxcrawl.parse.tables.solve). `3 0 0 3` of 本年新收 is 自然人 3, 总计 3 (the 总计 row is
printed in full and the columns must balance); a cell the identities cannot place
comes out as None, never as a guessed 0 — `0 0` of 上年结转 may be any requester
column and 总计, or two requester columns with 总计 blank.
"""
import pytest

from gxcrawl import parse_report
from gxcrawl.parse.tables import T3_COLUMNS, T3_ROWS

from conftest import seed_path

T3_2019_ROWS = [k for k, _ in T3_ROWS if not k.startswith("other.")]
COLS = T3_COLUMNS


def zeros_t3() -> dict:
    return {f"{row}.{col}": 0 for row in T3_2019_ROWS for col in COLS}


def row(key: str, values: list) -> dict:
    return {f"{key}.{col}": v for col, v in zip(COLS, values)}


def sparse(key: str, natural, total) -> dict:
    return row(key, [natural, None, None, None, None, None, total])


T4_ZEROS = {f"{g}.{c}": 0 for g in ("review", "suit_direct", "suit_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")}

SEED_000_T2 = {
    "rules.made": 0, "rules.published": 0, "rules.total": 0,
    "normative.made": 18, "normative.published": 18, "normative.total": 18,
    "licensing.prev_items": 0, "licensing.change": 0, "licensing.decisions": 0,
    "other_services.prev_items": 0, "other_services.change": 0, "other_services.decisions": 0,
    "penalty.prev_items": 0, "penalty.change": 0, "penalty.decisions": 0,
    "coercion.prev_items": 0, "coercion.change": 0, "coercion.decisions": 0,
    "fees.prev_items": 0, "fees.change": 0,
    "procurement.items": 10, "procurement.amount": 241800,
}
SEED_000_T3 = {**zeros_t3(), **sparse("new", 3, 3), **sparse("carried", None, None),
               **sparse("granted", 1, 1), **sparse("partial", None, None),
               **row("unable.no_info", [2, 0, 0, 0, 0, 0, 2]),
               **row("total", [3, 0, 0, 0, 0, 0, 3])}

SEED_001_T2 = {
    "rules.made": 0, "rules.published": 0, "rules.total": 1,
    "normative.made": 4, "normative.published": 4, "normative.total": 124,
    "licensing.prev_items": 0, "licensing.change": 0, "licensing.decisions": 0,
    "other_services.prev_items": 0, "other_services.change": 0, "other_services.decisions": 0,
    "penalty.prev_items": 0, "penalty.change": 0, "penalty.decisions": 0,
    "coercion.prev_items": 0, "coercion.change": 0, "coercion.decisions": 0,
    "fees.prev_items": 0, "fees.change": 0,
    "procurement.items": 7, "procurement.amount": 238.58, "procurement.amount_unit": "万元",
}
SEED_001_T3 = {**zeros_t3(), **row("new", [19, 0, 0, 0, 0, 0, 19]),
               **row("granted", [11, 0, 0, 0, 0, 0, 11]),
               **row("unable.no_info", [8, 0, 0, 0, 0, 0, 8]),
               **row("total", [19, 0, 0, 0, 0, 0, 19])}


@pytest.fixture(scope="module")
def seeds(shared_dir):
    return {p: parse_report(seed_path(shared_dir, p).read_bytes(), source=p)
            for p in ("000", "001", "002")}


@pytest.mark.parametrize("seed,t2,t3", [("000", SEED_000_T2, SEED_000_T3),
                                         ("001", SEED_001_T2, SEED_001_T3)])
def test_every_cell(seeds, seed, t2, t3):
    report = seeds[seed]
    assert report.tables["t2"] == t2
    assert report.tables["t3"] == t3
    assert report.tables["t4"] == T4_ZEROS
    assert report.table_formats == {"t2": "2019", "t3": "2019"}
    assert report.format == "2019"


def test_seed_000_reports_the_lost_blanks(seeds):
    warnings = " ".join(seeds["000"].warnings)
    assert "t3: blank cells dropped" in warnings
    assert "carried.total (blank|0)" in warnings    # the ambiguous cells are named


def test_seed_000_checks_pass_where_cells_are_known(seeds):
    report = seeds["000"]
    assert report.failed_checks == []
    names = {c.name for c in report.checks}
    assert "t3.applicants.total" in names and "t3.applicants.unable.no_info" in names
    assert "t3.balance.natural" not in names      # 上年结转's 自然人 is 0 or blank: unknown
    assert "t3.balance.commercial" not in names   # blank cells: skipped, not failed
    assert {"t4.review", "t4.suit_direct", "t4.suit_after_review"} <= names


def test_seed_001_all_checks_pass(seeds):
    report = seeds["001"]
    assert report.failed_checks == []
    assert len([c for c in report.checks if c.name.startswith("t3.balance")]) == 7
    # 收到…申请19件 in the prose: a check of its own kind, and it agrees with table 三
    assert any(c.name == "figures.prose_agrees.requests_received" and c.ok and c.kind == "prose"
               for c in report.checks)


def test_seed_002_pre2019_keys(seeds):
    tpre = seeds["002"].tables["tpre"]
    assert seeds["002"].format == "pre2019"
    expected = {
        "active.total": 39323, "active.normative": 6032, "normative.issued_total": 12693,
        "requests.received": 1, "requests.completed": 1, "requests.answered": 1,
        "requests.granted": 0, "requests.partial": 1, "requests.denied": 0,
        "review.total": 0, "suit.total": 0, "complaints.total": 969, "fees.amount": 0,
        "staff.total": 131, "funds.amount": 76,
    }
    assert {k: tpre.get(k) for k in expected} == expected
    # every row of the national template has its canonical key; the 复议/诉讼 result rows by their group
    assert tpre["active.website"] == 45540 and tpre["training.people"] == 304
    assert {"review.upheld", "review.corrected", "review.other",
            "suit.upheld", "suit.corrected", "suit.other"} <= set(tpre)
    assert all(key.isascii() for key in tpre), [key for key in tpre if not key.isascii()]
    assert "填报日期" not in tpre
