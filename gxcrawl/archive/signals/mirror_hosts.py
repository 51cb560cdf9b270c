"""Spam mirror hosts: every host seen copying government reports (`mirror_sightings`,
gxcrawl.archive.mirrors), with when it was first and last seen, the brands it injects
(the phrases it put in place of a place name or a template word, with what they
replaced), and the portals it copies — in the `mirror_hosts` table and as a list
(`gxcrawl export mirrors`).

>>> brands_of('[{"phrase": "365体育", "original": "永嘉县"}]', '["365体育", "365体育桥头镇人民政府"]')
['365体育']
>>> brands_of('[]', '["澳门金沙"]')
['澳门金沙']
"""
from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import urlsplit

from gxcrawl.archive.signals.tables import query_dicts, replace_rows

DDL = """
create table if not exists mirror_hosts (
    host text primary key,
    first_seen text, last_seen text,     -- the host's sightings (UTC)
    copies integer,                      -- reports seen copied (mirror URL and year)
    linked integer,                      -- of which matched to the official report archived
    brands text,                         -- JSON: the phrases it injects
    replaced text,                       -- JSON: what they replaced (place names, template words)
    portals text,                        -- JSON: the official hosts it copies
    years text                           -- JSON: the years of the reports it copies
)
"""


#: the columns of `gxcrawl export mirrors` (gxcrawl.archive.tabular types)
COLUMNS = (("host", "text"), ("first_seen", "text"), ("last_seen", "text"), ("copies", "integer"),
           ("linked", "integer"), ("brands", "text"), ("replaced", "text"), ("portals", "text"), ("years", "text"))


def _load(text) -> list:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def brands_of(replacements, phrases) -> list[str]:
    """The injected phrases of one sighting: the restored ones, else the phrases found."""
    restored = [r.get("phrase") for r in _load(replacements) if isinstance(r, dict) and r.get("phrase")]
    return sorted(set(restored or [p for p in _load(phrases) if isinstance(p, str)]))


def mirror_host_rows(db) -> list[dict]:
    hosts: dict[str, dict] = {}
    extra: dict[str, dict] = defaultdict(lambda: {"brands": set(), "replaced": set(), "portals": set(), "years": set()})
    for s in query_dicts(db, "select mirror_host, mirror_url, year, official_url, official_host, phrases, "
                             "replacements, first_seen, seen_at from mirror_sightings order by mirror_host"):
        host = s["mirror_host"] or (urlsplit(s["mirror_url"]).hostname or "")
        h = hosts.setdefault(host, {"host": host, "first_seen": s["first_seen"], "last_seen": s["seen_at"],
                                    "copies": 0, "linked": 0})
        h["first_seen"] = min(filter(None, [h["first_seen"], s["first_seen"]]), default=None)
        h["last_seen"] = max(filter(None, [h["last_seen"], s["seen_at"]]), default=None)
        h["copies"] += 1
        h["linked"] += bool(s["official_url"])
        x = extra[host]
        x["brands"].update(brands_of(s["replacements"], s["phrases"]))
        x["replaced"].update(r.get("original") for r in _load(s["replacements"])
                             if isinstance(r, dict) and r.get("original"))
        portal = urlsplit(s["official_url"]).hostname if s["official_url"] else s["official_host"]
        if portal:
            x["portals"].add(portal)
        if s["year"]:
            x["years"].add(s["year"])
    for host, h in hosts.items():
        for key, values in extra[host].items():
            h[key] = json.dumps(sorted(values), ensure_ascii=False)
    return list(hosts.values())


def run_mirror_hosts(db) -> dict:
    rows = mirror_host_rows(db)
    replace_rows(db, "mirror_hosts", DDL, rows)
    return {"hosts": len(rows)}
