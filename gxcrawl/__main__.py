import sys

from gxcrawl.cli import run

sys.exit(run())
