"""`gxcrawl schedule` prints the right cron entry / systemd units; `gxcrawl crawl` takes a
lock (two runs never overlap), writes a log per run and uses a JOBDIR."""
import json
import os
import sqlite3
import subprocess
import sys
import time

import pytest

from gxcrawl.cli.crawl import LOCKED_EXIT, acquire_lock
from gxcrawl.replicas import Farm
from gxcrawl.replicas.harness import PROJECT
from gxcrawl.cli.schedule import cron_expression, on_calendar


def gx(*args, cwd, wait=True):
    env = dict(os.environ, PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "gxcrawl", *args]
    if not wait:
        return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)


def test_printed_cron_entry(tmp_path):
    out = gx("schedule", "--city", "三明", "--province", "福建", "--every", "daily", "--print", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    line, = out.stdout.strip().splitlines()
    fields = line.split()
    assert fields[:5] == ["17", "3", "*", "*", "*"]
    assert f"cd {tmp_path}" in line
    assert "crawl --city 三明 --province 福建 --db archive/gxcrawl.db" in line.replace("'", "")
    assert ">> archive/logs/cron.log 2>&1" in line and "# gxcrawl-schedule gxcrawl-" in line
    weekly = gx("schedule", "--city", "三明", "--every", "0 3 * * 1", cwd=tmp_path).stdout
    assert weekly.startswith("0 3 * * 1 cd ")
    bad = gx("schedule", "--city", "三明", "--every", "sometimes", cwd=tmp_path)
    assert bad.returncode == 2 and "cron expression" in bad.stderr


def test_printed_systemd_units(tmp_path):
    out = gx("schedule", "--province", "福建", "--every", "weekly", "--systemd", "--name", "gx-fj", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "# gx-fj.service" in text and "# gx-fj.timer" in text
    assert f"WorkingDirectory={tmp_path}" in text
    assert "ExecStart=" in text and "crawl --province" in text
    assert "OnCalendar=Mon *-*-* 03:17:00" in text and "Persistent=true" in text
    assert "WantedBy=timers.target" in text and "SuccessExitStatus=75" in text


def test_calendar_translations():
    assert cron_expression("weekly") == "17 3 * * 1"
    assert on_calendar("0 3 * * 1") == "Mon *-*-* 03:00:00"
    assert on_calendar("30 2 1 * *") == "*-*-01 02:30:00"
    assert on_calendar("0 4 * * 1-5") == "Mon..Fri *-*-* 04:00:00"
    with pytest.raises(ValueError):
        cron_expression("0 3 * *")


def test_install_cron_with_a_fake_crontab(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    store = tmp_path / "crontab.txt"
    store.write_text("MAILTO=''\n5 * * * * echo other # gxcrawl-schedule gx-old-other\n")
    fake = bin_dir / "crontab"
    fake.write_text(f"#!/bin/sh\nif [ \"$1\" = \"-l\" ]; then cat {store}; else cat > {store}; fi\n")
    fake.chmod(0o755)
    env_path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    for _ in range(2):           # installing twice replaces the entry, never duplicates it
        out = subprocess.run([sys.executable, "-m", "gxcrawl", "schedule", "--city", "三明", "--install",
                              "--name", "gx-sm"], cwd=tmp_path, capture_output=True, text=True,
                             env=dict(os.environ, PATH=env_path,
                                      PYTHONPATH=str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", "")))
        assert out.returncode == 0, out.stderr
    lines = store.read_text().splitlines()
    assert lines[:2] == ["MAILTO=''", "5 * * * * echo other # gxcrawl-schedule gx-old-other"]
    assert len([l for l in lines if l.endswith("# gxcrawl-schedule gx-sm")]) == 1


def test_lock_refuses_a_second_run_and_wait_queues(tmp_path):
    lock = acquire_lock(tmp_path / "archive" / "gxcrawl.lock", wait=False)
    assert lock is not None
    try:
        out = gx("crawl", "--city", "三明", cwd=tmp_path)
        assert out.returncode == LOCKED_EXIT and "another crawl holds" in out.stderr
        assert acquire_lock(tmp_path / "archive" / "gxcrawl.lock", wait=False) is None   # flock, per open file
        waiting = gx("crawl", "--city", "三明", "--wait", "-s", "GXCRAWL_ONLY_MAPPED=1",
                     "-s", "GXCRAWL_HOST_MAP={}", cwd=tmp_path, wait=False)
        time.sleep(1.5)
        assert waiting.poll() is None                     # blocked on the lock
    finally:
        lock.close()
    waiting.wait(timeout=120)
    # it ran once the lock was free: nothing is mapped, so it reached no portal and says so
    err = waiting.stderr.read()
    assert waiting.returncode == 1 and "gxcrawl: no portal reached" in err, err[-2000:]


def test_two_crawls_at_once_one_refuses(tmp_path):
    """Two real `gxcrawl crawl` runs of the replica farm started together: one crawls, the
    other refuses at once; the crawl leaves a log file and a crawls row."""
    with Farm(include_shared=False) as farm:
        settings = ["-s", f"GXCRAWL_HOST_MAP={json.dumps(farm.host_map())}", "-s", "GXCRAWL_ONLY_MAPPED=1",
                    "-s", "AUTOTHROTTLE_ENABLED=0"]
        runs = [gx("crawl", "--city", "三明", *settings, cwd=tmp_path, wait=False) for _ in range(2)]
        for r in runs:
            r.wait(timeout=180)
    codes = sorted(r.returncode for r in runs)
    assert codes == [0, LOCKED_EXIT], [r.stderr.read()[-1500:] for r in runs]
    logs = list((tmp_path / "archive" / "logs").glob("crawl-*.log"))
    assert len(logs) == 1 and "Spider closed (finished)" in logs[0].read_text()
    assert list((tmp_path / "archive" / "jobs").iterdir())          # the JOBDIR of these targets
    conn = sqlite3.connect(tmp_path / "archive" / "gxcrawl.db")
    (status, reports), = conn.execute("select status, reports_new from crawls").fetchall()
    assert status == "finished" and reports > 50
