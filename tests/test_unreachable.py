"""A crawl that reaches nothing says so (issue 15): one plain line per unreachable portal
with its roots and why, a non-zero exit status, and a `crawls` status that says so.

The roots are a refused port on 127.0.0.1 and a `.invalid` name (RFC 6761: never resolves,
so the test sends no DNS query anywhere); `partial` is a crawl of one replica portal and
the refused port.
"""
import json
import os
import socket
import sqlite3
import subprocess
import sys

from conftest import ROOT


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on (connections to it are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def crawl(tmp_path, urls: str, *options: str):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    db = tmp_path / "crawl.db"
    args = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"url={urls}", "-s", f"GXCRAWL_ARCHIVE={db}",
            "-s", "RETRY_TIMES=0", "-s", "GXCRAWL_BROWSER=0", "-s", "DOWNLOAD_HANDLERS={}", *options]
    r = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    row = sqlite3.connect(db).execute("select status, notes, requests from crawls").fetchone()
    return r, row


def test_a_crawl_that_reaches_no_portal(tmp_path):
    port = free_port()
    r, (status, notes, requests) = crawl(tmp_path, f"http://127.0.0.1:{port}/,http://portal.invalid/")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    last = r.stderr.strip().splitlines()[-3:]
    assert last[0] == (f"gxcrawl: unreachable 127.0.0.1: http://127.0.0.1:{port}/ (connection refused), "
                       f"https://127.0.0.1:{port}/ (connection refused)")
    assert last[1] == ("gxcrawl: unreachable portal.invalid: http://portal.invalid/ (DNS: the name does not "
                       "resolve), https://portal.invalid/ (DNS: the name does not resolve)")
    assert last[2] == "gxcrawl: no portal reached (2 tried); the crawl did nothing"
    assert status == "unreachable" and requests > 0
    assert notes.splitlines() == last[:2]


def test_a_crawl_that_reaches_some_portals_is_partial(tmp_path, farm):
    port = free_port()
    r, (status, notes, _) = crawl(tmp_path, f"http://www.ruijin.gov.cn/,http://127.0.0.1:{port}/", "-a", "years=2024",
                                  "-s", f"GXCRAWL_HOST_MAP={json.dumps(farm.host_map())}")
    assert r.returncode == 3, r.stderr[-2000:]
    last = r.stderr.strip().splitlines()[-2:]
    assert last[0].startswith(f"gxcrawl: unreachable 127.0.0.1: http://127.0.0.1:{port}/ (connection refused)")
    assert last[1] == "gxcrawl: 1 of 2 portals not reached"
    assert status == "partial" and "ruijin" not in notes
    reports = sqlite3.connect(tmp_path / "crawl.db").execute("select count(*) from reports").fetchone()[0]
    assert reports >= 1                                   # the portal that answered was crawled
