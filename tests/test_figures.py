"""The harmonized figures: the same facts under one name whatever the table generation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxcrawl import parse_report
from gxcrawl.parse.figures import FIGURE_NAMES, FIGURES, harmonize

SHARED = Path(__file__).resolve().parents[2] / "shared"
PDFS = SHARED / "samples" / "pdf"
SEEDS = SHARED / "seeds"


def tables(t2=None, t3=None, t4=None, tpre=None):
    return {"t2": t2 or {}, "t3": t3 or {}, "t4": t4 or {}, "tpre": tpre or {}}


def test_every_figure_is_present_even_when_no_table_gives_it():
    figures = harmonize(tables())
    assert tuple(figures) == FIGURE_NAMES
    assert all(f == {"value": None, "source": None, "evidence": None} for f in figures.values())


def test_a_blank_cell_never_becomes_zero():
    figures = harmonize(tables(t4={"review.total": None, "suit_direct.total": 2}))
    assert figures["reviews"]["value"] is None
    assert figures["lawsuits"]["value"] is None      # one of its two cells is missing


def test_sums_name_their_cells():
    figures = harmonize(tables(t4={"suit_direct.total": 2, "suit_after_review.total": 1},
                               t3={f"{row}.total": 1 for row in
                                   ("denied.secret", "denied.law", "denied.safety", "denied.third_party",
                                    "denied.internal", "denied.process", "denied.enforcement", "denied.query")}))
    assert figures["lawsuits"] == {"value": 3, "source": "t4",
                                   "evidence": "t4 suit_direct.total + suit_after_review.total"}
    assert figures["requests_denied"]["value"] == 8


def test_2019_and_2021_table_two_give_the_same_figure():
    made = harmonize(tables(t2={"normative.made": 4}))["normative_documents_issued"]
    issued = harmonize(tables(t2={"normative.issued": 4}))["normative_documents_issued"]
    assert made["value"] == issued["value"] == 4
    assert issued["evidence"] == "t2 normative.issued"


def test_a_table_three_figure_wins_over_no_figure_and_tpre_fills_in_before_2019():
    assert harmonize(tables(tpre={"requests.received": 31, "review.total": 0}))["reviews"] == \
        {"value": 0, "source": "tpre", "evidence": "tpre review.total"}


def test_every_figure_is_documented():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for figure in FIGURES:
        assert f"`{figure.name}`" in readme, f"README's Figures section lacks {figure.name}"


@pytest.mark.parametrize("name", ["hongze-2023", "hongze-2024", "huaian-2024"])
def test_figures_of_the_real_pdfs_equal_their_cells(name):
    if not PDFS.is_dir():
        pytest.skip("shared/samples/pdf not available")
    expected = json.loads((PDFS / f"{name}.expected.json").read_text(encoding="utf-8"))
    report = parse_report((PDFS / f"{name}.pdf").read_bytes(), url=f"http://www.example.gov.cn/{name}.pdf")
    t3, t4 = expected["t3"], expected["t4"]
    assert report.figures["requests_received"]["value"] == t3["new.total"]
    assert report.figures["requests_carried"]["value"] == t3["carried.total"]
    assert report.figures["requests_handled"]["value"] == t3["total.total"]
    assert report.figures["requests_carried_next"]["value"] == t3["next.total"]
    assert report.figures["reviews"]["value"] == t4["review.total"]
    assert report.figures["lawsuits"]["value"] == t4["suit_direct.total"] + t4["suit_after_review.total"]
    assert report.to_dict()["figures"] == report.figures


def test_a_pre_2019_seed_gives_its_figures_from_the_statistics_table():
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds not available")
    body = next(SEEDS.glob("002_*.txt")).read_bytes()
    report = parse_report(body, url="http://www.ruijin.gov.cn/xxgk/2016.html")
    received = report.figures["requests_received"]
    assert received["source"] == "tpre"
    assert received["value"] == report.tables["tpre"]["requests.received"]
