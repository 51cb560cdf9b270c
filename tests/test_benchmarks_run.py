"""The benchmarks run to the end and print their figures (no speed is asserted here:
targets live in the benchmarks' own output).  Two of them once failed silently — a bench
module named like a dependency shadowed it, a canned query gained a parameter — so each is
run once, small, as a user would."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("script,args,expect", [
    ("bench/spam.py", ["--repeat", "1"], "ALL: the spam stage adds"),
    ("bench/parse.py", ["--repeat", "1"], "HTML gxcrawl.parse_report"),
    ("bench/archive.py", ["--reports", "300"], "slowest canned query"),
    ("bench/tables_corpus.py", [], "all t3 run together"),
    ("bench/crawl.py", [], "requests per report found"),
])
def test_benchmark_runs(script, args, expect):
    if script == "bench/tables_corpus.py" and not (ROOT.parent / "shared" / "samples").is_dir():
        pytest.skip("bench/tables_corpus.py reads ../shared/samples, not available here")
    proc = subprocess.run([sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True, timeout=900)
    print(proc.stdout[-2000:])
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert expect in proc.stdout
    if script == "bench/crawl.py":
        # the side-by-side plain Scrapy crawl really ran
        plain = next(line for line in proc.stdout.splitlines() if line.startswith("requests "))
        assert float(plain.split()[2]) > 0, plain
