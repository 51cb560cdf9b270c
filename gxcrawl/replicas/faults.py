"""The fault host: a replica portal whose report column is a catalogue of what goes wrong on
government sites — slow, broken, hacked or hostile — with a few good reports among them.

`FAULTS` lists every fault: its id, the URL the column links to, what the server does, and
what the crawl must end with (`expect`):

* ``report``  — a true report behind the fault: it must be archived (it is in the manifest);
* ``error``   — nothing usable: the fetch is recorded with an error (download failed);
* ``status``  — recorded with that HTTP status, nothing archived;
* ``refused`` — downloaded but unreadable (bombs, encrypted, empty): recorded, not archived,
                the reason noted on the fetch;
* ``bounded`` — a trap (calendar, endless query strings): at most a few requests;
* ``offhost`` — leads off the portal (a redirect, a meta refresh, a link to a look-alike host
                `EVIL`): no request leaves, the refusal is in `refused` with its reason.

Replies that HTTP semantics cannot express (stalls, resets mid-body, bodies without a length)
are `RawReply`s: the farm hands them the request handler (`stream(handler)`).

>>> site = FaultSite()
>>> len([f for f in FAULTS if f.expect == "report"]) == len([m for m in site.manifest if m.get("fault")])
True
"""
from __future__ import annotations

import gzip
import io
import socket
import struct
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional

from gxcrawl.replicas.attachments import make_docx, make_pdf, serialize_pdf
from gxcrawl.replicas.content import ReportSpec, render_report, report_lines
from gxcrawl.replicas.sites import Reply, Request, Site, _ul, e, html_reply, not_found

HOST = "www.faults.gov.cn"
#: the look-alike host the second round's redirects and links point to (the farm counts requests)
EVIL = "www.faults.gov.cn.evil.com"
COL = "/zwgk/zfxxgknb/"
#: how long the stalled server sits on a request before giving up (crawler timeout is shorter)
STALL_SECONDS = 8.0
#: size of the endless page and of the bombs once inflated
HUGE_PAGE_BYTES = 50 * 1024 * 1024
GZIP_BOMB_BYTES = 256 * 1024 * 1024
ZIP_BOMB_BYTES = 200 * 1024 * 1024
TABLE_ROWS = 10_000
NESTING = 20_000
#: the sub-list whose real entry sits beside commented-out links, datastores and pagination
COMMENTED_LIST = f"{COL}bmnb/"
#: a hub of township sub-lists: one town lists its report, the others open endless entry-less trees
TREE_HUB = f"{COL}xzjd/"
TREE_FANOUT = 4
IMAGES = 1000
#: the list pages that lead to entries below the column, with the link text the column gives them
VIA_TITLES = {COMMENTED_LIST: "部门年报", TREE_HUB: "乡镇年报"}
#: what nginx answers past its 8 KiB header line (large_client_header_buffers)
NGINX_COOKIE_LIMIT = 8192
#: the size of the Set-Cookie header that breaks the connection (Twisted reads header lines of 16 KiB)
HUGE_SET_COOKIE = 64 * 1024


@dataclass
class Fault:
    id: str
    title: str           # the list entry's text
    path: str            # where the column links
    what: str            # what the server does
    expect: str          # report | error | status | refused | bounded | offhost
    reason: str = ""     # what gxcrawl does about it (the README table)
    status: Optional[int] = None
    year: int = 2023
    via: str = ""        # the list page the entry sits on, when not the column itself
    document: str = ""   # the attachment a shell page leads to (the report is stored under its URL)


@dataclass
class RawReply(Reply):
    """A reply the farm does not write itself: `stream(handler)` talks to the socket.
    status 0 keeps the farm's conditional-request layer away from it."""
    stream: Optional[Callable] = field(default=None, repr=False)


AGENCY = "福州市马尾区{}"

FAULTS: list[Fault] = [
    Fault("good-html", "福州市马尾区人民政府2023年政府信息公开工作年度报告", f"{COL}202401/t20240118_900001.html",
          "a plain good report page", "report", "archived"),
    Fault("good-pdf", "福州市马尾区财政局2023年政府信息公开工作年度报告.pdf", "/uploadfiles/202401/900002.pdf",
          "a good PDF attachment", "report", "archived"),
    Fault("good-docx", "福州市马尾区教育局2023年政府信息公开工作年度报告.docx", "/uploadfiles/202401/900003.docx",
          "a good DOCX attachment", "report", "archived"),
    Fault("http-503-retry-after", "福州市马尾区民政局2023年政府信息公开工作年度报告", f"{COL}202401/t20240119_900004.html",
          "503 with Retry-After: 2 once, then the report", "report",
          "retried after the Retry-After delay (RetryAfterMiddleware, capped by GXCRAWL_RETRY_AFTER_MAX); archived"),
    Fault("http-500-retry-after", "福州市马尾区司法局2023年政府信息公开工作年度报告", f"{COL}202401/t20240119_900005.html",
          "500 with Retry-After: 1, always", "status",
          "retried RETRY_TIMES, each after Retry-After; then recorded with status 500", status=500),
    Fault("http-503-retry-after-long", "福州市马尾区人社局2023年政府信息公开工作年度报告",
          f"{COL}202401/t20240119_900006.html", "503 with Retry-After: 86400", "status",
          "a delay above GXCRAWL_RETRY_AFTER_MAX is not waited for: recorded with status 503 at once", status=503),
    Fault("timeout", "福州市马尾区自然资源局2023年政府信息公开工作年度报告", f"{COL}202401/t20240120_900007.html",
          f"accepts the connection and says nothing for {STALL_SECONDS:.0f} s", "error",
          "DOWNLOAD_TIMEOUT, retried RETRY_TIMES, then recorded with the timeout error"),
    Fault("reset-mid-body", "福州市马尾区生态环境局2023年政府信息公开工作年度报告", f"{COL}202401/t20240120_900008.html",
          "promises 200 kB, sends 4 kB, resets the connection (RST)", "error",
          "data loss is an error (DOWNLOAD_FAIL_ON_DATALOSS), retried, then recorded"),
    Fault("truncated-gzip", "福州市马尾区住建局2023年政府信息公开工作年度报告", f"{COL}202401/t20240121_900009.html",
          "Content-Encoding: gzip, the stream cut in the middle", "error",
          "the gzip stream is checked before inflating (HardeningMiddleware): retried, then recorded "
          "as 'truncated gzip', never archived half"),
    Fault("gzip-bomb", "福州市马尾区交通局2023年政府信息公开工作年度报告", f"{COL}202401/t20240121_900010.html",
          f"{GZIP_BOMB_BYTES >> 20} MiB of HTML gzipped to a few hundred kB", "error",
          "inflating stops at the page limit (Scrapy applies DOWNLOAD_MAXSIZE / download_maxsize to the "
          "decompressed size): recorded with the error"),
    Fault("huge-page", "福州市马尾区农业农村局2023年政府信息公开工作年度报告", f"{COL}202401/t20240122_900011.html",
          f"a {HUGE_PAGE_BYTES >> 20} MB page, no Content-Length, connection-delimited", "error",
          "cancelled when it passes GXCRAWL_PAGE_MAXSIZE (16 MiB for pages; 64 MiB DOWNLOAD_MAXSIZE for "
          "attachments); recorded with the error"),
    Fault("redirect-loop", "福州市马尾区水利局2023年政府信息公开工作年度报告", "/loop/a.html",
          "302 a → b → a", "error", "a Location already in the chain is a loop: recorded as 'redirect loop'"),
    Fault("redirect-chain", "福州市马尾区商务局2023年政府信息公开工作年度报告", "/hop/1.html",
          "302 to /hop/N+1 forever", "error", "REDIRECT_MAX_TIMES (5): recorded with the error"),
    Fault("calendar-trap", "2024年5月", "/calendar/?y=2024&m=5",
          "a calendar: every month links the previous and the next one", "bounded",
          "never followed: not a column, not a report entry, no new entries"),
    Fault("query-trap", "下一页", f"{COL}search.jsp?page=2",
          "an endless ?page=N list that always shows the same entries, each link with a fresh sid=",
          "bounded", "generic next-page links are followed only while they bring new entries"),
    Fault("wrong-charset", "福州市马尾区文旅局2023年政府信息公开工作年度报告", f"{COL}202401/t20240123_900012.html",
          "GBK bytes served as 'charset=iso-8859-1'", "report",
          "a Western single-byte charset on a Chinese page is tried only after GB18030 (decode.py): archived"),
    Fault("mixed-encodings", "福州市马尾区卫健局2023年政府信息公开工作年度报告", f"{COL}202401/t20240123_900013.html",
          "a UTF-8 page with a GBK-encoded footer", "report",
          "mostly-valid UTF-8 stays UTF-8, the runs that are not are decoded as GB18030 (decode.py): archived"),
    Fault("malformed-html", "福州市马尾区应急局2023年政府信息公开工作年度报告", f"{COL}202401/t20240124_900014.html",
          "unclosed tags, stray `</table>`, `<td>` outside `<tr>`, NUL bytes, no `</html>`", "report",
          "lxml's recovering parser: archived"),
    Fault("broken-xref-pdf", "福州市马尾区审计局2023年政府信息公开工作年度报告.pdf", "/uploadfiles/202401/900015.pdf",
          "a PDF whose xref table and startxref point nowhere", "report",
          "pdfminer rebuilds the cross-reference table by scanning: archived"),
    Fault("encrypted-pdf", "福州市马尾区市场监管局2023年政府信息公开工作年度报告.pdf", "/uploadfiles/202401/900016.pdf",
          "a PDF encrypted with a user password", "refused",
          "recorded; 'encrypted PDF' noted on the fetch; not archived as a report"),
    Fault("zip-bomb-docx", "福州市马尾区统计局2023年政府信息公开工作年度报告.docx", "/uploadfiles/202401/900017.docx",
          f"a .docx whose document.xml inflates to {ZIP_BOMB_BYTES >> 20} MiB", "refused",
          "refused from the zip directory before inflating (size, ratio, members): reason noted on the fetch"),
    Fault("empty-attachment", "福州市马尾区医保局2023年政府信息公开工作年度报告.pdf", "/uploadfiles/202401/900018.pdf",
          "200 OK with an empty body", "refused", "'empty input' noted on the fetch; not archived"),
    Fault("image-only-pdf", "福州市马尾区林业局2023年政府信息公开工作年度报告.pdf", "/uploadfiles/202401/900019.pdf",
          "a scanned report: a PDF with one image and no text", "report",
          "archived from its list title, needs_ocr = 1"),
    Fault("table-10k-rows", "福州市马尾区城管局2023年政府信息公开工作年度报告", f"{COL}202401/t20240125_900020.html",
          f"a report followed by a {TABLE_ROWS:,}-row table", "report",
          "parsed in bounded time (tables are read from a token stream): archived"),
    Fault("deep-nesting", "福州市马尾区科技局2023年政府信息公开工作年度报告", f"{COL}202401/t20240125_900021.html",
          f"{NESTING:,} nested `<div>`s before the report", "report",
          "lxml's HTML parser caps the tree depth, so the recursive walkers stay shallow: archived"),
    # -- second round (issue 14) ------------------------------------------------------------
    Fault("redirect-offhost", "福州市马尾区发改局2023年政府信息公开工作年度报告", f"{COL}202402/t20240201_900101.html",
          f"302 to the look-alike host {EVIL}", "offhost",
          "every request passes the host rule (ScopeMiddleware, first in the chain, redirects included): "
          "refused, in `refused` and on the page's fetch"),
    Fault("meta-refresh-offhost", "福州市马尾区工信局2023年政府信息公开工作年度报告", f"{COL}202402/t20240201_900102.html",
          f"a short page whose meta refresh points to {EVIL}", "offhost",
          "the refresh is refused like a redirect: in `refused`"),
    Fault("js-redirect-offhost", "福州市马尾区档案局2023年政府信息公开工作年度报告", f"{COL}202402/t20240201_900103.html",
          "a report page with a script sending visitors to the look-alike host", "report",
          "scripts are not followed; the report is archived, nothing is requested off the portal"),
    Fault("offhost-attachment", "福州市马尾区粮食局2023年政府信息公开工作年度报告", f"{COL}202402/t20240201_900104.html",
          "a shell page whose only attachment sits on the look-alike host", "offhost",
          "the attachment is not requested: in `refused` with the page as referer; nothing archived"),
    Fault("offhost-list-entry", "福州市马尾区供销社2023年政府信息公开工作年度报告",
          f"http://{EVIL}{COL}202402/t20240201_900116.html",
          "the column lists a report entry whose URL is on the look-alike host", "offhost",
          "never requested: in `refused` (kind off_host_link) with the list page as referer"),
    Fault("utf16-bom", "福州市马尾区侨务办2023年政府信息公开工作年度报告", f"{COL}202402/t20240202_900105.html",
          "a report page in UTF-16LE with a BOM, no charset in the header", "report",
          "BOMs and the NUL layout of UTF-16/32 are read before bytes are called binary (document/wide.py): archived"),
    Fault("utf16-no-bom", "福州市马尾区外事办2023年政府信息公开工作年度报告", f"{COL}202402/t20240202_900106.html",
          "a report page in UTF-16BE without a BOM, served as application/octet-stream", "report",
          "told from where the NUL bytes are (ASCII markup, digits, line breaks): archived"),
    Fault("utf32-text", "福州市马尾区信访局2023年政府信息公开工作年度报告", f"{COL}202402/t20240202_900107.txt",
          "a plain-text report in UTF-32LE with a BOM", "report", "as UTF-16: archived"),
    Fault("cookie-10k", "福州市马尾区机关事务局2023年政府信息公开工作年度报告", f"{COL}202402/t20240203_900108.html",
          f"a shell page sets a 10 KB cookie for the whole host; the server (nginx) answers 400 to a Cookie "
          f"header over {NGINX_COOKIE_LIMIT} bytes — its own attachment among them", "report",
          "a cookie over GXCRAWL_COOKIE_MAX (4096, as browsers) is never stored or sent (gxcrawl.crawl.cookies; "
          "stat gxcrawl/cookies/dropped_oversized): the attachment is archived",
          document="/uploadfiles/202402/900108.pdf"),
    Fault("cookie-400", "福州市马尾区国资委2023年政府信息公开工作年度报告", f"{COL}202402/t20240203_900109.html",
          "a shell page sets two 3 KB cookies; its attachment's server answers 400 to more than 4 KB of cookies",
          "report", "the 400 is recorded (status, bytes, reason) and the request tried once more without cookies: "
          "archived", document="/uploadfiles/202402/900109.pdf"),
    Fault("set-cookie-64k", "福州市马尾区城投局2023年政府信息公开工作年度报告", "/cookie/s/t20240204_900110.html",
          f"answers a request carrying the session cookie (set by the column page) with a {HUGE_SET_COOKIE >> 10} KB "
          f"Set-Cookie header, which breaks the connection", "report",
          "retried RETRY_TIMES, then once more without cookies (the reason on the fetch): archived"),
    Fault("set-cookie-64k-always", "福州市马尾区港务局2023年政府信息公开工作年度报告", "/cookie/a/t20240204_900111.html",
          f"always answers with a {HUGE_SET_COOKIE >> 10} KB Set-Cookie header", "error",
          "retried, tried once more without cookies, then recorded with the reason (connection broken, "
          "cookies tried off)"),
    Fault("commented-links", "福州市马尾区退役军人事务局2023年政府信息公开工作年度报告", f"{COL}bmnb/202402/t20240205_900112.html",
          "a sub-list (old Hanweb template) whose real entry sits beside commented-out links, a commented-out "
          "datastore with decoy records before the real one, and a commented-out createPageHTML(40 …)", "report",
          "HTML comments are dropped before a list is read (scripts keep theirs): the real entry is archived, no "
          "decoy and no phantom page is requested", via=COMMENTED_LIST),
    Fault("entryless-tree", "福州市马尾区亭江镇人民政府2023年政府信息公开工作年度报告", f"{TREE_HUB}a0/t20240206_900113.html",
          f"a hub of township sub-lists: one town lists its report, the others open trees of entry-less "
          f"sub-lists ({TREE_FANOUT} below each, without end)", "report",
          "a sub-list that yields no report entry, and whose sub-lists yield none, is abandoned (stat "
          "gxcrawl/lists/abandoned; lists filled by scripts or endpoints are not cut): the town's report is "
          "archived, the trees cost a few requests", via=TREE_HUB),
    Fault("images-1000", "福州市马尾区海事局2023年政府信息公开工作年度报告", f"{COL}202402/t20240207_900114.html",
          f"a report page with {IMAGES:,} `<img>`", "report",
          "images are never fetched (only reports, lists and attachments): archived, no image request"),
    Fault("image-only-page", "福州市马尾区气象局2023年政府信息公开工作年度报告", f"{COL}202402/t20240207_900115.html",
          "a report published as three scanned images on an otherwise empty page", "report",
          "archived from its list title with needs_ocr = 1; the images are named, not fetched"),
]


def _spec(fault: Fault, serial: int) -> ReportSpec:
    agency = fault.title.split("2023年")[0]
    return ReportSpec(agency, fault.year, region="马尾区", serial=900 + serial, phone="0591-83682000",
                      published="2024-01-18")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def _image_only_pdf() -> bytes:
    """One page showing one 16×16 grey image: no text layer."""
    pixels = bytes((i * 7) % 256 for i in range(256))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length 256 >>\nstream\n" + pixels + b"\nendstream"]
    content = b"q 495 0 0 742 50 50 cm /Im1 Do Q"
    objs.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    return serialize_pdf(objs, root=1)


def _broken_xref(pdf: bytes) -> bytes:
    """Every xref offset and the startxref pointer made wrong (the objects are intact)."""
    head, _, tail = pdf.rpartition(b"xref\n")
    lines = tail.split(b"\n")
    broken = [b"%010d 00000 n " % (7 + i * 13) if line.endswith(b" n ") else line for i, line in enumerate(lines)]
    out = head + b"xref\n" + b"\n".join(broken)
    return out.replace(b"startxref\n" + out.rsplit(b"startxref\n", 1)[1].split(b"\n")[0],
                       b"startxref\n" + str(len(out) * 3).encode())


def _encrypted_pdf(lines: list) -> bytes:
    """The report PDF encrypted with a user password (pypdf when installed, else a
    hand-made Standard security handler whose /U can match no password)."""
    plain = make_pdf(lines)
    try:
        from pypdf import PdfReader, PdfWriter
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
        writer.encrypt(user_password="mima-2024", owner_password="owner-2024", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except Exception:  # noqa: BLE001 - pypdf missing or changed: fall back
        encrypt = (b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>")
        return plain.replace(b"trailer\n<< ", b"trailer\n<< /Encrypt " + encrypt + b" /ID [<00><00>] ", 1)


def _zip_bomb_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        chunk = b" " * (1 << 20)
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            for _ in range(ZIP_BOMB_BYTES >> 20):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def _gzip_bomb() -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)     # gzip container
    parts = [comp.compress(b"<html><body><div id='zoom'><p>")]
    chunk = b" " * (1 << 20)
    for _ in range(GZIP_BOMB_BYTES >> 20):
        parts.append(comp.compress(chunk))
    parts.append(comp.compress(b"</p></div></body></html>"))
    parts.append(comp.flush())
    return b"".join(parts)


# -- raw socket behaviour ------------------------------------------------------------------
def _quiet(handler) -> None:
    """After we closed the socket ourselves, let BaseHTTPRequestHandler.finish() flush nothing."""
    handler.close_connection = True
    handler.wfile = io.BytesIO()


def _stall(seconds: float, stop: threading.Event):
    def stream(handler) -> None:
        stop.wait(seconds)           # say nothing; the crawler's DOWNLOAD_TIMEOUT fires first
        handler.close_connection = True
    return stream


def _reset_mid_body(promised: int, sent: bytes):
    def stream(handler) -> None:
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                + f"Content-Length: {promised}\r\n\r\n".encode() + sent)
            handler.wfile.flush()
            time.sleep(0.05)
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.connection.close()        # linger 0: RST, not FIN
        except OSError:
            pass
        _quiet(handler)
    return stream


def _endless_page(total: int):
    def stream(handler) -> None:
        chunk = ("<p>" + "政府信息公开工作年度报告，" * 400 + "</p>\n").encode() * 32
        sent = 0
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                b"Connection: close\r\n\r\n<html><body><div id='zoom'>")
            while sent < total:
                handler.wfile.write(chunk)
                sent += len(chunk)
            handler.wfile.write(b"</div></body></html>")
            handler.wfile.flush()
        except OSError:       # the crawler hangs up at its size limit: that is the point
            pass
        _quiet(handler)
    return stream


class FaultSite(Site):
    """www.faults.gov.cn — every fault of `FAULTS` behind one report column."""
    name, family = "faults", "faults"
    lookalikes = (EVIL,)

    def __init__(self, host: str = HOST, site_name: str = "福州市马尾区人民政府", region: str = "马尾区",
                 stall_seconds: float = STALL_SECONDS):
        self.stall_seconds = stall_seconds
        self.stop = threading.Event()
        self.hits: dict[str, int] = {}
        self._lazy: dict[str, bytes] = {}
        super().__init__(host, site_name, region)

    # -- the catalogue --------------------------------------------------------------------
    def article(self, spec: ReportSpec, inner: Optional[str] = None) -> str:
        metas = {"ArticleTitle": spec.title, "PubDate": f"{spec.published} 09:30", "ColumnName": "政府信息公开年报"}
        body = (f'<div class="info">来源：{e(spec.agency)} 时间：{spec.published} 10:00</div>'
                f'<div class="TRS_Editor">{inner if inner is not None else render_report(spec)}</div>')
        return self.page(spec.title, body, metas)

    def build(self) -> None:
        self.by_path: dict[str, Fault] = {}
        self.documents: dict[str, Fault] = {}      # attachment path → the fault whose shell links it
        home = self.page(self.site_name, '<div class="nav"><a href="/zwgk/zfxxgknb/">政府信息公开年报</a></div>'
                         '<div class="cal"><a href="/calendar/?y=2024&amp;m=5">活动日历</a></div>',
                         {"SiteIDCode": "3501050001"})
        self.add("/", html_reply(home))
        self.add("/index.html", html_reply(home))
        self.static["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
        for serial, fault in enumerate(FAULTS):
            self.by_path[fault.path.split("?")[0]] = fault
            if fault.document:
                self.documents[fault.document] = fault
            if fault.expect == "report":
                spec = _spec(fault, serial)
                self.expect(fault.path, spec, kind=(fault.document or fault.path).rsplit(".", 1)[-1], fault=fault.id,
                            also=[fault.document] if fault.document else None,
                            **({"needs_ocr": True} if fault.id in ("image-only-pdf", "image-only-page") else {}))
        self.add(COMMENTED_LIST, html_reply(self.commented_list()))
        self.column_page = self.list_page(1)
        self.add(COL, html_reply(self.column_page))
        self.add(COL + "index.html", html_reply(self.column_page))

    def list_page(self, page: int, sid: str = "") -> str:
        items = [(f.path, f.title, "2024-01-18") for f in FAULTS if f.expect != "bounded" and not f.via]
        items += [(via, VIA_TITLES[via], "2024-02-05") for via in dict.fromkeys(f.via for f in FAULTS if f.via)]
        more = (f'<a href="search.jsp?page={page + 1}&amp;sid={page * 7919 % 10007}">下一页</a> '
                f'<a href="/calendar/?y=2024&amp;m={page % 12 + 1}">2024年{page % 12 + 1}月</a>')
        return self.page("政府信息公开年报", f"<h2>政府信息公开年报</h2>{_ul(items)}{more}", {"ColumnName": "政府信息公开年报"})

    def commented_list(self) -> str:
        """The departments' sub-list as old Hanweb templates leave it: links, a whole datastore and
        a pagination call commented out beside the live ones (decoys under /old/)."""
        real = [f for f in FAULTS if f.via == COMMENTED_LIST]
        decoys = "".join(f'<li><a href="/old/{i}/t2020010{i}_1.html">福州市马尾区旧机构{i}2019年政府信息公开工作年度报告'
                         f'</a></li>' for i in range(1, 4))
        record = "".join(f'<record><![CDATA[<li><a href="{f.path}" title="{e(f.title)}">{e(f.title)}</a>'
                         f'<span>2024-02-05</span></li>]]></record>' for f in real)
        old_record = ('<record><![CDATA[<li><a href="/old/ds/t20200101_2.html">福州市马尾区旧机构2019年政府信息公开工作'
                      '年度报告</a></li>]]></record>')
        body = (f'<h2>部门年报</h2><!-- <ul class="list">{decoys}</ul> -->'
                f'<!--<script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>{old_record}'
                f'</recordset></datastore></script>-->'
                f'<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[]]></nextgroup>'
                f'<recordset>{record}</recordset></datastore></script></div>'
                f'<!-- <script>createPageHTML(40, 0, "index", "html");</script> -->'
                f'<script type="text/javascript"><!--\nvar columnid = 4567; // -->\n</script>')
        return self.page("部门年报", body, {"ColumnName": "部门年报"})

    def tree_list(self, path: str) -> str:
        """The township hub and the lists below it: town a0 lists its report; every other list
        lists nothing but TREE_FANOUT sub-lists of its own, to any depth."""
        rel = path[len(TREE_HUB):].strip("/")
        if rel == "a0":
            items = [(f.path, f.title, "2024-02-06") for f in FAULTS if f.via == TREE_HUB]
            return self.page("亭江镇", f"<h2>亭江镇</h2>{_ul(items)}", {"ColumnName": "亭江镇"})
        level = len(rel.split("/")) if rel else 0
        prefix = "abcdefghijklmnopqrstuvwxyz"[level % 26]
        subs = "".join(f'<li><a href="{path}{prefix}{i}/">第{level + 1}级 第{i + 1}组</a></li>' for i in range(TREE_FANOUT))
        return self.page(f"乡镇年报 {rel or '首页'}", f"<h2>乡镇年报</h2><ul class=\"sub\">{subs}</ul>",
                         {"ColumnName": "乡镇年报"})

    def lazy(self, key: str, make: Callable[[], bytes]) -> bytes:
        with self.lock:
            if key not in self._lazy:
                self._lazy[key] = make()
            return self._lazy[key]

    # -- serving ---------------------------------------------------------------------------
    def handle(self, req: Request) -> Reply:
        fault = self.by_path.get(req.path)
        with self.lock:
            self.hits[req.path] = self.hits.get(req.path, 0) + 1
            n = self.hits[req.path]
        if len(req.headers.get("cookie", "")) > NGINX_COOKIE_LIMIT:
            return Reply(400, b"<html><head><title>400 Request Header Or Cookie Too Large</title></head><body>"
                         b"<center><h1>400 Bad Request</h1></center><center>Request Header Or Cookie Too Large"
                         b"</center><hr><center>nginx</center></body></html>", "text/html")
        if req.path.startswith("/calendar/"):
            return self.calendar(req)
        if req.path.startswith(TREE_HUB) and req.path.endswith("/"):
            return html_reply(self.tree_list(req.path))
        if req.path in self.documents:
            return self.serve_document(self.documents[req.path], req)
        if req.path in (COL, COL + "index.html"):      # a session cookie for the /cookie/ pages
            return Reply(200, self.column_page.encode("utf-8"), "text/html; charset=utf-8",
                         {"Set-Cookie": "JSESSIONID=8F3A2C1D9E; Path=/cookie/; HttpOnly"})
        if req.path == COL + "search.jsp":
            return html_reply(self.list_page(int(req.q("page", "2") or 2)))
        if req.path.startswith("/hop/"):
            try:
                k = int(req.path[5:].split(".")[0])
            except ValueError:
                k = 1
            return Reply(302, b"", "text/html", {"Location": f"/hop/{k + 1}.html"})
        if req.path == "/loop/a.html":
            return Reply(302, b"", "text/html", {"Location": f"http://{self.host}/loop/b.html"})
        if req.path == "/loop/b.html":
            return Reply(302, b"", "text/html", {"Location": "/loop/a.html"})
        if fault is None or fault.expect == "bounded":
            return super().handle(req)
        return self.serve_fault(fault, req, n)

    def serve_document(self, fault: Fault, req: Request) -> Reply:
        """The attachment of a shell page; cookie-400's server refuses more than 4 KB of cookies."""
        if fault.id == "cookie-400" and len(req.headers.get("cookie", "")) > 4096:
            return Reply(400, b"<html><body><h1>Bad Request</h1><p>Size of a request header field exceeds server "
                         b"limit.</p></body></html>", "text/html")
        return Reply(200, make_pdf(report_lines(_spec(fault, FAULTS.index(fault)))), "application/pdf")

    def calendar(self, req: Request) -> Reply:
        y, m = int(req.q("y", "2024") or 2024), int(req.q("m", "5") or 5)
        prev, nxt = ((y, m - 1) if m > 1 else (y - 1, 12)), ((y, m + 1) if m < 12 else (y + 1, 1))
        days = "".join(f'<a href="?y={y}&amp;m={m}&amp;d={d}">{d}</a> ' for d in range(1, 29))
        body = (f'<a href="?y={prev[0]}&amp;m={prev[1]}">上一月</a> {y}年{m}月 '
                f'<a href="?y={nxt[0]}&amp;m={nxt[1]}">下一月</a><div>{days}</div>')
        return html_reply(self.page(f"{y}年{m}月", body))

    def serve_fault(self, fault: Fault, req: Request, n: int) -> Reply:
        serial = FAULTS.index(fault)
        spec = _spec(fault, serial)
        fid = fault.id
        if fid == "good-html":
            return html_reply(self.article(spec))
        if fid == "good-pdf":
            return Reply(200, make_pdf(report_lines(spec)), "application/pdf")
        if fid == "good-docx":
            return Reply(200, make_docx(report_lines(spec)),
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if fid == "http-503-retry-after":
            if n == 1:
                return Reply(503, b"<html><body>Service Unavailable</body></html>", "text/html", {"Retry-After": "2"})
            return html_reply(self.article(spec))
        if fid == "http-500-retry-after":
            return Reply(500, b"<html><body>Internal Server Error</body></html>", "text/html", {"Retry-After": "1"})
        if fid == "http-503-retry-after-long":
            return Reply(503, b"<html><body>Maintenance</body></html>", "text/html", {"Retry-After": "86400"})
        if fid == "timeout":
            return RawReply(0, stream=_stall(self.stall_seconds, self.stop))
        if fid == "reset-mid-body":
            page = self.article(spec).encode()
            return RawReply(0, stream=_reset_mid_body(max(200_000, len(page) * 2), page[:4096]))
        if fid == "truncated-gzip":
            packed = _gzip(self.article(spec).encode())
            return Reply(200, packed[: len(packed) // 2], "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        if fid == "gzip-bomb":
            return Reply(200, self.lazy("gzip-bomb", _gzip_bomb), "text/html; charset=utf-8",
                         {"Content-Encoding": "gzip"})
        if fid == "huge-page":
            return RawReply(0, stream=_endless_page(HUGE_PAGE_BYTES))
        if fid == "wrong-charset":
            text = self.article(spec).replace("charset=utf-8", "charset=gbk")
            return Reply(200, text.encode("gb18030"), "text/html; charset=iso-8859-1")
        if fid == "mixed-encodings":
            page = self.article(spec).encode("utf-8")
            footer = "<p>版权所有：福州市马尾区人民政府 闽ICP备05000000号</p>".encode("gb18030")
            return Reply(200, page.replace(b"</body>", footer + b"</body>"), "text/html; charset=utf-8")
        if fid == "malformed-html":
            inner = (render_report(spec).replace("</td>", "").replace("</tr>", "", 3)
                     + "</table></table><td>孤立单元格</td><p><b><i>未闭合 <a href=x>链接\x00\x00 <<>> <div")
            text = self.article(spec, inner).replace("</body></html>", "")
            return Reply(200, text.encode("utf-8"), "text/html; charset=utf-8")
        if fid == "broken-xref-pdf":
            return Reply(200, _broken_xref(make_pdf(report_lines(spec))), "application/pdf")
        if fid == "encrypted-pdf":
            return Reply(200, self.lazy("encrypted", lambda: _encrypted_pdf(report_lines(spec))), "application/pdf")
        if fid == "zip-bomb-docx":
            return Reply(200, self.lazy("zip-bomb", _zip_bomb_docx), "application/octet-stream")
        if fid == "empty-attachment":
            return Reply(200, b"", "application/pdf")
        if fid == "image-only-pdf":
            return Reply(200, _image_only_pdf(), "application/pdf")
        if fid == "table-10k-rows":
            rows = "".join(f"<tr><td>{i}</td><td>依申请公开事项{i}</td><td>{i % 7}</td></tr>" for i in range(TABLE_ROWS))
            inner = render_report(spec) + f"<p>附表：依申请公开目录</p><table>{rows}</table>"
            return html_reply(self.article(spec, inner))
        if fid == "redirect-offhost":
            return Reply(302, b"", "text/html", {"Location": f"http://{EVIL}{req.path}"})
        if fid == "meta-refresh-offhost":
            return html_reply(f'<html><head><meta http-equiv="refresh" content="0; url=http://{EVIL}{req.path}">'
                              f'<title>{e(spec.title)}</title></head><body>页面跳转中……</body></html>')
        if fid == "js-redirect-offhost":
            script = (f'<script>if(!/Baiduspider/.test(navigator.userAgent))'
                      f'{{window.location.href="http://{EVIL}/?from="+location.pathname;}}</script>')
            return html_reply(self.article(spec).replace("</head>", script + "</head>", 1))
        if fid == "offhost-attachment":
            link = f'<p>附件：<a href="http://{EVIL}/uploadfiles/202402/900104.pdf">{e(spec.title)}.pdf</a></p>'
            return html_reply(self.article(spec, link))
        if fid in ("utf16-bom", "utf16-no-bom"):
            text = self.article(spec).replace("charset=utf-8", "charset=utf-16")
            if fid == "utf16-bom":
                return Reply(200, ("\ufeff" + text).encode("utf-16-le"), "text/html")
            return Reply(200, text.encode("utf-16-be"), "application/octet-stream")
        if fid == "utf32-text":
            lines = [line if isinstance(line, str) else "\n".join("\t".join(row) for row in line)
                     for line in report_lines(spec)]                # tables as tab-separated rows
            return Reply(200, ("\ufeff" + "\n".join(lines)).encode("utf-32-le"), "text/plain")
        if fid in ("cookie-10k", "cookie-400"):
            link = f'<p>附件：<a href="{fault.document}">{e(spec.title)}.pdf</a></p>'
            if fid == "cookie-10k":
                cookies = {"Set-Cookie": f"hw_trace={'7' * 10240}; Path=/"}
            else:
                cookies = {"Set-Cookie": [f"wzws_{i}={'a' * 3000}; Path=/uploadfiles/202402/" for i in (1, 2)]}
            return Reply(200, self.article(spec, link).encode("utf-8"), "text/html; charset=utf-8", cookies)
        if fid in ("set-cookie-64k", "set-cookie-64k-always"):
            if fid == "set-cookie-64k-always" or req.headers.get("cookie"):
                return Reply(200, self.article(spec).encode("utf-8"), "text/html; charset=utf-8",
                             {"Set-Cookie": f"hw_session={'s' * HUGE_SET_COOKIE}; Path=/"})
            return html_reply(self.article(spec))
        if fid in ("commented-links", "entryless-tree"):
            return html_reply(self.article(spec))
        if fid == "images-1000":
            imgs = "".join(f'<img src="/images/202402/p{i:04d}.jpg" alt="">' for i in range(IMAGES))
            return html_reply(self.article(spec, render_report(spec) + f"<div class='pics'>{imgs}</div>"))
        if fid == "image-only-page":
            imgs = "".join(f'<p><img src="/images/202402/900115_{i}.png"></p>' for i in range(1, 4))
            return html_reply(self.article(spec, imgs))
        if fid == "deep-nesting":
            inner = "<div>" * NESTING + "</div>" * NESTING + render_report(spec)
            return html_reply(self.article(spec, inner))
        return not_found()


def fault_table() -> str:
    """The README table: each fault and what gxcrawl does about it."""
    rows = ["| fault | what the server does | what gxcrawl does |", "|---|---|---|"]
    rows += [f"| {f.id} | {f.what} | {f.reason} |" for f in FAULTS]
    return "\n".join(rows)


# -- bot walls (issue 14: walls answering 200; the browser's own requests) ------------------------
#: the bot-wall fault host: each fault page behind a wall of its own (gxcrawl/replicas/walls.py);
#: a host of its own because its walls need the browser, which the fault host's crawl switches off
WALL_HOST = "www.bwfaults.gov.cn"
WALL_EVIL = f"{WALL_HOST}.evil.com"
WALL_COL = "/xxgk/xxgknb/"

WALL_FAULTS: list[Fault] = [
    Fault("good-html-unwalled", "福州市长乐区人民政府2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910001.html",
          "a good report page with no wall, among the walls", "report", "archived"),
    Fault("wall-yunsuo-200", "福州市长乐区财政局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910002.html",
          "云锁 Yunsuo-style: HTTP 200, a tiny script stores the URL in `srcurl` and jumps to "
          "`?security_verify_data=`, which answers 302 back with the clearance cookie", "report",
          "recognized by its look (`yunsuo-200`), passed once in Chromium, its cookies reused by the plain "
          "replay: archived"),
    Fault("wall-safedog-200", "福州市长乐区教育局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910003.html",
          "安全狗 Safedog-style CC check: HTTP 200, `Server: Safedog`, an obfuscated script (char codes, `eval`) "
          "jumping to `?WebShieldSessionVerify=`, then a 302 with `safedog-flow-item`", "report",
          "recognized (`safedog-200`), passed in Chromium: archived"),
    Fault("wall-knownsec-200", "福州市长乐区民政局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910004.html",
          "知道创宇 Knownsec 加速乐-style at HTTP 200: `__jsl_clearance_s` spelled one character at a time into "
          "`document.cookie`, then `location.href`", "report", "recognized (`jsl-200`), passed in Chromium: archived"),
    Fault("wall-knownsec-521", "福州市长乐区司法局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910005.html",
          "the same wall with the real product's HTTP 521", "report", "recognized (`jsl-521`), passed: archived"),
    Fault("wall-never-passes", "福州市长乐区人社局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910006.html",
          "a Yunsuo-style wall whose verification never grants the cookie", "blocked",
          "one browser round, the replay still a wall: recorded blocked (`yunsuo-200`); its entry is not done, "
          "so the next crawl asks again"),
    Fault("wall-ban-200", "福州市长乐区自然资源局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910007.html",
          "安全狗's interception page (网站防火墙 · 已被网站管理员设置拦截) at HTTP 200", "blocked",
          "a ban no browser passes: recorded blocked (`ban-safedog-200`) without a browser round"),
    Fault("wall-trackers", "福州市长乐区生态环境局2023年政府信息公开工作年度报告", f"{WALL_COL}202403/t20240301_910008.html",
          "a Yunsuo-style wall that also loads a tracker pixel and calls two foreign URLs (a statistics host and "
          f"the look-alike `{WALL_EVIL}`), a same-host image and a web font", "report",
          "in the browser every off-host request and every image, media and font is refused (page.route) and "
          "recorded in `refused`; 0 reach the farm; the wall passes: archived"),
]
#: the wall of each walled fault: kind, HTTP status, passes, trackers
WALLS = {"wall-yunsuo-200": ("yunsuo", 200, True, False), "wall-safedog-200": ("safedog", 200, True, False),
         "wall-knownsec-200": ("knownsec", 200, True, False), "wall-knownsec-521": ("knownsec", 521, True, False),
         "wall-never-passes": ("yunsuo", 200, False, False), "wall-trackers": ("yunsuo", 200, True, True)}


def _wall_spec(fault: Fault, serial: int) -> ReportSpec:
    agency = fault.title.split("2023年")[0]
    return ReportSpec(agency, fault.year, region="长乐区", serial=910 + serial, phone="0591-28922000",
                      published="2024-03-01")


class WallFaultSite(FaultSite):
    """www.bwfaults.gov.cn — every fault of `WALL_FAULTS` behind one report column, each walled
    page behind its own wall (cookies scoped to the page), a good page without one."""
    name, family = "wall-faults", "faults"
    lookalikes = (WALL_EVIL,)

    def __init__(self, host: str = WALL_HOST, site_name: str = "福州市长乐区人民政府", region: str = "长乐区"):
        super().__init__(host, site_name, region)

    def build(self) -> None:
        from types import SimpleNamespace
        from gxcrawl.replicas.walls import Gated
        self.by_path = {}
        self.gates = {}
        nav = f'<div class="nav"><a href="{WALL_COL}">政府信息公开年报</a></div>'
        home = self.page(self.site_name, nav, {"SiteIDCode": "3501120001"})
        self.add("/", html_reply(home))
        self.add("/index.html", html_reply(home))
        for serial, fault in enumerate(WALL_FAULTS):
            self.by_path[fault.path] = fault
            if fault.expect == "report":
                self.expect(fault.path, _wall_spec(fault, serial), kind="html", fault=fault.id)
            if fault.id in WALLS:
                kind, status, passes, trackers = WALLS[fault.id]
                page = SimpleNamespace(host=self.host, handle=self.fault_page)
                self.gates[fault.path] = Gated(page, kind, guard=lambda p, path=fault.path: p == path, passes=passes,
                                               status=status, trackers=trackers, cookie_path=fault.path)
        items = [(f.path, f.title, "2024-03-01") for f in WALL_FAULTS]
        column = self.page("政府信息公开年报", f"<h2>政府信息公开年报</h2>{_ul(items)}", {"ColumnName": "政府信息公开年报"})
        self.add(WALL_COL, html_reply(column))
        self.add(WALL_COL + "index.html", html_reply(column))

    def fault_page(self, req: Request) -> Reply:
        """The page behind the wall (or the ban)."""
        from gxcrawl.replicas.walls import ban_page
        fault = self.by_path[req.path]
        if fault.id == "wall-ban-200":
            return Reply(200, ban_page(), "text/html; charset=gb2312")
        spec = _wall_spec(fault, WALL_FAULTS.index(fault))
        return html_reply(self.article(spec))

    def handle(self, req: Request) -> Reply:
        with self.lock:
            self.hits[req.path] = self.hits.get(req.path, 0) + 1
        gate = self.gates.get(req.path)
        if gate is not None:
            return gate.handle(req)
        if req.path in self.by_path:
            return self.fault_page(req)
        return Site.handle(self, req)


def wall_fault_table() -> str:
    """The README rows of the bot-wall faults (same columns as `fault_table`)."""
    return "\n".join(f"| {f.id} | {f.what} | {f.reason} |" for f in WALL_FAULTS)
