"""The issuing body, year and is_report by evidence (gxcrawl.parse.metadata): one test per
sentence form, with texts written here for bodies of places across the registry (none of
them copied from the shared samples)."""
from __future__ import annotations

import pytest

from gxcrawl.parse.metadata import extract_metadata
from gxcrawl.parse.report import parse_report

PERIOD = "本报告中所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"
SECTIONS = ("\n一、总体情况\n（一）主动公开情况。全年主动公开政府信息300条。\n二、主动公开政府信息情况\n"
            "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况")


def sources(md) -> list[str]:
    return [e["source"] for e in md.agency_evidence]


# ---------------------------------------------------------------- titles

@pytest.mark.parametrize("text, agency", [
    ("长治市财政局2021年政府信息公开工作年度报告\n" + PERIOD.format(y=2021), "长治市财政局"),
    ("绵阳市游仙区\n2022年政府信息公开工作年度报告\n" + PERIOD.format(y=2022), "绵阳市游仙区人民政府"),
    ("2020年曲靖市政府信息公开工作年度报告\n" + PERIOD.format(y=2020), "曲靖市人民政府"),
    ("桐庐县教育局政府信息公开工作年度报告（2019年度）\n" + PERIOD.format(y=2019), "桐庐县教育局"),
    ("首页 > 信息公开 > 年报 > 本溪市民政局2018年政府信息公开工作年度报告\n" + PERIOD.format(y=2018), "本溪市民政局"),
])
def test_title_forms(text, agency):
    md = extract_metadata(text + SECTIONS)
    assert (md.is_report, md.agency) == (True, agency)
    assert sources(md)[0] in ("title", "line above the title")
    assert agency[:2] in md.agency_evidence[0]["sentence"]


def test_title_only_in_the_page_title():
    html = ("<html><head><title>和林格尔县医疗保障局2023年政府信息公开工作年度报告_和林格尔县人民政府</title></head>"
            "<body><p>" + PERIOD.format(y=2023) + "</p><p>一、总体情况</p><p>2023年，我局认真贯彻《条例》。</p></body></html>")
    report = parse_report(html.encode("utf-8"), url="http://www.helingeer.gov.cn/zwgk/1.html")
    assert (report.is_report, report.year, report.agency) == (True, 2023, "和林格尔县医疗保障局")
    assert report.agency_evidence[0]["source"] == "page <title>"


def test_title_cut_short_by_a_list_page():
    text = "乾安县卫生健康委员会2020年政府信息公开工作年度报...\n一、总体情况\n2020年，县卫生健康委员会严格按照《条例》要求。"
    md = extract_metadata(text)
    assert (md.is_report, md.year, md.agency) == (True, 2020, "乾安县卫生健康委员会")


# ---------------------------------------------------------------- the body's sentences

def test_compiled_by_an_office_names_its_body():
    text = ("2021年政府信息公开工作年度报告\n本报告由晋城市泽州县自然资源局办公室按照《中华人民共和国政府信息公开条例》"
            "要求编制。" + PERIOD.format(y=2021))
    md = extract_metadata(text)
    assert md.agency == "晋城市泽州县自然资源局"
    assert sources(md) == ["由…编制"]
    assert "办公室按照" in md.agency_evidence[0]["sentence"]


def test_body_compiled_the_report():
    text = ("根据《中华人民共和国政府信息公开条例》规定，武威市凉州区人民政府办公室编制了2022年政府信息公开工作年度报告。"
            + PERIOD.format(y=2022) + SECTIONS)
    md = extract_metadata(text)
    assert (md.is_report, md.year, md.agency) == (True, 2022, "武威市凉州区人民政府办公室")
    assert "…编制了" in sources(md)


def test_published_title_with_an_abbreviation():
    text = ("根据《中华人民共和国政府信息公开条例》要求，现公布临沧市商务局（以下简称市商务局）2022年政府信息公开工作"
            "年度报告。" + PERIOD.format(y=2022) + SECTIONS)
    md = extract_metadata(text)
    assert (md.year, md.agency) == (2022, "临沧市商务局")
    assert "published title" in sources(md)


@pytest.mark.parametrize("sentence, agency", [
    ("本报告综合2017年度赣州市各县（市、区）和市政府各部门政府信息公开工作情况编制。", "赣州市人民政府"),
    ("本报告由开封市人民政府办公室综合各县（区）人民政府和市政府各部门政府信息公开工作情况编制。", "开封市人民政府"),
])
def test_whole_region_reports_are_the_government_s(sentence, agency):
    md = extract_metadata("2017年政府信息公开工作年度报告\n" + sentence + PERIOD.format(y=2017))
    assert md.agency == agency
    assert sources(md)[0] == "whole region"


def test_subject_sentence_after_a_clause():
    text = ("一、总体情况\n2023年度，在县委、县政府的正确领导下，临泉县水利局认真贯彻落实《中华人民共和国政府信息公开条例》，"
            "全面推进政务公开。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况")
    md = extract_metadata(text, url="http://www.linquan.gov.cn/zwgk/1.html")
    assert (md.is_report, md.year, md.agency) == (True, 2023, "临泉县水利局")
    assert sources(md) == ["subject sentence"]


def test_self_reference_with_the_body_named_nearby():
    text = ("2019年，我局按照要求做好政府信息公开工作。\n一、总体情况\n我局全年在岳阳市平江县交通运输局政务公开栏公开信息56条，"
            "岳阳市平江县交通运输局办公室负责日常工作。我局全年未收到申请。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况")
    md = extract_metadata(text)
    assert md.agency == "岳阳市平江县交通运输局"
    assert sources(md) == ["self-reference"]


def test_self_reference_without_a_body_named_is_no_agency():
    text = ("2015年，我局按照《中华人民共和国政府信息公开条例》和省财政厅有关文件精神开展工作。现将有关情况报告如下：\n"
            "一、政府信息公开工作的基本概况")
    assert extract_metadata(text).agency is None


def test_contact_is_weak_evidence_and_its_verb_never_stays():
    alone = "2020年政府信息公开工作年度报告\n如对本报告有疑问，请与松原市乾安县统计局联系（电话：0438-5222222）。"
    md = extract_metadata(alone + PERIOD.format(y=2020))
    assert md.agency == "松原市乾安县统计局" and not md.agency.startswith("请")
    assert md.agency_evidence[0]["source"] == "contact" and md.agency_evidence[0]["weight"] < 2
    # the title's printing stays: the office that answers is no fuller printing of it
    md = extract_metadata("乾安县统计局2020年政府信息公开工作年度报告\n" + alone.split("\n")[1])
    assert md.agency == "乾安县统计局"
    assert sources(md) == ["title", "contact"]


def test_contact_office_of_a_town_is_its_government():
    text = ("2010年政府信息公开工作年度报告\n" + PERIOD.format(y=2010)
            + "如对本年报有任何疑问，请与泰顺县罗阳镇党政综合办公室联系，邮编：325500。")
    assert extract_metadata(text).agency == "泰顺县罗阳镇人民政府"


def test_page_field_and_signature():
    text = ("2022年度政府信息公开工作年度报告\n发布机构：南平市建阳区审计局  发布日期：2023-01-20\n"
            + PERIOD.format(y=2022) + SECTIONS + "\n南平市建阳区审计局\n2023年1月20日")
    md = extract_metadata(text)
    assert md.agency == "南平市建阳区审计局"
    assert {"page field", "signature"} <= set(sources(md))


# ---------------------------------------------------------------- names without their place

def test_county_name_completed_from_the_host():
    text = ("一、总体情况\n2021年，县教育局严格按照《中华人民共和国政府信息公开条例》要求开展工作。\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况")
    # 武夷山市 is no 县: the name stays as printed
    md = extract_metadata(text, url="http://www.wuyishan.gov.cn/zwgk/zfxxgknb/1.html")
    assert md.agency == "县教育局" and not md.agency_evidence[0].get("completed")
    md = extract_metadata(text, url="http://www.tonglu.gov.cn/zwgk/zfxxgknb/1.html")
    assert md.agency == "桐庐县教育局"
    assert "桐庐县" in md.agency_evidence[0]["completed"] and "host" in md.agency_evidence[0]["completed"]


def test_city_name_completed_from_a_copied_url_path():
    text = ("一、总体情况\n2022年，市财政局深入贯彻落实《中华人民共和国政府信息公开条例》。\n二、主动公开政府信息情况\n"
            "三、收到和处理政府信息公开申请情况")
    md = extract_metadata(text, url="https://m.example.com/baoji/zfxxgknb/2023/1.html")
    assert md.agency == "宝鸡市财政局"


def test_the_host_outweighs_a_county_the_text_mentions_once():
    text = ("一、总体情况\n2022年，县财政局深入贯彻落实《条例》，赴桐庐县学习政务公开经验。\n二、主动公开政府信息情况\n"
            "三、收到和处理政府信息公开申请情况")
    assert extract_metadata(text, url="http://www.xiuning.gov.cn/zwgk/1.html").agency == "休宁县财政局"
    # two counties of equal weight: no completion
    text = text.replace("赴桐庐县", "与休宁县、桐庐县")
    assert extract_metadata(text).agency == "县财政局"


def test_zone_completed_from_its_host():
    text = "示范区财政局2020年政府信息公开工作年度报告\n" + PERIOD.format(y=2020) + SECTIONS
    md = extract_metadata(text, url="https://czj.yangling.gov.cn/zfxxgk/zfxxgknb/1.html")
    assert md.agency == "杨凌示范区财政局"
    assert md.region is None                   # a zone has no registry region


def test_fuller_printing_wins():
    text = ("鼓楼区财政局2019年政府信息公开工作年度报告\n本报告由福州市鼓楼区财政局按照《条例》要求编制。"
            + PERIOD.format(y=2019))
    md = extract_metadata(text)
    assert md.agency == "福州市鼓楼区财政局"
    assert md.region.code == "350102"           # 福州's 鼓楼区, not 南京's or 开封's


def test_fuller_printing_elsewhere_in_the_text():
    text = ("一、总体情况\n2024年，高新区管委会认真贯彻《条例》，以“鹤壁高新区管委会”微信公众号为辅发布信息。\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况")
    assert extract_metadata(text).agency == "鹤壁高新区管委会"


def test_traditional_page_name_as_printed():
    text = ("一、總體情況\n2021年，東莞市交通運輸局認真貫徹落實《中華人民共和國政府信息公開條例》。\n"
            "二、主動公開政府信息情況\n三、收到和處理政府信息公開申請情況")
    md = extract_metadata(text)
    assert (md.is_report, md.year, md.agency) == (True, 2021, "東莞市交通運輸局")
    assert md.region.name == "东莞市"


def test_placeless_traditional_street_completed_in_its_script():
    assert extract_metadata("柯城區府山街道2020年政府信息公開工作年度報告").agency == "柯城區府山街道辦事處"


def test_place_names_that_look_like_function_words():
    for name in ("和林格尔县民政局", "本溪市统计局", "从化区审计局", "乾安县水利局"):
        md = extract_metadata(f"{name}2020年政府信息公开工作年度报告\n" + PERIOD.format(y=2020))
        assert md.agency == name, name


def test_page_words_run_into_the_title():
    text = "首页/信息公开/年度报告正文延吉市信息公开年度报告延吉市林业局2020年政府信息公开工作年度报告发布时间:2021-01-20"
    assert extract_metadata(text).agency == "延吉市林业局"


# ---------------------------------------------------------------- is_report and year

def test_report_without_a_title_that_opens_with_its_sections_run_together():
    text = ("一、总体情况2021年以来，丽江市古城区统计局深入贯彻《条例》。二、主动公开政府信息情况第二十条第（一）项"
            "三、收到和处理政府信息公开申请情况四、政府信息公开行政复议、行政诉讼情况五、存在的主要问题及改进情况")
    md = extract_metadata(text)
    assert (md.is_report, md.year, md.agency) == (True, 2021, "丽江市古城区统计局")


def test_department_report_titled_only_as_an_annual_report():
    text = ("信息公开年度报告\n根据《中华人民共和国政府信息公开条例》，特向社会公布2016年度我委信息公开工作年度报告。"
            "如对本报告有任何疑问，请联系：舟山市发展和改革委员会办公室。")
    md = extract_metadata(text)
    assert md.is_report is True
    assert md.agency == "舟山市发展和改革委员会"


def test_form_with_the_place_and_year_blanked_out_is_not_a_report():
    text = ("XX县（市、区）20XX年政府信息公开工作年度报告\n本报告由XX（单位名称）按照《条例》要求编制。"
            "本报告中所列数据的统计期限自20XX年1月1日起至20XX年12月31日止。" + SECTIONS + "\n（文字描述）")
    md = extract_metadata(text)
    assert md.is_report is False
    assert any("form with blanks" in r for r in md.reasons)


def test_one_blank_left_in_a_real_report_keeps_it_a_report():
    text = ("大理市气象局2023年政府信息公开工作年度报告\n本报告电子版可在政府门户网站（具体网址）查阅。"
            + PERIOD.format(y=2023) + SECTIONS)
    assert extract_metadata(text).is_report is True


def test_year_from_the_year_end_the_figures_count_to():
    text = ("遵义市汇川区档案局\n一、总体情况\n截止2020年12月31日，我局主动公开信息15条，未收到申请。\n"
            "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况")
    md = extract_metadata(text)
    assert (md.is_report, md.year) == (True, 2020)
    assert md.evidence["year"] == "year-end date"


def test_agency_evidence_in_the_parsed_report():
    text = "长治市财政局2021年政府信息公开工作年度报告\n本报告由长治市财政局编制。" + PERIOD.format(y=2021)
    report = parse_report(text.encode("utf-8"), url="http://czj.changzhi.gov.cn/zwgk/1.html")
    data = report.to_dict()
    assert data["agency"] == "长治市财政局"
    assert [e["source"] for e in data["agency_evidence"]] == ["title", "由…编制"]
    assert all(set(e) >= {"source", "name", "sentence", "weight"} for e in data["agency_evidence"])


def test_title_naming_only_the_department_takes_the_host_s_place():
    md = extract_metadata("教育局2020年政府信息公开工作年度报告\n" + PERIOD.format(y=2020), url="http://jyj.baoji.gov.cn/a/1.html")
    assert md.agency == "宝鸡市教育局"


def test_host_spelled_as_prefecture_and_county_initials():
    text = "区财政局2020年政府信息公开工作年度报告\n" + PERIOD.format(y=2020)
    md = extract_metadata(text, url="http://www.cqjlp.gov.cn/zwgk/1.html")
    assert md.agency == "九龙坡区财政局"
    assert "initials" in md.agency_evidence[0]["completed"]
    # 弥勒市 (hhml = 红河州 + 弥勒) is a 市: a 县 name is not completed with it
    md = extract_metadata(text.replace("区财政局", "县财政局"), url="http://www.hhml.gov.cn/zwgk/1.html")
    assert md.agency == "县财政局"
