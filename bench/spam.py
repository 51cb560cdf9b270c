"""Benchmark: time of gxcrawl.spam.analyze_spam vs the time to parse the same pages.

Pages: the shared seeds and sample texts (when ../shared exists) plus a synthetic report,
each wrapped in a portal-like HTML page (navigation, link lists, <style>, scripts, a
metadata table) of realistic size.  The parse time is gxcrawl.parse_report when that
exists, else lxml parsing + main-text extraction.  Goal: spam checking < 20 % of parsing.

    python bench/spam.py [--repeat N]
"""
from __future__ import annotations

import argparse
import html as htmllib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from lxml import etree  # noqa: E402

from gxcrawl.spam import analyze_spam  # noqa: E402
from gxcrawl.spam.hidden import parse_html  # noqa: E402

SYNTHETIC = ("2019年,全市各级行政机关坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻新修订的"
             "《中华人民共和国政府信息公开条例》,主动公开政府信息331282条;受理政府信息公开申请5756件。"
             "如对报告内容有疑问,请与市人民政府办公室联系(地址:鹿城区绣山路321号;邮编:325009;"
             "电话:0577-88963796)。\n") * 40


def texts() -> list[tuple[str, str | None, str]]:
    out = [("synthetic", "http://www.wenzhou.gov.cn/art/2020/3/5/art_1229_1.html", SYNTHETIC)]
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        out.append((path.name[:3], None, path.read_text(encoding="utf-8")))
    for path in sorted((SHARED / "samples" / "pages").glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        out.append((page["id"], page["url"], page["text"]))
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


def parse_baseline(html: str, url: str | None):
    """gxcrawl.parse_report when available, else lxml + text extraction."""
    try:
        import gxcrawl
        return gxcrawl.parse_report(html.encode("utf-8"), url=url)
    except (ImportError, AttributeError, ModuleNotFoundError):
        root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(no_network=True))
        for bad in root.xpath("//script|//style"):
            bad.getparent().remove(bad)
        blocks = root.xpath("//p|//td|//li|//h1|//h2|//div[not(div|p)]")
        return "\n".join(" ".join("".join(b.itertext()).split()) for b in blocks)


def timed(func, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best.append(time.perf_counter() - t0)
    return statistics.median(best)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    analyze_spam("预热", None, "<html></html>")           # load lexicon, registry, tables
    baseline = "gxcrawl.parse_report"
    try:
        import gxcrawl.report  # noqa: F401
    except ImportError:
        baseline = "lxml parse + text extraction"
    totals = {"parse": 0.0, "spam": 0.0, "spam_root": 0.0, "spam_text": 0.0}
    rows = []
    for name, url, text in texts():
        html = portal_html(text)
        root = parse_html(html)          # what report.py already has: its parsed tree
        t = {"parse": timed(lambda: parse_baseline(html, url), args.repeat),
             "spam": timed(lambda: analyze_spam(text, url, html=html), args.repeat),
             "spam_root": timed(lambda: analyze_spam(text, url, html=root), args.repeat),
             "spam_text": timed(lambda: analyze_spam(text, url), args.repeat)}
        for key in totals:
            totals[key] += t[key]
        rows.append((name, len(html), len(text), t))
    print(f"baseline: {baseline}; median of {args.repeat} runs per page")
    print(f"{'page':>10} {'html':>7} {'text':>6} {'parse ms':>9} {'spam ms':>8} {'+root':>6} {'text':>6} {'ratio':>6}")
    for name, hl, tl, t in rows:
        print(f"{name:>10} {hl:>7} {tl:>6} {t['parse']*1000:>9.2f} {t['spam']*1000:>8.2f} "
              f"{t['spam_root']*1000:>6.2f} {t['spam_text']*1000:>6.2f} {t['spam']/t['parse']:>6.1%}")
    p = totals["parse"]
    print(f"TOTAL {len(rows)} pages: parse {p*1000:.1f} ms; analyze_spam with html str "
          f"{totals['spam']*1000:.1f} ms = {totals['spam']/p:.1%}, with the parsed tree "
          f"{totals['spam_root']*1000:.1f} ms = {totals['spam_root']/p:.1%}, text only "
          f"{totals['spam_text']*1000:.1f} ms = {totals['spam_text']/p:.1%} (goal < 20%)")


if __name__ == "__main__":
    main()
