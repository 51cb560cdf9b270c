"""`gxcrawl demo`: start the replica portals on 127.0.0.1, crawl them with the real
`portal` spider into the demo archive, and print what was found.

Works offline and without the shared/ material (the replicas generate their content;
the three real PDFs are added when ../shared is present). The demo writes only its own
archive (default archive/demo.db, never the archive real crawls use; its `crawls` rows
are marked `demo`) and its log (archive/logs/demo-<time>.log, beside the archive). It
prints a progress line and the summary; `-v` prints the Scrapy log instead of writing it.

>>> log_path("archive/demo.db", "20261204T200000").as_posix()
'archive/logs/demo-20261204T200000.log'
"""
from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
import time
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parents[2]      # the directory holding scrapy.cfg
DEFAULT_DB = "archive/demo.db"
#: seconds between progress lines when stderr is no terminal (a terminal gets one updated line)
PROGRESS_EVERY = 15
#: rows of the per-portal table at most (the last sums the portals beyond)
MAX_TABLE_ROWS = 16


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gxcrawl demo", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default=DEFAULT_DB,
                    help=f"the demo's own archive (default: {DEFAULT_DB}; its log goes to logs/ beside it)")
    ap.add_argument("--no-browser", action="store_true", help="do not use Chromium for JS challenges")
    ap.add_argument("--polite", action="store_true", help="keep AutoThrottle on (slower; real-portal settings)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print the Scrapy log (default: a progress line and the summary; the log goes to a file)")
    return ap


def log_path(db: str, stamp: str) -> Path:
    """Where the quiet demo writes the Scrapy log: logs/ beside the archive."""
    return Path(db).parent / "logs" / f"demo-{stamp}.log"


def logging_settings(verbose: bool, log_file: Path) -> dict:
    """Scrapy's log settings: the log on stderr with -v, else in `log_file`. Handlers
    installed before (the `logging.basicConfig` of `gxcrawl`) are removed: Scrapy sets the
    root logger to NOTSET, and any other root handler would print every DEBUG line."""
    for handler in list(logging.root.handlers):
        logging.root.removeHandler(handler)
    out = {"LOG_ENABLED": True, "LOG_INSTALL_ROOT_HANDLER": True, "LOG_LEVEL": "INFO"}
    if not verbose:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        out.update(LOG_FILE=str(log_file), LOG_FILE_APPEND=False)
    return out


def crawl_args(farm) -> dict:
    """Registry names for the portals the registry knows (gxcrawl/data/portals.tsv), plain urls for the rest."""
    by_city = {"sanming": "三明", "yongjia": "永嘉", "jinan": "晋安区", "jiaocheng": "蕉城", "ruijin": "瑞金"}
    cities = [by_city[s.name] for s in farm.sites if s.name in by_city]
    urls = [f"http://{s.host}/" for s in farm.sites if s.name not in by_city and s.name != "decoy"]
    return {"city": ",".join(cities), "url": ",".join(urls)}


def run_crawl_in_process(farm, db: str, browser: bool, polite: bool, verbose: bool,
                         log_file: Optional[Path] = None) -> dict:
    """Crawl the farm into `db` in this process; the crawl's stats, with its crawl id."""
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from spiders.portal import PortalSpider

    settings = Settings()
    settings.setmodule("gxcrawl.settings", priority="project")
    settings.set("GXCRAWL_HOST_MAP", farm.host_map())
    settings.set("GXCRAWL_ONLY_MAPPED", True)
    settings.set("GXCRAWL_ARCHIVE", db)
    settings.set("GXCRAWL_DEMO", True)
    for key, value in logging_settings(verbose, log_file or log_path(db, time.strftime("%Y%m%dT%H%M%S"))).items():
        settings.set(key, value)
    if not browser:
        settings.set("GXCRAWL_BROWSER", False)
        settings.set("DOWNLOAD_HANDLERS", {})
    if not polite:
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    started = time.time()
    last = [0.0]

    def progress(final: bool = False):
        st = crawler.stats
        line = (f"\r  {time.time() - started:5.1f}s  pages {st.get_value('response_received_count', 0):4}"
                f"  reports {st.get_value('gxcrawl/reports', 0):4}  blocked {st.get_value('gxcrawl/blocked_final', 0):3}"
                f"  browser rounds {st.get_value('gxcrawl/browser/requests', 0)}")
        if sys.stderr.isatty():
            sys.stderr.write(line + ("\n" if final else ""))
        elif final or time.time() - last[0] >= PROGRESS_EVERY:
            last[0] = time.time()
            sys.stderr.write(line.strip("\r") + "\n")
        sys.stderr.flush()

    process.crawl(crawler, **crawl_args(farm))
    from twisted.internet import reactor, task   # the reactor Scrapy installed
    loop = task.LoopingCall(progress)
    if not verbose:
        last[0] = time.time()
        reactor.callWhenRunning(loop.start, 1.0, now=False)
    process.start()
    if loop.running:
        loop.stop()
    progress(final=True)
    return dict(crawler.stats.get_stats(), crawl_id=getattr(crawler, "_gxcrawl_crawl_id", None))


def this_run(conn, stats: dict) -> str:
    """What this run did (its `crawls` row), not what the archive holds."""
    row = conn.execute("select requests, not_modified, reports_new, reports_changed, reports_unchanged, "
                       "entries_skipped, status from crawls where crawl_id = ?", [stats.get("crawl_id")]).fetchone()
    if row is None:
        return f"This run: {stats.get('downloader/request_count', 0)} requests (no crawl row recorded)"
    requests, not_modified, new, changed, unchanged, skipped, status = (v or 0 for v in row)
    return (f"This run ({status}): {requests} requests, {not_modified} answered 304 Not Modified; reports "
            f"{new} new, {changed} changed, {unchanged} unchanged; {skipped} list entries skipped as known")


def archive_holds(conn, reports: list, mirrors: int) -> str:
    """What the archive holds after all its runs."""
    crawls = conn.execute("select count(*) from crawls").fetchone()[0]
    return (f"The archive holds: {len(reports)} reports and {mirrors} mirror copies, from {crawls} "
            f"crawl{'s' if crawls != 1 else ''} (all marked demo)")


def summary(farm, db: str, stats: dict, log_file: Optional[Path] = None) -> str:
    from gxcrawl.replicas.harness import compare, stored_reports, stored_sightings
    conn = sqlite3.connect(db)
    reports = stored_reports(db)
    sightings = stored_sightings(db)
    years = list(range(2015, 2025))
    lines = ["", "Reports in the archive (a mirror's: copies seen), per portal and year:",
             f"  {'portal':24}" + "".join(f"{y:>6}" for y in years) + "   total  found/true"]
    results = compare(farm, reports, sightings=sightings)
    rows = []
    for site in farm.sites:
        if not site.manifest and site.name == "decoy":
            continue
        # a mirror's copies are found as sightings, never stored as reports
        mine = [r for r in (sightings if site.family == "mirror" else reports)
                if urlsplit(r["url"]).hostname == site.host]
        res = results[site.name]
        rows.append((site.host, [sum(1 for r in mine if r["year"] == y) for y in years], len(mine),
                     len(res.found), res.expected))
    if len(rows) > MAX_TABLE_ROWS:        # the summary stays short however many replicas there are
        rest = rows[MAX_TABLE_ROWS - 1:]
        rows = rows[:MAX_TABLE_ROWS - 1] + [(f"({len(rest)} more portals)", [sum(c) for c in zip(*(r[1] for r in rest))],
                                              sum(r[2] for r in rest), sum(r[3] for r in rest), sum(r[4] for r in rest))]
    for host, counts, total, found_, expected in rows:
        lines.append(f"  {host:24}" + "".join(f"{c or '.':>6}" for c in counts)
                     + f"  {total:6}  {found_:5}/{expected}")
    failed = conn.execute("select count(*) from reports where is_report = 1 and checks_failed > 0").fetchone()[0]
    by_check = conn.execute("select name, count(*) from checks where ok = 0 group by name order by 2 desc limit 5").fetchall()
    blocked = conn.execute("select blocked_reason, count(*) from fetches where blocked_reason is not null "
                           "group by blocked_reason").fetchall()
    errors = conn.execute("select count(*) from fetches where status >= 400 and blocked_reason is null").fetchone()[0]
    mirrors, linked = conn.execute(
        "select count(*), count(official_url) from mirror_sightings").fetchone()
    ocr = conn.execute("select count(*) from reports where is_report = 1 and needs_ocr = 1").fetchone()[0]
    requests, found = stats.get("downloader/request_count", 0), len(reports) + mirrors
    logged_errors = stats.get("log_count/ERROR", 0)
    lines += ["", this_run(conn, stats) + f" ({requests / max(1, found):.2f} requests per report found)",
              archive_holds(conn, reports, mirrors),
              f"Reports with failed checks: {failed}" + (
                  "  (" + ", ".join(f"{n}: {c}" for n, c in by_check) + ")" if by_check else ""),
              f"Spam-mirror sightings (not stored as reports): {mirrors}, {linked} linked to the "
              f"official report   image-only, need OCR: {ocr}",
              "Blocked pages recorded: " + (", ".join(f"{r}: {c}" for r, c in blocked) if blocked else "none") +
              f"   (browser rounds: {stats.get('gxcrawl/browser/requests', 0)}, cookies won: "
              f"{stats.get('gxcrawl/browser/cookies_won', 0)})",
              f"HTTP errors recorded (404/500 traps): {errors}"]
    if log_file is not None:
        lines.append(f"Scrapy log: {log_file}" + (f"  ({logged_errors} error{'s' if logged_errors != 1 else ''} logged)" if logged_errors else ""))
    lines += ["", f"Archive: {db}  (demo data: local replicas under real portal URLs, not the real web)",
              f"Open it:  gxcrawl serve --db {db}    (Datasette on http://127.0.0.1:8001/)"]
    conn.close()
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    from gxcrawl.replicas import Farm
    import shutil
    browser = not args.no_browser and bool(shutil.which("chromium") or shutil.which("chromium-browser"))
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    log_file = None if args.verbose else log_path(args.db, time.strftime("%Y%m%dT%H%M%S"))
    with Farm() as farm:
        print(f"gxcrawl demo: {len(farm.sites)} replica portals on {farm.proxy_url} (127.0.0.1 only; "
              f"demo data, not the real web)" + ("" if browser else
                                                 "; no Chromium: the 412-challenge portal will be blocked"))
        print("Crawling them with `scrapy crawl portal` …", flush=True)
        stats = run_crawl_in_process(farm, args.db, browser, args.polite, args.verbose, log_file)
        print(summary(farm, args.db, stats, log_file))
    return 0


if __name__ == "__main__":
    sys.exit(main())
