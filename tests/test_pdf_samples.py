"""End to end on the three real PDF reports in ../shared/samples/pdf: bytes →
gxcrawl.parse_report → every expected cell of tables 二, 三, 四, the identity
fields, and exactly the table 四 checks that the source itself gets wrong."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import gxcrawl

PDF_DIR = Path(__file__).resolve().parents[2] / "shared" / "samples" / "pdf"
SAMPLES = ["hongze-2023", "hongze-2024", "huaian-2024"]


@pytest.fixture(scope="module")
def parsed() -> dict:
    if not PDF_DIR.is_dir():
        pytest.skip(f"shared samples not available at {PDF_DIR}")
    out = {}
    for name in SAMPLES:
        expected = json.loads((PDF_DIR / f"{name}.expected.json").read_text(encoding="utf-8"))
        report = gxcrawl.parse_report((PDF_DIR / f"{name}.pdf").read_bytes(), url=None)
        out[name] = (report, expected)
    return out


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("table", ["t2", "t3", "t4"])
def test_every_expected_cell(parsed, name, table):
    report, expected = parsed[name]
    got = report.tables.get(table, {})
    wrong = {key: (value, got.get(key, "<missing>")) for key, value in expected[table].items()
             if got.get(key, "<missing>") != value}
    assert not wrong, f"{name} {table}: key: (expected, got) {wrong}"


@pytest.mark.parametrize("name", SAMPLES)
def test_identity(parsed, name):
    report, expected = parsed[name]
    assert report.is_report
    assert report.doc_kind == "pdf"
    assert report.year == expected["year"]
    assert report.agency == expected["agency"]
    assert (report.region or {}).get("name") == expected["region"]
    for table, generation in expected["format"].items():
        assert report.table_formats.get(table) == generation, table


def expected_t4_failures(expected: dict) -> set[str]:
    """'t4 review: upheld+… (source error)' → 't4.review'."""
    out = set()
    for text in expected.get("failing_checks", []):
        m = re.match(r"t4[ .](\w+)", text)
        if m:
            out.add(f"t4.{m.group(1)}")
    return out


@pytest.mark.parametrize("name", SAMPLES)
def test_failing_t4_checks_are_exactly_the_source_errors(parsed, name):
    report, expected = parsed[name]
    failed = {c.name for c in report.checks if not c.ok and c.name.startswith("t4")}
    assert failed == expected_t4_failures(expected)
    if name == "hongze-2023":
        assert failed == {"t4.review", "t4.suit_after_review"}


@pytest.mark.parametrize("name", SAMPLES)
def test_failing_checks_are_exactly_those_expected_json_names(parsed, name):
    """Every failed check, of any table: only the source's own errors. A figure the prose
    states is compared with the table as a check of its own kind, never an accounting
    failure (hongze-2024's prose tells of the 区政府办's 17 requests, its table the
    district's 95)."""
    report, expected = parsed[name]
    assert {c.name for c in report.failed_checks} == expected_t4_failures(expected)
    assert all(c.kind in ("accounting", "prose") for c in report.checks)
    assert not [c for c in report.checks if c.kind == "prose" and not c.ok]
