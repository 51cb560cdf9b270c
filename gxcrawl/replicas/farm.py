"""The replica farm: one threaded HTTP server on 127.0.0.1 serving every replica portal by
its real host name.

It answers both ordinary requests (``Host:`` header) and proxy-style requests
(``GET http://www.sm.gov.cn/zwgk/ HTTP/1.1``), so a crawler reaches the replicas by using
the farm as its HTTP proxy for the portal hosts — URLs, cookies, Referers and offsite
checks stay exactly those of the real portals. Requests for any other host are refused
(502) and recorded in `offsite`, which is how tests prove a crawl never left its portal.

>>> farm = Farm(include_shared=False).start()
>>> import urllib.request
>>> opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.proxy_url}))
>>> b"SiteName" in opener.open("http://www.sm.gov.cn/").read()
True
>>> farm.stop()
"""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import parse_qs, urlsplit

from gxcrawl.replicas.county import MixedCounty         # static lists, a total-less datastore, a script-filled list
from gxcrawl.replicas.gkmlpt import GkmlptPrefecture   # Guangdong's gkmlpt platform: Vue shells, a JS chunk, trees
from gxcrawl.replicas.phpcms import PhpcmsCounty       # PHPCMS v9: index.php?…&catid=N lists, tabs, cut titles
from gxcrawl.replicas.planted import PlantedCounty     # reports with planted accountability problems
from gxcrawl.replicas.searchsite import SearchOnly     # reports reachable only through the site's search
from gxcrawl.replicas.sites import (Decoy, DistrictTraps, HanwebCounty, JsonChallenge, OldGbk, Reply, Request, Site,
                                   SpamMirror, TrsCity, shared_pdf_sites)

MANIFESTS = Path(__file__).resolve().parent / "manifests"
#: what a look-alike host answers: a copied report under a gambling brand (stored, it would pass
#: for the portal's own page)
FOREIGN_PAGE = ("<html><head><meta charset='utf-8'><title>福州市马尾区人民政府2023年政府信息公开工作年度报告_"
                "金沙娱乐</title></head><body><h1>福州市马尾区人民政府2023年政府信息公开工作年度报告</h1>"
                "<p>一、总体情况 2023年，马尾区…… 金沙娱乐官网 www.js888.com</p></body></html>").encode("utf-8")


def _handle_error(request, client_address) -> None:
    import sys
    import traceback
    if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
        return
    traceback.print_exc()


def build_sites(include_shared: bool = True) -> list[Site]:
    yj = HanwebCounty(site_id="3303240001")
    sites: list[Site] = [TrsCity(), yj, JsonChallenge(), OldGbk(), DistrictTraps(), SpamMirror(yj), Decoy(), SearchOnly(),
                         PlantedCounty(), MixedCounty(), GkmlptPrefecture(), PhpcmsCounty()]
    if include_shared:
        sites += shared_pdf_sites()
    return sites


class Farm:
    def __init__(self, sites: Optional[list[Site]] = None, include_shared: bool = True, port: int = 0,
                 faults: bool = False):
        self.sites = sites if sites is not None else build_sites(include_shared=include_shared)
        if faults:   # the fault host (faults.py): opt-in, its stalls would slow every other crawl
            from gxcrawl.replicas.faults import FaultSite, WallFaultSite
            self.sites += [FaultSite(), WallFaultSite()]
        self.by_host = {s.host: s for s in self.sites}
        self.lookalikes = {h for s in self.sites for h in s.lookalikes}
        self.log: list[dict] = []
        self.offsite: list[str] = []
        self.lock = threading.Lock()
        self.port = port
        self.server: Optional[ThreadingHTTPServer] = None
        # conditional requests (admin.py): (host, path) -> (etag, first served); hosts without validators
        self.modified: dict[tuple[str, str], tuple[str, int]] = {}
        self.no_validators: set[str] = {"www.ruijin.gov.cn"}
        self.not_modified = 0

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> "Farm":
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _serve(self, method: str):
                farm.serve(self, method)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_HEAD(self):
                self._serve("HEAD")

            def do_CONNECT(self):   # no TLS on the replicas
                with farm.lock:
                    farm.offsite.append(f"CONNECT {self.path}")
                self.send_response(405)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.handle_error = _handle_error   # clients that hang up (faults, timeouts) are no error
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, name="replica-farm", daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def __enter__(self):
        return self.start() if self.server is None else self

    def __exit__(self, *exc):
        self.stop()

    # -- addressing ----------------------------------------------------------
    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def proxy_url(self) -> str:
        return f"http://{self.address}"

    def host_map(self) -> dict[str, str]:
        """The crawler setting GXCRAWL_HOST_MAP: every replica host → this farm; so are the
        sites' look-alike hosts, so that a request leaking to one reaches the farm and is counted."""
        return {h: self.address for s in self.sites for h in (s.host, *s.lookalikes)}

    def site(self, name: str) -> Site:
        return next(s for s in self.sites if s.name == name)

    def manifest(self) -> dict[str, dict]:
        return {s.name: {"host": s.host, "family": s.family, "site_name": s.site_name, "region": s.region,
                         "root": f"http://{s.host}/", "reports": s.manifest} for s in self.sites}

    def requests_for(self, host: str) -> list[dict]:
        return [r for r in self.log if r["host"] == host]

    # -- serving -------------------------------------------------------------
    def serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        raw = handler.path
        parts = urlsplit(raw)
        netloc = (parts.netloc or handler.headers.get("Host", "")).lower()
        host = netloc.split(":")[0]
        length = int(handler.headers.get("Content-Length") or 0)
        data = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        form = {}
        if data and "form" in headers.get("content-type", "form"):
            form = {k: v[0] for k, v in parse_qs(data.decode("utf-8", "replace")).items()}
        # a site served at a bare address (host "127.0.0.1:PORT", as county sites run on IPs)
        site = self.by_host.get(netloc) if ":" in netloc else None
        site = site or self.by_host.get(host)
        started = time.time()
        if site is None:
            if host in ("127.0.0.1", "localhost", "") and parts.path.startswith("/_admin/"):
                from gxcrawl.replicas.admin import admin
                reply = admin(self, method, parts.path, form)
            elif host in ("127.0.0.1", "localhost", ""):
                reply = Reply(200, self.index_page().encode(), "text/html; charset=utf-8")
            elif host in self.lookalikes:      # counted: a crawl must never come here
                with self.lock:
                    self.offsite.append(raw if parts.hostname else f"http://{host}{raw}")
                reply = Reply(200, FOREIGN_PAGE, "text/html; charset=utf-8")
            else:
                with self.lock:
                    self.offsite.append(raw if parts.hostname else f"http://{host}{raw}")
                reply = Reply(502, b"replica farm: host not served", "text/plain")
        else:
            req = Request(method, parts.path or "/", parse_qs(parts.query), headers, form)
            try:
                reply = site.handle(req)
            except Exception as exc:  # a replica bug must not hang the crawler
                reply = Reply(500, f"replica error: {exc!r}".encode(), "text/plain")
            from gxcrawl.replicas.admin import conditional
            reply = conditional(self, host, parts.path + ("?" + parts.query if parts.query else ""), method,
                                headers, reply, started)
        with self.lock:
            self.log.append({"host": host, "method": method, "path": parts.path, "query": parts.query,
                             "status": reply.status, "bytes": len(reply.body), "ua": headers.get("user-agent", ""),
                             "referer": headers.get("referer", ""), "cookie": headers.get("cookie", ""), "form": form, "t": started})
        if getattr(reply, "stream", None) is not None:   # faults.py: stalls, resets, unbounded bodies
            reply.stream(handler)
            return
        handler.send_response(reply.status)
        handler.send_header("Content-Type", reply.content_type)
        handler.send_header("Content-Length", str(len(reply.body)))
        for k, v in reply.headers.items():
            for value in (v if isinstance(v, list) else [v]):    # a list: the header repeated (Set-Cookie)
                handler.send_header(k, value)
        handler.end_headers()
        if method != "HEAD":
            handler.wfile.write(reply.body)

    def index_page(self) -> str:
        rows = "".join(f"<li>{s.name}: http://{s.host}/ ({s.family}, {len(s.manifest)} reports)</li>" for s in self.sites)
        return f"<html><body><h1>gxcrawl replica farm</h1><ul>{rows}</ul></body></html>"


def write_manifests(directory: Path = MANIFESTS, include_shared: bool = False) -> list[Path]:
    """Write one JSON manifest per replica (the shipped manifests are built without shared/)."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data in Farm(include_shared=include_shared).manifest().items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        out.append(path)
    return out


def main(argv: Optional[list[str]] = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m gxcrawl.replicas", description="Serve the replica portals on 127.0.0.1.")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--write-manifests", action="store_true", help="regenerate gxcrawl/replicas/manifests/*.json")
    ap.add_argument("--faults", action="store_true", help="also serve the fault host www.faults.gov.cn (faults.py)")
    ap.add_argument("--scale", type=int, metavar="N", help="serve N virtual portals instead (gxcrawl.replicas.scale)")
    ap.add_argument("--latency", default="0.1-0.4", help="with --scale: seconds per answer, LOW-HIGH (default 0.1-0.4)")
    args = ap.parse_args(argv)
    if args.scale:
        from gxcrawl.replicas.scale import serve
        low, _, high = args.latency.partition("-")
        return serve(args.scale, (float(low), float(high or low)), port=args.port)
    if args.write_manifests:
        for p in write_manifests():
            print(p)
        return 0
    farm = Farm(port=args.port, faults=args.faults).start()
    print(f"replica farm on {farm.proxy_url} — use it as the HTTP proxy for:")
    for s in farm.sites:
        print(f"  http://{s.host}/  ({s.name}, {s.family}, {len(s.manifest)} reports)")
    print(f"crawl: scrapy crawl portal -a url=http://www.sm.gov.cn/ -s 'GXCRAWL_HOST_MAP={json.dumps(farm.host_map())}'")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        farm.stop()
    return 0
