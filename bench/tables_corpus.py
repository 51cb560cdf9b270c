#!/usr/bin/env python3
"""Tables from degraded text: what the parser reads on the shared corpus and on held-out tables.

    python bench/tables_corpus.py

A measurement, not a test (tests/test_corpus_tables.py and tests/test_tables_solve.py test).

1. The corpus (../shared/samples/corpus), split in two: DEV, the texts the tokenizer and the
   solver were written from, and the rest (held out). Per half: texts whose table 三 the
   text holds, those read (本年新收 总计 not null), their cells read / null, failed
   accounting checks, and the prose figures compared with the tables.
2. Held out: the three shared PDFs' table text run together the way the corpus crawler
   stores it (cell separators and spaces removed), and again with every 0 cell left out
   (blanks dropped) — cells right / null / wrong against their expected.json (with blanks
   dropped, a 0 cell read as null is right: the capture printed it blank).
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "samples"

from gxcrawl import parse_report  # noqa: E402
from gxcrawl.parse.document import load_document  # noqa: E402
from gxcrawl.parse.report import document_lines  # noqa: E402

#: the corpus texts the glued-text tokenizer, the solver and the prose forms were written from
DEV = {"0006", "0007", "0010", "0011", "0017", "0018", "0022", "0024", "0033", "0034", "0036",
       "0037", "0038", "0039", "0040"}


def corpus():
    for path in sorted((SHARED / "corpus").glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        body = (item["title"] + "\n" + item["body"]) if item.get("prepend_title") else item["body"]
        yield item["id"], body, item.get("url")


def measure_corpus() -> None:
    halves = {"dev": [], "held-out": []}
    for item_id, body, url in corpus():
        report = parse_report(body.encode("utf-8"), url=url)
        halves["dev" if item_id in DEV else "held-out"].append((item_id, body, report))
    print(f"{'corpus half':10} {'texts':>5} {'t3 in text':>10} {'t3 read':>7} {'cells':>6} {'null':>5} "
          f"{'failed':>6} {'prose=table':>11} {'prose fills':>11}")
    for half, items in halves.items():
        has_t3 = [r for _, body, r in items if "本年新收" in body]
        read = [r for r in has_t3 if r.tables["t3"].get("new.total") is not None]
        cells = sum(len(r.tables["t3"]) for r in has_t3)
        null = sum(1 for r in has_t3 for v in r.tables["t3"].values() if v is None)
        failed = sum(len(r.failed_checks) for _, _, r in items)
        prose = [c for _, _, r in items for c in r.checks if c.kind == "prose"]
        fills = sum(1 for _, _, r in items if r.is_report and r.figures["requests_received"]["source"] == "prose")
        print(f"{half:10} {len(items):5} {len(has_t3):10} {len(read):7} {cells:6} {null:5} {failed:6} "
              f"{sum(c.ok for c in prose):>5}/{len(prose):<5} {fills:11}")


def glued_pdf_text(pdf: Path, drop_zeros: bool) -> str:
    text = "".join(document_lines(load_document(pdf.read_bytes())))
    if drop_zeros:
        text = re.sub(r"\|\s*0\s*(?=\||$)", "|", text)
    return re.sub(r"[\s|]+", "", text)


def measure_pdfs() -> None:
    print(f"\n{'held-out PDF table':28} {'cells':>5} {'right':>5} {'null':>5} {'wrong':>5} {'ms':>6}")
    totals = {}
    for pdf in sorted((SHARED / "pdf").glob("*.pdf")):
        expected = json.loads((pdf.parent / f"{pdf.stem}.expected.json").read_text(encoding="utf-8"))
        for mode, drop in (("run together", False), ("blanks dropped", True)):
            text = glued_pdf_text(pdf, drop)
            start = time.perf_counter()
            report = parse_report(text.encode("utf-8"))
            ms = (time.perf_counter() - start) * 1000
            for table in ("t3", "t4"):
                got = report.tables[table]
                exp = {k: v for k, v in expected[table].items()}
                right = sum(1 for k, v in exp.items() if got.get(k) == v and not (drop and v == 0))
                right_blank = sum(1 for k, v in exp.items() if drop and v == 0 and got.get(k) is None)
                null = sum(1 for k, v in exp.items() if got.get(k) is None and not (drop and v == 0))
                wrong = sum(1 for k, v in exp.items() if got.get(k) is not None and got.get(k) != v)
                key = (mode, table)
                t = totals.setdefault(key, [0, 0, 0, 0])
                for i, n in enumerate((len(exp), right + right_blank, null, wrong)):
                    t[i] += n
                print(f"{pdf.stem + ' ' + table + ' ' + mode:28} {len(exp):5} {right + right_blank:5} {null:5} "
                      f"{wrong:5} {ms:6.0f}")
    for (mode, table), (n, right, null, wrong) in totals.items():
        print(f"{'all ' + table + ' ' + mode:28} {n:5} {right:5} {null:5} {wrong:5}")


if __name__ == "__main__":
    if not SHARED.is_dir():
        sys.exit(f"shared samples not available at {SHARED}")
    measure_corpus()
    measure_pdfs()
