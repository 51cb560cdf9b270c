"""Blocked responses: JS challenges (瑞数 412/202, 加速乐 521), WAF pages, Referer checks.

>>> block_reason(412, {}, b"<script>var $_ts=window['$_ts'];</script>")
'ruishu-412'
>>> block_reason(200, {}, b"<html>ok</html>") is None
True
>>> block_reason(521, {}, b"<script>document.cookie='__jsl_clearance_s=1';location.href=location.href</script>")
'jsl-521'
"""
from __future__ import annotations

import re

CHALLENGE_STATUSES = {202, 403, 412, 521}
MARKERS = [
    ("ruishu", re.compile(rb"\$_ts|r=['\"]m['\"]")),
    ("jsl", re.compile(rb"__jsl_clearance|__jsluid")),
    ("cookie-reload", re.compile(rb"document\.cookie\s*=.{0,400}?(location\.(href|reload|replace)|window\.location)", re.S)),
    ("safedog", re.compile(rb"safedog|Safedog|yunsuo", re.I)),
]


def _header(headers: dict, name: str) -> str:
    for k, v in (headers or {}).items():
        k = k.decode() if isinstance(k, bytes) else k
        if k.lower() == name.lower():
            if isinstance(v, list):
                v = v[0] if v else b""
            return v.decode("latin-1") if isinstance(v, bytes) else str(v)
    return ""


def block_reason(status: int, headers: dict, body: bytes) -> str | None:
    """A short reason when the response is a challenge/WAF page, else None.

    Only the challenge statuses count (412/521/403/202); a 200 is never called blocked,
    a 404/500 is an error, not a block."""
    if status not in CHALLENGE_STATUSES:
        return None
    head = body[:20000]
    server = _header(headers, "server").lower()
    for name, rx in MARKERS:
        if rx.search(head):
            return f"{name}-{status}"
    if "safedog" in server or "yunsuo" in server:
        return f"waf-{status}"
    if status in (412, 521):
        return f"challenge-{status}"
    return None


def browser_can_help(reason: str | None) -> bool:
    """Script challenges can be passed by a real browser; WAF bans and plain 403s cannot."""
    return bool(reason) and reason.split("-")[0] in {"ruishu", "jsl", "cookie", "challenge"}
