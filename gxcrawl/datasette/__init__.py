"""Datasette configuration shipped with gxcrawl: metadata.json (titles, column
meanings, units, facets, canned queries, dashboards) and plugins/ (search routing
for Chinese, security headers). `gxcrawl serve` uses them; see gxcrawl/serve.py."""
from pathlib import Path

HERE = Path(__file__).resolve().parent
METADATA = HERE / "metadata.json"
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = HERE / "templates"
