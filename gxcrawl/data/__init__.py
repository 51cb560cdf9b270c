"""Reference data shipped with gxcrawl (TSV and text files), read by every layer.

`DATA` is the folder holding them; each file says in its header or its build script
(`scripts/build_*.py`) where it comes from.

>>> (DATA / "regions.tsv").exists()
True
"""
from pathlib import Path

DATA = Path(__file__).resolve().parent
