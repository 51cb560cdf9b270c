"""Generalisation battery for gxcrawl.parse.spam: synthetic spam mirrors made from the real official
texts of ../shared (gxcrawl/replicas/spam_battery.py), scored against the bars the hidden labelled
pages are held to — mirror precision ≥ 0.95, recall ≥ 0.95, restored text right for ≥ 80 %
of the labelled replaced names, no page on its official host flagged.  Skipped without
../shared.  Plus a county-level restoration on a rendered page of the replica farm's mirror
of the 永嘉县 portal."""
import collections

import pytest

from gxcrawl.parse.spam import analyze_spam
from gxcrawl.replicas.spam_battery import INVENTED, KNOWN_BRANDS, build_cases, score
from gxcrawl.parse.spam.lexicon import scan

SEEDS = (2024, 7)


def summary(cases, s) -> str:
    kinds = collections.Counter(c.kind for c in cases)
    fams = collections.Counter(c.notes.get("family") for c in cases if c.kind == "mirror")
    missed = collections.Counter(c.notes.get("family") or c.kind for c in s["misses"])
    lines = [f"{s['n']} cases {dict(kinds)}",
             f"mirror precision {s['precision']:.3f} recall {s['recall']:.3f} "
             f"(tp {s['tp']} fp {s['fp']} fn {s['fn']}); restored {s['restored']:.3f} of "
             f"{s['restored_n']} replaced names; phrases {s['phrases'][0]}/{s['phrases'][1]}; "
             f"official host {s['official_host'][0]}/{s['official_host'][1]}; "
             f"official pages flagged {s['official_flagged']}",
             f"mirror brands by family {dict(fams)}, missed {dict(missed)}"]
    lines += [f"  missed {c.id} {c.kind} {c.labels['spam_phrases']} {c.notes}" for c in s["misses"][:10]]
    lines += [f"  false alarm {c.id} {c.kind} {c.url}" for c in s["false_alarms"][:10]]
    lines += [f"  not restored {c.id} {c.labels['replaced_name']} {reps[:2]}" for c, reps in s["bad_restores"][:10]]
    return "\n".join(lines)


@pytest.fixture(scope="module", params=SEEDS)
def battery(request):
    cases = build_cases(seed=request.param)
    if not cases:
        pytest.skip("../shared (seeds, sample pages) not available")
    return cases, score(cases, analyze_spam)


def test_battery_meets_the_bars(battery):
    cases, s = battery
    print("\n" + summary(cases, s))
    assert s["precision"] >= 0.95
    assert s["recall"] >= 0.95
    assert s["restored"] >= 0.8
    assert s["official_flagged"] == []


def test_battery_covers_what_it_claims(battery):
    cases, _ = battery
    mirrors = [c for c in cases if c.kind == "mirror"]
    notes = [c.notes for c in mirrors]
    assert {n["family"] for n in notes} == {"known", "real", "invented"}
    assert any(n["traditional"] and n["glosses"] for n in notes)
    assert any(n["rewrite"] for n in notes) and any(n["scope"] == "slots" for n in notes)
    assert any(not n["excerpt"] for n in notes) and any(n["excerpt"] for n in notes)
    assert sum(1 for c in mirrors if c.labels["replaced_name"]) >= 50
    # negatives on the official host, copied to news hosts, and with gambling-like words
    assert {"official", "republished", "trap", "department", "title-chain"} <= {c.kind for c in cases}


UNMET_KINDS = ("chain", "guide", "glossed-domain", "department-url", "archive-id")


def test_battery_has_the_kinds_the_lexicon_had_not_met(battery):
    """Each kind of the issue's misses is generated for places across the registry."""
    cases, _ = battery
    by_source = collections.Counter(c.notes.get("source") for c in cases)
    assert all(by_source[k] >= 15 for k in UNMET_KINDS), by_source
    places = {c.notes.get("name") for c in cases if c.notes.get("source") in ("chain", "department-url")}
    assert len(places) >= 30
    assert sum(1 for c in cases if c.notes.get("source") == "chain" and c.labels["replaced_name"]) >= 10


@pytest.mark.parametrize("source", UNMET_KINDS)
def test_kinds_the_lexicon_had_not_met_meet_the_bars(battery, source):
    """SEO chains of unknown brands, template words replaced on guides, glossed copies with a
    rewritten domain, a department folder as the only trace, archive ids on official texts:
    precision and recall ≥ 0.95, restored ≥ 0.8, no archive-id page flagged."""
    cases, _ = battery
    s = score([c for c in cases if c.notes.get("source") == source], analyze_spam)
    print(f"\n{source}: tp {s['tp']} fp {s['fp']} fn {s['fn']} restored {s['restored']:.2f} of {s['restored_n']}")
    assert s["precision"] >= 0.95 and s["recall"] >= 0.95
    assert s["restored"] >= 0.8
    assert s["false_alarms"] == []


def test_invented_brands_are_unknown_to_the_lexicon():
    """The invented names only test the template-slot detection while the lexicon does not
    know them; the known brands are there for the lexicon path."""
    assert all(not scan(name) for name in INVENTED)
    assert all(scan(brand.lower()) for brand in KNOWN_BRANDS)


def test_precision_on_negatives_is_not_bought_with_restores(battery):
    """No phrase at all is reported on the official texts, their copies or the trap texts:
    a phrase reported there would be "restored" into the page."""
    cases, _ = battery
    noisy = [(c.id, analyze_spam(c.text, c.url).findings["phrases"])
             for c in cases if c.kind in ("official", "republished", "trap")]
    assert [n for n in noisy if n[1]] == []


# ---------------------------------------------------------------------------------------
# county-level restoration on the replica farm's gambling mirror of the 永嘉县 portal
def _mirror_page(agency: str, site_id=None):
    from gxcrawl.replicas.sites import HanwebCounty, Request, SpamMirror
    from gxcrawl.parse.report import parse_report
    mirror = SpamMirror(HanwebCounty(site_id=site_id))
    entry = next(e for e in mirror.manifest if e["agency"] == agency and e["kind"] == "html")
    url = entry.get("page") or entry["url"]
    reply = mirror.handle(Request("GET", url.split(mirror.host, 1)[1], {}, {}))
    body = reply.body
    return mirror, url, body, parse_report(body, url=url, headers={"content-type": reply.content_type})


@pytest.mark.parametrize("town", ["枫林镇", "岩头镇", "桥头镇"])
def test_replica_mirror_of_a_county_restores_the_county(town):
    """The mirror replaced 永嘉县 everywhere (永嘉县枫林镇人民政府 → <brand>枫林镇人民政府); the
    phone is 温州's (0577) but the town survives: the county, not 温州市, is restored, and
    the official host is the county's portal."""
    mirror, url, body, report = _mirror_page(f"永嘉县{town}人民政府")
    assert mirror.BRAND.encode() in body                         # it is the brand-replaced page
    spam = report.spam
    assert spam["is_mirror"] is True
    rep = next(r for r in spam["replacements"] if r["phrase"] == mirror.BRAND)
    assert rep["original"] == "永嘉县"
    assert rep["confidence"] >= 0.5
    assert any(town in e for e in rep["evidence"])
    assert spam["official_host"] == "www.yj.gov.cn"
    assert f"永嘉县{town}人民政府" in report.text and mirror.BRAND not in report.text


def test_county_page_with_its_name_left_once_restores_the_county():
    """A county page whose mirror missed one mention of the county (here: in the contact
    line) — the county's own name plus the prefecture's area code — restores the county."""
    mirror, url, body, _ = _mirror_page("永嘉县人民政府办公室")
    from gxcrawl.parse.report import parse_report
    html = body.decode("utf-8").replace(f"请联系{mirror.BRAND}人民政府办公室", "请联系永嘉县人民政府办公室", 1)
    assert html != body.decode("utf-8")
    report = parse_report(html.encode("utf-8"), url=url, headers={"content-type": "text/html; charset=utf-8"})
    rep = next(r for r in report.spam["replacements"] if r["phrase"] == mirror.BRAND)
    assert rep["original"] == "永嘉县"
    assert report.spam["official_host"] == "www.yj.gov.cn"


def test_county_page_restored_by_its_site_id_code():
    """The farm's 永嘉 portal (as real portals) carries its 网站标识码 3303240001 in <meta
    SiteIDCode> and the footer; the mirror copies it: the county's own report page, which
    keeps no other county-level trace, restores 永嘉县 and its portal."""
    mirror, url, body, report = _mirror_page("永嘉县人民政府办公室", site_id="3303240001")
    assert b'name="SiteIDCode" content="3303240001"' in body and mirror.BRAND.encode() in body
    rep = next(r for r in report.spam["replacements"] if r["phrase"] == mirror.BRAND)
    assert rep["original"] == "永嘉县" and rep["confidence"] >= 0.5
    assert any("网站标识码 3303240001" in e for e in rep["evidence"])
    assert report.spam["official_host"] == "www.yj.gov.cn"
    assert report.agency and report.agency.startswith("永嘉县")


def test_prefecture_mirror_stays_the_prefecture():
    """温州市 (seed 003's case): a city page names its district in an address and says 全市;
    the district's mention does not turn the restore into the district."""
    text = ("365体育平台网址人民政府2019年政府信息公开工作年度报告\n"
            "由365体育平台网址人民政府办公室综合各县(市、区)政府信息公开工作情况编制。全市主动公开政府信息"
            "12000条,全市各部门依法办理申请。地址:鹿城区绣山路1号,邮编:325009,电话:0577-88963796。")
    f = analyze_spam(text, "http://www.example.com/art/2020/1/1/art_1_1.html").findings
    rep = f["replacements"][0]
    assert rep["original"] == "温州市"
    assert f["official_host"] == "www.wenzhou.gov.cn"
