"""Copied reports: a report whose figures are identical to another report's, or whose
text is near-identical to another's — the same body in another year, or another body —
in the `copied_reports` table, each row naming the report it copies and how much.

* **Figures** (gxcrawl.parse.figures): every harmonized figure both reports give is equal,
  at least `MIN_FIGURES` of them and `MIN_NONZERO` not 0 (a township that received no
  request in two years has not copied anything). The table cells are compared too
  (`cells_equal` of `cells_compared`) to say how much.
* **Text**: shingled similarity over what the body wrote — the sentences of the clean
  text, without table rows (the tables are the figures' business) or headings, with year words masked (2021,
  二〇二一) and the body's own name masked (a copy swaps the name). Shingles found in the
  reports of `TEMPLATE_BODIES` or more bodies are the template (the 条例's wording, the
  national tables' labels, a prefecture's model text) and do not count. A text with
  fewer than `MIN_SHINGLES` shingles left is not judged. Near-identical: the smaller
  shingle set is contained in the larger to `TEXT_COPY` or more.

Which copies which: the later report (year, then publication date, then first fetch)
copies the earlier one — its own latest earlier year when there is one (a chain of
identical years points each year at the one before), else the latest earlier report.

>>> prose("一、总体情况\\n申请人情况 | 自然人 | 总计\\n2021年，本局主动公开信息3条。")
'2021年，本局主动公开信息3条。'
>>> mask("2021年，三明市财政局主动公开信息3053条。二〇二一年度", ["三明市财政局"])
'Y年，X主动公开信息3053条。Y年度'
>>> figures_key({"requests_received": {"value": 5}, "reviews": {"value": 0}, "lawsuits": {"value": None}})
(('requests_received', 5), ('reviews', 0))
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from typing import Iterable, Optional

from gxcrawl.archive.mirrors import SHINGLE, normalize_text
from gxcrawl.archive.signals.tables import query_dicts, replace_rows
from gxcrawl.parse.figures import FIGURE_NAMES

MIN_FIGURES = 4          # figures both reports give
MIN_NONZERO = 3          # of which not 0
TEMPLATE_BODIES = 5      # a shingle in the reports of this many bodies is template
SAMPLE = 4               # one shingle in SAMPLE is kept (content-defined: gxcrawl.archive.signals.copies.shingle_hashes)
MIN_SHINGLES = 12        # distinctive (sampled) shingles a text needs to be judged
TEXT_COPY = 0.85         # containment of the smaller shingle set in the larger

DDL = """
create table if not exists copied_reports (
    report_id integer not null,        -- the copy (reports.id)
    url text, year integer, issuer text, agency text, region_code text,
    kind text not null,                -- figures | text | figures+text
    scope text not null,               -- same_body (another year of its own) | other_body
    copies_report_id integer not null, -- the report it copies
    copies_url text, copies_year integer, copies_issuer text, copies_agency text,
    figures_compared integer,          -- harmonized figures both give (all equal when kind has figures)
    figures_equal integer,
    cells_compared integer,            -- table cells both give
    cells_equal integer,
    text_similarity real,              -- 0..1, containment of distinctive shingles
    shingles integer,                  -- distinctive shingles of the smaller text
    share real,                        -- how much is copied: cells_equal / cells_compared (figures), else text_similarity
    detail text,
    primary key (report_id, copies_report_id)
)
"""

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|[〇零○一二三四五六七八九]{4}(?=年)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[。！？；]")


def prose(text: Optional[str]) -> str:
    """The lines of a clean text that are sentences: not table rows (' | '-separated
    cells), with a Chinese character and a full stop (。！？；) — headings, titles, dates
    and tables captured as text lines (a PDF's 统计表) are no account of the body's year."""
    return "\n".join(line for line in (text or "").splitlines()
                     if " | " not in line and _CJK.search(line) and _SENTENCE.search(line))


def mask(text: str, names: Iterable[str]) -> str:
    """Year words → Y, the body's own names → X (longest first)."""
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, "X")
    return _YEAR.sub("Y", text)


def own_names(agency: Optional[str], region_name: Optional[str]) -> list[str]:
    """The issuer's name as printed, and without its leading region (福州市晋安区教育局 →
    晋安区教育局, 教育局 after the county).

    >>> own_names("福州市晋安区教育局", "晋安区")
    ['福州市晋安区教育局', '晋安区教育局', '教育局']
    """
    name = "".join((agency or "").split())
    if not name:
        return []
    out = [name]
    if region_name and region_name in name:
        rest = name.split(region_name, 1)
        out.append(region_name + rest[1])
        if len(rest[1]) >= 2:
            out.append(rest[1])
    return out


def figures_key(figures: dict) -> tuple:
    """The figures a report gives, as a hashable key (name, value) in FIGURE_NAMES order."""
    return tuple((name, (figures.get(name) or {}).get("value")) for name in FIGURE_NAMES
                 if (figures.get(name) or {}).get("value") is not None)


def _order(r: dict) -> tuple:
    return (r["year"], r["published"] or "9999", r["first_seen"] or "9999", r["id"])


def candidates(db) -> list[dict]:
    """The canonical report of each body and year with what the comparisons need."""
    rows = query_dicts(db, """
        select r.id, r.url, r.year, r.issuer, r.agency, r.region_code, r.region_name, r.published,
               r.figures,
               (select min(f.fetched_at) from fetches f where f.url = r.url) as first_seen
        from reports r
        where r.canonical = 1 and r.is_report = 1 and r.year > 0 and coalesce(r.is_mirror, 0) = 0
        order by r.id""")
    for r in rows:
        try:
            r["figures"] = json.loads(r["figures"] or "{}") or {}
        except ValueError:
            r["figures"] = {}
    return rows


def figure_copies(rows: list[dict]) -> dict[tuple[int, int], dict]:
    """(copy id, original id) → evidence, for reports with identical figures."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        key = figures_key(r["figures"])
        if len(key) >= MIN_FIGURES and sum(1 for _, v in key if v != 0) >= MIN_NONZERO:
            groups[key].append(r)
    out = {}
    for key, members in groups.items():
        members.sort(key=_order)
        for i, later in enumerate(members[1:], 1):
            earlier = members[:i]
            own = [m for m in earlier if m["issuer"] == later["issuer"]]
            original = (own or earlier)[-1]         # its own latest earlier year, else the latest other
            out[(later["id"], original["id"])] = {"figures_compared": len(key), "figures_equal": len(key)}
    return out


def shingle_hashes(text: str, every: int = None) -> frozenset:
    """A content-defined sample of the text's shingles, as hashes: those starting at a
    character whose code point is a multiple of `every` (SAMPLE) — the same in every copy
    of a passage, a `every`-th of the memory. Python's own hash differs between runs, but a
    run only compares its own sets.

    >>> len(shingle_hashes("本机关全年主动公开政府信息三千条", every=1))
    11
    """
    every = every or SAMPLE
    t = normalize_text(text)
    k = SHINGLE
    return frozenset(hash(t[i:i + k]) for i in range(len(t) - k + 1) if ord(t[i]) % every == 0)


def _texts(db, by_id: dict[int, dict]):
    """(report id, its sampled shingles), body by body, one text in memory at a time."""
    for rid, text in db.execute("select id, text from reports where id in (select value from json_each(?)) "
                                "order by issuer, id", [json.dumps(list(by_id))]):
        r = by_id[rid]
        yield rid, shingle_hashes(mask(prose(text), own_names(r["agency"], r["region_name"])))


def text_features(rows: list[dict], db) -> dict[int, frozenset]:
    """Distinctive shingles of each report's prose: template shingles (in the reports of
    TEMPLATE_BODIES or more bodies) removed. Two passes over the texts — the first counts
    in how many bodies each shingle is, the second keeps the distinctive ones — so that
    memory holds the counts, not every report's shingles."""
    by_id = {r["id"]: r for r in rows}
    bodies: Counter = Counter()          # shingle → number of bodies whose reports hold it
    body, union = None, set()
    for rid, hashes in _texts(db, by_id):
        if by_id[rid]["issuer"] != body:
            bodies.update(union)
            body, union = by_id[rid]["issuer"], set()
        union |= hashes
    bodies.update(union)
    out = {rid: frozenset() for rid in by_id}
    for rid, hashes in _texts(db, by_id):
        out[rid] = frozenset(h for h in hashes if bodies[h] < TEMPLATE_BODIES)
    return out


def text_copies(rows: list[dict], db) -> dict[tuple[int, int], dict]:
    """(copy id, original id) → evidence, for near-identical texts (best original per copy)."""
    features = text_features(rows, db)
    by_id = {r["id"]: r for r in rows}
    postings: dict[int, list[int]] = defaultdict(list)
    for rid, sh in features.items():
        if len(sh) >= MIN_SHINGLES:
            for s in sh:
                postings[s].append(rid)
    best: dict[int, tuple] = {}
    for rid, sh in features.items():
        if len(sh) < MIN_SHINGLES:
            continue
        shared = Counter(other for s in sh for other in postings[s] if other != rid)
        for other, n in shared.items():
            smaller = min(len(sh), len(features[other]))
            sim = n / smaller
            if sim < TEXT_COPY:
                continue
            copy, original = (rid, other) if _order(by_id[rid]) > _order(by_id[other]) else (other, rid)
            if copy != rid:
                continue            # the pair is recorded from the copy's side
            rank = (sim, -abs(by_id[copy]["year"] - by_id[original]["year"]), -original)
            if copy not in best or rank > best[copy][0]:
                best[copy] = (rank, original, round(sim, 4), smaller)
    return {(copy, original): {"text_similarity": sim, "shingles": smaller}
            for copy, (_rank, original, sim, smaller) in best.items()}


def cell_agreement(db, a: int, b: int) -> tuple[int, int]:
    """(cells both reports give with a value, of which equal)."""
    row = db.execute("""
        select count(*), sum(x.value = y.value) from cell_values x
        join cell_values y on y.report_id = ? and y.tbl = x.tbl and y.row = x.row and y.col = x.col
        where x.report_id = ? and x.value is not null and y.value is not null""", [b, a]).fetchone()
    return row[0] or 0, row[1] or 0


def copy_rows(db) -> list[dict]:
    rows = candidates(db)
    by_id = {r["id"]: r for r in rows}
    figures = figure_copies(rows)
    texts = text_copies(rows, db)
    out = []
    for pair in sorted(set(figures) | set(texts)):
        copy, original = by_id[pair[0]], by_id[pair[1]]
        ev = {**figures.get(pair, {}), **texts.get(pair, {})}
        kind = "+".join(k for k, d in (("figures", figures), ("text", texts)) if pair in d)
        compared, equal = cell_agreement(db, copy["id"], original["id"])
        scope = "same_body" if copy["issuer"] == original["issuer"] else "other_body"
        share = round(equal / compared, 4) if "figures" in kind and compared else ev.get("text_similarity")
        said = []
        if "figures" in kind:
            said.append(f"all {ev['figures_compared']} figures identical"
                        + (f", {equal} of {compared} cells" if compared else ""))
        if "text" in kind:
            said.append(f"text {ev['text_similarity']:.0%} identical ({ev['shingles']} distinctive shingles)")
        whose = "its own" if scope == "same_body" else original["agency"] or original["issuer"]
        out.append({
            "report_id": copy["id"], "url": copy["url"], "year": copy["year"], "issuer": copy["issuer"],
            "agency": copy["agency"], "region_code": copy["region_code"], "kind": kind, "scope": scope,
            "copies_report_id": original["id"], "copies_url": original["url"], "copies_year": original["year"],
            "copies_issuer": original["issuer"], "copies_agency": original["agency"],
            "figures_compared": ev.get("figures_compared"), "figures_equal": ev.get("figures_equal"),
            "cells_compared": compared, "cells_equal": equal, "text_similarity": ev.get("text_similarity"),
            "shingles": ev.get("shingles"), "share": share,
            "detail": f"copies {whose} {original['year']} report: " + "; ".join(said)})
    return out


def run_copies(db) -> dict:
    """Recompute `copied_reports`; returns the count per kind."""
    rows = copy_rows(db)
    replace_rows(db, "copied_reports", DDL, rows)
    return dict(Counter(f"{r['kind']}/{r['scope']}" for r in rows))
