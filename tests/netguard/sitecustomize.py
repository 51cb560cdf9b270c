"""The tests' network guard: no socket to anything but the loopback, in the test process
and in every Python subprocess the tests start.

tests/conftest.py puts this directory first on PYTHONPATH (so each Python subprocess
imports this file at start-up) and sets GXCRAWL_NETGUARD_LOG. Then a connect() to an
address outside 127.0.0.0/8 and ::1, or a name lookup of a host that is not this machine
or localhost, is refused (OSError ENETUNREACH / socket.gaierror) and written to that log;
the test during which it happened fails (tests/conftest.py). Names under `.invalid`
(RFC 6761: never resolve) fail at once without a query and are no violation: tests of
unreachable portals use them. Without GXCRAWL_NETGUARD_LOG this file does nothing.

>>> allowed_host("127.0.0.1"), allowed_host("::1"), allowed_host("localhost"), allowed_host("8.8.8.8")
(True, True, True, False)
"""
from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys

LOG = os.environ.get("GXCRAWL_NETGUARD_LOG")
_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
_getaddrinfo, _gethostbyname = socket.getaddrinfo, socket.gethostbyname
LOCAL_NAMES = {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback",
               socket.gethostname().lower()}


def allowed_host(host) -> bool:
    """Loopback, unspecified (this machine) or a name of this machine."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0].lower()
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host in LOCAL_NAMES or host.endswith(".localhost")
    return ip.is_loopback or ip.is_unspecified or (
        ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)


def _record(what: str) -> None:
    line = f"{os.getpid()} {' '.join(sys.argv)[:200]}: {what}\n"
    try:
        with open(LOG, "a", encoding="utf-8") as fh:
            fh.write(line)
    except OSError:
        pass


def _check_address(sock, address) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
        return
    if not allowed_host(address[0]):
        _record(f"connect {address[0]}:{address[1]}")
        raise OSError(errno.ENETUNREACH, f"network guard (tests): no connection to {address[0]}")


def connect(self, address):
    _check_address(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _check_address(self, address)
    return _connect_ex(self, address)


def _check_name(host) -> None:
    name = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host or "")
    if name.lower().rstrip(".").endswith(".invalid"):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    if not allowed_host(name):
        _record(f"resolve {name}")
        raise socket.gaierror(socket.EAI_NONAME, f"network guard (tests): no lookup of {name}")


def getaddrinfo(host, *args, **kwargs):
    _check_name(host)
    return _getaddrinfo(host, *args, **kwargs)


def gethostbyname(host):
    _check_name(host)
    return _gethostbyname(host)


def install() -> None:
    socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
    socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname


if LOG:
    install()
