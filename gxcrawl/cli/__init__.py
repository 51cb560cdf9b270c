"""The gxcrawl command line: thin wrappers over the library.

    gxcrawl parse FILE... [--url URL] [--json] [--archive DB]
    gxcrawl reparse [--db DB]
    gxcrawl index [--db DB]        (views, full-text indexes, cross-year checks, signals, panel)
    gxcrawl crosscheck [--db DB] [--json]   (cross-year checks: a summary line, then the failures)
    gxcrawl serve [--db DB] [--port N] [--host 127.0.0.1]
    gxcrawl export warc [--db DB] [-o FILE]
    gxcrawl export panel [--db DB] [-o panel.csv|panel.parquet|panel.jsonl] [--all-versions]
    gxcrawl export mirrors [--db DB] [-o mirror_hosts.csv|.parquet|.jsonl]
    gxcrawl demo [...]            (the offline demo crawl of the replica portals)
    gxcrawl crawl --city 三明 [...]   (scrapy crawl portal with a lock, a log file and a JOBDIR)
    gxcrawl schedule --city 三明 --every daily --print|--install [--systemd]
    gxcrawl merge OUT.db PART.db...  (merge per-worker archives of a distributed crawl)
    gxcrawl portals NAME...          (the portal root each name resolves to, as -a city= does)
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Optional

from gxcrawl import PARSER_VERSION
from gxcrawl.archive import DEFAULT_PATH, Archive
from gxcrawl.cli.inputs import InputError, expand, read_input, shown
from gxcrawl.parse.document import MAX_BODY_BYTES
from gxcrawl.parse.model import Report
from gxcrawl.parse.report import parse_report


#: what `gxcrawl export` writes, and where by default
EXPORT_DEFAULTS = {"warc": "archive/gxcrawl.archive.warc.gz", "panel": "archive/panel.csv",
                   "mirrors": "archive/mirror_hosts.csv"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gxcrawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"gxcrawl parser {PARSER_VERSION}")
    sub = parser.add_subparsers(dest="command", required=True)
    # the archive option of every command that reads or writes one
    archive = argparse.ArgumentParser(add_help=False)
    archive.add_argument("--db", default=str(DEFAULT_PATH), help=f"archive file (default {DEFAULT_PATH})")

    p = sub.add_parser("parse", help="parse report files (HTML, text, PDF, DOCX, DOC)")
    p.add_argument("files", nargs="+", metavar="FILE", help="files to parse ('-' for stdin)")
    p.add_argument("--url", help="the URL the file was fetched from (helps year, region, spam checks)")
    p.add_argument("--json", action="store_true", help="print one JSON object per input (JSON Lines)")
    p.add_argument("--archive", metavar="DB", help="also store raw bytes and parsed reports in this archive")
    p.add_argument("--text", action="store_true",
                   help="accepted for compatibility and ignored: the JSON always holds the full clean text")

    r = sub.add_parser("reparse", help="re-run the current parser over the archive's stored bodies",
                       parents=[archive])
    r.add_argument("--force", action="store_true", help="re-parse rows already at this parser version")

    ix = sub.add_parser("index", help="bring views, full-text indexes, cross-year checks, signals and the panel "
                                      "up to date",
                        parents=[archive])
    ix.add_argument("--rebuild", action="store_true", help="rebuild the full-text indexes (e.g. after VACUUM)")

    x = sub.add_parser("crosscheck", help="run the cross-year checks and print the failures", parents=[archive])
    x.add_argument("--json", action="store_true",
                   help="print one JSON object: {summary: counts per kind, failures: [every failing check]}")

    s = sub.add_parser("serve", help="open the archive in Datasette (read-only)", parents=[archive])
    s.add_argument("--port", type=int, default=8001, help="port to listen on (default 8001)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--live", action="store_true", help="open read-only but not immutable (while a crawl writes)")
    s.add_argument("--no-prepare", action="store_true", help="skip index / cross-check refresh")

    e = sub.add_parser("export", help="export the archive: raw responses (warc), the panel, the mirror hosts",
                       parents=[archive])
    e.add_argument("what", choices=sorted(EXPORT_DEFAULTS))
    e.add_argument("-o", "--output", help="output file: .warc / .warc.gz (warc); .csv, .parquet or .jsonl "
                                          "(panel, mirrors); default " + ", ".join(EXPORT_DEFAULTS.values()))
    e.add_argument("--crawl", help="warc: only this crawl id")
    e.add_argument("--all-versions", action="store_true", help="panel: every stored version, not only the latest")

    for name, text in (("crawl", "scrapy crawl portal with a lock, a log per run and a JOBDIR (for schedules)"),
                       ("schedule", "print or install a cron entry / systemd user timer running gxcrawl crawl"),
                       ("merge", "merge the per-worker archives of a distributed crawl"),
                       ("portals", "print the portal root each name resolves to (code, name, root, source)")):
        c = sub.add_parser(name, help=text, add_help=False)
        c.add_argument("args", nargs=argparse.REMAINDER)
    d = sub.add_parser("demo", help="start the replica portals and crawl them into the archive", add_help=False)
    d.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("gxcrawl.parse.report").setLevel(logging.CRITICAL)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["demo"]:
        from gxcrawl.cli.demo import main as demo_main
        return demo_main(argv[1:])
    if argv[:1] == ["crawl"]:                  # the commands with argument parsers of their own
        from gxcrawl.cli.crawl import main as crawl_main
        return crawl_main(argv[1:])
    if argv[:1] == ["schedule"]:
        from gxcrawl.cli.schedule import main as schedule_main
        return schedule_main(argv[1:])
    if argv[:1] == ["portals"]:
        from gxcrawl.cli.portals import main as portals_main
        return portals_main(argv[1:])
    if argv[:1] == ["merge"]:
        import gxcrawl.crawl  # noqa: F401  (the crawl's tables, e.g. `entries`, merge by their own rule)
        from gxcrawl.archive.merge import main as merge_main
        return merge_main(argv[1:])
    args = build_parser().parse_args(argv)
    if args.command == "parse":
        return cmd_parse(args)
    if args.command == "reparse":
        return cmd_reparse(args)
    if args.command in ("index", "crosscheck", "serve", "export"):
        return cmd_archive_tools(args)
    return 2


def cmd_parse(args) -> int:
    """One summary line (or, with --json, one JSON record) per input: each file of a directory,
    and an input that could not be read too (a missing file, a FIFO, an empty directory)."""
    archive = Archive(args.archive) if args.archive else None
    status = 0
    for name, problem in expand(args.files):
        try:
            if problem:
                raise InputError(problem, code=1)
            body = read_input(name, MAX_BODY_BYTES)
        except InputError as exc:
            print(f"gxcrawl: {shown(name)}: {exc.reason}", file=sys.stderr)
            status = max(status, exc.code)
            if args.json:
                failed = Report(source=name, url=args.url, warnings=[f"unreadable: {exc.reason}"])
                emit_json(failed)
            continue
        report = parse_report(body, url=args.url, source=name)
        unreadable = next((w for w in report.warnings if w.startswith("unreadable:")), None)
        if unreadable:
            print(f"gxcrawl: {shown(name)}: {unreadable}", file=sys.stderr)
            status = max(status, 1)
        if archive is not None and not unreadable:
            sha = archive.store_body(body)
            archive.store_report(report, body_sha256=sha)
        if args.json:
            emit_json(report)
        elif not unreadable:
            print(summary_line(report))
    return status


def emit_json(report) -> None:
    """One JSON line; a file name with bytes that are not UTF-8 keeps them as \\udcXX escapes."""
    line = json.dumps(report.to_dict(), ensure_ascii=False, default=str)
    sys.stdout.flush()
    sys.stdout.buffer.write(line.encode("utf-8", "backslashreplace") + b"\n")
    sys.stdout.flush()


def summary_line(report) -> str:
    failed = ", ".join(c.name for c in report.failed_checks) or "none"
    region = (report.region or {}).get("name")
    cells = sum(len(v) for v in report.tables.values())
    return (f"{shown(report.source)}: {'report' if report.is_report else 'not a report'}"
            f" | year {report.year} | {report.agency} | region {region}"
            f" | format {report.format} | {cells} cells | failed checks: {failed}"
            + (f" | mirror of {report.spam.get('official_host')}" if report.spam.get("is_mirror") else ""))


def cmd_reparse(args) -> int:
    if not Path(args.db).exists():
        print(f"gxcrawl: no archive at {args.db}", file=sys.stderr)
        return 2
    archive = Archive(args.db)
    from gxcrawl.archive.reparse import reparse_archive
    stats = reparse_archive(archive, force=args.force)
    from gxcrawl.archive.derived import refresh
    stats.update(refresh(archive.db))
    print(json.dumps(stats, ensure_ascii=False))
    return 0


def cmd_archive_tools(args) -> int:
    """index | crosscheck | serve | export warc (gxcrawl.archive.search / crosscheck / serve / warc)."""
    if not Path(args.db).exists():
        print(f"gxcrawl: no archive at {args.db}", file=sys.stderr)
        return 2
    if args.command == "serve":
        from gxcrawl.cli.serve import serve
        return serve(args.db, port=args.port, host=args.host, live=args.live,
                     prepare=not args.no_prepare)
    archive = Archive(args.db)
    if args.command == "export":
        return cmd_export(args, archive)
    from gxcrawl.archive.crosscheck import failures, run_crosschecks
    if args.command == "index":
        from gxcrawl.archive.search import rebuild_search
        from gxcrawl.archive.derived import refresh
        if args.rebuild:
            rebuild_search(archive.db)
        print(json.dumps(refresh(archive.db), ensure_ascii=False))
        archive.db.execute("pragma wal_checkpoint(TRUNCATE)")
        return 0
    stats = run_crosschecks(archive.db)
    rows = failures(archive.db)
    if args.json:
        print(json.dumps({"summary": stats, "failures": rows}, ensure_ascii=False, default=str))
        return 0
    print(crosscheck_summary(stats))
    if rows:
        print("\t".join(CROSSCHECK_COLUMNS))
    for f in rows:
        print("\t".join(str(f.get(c) if f.get(c) is not None else "") for c in CROSSCHECK_COLUMNS))
    return 0


#: the columns `gxcrawl crosscheck` prints, one failing check a line (tab-separated, after a header)
CROSSCHECK_COLUMNS = ("kind", "issuer", "agency", "prev_year", "year", "item", "expected", "actual", "detail")


def crosscheck_summary(stats: dict) -> str:
    """The first line of `gxcrawl crosscheck`: failing / run, per kind.

    >>> crosscheck_summary({"carry_over": 10, "carry_over_failed": 2, "in_force": 4, "in_force_failed": 0})
    'cross-year checks: 2 of 14 fail (carry_over 2 of 10, in_force 0 of 4)'
    """
    kinds = [k for k in stats if not k.endswith("_failed")]
    run = sum(stats[k] for k in kinds)
    failed = sum(stats.get(f"{k}_failed", 0) for k in kinds)
    return (f"cross-year checks: {failed} of {run} fail ("
            + ", ".join(f"{k} {stats.get(k + '_failed', 0)} of {stats[k]}" for k in kinds) + ")")


def cmd_export(args, archive) -> int:
    """export warc | panel | mirrors (gxcrawl.archive.warc / panel / signals.mirror_hosts)."""
    output = args.output or EXPORT_DEFAULTS[args.what]
    if args.what == "warc":
        from gxcrawl.archive.warc import export_warc
        stats = export_warc(archive, output, crawl_id=args.crawl)
        if stats["demo"]:
            from gxcrawl.archive.demo import NOTICE
            print(f"gxcrawl: {NOTICE} (the WARC's warcinfo says so)", file=sys.stderr)
        print(json.dumps(dict(stats, output=output)))
        return 0
    from gxcrawl.archive.derived import refresh
    from gxcrawl.archive.tabular import MissingParquet, write_rows
    refresh(archive.db)          # the signals the panel carries, computed from the archive as it is
    if args.what == "panel":
        from gxcrawl.archive.panel import column_types, panel_rows
        rows, columns = panel_rows(archive.db, all_versions=args.all_versions), column_types()
    else:
        from gxcrawl.archive.signals.mirror_hosts import COLUMNS, mirror_host_rows
        rows, columns = mirror_host_rows(archive.db), COLUMNS
    try:
        n = write_rows(rows, columns, output)
    except (MissingParquet, ValueError) as exc:
        print(f"gxcrawl: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"rows": n, "output": output}, ensure_ascii=False))
    return 0


def run() -> int:
    """Console entry point: like main(), quiet on a closed pipe (gxcrawl parse … | head)."""
    try:
        return main()
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(run())
