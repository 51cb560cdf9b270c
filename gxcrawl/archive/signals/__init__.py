"""The accountability signals, derived from the archive and stored as tables that
Datasette shows (each with a canned query and a chart) and the panel carries:

- `copies`: copied reports (`copied_reports`) — figures identical, text near-identical;
- `late`: reports published after their statutory date (`late_reports`; `statutory`: the dates);
- `missing`: body-years and region-years without a report (`missing_reports`, `region_years`);
- `withdrawn`: reports the portal took back (`withdrawn_reports`; the crawl records `withdrawals`);
- `mirror_hosts`: the spam mirror hosts that copy reports (`mirror_hosts`).

`run_signals(db)` recomputes them all, after the cross-year checks (which choose the
canonical report of each body and year); gxcrawl.archive.derived.refresh runs both and
then the panel — `gxcrawl index`, `gxcrawl serve` and `gxcrawl reparse` call it.

>>> from gxcrawl.archive.store import Archive
>>> sorted(run_signals(Archive(":memory:").db))
['copies', 'late', 'mirror_hosts', 'missing', 'withdrawn']
"""
from __future__ import annotations

#: the tables the signals write (Datasette metadata, the panel)
SIGNAL_TABLES = ("copied_reports", "late_reports", "missing_reports", "region_years", "withdrawn_reports",
                 "mirror_hosts")


def ensure_signal_tables(db) -> None:
    """Create the (empty) signal tables and views, so that queries over them work before
    the first `run_signals`."""
    from gxcrawl.archive.signals import copies, late, mirror_hosts, missing, withdrawn
    for ddl in (copies.DDL, late.DDL, mirror_hosts.DDL, withdrawn.DDL):
        db.execute(ddl)
    missing.ensure_views(db)
    withdrawn.ensure_withdrawals(db)


def run_signals(db) -> dict:
    """Recompute every signal table (the cross-year checks first: gxcrawl.archive.derived);
    returns counts per signal."""
    from gxcrawl.archive.signals.copies import run_copies
    from gxcrawl.archive.signals.late import run_late
    from gxcrawl.archive.signals.mirror_hosts import run_mirror_hosts
    from gxcrawl.archive.signals.missing import run_missing
    from gxcrawl.archive.signals.withdrawn import run_withdrawn
    return {"copies": run_copies(db), "late": run_late(db), "missing": run_missing(db),
            "withdrawn": run_withdrawn(db), "mirror_hosts": run_mirror_hosts(db)}
