"""`scrapy crawl portal` rejects bad arguments the Scrapy way, before crawling."""
import os
import subprocess
import sys

from conftest import ROOT


def scrapy(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_unknown_place_is_a_usage_error_with_closest_matches():
    result = scrapy("crawl", "portal", "-a", "city=三民市")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "error: unknown place '三民市'; closest:" in result.stderr
    assert "三明市 (350400, 福建省)" in result.stderr


def test_bad_years_and_missing_target():
    result = scrapy("crawl", "portal", "-a", "city=三明", "-a", "years=abc")
    assert result.returncode == 2 and "bad years 'abc'" in result.stderr
    result = scrapy("crawl", "portal")
    assert result.returncode == 2 and "give -a city=NAME" in result.stderr


def test_a_wrong_character_of_the_same_sound_finds_the_place():
    result = scrapy("crawl", "portal", "-a", "city=三朙")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    closest = result.stderr.split("closest:", 1)[1]
    assert closest.strip().startswith("三明市 (350400")
