"""The wide views give back exactly the parsed tables."""
import json

import pytest

from gxcrawl.archive import split_key
from gxcrawl.archive.views import wide_columns, wide_rows


def reports(archive_conn):
    return archive_conn.execute("select url, year, tables from reports where is_report = 1").fetchall()


@pytest.mark.parametrize("tbl", ["t2", "t3", "t4"])
def test_wide_views_equal_parsed_tables(archive_conn, tbl):
    checked = 0
    for url, year, tables in reports(archive_conn):
        parsed = json.loads(tables)[tbl]
        expected: dict = {}
        for key, value in parsed.items():
            row, col = split_key(tbl, key)
            if col in wide_columns(tbl):
                expected.setdefault(row, {c: None for c in wide_columns(tbl)})[col] = value
        got = wide_rows(archive_conn, tbl, url, year)
        assert got == expected, (url, year)
        checked += bool(expected)
    assert checked >= 5


def test_long_cells_equal_parsed_tables(archive_conn):
    for url, year, tables in reports(archive_conn):
        parsed = json.loads(tables)
        for tbl in ("t2", "t3", "t4", "tpre"):
            cells = dict(archive_conn.execute("select key, value from cells where url = ? and year = ? and tbl = ?",
                                    [url, year, tbl]).fetchall())
            numbers = {k: v for k, v in parsed[tbl].items() if not isinstance(v, str)}  # not e.g. amount_unit
            assert {k: v for k, v in cells.items() if k in numbers} == numbers


def test_summary_and_labels(archive_conn):
    row = archive_conn.execute("select new_total, handled_total, next_total from report_summary where url like "
                     "'%t20220128_72531846%'").fetchone()
    assert row == (53.0, 55.0, 5.0)
    assert archive_conn.execute("select label from t3_wide where row = 'denied.secret' limit 1").fetchone()[0].endswith("国家秘密")
