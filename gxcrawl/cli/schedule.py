"""`gxcrawl schedule`: print or install a cron entry or a systemd user timer that runs
`gxcrawl crawl` (lock + log + JOBDIR) for a set of cities / provinces.

    gxcrawl schedule --city 三明 --province 福建 --every daily --print
    gxcrawl schedule --city 三明 --every weekly --install            # into the user's crontab
    gxcrawl schedule --province 福建 --every "0 3 * * 1" --install --systemd

``--every``: ``hourly``, ``daily`` (03:17), ``weekly`` (Monday 03:17), ``monthly`` (the
1st, 03:17) or a five-field cron expression. Runs happen in ``--dir`` (default: the
current directory), so the archive, logs (``archive/logs/``), jobs and lock stay there.
A run that finds the previous one still going refuses to start (flock), so slow runs
never pile up.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Optional

PRESETS = {"hourly": "17 * * * *", "daily": "17 3 * * *", "weekly": "17 3 * * 1", "monthly": "17 3 1 * *"}
SYSTEMD_PRESETS = {"hourly": "*-*-* *:17:00", "daily": "*-*-* 03:17:00", "weekly": "Mon *-*-* 03:17:00",
                   "monthly": "*-*-01 03:17:00"}
DOW = {"0": "Sun", "1": "Mon", "2": "Tue", "3": "Wed", "4": "Thu", "5": "Fri", "6": "Sat", "7": "Sun"}
MARK = "# gxcrawl-schedule"


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="gxcrawl schedule", description=__doc__.split("\n\n")[0])
    ap.add_argument("--city", action="append", default=[],
                    help="city / county to crawl (name, alias, pinyin, code); repeatable")
    ap.add_argument("--province", action="append", default=[], help="province to crawl; repeatable")
    ap.add_argument("--url", action="append", default=[], help="portal root URL to crawl; repeatable")
    ap.add_argument("--years", help="report years to crawl, e.g. 2019-2024 (default: all)")
    ap.add_argument("--every", default="daily", help="hourly | daily | weekly | monthly | 'M H DOM MON DOW'")
    ap.add_argument("--dir", default=None, help="working directory of the runs (default: current)")
    ap.add_argument("--db", default="archive/gxcrawl.db", help="archive of the runs (default archive/gxcrawl.db)")
    ap.add_argument("--systemd", action="store_true", help="a systemd user timer instead of cron")
    ap.add_argument("--name", help="unit / entry name (default from the targets)")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--print", action="store_true", help="print the entry / units (default)")
    mode.add_argument("--install", action="store_true", help="install it (crontab -l/-; ~/.config/systemd/user)")
    ap.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                    help="Scrapy setting passed to every run; repeatable")
    return ap


def cron_expression(every: str) -> str:
    expr = PRESETS.get(every, every).strip()
    fields = expr.split()
    if len(fields) != 5 or not all(re.fullmatch(r"[\d*/,\-A-Za-z]+", f) for f in fields):
        raise ValueError(f"--every: not hourly/daily/weekly/monthly nor a 5-field cron expression: {every!r}")
    return " ".join(fields)


def on_calendar(every: str) -> str:
    """systemd OnCalendar= for a preset or a simple cron expression (numbers, *, lists)."""
    if every in SYSTEMD_PRESETS:
        return SYSTEMD_PRESETS[every]
    minute, hour, dom, month, dow = cron_expression(every).split()
    if any("/" in f or "-" in f for f in (minute, hour, dom, month)):
        raise ValueError("--systemd: use a preset or a cron expression without ranges/steps")

    def part(f: str, width: int = 2) -> str:
        return "*" if f == "*" else ",".join(x.zfill(width) for x in f.split(","))
    days = ""
    if dow != "*":
        names = []
        for item in dow.split(","):
            if "-" in item:
                a, b = item.split("-")
                names.append(f"{DOW[a]}..{DOW[b]}")
            else:
                names.append(DOW[item])
        days = ",".join(names) + " "
    return f"{days}*-{part(month)}-{part(dom)} {part(hour)}:{part(minute)}:00"


def crawl_argv(args) -> list[str]:
    exe = shutil.which("gxcrawl")
    argv = [exe, "crawl"] if exe else [sys.executable, "-m", "gxcrawl", "crawl"]
    for key in ("city", "province", "url"):
        for value in getattr(args, key):
            argv += [f"--{key}", value]
    if args.years:
        argv += ["--years", args.years]
    argv += ["--db", args.db]
    for s in args.set:
        argv += ["-s", s]
    return argv


def entry_name(args) -> str:
    text = "|".join(args.city + args.province + args.url + [args.years or ""])
    return "gxcrawl-" + hashlib.sha1(text.encode()).hexdigest()[:8]


def cron_entry(args) -> str:
    workdir = str(Path(args.dir or os.getcwd()).resolve())
    cmd = " ".join(shlex.quote(a) for a in crawl_argv(args))
    # gxcrawl crawl takes the lock and writes archive/logs/crawl-*.log itself; cron's own
    # output (only the one-line summary or a refusal) goes to archive/logs/cron.log
    logs = shlex.quote(str(Path(args.db).parent / "logs"))
    name = args.name or entry_name(args)
    return (f"{cron_expression(args.every)} cd {shlex.quote(workdir)} && mkdir -p {logs} && "
            f"{cmd} >> {logs}/cron.log 2>&1 {MARK} {name}")


def systemd_units(args) -> dict[str, str]:
    workdir = str(Path(args.dir or os.getcwd()).resolve())
    name = args.name or entry_name(args)
    cmd = " ".join(shlex.quote(a) for a in crawl_argv(args))
    service = (f"[Unit]\nDescription=gxcrawl scheduled crawl ({name})\n\n"
               f"[Service]\nType=oneshot\nWorkingDirectory={workdir}\nExecStart={cmd}\n"
               f"# a run still going when the timer fires again: gxcrawl crawl refuses (flock), exit 75\n"
               f"SuccessExitStatus=75\n")
    timer = (f"[Unit]\nDescription=gxcrawl scheduled crawl ({name})\n\n"
             f"[Timer]\nOnCalendar={on_calendar(args.every)}\nPersistent=true\nRandomizedDelaySec=300\n\n"
             f"[Install]\nWantedBy=timers.target\n")
    return {f"{name}.service": service, f"{name}.timer": timer}


def install_cron(entry: str, name: str) -> None:
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    lines = [l for l in (current.stdout.splitlines() if current.returncode == 0 else [])
             if not l.endswith(f"{MARK} {name}")]
    lines.append(entry)
    subprocess.run(["crontab", "-"], input="\n".join(lines) + "\n", text=True, check=True)


def install_systemd(units: dict[str, str]) -> Path:
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "systemd" / "user"
    home.mkdir(parents=True, exist_ok=True)
    for fname, text in units.items():
        (home / fname).write_text(text, encoding="utf-8")
    timer = next(f for f in units if f.endswith(".timer"))
    if shutil.which("systemctl"):
        subprocess.run(["systemctl", "--user", "daemon-reload"], check=False)
        subprocess.run(["systemctl", "--user", "enable", "--now", timer], check=False)
    return home


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if not (args.city or args.province or args.url):
        print("gxcrawl schedule: give --city, --province or --url", file=sys.stderr)
        return 2
    try:
        if args.systemd:
            units = systemd_units(args)
            if args.install:
                where = install_systemd(units)
                print(f"installed {', '.join(units)} in {where}")
            else:
                for fname, text in units.items():
                    print(f"# {fname}\n{text}")
            return 0
        entry = cron_entry(args)
    except ValueError as exc:
        print(f"gxcrawl schedule: {exc}", file=sys.stderr)
        return 2
    if args.install:
        if not shutil.which("crontab"):
            print("gxcrawl schedule: no crontab command (install cron, or use --systemd)", file=sys.stderr)
            return 1
        install_cron(entry, args.name or entry_name(args))
        print(f"installed: {entry}")
    else:
        print(entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
