"""Everything the archive derives from its reports, recomputed in order: the cross-year
checks (gxcrawl.archive.crosscheck, which also choose the canonical report of each body
and year), the signals (gxcrawl.archive.signals), then the panel that carries them
(gxcrawl.archive.panel). `gxcrawl index`, `serve`, `reparse` and `export` run `refresh`.

>>> from gxcrawl.archive.store import Archive
>>> sorted(refresh(Archive(":memory:").db))
['cross_checks', 'panel', 'signals']
"""
from __future__ import annotations

from gxcrawl.archive.crosscheck import run_crosschecks
from gxcrawl.archive.panel import build_panel_table
from gxcrawl.archive.signals import run_signals


def refresh(db) -> dict:
    """Recompute the cross-year checks, the signals and the panel; returns their counts."""
    return {"cross_checks": run_crosschecks(db), "signals": run_signals(db), "panel": build_panel_table(db)}
