"""The test archive shared by test_archive_*.py, test_views, test_crosscheck, test_warc and
test_datasette: built once per test session into a temporary directory.

Source: a crawl of the replica farm (`gxcrawl demo`) when that command exists; else the
committed HTML fixtures (tests/fixtures/html) and the shared seeds, each recorded as a
fetch with its headers. Either way the planted breaks below are added:

* 安顺市政府办公室 2020 → 2021: 结转下年度 0, then 上年结转 7 (a real carry-over break);
* a 2022 copy of the 安顺 2021 page (years shifted): 上年结转 7 ≠ 2021 结转 5, and
  规范性文件 现行有效 127 ≠ 127 + 6 − 3;
* 三明市统计局 (copies of the 三明 2019 page under another agency name) 2019, 2020
  (carries 0 → 0: passes), 2022: 2021 missing;
* a gzip-encoded fetch whose stored body was decoded (WARC header repair);
* a report whose clean text holds literal HTML/script (escaping in Datasette).
"""
from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "html"
SHARED = ROOT.parent / "shared"

PLANTED = {
    "anshun_2022": "http://www.anshun.gov.cn/zwgk/zfxxgk/zfxxgknb/202301/t20230128_90000001.html",
    "sanming_2019": "http://www.sm.gov.cn/zw/zfxxgkzl/zfxxgknb/2019nb/202001/t20200131_9000000.htm",
    "sanming_2020": "http://www.sm.gov.cn/zw/zfxxgkzl/zfxxgknb/2020nb/202101/t20210131_9000001.htm",
    "sanming_2022": "http://www.sm.gov.cn/zw/zfxxgkzl/zfxxgknb/2022nb/202301/t20230131_9000002.htm",
    "xss": "http://www.sm.gov.cn/zw/zfxxgkzl/zfxxgknb/xss/t20230131_9000003.htm",
    "gzip": "http://www.sm.gov.cn/zw/gzip/t20230131_9000004.htm",
}
PLANTED_AGENCY = "三明市统计局"
XSS_MARK = "<script>window.__gxcrawl_xss=1</script><img src=x onerror=alert(1)>"


def shift_years(body: bytes, by: int) -> bytes:
    """The page with every year 2001–2030 moved by `by` (a later report of the same body)."""
    for y in range(2030, 2000, -1) if by > 0 else range(2001, 2031):
        body = body.replace(str(y).encode(), str(y + by).encode())
    return body


def demo_available() -> bool:
    """Does `gxcrawl demo` exist (the replica farm + spider)?"""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        r = subprocess.run([sys.executable, "-m", "gxcrawl", "demo", "--help"], capture_output=True,
                           timeout=60, env=env, cwd=ROOT)
    except Exception:
        return False
    return r.returncode == 0


def manifest_report_urls() -> list[tuple[str, ...]]:
    """Every true report the replica farm serves (gxcrawl/replicas/manifests), as the
    tuple of URLs it may be stored under (page, attachments). Copies on the spam mirror are
    not reports (they are stored as mirror sightings, tests/test_mirrors.py)."""
    urls = []
    for path in sorted((ROOT / "gxcrawl" / "replicas" / "manifests").glob("*.json")):
        urls += [(r["url"], *r.get("urls", [])) for r in json.loads(path.read_text(encoding="utf-8")).get("reports", [])
                 if not r.get("is_mirror")]
    return urls


#: the session's demo run (tests/test_demo.py): its output and the files it left behind
DEMO_RUN: dict = {}


def files_under(root: Path) -> set[str]:
    """Every file below `root`, as POSIX paths relative to it."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def crawl_replicas(db: Path) -> str:
    """Crawl the replica farm with `gxcrawl demo` (a subprocess) as a user runs it: in a
    directory of its own, with the default archive (archive/demo.db); then copy that
    archive to `db`. The output and the files before/after are kept in DEMO_RUN."""
    import sqlite3
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    workdir = db.parent / "demo-run"
    workdir.mkdir()
    before = files_under(workdir)
    repo_archive = files_under(ROOT / "archive") if (ROOT / "archive").is_dir() else set()
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "demo"], capture_output=True, timeout=1800, env=env,
                       cwd=workdir)
    if r.returncode != 0:
        raise RuntimeError(f"gxcrawl demo failed: {r.stderr.decode()[-2000:]}")
    DEMO_RUN.update(workdir=workdir, before=before, after=files_under(workdir), stdout=r.stdout.decode(),
                    stderr=r.stderr.decode(), repo_archive_before=repo_archive,
                    repo_archive_after=files_under(ROOT / "archive") if (ROOT / "archive").is_dir() else set())
    src = sqlite3.connect(workdir / "archive" / "demo.db")
    dst = sqlite3.connect(db)
    src.backup(dst)
    src.close()
    dst.close()
    return "replicas"


def record(archive, url: str, body: bytes, headers: dict, crawl: str = "fixtures", report=True):
    from gxcrawl import parse_report
    flat = {k: v[0] if isinstance(v, list) else v for k, v in headers.items()}
    archive.record_fetch(url, status=200, body=body, headers=headers,
                         content_type=flat.get("Content-Type"), elapsed=0.01, crawl_id=crawl)
    if report:
        parsed = parse_report(body, url=url, headers=flat)
        archive.store_report(parsed, body_sha256=archive.store_body(body))
        return parsed


def load_fixtures(archive) -> list[str]:
    """Every committed HTML fixture and shared seed, as fetched pages."""
    urls = []
    index = json.loads((FIXTURES / "index.json").read_text(encoding="utf-8"))
    for fx in index["fixtures"]:
        expected = json.loads((FIXTURES / fx["expected"]).read_text(encoding="utf-8"))
        url = expected.get("url") or f"http://fixtures.invalid/{fx['name']}.html"
        if url in urls:     # the GBK variants of one page: keep them apart
            url = url.replace(".htm", f"_{fx['name']}.htm")
        headers = {k: [v] for k, v in (fx.get("headers") or {"Content-Type": "text/html"}).items()}
        record(archive, url, (FIXTURES / fx["file"]).read_bytes(), headers)
        urls.append(url)
    if (SHARED / "seeds").is_dir():
        for seed in sorted((SHARED / "seeds").glob("*.txt")):
            url = f"http://seeds.invalid/{seed.stem}.txt"
            record(archive, url, seed.read_bytes(), {"Content-Type": ["text/plain; charset=utf-8"]})
            urls.append(url)
    return urls


def plant_breaks(archive) -> None:
    """The planted cross-year breaks, the decoded-gzip fetch and the script-in-text report."""
    html = {"Content-Type": ["text/html; charset=utf-8"]}
    record(archive, PLANTED["anshun_2022"], shift_years((FIXTURES / "trs_anshun_2021.html").read_bytes(), 1),
           html, crawl="planted")
    sanming = (FIXTURES / "trs_sanming_2019.html").read_bytes()
    bureau = sanming.replace("三明市人民政府办公室".encode(), PLANTED_AGENCY.encode())
    record(archive, PLANTED["sanming_2019"], bureau, html, crawl="planted")
    record(archive, PLANTED["sanming_2020"], shift_years(bureau, 1), html, crawl="planted")
    record(archive, PLANTED["sanming_2022"], shift_years(bureau, 3), html, crawl="planted")
    escaped = XSS_MARK.replace("<", "&lt;").replace(">", "&gt;")
    xss = sanming.replace("根据新修订的".encode(), f"{escaped}根据新修订的".encode(), 1)
    record(archive, PLANTED["xss"], xss, html, crawl="planted")
    page = b"<html><body><p>gzip transfer test</p></body></html>"
    archive.record_fetch(PLANTED["gzip"], status=200, body=page, crawl_id="planted", headers={
        "Content-Type": ["text/html"], "Content-Encoding": ["gzip"],
        "Content-Length": [str(len(gzip.compress(page)))], "Transfer-Encoding": ["chunked"]})


@functools.lru_cache(maxsize=1)
def built_archive() -> tuple[Path, str]:
    """(path of the session's archive, source: 'replicas' or 'fixtures'). Built once."""
    from gxcrawl.archive import Archive
    from gxcrawl.archive.crosscheck import run_crosschecks
    tmp = Path(tempfile.mkdtemp(prefix="gxcrawl-archive-test-"))
    db = tmp / "gxcrawl.db"
    source = "fixtures"
    if os.environ.get("GXCRAWL_TEST_ARCHIVE") != "fixtures" and demo_available():
        source = crawl_replicas(db)
    archive = Archive(db)
    load_fixtures(archive)          # with the farm crawl too: the anshun pairs live only here
    plant_breaks(archive)
    run_crosschecks(archive.db)
    archive.db.execute("pragma wal_checkpoint(TRUNCATE)")
    archive.close()
    print(f"\n[archive_build] test archive from {source}: {db}")
    return db, source


def fresh_copy(dest: Path) -> Path:
    """A private copy of the session archive (for tests that write)."""
    db, _ = built_archive()
    target = dest / "gxcrawl.db"
    shutil.copy(db, target)
    return target


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DatasetteServer:
    """`gxcrawl serve` in a subprocess on 127.0.0.1 and a free port, over a copy of
    the session archive (or of `source`). Use as a context manager; `.url` is the base URL."""

    def __init__(self, workdir: Path, source: Path | None = None):
        if source is None:
            self.db = fresh_copy(workdir)
        else:
            self.db = workdir / "gxcrawl.db"
            shutil.copy(source, self.db)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "datasette.log"
        self.proc = None

    def __enter__(self) -> "DatasetteServer":
        import time
        import urllib.request
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self._log = self.log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "gxcrawl", "serve", "--db", str(self.db),
                                      "--port", str(self.port), "--host", "127.0.0.1"],
                                     stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                                     start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/-/versions.json", timeout=2).read()
                return self
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("datasette did not start: " + self.log.read_text(errors="replace")[-2000:])

    def __exit__(self, *exc) -> None:
        import signal
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()          # `kill PID` of gxcrawl serve: it stops Datasette itself
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)     # our own process group only
        self._log.close()

    def get(self, path: str) -> tuple[int, dict, bytes]:
        import urllib.error
        import urllib.request
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def json(self, path: str):
        status, _, body = self.get(path)
        assert status == 200, (path, status, body[:500])
        return json.loads(body)
