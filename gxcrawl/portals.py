"""The registry of known portal roots (data/portals.tsv, built by scripts/build_portals.py
from the portal roots of 3,215 governments and the roots seen in real report pages): for a
region code, the root of its government's own portal, the other hosts it uses, how the root
answered the source's reachability check, and where the row comes from. Reference data read
by every layer: the spam check asks it which hosts are official, the archive lists it in
`portals`, the crawl starts from it. A root is a hint until the site identifies itself.

>>> known_roots()["350400"].root
'http://www.sm.gov.cn/'
>>> known_roots()["330483"].root, known_roots()["330483"].source.split(" (")[0]
('https://www.tx.gov.cn/', 'portal-roots.csv 浙江省/嘉兴市/桐乡市')
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
    access: str = ""        # direct | protocol-switch | ua-mobile | none (a JS challenge or no answer) | ''


@lru_cache(maxsize=1)
def known_roots() -> dict[str, KnownRoot]:
    with DATA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    return {r["code"]: KnownRoot(r["code"], r["name"], r["root"],
                                 tuple(h for h in (r.get("extra_hosts") or "").split(",") if h), r["source"],
                                 r.get("access") or "")
            for r in rows}
