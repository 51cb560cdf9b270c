"""Run the real `portal` spider against the replica farm in a subprocess (Twisted reactors
cannot restart inside one test process) and compare what it stored with the manifests."""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from gxcrawl.replicas.farm import Farm

PROJECT = Path(__file__).resolve().parents[2]     # the directory holding scrapy.cfg


def offline_settings(farm: Farm, db: str | Path, fast: bool = True) -> dict:
    settings = {"GXCRAWL_HOST_MAP": json.dumps(farm.host_map()), "GXCRAWL_ONLY_MAPPED": "1",
                "GXCRAWL_ARCHIVE": str(db)}
    if fast:   # the replicas answer in ~1 ms: no politeness delay needed on 127.0.0.1
        settings.update({"AUTOTHROTTLE_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "8"})
    return settings


def crawl_command(args: dict, settings: dict, feed: Optional[str | Path] = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portal"]
    for k, v in args.items():
        cmd += ["-a", f"{k}={v}"]
    for k, v in settings.items():
        cmd += ["-s", f"{k}={v}"]
    if feed:
        cmd += ["-O", str(feed)]
    return cmd


def run_crawl(farm: Farm, args: dict, db: str | Path, feed: Optional[str | Path] = None,
              settings: Optional[dict] = None, timeout: int = 240, fast: bool = True) -> subprocess.CompletedProcess:
    s = offline_settings(farm, db, fast=fast)
    s.update(settings or {})
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(crawl_command(args, s, feed), cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def fetch_count(db: str | Path) -> int:
    """Fetches the archive holds so far (0 while it cannot be read): read by a test while a
    crawl writes it."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("select count(*) from fetches").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def crawl_and_kill(farm: Farm, args: dict, db: str | Path, after_fetches: int,
                   settings: Optional[dict] = None, deadline: float = 90) -> int:
    """Start the crawl, kill -9 it once the archive holds `after_fetches` fetches (or when
    `deadline` seconds have passed); its exit status (-9 when killed)."""
    import signal
    import time
    s = offline_settings(farm, db)
    s.update(settings or {})
    env = dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(crawl_command(args, s), cwd=PROJECT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ends = time.time() + deadline
    try:
        while time.time() < ends and proc.poll() is None:
            if fetch_count(db) >= after_fetches:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
    return proc.returncode


def stored_reports(db: str | Path) -> list[dict]:
    conn = sqlite3.connect(str(db))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("select url, year, agency, is_report, needs_ocr, is_mirror, doc_kind, "
                                              "checks_failed from reports where is_report = 1")]
    finally:
        conn.close()


def stored_sightings(db: str | Path) -> list[dict]:
    """Mirror sightings (gxcrawl.archive.mirrors) as {url, year, official_url, official_year, …}."""
    conn = sqlite3.connect(str(db))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(
            "select mirror_url as url, year, mirror_host, reason, official_url, official_year, match_score "
            "from mirror_sightings")]
    except sqlite3.OperationalError:      # an archive from before mirror sightings
        return []
    finally:
        conn.close()


@dataclass
class SiteResult:
    name: str
    expected: int
    found: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    wrong_year: list = field(default_factory=list)
    extra: list = field(default_factory=list)     # stored as reports but not true reports

    @property
    def ok(self) -> bool:
        return not self.missing and not self.wrong_year and not self.extra


def match_manifest(manifest: list, rows: list, result: "SiteResult") -> None:
    """Sort each true report into found / wrong_year / missing by the stored rows."""
    for m in manifest:
        hits = [r for r in rows if r["url"] in m["urls"]]
        if any(r["year"] == m["year"] for r in hits):
            result.found.append(m)
        elif hits:
            result.wrong_year.append((m, [r["year"] for r in hits]))
        else:
            result.missing.append(m)


def compare(farm: Farm, reports: list[dict], names: Optional[list[str]] = None,
            sightings: Optional[list[dict]] = None) -> dict[str, SiteResult]:
    """Per replica: which manifest reports were stored (url ∈ entry urls, same year). A mirror
    replica's reports must be mirror sightings (`sightings`), never reports: any report stored
    from a mirror host is `extra`."""
    out = {}
    for site in farm.sites:
        if names and site.name not in names:
            continue
        mine = [r for r in reports if urlsplit(r["url"]).hostname == site.host]
        if site.family == "mirror":
            result = SiteResult(site.name, len(site.manifest), extra=mine)
            seen = [r for r in sightings or [] if urlsplit(r["url"]).hostname == site.host]
            match_manifest(site.manifest, seen, result)
            out[site.name] = result
            continue
        result = SiteResult(site.name, len(site.manifest))
        true_urls = {u for m in site.manifest for u in m["urls"]}
        match_manifest(site.manifest, mine, result)
        result.extra = [r for r in mine if r["url"] not in true_urls]
        out[site.name] = result
    return out


def scrapy_stats(stderr: str) -> dict:
    """The stats dict Scrapy dumps at the end of a crawl (numbers only)."""
    m = re.search(r"Dumping Scrapy stats:\n(\{.*?\})\n", stderr, re.S)
    if not m:
        return {}
    stats = {}
    for key, value in re.findall(r"'([^']+)':\s*([\d.]+)[,}\n]", m.group(1)):
        stats[key] = float(value) if "." in value else int(value)
    return stats
