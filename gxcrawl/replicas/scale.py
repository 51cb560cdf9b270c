"""The scale farm: N virtual portals (gxcrawl.replicas.scale_portals) behind one asyncio
HTTP server on 127.0.0.1, answering by host like the replica farm (proxy-style request
lines ``GET http://www.s0001.scale.gov.cn/ HTTP/1.1`` or a ``Host:`` header), each answer
after a latency drawn per page (default 100–400 ms, four times that on slow portals) and
served without blocking (``asyncio.sleep``): thousands of requests wait at once on one
thread, as on the real web.

The farm counts what a politeness check needs: requests per host, the most requests of
one host in flight at once (`max_in_flight`), and each (host, method, path) asked more
than once (`repeats`).

    python -m gxcrawl.replicas --scale 1000 [--latency 0.1-0.4] [--port P]

>>> farm = ScaleFarm(3, latency=(0.01, 0.02)).start()
>>> import urllib.request
>>> opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": farm.proxy_url}))
>>> b"zfxxgknb" in opener.open("http://www.s0001.scale.gov.cn/zwgk/").read()
True
>>> farm.requests["www.s0001.scale.gov.cn"], farm.max_in_flight["www.s0001.scale.gov.cn"]
(1, 1)
>>> farm.stop()
"""
from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections import Counter
from typing import Optional
from urllib.parse import urlsplit

from gxcrawl.replicas.scale_portals import HOST_SUFFIX, SLOW_FACTOR, ScalePortal
from gxcrawl.replicas.sites import Reply

STATUS = {200: "OK", 404: "Not Found", 502: "Bad Gateway", 503: "Service Unavailable"}


class ScaleFarm:
    """N virtual portals on one loopback port; `host_map()` is the crawler's GXCRAWL_HOST_MAP."""

    def __init__(self, n: int, latency: tuple[float, float] = (0.1, 0.4), port: int = 0):
        self.portals = [ScalePortal(i) for i in range(n)]
        self.sites = self.portals        # the replica Farm's name for them (harness.compare)
        self.by_host = {p.host: p for p in self.portals}
        self.latency = latency
        self.port = port
        self.requests: Counter = Counter()       # host → requests answered or under way
        self.in_flight: Counter = Counter()      # host → requests waiting for their answer now
        self.max_in_flight: Counter = Counter()  # host → the most at once
        self.seen: Counter = Counter()           # (host, method, path?query) → times asked
        self.offsite: list[str] = []
        self.first: dict[str, float] = {}        # host → time of its first / last request
        self.last: dict[str, float] = {}
        self.arrivals: dict[str, list] = {}      # host → (time, path) of each request: where a crawl waits
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._server = None
        self._ready = threading.Event()

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> "ScaleFarm":
        threading.Thread(target=self._run, name="scale-farm", daemon=True).start()
        self._ready.wait(10)
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._server = loop.run_until_complete(asyncio.start_server(self._client, "127.0.0.1", self.port,
                                                                     backlog=4096, limit=1 << 20))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        loop.run_forever()
        self._server.close()
        loop.run_until_complete(self._server.wait_closed())
        loop.close()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._loop = None

    def __enter__(self):
        return self.start() if self._loop is None else self

    def __exit__(self, *exc):
        self.stop()

    # -- addressing ----------------------------------------------------------------
    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def proxy_url(self) -> str:
        return f"http://{self.address}"

    def host_map(self) -> dict[str, str]:
        """GXCRAWL_HOST_MAP: one wildcard entry for every portal host (a 3,000-entry map would
        not fit on a command line)."""
        return {"*" + HOST_SUFFIX: self.address}

    def roots(self) -> list[str]:
        return [p.url("/") for p in self.portals]

    def manifest(self) -> dict[str, dict]:
        return {p.name: {"host": p.host, "family": p.family, "site_name": p.site_name, "region": p.region,
                         "root": p.url("/"), "reports": p.manifest} for p in self.portals}

    # -- what the farm saw -----------------------------------------------------------
    def repeats(self, ignore=("/robots.txt",)) -> dict[tuple, int]:
        """(host, method, path) asked more than once (robots.txt is each worker's own), on
        portals that answered (a failing portal's 503s are retried by design)."""
        return {k: n for k, n in self.seen.items() if n > 1 and k[2].split("?")[0] not in ignore
                and not self.by_host[k[0]].failing}

    def delay_of(self, host: str, path: str) -> float:
        """This page's latency: fixed per (host, path) so that runs compare."""
        lo, hi = self.latency
        h = int(hashlib.md5(f"{host}{path}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        portal = self.by_host.get(host)
        return (lo + (hi - lo) * h) * (SLOW_FACTOR if portal is not None and portal.slow else 1.0)

    def mean_latency(self, host: str) -> float:
        lo, hi = self.latency
        return (lo + hi) / 2 * (SLOW_FACTOR if self.by_host[host].slow else 1.0)

    # -- serving --------------------------------------------------------------------
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                method, target, headers = _parse_head(head)
                length = int(headers.get("content-length") or 0)
                if length:
                    await reader.readexactly(length)
                keep = headers.get("connection", "").lower() != "close"
                await self._answer(writer, method, target, headers, keep)
                if not keep:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _answer(self, writer, method: str, target: str, headers: dict, keep: bool) -> None:
        parts = urlsplit(target)
        host = (parts.hostname or headers.get("host", "")).split(":")[0].lower()
        path = parts.path or "/"
        portal = self.by_host.get(host)
        if portal is None:
            self.offsite.append(target if parts.hostname else f"http://{host}{target}")
            reply = Reply(502, b"scale farm: host not served", "text/plain")
        else:
            now = time.time()
            self.first.setdefault(host, now)
            self.arrivals.setdefault(host, []).append((now, path))
            self.requests[host] += 1
            self.seen[(host, method, path + ("?" + parts.query if parts.query else ""))] += 1
            self.in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight[host], self.in_flight[host])
            try:
                await asyncio.sleep(self.delay_of(host, path))
                reply = portal.answer(path)
            finally:
                # counted out before the answer is written: the client cannot start its next
                # request before it has this one's answer
                self.in_flight[host] -= 1
                self.last[host] = time.time()
        writer.write(_response(reply, method, keep))
        await writer.drain()


def _parse_head(head: bytes) -> tuple[str, str, dict]:
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    return method, target, headers


def _response(reply: Reply, method: str, keep: bool) -> bytes:
    head = [f"HTTP/1.1 {reply.status} {STATUS.get(reply.status, 'OK')}", f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(reply.body)}", f"Connection: {'keep-alive' if keep else 'close'}"]
    head += [f"{k}: {v}" for k, v in reply.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (b"" if method == "HEAD" else reply.body)


def serve(n: int, latency: tuple[float, float], port: int = 0) -> int:
    """`python -m gxcrawl.replicas --scale N`: serve until interrupted."""
    import json
    farm = ScaleFarm(n, latency=latency, port=port).start()
    print(f"scale farm: {n} portals on {farm.proxy_url} (latency {latency[0]}–{latency[1]} s), "
          f"{sum(len(p.manifest) for p in farm.portals)} true reports")
    print(f"crawl: scrapy crawl portal -a url={farm.portals[0].url('/')},… "
          f"-s 'GXCRAWL_HOST_MAP={json.dumps(farm.host_map())}'")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        farm.stop()
    return 0
