"""Benchmark the portal spider over the whole replica farm.

    python bench/crawl.py            # real spider, then a plain Scrapy crawl of the same pages

Prints requests per report found (goal ≤ 1.5), pages/s and peak memory of the real
crawl, and the same for a plain Scrapy spider fetching exactly the requests the real
crawl made (same settings, no discovery, no parsing, no archive), with the ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def plain_worker(requests_file: str, host_map: str) -> None:
    """Runs in a subprocess: fetch the listed requests, nothing else."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    reqs = json.loads(Path(requests_file).read_text())

    class PlainSpider(scrapy.Spider):
        name = "plain"

        async def start(self):
            for r in reqs:
                if r["method"] == "POST":
                    yield scrapy.FormRequest(r["url"], formdata=r["form"], callback=self.noop, dont_filter=True)
                else:
                    yield scrapy.Request(r["url"], callback=self.noop, dont_filter=True,
                                         headers={"Referer": r["referer"]} if r["referer"] else None)

        def noop(self, response):
            return None

    settings = Settings()
    settings.setmodule("gxcrawl.settings", priority="project")
    settings.setdict({"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "DOWNLOAD_HANDLERS": {}, "GXCRAWL_BROWSER": False,
                      "DOWNLOADER_MIDDLEWARES": {"gxcrawl.crawl.middlewares.HostMapMiddleware": 740},
                      "GXCRAWL_HOST_MAP": json.loads(host_map), "ROBOTSTXT_OBEY": False, "RETRY_ENABLED": False,
                      "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "LOG_LEVEL": "INFO"},
                     priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(PlainSpider)
    process.start()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plain-worker", nargs=2, metavar=("REQUESTS_JSON", "HOST_MAP"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.plain_worker:
        plain_worker(*args.plain_worker)
        return 0
    from gxcrawl.cli.demo import crawl_args
    from gxcrawl.replicas import Farm
    from gxcrawl.replicas.harness import compare, run_crawl, scrapy_stats, stored_reports, stored_sightings

    with Farm() as farm, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t0 = time.time()
        proc = run_crawl(farm, crawl_args(farm), db, timeout=600)
        real_wall = time.time() - t0
        if proc.returncode:
            print(proc.stderr[-3000:])
            return 1
        real = scrapy_stats(proc.stderr)
        reports = stored_reports(db)
        sightings = stored_sightings(db)        # a mirror's copies are found as sightings
        results = compare(farm, reports, sightings=sightings)
        true_total = sum(r.expected for r in results.values())
        found = sum(len(r.found) for r in results.values())
        farm_requests = list(farm.log)
        reqs = [{"method": r["method"], "url": f"http://{r['host']}{r['path']}" + (f"?{r['query']}" if r["query"] else ""),
                 "form": r.get("form") or {}, "referer": r.get("referer", "")}
                for r in farm_requests if r["host"] in farm.by_host]
        req_file = Path(tmp) / "requests.json"
        req_file.write_text(json.dumps(reqs))
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        t0 = time.time()
        plain_proc = subprocess.run([sys.executable, __file__, "--plain-worker", str(req_file),
                                     json.dumps(farm.host_map())], cwd=ROOT, env=env, capture_output=True, text=True,
                                    timeout=600)
        plain_wall = time.time() - t0
        plain = scrapy_stats(plain_proc.stderr)
        if plain_proc.returncode or not plain:
            print(plain_proc.stderr[-3000:])
            print("the plain Scrapy crawl failed: no ratio")
            return 1

    def rate(stats):
        return stats.get("response_received_count", 0) / max(stats.get("elapsed_time_seconds", 0.0), 1e-9)

    n_req = real.get("downloader/request_count", 0)
    mb = 1024 * 1024
    print(f"replica farm: {len(farm.sites)} portals, {true_total} true reports; found {found} "
          f"({found / true_total:.0%}): {len(reports)} stored as reports, {len(sightings)} mirror copies "
          f"stored as sightings")
    print(f"{'':28}{'gxcrawl portal':>16}{'plain scrapy':>16}{'ratio':>8}")
    rows = [
        ("requests", n_req, plain.get("downloader/request_count", 0)),
        ("responses", real.get("response_received_count", 0), plain.get("response_received_count", 0)),
        ("crawl time (s)", real.get("elapsed_time_seconds", 0.0), plain.get("elapsed_time_seconds", 0.0)),
        ("wall time incl. start (s)", real_wall, plain_wall),
        ("pages/s", rate(real), rate(plain)),
        ("peak memory (MiB)", real.get("memusage/max", 0) / mb, plain.get("memusage/max", 0) / mb),
    ]
    for name, a, b in rows:
        ratio = f"{a / b:7.2f}x" if b else "      -"
        print(f"{name:28}{a:16.2f}{b:16.2f}{ratio:>8}")
    per_report = n_req / max(found, 1)
    print(f"requests per report found: {per_report:.2f} (goal <= 1.5) {'OK' if per_report <= 1.5 else 'OVER'}")
    print("note: the plain crawl replays the same requests without discovery, parsing, archive or browser "
          "(challenge pages stay 412 there).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
