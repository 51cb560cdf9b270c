"""The signals' rules on small archives built here: statutory dates, lateness from the
crawler's first sight, copies (and what is no copy), withdrawals from fetches, the
export formats."""
import json

import pytest

from gxcrawl.archive import Archive
from gxcrawl.archive.derived import refresh
from gxcrawl.archive.signals.statutory import body_kind, statutory_deadline
from gxcrawl.parse.model import Cell, Report


@pytest.mark.parametrize("agency, year, level, deadline", [
    ("三明市财政局", 2019, "prefecture", "2020-01-31"),            # 2019 条例 第四十九条
    ("永嘉县人民政府", 2022, "county", "2023-03-31"),              # 第五十条
    ("福建省人民政府", 2023, "province", "2024-03-31"),
    ("永嘉县岩头镇人民政府", 2022, "county", None),                 # township: no date
    ("福州市晋安区王庄街道办事处", 2021, "county", None),
    ("明溪县医院", 2021, "county", None),                          # 公共企事业单位
    ("永嘉县教育局", 2022, None, None),                            # region level unknown
    ("永嘉县岩头镇人民政府", 2015, None, "2016-03-31"),             # 2008 条例: every body by 31 March
    ("三明市财政局", 2018, "prefecture", "2019-03-31"),
    ("三明市财政局", 2007, "prefecture", None),
    (None, 2022, "county", None),
])
def test_statutory_deadlines(agency, year, level, deadline):
    assert statutory_deadline(year, body_kind(agency), level)[0] == deadline


def report(url, year, agency, code="350421", published=None, t3=None, text="", **kw):
    """A parsed report as the parser would make it (figures harmonized from the cells)."""
    from gxcrawl.parse.figures import harmonize
    tables = {"t2": {}, "t3": dict(t3 or {}), "t4": {}, "tpre": {}}
    r = Report(source=url, url=url, year=year, agency=agency, region={"name": "明溪县", "code": code},
               published=published, is_report=True, text=text, format="2021", tables=tables,
               cells=[Cell("t3", k, v, str(v)) for k, v in (t3 or {}).items()], **kw)
    r.figures = harmonize(tables)
    return r


def store(archive, r, when, status=200, crawl="c1", body=None):
    body = body or f"<html>{r.url} {r.year} {r.agency} {json.dumps(r.tables)}</html>".encode()
    archive.db.execute("insert into fetches (url, final_url, status, body_sha256, fetched_at, crawl_id) "
                       "values (?, ?, ?, ?, ?, ?)", [r.url, r.url, status, archive.store_body(body), when, crawl])
    archive.store_report(r, archive.store_body(body))


T3 = {"new.total": 31, "carried.total": 2, "total.total": 30, "granted.total": 12, "partial.total": 5,
      "next.total": 3, **{f"denied.{g}.total": 0 for g in ("secret", "law", "safety", "third_party", "internal",
                                                              "process", "enforcement", "query")}}


@pytest.fixture
def archive(tmp_path):
    a = Archive(tmp_path / "a.db")
    yield a
    a.close()


def late_status(archive, url):
    return archive.db.execute("select status, days_late, evidence from late_reports where url = ?", [url]).fetchone()


def test_late_by_the_printed_date_and_by_the_first_sight(archive):
    on_time = report("http://www.fjmx.gov.cn/a.html", 2022, "明溪县财政局", published="2023-01-20", t3=T3)
    late = report("http://www.fjmx.gov.cn/b.html", 2022, "明溪县教育局", published="2023-02-03",
                  t3={**T3, "new.total": 7})
    undated = report("http://www.fjmx.gov.cn/c.html", 2022, "明溪县林业局", t3={**T3, "new.total": 8})
    backdated = report("http://www.fjmx.gov.cn/d.html", 2022, "明溪县水利局", published="2023-01-10",
                       t3={**T3, "new.total": 9})
    for r in (on_time, late, undated):
        store(archive, r, "2023-06-01T00:00:00Z")
    # the crawler read the list on 2023-02-10 (after the deadline) without this report: first seen in May
    archive.db.execute("create table if not exists entries (url text primary key, signature text, list_url text, "
                       "status integer, first_seen text, checked_at text, crawl_id text)")
    archive.db.execute("insert into fetches (url, status, fetched_at, crawl_id) values "
                       "('http://www.fjmx.gov.cn/list/', 200, '2023-02-10T02:00:00Z', 'february')")
    archive.db.execute("insert into entries (url, signature, list_url, status) values (?, ?, ?, 200)",
                       [backdated.url, "明溪县水利局2022年报告|2023-01-10", "http://www.fjmx.gov.cn/list/"])
    store(archive, backdated, "2023-05-02T00:00:00Z", crawl="may")
    refresh(archive.db)
    assert late_status(archive, on_time.url)[0] == "on_time"
    assert late_status(archive, late.url)[:2] == ("late", 3)
    assert late_status(archive, undated.url)[0] == "undated"
    status, days, evidence = late_status(archive, backdated.url)
    assert status == "late" and days == 91 and "2023-02-10" in evidence and "prints 2023-01-10" in evidence


def test_the_list_date_stands_in_for_a_missing_printed_date(archive):
    r = report("http://www.fjmx.gov.cn/e.html", 2021, "明溪县林业局", t3=T3)
    store(archive, r, "2023-06-01T00:00:00Z")
    archive.db.execute("create table if not exists entries (url text primary key, signature text, list_url text, "
                       "status integer, first_seen text, checked_at text, crawl_id text)")
    archive.db.execute("insert into entries (url, signature, status) values (?, ?, 200)",
                       [r.url, "明溪县林业局2021年政府信息公开工作年度报告|2022-02-14"])
    refresh(archive.db)
    row = archive.db.execute("select published, published_from, status, days_late from late_reports").fetchone()
    assert row == ("2022-02-14", "list", "late", 14)


def test_identical_figures_of_the_same_body_and_of_another_body(archive):
    store(archive, report("http://x.gov.cn/2021.html", 2021, "明溪县财政局", t3=T3), "2023-01-01T00:00:00Z")
    store(archive, report("http://x.gov.cn/2022.html", 2022, "明溪县财政局", t3=T3, published="2023-01-15"),
          "2023-01-01T00:00:00Z")
    store(archive, report("http://x.gov.cn/other.html", 2022, "明溪县教育局", t3=T3,
                          published="2023-01-30"), "2023-01-01T00:00:00Z")
    refresh(archive.db)
    found = archive.db.execute("select url, copies_url, kind, scope, share from copied_reports order by url").fetchall()
    assert found == [("http://x.gov.cn/2022.html", "http://x.gov.cn/2021.html", "figures", "same_body", 1.0),
                     ("http://x.gov.cn/other.html", "http://x.gov.cn/2022.html", "figures", "other_body", 1.0)]


def test_zeros_and_few_figures_are_no_copy(archive):
    zeros = {k: 0 for k in T3}
    for year in (2020, 2021, 2022):       # a township that never received a request
        store(archive, report(f"http://x.gov.cn/z{year}.html", year, "明溪县雪峰镇人民政府", t3=zeros),
              "2023-01-01T00:00:00Z")
    few = {"new.total": 4, "total.total": 4}
    for year in (2021, 2022):
        store(archive, report(f"http://x.gov.cn/f{year}.html", year, "明溪县林业局", t3=few), "2023-01-01T00:00:00Z")
    refresh(archive.db)
    assert archive.db.execute("select count(*) from copied_reports").fetchone()[0] == 0


def prose(agency, year, subjects, numbers):
    return "\n".join([f"{agency}{year}年政府信息公开工作年度报告",
                      f"{year}年，{agency}深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外。",
                      *[f"围绕{s}，{agency}全年发布相关信息{n}条，组织专题解读{n % 17 + 2}次，回应社会关切，做到应公开尽公开。"
                        for s, n in zip(subjects, numbers)],
                      "申请人情况 | 自然人 | 总计", "一、本年新收政府信息公开申请数量 | 3 | 3"])


def test_near_identical_text_under_another_name_is_a_copy_and_the_template_is_not(archive):
    bodies = ["明溪县财政局", "明溪县教育局", "明溪县林业局", "明溪县水利局", "明溪县民政局", "明溪县商务局"]
    subjects = [["预决算公开", "政府采购意向", "惠民惠农补贴发放"], ["义务教育招生入学", "教育收费项目", "学生资助政策"],
                ["林地征占用审批", "森林防火", "林权登记"], ["河长制", "水利工程建设", "防汛抗旱"],
                ["低保救助", "养老服务", "婚姻登记"], ["消费券发放", "外贸企业帮扶", "市场保供"]]
    for i, (agency, subj) in enumerate(zip(bodies, subjects)):
        for year in (2021, 2022):
            t3 = {**T3, "new.total": 100 + 10 * i + year % 10}
            store(archive, report(f"http://x.gov.cn/{i}-{year}.html", year, agency, t3=t3, published=f"{year + 1}-01-1{i}",
                                  text=prose(agency, year, subj, [40 + i + year % 7, 70 + i, 300 + year % 10 + i])),
                  "2023-01-01T00:00:00Z")
    # 明溪县统计局 2022: 明溪县财政局's 2022 text with its own name, and tables of its own
    copied = prose("明溪县统计局", 2022, subjects[0], [40 + 2022 % 7, 70, 300 + 2])
    store(archive, report("http://x.gov.cn/copy.html", 2022, "明溪县统计局", t3={**T3, "new.total": 5},
                          published="2023-01-29", text=copied), "2023-01-01T00:00:00Z")
    refresh(archive.db)
    found = archive.db.execute("select url, copies_url, kind, scope, text_similarity from copied_reports").fetchall()
    assert [f[:4] for f in found] == [("http://x.gov.cn/copy.html", "http://x.gov.cn/0-2022.html", "text", "other_body")]
    assert found[0][4] >= 0.85


def test_withdrawn_from_fetches_a_404_after_a_200(archive):
    r = report("http://x.gov.cn/w.html", 2022, "明溪县财政局", t3=T3)
    store(archive, r, "2023-01-10T00:00:00Z")
    archive.db.execute("insert into fetches (url, status, fetched_at) values (?, 410, '2024-05-01T00:00:00Z')", [r.url])
    refresh(archive.db)
    row = archive.db.execute("select how, page_status, evidence, removed_at from withdrawn_reports").fetchone()
    assert row == ("gone", 410, "fetch", "2024-05-01T00:00:00Z")
    archive.db.execute("insert into fetches (url, status, fetched_at) values (?, 200, '2024-06-01T00:00:00Z')", [r.url])
    refresh(archive.db)               # back online: no longer withdrawn
    assert archive.db.execute("select count(*) from withdrawn_reports").fetchone()[0] == 0
    assert archive.db.execute("select count(*) from reports").fetchone()[0] == 1


def test_tabular_round_trip_keeps_blanks_and_integers(tmp_path):
    from gxcrawl.archive.tabular import write_rows
    rows = [{"name": "a", "n": 0, "x": 2.0}, {"name": None, "n": None, "x": 2.5}]
    cols = [("name", "text"), ("n", "integer"), ("x", "number")]
    write_rows(rows, cols, tmp_path / "t.jsonl")
    assert [json.loads(line) for line in (tmp_path / "t.jsonl").read_text().splitlines()] == \
        [{"name": "a", "n": 0, "x": 2.0}, {"name": None, "n": None, "x": 2.5}]
    write_rows(rows, cols, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text().splitlines() == ["name,n,x", "a,0,2.0", ",,2.5"]
    with pytest.raises(ValueError, match="unknown format"):
        write_rows(rows, cols, tmp_path / "t.xls")


def test_remove_report_takes_the_entry_off_its_list(farm):
    from gxcrawl.replicas.admin import remove_report
    site = farm.site("mingxi")
    entry = next(m for m in site.manifest if m.get("withdraw") == "removed")
    path = entry["url"].split(site.host, 1)[1]
    lists = [p for p, r in site.static.items() if p.startswith(site.COL + "index") and path.rsplit("/", 1)[1].encode() in r.body]
    assert lists
    assert remove_report(site, entry["url"]) == 1
    assert path not in site.static and all(path.rsplit("/", 1)[1].encode() not in site.static[p].body for p in lists)


def test_a_crawl_limited_to_some_years_is_no_evidence_of_lateness(archive):
    r = report("http://www.fjmx.gov.cn/y.html", 2022, "明溪县水利局", published="2023-01-10", t3=T3)
    archive.db.execute("create table if not exists entries (url text primary key, signature text, list_url text, "
                       "status integer, first_seen text, checked_at text, crawl_id text)")
    # the February crawl read the list but took only 2021's reports: it says nothing of 2022's
    archive.db.execute("insert into crawls (crawl_id, started, args) values ('february', '2023-02-10T00:00:00Z', ?)",
                       [json.dumps({"years": [2021]})])
    archive.db.execute("insert into fetches (url, status, fetched_at, crawl_id) values "
                       "('http://www.fjmx.gov.cn/list/', 200, '2023-02-10T02:00:00Z', 'february')")
    archive.db.execute("insert into entries (url, signature, list_url, status) values (?, ?, ?, 200)",
                       [r.url, "明溪县水利局2022年报告|2023-01-10", "http://www.fjmx.gov.cn/list/"])
    store(archive, r, "2023-05-02T00:00:00Z", crawl="may")
    refresh(archive.db)
    assert late_status(archive, r.url)[0] == "on_time"
