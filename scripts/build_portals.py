"""Build gxcrawl/data/portals.tsv — the portal registry — from the portal roots of 3,215
governments (../shared/reference/portal-roots/portal-roots.csv) and the roots seen in real
report pages (gxcrawl/data/portals_seen.tsv), joined to the 6-digit codes of
gxcrawl/data/regions.tsv.

    python3 scripts/build_portals.py                       # writes gxcrawl/data/portals.tsv
    python3 scripts/build_portals.py --check               # exit 1 when the committed file differs
    python3 scripts/build_portals.py --roots PATH --out PATH

The known errors of the source are handled by rule, never by row:

* a name is joined to its code within its province (and prefecture): 普陀区 of 上海市 and
  普陀区 of 舟山市 are two regions; a province-administered county (湖北省/仙桃市) is found
  by name inside its province; a county renamed since (无为县 → 无为市) by its name without
  the suffix, inside its prefecture;
* a root shared by a region and its parent (珲春市 given www.yanbian.gov.cn) belongs to the
  parent; a root shared by unrelated regions (上海's and 舟山's 普陀区) belongs to the one
  whose own budget-disclosure page lies on it, and to none when that does not decide;
* a region that lost its root this way gets the www. gov.cn host of its own budget-disclosure
  page, when no other region claims that host (珲春市 → www.hunchun.gov.cn);
* a row whose check answered only on the other scheme (``protocol-switch``) gets that scheme;
* a root seen in a real report URL (portals_seen.tsv) wins; rows with no URL are left out.

Every output row says in its `source` column where it came from and which rule made it.

>>> working_url("https://www.x.gov.cn/", "protocol-switch")
'http://www.x.gov.cn/'
>>> host_of("http://www.hunchun.gov.cn/zw_1910/czjyjsgk/")
'www.hunchun.gov.cn'
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from gxcrawl.regions import Region, Registry, load_registry, strip_suffix  # noqa: E402

ROOTS = HERE.parent / "shared" / "reference" / "portal-roots" / "portal-roots.csv"
SEEN = HERE / "gxcrawl" / "data" / "portals_seen.tsv"
OUT = HERE / "gxcrawl" / "data" / "portals.tsv"
COLUMNS = ("code", "name", "root", "extra_hosts", "access", "source")
ORIGIN = ("portal-roots.csv = ../shared/reference/portal-roots/portal-roots.csv, flattened from "
          "data/website-gov.ts, website-gov.xlsx and website-budget.ts of the public GitHub repository "
          "anyi-econ/china-public-debt (snapshot 9b01b30, reachability checked 2026-04-26 by its author)")


@dataclass(frozen=True)
class SourceRow:
    """One row of portal-roots.csv."""
    path: str               # 浙江省/嘉兴市/桐乡市
    province: str
    prefecture: str
    name: str
    level: str
    url: str                # the root as checked ('' when the source has none)
    access: str             # direct | protocol-switch | ua-mobile | none | ''
    checked_at: str
    budget_url: str


@dataclass(frozen=True)
class Entry:
    """A registry row under construction."""
    code: str
    name: str
    root: str
    access: str
    source: str
    budget_url: str = ""
    extra_hosts: str = ""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower() if url else ""


def working_url(url: str, access: str) -> str:
    """The root that answered the check: the other scheme for ``protocol-switch``."""
    if access == "protocol-switch":
        if url.startswith("https://"):
            return "http://" + url[len("https://"):]
        if url.startswith("http://"):
            return "https://" + url[len("http://"):]
    return url


def read_source(lines: Iterable[str]) -> list[SourceRow]:
    return [SourceRow(r["path"], r["province"], r["prefecture"], r["name"], r["level"], r["portal_url"].strip(),
                      r["access_method"].strip(), r["checked_at"].strip(), r["budget_disclosure_url"].strip())
            for r in csv.DictReader(lines)]


def read_seen(lines: Iterable[str]) -> list[dict]:
    return list(csv.DictReader((line for line in lines if not line.startswith("#")), delimiter="\t"))


# -- joining names to codes ------------------------------------------------------------

def province_code(code: str) -> str:
    return code[:2] + "0000"


def lineage(registry: Registry, region: Region) -> list[str]:
    """Codes of `region` and every region above it: the registry's parents, and the
    province and prefecture its code spells (a province-administered county's parent
    429000 is no region of the registry, its province 420000 is)."""
    codes = [region.code] + [a.code for a in registry.ancestors(region)]
    for code in (region.code[:4] + "00", province_code(region.code)):
        if code in registry.by_code and code not in codes:
            codes.append(code)
    return codes


def join_code(row: SourceRow, registry: Registry) -> tuple[Optional[Region], str]:
    """(region, how) for a source row: by its name inside its province and prefecture;
    else by its name without the suffix inside its prefecture (a county renamed since).

    >>> reg = load_registry()
    >>> [join_code(SourceRow("x", p, f, "普陀区", "county", "", "", "", ""), reg)[0].code
    ...  for p, f in (("上海市", ""), ("浙江省", "舟山市"))]
    ['310107', '330903']
    """
    provinces = [r for r in registry.find(row.province) if r.level == "province"]
    if not provinces:
        return None, f"province {row.province} not in the region registry"
    province = provinces[0]
    if row.level == "province":
        return province, "name"
    prefecture = None
    if row.prefecture and row.level == "county":
        found = [r for r in registry.find(row.prefecture)
                 if r.level == "prefecture" and province.code in lineage(registry, r)]
        prefecture = found[0] if len(found) == 1 else None

    def inside(candidates: list[Region]) -> list[Region]:
        found = [r for r in candidates if r.level != "province" and province.code in lineage(registry, r)]
        # a province-administered county (湖北省/仙桃市) is listed as a prefecture by the source
        same_level = [r for r in found if r.level == row.level] or found
        if prefecture is not None and len(same_level) > 1:
            same_level = [r for r in same_level if prefecture.code in lineage(registry, r)]
        return same_level

    by_name = inside(registry.find(row.name))
    if len(by_name) == 1:
        region = by_name[0]
        if region.level != row.level:
            return region, f"name within the province ({region.level} in the region registry)"
        return region, "name"
    if len(by_name) > 1:
        return None, "several regions of that name in the province: " + ", ".join(r.code for r in by_name)
    if prefecture is not None:
        short = strip_suffix(row.name)
        renamed = [r for r in registry.children(prefecture) if strip_suffix(r.name) == short and r.level == row.level]
        if len(renamed) == 1:
            return renamed[0], f"renamed: {renamed[0].name} in the region registry"
    return None, "no region of that name in the region registry"


# -- the rules on shared roots -----------------------------------------------------------

def source_note(row: SourceRow) -> str:
    return f"portal-roots.csv {row.path} ({row.access or 'unchecked'} {row.checked_at})".replace(" )", ")")


def settle_shared_roots(entries: list[Entry], registry: Registry) -> tuple[list[Entry], list[str]]:
    """A root several regions share goes to the highest of them when the others lie under it;
    between unrelated regions, to the one whose budget-disclosure page is on that host (to none
    when that does not decide). A region left without a root gets its budget page's www.
    gov.cn host when nobody else claims it; otherwise it leaves the registry (noted)."""
    by_host: dict[str, list[Entry]] = {}
    for e in entries:
        by_host.setdefault(host_of(e.root), []).append(e)
    losers: dict[str, str] = {}              # code → why it lost its root
    for host, group in by_host.items():
        if len(group) < 2:
            continue
        codes = {e.code for e in group}
        top = [e for e in group
               if all(e.code in lineage(registry, registry.by_code[o.code]) for o in group if o is not e)]
        if top:
            for e in group:
                if e is not top[0]:
                    losers[e.code] = f"{host} is the root of its parent {top[0].name} ({top[0].code})"
            continue
        on_host = [e for e in group if host_of(e.budget_url) == host]
        keeper = on_host[0] if len(on_host) == 1 else None
        for e in group:
            if e is not keeper:
                others = ", ".join(sorted(codes - {e.code}))
                losers[e.code] = (f"{host} shared with {others}, whose budget page is on it" if keeper
                                  else f"{host} shared with {others}, undecided")
    claimed = {host_of(e.root) for e in entries if e.code not in losers}
    out, notes = [], []
    for e in entries:
        if e.code not in losers:
            out.append(e)
            continue
        fallback = host_of(e.budget_url)
        if fallback.startswith("www.") and fallback.endswith(".gov.cn") and fallback not in claimed:
            scheme = urlsplit(e.budget_url).scheme or "http"
            claimed.add(fallback)
            out.append(replace(e, root=f"{scheme}://{fallback}/", access="",
                               source=f"{e.source}: budget_disclosure_url host, because {losers[e.code]}"))
        else:
            notes.append(f"{e.code} {e.name}: root {host_of(e.root)} dropped, {losers[e.code]}")
    return out, notes


def apply_seen(entries: list[Entry], seen: list[dict], registry: Registry) -> list[Entry]:
    """A root seen in a real report URL wins; the source then names both."""
    by_code = {e.code: e for e in entries}
    for row in seen:
        code = row["code"]
        if code not in registry.by_code:
            continue
        old = by_code.get(code)
        source = row["source"]
        if old is not None:
            agrees = host_of(old.root) == host_of(row["root"])
            source += f"; {old.source}" if agrees else f"; {old.source} gives {old.root}"
        by_code[code] = Entry(code, registry.by_code[code].name, row["root"], old.access if old else "", source,
                              old.budget_url if old else "", row.get("extra_hosts") or "")
    return sorted(by_code.values(), key=lambda e: e.code)


def build(source: list[SourceRow], seen: list[dict], registry: Registry) -> tuple[list[Entry], list[str]]:
    """(registry rows, notes on the source rows left out)."""
    entries, notes, taken = [], [], {}
    for row in source:
        if not row.url:
            notes.append(f"{row.path}: no portal URL in the source")
            continue
        region, how = join_code(row, registry)
        if region is None:
            notes.append(f"{row.path}: not joined ({how})")
            continue
        if region.code in taken:
            notes.append(f"{row.path}: {region.code} already given by {taken[region.code]}")
            continue
        taken[region.code] = row.path
        source_text = source_note(row) + ("" if how == "name" else f", {how}")
        if row.access == "protocol-switch":
            source_text += ", scheme switched"
        entries.append(Entry(region.code, region.name, working_url(row.url, row.access), row.access,
                             source_text, row.budget_url))
    entries, dropped = settle_shared_roots(entries, registry)
    return apply_seen(entries, seen, registry), notes + dropped


def render(entries: list[Entry], notes: list[str]) -> str:
    out = io.StringIO()
    out.write("# The portal registry: the root of each government's own portal, by region code.\n"
              "# Generated by scripts/build_portals.py — edit gxcrawl/data/portals_seen.tsv or the script, not this file.\n"
              f"# Sources: {ORIGIN}; portals_seen.tsv = roots seen in real report pages (../shared/samples, seeds).\n"
              "# access: how the root answered the source's check (direct, protocol-switch, ua-mobile, none = a JS "
              "challenge or no answer).\n"
              "# A root is a hint until the site identifies itself (the crawl records that in the archive's `portals`).\n")
    for note in notes:
        out.write(f"# left out: {note}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow([e.code, e.name, e.root, e.extra_hosts, e.access, e.source])
    return out.getvalue()


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--roots", type=Path, default=ROOTS, help=f"portal-roots.csv (default {ROOTS})")
    ap.add_argument("--seen", type=Path, default=SEEN)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = ap.parse_args(argv)
    if not args.roots.exists():
        print(f"build_portals: {args.roots} not found (it is in ../shared/reference/portal-roots/)", file=sys.stderr)
        return 2
    with args.roots.open(encoding="utf-8") as fh:
        source = read_source(fh)
    with args.seen.open(encoding="utf-8") as fh:
        seen = read_seen(fh)
    entries, notes = build(source, seen, load_registry())
    text = render(entries, notes)
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs from what the script builds'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(entries)} roots; {len(notes)} source rows left out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
