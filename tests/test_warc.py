"""`gxcrawl export warc`: valid under `warcio check`, payloads byte-identical to stored bodies."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from archive_build import PLANTED, ROOT, built_archive
from gxcrawl.archive import Archive
from gxcrawl.archive.warc import warc_payloads


@pytest.fixture(scope="module")
def warc(tmp_path_factory):
    out = tmp_path_factory.mktemp("warc") / "gxcrawl.archive.warc.gz"
    db, _ = built_archive()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "gxcrawl", "export", "warc", "--db", str(db), "-o", str(out)],
                       capture_output=True, env=env, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    assert json.loads(r.stdout)["records"] >= 10
    return out


def test_warcio_check_passes(warc):
    warcio = shutil.which("warcio") or None
    cmd = [warcio, "check", "-v", str(warc)] if warcio else [sys.executable, "-m", "warcio.cli", "check", "-v", str(warc)]
    r = subprocess.run(cmd, capture_output=True, timeout=300)
    assert r.returncode == 0, r.stdout.decode()[-2000:] + r.stderr.decode()[-2000:]


def test_every_response_is_byte_identical(warc):
    db, _ = built_archive()
    archive = Archive(db)
    fetches = archive.db.execute("select id, body_sha256 from fetches where body_sha256 is not null "
                                 "and status is not null").fetchall()
    payloads = warc_payloads(warc)
    assert len(payloads) == len(fetches)
    by_id = dict(fetches)
    for headers, payload in payloads:
        sha = by_id[int(headers["WARC-Gxcrawl-Fetch-Id"])]
        assert payload == archive.body(sha)


def test_decoded_gzip_response_gets_consistent_headers(warc):
    from warcio.archiveiterator import ArchiveIterator
    with open(warc, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response" and record.rec_headers.get_header("WARC-Target-URI") == PLANTED["gzip"]:
                http = record.http_headers
                body = record.content_stream().read()     # what a replay tool would serve
                assert http.get_header("Content-Encoding") is None
                assert http.get_header("Transfer-Encoding") is None
                assert http.get_header("Content-Length") == str(len(body))
                assert http.get_header("X-Gxcrawl-Original-Content-Encoding") == "gzip"
                assert body.startswith(b"<html>")
                return
    pytest.fail("planted gzip fetch not in the WARC")
