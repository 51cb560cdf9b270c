import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NETGUARD = ROOT / "tests" / "netguard"      # sitecustomize.py: the network guard
sys.path.insert(0, str(ROOT))


def with_netguard(env):
    """`env` (a subprocess environment) with the guard first on PYTHONPATH."""
    env = dict(os.environ if env is None else env)
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != str(NETGUARD)]
    env["PYTHONPATH"] = os.pathsep.join([str(NETGUARD), *parts])
    env.setdefault("GXCRAWL_NETGUARD_LOG", os.environ["GXCRAWL_NETGUARD_LOG"])
    return env


def _install_netguard() -> Path:
    """The guard in this process, and in every subprocess: Popen gets the guard's PYTHONPATH
    even where a test passes an environment of its own."""
    log = Path(tempfile.mkstemp(prefix="netguard-", suffix=".log")[1])
    os.environ["GXCRAWL_NETGUARD_LOG"] = str(log)
    # an empty tldextract cache: a Public Suffix List download would be tried (and caught)
    os.environ["TLDEXTRACT_CACHE"] = str(log.with_suffix(".tldextract"))
    os.environ["PYTHONPATH"] = with_netguard(None)["PYTHONPATH"]
    sys.path.insert(0, str(NETGUARD))
    import sitecustomize  # noqa: F401  (installs the guard: GXCRAWL_NETGUARD_LOG is set)
    sitecustomize.LOG = str(log)
    sitecustomize.install()
    popen_init = subprocess.Popen.__init__

    def guarded_init(self, *args, **kwargs):
        kwargs["env"] = with_netguard(kwargs.get("env"))
        popen_init(self, *args, **kwargs)

    subprocess.Popen.__init__ = guarded_init
    return log


NETGUARD_LOG = _install_netguard()


def _session_tmpdir() -> Path:
    """One temporary folder for the session: every temporary file and folder of the tests
    and of the processes they start (TMPDIR) goes in it, and it is removed at the end, so
    the suite leaves no gxcrawl-* folders behind (and never touches other runs' folders)."""
    path = Path(tempfile.mkdtemp(prefix="gxcrawl-tests-"))
    os.environ["TMPDIR"] = str(path)
    tempfile.tempdir = str(path)
    return path


SESSION_TMP = _session_tmpdir()


@pytest.fixture(autouse=True)
def no_internet():
    """Fail the test during which any process opened a socket off the loopback."""
    before = NETGUARD_LOG.stat().st_size
    yield
    with NETGUARD_LOG.open(encoding="utf-8") as fh:
        fh.seek(before)
        new = fh.read()
    if new:
        pytest.fail("network guard: sockets off 127.0.0.1/::1 were opened:\n" + new[:3000], pytrace=False)


def pytest_sessionfinish(session, exitstatus):
    import shutil
    NETGUARD_LOG.unlink(missing_ok=True)
    shutil.rmtree(NETGUARD_LOG.with_suffix(".tldextract"), ignore_errors=True)
    shutil.rmtree(SESSION_TMP, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared material not found at {SHARED}")
    return SHARED


def seed_path(shared: Path, prefix: str) -> Path:
    matches = sorted((shared / "seeds").glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"seed {prefix} not found in {shared / 'seeds'}")
    return matches[0]


@pytest.fixture(scope="module")
def archive_conn():
    """A connection to the session's test archive (tests/archive_build.py), built on first use."""
    import sqlite3
    from archive_build import built_archive
    path, _ = built_archive()
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def farm():
    """The replica portals (without the shared PDF sites) on 127.0.0.1, one farm per test
    module: its request log is that module's."""
    from gxcrawl.replicas import Farm
    with Farm(include_shared=False) as f:
        yield f
