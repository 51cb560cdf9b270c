"""The statistical tables of a report → flat maps under the canonical keys.

In: the document's blocks (paragraphs and grids). Out: `ParsedTables` — tables
t2/t3/t4/tpre as `{key: value}`, every cell with its printed text, the template
generation of each table, warnings.

- `tokens`: every source flattened into one stream of labels, values, blanks, dashes;
- `templates`: the national templates' rows and columns as data;
- `read`: the tables read by anchoring on their row labels.

>>> parse_tables([]).tables
{'t2': {}, 't3': {}, 't4': {}, 'tpre': {}}
"""
from gxcrawl.parse.tables.read import ParsedTables, parse_tables, parse_tokens
from gxcrawl.parse.tables.templates import (T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_RESULT_ROWS, T3_ROWS, T4_COLUMNS,
                                            T4_GROUPS, TPRE_LABELS, TPRE_ROWS)
from gxcrawl.parse.tables.tokens import Token, classify, compact, split_row, tokenize_blocks, tokenize_lines

__all__ = ["ParsedTables", "parse_tables", "parse_tokens", "Token", "classify", "compact", "split_row",
           "tokenize_blocks", "tokenize_lines", "T2_COLUMNS", "T2_ROWS", "T3_COLUMNS", "T3_RESULT_ROWS",
           "T3_ROWS", "T4_COLUMNS", "T4_GROUPS", "TPRE_LABELS", "TPRE_ROWS"]
