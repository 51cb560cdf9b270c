"""Mirror sightings: a report found on a gambling mirror is never a report of its own.

A page the spam detector calls a mirror (``spam.is_mirror``), or any document from a host
known to be a mirror, is stored in `mirror_sightings` — never in `reports` — and linked to
the official report it copies. The link is made on the numbers and the text, not the title
(mirrors rewrite titles): the table cells of both reports, and shingled text similarity
after the spam restoration. Whichever arrives first, the other links up when it arrives:
a new sighting is matched against the archive, a new official report against the sightings
of its year; the best match wins (ties: smallest URL), so either crawl order gives the same
links.

The matching is plain Python (`fingerprint`, `compare`, `best_match`), usable without Scrapy
or SQLite:

>>> tables = {"t3": {"new.natural": 12, "new.total": 14, "granted.natural": 9, "granted.total": 10,
...                  "partial.natural": 0}}
>>> official = fingerprint(tables, "永嘉县人民政府2020年政府信息公开工作年度报告。全年主动公开政府信息4521条。")
>>> mirror = fingerprint(tables, "温州市人民政府2020年政府信息公开工作年度报告。全年主动公开政府信息4521条。")
>>> other = fingerprint({"t3": {"new.natural": 3, "new.total": 3, "granted.natural": 2,
...                            "granted.total": 2, "partial.natural": 0}}, "永嘉县教育局…")
>>> m = compare(mirror, official)
>>> m.ok, m.evidence["cells_equal_nonzero"], compare(mirror, other).ok
(True, 4, False)

Tables: `mirror_sightings` (one row per mirror URL and year) and `cloaking_checks` (pages
re-fetched as Baiduspider, see gxcrawl.crawl.cloaking); view `spam_findings` (url, year, source,
kind, how, href, detail): every hidden link, injected title, redirect script and injected
phrase of stored reports, every cloaking difference and every mirror sighting, queryable.
"""
from __future__ import annotations

import json
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional
from urllib.parse import urlsplit

from gxcrawl.archive.db import transaction  # not `with db.conn:` (see there); nests as a savepoint
from gxcrawl.archive.rows import split_key

SHINGLE = 6                 # characters per text shingle
MIN_NONZERO_CELLS = 3       # cells carrying a number (≠ 0) needed to match on the numbers
CELL_AGREEMENT = 0.9        # share of the non-zero cells that must be equal
TEXT_WITH_CELLS = 0.5       # text similarity needed besides equal numbers
TEXT_ALONE = 0.9            # text similarity needed when neither report has table numbers …
NUMBERS_ALONE = 0.95        # … and the numbers written in the text must agree this well
CANDIDATE_LIMIT = 3000      # text-only matching: reports of the year compared at most

MIRROR_SIGHTINGS_DDL = """
create table if not exists mirror_sightings (
    mirror_url text not null,       -- where the copy was found
    year integer not null,          -- year the copy covers (0: unknown)
    mirror_host text,
    official_host text,             -- the spam detector's guess of the government's host
    reason text,                    -- flagged (spam detector) | mirror-host (host already seen as a mirror)
    title text, agency text,        -- as parsed from the copy (after restoration)
    phrases text,                   -- JSON: injected phrases
    replacements text,              -- JSON: phrase → original, evidence, confidence
    hidden_links text,              -- JSON: hidden links, injected titles, redirect scripts
    spam text,                      -- JSON: all findings
    body_sha256 text references bodies(sha256),
    tables text,                    -- JSON: the parsed cells, kept for later matching
    text text,                      -- restored text, kept for later matching
    official_report_id integer,     -- reports.id of the matched official report (null: not archived yet)
    official_url text, official_year integer,
    match_score real,               -- 0..1
    match_evidence text,            -- JSON: cells compared / equal, text similarity, identical bytes
    parser_version text,
    first_seen text, seen_at text,
    primary key (mirror_url, year)
)
"""

CLOAKING_DDL = """
create table if not exists cloaking_checks (
    url text not null,              -- the page re-fetched as a search engine
    checked_at text not null,
    user_agent text, referer text,
    normal_sha256 text,             -- body served to the crawler (fetches / bodies)
    engine_sha256 text,             -- body served to Baiduspider with a search Referer
    engine_status integer,
    differs integer,                -- 1: materially different (cloaking)
    similarity real,                -- text similarity of the two bodies
    findings text,                  -- JSON list of {kind, how, href, detail}
    primary key (url, checked_at)
)
"""

SPAM_FINDINGS_VIEW = """
create view spam_findings as
select r.url, r.year, 'report' as source,
  case when json_extract(h.value, '$.how') like '%redirect%' or json_extract(h.value, '$.how') = 'meta-refresh'
         then 'redirect'
       when json_extract(h.value, '$.how') like '%-injection' then 'injected_title'
       else 'hidden_link' end as kind,
  json_extract(h.value, '$.how') as how, json_extract(h.value, '$.href') as href,
  json_extract(h.value, '$.text') as detail
from reports r, json_each(r.spam, '$.hidden_links') h
where r.spam like '%"how"%'
union all
select r.url, r.year, 'report', 'phrase', null, null,
  json_extract(p.value, '$.phrase') || ' → ' || coalesce(json_extract(p.value, '$.original'), '?')
from reports r, json_each(r.spam, '$.replacements') p
where r.spam like '%"phrase"%'
union all
select c.url, r.year, 'cloaking', 'cloaking', json_extract(f.value, '$.how'),
  json_extract(f.value, '$.href'), json_extract(f.value, '$.detail')
from cloaking_checks c join json_each(c.findings) f
left join reports r on r.url = c.url
where c.differs = 1
union all
select m.mirror_url, m.year, 'mirror', 'mirror_copy', m.reason, m.official_url,
  'copy of ' || coalesce(m.official_url, '(official report not archived yet)') || ' on ' || m.mirror_host
from mirror_sightings m
"""


def ensure_mirror_schema(db) -> None:
    """Create mirror_sightings, cloaking_checks and the spam_findings view (idempotent)."""
    db.execute(MIRROR_SIGHTINGS_DDL)
    db.execute("create index if not exists idx_mirror_sightings_year on mirror_sightings(year)")
    db.execute("create index if not exists idx_mirror_sightings_host on mirror_sightings(mirror_host)")
    db.execute("create index if not exists idx_mirror_sightings_official on mirror_sightings(official_report_id)")
    db.execute(CLOAKING_DDL)
    if "spam_findings" not in db.view_names():
        db.execute(SPAM_FINDINGS_VIEW)


# -- matching (pure) ---------------------------------------------------------------

@dataclass
class Fingerprint:
    cells: dict                      # (table, key) → number (None: blank)
    shingles: frozenset
    body_sha256: Optional[str] = None
    numbers: Counter = field(default_factory=Counter)   # numbers written in the text

    @property
    def nonzero(self) -> dict:
        return {k: v for k, v in self.cells.items() if isinstance(v, (int, float)) and v != 0}


@dataclass
class Match:
    ok: bool
    score: float
    evidence: dict = field(default_factory=dict)


_KEEP = re.compile(r"[\w]+")


def normalize_text(text: str) -> str:
    """NFKC, no whitespace or punctuation: what survives a re-layout by a mirror."""
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", text or "")))


def shingles(text: str, k: int = SHINGLE) -> frozenset:
    t = normalize_text(text)
    if len(t) <= k:
        return frozenset([t]) if t else frozenset()
    return frozenset(t[i:i + k] for i in range(len(t) - k + 1))


def fingerprint(tables: dict | str | None, text: str | None, body_sha256: Optional[str] = None) -> Fingerprint:
    """From a report's `tables` ({table: {key: value}}, or its JSON) and restored text."""
    if isinstance(tables, str):
        try:
            tables = json.loads(tables)
        except ValueError:
            tables = {}
    cells = {}
    for tbl, values in (tables or {}).items():
        for key, value in (values or {}).items():
            if isinstance(value, bool):
                value = int(value)
            cells[(tbl, key)] = float(value) if isinstance(value, (int, float)) else None
    numbers = Counter(_NUMBER.findall(unicodedata.normalize("NFKC", text or "")))
    return Fingerprint(cells, shingles(text or ""), body_sha256, numbers)


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def number_agreement(a: Counter, b: Counter) -> float:
    """Share of the numbers of the text with fewer numbers that the other text also writes
    (a multiset; a mirror adds its brand's numbers, never drops the report's)."""
    smaller = min(sum(a.values()), sum(b.values()))
    if not smaller:
        return 1.0 if not a and not b else 0.0
    return sum((a & b).values()) / smaller


def text_similarity(a: frozenset, b: frozenset) -> float:
    """Containment of the smaller shingle set in the larger (a mirror may add or drop a footer)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def compare(copy: Fingerprint, official: Fingerprint) -> Match:
    """Is `copy` (from a mirror) the same report as `official`? Numbers first, then text."""
    ev: dict = {}
    if copy.body_sha256 and copy.body_sha256 == official.body_sha256:
        return Match(True, 1.0, {"identical_bytes": True})
    nz_keys = set(copy.nonzero) | set(official.nonzero)
    equal_nz = sum(1 for k in nz_keys if copy.cells.get(k) == official.cells.get(k))
    both = [k for k in set(copy.cells) & set(official.cells)
            if copy.cells[k] is not None or official.cells[k] is not None]
    equal_all = sum(1 for k in both if copy.cells[k] == official.cells[k])
    sim = text_similarity(copy.shingles, official.shingles)
    ev.update(cells_compared=len(both), cells_equal=equal_all, cells_nonzero=len(nz_keys),
              cells_equal_nonzero=equal_nz, text_similarity=round(sim, 4))
    if len(nz_keys) >= MIN_NONZERO_CELLS:
        agreement = equal_nz / len(nz_keys)
        ev["cell_agreement"] = round(agreement, 4)
        ok = agreement >= CELL_AGREEMENT and equal_nz >= MIN_NONZERO_CELLS and sim >= TEXT_WITH_CELLS
        score = 0.7 * agreement + 0.3 * sim
    else:
        ev["cell_agreement"] = None
        nums = number_agreement(copy.numbers, official.numbers)
        ev["text_numbers_agreement"] = round(nums, 4)
        ok = sim >= TEXT_ALONE and nums >= NUMBERS_ALONE and (not nz_keys or equal_nz == len(nz_keys))
        score = 0.5 * sim + 0.5 * nums
    return Match(ok, round(score, 4), ev)


def better(score: float, url: str, cur_score: Optional[float], cur_url: Optional[str]) -> bool:
    """Deterministic preference: higher score, then the smaller URL."""
    if cur_score is None:
        return True
    if abs(score - cur_score) > 1e-9:
        return score > cur_score
    return (url or "") < (cur_url or "")


def best_match(copy: Fingerprint, candidates: Iterable[tuple]) -> Optional[tuple]:
    """(key, Match) of the best matching candidate among (key, url, Fingerprint) tuples."""
    best = None
    for key, url, fp in candidates:
        m = compare(copy, fp)
        if m.ok and (best is None or better(m.score, url, best[1].score, best[2])):
            best = (key, m, url)
    return (best[0], best[1]) if best else None


# -- storage ------------------------------------------------------------------------

def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def host_of(url: Optional[str]) -> str:
    return (urlsplit(url or "").hostname or "").lower()


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=lambda o: o.__dict__)


def is_mirror_host(db, host: str) -> bool:
    """Has a page of `host` been flagged as a mirror (this crawl or an earlier one)?"""
    return bool(host) and db.execute(
        "select 1 from mirror_sightings where mirror_host = ? and reason = 'flagged' limit 1",
        [host]).fetchone() is not None


def mirror_reason(db, report, official_hosts=()) -> Optional[str]:
    """'flagged' when the spam detector calls the page a mirror, 'mirror-host' when it comes
    from a host already known as a mirror and is neither a government host nor one of
    `official_hosts` (the crawl's seeded and registry hosts: one planted copy there does not
    make the government's other pages copies), else None."""
    if (report.spam or {}).get("is_mirror"):
        return "flagged"
    host = host_of(report.url or report.source)
    from gxcrawl.parse.spam.provenance import is_gov_host
    if host and not is_gov_host(host) and host not in official_hosts and is_mirror_host(db, host):
        return "mirror-host"
    return None


def undecided(report, official_hosts=()) -> bool:
    """Not flagged, but on a host that is neither a government host nor one of
    `official_hosts`: may still be a copy (a mirror serves the official PDFs byte for byte).
    The crawl decides at its end, when the host is known."""
    from gxcrawl.parse.spam.provenance import is_gov_host
    host = host_of(report.url or report.source)
    return (bool(host) and not is_gov_host(host) and host not in official_hosts
            and not (report.spam or {}).get("is_mirror"))


def store_sighting(db, report, body_sha256: Optional[str] = None, reason: str = "flagged") -> tuple[str, int]:
    """Store (or refresh) the sighting of a mirror copy and link it to its official report."""
    url = report.url or report.source
    year = report.year or 0
    spam = report.spam or {}
    now = _now()
    old = db.execute("select first_seen from mirror_sightings where mirror_url = ? and year = ?",
                     [url, year]).fetchone()
    row = {
        "mirror_url": url, "year": year, "mirror_host": host_of(url),
        "official_host": spam.get("official_host"), "reason": reason,
        "title": report.title, "agency": report.agency,
        "phrases": _json(spam.get("phrases") or []), "replacements": _json(spam.get("replacements") or []),
        "hidden_links": _json(spam.get("hidden_links") or []), "spam": _json(spam),
        "body_sha256": body_sha256, "tables": _json(report.tables or {}), "text": report.text,
        "parser_version": getattr(report, "parser_version", None),
        "first_seen": old[0] if old else now, "seen_at": now,
    }
    with transaction(db):
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        updates = ", ".join(f"{k} = excluded.{k}" for k in row if k not in ("mirror_url", "year", "first_seen"))
        db.execute(f"insert into mirror_sightings ({cols}) values ({marks}) "
                   f"on conflict (mirror_url, year) do update set {updates}", list(row.values()))
        _match_sighting(db, url, year)
    return url, year


def _official_fp(row) -> Fingerprint:
    return fingerprint(row["tables"], row["text"], row["body_sha256"])


def _candidates_for(db, fp: Fingerprint, year: int) -> list[dict]:
    """Official reports that may be the original of a copy: sharing non-zero cells when the
    copy has numbers (SQL on cell_values), else the year's reports (text only)."""
    year_sql = "and r.year = ?" if year else ""
    year_arg = [year] if year else []
    nonzero = [[t, *_split(t, k), v] for (t, k), v in fp.nonzero.items()]
    if len(nonzero) >= MIN_NONZERO_CELLS:
        need = max(MIN_NONZERO_CELLS, int(len(nonzero) * 0.5))
        sql = f"""
            with s(tbl, row, col, value) as (
              select json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                     json_extract(value, '$[2]'), json_extract(value, '$[3]') from json_each(?))
            select r.id, r.url, r.year, r.tables, r.text, r.body_sha256
            from reports r join cell_values cv on cv.report_id = r.id
            join s on cv.tbl = s.tbl and cv.row = s.row and cv.col = s.col and cv.value = s.value
            where coalesce(r.is_mirror, 0) = 0 {year_sql}
            group by r.id having count(*) >= ? order by count(*) desc limit 50"""
        params = [json.dumps(nonzero, ensure_ascii=False)] + year_arg + [need]
    else:
        sql = (f"select r.id, r.url, r.year, r.tables, r.text, r.body_sha256 from reports r "
               f"where coalesce(r.is_mirror, 0) = 0 and r.is_report = 1 {year_sql} limit {CANDIDATE_LIMIT}")
        params = year_arg
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r)) for r in cur.fetchall()]
    if fp.body_sha256:    # byte-identical copies (PDFs passed through) always qualify
        cur = db.execute("select id, url, year, tables, text, body_sha256 from reports "
                         "where body_sha256 = ? and coalesce(is_mirror, 0) = 0", [fp.body_sha256])
        seen = {r["id"] for r in out}
        out += [dict(zip(names, r)) for r in cur.fetchall() if r[0] not in seen]
    return out


def _split(tbl: str, key: str) -> tuple[str, str]:
    return split_key(tbl, key)


def _set_link(db, url: str, year: int, official: Optional[dict], m: Optional[Match]) -> None:
    if official is None:
        db.execute("update mirror_sightings set official_report_id = null, official_url = null, "
                   "official_year = null, match_score = null, match_evidence = null "
                   "where mirror_url = ? and year = ?", [url, year])
        return
    db.execute("update mirror_sightings set official_report_id = ?, official_url = ?, official_year = ?, "
               "match_score = ?, match_evidence = ? where mirror_url = ? and year = ?",
               [official["id"], official["url"], official["year"], m.score, _json(m.evidence), url, year])


def _sighting(db, url: str, year: int) -> Optional[dict]:
    cur = db.execute("select * from mirror_sightings where mirror_url = ? and year = ?", [url, year])
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row)) if row else None


def _match_sighting(db, url: str, year: int) -> Optional[dict]:
    """Match one sighting against the whole archive; store the best link (or none)."""
    s = _sighting(db, url, year)
    if s is None:
        return None
    fp = fingerprint(s["tables"], s["text"], s["body_sha256"])
    cands = _candidates_for(db, fp, s["year"])
    best = best_match(fp, ((c["id"], c["url"], _official_fp(c)) for c in cands))
    if best is None:
        _set_link(db, url, year, None, None)
        return None
    official = next(c for c in cands if c["id"] == best[0])
    _set_link(db, url, year, official, best[1])
    return official


def link_report(db, url: str, year: int) -> int:
    """An official report (url, year) was stored: link the sightings it is the best original
    of. Returns the number of sightings whose link changed."""
    row = db.execute("select id, coalesce(is_mirror, 0) from reports where url = ? and year = ?",
                     [url, year]).fetchone()
    if row is None or row[1]:
        return 0
    cur = db.execute("select mirror_url, year, tables, text, body_sha256, official_report_id, match_score, "
                     "official_url from mirror_sightings where year in (?, 0) or official_report_id = ?",
                     [year, row[0]])
    sightings, changed = cur.fetchall(), 0
    if not sightings:      # the usual case: no copy to link, no fingerprint to make (bench/scale.py)
        return 0
    cur = db.execute("select id, url, year, tables, text, body_sha256 from reports where id = ?", [row[0]])
    official = dict(zip(["id", "url", "year", "tables", "text", "body_sha256"], cur.fetchone()))
    fp = _official_fp(official)
    with transaction(db):
        for murl, myear, tables, text, sha, linked_id, cur_score, cur_url in sightings:
            m = compare(fingerprint(tables, text, sha), fp)
            if linked_id == official["id"]:
                if m.ok:          # refresh the score of the current link (content may have changed)
                    _set_link(db, murl, myear, official, m)
                else:             # no longer the original: look again over the archive
                    _match_sighting(db, murl, myear)
                    changed += 1
            elif m.ok and better(m.score, official["url"], cur_score, cur_url):
                _set_link(db, murl, myear, official, m)
                changed += 1
    return changed


def relink_all(db) -> int:
    """Match every sighting again (after a reparse or deleted reports)."""
    rows = db.execute("select mirror_url, year from mirror_sightings").fetchall()
    with transaction(db):
        for url, year in rows:
            _match_sighting(db, url, year)
    return len(rows)
