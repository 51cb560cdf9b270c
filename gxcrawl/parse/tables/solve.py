"""Cells whose boundaries the capture lost, found by solving the table's identities.

A text capture often runs a row's cells together (`523000055` for 52|3|0|0|0|0|55) or
drops its blank cells (`11` for 1 | 1 somewhere in seven columns). Each such row has a
few ways to be split into cells; the accounting identities of the table (the six
requester columns sum to 总计, 新收 + 结转 = 总计 + 结转下年, the result rows sum to 总计,
table 四's totals) hold for only some combinations. `solve` treats the whole table as one
constraint problem: it enumerates the splits of every row, keeps those its own row's
identities allow, then backtracks across the rows with the identities between them.
A cell that every solution gives the same value is read; a cell two solutions disagree
on stays `None` and is named in `Solved.ambiguous` — never a guess (a cell printed 0
in one solution and blank in another too: a blank is no 0).

>>> rows = [Row("a", ("x", "y", "total"), (Piece("10313"),))]
>>> sorted(solve(rows, row_sums(rows, ("x", "y"), "total")).values.items())
[(('a', 'total'), 13), (('a', 'x'), 10), (('a', 'y'), 3)]
>>> solve([Row("a", ("x", "y"), (Piece("112"),))], []).ambiguous
{('a', 'x'): [1, 11], ('a', 'y'): [2, 12]}
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import add
from itertools import combinations
from typing import Iterable, Iterator, Optional

Cell = tuple[str, str]            # (row key, column key)
Value = Optional[float]           # None: a blank cell

#: how many partial states the search may keep before it gives up on a table
SEARCH_BUDGET = 30_000
#: at most this many ways to split one row are kept, and this many tried over a whole
#: table: past either, a row is not read (an unfinished list of splits could look unique)
ROW_CANDIDATES_MAX = 5_000
TABLE_VISITS_MAX = 40_000
#: a run of more digits than this per cell is no run of table cells
DIGITS_PER_CELL_MAX = 7

CELL_TEXT = re.compile(r"^[+\-]?(?:0|[1-9]\d*)(?:\.\d+)?$")


@dataclass(frozen=True)
class Piece:
    """Printed text of one row: `glued` when it may hold several cells run together,
    else exactly one cell (a separate token of the capture, `value` None for a dash)."""
    text: str
    glued: bool = True
    value: Optional[float] = None


@dataclass(frozen=True)
class Row:
    key: str
    columns: tuple[str, ...]
    pieces: tuple[Piece, ...]
    #: blanks may have been dropped: fewer cells than columns, positions unknown
    sparse: bool = False
    #: the columns that may print a sign (`本年增/减`: +3, -2); no other cell starts with one
    signed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Identity:
    """sum(parts) == sum(whole) (relation "=="), or sum(parts) >= sum(whole) (">=").
    A blank cell counts as 0."""
    name: str
    parts: tuple[Cell, ...]
    whole: tuple[Cell, ...]
    relation: str = "=="


@dataclass
class Solved:
    values: dict[Cell, Value] = field(default_factory=dict)
    #: cells two solutions disagree on → the values they could have (None = blank)
    ambiguous: dict[Cell, list] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    solutions: int = 0


# ---------------------------------------------------------------------------
# the ways to split one row

def cell_number(text: str) -> Optional[float]:
    """'07' is no cell (a cell never starts with a 0 unless it is 0); '+3' and '2.5' are.

    >>> cell_number("07"), cell_number("+3"), cell_number("0")
    (None, 3.0, 0.0)
    """
    if not CELL_TEXT.match(text):
        return None
    return float(text)


def split_run(text: str, parts: int) -> Iterator[tuple[str, ...]]:
    """Every way to cut `text` into `parts` numbers: no leading zeros, a sign only at a
    cell's start, a decimal point inside one cell.

    >>> list(split_run("1203", 3))
    [('1', '20', '3'), ('12', '0', '3')]
    >>> list(split_run("97+82", 2))
    [('97', '+82')]
    """
    if parts == 0:
        if text == "":
            yield ()
        return
    if len(text) < parts:
        return
    for end in range(1, min(len(text) - parts + 1, DIGITS_PER_CELL_MAX + 1) + 1):
        head, rest = text[:end], text[end:]
        if rest[:1] == "." or head.endswith((".", "+", "-")):
            continue
        if cell_number(head) is None:
            continue
        if rest and parts == 1:
            continue
        for tail in split_run(rest, parts - 1):
            yield (head,) + tail


def piece_cells(pieces: tuple[Piece, ...], counts: tuple[int, ...]) -> Iterator[tuple, ...]:
    """The cells of the pieces, each piece cut into the given number of cells: the text
    of a cut, or the value of a separate token."""
    if not pieces:
        yield ()
        return
    head, rest = pieces[0], pieces[1:]
    firsts = split_run(head.text, counts[0]) if head.glued else [(head.value,)]
    for first in firsts:
        for tail in piece_cells(rest, counts[1:]):
            yield first + tail


def count_choices(pieces: tuple[Piece, ...], total_max: int) -> Iterator[tuple[int, ...]]:
    """How many cells each piece may hold (a separate token holds one)."""
    if not pieces:
        yield ()
        return
    head, rest = pieces[0], pieces[1:]
    options = range(1, min(len(head.text), total_max) + 1) if head.glued else (1,)
    for n in options:
        if n > total_max:
            break
        for tail in count_choices(rest, total_max - n):
            yield (n,) + tail


class Budget:
    """How many more splits may be tried; `spend` is False once they are used up."""

    def __init__(self, left: int = TABLE_VISITS_MAX):
        self.left = left

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


class GaveUp(Exception):
    """A row has more ways to split than the budget allows."""


def split_checked(text: str, row: Row, checks: list[tuple[int, Identity]], budget: Budget,
                  prefix: tuple = ()) -> Iterator[tuple[float, ...]]:
    """The cuts of one run into all of the row's cells, each identity checked as soon as
    its last cell is cut (table 四's 15 cells: group by group, not 4 million cuts)."""
    index = len(prefix)
    width = len(row.columns)
    if index == width:
        if text == "":
            yield prefix
        return
    left = width - index
    for end in range(1, min(len(text) - left + 1, DIGITS_PER_CELL_MAX) + 1):
        if not budget.spend():
            raise GaveUp
        head, rest = text[:end], text[end:]
        if rest[:1] == "." or head.endswith((".", "+", "-")) or cell_number(head) is None:
            continue
        if head[0] in "+-" and row.columns[index] not in row.signed:
            continue
        values = prefix + (float(head),)
        cells = None
        for last, identity in checks:
            if last == index:
                cells = cells or dict(zip(((row.key, c) for c in row.columns), values))
                if not holds(identity, cells):
                    break
        else:
            yield from split_checked(rest, row, checks, budget, values)


def row_candidates(row: Row, keep=lambda candidate: True, local: tuple[Identity, ...] = (),
                   limit: int = ROW_CANDIDATES_MAX, budget: Optional[Budget] = None
                   ) -> Optional[list[tuple[Value, ...]]]:
    """Every reading of a row that `keep` accepts: one value (or None for a blank) per
    column; the first `limit` when a limit is asked for. None when the budget or
    ROW_CANDIDATES_MAX ran out first."""
    budget = budget or Budget()
    try:
        out = list(_readings(row, keep, local, budget, min(limit, ROW_CANDIDATES_MAX + 1)))
    except GaveUp:
        return None
    if len(out) > ROW_CANDIDATES_MAX:
        return None
    return out


def _readings(row: Row, keep, local: tuple[Identity, ...], budget: Budget, limit: int) -> Iterator[tuple]:
    width = len(row.columns)
    pieces = tuple(p for p in row.pieces if p.text)
    if not pieces:
        if row.sparse:
            yield (None,) * width
        return
    found = 0
    if not row.sparse and len(pieces) == 1 and pieces[0].glued:
        position = {c: i for i, c in enumerate(row.columns)}
        checks = [(max(position[c] for _, c in i.parts + i.whole), i) for i in local]
        for candidate in split_checked(pieces[0].text, row, checks, budget):
            if keep(candidate):
                yield candidate
                found += 1
                if found >= limit:
                    return
        return
    seen: set = set()
    for counts in count_choices(pieces, width):
        n = sum(counts)
        if n != width and not row.sparse:
            continue
        for cells in piece_cells(pieces, counts):
            for positions in ([tuple(range(width))] if n == width else combinations(range(width), n)):
                if not budget.spend():
                    raise GaveUp
                if not _placed(cells, positions, row):
                    continue
                values: list[Value] = [None] * width
                for position, cell in zip(positions, cells):
                    values[position] = float(cell) if isinstance(cell, str) else cell
                candidate = tuple(values)
                if candidate not in seen and keep(candidate):
                    seen.add(candidate)
                    yield candidate
                    found += 1
                    if found >= limit:
                        return


# ---------------------------------------------------------------------------
# identities

def row_sums(rows: Iterable[Row], parts: tuple[str, ...], whole: str) -> list[Identity]:
    """Per row: the `parts` columns sum to the `whole` column."""
    return [Identity(f"{row.key}: {'+'.join(parts)} = {whole}",
                     tuple((row.key, c) for c in parts), ((row.key, whole),))
            for row in rows if whole in row.columns and all(c in row.columns for c in parts)]


def column_sums(columns: Iterable[str], parts: tuple[str, ...], whole: tuple[str, ...],
                name: str) -> list[Identity]:
    """Per column: the `parts` rows sum to the `whole` rows."""
    return [Identity(f"{name} ({col})", tuple((r, col) for r in parts), tuple((r, col) for r in whole))
            for col in columns]


def _sum(cells: tuple[Cell, ...], assignment: dict[Cell, Value]) -> float:
    return sum(assignment.get(c) or 0 for c in cells)


def holds(identity: Identity, assignment: dict[Cell, Value]) -> bool:
    left, right = _sum(identity.parts, assignment), _sum(identity.whole, assignment)
    if identity.relation == ">=":
        return left >= right - 1e-9
    return abs(left - right) < 1e-6


def may_hold(identity: Identity, assignment: dict[Cell, Value], assigned_rows: set[str]) -> bool:
    """False when the identity cannot hold whatever the unassigned rows are: with
    non-negative cells, the assigned parts may not exceed a complete whole (and back)."""
    parts_done = all(r in assigned_rows for r, _ in identity.parts)
    whole_done = all(r in assigned_rows for r, _ in identity.whole)
    if parts_done and whole_done:
        return holds(identity, assignment)
    if identity.relation != "==":
        return True
    left, right = _sum(identity.parts, assignment), _sum(identity.whole, assignment)
    if whole_done and left > right + 1e-6:
        return False
    if parts_done and right > left + 1e-6:
        return False
    return True


def is_non_negative(candidate: tuple[Value, ...]) -> bool:
    return all(v is None or v >= 0 for v in candidate)


# ---------------------------------------------------------------------------
# the search

def solve(rows: list[Row], identities: list[Identity], budget: int = SEARCH_BUDGET) -> Solved:
    """Split every row so that every identity holds; read the cells all solutions share.

    Cells in identities are taken to be non-negative counts. When no split satisfies
    every identity (the source itself is wrong), each row is read alone (see
    `solve_rows_alone`) and the failing identity is left to the checks."""
    result = Solved()
    rows = [r for r in rows if r.pieces or r.sparse]
    by_key = {r.key: r for r in rows}
    local: dict[str, list[Identity]] = {r.key: [] for r in rows}
    across: list[Identity] = []
    for identity in identities:
        # a row the capture did not give is a blank row: its cells count 0
        identity = Identity(identity.name, tuple(c for c in identity.parts if c[0] in by_key),
                            tuple(c for c in identity.whole if c[0] in by_key), identity.relation)
        involved = {c[0] for c in identity.parts + identity.whole}
        if len(involved) == 1:
            local[next(iter(involved))].append(identity)
        elif involved:
            across.append(identity)
    checked = {c[0] for i in identities for c in i.parts + i.whole}
    table_budget, too_many = Budget(), []
    identities = across + [i for found in local.values() for i in found]
    candidates: dict[str, list] = {}
    for row in rows:
        def keep(candidate, row=row) -> bool:
            if row.key in checked and not is_non_negative(candidate):
                return False
            cells = dict(zip(((row.key, col) for col in row.columns), candidate))
            return all(holds(i, cells) for i in local[row.key])
        found = row_candidates(row, keep, tuple(local[row.key]), budget=table_budget)
        if found is None:
            too_many.append(row)
            continue
        candidates[row.key] = found
    for row in too_many:
        result.warnings.append(f"row {row.key}: too many ways to split "
                               f"{''.join(p.text for p in row.pieces)!r}: not read")
        for col in row.columns:
            result.values[(row.key, col)] = None
    if too_many:
        dropped = {r.key for r in too_many}
        rows = [r for r in rows if r.key not in dropped]
        across = [i for i in across if not dropped & {c[0] for c in i.parts + i.whole}]
    if not rows:
        return result
    unread = [r for r in rows if not candidates[r.key]]
    if unread:
        # the source's own error in these rows: they are read alone, and the identities
        # through them cannot settle the others
        solve_rows_alone(unread, candidates, result, local, table_budget)
        failed = {r.key for r in unread}
        rows = [r for r in rows if r.key not in failed]
        across = [i for i in across if not failed & {c[0] for c in i.parts + i.whole}]
    if len(rows) <= 1 or not across:
        return solve_rows_alone(rows, candidates, result, local, table_budget)
    search = Search(rows, candidates, across, budget)
    supported = search.supported_readings()
    result.solutions = search.found
    if supported is None:
        result.warnings.append(f"search stopped after {budget} steps: rows read one by one")
        return solve_rows_alone(rows, candidates, result, local, table_budget)
    if not search.found:
        result.warnings.append("no split satisfies every identity: rows read one by one")
        return solve_rows_alone(rows, candidates, result, local, table_budget)
    for row in rows:
        read_cells(row, sorted(supported[row.key], key=_order), result)
    return result


class Search:
    """The readings of each row that some solution of the whole table uses.

    The rows are taken one after another; a state is how far each identity between rows
    is from holding (the sum of its parts minus its whole, so far). The states reachable
    after each row are kept (a state from which the remaining rows cannot bring an
    identity back to balance is dropped), then walked back from the states where every
    identity holds: a reading is supported when it links two states on such a path.
    Many tables of zeros have millions of solutions but a handful of states.

    >>> rows = [Row("a", ("x",), (Piece("1"),)), Row("b", ("x",), (Piece("1"),))]
    >>> Search(rows, {"a": [(1,), (2,)], "b": [(1,)]}, [Identity("a=b", (("a", "x"),), (("b", "x"),))],
    ...        100).supported_readings() == {"a": {(1,)}, "b": {(1,)}}
    True
    """

    def __init__(self, rows: list[Row], candidates: dict[str, list], identities: list[Identity],
                 budget: int):
        self.rows = rows
        self.candidates = {r.key: list(candidates[r.key]) for r in rows}
        self.identities = [i for i in identities if i.parts or i.whole]
        self.budget = budget
        self.found = 0
        self.deltas = {r.key: [self.delta(r, c) for c in candidates[r.key]] for r in rows}
        self.at_least = [i.relation == ">=" for i in self.identities]
        self.prune(rows)
        # rows with few distinct moves first: the states branch late, where the bounds
        # of the few rows left prune hardest
        self.rows = sorted(rows, key=lambda r: len(set(self.deltas[r.key])))
        self.at_least = [i.relation == ">=" for i in self.identities]

    def delta(self, row: Row, reading: tuple) -> tuple:
        """What a reading adds to each identity: its parts count +, its whole −
        (in thousandths, as integers: sums of cells with decimals stay exact)."""
        cells = dict(zip(row.columns, reading))
        out = []
        for identity in self.identities:
            d = sum(cells.get(c) or 0 for r, c in identity.parts if r == row.key)
            d -= sum(cells.get(c) or 0 for r, c in identity.whole if r == row.key)
            out.append(round(d * 1000))
        return tuple(out)

    def prune(self, rows: list[Row]) -> None:
        """Drop each reading that no readings of the other rows could balance, until none drops."""
        if not self.identities:
            return
        changed = True
        while changed:
            changed = False
            lows = {r.key: [min(x[d] for x in self.deltas[r.key]) for d in range(len(self.identities))]
                    for r in rows if self.deltas[r.key]}
            highs = {r.key: [max(x[d] for x in self.deltas[r.key]) for d in range(len(self.identities))]
                     for r in rows if self.deltas[r.key]}
            if len(lows) < len(rows):
                return
            total_lo = [sum(v[d] for v in lows.values()) for d in range(len(self.identities))]
            total_hi = [sum(v[d] for v in highs.values()) for d in range(len(self.identities))]
            for row in rows:
                key = row.key
                rest = ([a - b for a, b in zip(total_lo, lows[key])], [a - b for a, b in zip(total_hi, highs[key])])
                kept = [(c, d) for c, d in zip(self.candidates[key], self.deltas[key]) if self.may_end_well(d, rest)]
                if len(kept) < len(self.deltas[key]):
                    self.candidates[key] = [c for c, _ in kept]
                    self.deltas[key] = [d for _, d in kept]
                    changed = True
                    if not kept:
                        return
                    break

    def reach(self) -> list[tuple[tuple[float, ...], tuple[float, ...]]]:
        """For each row, the least and the most the rows after it can still add."""
        n, dims = len(self.rows), len(self.identities)
        lo, hi = [0.0] * dims, [0.0] * dims
        out = [None] * (n + 1)
        out[n] = (tuple(lo), tuple(hi))
        for k in range(n - 1, -1, -1):
            deltas = self.deltas[self.rows[k].key]
            for d in range(dims):
                lo[d] += min(x[d] for x in deltas)
                hi[d] += max(x[d] for x in deltas)
            out[k] = (tuple(lo), tuple(hi))
        return out

    def may_end_well(self, state: tuple, rest: tuple[tuple, tuple]) -> bool:
        lo, hi = rest
        for d, at_least in enumerate(self.at_least):
            if at_least:
                if state[d] + hi[d] < 0:
                    return False
            elif state[d] + lo[d] > 0 or state[d] + hi[d] < 0:
                return False
        return True

    def supported_readings(self) -> Optional[dict[str, set]]:
        """Row → the readings some solution uses; None when the states outgrow the budget."""
        supported: dict[str, set] = {r.key: set() for r in self.rows}
        if any(not self.candidates[r.key] for r in self.rows):
            return supported
        rest = self.reach()
        layers = [{tuple(0 for _ in self.identities)}]
        states = 0
        for k, row in enumerate(self.rows):
            nxt = set()
            moves = set(self.deltas[row.key])
            for state in layers[-1]:
                for d in moves:
                    s2 = tuple(map(add, state, d))
                    if s2 not in nxt and self.may_end_well(s2, rest[k + 1]):
                        nxt.add(s2)
            states += len(nxt)
            if states > self.budget:
                return None
            layers.append(nxt)
        alive = {s for s in layers[-1] if self.may_end_well(s, rest[-1])}
        self.found = len(alive)
        for k in range(len(self.rows) - 1, -1, -1):
            row = self.rows[k]
            by_move: dict[tuple, list] = {}
            for reading, d in zip(self.candidates[row.key], self.deltas[row.key]):
                by_move.setdefault(d, []).append(reading)
            before = set()
            for d, readings in by_move.items():
                used = False
                for state in layers[k]:
                    if tuple(map(add, state, d)) in alive:
                        before.add(state)
                        used = True
                if used:
                    supported[row.key].update(readings)
            alive = before
        return supported


def _placed(cells: tuple, positions: tuple[int, ...], row: Row) -> bool:
    """No signed cell stands in a column that prints no sign."""
    return all(not (isinstance(c, str) and c[0] in "+-") or row.columns[p] in row.signed
               for c, p in zip(cells, positions))


def _order(candidate: tuple) -> tuple:
    return tuple(-1 if v is None else v for v in candidate)


def read_cells(row: Row, readings: list[tuple], result: Solved) -> None:
    """A cell all readings agree on is read; one they disagree on is ambiguous."""
    for index, col in enumerate(row.columns):
        options = sorted({r[index] for r in readings}, key=lambda v: -1 if v is None else v)
        cell = (row.key, col)
        if len(options) == 1:
            result.values[cell] = _int(options[0])
        else:
            result.values[cell] = None
            result.ambiguous[cell] = [_int(v) for v in options]


def solve_rows_alone(rows: list[Row], candidates: dict[str, list], result: Solved,
                     local: dict[str, list[Identity]], budget: Optional[Budget] = None) -> Solved:
    """Each row by its own identities; a row none of its splits satisfies is read only
    when it has a single split at all (the source's own error, left to the checks)."""
    for row in rows:
        readings = candidates[row.key]
        if not readings and local[row.key]:
            readings = row_candidates(row, is_non_negative, limit=2, budget=budget) or []
            if len(readings) != 1:
                readings = []
        if not readings:
            result.warnings.append(f"row {row.key}: no reading of {''.join(p.text for p in row.pieces)!r}")
            for col in row.columns:
                result.values[(row.key, col)] = None
            continue
        read_cells(row, readings, result)
    return result


def _int(value: Value) -> Value:
    if value is not None and value == int(value):
        return int(value)
    return value
