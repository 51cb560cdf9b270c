"""The data flows one way: commands → crawl → archive → parse → shared data.

`lint-imports` (import-linter, contracts in pyproject.toml) checks the imports of the
whole tree; a copy of the tree with one parse module importing the crawl must break the
layers contract, so the check is known to bite.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = shutil.which("lint-imports")
pytestmark = pytest.mark.skipif(LINT is None, reason="import-linter not installed (pip install -e '.[test]')")


def lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([LINT, "--no-cache"], cwd=tree, env=env, capture_output=True, text=True, timeout=300)


def copy_tree(dst: Path) -> Path:
    for name in ("gxcrawl", "spiders", "pipelines"):
        shutil.copytree(ROOT / name, dst / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def test_the_layers_hold():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_parse_module_importing_the_crawl_breaks_the_contract(tmp_path):
    tree = copy_tree(tmp_path)
    clean = tree / "gxcrawl" / "parse" / "clean.py"
    clean.write_text(clean.read_text() + "\nfrom gxcrawl.crawl.targets import resolve  # noqa\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "gxcrawl.parse is not allowed to import gxcrawl.crawl" in result.stdout
    assert "gxcrawl.parse.clean -> gxcrawl.crawl.targets" in result.stdout


def test_the_parser_may_not_use_sqlite(tmp_path):
    tree = copy_tree(tmp_path)
    sections = tree / "gxcrawl" / "parse" / "sections.py"
    sections.write_text(sections.read_text() + "\nimport sqlite3  # noqa\n")
    result = lint(tree)
    assert result.returncode != 0
    assert "gxcrawl.parse.sections -> sqlite3" in result.stdout
