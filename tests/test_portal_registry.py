"""The portal registry (gxcrawl/data/portals.tsv): built by scripts/build_portals.py from
the portal roots of 3,215 governments, its rules checked on constructed rows, resolved the
same way by `gxcrawl portals` and `-a city=`."""
import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED
from gxcrawl.crawl.targets import PortalLookupError, city_portal, portals_named, resolve
from gxcrawl.portals import known_roots
from gxcrawl.regions import load_registry

ROOTS_CSV = SHARED / "reference" / "portal-roots" / "portal-roots.csv"


def load_script():
    spec = importlib.util.spec_from_file_location("build_portals", ROOT / "scripts" / "build_portals.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_portals"] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bp = load_script()
REGISTRY = load_registry()


def row(path, url, level="county", access="direct", budget=""):
    parts = path.split("/")
    province = parts[0]
    prefecture = parts[1] if len(parts) == 3 else ""
    return bp.SourceRow(path, province, prefecture, parts[-1], level, url, access, "2026-04-26", budget)


def built(*rows, seen=()):
    entries, notes = bp.build(list(rows), list(seen), REGISTRY)
    return {e.code: e for e in entries}, notes


# -- the build rules, on constructed rows ------------------------------------------------

def test_a_name_several_regions_share_is_joined_within_its_province_and_prefecture():
    entries, _ = built(row("上海市/普陀区", "https://www.shpt.gov.cn/"),
                       row("浙江省/舟山市/普陀区", "http://www.putuo.gov.cn/"),
                       row("北京市/朝阳区", "http://www.bjchy.gov.cn/"),
                       row("吉林省/长春市/朝阳区", "http://www.chaoyang.gov.cn/"))
    assert entries["310107"].root == "https://www.shpt.gov.cn/"
    assert entries["330903"].root == "http://www.putuo.gov.cn/"
    assert entries["110105"].root == "http://www.bjchy.gov.cn/"
    assert entries["220104"].root == "http://www.chaoyang.gov.cn/"


def test_a_root_shared_by_a_county_and_its_parent_belongs_to_the_parent():
    entries, notes = built(row("安徽省/池州市", "http://www.chizhou.gov.cn/", level="prefecture"),
                           row("安徽省/池州市/贵池区", "http://www.chizhou.gov.cn/"))
    assert entries["341700"].root == "http://www.chizhou.gov.cn/"
    assert "341702" not in entries
    assert any("341702" in n and "parent" in n for n in notes)


def test_the_county_that_lost_its_root_gets_its_own_budget_page_host():
    entries, _ = built(row("吉林省/延边朝鲜族自治州", "http://www.yanbian.gov.cn/", level="prefecture"),
                       row("吉林省/延边朝鲜族自治州/珲春市", "http://www.yanbian.gov.cn/",
                           budget="http://www.hunchun.gov.cn/zw_1910/czjyjsgk/"))
    assert entries["222404"].root == "http://www.hunchun.gov.cn/"
    assert "budget_disclosure_url" in entries["222404"].source and "parent" in entries["222404"].source


def test_a_budget_page_on_another_governments_host_gives_no_root():
    """太原's counties publish budgets on the province's czt.shanxi.gov.cn: no portal of theirs."""
    entries, notes = built(row("湖北省/黄石市", "http://www.huangshi.gov.cn/", level="prefecture"),
                           row("湖北省/黄石市/大冶市", "http://www.huangshi.gov.cn/",
                               budget="http://czt.hubei.gov.cn/zfxxgk/"))
    assert "420281" not in entries and any("420281" in n for n in notes)


def test_a_root_shared_by_unrelated_regions_goes_to_the_one_whose_budget_page_is_on_it():
    entries, _ = built(row("上海市/普陀区", "https://www.putuo.gov.cn/",
                           budget="https://www.shpt.gov.cn/zhengwu/zfyjs/index.html"),
                       row("浙江省/舟山市/普陀区", "http://www.putuo.gov.cn/",
                           budget="https://www.putuo.gov.cn/col/col1229698804/index.html"))
    assert entries["330903"].root == "http://www.putuo.gov.cn/"
    assert entries["310107"].root == "https://www.shpt.gov.cn/"
    assert "shared with 330903" in entries["310107"].source


def test_a_shared_root_nothing_decides_belongs_to_nobody():
    entries, notes = built(row("上海市/普陀区", "https://www.putuo.gov.cn/"),
                           row("浙江省/舟山市/普陀区", "http://www.putuo.gov.cn/"))
    assert "310107" not in entries and "330903" not in entries
    assert sum("undecided" in n for n in notes) == 2


def test_scheme_that_answered_the_check_and_rows_without_url():
    entries, notes = built(row("浙江省/嘉兴市/桐乡市", "https://www.tx.gov.cn/", access="protocol-switch"),
                           row("福建省/泉州市/金门县", "", access=""))
    assert entries["330483"].root == "http://www.tx.gov.cn/"
    assert "scheme switched" in entries["330483"].source
    assert any(n.startswith("福建省/泉州市/金门县: no portal URL") for n in notes)


def test_province_administered_counties_and_renamed_counties_are_joined():
    entries, _ = built(row("湖北省/仙桃市", "https://www.xiantao.gov.cn/", level="prefecture"),
                       row("安徽省/芜湖市/无为市", "https://www.ww.gov.cn/"))
    assert entries["429004"].name == "仙桃市"
    assert entries["340225"].root == "https://www.ww.gov.cn/" and "renamed" in entries["340225"].source


def test_a_root_seen_in_a_real_report_wins_and_both_sources_are_named():
    seen = [{"code": "350400", "name": "三明市", "root": "http://www.sm.gov.cn/", "extra_hosts": "",
             "source": "seeds/000"}]
    entries, _ = built(row("福建省/三明市", "https://www.sm.gov.cn/", level="prefecture"), seen=seen)
    assert entries["350400"].root == "http://www.sm.gov.cn/"
    assert entries["350400"].source.startswith("seeds/000; portal-roots.csv 福建省/三明市")


def test_the_committed_file_is_what_the_script_builds():
    if not ROOTS_CSV.exists():
        pytest.skip(f"portal roots not found at {ROOTS_CSV}")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_portals.py"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_registry_covers_the_source_and_every_row_names_where_it_comes_from():
    roots = known_roots()
    assert len(roots) > 3100
    for root in roots.values():
        assert root.code in REGISTRY.by_code and root.root.startswith(("http://", "https://")) and root.source
    hosts = [r.root.split("/")[2] for r in roots.values()]
    assert len(hosts) == len(set(hosts)), "a host is the root of one region only"
    assert roots["222400"].root.endswith("www.yanbian.gov.cn/") and "www.yanbian" not in roots["222404"].root


# -- resolution: -a city= and gxcrawl portals ---------------------------------------------

def test_city_argument_takes_the_registry_root_not_a_pinyin_guess():
    (tongxiang,) = resolve(city="桐乡")
    assert tongxiang.code == "330483" and tongxiang.roots == ("https://www.tx.gov.cn/",)
    assert tongxiang.candidates == ()                      # tongxiang.gov.cn is never tried
    assert "portal-roots.csv" in tongxiang.source


def test_spider_starts_from_the_registry_root():
    from spiders.portal import PortalSpider
    spider = PortalSpider(city="桐乡,大竹县")
    urls = [r.url for r in spider.start_requests()]
    assert urls == ["https://www.tx.gov.cn/", "http://www.dazhu.gov.cn/"]
    assert set(spider.allowed_domains) == {"www.tx.gov.cn", "www.dazhu.gov.cn"}


def test_ambiguous_city_is_an_error_naming_every_match():
    with pytest.raises(PortalLookupError) as err:
        city_portal("普陀区")
    assert "310107" in str(err.value) and "330903" in str(err.value) and "上海市" in str(err.value)
    assert city_portal("舟山普陀区").code == "330903"
    assert [p.code for p in portals_named("普陀区")] == ["310107", "330903"]


def gxcrawl(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "gxcrawl", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_portals_command_prints_the_registry_roots():
    result = gxcrawl("portals", "桐乡", "大竹县", "350400")
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(c, n, root) for c, n, _, root, _ in lines] == [
        ("330483", "桐乡市", "https://www.tx.gov.cn/"),
        ("511724", "大竹县", "http://www.dazhu.gov.cn/"),
        ("350400", "三明市", "http://www.sm.gov.cn/")]
    assert all("portal-roots.csv" in line[4] for line in lines)


def test_portals_command_ambiguous_and_unknown_names():
    result = gxcrawl("portals", "普陀区", "三民市", "tongxian")
    assert result.returncode == 1
    assert [line.split("\t")[2] for line in result.stdout.splitlines()] == ["上海市", "浙江省"]
    assert "unknown place '三民市'; closest: 三明市 (350400, 福建省)" in result.stderr     # by pinyin: sanmin
    assert "unknown place 'tongxian'; closest: tongxiang (桐乡市 330483, 浙江省)" in result.stderr


def test_portals_command_shows_pinyin_guesses_for_a_region_without_registry_root():
    result = gxcrawl("portals", "--json", "大冶市")
    import json
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["code"] == "420281" and row["source"] == "pinyin guess"
    assert row["root"].startswith("http://www.daye.gov.cn/")
