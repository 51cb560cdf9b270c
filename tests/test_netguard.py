"""The network guard (tests/netguard/sitecustomize.py): a socket off the loopback is refused
and reported, in the test process and in the Python subprocesses tests start."""
import os
import socket
import subprocess
import sys

import pytest

import sitecustomize as guard


def test_the_guard_is_on_in_this_process_and_on_the_subprocess_path():
    assert socket.socket.connect is guard.connect and socket.getaddrinfo is guard.getaddrinfo
    assert os.environ["PYTHONPATH"].split(os.pathsep)[0].endswith(os.path.join("tests", "netguard"))


def test_a_connection_off_the_loopback_is_refused_and_logged(tmp_path, monkeypatch):
    log = tmp_path / "guard.log"
    monkeypatch.setattr(guard, "LOG", str(log))
    with socket.socket() as s, pytest.raises(OSError, match="network guard"):
        s.connect(("192.0.2.1", 80))                     # TEST-NET-1: never routed
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("www.example.com", 80)
    assert log.read_text().count("\n") == 2 and "connect 192.0.2.1:80" in log.read_text()
    with pytest.raises(socket.gaierror):                 # .invalid never resolves: no query, no violation
        socket.getaddrinfo("portal.invalid", 80)
    assert "portal.invalid" not in log.read_text()


def test_loopback_connections_pass():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


def test_a_subprocess_with_its_own_environment_is_guarded_too(tmp_path):
    log = tmp_path / "guard.log"
    code = ("import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
            "except OSError as e:\n    print(e)\n")
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": "/nonexistent", "GXCRAWL_NETGUARD_LOG": str(log)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert "network guard" in r.stdout, r.stdout + r.stderr
    assert "192.0.2.1" in log.read_text()
