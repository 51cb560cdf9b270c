"""`gxcrawl demo`: start the replica portals on 127.0.0.1, crawl them with the real
`portal` spider into an archive, and print what was found.

Works offline and without the shared/ material (the replicas generate their content;
the three real PDFs are added when ../shared is present).
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

PROJECT = Path(__file__).resolve().parents[2]      # the directory holding scrapy.cfg


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gxcrawl demo", description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", default="archive/gxcrawl.db", help="archive file (default: archive/gxcrawl.db)")
    ap.add_argument("--no-browser", action="store_true", help="do not use Chromium for JS challenges")
    ap.add_argument("--polite", action="store_true", help="keep AutoThrottle on (slower; real-portal settings)")
    ap.add_argument("--verbose", "-v", action="store_true", help="show the Scrapy log")
    return ap


def crawl_args(farm) -> dict:
    """Registry names for portals the registry knows, pinyin candidates for two more, plain urls for the rest."""
    by_city = {"sanming": "三明", "yongjia": "永嘉", "jinan": "晋安区", "jiaocheng": "蕉城", "ruijin": "瑞金"}
    cities = [by_city[s.name] for s in farm.sites if s.name in by_city]
    urls = [f"http://{s.host}/" for s in farm.sites if s.name not in by_city and s.name != "decoy"]
    return {"city": ",".join(cities), "url": ",".join(urls)}


def run_crawl_in_process(farm, db: str, browser: bool, polite: bool, verbose: bool) -> dict:
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
    settings.set("LOG_LEVEL", "INFO" if verbose else "ERROR")
    settings.set("LOG_INSTALL_ROOT_HANDLER", verbose)
    if not browser:
        settings.set("GXCRAWL_BROWSER", False)
        settings.set("DOWNLOAD_HANDLERS", {})
    if not polite:
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PortalSpider)
    started = time.time()

    def progress():
        st = crawler.stats
        line = (f"\r  {time.time() - started:5.1f}s  pages {st.get_value('response_received_count', 0):4}"
                f"  reports {st.get_value('gxcrawl/reports', 0):4}  blocked {st.get_value('gxcrawl/blocked_final', 0):3}"
                f"  browser rounds {st.get_value('gxcrawl/browser/requests', 0)}")
        if sys.stderr.isatty():
            sys.stderr.write(line)
        elif int(time.time() - started) % 3 == 0:
            sys.stderr.write(line.strip("\r") + "\n")
        sys.stderr.flush()

    process.crawl(crawler, **crawl_args(farm))
    from twisted.internet import reactor, task   # the reactor Scrapy installed
    loop = task.LoopingCall(progress)
    if not verbose:
        reactor.callWhenRunning(loop.start, 0.5)
    process.start()
    if loop.running:
        loop.stop()
    progress()
    sys.stderr.write("\n")
    return dict(crawler.stats.get_stats())


def summary(farm, db: str, stats: dict) -> str:
    from gxcrawl.replicas.harness import compare, stored_reports, stored_sightings
    conn = sqlite3.connect(db)
    reports = stored_reports(db)
    sightings = stored_sightings(db)
    years = list(range(2015, 2025))
    lines = ["", "Reports archived (a mirror's: copies seen), per portal and year:",
             f"  {'portal':24}" + "".join(f"{y:>6}" for y in years) + "   total  found/true"]
    results = compare(farm, reports, sightings=sightings)
    for site in farm.sites:
        if not site.manifest and site.name == "decoy":
            continue
        # a mirror's copies are found as sightings, never stored as reports
        mine = [r for r in (sightings if site.family == "mirror" else reports)
                if urlsplit(r["url"]).hostname == site.host]
        counts = [sum(1 for r in mine if r["year"] == y) for y in years]
        res = results[site.name]
        lines.append(f"  {site.host:24}" + "".join(f"{c or '.':>6}" for c in counts)
                     + f"  {len(mine):6}  {len(res.found):5}/{res.expected}")
    failed = conn.execute("select count(*) from reports where is_report = 1 and checks_failed > 0").fetchone()[0]
    by_check = conn.execute("select name, count(*) from checks where ok = 0 group by name order by 2 desc limit 5").fetchall()
    blocked = conn.execute("select blocked_reason, count(*) from fetches where blocked_reason is not null "
                           "group by blocked_reason").fetchall()
    errors = conn.execute("select count(*) from fetches where status >= 400 and blocked_reason is null").fetchone()[0]
    mirrors, linked = conn.execute(
        "select count(*), count(official_url) from mirror_sightings").fetchone()
    ocr = conn.execute("select count(*) from reports where is_report = 1 and needs_ocr = 1").fetchone()[0]
    requests, found = stats.get("downloader/request_count", 0), len(reports) + mirrors
    lines += ["",
              f"Requests: {requests}  for {found} reports found: {len(reports)} archived + {mirrors} mirror "
              f"copies ({requests / max(1, found):.2f} requests per report found)",
              f"Reports with failed checks: {failed}" + (
                  "  (" + ", ".join(f"{n}: {c}" for n, c in by_check) + ")" if by_check else ""),
              f"Spam-mirror sightings (not stored as reports): {mirrors}, {linked} linked to the "
              f"official report   image-only, need OCR: {ocr}",
              "Blocked pages recorded: " + (", ".join(f"{r}: {c}" for r, c in blocked) if blocked else "none") +
              f"   (browser rounds: {stats.get('gxcrawl/browser/requests', 0)}, cookies won: "
              f"{stats.get('gxcrawl/browser/cookies_won', 0)})",
              f"HTTP errors recorded (404/500 traps): {errors}",
              "", f"Archive: {db}", f"Open it:  gxcrawl serve --db {db}    (Datasette on http://127.0.0.1:8001/)", ""]
    conn.close()
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    from gxcrawl.replicas import Farm
    import shutil
    browser = not args.no_browser and bool(shutil.which("chromium") or shutil.which("chromium-browser"))
    Path(args.db).parent.mkdir(parents=True, exist_ok=True)
    with Farm() as farm:
        print(f"Replica portals on {farm.proxy_url} (127.0.0.1 only):")
        for s in farm.sites:
            print(f"  http://{s.host + '/':26} {s.family:12} {len(s.manifest):3} true reports")
        if not browser:
            print("  (no Chromium: the 412-challenge portal will be recorded as blocked)")
        print("Crawling with `scrapy crawl portal` …")
        stats = run_crawl_in_process(farm, args.db, browser, args.polite, args.verbose)
        print(summary(farm, args.db, stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
