"""The registry of known portal roots (data/portals.tsv): for a region code, the root
of its government's own portal, the other hosts it uses, and the source that makes it
certain. Reference data read by every layer: the spam check asks it which hosts are
official, the archive lists it in `portals`, the crawl starts from it.

>>> known_roots()["350400"].root
'http://www.sm.gov.cn/'
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from gxcrawl.data import DATA as DATA_DIR

DATA = DATA_DIR / "portals.tsv"


@dataclass(frozen=True)
class KnownRoot:
    code: str
    name: str
    root: str
    extra_hosts: tuple
    source: str


@lru_cache(maxsize=1)
def known_roots() -> dict[str, KnownRoot]:
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {r["code"]: KnownRoot(r["code"], r["name"], r["root"],
                                 tuple(h for h in (r.get("extra_hosts") or "").split(",") if h), r["source"])
            for r in rows}
