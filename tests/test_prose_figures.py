"""Figures stated in the prose: read where a report has no table, never over a table
cell, and compared with the table as a check of their own kind."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gxcrawl import parse_report
from gxcrawl.parse.prose import prose_figures

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "samples" / "corpus"
HEAD = "某县财政局2020年政府信息公开工作年度报告\n一、总体情况\n2020年，我局认真贯彻《条例》。\n"


def report_of(body: str):
    return parse_report((HEAD + body).encode("utf-8"), url="http://www.example.gov.cn/a.html")


def test_a_report_without_tables_gets_its_figures_from_the_prose():
    report = report_of("三、收到和处理政府信息公开申请情况\n2020年未收到政府信息公开申请。\n"
                       "四、政府信息公开行政复议、行政诉讼情况\n2020年未发生涉及政府信息公开的行政复议、行政诉讼案件。\n"
                       "五、存在的主要问题及改进情况\n无。")
    figures = report.figures
    assert figures["requests_received"] == {"value": 0, "source": "prose",
                                            "evidence": "2020年未收到政府信息公开申请"}
    assert figures["reviews"]["value"] == 0 and figures["lawsuits"]["value"] == 0
    assert figures["reviews"]["source"] == "prose"
    assert figures["requests_handled"]["value"] is None     # the prose does not say


def test_counts_and_the_kind_of_case_they_count():
    found = prose_figures("四、政府信息公开行政复议、行政诉讼情况\n本年度我局受理政府信息公开行政复议1件，"
                          "未受理行政诉讼案件。\n五、存在的主要问题及改进情况")
    assert found["reviews"]["value"] == 1 and found["lawsuits"]["value"] == 0
    assert "requests_received" not in found         # 受理…行政复议1件 is no request
    # the body's other cases, told beside none about disclosure
    found = prose_figures("2016年，本厅共受理行政复议3起，行政诉讼5起，没有因政府信息公开而被提起的行政复议或行政诉讼。")
    assert found["reviews"]["value"] == 0 and found["lawsuits"]["value"] == 0
    # reviews and lawsuits counted together are neither's figure
    assert "lawsuits" not in prose_figures("涉及政府信息公开的行政复议和行政诉讼案件共2件。")


def test_a_part_of_the_body_gives_no_figure_of_the_body():
    assert "requests_received" not in prose_figures("2024年，区政府办代表区政府受理政府信息公开申请17件。")
    found = prose_figures("全年共受理政府信息公开申请95件，其中区政府办受理17件。")
    assert found["requests_received"]["value"] == 95


T3_ROWS = ("一、本年新收政府信息公开申请数量 | 5 | 0 | 0 | 0 | 0 | 0 | 5\n"
           "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n"
           "（一）予以公开 | 5 | 0 | 0 | 0 | 0 | 0 | 5\n"
           "（七）总计 | 5 | 0 | 0 | 0 | 0 | 0 | 5\n"
           "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n")


@pytest.mark.parametrize("stated,agrees", [(5, True), (9, False)])
def test_a_prose_figure_never_overwrites_the_table_and_a_disagreement_is_no_accounting_failure(stated, agrees):
    report = report_of(f"全年共受理政府信息公开申请{stated}件。\n三、收到和处理政府信息公开申请情况\n"
                       "申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计\n" + T3_ROWS)
    assert report.figures["requests_received"] == {"value": 5, "source": "t3", "evidence": "t3 new.total"}
    check = next(c for c in report.checks if c.name == "figures.prose_agrees.requests_received")
    assert check.kind == "prose" and check.ok is agrees and f"prose says {stated}" in check.detail
    assert report.failed_checks == []            # only accounting checks fail a table
    assert report.to_dict()["checks"][-1]["kind"] == "prose"


def corpus_reports():
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not available at {CORPUS}")
    for path in sorted(CORPUS.glob("*.json")):
        item = json.loads(path.read_text(encoding="utf-8"))
        body = (item["title"] + "\n" + item["body"]) if item.get("prepend_title") else item["body"]
        yield item["id"], parse_report(body.encode("utf-8"), url=item.get("url"))


def test_on_the_real_corpus_prose_and_tables_agree_and_reports_without_tables_get_figures():
    checked, filled = 0, 0
    for item_id, report in corpus_reports():
        for check in report.checks:
            if check.kind == "prose":
                checked += 1
                assert check.ok, f"{item_id}: {check.detail}"
        if report.is_report and not report.tables["t3"]:
            filled += report.figures["requests_received"]["source"] == "prose"
        for figure in report.figures.values():
            if figure["source"] == "prose":
                assert figure["evidence"] and str(figure["value"]) in figure["evidence"] or figure["value"] == 0
    assert checked >= 8     # the texts with a table that also tell their figures
    assert filled >= 8      # the texts with no table 三 that state their requests in words
