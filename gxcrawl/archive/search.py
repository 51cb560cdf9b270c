"""Full-text search over the reports' clean text that works for Chinese.

Two FTS5 indexes, both kept in step by Archive.store_report:

* ``reports_fts`` — trigram tokenizer over title, agency and text (external content:
  the text is not stored twice). Any substring of 3+ characters is a MATCH.
* ``reports_bigram`` — contentless FTS5 over the text rewritten as overlapping
  character bigrams (``政府信息`` → ``政府 府信 信息 息``), so 1- and 2-character terms
  (申请, 公开) are found too; trigram cannot match them.

`search_clause` routes each term of a query to the index that can answer it; the
Datasette plugin uses it for the search box of the `reports` table.

>>> bigram_text("政府信息公开 2020年")
'政府 府信 信息 息公 公开 开 2020 年'
>>> bigram_query("信息公开")
'"信息 息公 公开"'
>>> "reports_bigram" in search_clause("申请")[0], "reports_fts" in search_clause("信息公开")[0]
(True, True)
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

SEARCH_VERSION = "1"
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(f"[{CJK}]+|[^\\s{CJK}]+")
_IS_CJK = re.compile(f"[{CJK}]")

TRIGRAM_DDL = ("create virtual table reports_fts using fts5(title, agency, text, "
               "content='reports', content_rowid='id', tokenize='trigram')")
BIGRAM_DDL = "create virtual table reports_bigram using fts5(text, content='')"


def bigram_text(text: Optional[str]) -> str:
    """Text as space-separated tokens: CJK runs as overlapping bigrams plus the run's
    last character; anything else as it is (FTS5's unicode61 splits it into words).

    >>> bigram_text("公开")
    '公开 开'
    >>> bigram_text("申")
    '申'
    """
    out: list[str] = []
    for run in _RUN.findall(text or ""):
        if _IS_CJK.match(run):
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
            out.append(run[-1])
        else:
            out.append(run)
    return " ".join(out)


def bigram_query(term: str) -> str:
    """An FTS5 query for `term` against the bigram index: a phrase of its bigrams;
    a single character is a prefix query.

    >>> bigram_query("申请")
    '"申请"'
    >>> bigram_query("开")
    '"开"*'
    >>> bigram_query('12345热线')
    '"12345 热线"'
    """
    tokens: list[str] = []
    for run in _RUN.findall(term):
        if _IS_CJK.match(run) and len(run) > 1:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    phrase = '"' + " ".join(tokens).replace('"', '""') + '"'
    return phrase + "*" if len(term) == 1 else phrase


def trigram_query(term: str) -> str:
    """An FTS5 phrase for the trigram index (a substring of 3+ characters).

    >>> trigram_query('信息"公开')
    '"信息""公开"'
    """
    return '"' + term.replace('"', '""') + '"'


def query_terms(q: str) -> list[str]:
    """The terms of a search box query: whitespace-separated, quotes removed.

    >>> query_terms(' "依申请公开"  申请 ')
    ['依申请公开', '申请']
    """
    return [t for t in (part.strip('"“”') for part in q.split()) if t]


def search_clause(q: str, id_column: str = "id") -> tuple[str, dict]:
    """(where clause, params) selecting the reports matching every term of `q`:
    terms of 3+ characters through the trigram index, shorter ones through the bigram
    index. An empty query matches everything.

    >>> search_clause("申请")
    ('id in (select rowid from reports_bigram where reports_bigram match :gx_q0)', {'gx_q0': '"申请"'})
    """
    clauses, params = [], {}
    for i, term in enumerate(query_terms(q)):
        name = f"gx_q{i}"
        if len(term) >= 3:
            clauses.append(f"{id_column} in (select rowid from reports_fts where reports_fts match :{name})")
            params[name] = trigram_query(term)
        else:
            clauses.append(f"{id_column} in (select rowid from reports_bigram where reports_bigram match :{name})")
            params[name] = bigram_query(term)
    return (" and ".join(clauses) or "1"), params


def search_reports(db, q: str, limit: int = 50) -> list[dict]:
    """Reports matching `q` (see search_clause), newest first.

    >>> from gxcrawl.archive.store import Archive
    >>> from gxcrawl.parse.model import Report
    >>> a = Archive(":memory:")
    >>> _ = a.store_report(Report(source="s", url="http://x.gov.cn/r", year=2020, text="收到政府信息公开申请3件"))
    >>> [r["url"] for r in search_reports(a.db, "申请")], [r["url"] for r in search_reports(a.db, "信息公开")]
    (['http://x.gov.cn/r'], ['http://x.gov.cn/r'])
    >>> search_reports(a.db, "复议")
    []
    """
    where, params = search_clause(q)
    sql = (f"select id, url, year, agency, region_name, title from reports where {where} "
           f"order by year desc, url limit {int(limit)}")
    cur = db.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


# -- maintenance -------------------------------------------------------------

def ensure_search(db) -> None:
    """Create the two indexes if missing (filling them from existing reports)."""
    names = set(db.table_names())
    created = False
    if "reports_fts" not in names:
        db.execute(TRIGRAM_DDL)
        created = True
    if "reports_bigram" not in names:
        db.execute(BIGRAM_DDL)
        created = True
    if created and db.execute("select count(*) from reports").fetchone()[0]:
        rebuild_search(db)


def index_report(db, row: dict) -> None:
    """Add one `reports` row (with id, title, agency, text) to both indexes."""
    db.execute("insert into reports_fts (rowid, title, agency, text) values (?, ?, ?, ?)",
               [row["id"], row.get("title"), row.get("agency"), row.get("text")])
    db.execute("insert into reports_bigram (rowid, text) values (?, ?)",
               [row["id"], _bigram_doc(row)])


def unindex_report(db, row: dict) -> None:
    """Remove a stored `reports` row from both indexes (needs the values it was
    indexed with, which `row` is)."""
    if row.get("id") is None:
        return
    db.execute("insert into reports_fts (reports_fts, rowid, title, agency, text) "
               "values ('delete', ?, ?, ?, ?)", [row["id"], row.get("title"), row.get("agency"),
                                                  row.get("text")])
    db.execute("insert into reports_bigram (reports_bigram, rowid, text) values ('delete', ?, ?)",
               [row["id"], _bigram_doc(row)])


def rebuild_search(db, rows: Optional[Iterable[tuple]] = None) -> int:
    """Rebuild both indexes from `reports` (after a bulk load or a VACUUM); returns
    the number of reports indexed. Identical texts are converted once."""
    with db.conn:
        db.execute("insert into reports_fts (reports_fts) values ('rebuild')")
        db.execute("insert into reports_bigram (reports_bigram) values ('delete-all')")
        cache: dict = {}
        n = 0
        cur = db.conn.execute("select id, title, agency, text from reports")
        batch = []
        for rid, title, agency, text in cur:
            key = (title, agency, text)
            doc = cache.get(key)
            if doc is None:
                doc = cache[key] = _bigram_doc({"title": title, "agency": agency, "text": text})
                if len(cache) > 2000:
                    cache.clear()
            batch.append((rid, doc))
            n += 1
            if len(batch) >= 500:
                db.conn.executemany("insert into reports_bigram (rowid, text) values (?, ?)", batch)
                batch = []
        db.conn.executemany("insert into reports_bigram (rowid, text) values (?, ?)", batch)
    return n


def _bigram_doc(row: dict) -> str:
    return bigram_text("\n".join(x for x in (row.get("title"), row.get("agency"), row.get("text")) if x))
