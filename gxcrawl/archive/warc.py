"""Export the archive's raw responses as WARC (warcio), one `response` record per
fetch that has a body, after a `warcinfo` record.

The payload of every record is byte-identical to the stored body. The stored body
is what the crawler handed over, which Scrapy has already de-chunked and usually
content-decoded; so the original headers are written except where they would
describe other bytes: ``Transfer-Encoding`` is dropped, ``Content-Encoding`` is
dropped when the body is no longer encoded, and ``Content-Length`` is set to the
body's length. The original values are kept as ``X-Gxcrawl-Original-*`` headers.

Each record's ``WARC-Record-ID`` is derived from its fetch (`warc_record_id`), so the
same archive always exports the same ids and the panel (gxcrawl.archive.panel) can name
the record of each report's capture.

>>> http_headers({"Content-Type": ["text/html"], "Content-Encoding": ["gzip"],
...               "Content-Length": ["10"]}, b"<html></html>")[0]
[('Content-Type', 'text/html'), ('Content-Length', '13'), ('X-Gxcrawl-Original-Content-Encoding', 'gzip'), ('X-Gxcrawl-Original-Content-Length', '10')]
"""
from __future__ import annotations

import io
import json
import uuid
import zlib
from http import HTTPStatus
from pathlib import Path
from typing import Optional

DROPPED = ("transfer-encoding", "content-length")
#: the namespace of the record ids (uuid5): fixed, so that ids are reproducible
RECORD_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_OID, "gxcrawl.warc.response")


def warc_record_id(fetch_id: int, url: str, fetched_at: Optional[str], sha256: str) -> str:
    """The WARC-Record-ID of the response record of one fetch (a name-based UUID).

    >>> a = warc_record_id(7, "http://x.gov.cn/a", "2025-01-01T00:00:00Z", "ab")
    >>> a == warc_record_id(7, "http://x.gov.cn/a", "2025-01-01T00:00:00Z", "ab")
    True
    >>> warc_record_id(7, "http://x.gov.cn/a", None, "ab").startswith("<urn:uuid:")
    True
    """
    name = f"{fetch_id}|{url}|{fetched_at or ''}|{sha256}"
    return f"<urn:uuid:{uuid.uuid5(RECORD_NAMESPACE, name)}>"


def still_encoded(body: bytes, encoding: str) -> bool:
    """Are these bytes still in the given Content-Encoding (not decoded by the crawler)?

    >>> import gzip
    >>> still_encoded(gzip.compress(b"x"), "gzip"), still_encoded(b"<html>", "gzip")
    (True, False)
    """
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return body[:2] == b"\x1f\x8b"
    if encoding == "deflate":
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                zlib.decompressobj(wbits).decompress(body[:4096])
                return True
            except zlib.error:
                continue
        return False
    if encoding == "br":
        try:
            import brotli  # type: ignore
            brotli.decompress(body)
            return True
        except Exception:
            return False
    return encoding in ("", "identity")


def http_headers(stored: dict, body: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """The HTTP header list to write for `body` given the stored response headers
    ({name: [values]} or {name: value}); and the names that were changed."""
    out, extra, changed = [], [], []
    for name, values in stored.items():
        values = values if isinstance(values, list) else [values]
        low = name.lower()
        if low == "content-encoding":
            if all(still_encoded(body, v) for v in values):
                out.extend((name, v) for v in values)
            else:
                extra.extend((f"X-Gxcrawl-Original-{name}", v) for v in values)
                changed.append(name)
        elif low in DROPPED:
            if low == "content-length" and values == [str(len(body))]:
                continue
            extra.extend((f"X-Gxcrawl-Original-{name}", v) for v in values)
            changed.append(name)
        else:
            out.extend((name, v) for v in values)
    out.append(("Content-Length", str(len(body))))
    return out + extra, changed


def export_warc(archive, out: str | Path, crawl_id: Optional[str] = None) -> dict:
    """Write every fetch with a body (optionally of one crawl) to the WARC file `out`
    (gzipped per record when the name ends in .gz). Returns counts."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from gxcrawl import PARSER_VERSION
    from gxcrawl.archive.demo import NOTICE, is_demo
    demo = is_demo(archive.db, crawl_id)
    stats = {"records": 0, "bytes": 0, "headers_fixed": 0, "demo": demo}
    sql = ("select id, url, final_url, status, headers, body_sha256, fetched_at, crawl_id "
           "from fetches where body_sha256 is not null and status is not null")
    params: list = []
    if crawl_id:
        sql += " and crawl_id = ?"
        params.append(crawl_id)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=out.name.endswith(".gz"))
        info = {
            "software": f"gxcrawl (parser {PARSER_VERSION}) via warcio",
            "format": "WARC File Format 1.0",
            "description": "raw responses of the gxcrawl archive; payloads byte-identical "
                           "to the stored bodies (see X-Gxcrawl-Original-* headers)",
        }
        if demo:      # made-up captures under real government URIs: say so first
            info = {"description": f"{NOTICE}. " + info["description"], "gxcrawl-demo": "true",
                    **{k: v for k, v in info.items() if k != "description"}}
        writer.write_record(writer.create_warcinfo_record(out.name, info))
        for fid, url, final_url, status, headers, sha, fetched_at, cid in \
                archive.db.execute(sql + " order by id", params).fetchall():
            body = archive.body(sha)
            header_list, changed = http_headers(json.loads(headers or "{}"), body)
            stats["headers_fixed"] += bool(changed)
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = "Unknown"
            http = StatusAndHeaders(f"{status} {reason}", header_list, protocol="HTTP/1.1")
            warc_headers = {"WARC-Record-ID": warc_record_id(fid, url, fetched_at, sha),
                            "WARC-Date": fetched_at or "", "WARC-Gxcrawl-Fetch-Id": str(fid),
                            "WARC-Gxcrawl-Body-Sha256": sha}
            if cid:
                warc_headers["WARC-Gxcrawl-Crawl-Id"] = cid
            if final_url and final_url != url:
                warc_headers["WARC-Gxcrawl-Requested-URI"] = url
            record = writer.create_warc_record(final_url or url, "response",
                                               payload=io.BytesIO(body), length=len(body),
                                               http_headers=http,
                                               warc_headers_dict=warc_headers)
            writer.write_record(record)
            stats["records"] += 1
            stats["bytes"] += len(body)
    return stats


def warc_payloads(path: str | Path) -> list[tuple[dict, bytes]]:
    """(WARC headers, raw HTTP payload bytes) of every response record in a WARC file —
    the payload as stored, without undoing any Content-Encoding."""
    from warcio.archiveiterator import ArchiveIterator
    out = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                out.append((dict(record.rec_headers.headers), record.raw_stream.read()))
    return out
