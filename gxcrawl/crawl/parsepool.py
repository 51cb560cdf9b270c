"""Parsing off the reactor thread: a pool of worker processes running gxcrawl.parse_report.

At national scale the crawl waits on thousands of hosts at once, and every millisecond
the reactor thread spends parsing a report is a millisecond no download starts and no
response is read. `ParsePool` (GXCRAWL_PARSE_PROCESSES = N > 0) sends the bytes to N
worker processes (started with ``spawn``: the crawl process has threads, never fork it)
and hands back the Report; `Sequencer` lets each result go on only after every item that
arrived before it, so the archive writes reports in the order their items arrived, as an
inline parse does. A worker that dies is replaced by parsing inline, the crawl goes on.
"""
from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ProcessPoolExecutor
from typing import Optional

logger = logging.getLogger(__name__)


def parse_in_worker(body: bytes, url: str, headers: Optional[dict], official_hosts=None):
    """Runs in a worker: (report, None), or (None, the error's repr) — a parser failure is data."""
    from gxcrawl import parse_report
    try:
        return parse_report(body, url=url, headers=headers, official_hosts=official_hosts), None
    except Exception as exc:  # noqa: BLE001
        return None, repr(exc)


def _warm() -> None:
    """Import the parser (and its tables) once per worker, before the first report waits on it."""
    import gxcrawl.parse.report  # noqa: F401


class ParsePool:
    def __init__(self, processes: int):
        import multiprocessing
        self.executor = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_warm)
        self.broken = False

    async def parse(self, body: bytes, url: str, headers: Optional[dict], official_hosts=None):
        """(report, error) from a worker; inline when the pool is broken."""
        if not self.broken:
            try:
                return await asyncio.wrap_future(self.executor.submit(parse_in_worker, body, url, headers,
                                                                      official_hosts))
            except Exception as exc:  # noqa: BLE001 - BrokenProcessPool, pickling: parse here instead
                logger.warning("parse pool failed (%r): parsing in the crawl process from now on", exc)
                self.broken = True
        return parse_in_worker(body, url, headers, official_hosts)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


class Sequencer:
    """Hands out turns in arrival order: `turn()` before the work, `await wait(t)` after it,
    `done(t)` when the item has gone on (the next one may then go on)."""

    def __init__(self):
        self.last: Optional[asyncio.Future] = None

    def turn(self) -> tuple[Optional[asyncio.Future], asyncio.Future]:
        before, mine = self.last, asyncio.get_running_loop().create_future()
        self.last = mine
        return before, mine

    @staticmethod
    async def wait(before: Optional[asyncio.Future]) -> None:
        if before is not None and not before.done():
            await asyncio.shield(before)

    @staticmethod
    def done(mine: asyncio.Future) -> None:
        if not mine.done():
            mine.set_result(None)
