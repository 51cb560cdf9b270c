"""Peak memory (RSS) of real crawls: the fault host alone, and the whole replica farm with it.

    python bench/memory.py [--timeout 3]

Each crawl runs as `scrapy crawl portal` in its own child of a small wrapper process, so
`ru_maxrss` of the wrapper's children is exactly that crawl's peak. The farm runs here, on
127.0.0.1, and is stopped at the end.
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

from gxcrawl.replicas import Farm  # noqa: E402
from gxcrawl.replicas.faults import FaultSite  # noqa: E402
from gxcrawl.replicas.harness import crawl_command, offline_settings, stored_reports  # noqa: E402

WRAPPER = ("import json, resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True); "
           "print(json.dumps({'rc': p.returncode, 'maxrss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))")


def peak_crawl(farm: Farm, args: dict, db: Path, extra: dict) -> dict:
    settings = offline_settings(farm, db)
    settings.update(extra)
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", WRAPPER, *crawl_command(args, settings)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = time.monotonic() - started
    result["reports"] = len(stored_reports(db))
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", default="3", help="DOWNLOAD_TIMEOUT for the crawls (the fault host stalls 8 s)")
    opts = ap.parse_args()
    extra = {"DOWNLOAD_TIMEOUT": opts.timeout, "GXCRAWL_BROWSER": "0"}
    with tempfile.TemporaryDirectory(prefix="gxcrawl-bench-mem-") as tmp:
        rows = []
        site = FaultSite()
        with Farm(sites=[site]) as farm:
            rows.append(("fault host", peak_crawl(farm, {"url": f"http://{site.host}/"}, Path(tmp) / "faults.db", extra)))
            site.stop.set()
        with Farm(faults=True) as farm:
            urls = ",".join(f"http://{s.host}/" for s in farm.sites)
            rows.append((f"whole farm ({len(farm.sites)} hosts)",
                         peak_crawl(farm, {"url": urls}, Path(tmp) / "farm.db", extra)))
            for s in farm.sites:
                if isinstance(s, FaultSite):
                    s.stop.set()
    print(f"{'crawl':28} {'peak RSS':>10} {'time':>8} {'reports':>8}  rc")
    for name, r in rows:
        print(f"{name:28} {r['maxrss_kib'] / 1024:8.0f} MiB {r['seconds']:7.1f}s {r['reports']:8d}  {r['rc']}")
    return 0 if all(r["rc"] == 0 for _, r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
