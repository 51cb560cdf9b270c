"""`gxcrawl serve`: open the archive in Datasette, read-only, on 127.0.0.1.

Before serving, `prepare_archive` brings the file up to date (schema, views,
full-text indexes, cross-year checks, signals, the panel) and checkpoints the WAL into the main file,
because Datasette then opens it immutable (`-i`): nothing can write to it, and a
WAL would be ignored.

The same thing by hand, from the repository root:

    gxcrawl index --db archive/gxcrawl.db
    datasette serve -i archive/gxcrawl.db -h 127.0.0.1 \\
        -m gxcrawl/datasette/metadata.json --plugins-dir gxcrawl/datasette/plugins \\
        --setting truncate_cells_html 300 --setting allow_download off

>>> datasette_args("archive/gxcrawl.db", "/tmp/m.json", port=8001)[:5]
['serve', '-i', 'archive/gxcrawl.db', '--host', '127.0.0.1']
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

from gxcrawl.datasette import METADATA, PLUGINS_DIR, TEMPLATES_DIR

SETTINGS = {"truncate_cells_html": "300", "allow_download": "off", "sql_time_limit_ms": "5000",
            "facet_time_limit_ms": "500", "default_page_size": "50"}


def prepare_archive(db_path: str | Path, crosscheck: bool = True) -> dict:
    """Schema, views and search indexes up to date; cross-year checks, signals and the
    panel recomputed; the WAL checkpointed into the main file so that an immutable reader
    sees everything. Returns the counts."""
    from gxcrawl.archive import Archive
    from gxcrawl.archive.derived import refresh
    archive = Archive(db_path)
    stats = refresh(archive.db) if crosscheck else {}
    archive.db.execute("pragma wal_checkpoint(TRUNCATE)")
    archive.close()
    return stats


def metadata_for(db_path: str | Path) -> dict:
    """The shipped metadata with its database name ("gxcrawl") replaced by the name
    Datasette gives `db_path` (its file stem), and the panel's data dictionary as the
    descriptions of its columns (gxcrawl.archive.panel: new figures come with theirs).

    >>> sorted(metadata_for("/tmp/x/demo.db")["databases"])
    ['demo']
    >>> "requests_received_source" in metadata_for("x.db")["databases"]["x"]["tables"]["panel"]["columns"]
    True
    """
    from gxcrawl.archive.panel import column_descriptions
    meta = json.loads(METADATA.read_text(encoding="utf-8"))
    meta["databases"]["gxcrawl"]["tables"].setdefault("panel", {})["columns"] = column_descriptions()
    name = Path(db_path).stem
    meta["description_html"] = start_here(meta.get("description", ""), name)
    if name != "gxcrawl":
        meta["databases"] = {name: meta["databases"].pop("gxcrawl")}
        for dashboard in meta.get("plugins", {}).get("datasette-dashboards", {}).values():
            for chart in dashboard.get("charts", {}).values():
                if chart.get("db") == "gxcrawl":
                    chart["db"] = name
    return meta


def start_here(description: str, name: str) -> str:
    """The index page's description with the places to start: the reports table (each
    title opens the report's page), the charts, the canned queries.

    >>> "/demo/reports" in start_here("x", "demo")
    True
    """
    from html import escape
    return (f"<p>{escape(description)}</p><p>Start here: <a href=\"/{escape(name)}/reports\">the reports</a> "
            f"(each title opens the report's own page), <a href=\"/-/dashboards/requests\">the charts</a>, "
            f"<a href=\"/{escape(name)}#queries\">the canned queries</a>.</p>")


def datasette_args(db_path: str | Path, metadata_path: str | Path, port: int = 8001,
                   host: str = "127.0.0.1", live: bool = False) -> list[str]:
    """Arguments of `datasette` for the archive (immutable unless `live`)."""
    args = ["serve", "-i" if not live else "", str(db_path), "--host", host, "--port", str(port),
            "-m", str(metadata_path), "--plugins-dir", str(PLUGINS_DIR), "--template-dir", str(TEMPLATES_DIR)]
    for key, value in SETTINGS.items():
        args += ["--setting", key, value]
    return [a for a in args if a]


class Stop(Exception):
    """SIGTERM (or SIGHUP) of `gxcrawl serve`: stop Datasette and clean up, like Ctrl-C."""


def _raise_stop(signum, frame):
    raise Stop(signum)


def run_until_stopped(cmd: list[str], grace: float = 10.0) -> int:
    """Run `cmd` until it exits, or until this process gets Ctrl-C, SIGTERM or SIGHUP; then
    stop it (SIGTERM, SIGKILL after `grace` seconds) and return its exit status."""
    import signal
    previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    proc = subprocess.Popen(cmd, env=dict(os.environ))
    try:
        return proc.wait()
    except (KeyboardInterrupt, Stop):
        proc.terminate()
        try:
            return proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def serve(db_path: str | Path, port: int = 8001, host: str = "127.0.0.1", live: bool = False,
          prepare: bool = True, extra: Optional[list[str]] = None) -> int:
    """Prepare the archive, then run Datasette in the foreground until it exits or this
    process is interrupted or terminated; either way Datasette stops and the temporary
    folder (the metadata file) is removed."""
    db_path = Path(db_path)
    if prepare and not live:
        stats = prepare_archive(db_path)
        print(f"gxcrawl: cross-year checks and signals: {json.dumps(stats, ensure_ascii=False)}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="gxcrawl-serve-") as tmp:
        meta_path = Path(tmp) / "metadata.json"
        meta_path.write_text(json.dumps(metadata_for(db_path), ensure_ascii=False), encoding="utf-8")
        cmd = [sys.executable, "-m", "datasette", *datasette_args(db_path, meta_path, port, host, live),
               *(extra or [])]
        print(f"gxcrawl: serving {db_path} on http://{host}:{port}/ (read-only)", file=sys.stderr, flush=True)
        return run_until_stopped(cmd)
