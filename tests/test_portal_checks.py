"""The `portals` table's identity checks: what a home page must say to verify a registry root
(gxcrawl.crawl.identity), how checks are stored, migrated and merged (gxcrawl.archive.portal_checks)."""
import sqlite3

import pytest
import sqlite_utils

from gxcrawl.archive import Archive
from gxcrawl.archive.merge import merge_archives
from gxcrawl.archive.portal_checks import ensure_portals, record_check
from gxcrawl.crawl.identity import portal_check
from gxcrawl.crawl.targets import city_portal, portal_for_url


@pytest.mark.parametrize("site_name, title, status, identified_as", [
    ("桐乡市人民政府", "", "identified", "330483 桐乡市"),
    ("", "桐乡市政府门户网站", "identified", "330483 桐乡市"),
    ("", "嘉兴市人民政府", "names_other", "330400 嘉兴市"),          # the parent's site
    ("", "某某科技有限公司", "names_other", None),
    ("", "", "unnamed", None),
    ("金沙娱乐官网人民政府", "", "brand", None),
])
def test_a_registry_root_is_verified_only_by_the_site_naming_its_government(site_name, title, status, identified_as):
    check = portal_check({"site_name": site_name, "title": title}, city_portal("桐乡"), "https://www.tx.gov.cn/")
    assert (check["status"], check["identified_as"]) == (status, identified_as)
    assert check["checked_url"] == "https://www.tx.gov.cn/"


def test_a_seeded_site_is_identified_by_the_government_its_name_designates():
    portal = portal_for_url("http://10.1.2.3:8080/")
    assert portal_check({"site_name": "福州市晋安区人民政府", "title": ""}, portal)["identified_as"] == "350111 晋安区"
    assert portal_check({"site_name": "日照市科技信息网", "title": ""}, portal)["status"] == "names_other"


def test_checks_are_stored_the_newest_merged_and_bad_statuses_refused(tmp_path):
    a, b = (Archive(str(tmp_path / n)) for n in ("a.db", "b.db"))
    record_check(a.db, "330483", {"status": "names_other", "site_name": "嘉兴市人民政府"}, checked_at="2026-01-01T00:00:00Z")
    record_check(b.db, "330483", {"status": "identified", "site_name": "桐乡市人民政府"}, checked_at="2026-02-01T00:00:00Z")
    record_check(b.db, "10.1.2.3", {"status": "identified", "identified_as": "350111 晋安区"},
                 name="10.1.2.3", root="http://10.1.2.3:8080/", checked_at="2026-02-01T00:00:00Z")
    with pytest.raises(ValueError, match="unknown portal check status"):
        record_check(a.db, "330483", {"status": "ok"})
    for archive in (a, b):
        archive.close()
    merge_archives(str(tmp_path / "out.db"), [str(tmp_path / "b.db"), str(tmp_path / "a.db")])
    conn = sqlite3.connect(tmp_path / "out.db")
    assert conn.execute("select status, verified, site_name from portals where code = '330483'").fetchone() == \
        ("identified", 1, "桐乡市人民政府")                    # b's check is newer, whatever the merge order
    assert conn.execute("select root, source from portals where code = '10.1.2.3'").fetchone() == \
        ("http://10.1.2.3:8080/", "url argument")


def test_an_archive_with_the_old_portals_table_gets_the_registry_and_the_check_columns(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    db["regions"].insert({"code": "350400", "name": "三明市"}, pk="code")
    db["portals"].create({"code": str, "name": str, "root": str, "extra_hosts": str, "source": str}, pk="code",
                         foreign_keys=[("code", "regions", "code")])
    db["portals"].insert({"code": "350400", "name": "三明市", "root": "http://www.sm.gov.cn/", "extra_hosts": "",
                          "source": "seeds/000"})
    ensure_portals(db)
    assert not db["portals"].foreign_keys and {"access", "status", "verified_at"} <= set(db["portals"].columns_dict)
    assert "portal-roots.csv" in db.execute("select source from portals where code = '350400'").fetchone()[0]
    record_check(db, "127.0.0.1", {"status": "unreachable", "detail": "connection refused"})   # a host key is fine
    assert db.execute("select verified from portals where code = '127.0.0.1'").fetchone() == (0,)


def test_reparse_parses_a_seeded_host_as_the_crawl_did(tmp_path):
    """A county portal on a .com domain (as before the 2019 consolidation), seeded by URL: its
    report names that domain as the portal. The crawl stored it as a report; `reparse` reads
    the seeded host from `portals` and keeps it one (without it the page would be a mirror)."""
    from gxcrawl.archive.reparse import reparse_archive
    from gxcrawl.parse.report import parse_report
    from gxcrawl.replicas.content import ReportSpec, render_report
    spec = ReportSpec("永嘉县人民政府", 2016, region="永嘉县", serial=5)
    body = (f"<html><head><title>{spec.title}</title></head><body><h1>{spec.title}</h1>{render_report(spec)}"
            "<p>本报告电子版可在永嘉县人民政府门户网站(www.yjxxgk.com)下载。</p></body></html>").encode("utf-8")
    url = "http://www.yjxxgk.com/art/2017/3/1/art_1.html"
    assert parse_report(body, url=url).spam["is_mirror"]                 # the page alone looks like a mirror's
    archive = Archive(str(tmp_path / "a.db"))
    record_check(archive.db, "www.yjxxgk.com", {"status": "identified", "identified_as": "330324 永嘉县"},
                 root="http://www.yjxxgk.com/")
    report = parse_report(body, url=url, official_hosts={"www.yjxxgk.com"})
    assert report.is_report and not report.spam["is_mirror"]
    archive.store_report(report, archive.store_body(body))
    stats = reparse_archive(archive, force=True)
    assert stats["seen"] == 1
    row = archive.db.execute("select is_mirror, year from reports where url = ?", [url]).fetchone()
    assert row == (0, 2016)
    assert archive.db.execute("select count(*) from mirror_sightings").fetchone() == (0,)
