"""`gxcrawl crawl`: a thin wrapper over `scrapy crawl portal` for scheduled runs.

    gxcrawl crawl --city 三明 --province 福建 [--years 2019-2024] [--db archive/gxcrawl.db]
                  [--jobdir DIR] [--wait] [-s NAME=VALUE …]
    gxcrawl crawl --redis redis://127.0.0.1:6379/0 --workers 2 --city 三明   (distributed)

It takes an exclusive lock (flock on ``<archive dir>/gxcrawl.lock``) so two runs never
overlap — a second run refuses (exit status 75) or, with ``--wait``, waits for the
first — writes the whole Scrapy log to ``<archive dir>/logs/crawl-<time>.log``, and runs
``scrapy crawl portal`` with a JOBDIR (default ``<archive dir>/jobs/<targets>``) so that a
run killed by a reboot resumes next time. Exit status: Scrapy's.

With ``--redis URL --workers N`` it starts N worker processes on one Redis frontier,
each writing ``<db>.worker-K.db``, then merges them into the archive (gxcrawl.archive.merge).
"""
from __future__ import annotations

import argparse
import errno
import fcntl
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import gxcrawl.crawl  # noqa: F401  (the crawl's tables, e.g. `entries`, merge by their own rule)

PROJECT = Path(__file__).resolve().parents[2]      # the directory holding scrapy.cfg
LOCKED_EXIT = 75          # EX_TEMPFAIL: another run holds the lock


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gxcrawl crawl", description=__doc__.split("\n\n")[0])
    ap.add_argument("--city", action="append", default=[], help="city / county (name, alias, pinyin, code); repeatable")
    ap.add_argument("--province", action="append", default=[], help="province; repeatable")
    ap.add_argument("--url", action="append", default=[], help="portal root URL; repeatable")
    ap.add_argument("--years", help="e.g. 2019-2024")
    ap.add_argument("--db", default="archive/gxcrawl.db", help="archive (default archive/gxcrawl.db)")
    ap.add_argument("--jobdir", help="Scrapy JOBDIR (default <archive dir>/jobs/<targets>)")
    ap.add_argument("--lock", help="lock file (default <archive dir>/gxcrawl.lock)")
    ap.add_argument("--logs", help="log directory (default <archive dir>/logs)")
    ap.add_argument("--wait", action="store_true", help="wait for a running crawl instead of refusing")
    ap.add_argument("--redis", metavar="URL", help="distributed: Redis frontier (scrapy-redis)")
    ap.add_argument("--workers", type=int, default=1, help="with --redis: worker processes on this machine")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="Scrapy setting")
    return ap


def targets(args) -> dict:
    out = {}
    for key in ("city", "province", "url"):
        values = [v for item in getattr(args, key) for v in item.split(",") if v.strip()]
        if values:
            out[key] = ",".join(values)
    if args.years:
        out["years"] = args.years
    return out


def job_name(spider_args: dict) -> str:
    text = "&".join(f"{k}={v}" for k, v in sorted(spider_args.items()))
    return "portal-" + hashlib.sha1(text.encode()).hexdigest()[:12]


def acquire_lock(path: Path, wait: bool):
    """An open file holding an exclusive flock, or None if another run holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except OSError as exc:
        fh.close()
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return None
        raise
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n")
    fh.flush()
    return fh


def scrapy_command(spider_args: dict, settings: dict) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portal"]
    for k, v in spider_args.items():
        cmd += ["-a", f"{k}={v}"]
    for k, v in settings.items():
        cmd += ["-s", f"{k}={v}"]
    return cmd


def scrapy_env() -> dict:
    env = dict(os.environ)
    env.setdefault("SCRAPY_SETTINGS_MODULE", "gxcrawl.settings")
    env["PYTHONPATH"] = str(PROJECT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    spider_args = targets(args)
    if not {"city", "province", "url"} & set(spider_args):
        print("gxcrawl crawl: give --city, --province or --url", file=sys.stderr)
        return 2
    db = Path(args.db)
    home = db.parent
    lock_path = Path(args.lock) if args.lock else home / "gxcrawl.lock"
    lock = acquire_lock(lock_path, args.wait)
    if lock is None:
        print(f"gxcrawl crawl: another crawl holds {lock_path}; not starting (use --wait to queue)", file=sys.stderr)
        return LOCKED_EXIT
    stamp = time.strftime("%Y%m%dT%H%M%S")
    logs = Path(args.logs) if args.logs else home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"crawl-{stamp}-{os.getpid()}.log"
    settings = dict(s.split("=", 1) for s in args.set if "=" in s)
    settings.setdefault("GXCRAWL_ARCHIVE", str(db))
    settings.setdefault("GXCRAWL_CRAWL_ID", f"crawl-{stamp}-{os.getpid()}")
    settings["LOG_FILE"] = str(log_path)
    try:
        if args.redis:
            return run_workers(args, spider_args, settings, db)
        settings.setdefault("JOBDIR", args.jobdir or str(home / "jobs" / job_name(spider_args)))
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"# gxcrawl crawl {' '.join(sys.argv[1:] if argv is None else argv)}\n")
        proc = subprocess.run(scrapy_command(spider_args, settings), env=scrapy_env())
        print(f"gxcrawl crawl: exit {proc.returncode}, log {log_path}", file=sys.stderr)
        return proc.returncode
    finally:
        lock.close()


def run_workers(args, spider_args: dict, settings: dict, db: Path) -> int:
    """N scrapy-redis workers on this machine, each with its own archive, then a merge."""
    from gxcrawl.archive.merge import merge_archives
    settings["GXCRAWL_REDIS_URL"] = args.redis
    procs, parts = [], []
    for k in range(1, max(1, args.workers) + 1):
        part = db.with_name(f"{db.stem}.worker-{k}{db.suffix}")
        for suffix in ("", "-wal", "-shm"):
            Path(str(part) + suffix).unlink(missing_ok=True)
        if db.exists():        # incremental state: every worker starts from the merged archive
            from gxcrawl.archive.merge import copy_archive
            copy_archive(db, part)
        worker = dict(settings, GXCRAWL_ARCHIVE=str(part), LOG_FILE=f"{settings['LOG_FILE'][:-4]}.worker-{k}.log")
        procs.append(subprocess.Popen(scrapy_command(spider_args, worker), env=scrapy_env()))
        parts.append(part)
    codes = [p.wait() for p in procs]
    stats = merge_archives(db, parts)
    print(f"gxcrawl crawl: workers exit {codes}, merged {stats}", file=sys.stderr)
    for part in parts:
        for suffix in ("", "-wal", "-shm"):
            Path(str(part) + suffix).unlink(missing_ok=True)
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
