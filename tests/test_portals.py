"""Portal resolution: registry roots with sources, aliases, pinyin candidates, errors."""
import pytest

from gxcrawl.crawl.targets import PortalLookupError, parse_years, pinyin, resolve
from gxcrawl.portals import known_roots


@pytest.mark.parametrize("alias", ["三明", "三明市", "sanming", "350400", "Sanming"])
def test_aliases_resolve_to_sanming(alias):
    (portal,) = resolve(city=alias)
    assert portal.name == "三明市" and portal.code == "350400"
    assert portal.roots == ("http://www.sm.gov.cn/",) and not portal.candidates
    assert "seeds/000" in portal.source


def test_every_known_root_names_its_source():
    roots = known_roots()
    assert {"350400", "330300", "330324", "350111"} <= set(roots)
    for root in roots.values():
        assert root.root.startswith(("http://", "https://")) and root.source


def test_region_without_registry_root_gets_pinyin_candidates_to_verify():
    (portal,) = resolve(city="大冶市")          # its source row gave the parent's root: dropped
    assert portal.roots == ()
    assert portal.candidates[0] == "http://www.daye.gov.cn/"
    assert "大冶市" in portal.names
    assert pinyin("瑞金市") == ["ruijin", "rj"]


def test_province_expands_to_prefectures_and_counties():
    portals = resolve(province="福建")
    names = {p.name for p in portals}
    assert {"福建省", "三明市", "晋安区", "蕉城区"} <= names
    assert len(portals) > 80
    assert next(p for p in portals if p.name == "三明市").roots == ("http://www.sm.gov.cn/",)


def test_url_argument_and_several_values():
    portals = resolve(city="三明,永嘉", url="https://www.example.gov.cn/xxgk/")
    assert [p.name for p in portals] == ["www.example.gov.cn", "三明市", "永嘉县"]
    assert portals[0].roots == ("https://www.example.gov.cn/xxgk/",)


def test_unknown_names_suggest_close_matches():
    with pytest.raises(PortalLookupError, match="三明市"):
        resolve(city="三民市")
    with pytest.raises(PortalLookupError, match="sanming"):
        resolve(city="sanmin")


def test_years():
    assert parse_years("2019-2021") == [2019, 2020, 2021]
    assert parse_years("2021,2019") == [2019, 2021]
    assert parse_years(None) is None
    with pytest.raises(ValueError):
        parse_years("last year")
