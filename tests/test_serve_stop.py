"""`kill PID` of `gxcrawl serve` (SIGTERM) stops Datasette too and removes the serve's
temporary folder (issue 15)."""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from archive_build import ROOT, free_port


def children(pid: int) -> list[int]:
    """Pids whose parent is `pid` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sigterm_stops_datasette_and_removes_the_temp_folder(tmp_path):
    from gxcrawl.archive import Archive
    db = tmp_path / "empty.db"
    Archive(db).close()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-m", "gxcrawl", "serve", "--db", str(db), "--port", str(port)],
                            env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, proc.stderr.read().decode()[-2000:]
                time.sleep(0.3)
        (datasette,) = children(proc.pid)
        assert [p.name for p in tmp.iterdir()][0].startswith("gxcrawl-serve-")
        os.kill(proc.pid, signal.SIGTERM)              # what `kill PID` sends, to gxcrawl serve only
        proc.wait(timeout=30)
        deadline = time.time() + 10
        while alive(datasette) and time.time() < deadline:
            time.sleep(0.1)
        assert not alive(datasette)
        assert list(tmp.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
