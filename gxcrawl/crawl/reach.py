"""Which portal roots the crawl reached, and why the others were not.

A portal is reached when one of its roots (the registry's, the other scheme, a pinyin
candidate) answered with an HTTP response that is not a JS challenge. At the end the
crawl's status says what happened to the portals (`crawl_status`): `finished` when every
portal was reached, `partial` when some were not, `unreachable` when none was; the
command prints one plain line per unreachable root (`RootReach.lines`) and exits non-zero
(gxcrawl.crawl.commands.crawl).

>>> reach = RootReach()
>>> reach.expect("350400", "三明市", "http://www.sm.gov.cn/")
>>> reach.expect("350400", "三明市", "https://www.sm.gov.cn/")
>>> reach.failed("350400", "http://www.sm.gov.cn/", "refused")
>>> reach.counts()
(0, 1)
>>> resumed = RootReach(); resumed.expect("350400", "三明市", "http://www.sm.gov.cn/"); resumed.counts()
(1, 0)
>>> reach.lines()
['gxcrawl: unreachable 三明市: http://www.sm.gov.cn/ (refused), https://www.sm.gov.cn/ (not tried)']
>>> crawl_status("finished", *reach.counts()), crawl_status("finished", 1, 1), crawl_status("shutdown", 0, 1)
('unreachable', 'partial', 'shutdown')
"""
from __future__ import annotations

import logging

#: the kinds of failure a user can act on, by the exception's class name (Scrapy's and Twisted's)
KINDS = {
    "CannotResolveHostError": "DNS: the name does not resolve", "DNSLookupError": "DNS: the name does not resolve",
    "DownloadConnectionRefusedError": "connection refused", "ConnectionRefusedError": "connection refused",
    "DownloadTimeoutError": "timeout", "TimeoutError": "timeout", "TCPTimedOutError": "timeout",
    "UserTimeoutError": "timeout", "NoRouteError": "no route to host",
}


def failure_kind(failure) -> str:
    """A download failure → 'DNS: …', 'connection refused', 'timeout', … or its message.

    >>> from twisted.python.failure import Failure
    >>> from twisted.internet.error import ConnectionRefusedError, DNSLookupError
    >>> failure_kind(Failure(DNSLookupError("x.invalid"))), failure_kind(Failure(ConnectionRefusedError()))
    ('DNS: the name does not resolve', 'connection refused')
    """
    value = getattr(failure, "value", failure)
    for cls in type(value).__mro__:
        if cls.__name__ in KINDS:
            return KINDS[cls.__name__]
    cause = getattr(value, "__cause__", None)
    if cause is not None and cause is not value:
        kind = failure_kind(cause)
        if kind in KINDS.values():
            return kind
    message = failure.getErrorMessage() if hasattr(failure, "getErrorMessage") else str(value)
    return (message or type(value).__name__).strip()[:200]


class RootReach:
    """Per portal: each root and what became of it (None: not answered yet, 'ok', or why not).

    `judge=False` (distributed crawls: a root may be fetched by another worker) records
    nothing and never calls a portal unreachable."""

    def __init__(self, judge: bool = True):
        self.roots: dict[str, dict[str, str | None]] = {}
        self.names: dict[str, str] = {}
        self.judge = judge

    def expect(self, portal: str, name: str, root: str) -> None:
        self.names[portal] = name
        self.roots.setdefault(portal, {}).setdefault(root, None)

    def answered(self, portal: str, root: str) -> None:
        self.roots.setdefault(portal, {})[root] = "ok"

    def failed(self, portal: str, root: str, why: str) -> None:
        outcomes = self.roots.setdefault(portal, {})
        if outcomes.get(root) != "ok":
            outcomes[root] = why

    def reached(self, portal: str) -> bool:
        return "ok" in self.roots.get(portal, {}).values()

    def unreachable(self, portal: str) -> bool:
        """No root answered and one at least failed (a root this run never asked for, e.g. one
        a resumed JOBDIR had already done, says nothing either way)."""
        outcomes = self.roots.get(portal, {}).values()
        return self.judge and "ok" not in outcomes and any(o is not None for o in outcomes)

    def counts(self) -> tuple[int, int]:
        """(portals not found unreachable, portals unreachable)."""
        bad = sum(self.unreachable(p) for p in self.roots)
        return len(self.roots) - bad, bad

    def lines(self) -> list[str]:
        """One plain line per portal not reached: each root and why."""
        return [f"gxcrawl: unreachable {self.names.get(p, p)}: " +
                ", ".join(f"{root} ({why or 'not tried'})" for root, why in outcomes.items())
                for p, outcomes in self.roots.items() if self.unreachable(p)]


def crawl_status(reason: str, reached: int, unreachable: int) -> str:
    """The `crawls` status: Scrapy's close reason, or what the portals' reach makes of `finished`."""
    if reason != "finished" or not unreachable:
        return reason
    return "unreachable" if not reached else "partial"


class QuietNetworkErrors(logging.Filter):
    """Scrapy's robots.txt middleware logs a host that cannot be reached with a traceback;
    the crawl reports those hosts itself, in one line each: keep the message, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None and \
                failure_kind(record.exc_info[1]) in KINDS.values():
            record.exc_info, record.exc_text = None, None
        return True


def quiet_robots_errors() -> None:
    """Install QuietNetworkErrors on the robots.txt middleware's logger (idempotent)."""
    log = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, QuietNetworkErrors) for f in log.filters):
        log.addFilter(QuietNetworkErrors())
