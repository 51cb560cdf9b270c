"""Benchmark incremental re-crawls and distributed workers over the replica farm.

    python bench/recrawl.py [--city 三明,永嘉,瑞金,晋安区]

Prints, from one run: first crawl vs re-crawl of the unchanged farm (requests, bytes,
wall time, and their ratios), and the throughput (reports per second of wall time,
process start included) of 1 worker vs 2 scrapy-redis workers on a local redis-server
(skipped with a reason when redis-server or scrapy-redis is missing).
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# this file's name would shadow Twisted's `incremental` package: drop bench/ from the path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--city", default="三明,永嘉,瑞金,晋安区")
    args = ap.parse_args(argv)
    from gxcrawl.replicas import Farm
    from gxcrawl.replicas.harness import PROJECT, crawl_command, offline_settings, run_crawl, scrapy_stats, \
        stored_reports
    cities = {"city": args.city}
    with Farm(include_shared=False) as farm, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "inc.db"
        runs = []
        for label in ("first crawl", "re-crawl"):
            t0 = time.time()
            proc = run_crawl(farm, cities, db, timeout=600)
            if proc.returncode:
                print(proc.stderr[-3000:])
                return 1
            st = scrapy_stats(proc.stderr)
            runs.append((label, st.get("downloader/request_count", 0), st.get("downloader/response_bytes", 0),
                         time.time() - t0, st))
        reports = len(stored_reports(db))
        print(f"Incremental ({args.city}; {reports} reports)")
        print(f"  {'':12} {'requests':>9} {'bytes':>11} {'wall s':>7}")
        for label, req, by, wall, _ in runs:
            print(f"  {label:12} {req:9} {by:11} {wall:7.1f}")
        (_, r1, b1, w1, s1), (_, r2, b2, w2, s2) = runs
        print(f"  re-crawl / first: requests {r2 / r1:.3f}  bytes {b2 / b1:.4f}  wall {w2 / w1:.2f}"
              f"   (first-crawl navigation requests {s1.get('gxcrawl/requests/navigation')}, "
              f"304s {s2.get('gxcrawl/incremental/not_modified', 0)}, report pages skipped "
              f"{s2.get('gxcrawl/incremental/skipped', 0)})")

        redis_server = shutil.which("redis-server")
        try:
            import scrapy_redis  # noqa: F401
        except ImportError:
            redis_server = None
        if not redis_server:
            print("Workers: skipped (needs redis-server and scrapy-redis)")
            return 0
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            env = dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
            result = {}
            for n in (1, 2):
                t0 = time.time()
                procs, dbs = [], []
                for k in range(n):
                    part = Path(tmp) / f"w{n}-{k}.db"
                    st = offline_settings(farm, part)
                    st.update({"GXCRAWL_REDIS_URL": f"redis://127.0.0.1:{port}/0", "GXCRAWL_CRAWL_ID": f"bench-{n}",
                               "CONCURRENT_REQUESTS": "4"})
                    procs.append(subprocess.Popen(crawl_command(cities, st), cwd=PROJECT, env=env,
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                    dbs.append(part)
                codes = [p.wait(timeout=600) for p in procs]
                wall = time.time() - t0
                got = [len(stored_reports(d)) for d in dbs]
                result[n] = (wall, sum(got), got, codes)
            print(f"Workers (scrapy-redis on 127.0.0.1:{port}, {os.cpu_count()} CPUs, replicas answer in ~1 ms)")
            for n, (wall, total, got, codes) in result.items():
                print(f"  {n} worker(s): {total} reports in {wall:.1f}s = {total / wall:.1f} reports/s  "
                      f"(per worker {got}, exit {codes})")
            print(f"  2 workers / 1 worker throughput: {(result[2][1] / result[2][0]) / (result[1][1] / result[1][0]):.2f}")
        finally:
            redis.terminate()
            redis.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
