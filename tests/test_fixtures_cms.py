"""gxcrawl.parse_report on hand-made CMS-family pages (TRS WCM, Hanweb 大汉 jcms).

The pages and their expected values live in tests/fixtures/html/ (made by
tests/fixtures/make_fixtures.py from ../shared/seeds; the output is committed, so
these tests do not need ../shared, except the one that checks the fixtures are
up to date with their generator).

Each check reports every mismatch at once as "fixture table key: expected …, got …".
"""
from __future__ import annotations

import functools
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HTML_DIR = FIXTURES / "html"
SHARED = Path(__file__).resolve().parents[2] / "shared"
MANIFEST = json.loads((HTML_DIR / "index.json").read_text("utf-8"))
ENTRIES = {e["name"]: e for e in MANIFEST["fixtures"]}
NAMES = sorted(ENTRIES)
TABLES = ("t2", "t3", "t4")
MISSING = object()


def expected(name: str) -> dict:
    return json.loads((HTML_DIR / ENTRIES[name]["expected"]).read_text("utf-8"))


@functools.lru_cache(maxsize=None)
def parsed(name: str):
    import gxcrawl
    entry, exp = ENTRIES[name], expected(name)
    body = (HTML_DIR / entry["file"]).read_bytes()
    if entry.get("headers"):
        return gxcrawl.parse_report(body, url=exp["url"], headers=entry["headers"])
    return gxcrawl.parse_report(body, url=exp["url"])


def cell_value(report, table: str, key: str):
    t = (report.tables or {}).get(table) or {}
    if key not in t:
        return MISSING
    v = t[key]
    if isinstance(v, dict):
        return v.get("value", MISSING)
    return getattr(v, "value", v)


def same(exp, got) -> bool:
    if exp is None:
        return got is None
    if got is MISSING or got is None or isinstance(got, bool):
        return False
    try:
        return math.isclose(float(got), float(exp), rel_tol=0, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def show(v) -> str:
    return "<missing>" if v is MISSING else repr(v)


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name):
    exp, r = expected(name), parsed(name)
    bad = [f"{name} {field}: expected {exp[field]!r}, got {getattr(r, field)!r}"
           for field in ("year", "agency", "published") if getattr(r, field) != exp[field]]
    if not r.is_report:
        bad.append(f"{name} is_report: expected True, got {r.is_report!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", NAMES)
def test_formats(name):
    exp, r = expected(name), parsed(name)
    bad = []
    if r.format != exp["format"]:
        bad.append(f"{name} format: expected {exp['format']!r}, got {r.format!r}")
    for table, fmt in exp["table_formats"].items():
        got = (r.table_formats or {}).get(table)
        if got != fmt:
            bad.append(f"{name} table_formats[{table}]: expected {fmt!r}, got {got!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("name", NAMES)
def test_cells(name, table):
    exp, r = expected(name), parsed(name)
    bad = []
    for key, want in sorted(exp[table].items()):
        got = cell_value(r, table, key)
        if not same(want, got):
            what = "blank/'/' must be None (and present)" if want is None else ""
            bad.append(f"{name} {table} {key}: expected {want!r}, got {show(got)} {what}".rstrip())
    assert not bad, f"{len(bad)} of {len(exp[table])} cells wrong:\n" + "\n".join(bad)


@pytest.mark.parametrize("name", [n for n in NAMES if expected(n).get("raw")])
def test_raw_text_of_non_numeric_cells(name):
    """A cell printing "/" keeps its raw text (value None); "18(2019年起)" keeps its note."""
    exp, r = expected(name), parsed(name)
    cells = {(c.table, c.key): c for c in (r.cells or [])}
    bad = []
    for table, raws in exp["raw"].items():
        for key, raw in raws.items():
            c = cells.get((table, key))
            if c is None:
                bad.append(f"{name} {table} {key}: no Cell in report.cells (expected raw {raw!r})")
            elif (c.raw or "").strip() != raw:
                bad.append(f"{name} {table} {key}: raw expected {raw!r}, got {c.raw!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("name", NAMES)
def test_body_text_present(name):
    exp, r = expected(name), parsed(name)
    missing = [s for s in exp["text_contains"] if s not in (r.text or "")]
    assert not missing, f"{name}: body text missing from report.text: {missing}"


@pytest.mark.parametrize("name", NAMES)
def test_boilerplate_absent(name):
    exp, r = expected(name), parsed(name)
    text = r.text or ""
    found = []
    for s in exp["text_absent"]:
        i = text.find(s)
        if i >= 0:
            found.append(f"{s!r} (…{text[max(0, i - 20):i + len(s) + 20]!r}…)")
    assert not found, f"{name}: boilerplate in report.text: " + "; ".join(found)


# --- the fixtures themselves -------------------------------------------------


def _grid(table) -> list[list[str]]:
    """Expand a <table> into a grid of cell texts (spans repeat the text)."""
    grid: dict[tuple[int, int], str] = {}
    for ri, tr in enumerate(table.iter("tr")):
        ci = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (ri, ci) in grid:
                ci += 1
            text = re.sub(r"\s+", "", "".join(td.itertext()).replace("\xa0", " "))
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(ri + dr, ci + dc)] = text
            ci += cs
    nrows = max(r for r, _ in grid) + 1
    ncols = max(c for _, c in grid) + 1
    rows = [[grid.get((r, c), "") for c in range(ncols)] for r in range(nrows)]
    return [r for r in rows if any(r)]      # drop Word's empty spacer rows


@pytest.mark.parametrize("name", NAMES)
def test_fixture_tables_match_expected(name):
    """Independent check of the fixtures: the expected JSON agrees with the HTML tables."""
    lxml_html = pytest.importorskip("lxml.html")
    entry, exp = ENTRIES[name], expected(name)
    body = (HTML_DIR / entry["file"]).read_bytes()
    doc = lxml_html.document_fromstring(body.decode("gbk" if entry["encoding"] == "gbk" else "utf-8"))
    tables = [t for t in doc.iter("table") if not t.findall(".//table")
              and any(s in t.text_content() for s in ("申请人情况", "第二十条", "行政复议"))]
    t2, t3, t4 = (_grid(t) for t in tables)
    raw = exp.get("raw", {})

    def check(table, key, printed):
        want = exp[table][key]
        if want is None:
            assert printed in ("", raw.get(table, {}).get(key)), (table, key, printed)
        else:
            assert printed == raw.get(table, {}).get(key, printed) and float(re.match(r"[\d.]+", printed).group()) == want, \
                (table, key, printed, want)

    # t3: values are the last 7 (or 8, with 小计 second to last) columns after the 3 header rows
    eight = "小计" in t3[2]
    rows = t3[3:]
    denied_order = ["secret", "law", "safety", "third_party", "internal", "process", "enforcement", "query"]
    order = ["new", "carried", "granted", "partial"] + [f"denied.{k}" for k in denied_order] \
        + ["unable.no_info", "unable.create", "unable.unclear"] \
        + ["refused.petition", "refused.repeat", "refused.publication", "refused.massive", "refused.confirm"] \
        + (["other"] if "other.total" in exp["t3"] else ["other.no_correction", "other.no_fee", "other.other"]) \
        + ["total", "next"]
    assert len(rows) == len(order)
    cols = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
    for row, printed in zip(order, rows):
        vals = printed[-8:] if eight else printed[-7:]
        if eight:
            sub = vals[6]
            assert float(sub) == sum(exp["t3"][f"{row}.{c}"] or 0 for c in cols[1:6])
            vals = vals[:6] + vals[7:]
        for c, v in zip(cols, vals):
            check("t3", f"{row}.{c}", v)
    assert len(exp["t3"]) == len(order) * 7

    # t4: the last row holds the 15 numbers
    groups, t4cols = ["review", "suit_direct", "suit_after_review"], ["upheld", "corrected", "other", "pending", "total"]
    for i, v in enumerate(t4[-1]):
        check("t4", f"{groups[i // 5]}.{t4cols[i % 5]}", v)

    # t2: rows by label; values in grid columns 1..
    by_label = {r[0]: r[1:] for r in t2}
    label_of = {"rules": "规章", "normative": "行政规范性文件" if "行政规范性文件" in by_label else "规范性文件",
                "licensing": "行政许可", "other_services": "其他对外管理服务事项", "penalty": "行政处罚",
                "coercion": "行政强制", "fees": "行政事业性收费", "procurement": "政府集中采购"}
    col_idx = {"made": 0, "published": 1, "total": 2, "prev_items": 0, "change": 1, "decisions": 2,
               "items": 0, "amount": 1, "issued": 0, "repealed": 1, "in_force": 2}
    fmt = exp["table_formats"]["t2"]
    for key in exp["t2"]:
        row, col = key.split(".")
        cells = by_label[label_of[row]]
        idx = 0 if (fmt == "2021" and col in ("decisions", "amount")) else col_idx[col]
        check("t2", key, cells[idx])


@pytest.mark.parametrize("name", NAMES)
def test_fixture_identities(name):
    """The numbers obey the accounting identities of report-formats.md (blanks count as 0)."""
    exp = expected(name)
    t3 = {k: (v or 0) for k, v in exp["t3"].items()}
    cols = ["natural", "commercial", "research", "social", "legal", "other_org", "total"]
    rows = sorted({k.rsplit(".", 1)[0] for k in t3})
    results = [r for r in rows if r not in ("new", "carried", "total", "next")]
    for c in cols:
        assert t3[f"new.{c}"] + t3[f"carried.{c}"] == t3[f"total.{c}"] + t3[f"next.{c}"], c
        assert sum(t3[f"{r}.{c}"] for r in results) == t3[f"total.{c}"], c
    for r in rows:
        assert sum(t3[f"{r}.{c}"] for c in cols[:-1]) == t3[f"{r}.total"], r
    for g in ("review", "suit_direct", "suit_after_review"):
        t4 = exp["t4"]
        assert sum(t4[f"{g}.{c}"] for c in ("upheld", "corrected", "other", "pending")) == t4[f"{g}.total"], g


def test_fixture_encodings():
    for name, e in ENTRIES.items():
        body = (HTML_DIR / e["file"]).read_bytes()
        if e["encoding"] == "gbk":
            with pytest.raises(UnicodeDecodeError):
                body.decode("utf-8")
            with pytest.raises(UnicodeDecodeError):
                body.decode("gb2312")      # characters outside GB2312: decoders must use gb18030
            text = body.decode("gb18030")
        else:
            text = body.decode("utf-8")
        assert expected(name)["text_contains"][0] in text


def test_fixtures_up_to_date(tmp_path):
    if not (SHARED / "seeds").is_dir():
        pytest.skip("../shared/seeds not available")
    subprocess.run([sys.executable, str(FIXTURES / "make_fixtures.py"), "--shared", str(SHARED),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    stale = [p.name for p in sorted(tmp_path.iterdir())
             if not (HTML_DIR / p.name).exists() or (HTML_DIR / p.name).read_bytes() != p.read_bytes()]
    assert not stale, f"fixtures differ from make_fixtures.py output (re-run it): {stale}"
