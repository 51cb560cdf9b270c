"""Score gxcrawl.parse.metadata on the hand-labelled pages of shared/samples/pages.

Bars (hidden pages are judged by the same): is_report ≥ 95 %, year ≥ 95 % of
report pages, agency exact ≥ 90 % of non-mirror report pages whose label names
an agency. Region agreement is printed, not asserted; a label region that is
not in the registry (杨凌示范区, 滨州北海经济开发区) is matched by None.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxcrawl.parse.metadata import extract_metadata
from gxcrawl.regions import load_registry

SHARED = Path(__file__).resolve().parents[2] / "shared"
PAGES = SHARED / "samples" / "pages"


def load_pages() -> list[dict]:
    if not PAGES.is_dir():
        pytest.skip("shared/samples/pages not available")
    pages = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(PAGES.glob("*.json"))]
    if not pages:
        pytest.skip("no sample pages")
    return pages


@pytest.fixture(scope="module")
def results():
    out = []
    for page in load_pages():
        md = extract_metadata(page["text"], url=page.get("url"))
        out.append((page, md))
    return out


def _rate(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 1.0


def test_scores(results):
    registry = load_registry()
    is_report, year, agency, region = [], [], [], []
    misses = []
    for page, md in results:
        lab = page["labels"]
        pid = page["id"]
        ok = md.is_report == lab["is_report"]
        is_report.append(ok)
        if not ok:
            misses.append(f"{pid} is_report {md.is_report} != {lab['is_report']}")
        if not lab["is_report"]:
            continue
        ok = md.year == lab["year"]
        year.append(ok)
        if not ok:
            misses.append(f"{pid} year {md.year} != {lab['year']}")
        if not lab.get("is_spam_mirror") and lab.get("agency") is not None:
            ok = md.agency == lab["agency"]
            agency.append(ok)
            if not ok:
                misses.append(f"{pid} agency {md.agency} != {lab['agency']}")
        if lab.get("region"):
            want = lab["region"]
            got = md.region.name if md.region else None
            ok = got == want or (got is None and not registry.find(want))
            region.append(ok)
            if not ok:
                misses.append(f"{pid} region {got} != {want}")
    print()
    print(f"is_report accuracy {_rate(is_report):6.1%}  ({sum(is_report)}/{len(is_report)} pages)")
    print(f"year accuracy      {_rate(year):6.1%}  ({sum(year)}/{len(year)} report pages)")
    print(f"agency exact       {_rate(agency):6.1%}  ({sum(agency)}/{len(agency)} non-mirror report pages with an agency)")
    print(f"region name match  {_rate(region):6.1%}  ({sum(region)}/{len(region)} report pages with a region)")
    for line in misses:
        print("  miss:", line)
    assert _rate(is_report) >= 0.95
    assert _rate(year) >= 0.95
    assert _rate(agency) >= 0.90


def test_no_absurd_agencies(results):
    """Mirrors whose names were replaced by spam chains must not yield the chain."""
    from gxcrawl.parse.metadata import looks_like_spam_name
    for page, md in results:
        if md.agency:
            assert not looks_like_spam_name(md.agency), (page["id"], md.agency)
            for phrase in page["labels"].get("spam_phrases") or []:
                assert phrase not in md.agency, (page["id"], md.agency)
