"""`gxcrawl crosscheck` as a user reads it: the summary first, a header, the failures; --json."""
import json
import os
import subprocess
import sys

from archive_build import ROOT, built_archive


def crosscheck(*args):
    db, _ = built_archive()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "crosscheck", "--db", str(db), *args], capture_output=True,
                       text=True, env=env, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_summary_line_then_header_then_failures():
    lines = crosscheck().splitlines()
    data = json.loads(crosscheck("--json"))
    summary, failures = data["summary"], data["failures"]
    run = sum(v for k, v in summary.items() if not k.endswith("_failed"))
    assert lines[0].startswith(f"cross-year checks: {len(failures)} of {run} fail (")
    assert lines[1].split("\t")[:6] == ["kind", "issuer", "agency", "prev_year", "year", "item"]
    assert len(lines) == 2 + len(failures)
    first = lines[2].split("\t")
    assert first[0] == failures[0]["kind"] and first[1] == failures[0]["issuer"]
    assert all(not f["ok"] for f in failures)
