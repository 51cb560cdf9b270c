"""Rows to a file that keeps their types: CSV, JSON Lines or Parquet, chosen by the file
name. Each column is declared with a type (`integer`, `number`, `real`, `text`): integers
are written as integers, a missing value stays empty (CSV), null (JSON) or null (Parquet) —
never 0. A `number` column (a count that might not be whole) is written as integers when
all its values are whole numbers; a `real` column (a share, a ratio) always as floats.

Parquet goes through pyarrow (`pip install 'gxcrawl[parquet]'`); without it `write_rows`
raises `MissingParquet` with that advice.

>>> import io, csv
>>> cols = [("name", "text"), ("n", "integer"), ("share", "number")]
>>> out = io.StringIO()
>>> write_csv([{"name": "a", "n": 3, "share": 2.0}, {"name": "b", "n": None, "share": None}], cols, out)
>>> out.getvalue().splitlines()
['name,n,share', 'a,3,2', 'b,,']
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO, Iterable, Sequence

FORMATS = (".csv", ".jsonl", ".parquet")


class MissingParquet(RuntimeError):
    pass


def _whole(values: Iterable) -> bool:
    return all(float(v).is_integer() for v in values if v is not None)


def column_kinds(rows: list[dict], columns: Sequence[tuple[str, str]]) -> dict[str, str]:
    """integer | float | text for each column (a `number` column of whole values → integer).

    >>> column_kinds([{"a": 1.0, "b": 0.5, "c": 1.0}], [("a", "number"), ("b", "number"), ("c", "real")])
    {'a': 'integer', 'b': 'float', 'c': 'float'}
    """
    out = {}
    for name, kind in columns:
        if kind == "number":
            out[name] = "integer" if _whole(r.get(name) for r in rows) else "float"
        else:
            out[name] = {"integer": "integer", "real": "float"}.get(kind, "text")
    return out


def _typed(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "float":
        return float(value)
    return value if isinstance(value, str) else str(value)


def typed_rows(rows: list[dict], columns: Sequence[tuple[str, str]]) -> list[dict]:
    kinds = column_kinds(rows, columns)
    return [{name: _typed(r.get(name), kinds[name]) for name, _ in columns} for r in rows]


def write_csv(rows: list[dict], columns: Sequence[tuple[str, str]], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in columns])
    for row in typed_rows(rows, columns):
        writer.writerow(["" if v is None else v for v in row.values()])


def write_jsonl(rows: list[dict], columns: Sequence[tuple[str, str]], out: IO[str]) -> None:
    for row in typed_rows(rows, columns):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_parquet(rows: list[dict], columns: Sequence[tuple[str, str]], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise MissingParquet("Parquet needs pyarrow: pip install 'gxcrawl[parquet]' "
                             "(or write .csv / .jsonl)") from exc
    kinds = column_kinds(rows, columns)
    types = {"integer": pa.int64(), "float": pa.float64(), "text": pa.string()}
    data = typed_rows(rows, columns)
    schema = pa.schema([(name, types[kinds[name]]) for name, _ in columns])
    table = pa.table({name: [r[name] for r in data] for name, _ in columns}, schema=schema)
    pq.write_table(table, str(path))


def write_rows(rows: list[dict], columns: Sequence[tuple[str, str]], path: str | Path) -> int:
    """Write `rows` to `path` (.csv, .jsonl or .parquet); returns the number of rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown format {suffix or '(none)'}; use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        write_parquet(rows, columns, path)
    else:
        with path.open("w", encoding="utf-8", newline="") as fh:
            (write_csv if suffix == ".csv" else write_jsonl)(rows, columns, fh)
    return len(rows)
