"""National scale, simulated: the real spider over the scale farm (gxcrawl.replicas.scale).

    python bench/scale.py                      # N = 100, 300, 1000; then 1/2/4 Redis workers
    python bench/scale.py --full               # N = 3000 too
    python bench/scale.py --sizes 50 --workers-n 50 --delay 1     # a quick run

Part 1, one process, polite: every host gets CONCURRENT_REQUESTS_PER_DOMAIN (2) requests
at a time, one request every DOWNLOAD_DELAY seconds (--delay), no AutoThrottle, and the farm
answers each page after 100–400 ms (slow portals 4×). The politeness bound is the longest
single portal's time: (its requests − 1) × delay + its latency. For each N the table shows
the crawl time against that bound, requests per report found, reports per minute, peak RSS
of the crawl process and its growth per portal over the smallest N, CPU seconds per report
(the crawl and its children), archive size per report, SQLite write seconds per report
(gxcrawl/sqlite_seconds), the most requests one host had in flight (the farm counts), pages
asked twice, and whether every portal finished.

Part 2, scrapy-redis workers on a real redis-server (skipped with a reason without one):
1, 2 and 4 workers over the --workers-n farm, latency-bound: each worker may have
--worker-concurrency requests in flight in all (CONCURRENT_REQUESTS; no delay), so one
worker waits on latency, not on CPU, and k workers could go k× as fast. Speed-up of each
against one worker, the report set against one worker's, pages asked twice.

Each crawl runs as `scrapy crawl portal` in a child of a small wrapper, so `ru_maxrss` and
the CPU times of the wrapper's children are that crawl's. The farm runs in this process.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from gxcrawl.replicas.harness import PROJECT, compare, crawl_command, scrapy_stats, stored_reports  # noqa: E402
from gxcrawl.replicas.scale import ScaleFarm  # noqa: E402

PARSE_PROCESSES = 1
WRAPPER = ("import json, resource, subprocess, sys; err = open(sys.argv[1], 'w'); "
           "p = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err); "
           "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
           "print(json.dumps({'rc': p.returncode, 'maxrss_kib': u.ru_maxrss, 'cpu': u.ru_utime + u.ru_stime}))")


def settings_for(farm: ScaleFarm, db: Path, **extra) -> dict:
    settings = {"GXCRAWL_HOST_MAP": json.dumps(farm.host_map()), "GXCRAWL_ONLY_MAPPED": "1",
                "GXCRAWL_ARCHIVE": str(db), "GXCRAWL_BROWSER": "0", "AUTOTHROTTLE_ENABLED": "0",
                "DOWNLOAD_DELAY_JITTER": "0", "LOG_LEVEL": "INFO", "GXCRAWL_PARSE_PROCESSES": str(PARSE_PROCESSES)}
    settings.update({k: str(v) for k, v in extra.items()})
    return settings


def launch(farm: ScaleFarm, db: Path, tmp: Path, settings: dict) -> tuple[subprocess.Popen, Path]:
    roots = tmp / "roots.txt"
    if not roots.exists():
        roots.write_text("\n".join(farm.roots()), encoding="utf-8")
    err = db.with_suffix(".log")
    env = dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-c", WRAPPER, str(err), *crawl_command({"url": f"@{roots}"}, settings)]
    return subprocess.Popen(cmd, cwd=PROJECT, env=env, stdout=subprocess.PIPE, text=True), err


def finish(proc: subprocess.Popen, err: Path, timeout: float) -> dict:
    try:
        out, _ = proc.communicate(timeout=timeout)
        result = json.loads(out.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:      # the crawl is stopped (its child with the wrapper)
        subprocess.run(["pkill", "-TERM", "-P", str(proc.pid)], check=False)
        proc.communicate(timeout=60)
        result = {"rc": "timeout", "maxrss_kib": 0, "cpu": 0.0}
    result["stderr"] = err.read_text(encoding="utf-8", errors="replace")
    result["stats"] = scrapy_stats(result["stderr"])
    return result


def bound(farm: ScaleFarm, delay: float) -> float:
    """The politeness bound: the longest single portal's (requests − 1) × delay + latency."""
    return max((farm.requests[h] - 1) * delay + farm.mean_latency(h) for h in farm.requests)


def archive_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))


def finished(farm: ScaleFarm, reports: list[dict]) -> tuple[int, int]:
    """Portals done: every true report stored (a failing portal: asked at all)."""
    results = compare(farm, reports)
    done = sum(1 for p in farm.portals
               if (results[p.name].ok and len(results[p.name].found) == len(p.manifest))
               and (not p.failing or farm.requests[p.host]))
    return done, sum(len(r.found) for r in results.values())


def one_size(n: int, args, tmp: Path) -> dict:
    with ScaleFarm(n, latency=args.latency) as farm:
        db = tmp / f"n{n}.db"
        extra = {"JOBDIR": str(tmp / f"job{n}")} if args.jobdir else {}
        settings = settings_for(farm, db, DOWNLOAD_DELAY=args.delay, CONCURRENT_REQUESTS=args.concurrency,
                                CONCURRENT_REQUESTS_PER_DOMAIN=args.per_host, **extra, **dict(args.set))
        t0 = time.time()
        proc, err = launch(farm, db, tmp, settings)
        run = finish(proc, err, timeout=args.timeout)
        wall = time.time() - t0
        reports = stored_reports(db)
        done, found = finished(farm, reports)
        st = run["stats"]
        row = {"n": n, "rc": run["rc"], "wall": wall, "crawl": st.get("elapsed_time_seconds", wall),
               "bound": bound(farm, args.delay), "requests": st.get("downloader/request_count", 0),
               "found": found, "true": sum(len(p.manifest) for p in farm.portals), "rss_kib": run["maxrss_kib"],
               "cpu": run["cpu"], "archive": archive_bytes(db), "sqlite": st.get("gxcrawl/sqlite_seconds", 0.0),
               "inflight": max(farm.max_in_flight.values() or [0]), "twice": len(farm.repeats()),
               "done": done, "offsite": len(farm.offsite)}
    if run["rc"]:
        print(run["stderr"][-3000:])
    return row


def print_table(rows: list[dict], args) -> None:
    base = rows[0]
    print(f"Part 1 — one process, {args.per_host} requests per host at a time, DOWNLOAD_DELAY {args.delay} s, "
          f"latency {args.latency[0]}–{args.latency[1]} s, CONCURRENT_REQUESTS {args.concurrency}, "
          f"parse processes {PARSE_PROCESSES}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    head = (f"{'N':>5} {'crawl s':>8} {'bound s':>8} {'ratio':>6} {'req/rep':>7} {'rep/min':>8} {'RSS MiB':>8} "
            f"{'KB/portal':>9} {'CPU ms/rep':>10} {'KiB/rep':>8} {'SQL ms/rep':>10} {'inflight':>8} {'twice':>5} "
            f"{'finished':>10}")
    print(head)
    for r in rows:
        found = max(r["found"], 1)
        growth = ((r["rss_kib"] - base["rss_kib"]) / (r["n"] - base["n"]) * 1.024) if r["n"] > base["n"] else float("nan")
        print(f"{r['n']:5d} {r['crawl']:8.1f} {r['bound']:8.1f} {r['crawl'] / r['bound']:6.2f} "
              f"{r['requests'] / found:7.2f} {r['found'] / r['crawl'] * 60:8.0f} {r['rss_kib'] / 1024:8.0f} "
              f"{growth:9.1f} {r['cpu'] / found * 1000:10.1f} {r['archive'] / found / 1024:8.1f} "
              f"{r['sqlite'] / found * 1000:10.2f} {r['inflight']:8d} {r['twice']:5d} "
              f"{'yes' if r['done'] == r['n'] else 'NO'} {r['done']}/{r['n']}")
        if r["found"] != r["true"] or r["rc"] or r["offsite"]:
            print(f"      found {r['found']} of {r['true']} true reports; exit {r['rc']}; offsite {r['offsite']}")
    print("ratio = crawl time (Scrapy's elapsed_time_seconds) / bound (goal <= 1.3 at N = 1000); "
          "KB/portal = RSS growth over the first N (goal <= 50)")


def redis_server() -> tuple[subprocess.Popen | None, str]:
    exe = shutil.which("redis-server")
    try:
        import scrapy_redis  # noqa: F401
    except ImportError:
        return None, "scrapy-redis not installed"
    if not exe:
        return None, "redis-server not found (scripts/setup.sh installs it)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def worker_run(k: int, url: str, args, tmp: Path) -> dict:
    with ScaleFarm(args.workers_n, latency=args.latency) as farm:
        runs, t0 = [], time.time()
        dbs = [tmp / f"w{k}-{i}.db" for i in range(k)]
        for db in dbs:
            settings = settings_for(farm, db, GXCRAWL_REDIS_URL=url, GXCRAWL_CRAWL_ID=f"bench-scale-{k}-{t0:.0f}",
                                    CONCURRENT_REQUESTS=args.worker_concurrency, DOWNLOAD_DELAY=0,
                                    CONCURRENT_REQUESTS_PER_DOMAIN=args.per_host, **dict(args.set))
            runs.append(launch(farm, db, tmp, settings))
        results = [finish(p, e, timeout=args.timeout) for p, e in runs]
        wall = time.time() - t0
        reports = [r for db in dbs for r in stored_reports(db)]
        done, found = finished(farm, reports)
        return {"k": k, "wall": wall, "rc": [r["rc"] for r in results], "cpu": sum(r["cpu"] for r in results),
                "set": {(r["url"], r["year"]) for r in reports}, "stored": len(reports), "found": found,
                "twice": len(farm.repeats()), "inflight": max(farm.max_in_flight.values() or [0]), "done": done,
                "per_worker": [len(stored_reports(db)) for db in dbs]}


def workers(args, tmp: Path) -> None:
    server, url = redis_server()
    if server is None:
        print(f"Part 2 — workers: skipped ({url})")
        return
    try:
        rows = [worker_run(k, url, args, tmp) for k in args.workers]
    finally:
        server.terminate()
        server.wait(timeout=10)
    one = rows[0]
    print(f"Part 2 — scrapy-redis workers over N = {args.workers_n}, each CONCURRENT_REQUESTS "
          f"{args.worker_concurrency}, {args.per_host} per host, no delay, latency {args.latency[0]}–{args.latency[1]} s")
    print(f"{'workers':>7} {'wall s':>7} {'speed-up':>8} {'rep/min':>8} {'CPU s':>7} {'same set':>8} {'twice':>5} "
          f"{'inflight':>8} {'finished':>9}  per worker")
    for r in rows:
        print(f"{r['k']:7d} {r['wall']:7.1f} {one['wall'] / r['wall']:7.2f}x {r['found'] / r['wall'] * 60:8.0f} "
              f"{r['cpu']:7.1f} {'yes' if r['set'] == one['set'] else 'NO':>8} {r['twice']:5d} {r['inflight']:8d} "
              f"{r['done']:5d}/{args.workers_n}  {r['per_worker']} exit {r['rc']}")
    print("goals: 2 workers >= 1.8x, 4 >= 3x one worker; the same report set; nothing fetched twice "
          "(inflight: per worker limits add up — each worker keeps its own per-host slots)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,300,1000", help="farm sizes of part 1 (comma-separated)")
    ap.add_argument("--full", action="store_true", help="also N = 3000")
    ap.add_argument("--delay", type=float, default=5.0, help="DOWNLOAD_DELAY of part 1 (s)")
    ap.add_argument("--latency", default="0.1-0.4", help="farm latency LOW-HIGH (s)")
    ap.add_argument("--per-host", type=int, default=2, help="CONCURRENT_REQUESTS_PER_DOMAIN")
    ap.add_argument("--concurrency", type=int, default=4096, help="CONCURRENT_REQUESTS of part 1")
    ap.add_argument("--workers-n", type=int, default=1000, help="farm size of part 2 (0: skip part 2)")
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--worker-concurrency", type=int, default=8, help="CONCURRENT_REQUESTS of each worker")
    ap.add_argument("--parse-processes", type=int, default=1, help="GXCRAWL_PARSE_PROCESSES (0: parse inline)")
    ap.add_argument("--jobdir", action="store_true", help="part 1 with JOBDIR: the frontier on disk")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("-s", dest="set", action="append", default=[], type=lambda kv: tuple(kv.split("=", 1)),
                    help="NAME=VALUE: a further Scrapy setting for every crawl")
    args = ap.parse_args(argv)
    global PARSE_PROCESSES
    PARSE_PROCESSES = args.parse_processes
    low, _, high = args.latency.partition("-")
    args.latency = (float(low), float(high or low))
    args.workers = [int(k) for k in args.workers.split(",")]
    sizes = [int(n) for n in args.sizes.split(",") if n] + ([3000] if args.full else [])
    with tempfile.TemporaryDirectory(prefix="gxcrawl-bench-scale-") as tmpdir:
        tmp = Path(tmpdir)
        if sizes:
            rows = []
            for n in sizes:
                sub = tmp / f"size{n}"
                sub.mkdir()
                rows.append(one_size(n, args, sub))
            print_table(rows, args)
        if args.workers_n:
            sub = tmp / "workers"
            sub.mkdir()
            workers(args, sub)
    return 0


if __name__ == "__main__":
    sys.exit(main())
