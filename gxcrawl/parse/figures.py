"""One harmonized set of figures across every table generation: what researchers compare.

The pre-2019 统计表, the 2019 and the 2021 templates name the same facts differently
(收到申请数 / 本年新收政府信息公开申请数量). `harmonize(tables)` maps each generation's cells
to one set of figures, each with the table it came from and the cells that make it:

>>> figures = harmonize({"t3": {"new.total": 52, "carried.total": 3}, "t4": {}, "tpre": {}, "t2": {}})
>>> figures["requests_received"]
{'value': 52, 'source': 't3', 'evidence': 't3 new.total'}
>>> harmonize({"tpre": {"requests.received": 31}, "t2": {}, "t3": {}, "t4": {}})["requests_received"]["source"]
'tpre'

A figure no table gives is `{"value": None, "source": None, "evidence": None}`; a blank
or dashed cell never becomes 0. `FIGURES` is the data dictionary (README "Figures").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from gxcrawl.parse.tables import T4_GROUPS

#: the result rows of table 三 that deny a request (不予公开)
DENIED_ROWS = ("denied.secret", "denied.law", "denied.safety", "denied.third_party", "denied.internal",
               "denied.process", "denied.enforcement", "denied.query")


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    meaning: str
    #: per table: the cells whose sum is the figure (all must be present)
    cells: dict[str, tuple[str, ...]]


FIGURES: tuple[Figure, ...] = (
    Figure("requests_received", "件", "information requests received in the year",
           {"t3": ("new.total",), "tpre": ("requests.received",)}),
    Figure("requests_carried", "件", "requests carried over from the year before",
           {"t3": ("carried.total",)}),
    Figure("requests_handled", "件", "requests answered in the year (all results)",
           {"t3": ("total.total",), "tpre": ("requests.completed",)}),
    Figure("requests_granted", "件", "requests answered with full disclosure (予以公开 / 同意公开)",
           {"t3": ("granted.total",), "tpre": ("requests.granted",)}),
    Figure("requests_partial", "件", "requests answered with partial disclosure",
           {"t3": ("partial.total",), "tpre": ("requests.partial",)}),
    Figure("requests_denied", "件", "requests refused disclosure (不予公开, all grounds)",
           {"t3": tuple(f"{row}.total" for row in DENIED_ROWS), "tpre": ("requests.denied",)}),
    Figure("requests_carried_next", "件", "requests carried over into the next year",
           {"t3": ("next.total",)}),
    Figure("reviews", "件", "administrative reviews (行政复议) about disclosure",
           {"t4": ("review.total",), "tpre": ("review.total",)}),
    Figure("lawsuits", "件", "lawsuits (行政诉讼) about disclosure, direct and after review",
           {"t4": tuple(f"{g}.total" for g in T4_GROUPS if g.startswith("suit")), "tpre": ("suit.total",)}),
    Figure("active_disclosures", "条", "items of information disclosed on the body's own initiative",
           {"tpre": ("active.total",)}),
    Figure("normative_documents_issued", "件", "normative documents (规范性文件) made / issued in the year",
           {"t2": ("normative.made",), "tpre": ("normative.issued_total",)}),
    Figure("rules_issued", "件", "rules (规章) made / issued in the year",
           {"t2": ("rules.made",)}),
)
FIGURE_NAMES = tuple(f.name for f in FIGURES)
#: the 2021 template's names for the cells above
T2_2021_ALIASES = {"normative.made": "normative.issued", "rules.made": "rules.issued"}


def empty_figure() -> dict[str, Any]:
    return {"value": None, "source": None, "evidence": None}


def _value(table: dict, key: str) -> Optional[float]:
    value = table.get(key)
    if value is None and key in T2_2021_ALIASES:
        key = T2_2021_ALIASES[key]
        value = table.get(key)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _key(table: dict, key: str) -> str:
    return key if key in table or key not in T2_2021_ALIASES else T2_2021_ALIASES[key]


def table_figure(figure: Figure, tables: dict[str, dict]) -> dict[str, Any]:
    """The figure from the first table that holds every cell it needs."""
    for tbl, keys in figure.cells.items():
        table = tables.get(tbl) or {}
        values = [_value(table, k) for k in keys]
        if values and all(v is not None for v in values):
            total = sum(values)
            if total == int(total):
                total = int(total)
            return {"value": total, "source": tbl,
                    "evidence": f"{tbl} " + " + ".join(_key(table, k) for k in keys)}
    return empty_figure()


def harmonize(tables: dict[str, dict]) -> dict[str, dict[str, Any]]:
    """Every figure of FIGURES from the parsed tables (t2, t3, t4, tpre)."""
    return {figure.name: table_figure(figure, tables) for figure in FIGURES}
