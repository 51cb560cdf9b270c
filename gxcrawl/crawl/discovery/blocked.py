"""Blocked responses: bot walls recognized by what they are (gxcrawl.crawl.discovery.walls) at
any status a wall uses — 200 included — and the challenge statuses (瑞数 412/202, 加速乐 521,
WAF 403) with their markers.

>>> block_reason(412, {}, b"<script>var $_ts=window['$_ts'];</script>")
'ruishu-412'
>>> block_reason(200, {}, b"<html>ok</html>") is None
True
>>> block_reason(200, {}, b"<script>document.cookie='t=1';location.href=location.href</script>")
'cookie-reload-200'
>>> block_reason(521, {}, b"<script>document.cookie='__jsl_clearance_s=1';location.href=location.href</script>")
'jsl-521'
>>> block_reason(404, {}, b"<script>document.cookie='t=1';location.href='/'</script>") is None
True
"""
from __future__ import annotations

import re

from gxcrawl.crawl.discovery.walls import header_product, wall_kind

CHALLENGE_STATUSES = {202, 403, 412, 521}
#: statuses a wall answers with: 2xx and the challenge statuses (a 404/410 is an answer, a 5xx an
#: error, a 3xx is followed)
WALL_STATUSES = CHALLENGE_STATUSES | {405, 468}
MARKERS = [
    ("ruishu", re.compile(rb"\$_ts|r=['\"]m['\"]")),
    ("jsl", re.compile(rb"__jsl_clearance|__jsluid")),
    ("waf", re.compile(rb"safedog|Safedog|yunsuo", re.I)),
]
#: wall kinds a real browser can pass (a ban page, a WAF's plain 403, cannot)
BROWSER_KINDS = {"ruishu", "jsl", "cookie", "challenge", "yunsuo", "safedog", "knownsec", "js", "verify"}


def block_reason(status: int, headers: dict, body: bytes) -> str | None:
    """A short reason ``<kind>-<status>`` when the response is a bot wall, else None.

    A page is a wall when it looks like one (`wall_kind`), whatever its status among 2xx,
    403, 405, 412, 468, 521; on the challenge statuses a product's markers, a WAF's Server
    header, or a bare 412/521 are walls too."""
    if not (200 <= status < 300 or status in WALL_STATUSES):
        return None
    kind = wall_kind(body or b"", headers)
    if kind:
        return f"{kind}-{status}"
    if status not in CHALLENGE_STATUSES:
        return None
    head = (body or b"")[:20000]
    for name, rx in MARKERS:
        if rx.search(head):
            return f"{name}-{status}"
    if status == 403 and header_product(headers) in ("safedog", "yunsuo"):
        return f"waf-{status}"
    if status in (412, 521):
        return f"challenge-{status}"
    return None


def browser_can_help(reason: str | None) -> bool:
    """Script challenges can be passed by a real browser; WAF bans and plain 403s cannot.

    >>> browser_can_help("yunsuo-200"), browser_can_help("ban-safedog-200"), browser_can_help("waf-403")
    (True, False, False)
    """
    return bool(reason) and reason.split("-")[0] in BROWSER_KINDS
