"""`gxcrawl portals NAME…` — the portal each name resolves to, as `-a city=` resolves it.

One line per region a name can mean (tab-separated): code, name, province, root, source.
A region without a registry root shows its pinyin candidate roots and `pinyin guess`; an
unknown name prints the closest names on stderr and makes the exit status 1.

    $ gxcrawl portals 桐乡
    330483	桐乡市	浙江省	https://www.tx.gov.cn/	portal-roots.csv 浙江省/嘉兴市/桐乡市 (direct 2026-04-26)
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Optional

from gxcrawl.crawl.targets import Portal, PortalLookupError, portals_named, province_name
from gxcrawl.regions import load_registry


def portal_row(portal: Portal) -> dict:
    """What one line says about a portal.

    >>> from gxcrawl.crawl.targets import city_portal
    >>> portal_row(city_portal("350400"))["root"]
    'http://www.sm.gov.cn/'
    """
    region = load_registry().by_code[portal.code]
    return {"code": portal.code, "name": portal.name, "province": province_name(region),
            "root": " ".join(portal.roots or portal.candidates), "source": portal.source,
            "access": portal.access}


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="gxcrawl portals", description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="+", metavar="NAME", help="name, short name, pinyin or 6-digit code")
    ap.add_argument("--json", action="store_true", help="one JSON object per match")
    args = ap.parse_args(argv)
    status = 0
    for name in args.names:
        try:
            portals = portals_named(name)
        except PortalLookupError as exc:
            print(f"gxcrawl portals: {exc}", file=sys.stderr)
            status = 1
            continue
        for portal in portals:
            row = portal_row(portal)
            if args.json:
                print(json.dumps({"query": name, **row}, ensure_ascii=False))
            else:
                print("\t".join(row[k] for k in ("code", "name", "province", "root", "source")))
    return status
