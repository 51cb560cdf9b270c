"""The archive the signal tests share: the whole replica farm crawled twice by the real
spider, the portal changed in between as portals do — 明溪县 takes two reports back
(gxcrawl.replicas.planted.WITHDRAW: one page deleted, one only unlisted) and corrects one
(a new version). Built once per test session; `planted_site()` is the replica's truth.
"""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from gxcrawl.replicas import Farm
from gxcrawl.replicas.admin import edit_report, remove_report
from gxcrawl.replicas.harness import run_crawl

#: the report corrected between the crawls (a second version: --all-versions)
CORRECTED = ("明溪县教育局", 2020)


def planted_site(farm: Farm):
    return farm.site("mingxi")


@functools.lru_cache(maxsize=1)
def crawled_twice() -> tuple[Path, dict]:
    """(archive path, {"manifest": the farm's manifest, "corrected": url, "crawls": [stdout tails]})."""
    from gxcrawl.archive import Archive
    from gxcrawl.archive.derived import refresh
    from gxcrawl.cli.demo import crawl_args
    db = Path(tempfile.mkdtemp(prefix="gxcrawl-signals-")) / "gxcrawl.db"
    info: dict = {"crawls": []}
    with Farm() as farm:
        args = crawl_args(farm)
        for n in (1, 2):
            if n == 2:
                site = planted_site(farm)
                for m in site.manifest:
                    if m.get("withdraw"):
                        remove_report(site, m["url"], keep_page=m["withdraw"] == "unlisted")
                    if (m["agency"], m["year"]) == CORRECTED:
                        edit_report(site, m["url"], list_date=f"{m['year'] + 1}-01-30")
                        info["corrected"] = m["url"]
            r = run_crawl(farm, args, db, settings={"GXCRAWL_CRAWL_ID": f"crawl-{n}"}, timeout=900)
            if r.returncode != 0:
                raise RuntimeError(f"crawl {n} failed: {r.stderr[-3000:]}")
            info["crawls"].append(r.stderr[-2000:])
        info["manifest"] = farm.manifest()
    archive = Archive(db)
    refresh(archive.db)
    archive.db.execute("pragma wal_checkpoint(TRUNCATE)")
    archive.close()
    print(f"\n[signals_build] replica farm crawled twice into {db}")
    return db, info
