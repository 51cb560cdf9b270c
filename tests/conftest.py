import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


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
