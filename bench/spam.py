"""Benchmark: what the spam stage adds to the parse time of a page.

    python bench/spam.py [--repeat N] [--pages]

Each page is parsed with `gxcrawl.parse_report(body, url)` and with
`parse_report(body, url, spam=False)` (the same pipeline without the spam stage),
alternately, N times, with the garbage collector off during each timed run (as timeit
does); the best time of each is kept, so that a noisy machine slows both sides alike.  "adds" = (with − without) / without.  Goal: under 20 %.

Two corpora:
- report pages: the CMS-family fixtures of tests/fixtures/html padded with portal
  boilerplate to 100–200 KB (bench/parse.py's corpus: what a crawl mostly fetches);
- sample pages: ../shared seeds and labelled sample texts (official pages, copies and
  gambling mirrors; skipped without ../shared) plus a synthetic report, each wrapped in a
  ~30 KB portal page with 150 hidden drop-down menus, 80 friend links, <style> rules and
  scripts: small pages, where a fixed cost weighs most.

Also printed: the time of `analyze_spam` alone, on the text only and with the parsed
tree (the hidden-link pass), summed over all pages.
"""
from __future__ import annotations

import argparse
import gc
import html as htmllib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = ROOT.parent / "shared"
GOAL = 0.20

from gxcrawl.parse.document import load_document  # noqa: E402
from gxcrawl.parse.report import document_lines, parse_report  # noqa: E402
from gxcrawl.parse.spam import analyze_spam  # noqa: E402

SYNTHETIC = ("2019年,全市各级行政机关坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻新修订的"
             "《中华人民共和国政府信息公开条例》,主动公开政府信息331282条;受理政府信息公开申请5756件。"
             "如对报告内容有疑问,请与市人民政府办公室联系(地址:鹿城区绣山路321号;邮编:325009;"
             "电话:0577-88963796)。\n") * 40


def sample_texts() -> list[tuple[str, str | None, str]]:
    out = [("synthetic", "http://www.wenzhou.gov.cn/art/2020/3/5/art_1229_1.html", SYNTHETIC)]
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        out.append((f"seed {path.name[:3]}", None, path.read_text(encoding="utf-8")))
    for path in sorted((SHARED / "samples" / "pages").glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        out.append((f"page {page['id']}", page["url"], page["text"]))
    return out


def portal_html(text: str) -> str:
    """A portal-like page around `text`: ~300 navigation links, CSS, scripts, footer."""
    nav = "".join(f'<li class="menu"><a href="/col/col{i}/index.html">栏目{i}</a>'
                  f'<ul style="display:none"><li><a href="/col/col{i}0/index.html">子栏目</a></li></ul></li>'
                  for i in range(150))
    links = "".join(f'<li><a href="http://www{i}.example.gov.cn/">政府网站{i}</a></li>' for i in range(80))
    body = "".join(f"<p>{htmllib.escape(line)}</p>" for line in text.splitlines() if line.strip())
    meta = ('<table class="xxgk"><tr><td>索引号</td><td>001008003/2020-1</td></tr>'
            '<tr><td>发布机构</td><td>市政府办公室</td></tr></table>')
    script = ("<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
              "hm.src='https://hm.example.com/hm.js';var s=document.getElementsByTagName('script')[0];"
              "s.parentNode.insertBefore(hm,s);})();</script>")
    return (f"<html><head><meta charset='utf-8'><title>政府信息公开工作年度报告</title>"
            f"<meta name='SiteDomain' content='www.wenzhou.gov.cn'>"
            f"<style>.menu ul{{display:none}} .hide{{display:none}} body{{font-size:14px}}</style>"
            f"{script}</head><body><div id='nav'><ul>{nav}</ul></div>{meta}"
            f"<div class='TRS_Editor'>{body}</div><div class='links'><ul>{links}</ul></div>"
            f"<div class='footer'>版权所有 网站标识码3303000001</div>{script}</body></html>")


def corpora() -> dict[str, list[dict]]:
    from parse import html_corpus          # bench/parse.py
    reports = [{"name": p["name"], "url": p["url"], "body": p["body"], "headers": p.get("headers")}
               for p in html_corpus()]
    samples = [{"name": name, "url": url, "body": portal_html(text).encode("utf-8"), "headers": None}
               for name, url, text in sample_texts()]
    return {"report pages (100–200 KB)": reports, "sample pages (~30 KB)": samples}


def best_pair(page: dict, repeat: int) -> tuple[float, float]:
    """Best time with and without the spam stage, runs alternated; the garbage collector
    is off while a run is timed (as in timeit), and runs between them."""
    on = off = float("inf")
    for _ in range(repeat):
        for spam in (True, False):
            gc.collect()
            gc.disable()
            t0 = time.perf_counter()
            parse_report(page["body"], url=page["url"], headers=page["headers"], spam=spam)
            took = time.perf_counter() - t0
            gc.enable()
            if spam:
                on = min(on, took)
            else:
                off = min(off, took)
    return on, off


def best(func, repeat: int) -> float:
    out = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        t0 = time.perf_counter()
        func()
        out = min(out, time.perf_counter() - t0)
        gc.enable()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--pages", action="store_true", help="print every page")
    args = ap.parse_args(argv)
    groups = corpora()
    # one untimed round: what the first use of each path loads once per process (lexicon,
    # registry, town and pinyin tables, the name finders) is not charged to any page
    for page in (p for pages in groups.values() for p in pages):
        parse_report(page["body"], url=page["url"], headers=page["headers"])
    all_on = all_off = 0.0
    split = {"text only": 0.0, "with the tree": 0.0}
    print(f"best of {args.repeat} alternated runs per page; adds = (with − without) / without")
    for group, pages in groups.items():
        rows = []
        for page in pages:
            on, off = best_pair(page, args.repeat)
            rows.append((page["name"], len(page["body"]), on, off))
            doc = load_document(page["body"], headers=page["headers"], url=page["url"])
            text = "\n".join(document_lines(doc))
            split["text only"] += best(lambda: analyze_spam(text, page["url"], meta=doc.meta), args.repeat)
            split["with the tree"] += best(
                lambda: analyze_spam(text, page["url"], html=doc.tree, meta=doc.meta), args.repeat)
        on = sum(r[2] for r in rows)
        off = sum(r[3] for r in rows)
        all_on, all_off = all_on + on, all_off + off
        ratios = [(r[2] - r[3]) / r[3] for r in rows]
        worst = max(rows, key=lambda r: (r[2] - r[3]) / r[3])
        if args.pages:
            print(f"\n{'page':>28} {'bytes':>8} {'with ms':>8} {'without':>8} {'adds':>6}")
            for name, size, a, b in rows:
                print(f"{name[-28:]:>28} {size:>8} {a*1000:>8.2f} {b*1000:>8.2f} {(a-b)/b:>6.1%}")
        print(f"{group}: {len(rows)} pages, parse {off*1000:.1f} ms without the spam stage, "
              f"{on*1000:.1f} ms with it: adds {(on-off)/off:.1%} "
              f"(median page {statistics.median(ratios):.1%}, most {(worst[2]-worst[3])/worst[3]:.1%} "
              f"on {worst[0]})")
    total = (all_on - all_off) / all_off
    print(f"analyze_spam alone over all pages: text only {split['text only']*1000:.1f} ms, "
          f"with the parsed tree {split['with the tree']*1000:.1f} ms")
    print(f"ALL: the spam stage adds {total:.1%} to the parse time (goal < {GOAL:.0%}): "
          f"{'met' if total < GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
