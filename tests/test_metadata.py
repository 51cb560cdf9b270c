"""gxcrawl.parse.metadata: the five seeds, and the small functions one by one."""
from __future__ import annotations

from pathlib import Path

import pytest

from gxcrawl.parse.metadata.dates import (find_published, lead_year, normalize_date, period_year, url_year,
                           year_mentions)
from gxcrawl.parse.metadata import (classify_title, extract_metadata, finish_agency, is_zone,
                              looks_like_spam_name, normalize, region_of_host, report_score,
                              split_title)

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"


def seed(prefix: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip("shared/seeds not available")
    files = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"seed {prefix} not available")
    return files[0].read_text(encoding="utf-8")


# ---------------------------------------------------------------- the seeds

@pytest.mark.parametrize("prefix, year, agency, region, published", [
    ("000", 2019, "三明市人民政府办公室", "三明市", "2020-01-31"),
    ("001", 2020, "安顺市政府办公室", "安顺市", "2021-01-29"),
    ("002", 2015, "瑞金市人民政府", "瑞金市", None),
    ("004", 2018, "宁德市蕉城区人民政府办公室", "蕉城区", "2019-01-22"),
])
def test_seed(prefix, year, agency, region, published):
    m = extract_metadata(seed(prefix))
    assert m.is_report
    assert m.year == year
    assert m.agency == agency
    assert m.region is not None and m.region.name == region
    assert m.published == published
    assert m.title and m.title.startswith(agency)


def test_seed_003_spam_mirror():
    """The gambling chain stands for 温州市; unrestored text: year only, and no
    absurd agency made of the chain."""
    m = extract_metadata(seed("003"))
    assert m.is_report
    assert m.year == 2019
    assert m.agency is None or not looks_like_spam_name(m.agency)


def test_seed_003_restored():
    text = seed("003").replace("365网站手机打不开_365体育怎么打不开网址_365数字含义", "温州市")
    m = extract_metadata(text)
    assert (m.year, m.agency, m.region.name) == (2019, "温州市人民政府", "温州市")


# ---------------------------------------------------------------- titles

@pytest.mark.parametrize("line, expected", [
    ("三明市人民政府办公室2019年政府信息公开工作年度报告", ("三明市人民政府办公室", 2019)),
    ("安顺市政府办公室2020年度信息公开工作年度报告", ("安顺市政府办公室", 2020)),
    ("福州市晋安区2016年政府信息公开工作年度报告", ("福州市晋安区人民政府", 2016)),
    ("永嘉县枫林镇2010年政府信息公开工作年度报告", ("永嘉县枫林镇人民政府", 2010)),
    ("三元区列东街道2019年政府信息公开工作年度报告", ("三元区列东街道办事处", 2019)),
    ("滨州北海经济开发区2024年政府信息公开工作年度报告", ("滨州北海经济开发区", 2024)),
    ("2021年抚州市政府信息公开工作年度报告", ("抚州市人民政府", 2021)),
    ("舒兰市市场监督管理局2016年政务信息公开年度报告", ("舒兰市市场监督管理局", 2016)),
    ("宝鸡市人民政府门户网站 部门 宝鸡市体育局2022年政府信息公开工作年度报告", ("宝鸡市体育局", 2022)),
    ("三明市统计局政府信息公开工作2019年度报告", ("三明市统计局", 2019)),
    ("二〇一九年三明市三元区政府信息公开工作年度报告", ("三明市三元区人民政府", 2019)),
    ("成都市體育局2020年政府信息公開工作年度報告", ("成都市體育局", 2020)),     # kept as printed
    ("2022年政府信息公开工作年度报告", (None, 2022)),
    ("365bet网上娱乐_365体育平台网址人民政府2022年政府信息公开工作年度报告", (None, 2022)),
    ("三明市人民政府办公室关于印发2019年政务公开工作要点的通知", None),
    ("政府信息公开指南", None),
])
def test_split_title(line, expected):
    assert split_title(line) == expected


@pytest.mark.parametrize("line, kind", [
    ("三明市人民政府办公室2019年政府信息公开工作年度报告", "report"),
    ("首页 > 政务公开 > 三明市财政局2019年政府信息公开工作年度报告", "report"),
    ("国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知", "negative"),
    ("石家庄市某局政府信息公开指南", "negative"),
    ("图解：三明市2019年政府信息公开工作年度报告", "negative"),
    ("《三明市2019年政府信息公开工作年度报告》解读", "negative"),
    ("三明市人民政府网站2019年工作年度报表", "negative"),
    ("三明市2019年法治政府建设年度报告", "negative"),
    ("三明市住房公积金2019年年度报告", "negative"),
    ("本报告由济宁市体育局按照《中华人民共和国政府信息公开工作年度报告格式》要求编制。", None),
    ("政府信息公开年报", None),
])
def test_classify_title(line, kind):
    assert classify_title(normalize(line)[1]) == kind


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("sentence, year", [
    ("本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。", 2019),
    ("本年报中所列数据的统计期限自20201月1日起至202012月31日止。", 2020),
    ("本报告中所列数据统计期限自201811日至20181231日截止。", 2018),
    ("本报告所列数据的统计期限为202311日至20231231日。", 2023),
    ("本报告中所列数据的统计期限自 2023年 1 月 1 日起至2023年 12 月 31 日止。", 2023),
    ("内容涵盖市政府办公2019年1月1日至12月31日期间的政府信息公开工作情况", 2019),
    ("本报告信息数据统计期限为:2022年1月1日-2022年12月31日。", 2022),
    ("本报告统计数据从2016年1月1日至2016年12月31日止。", 2016),
    ("依据国办公开办函〔2021〕30号要求编制。地址:兴湖路001号。", None),
])
def test_period_year(sentence, year):
    assert period_year(sentence) == year


@pytest.mark.parametrize("raw, date", [
    ("2021-01-29 10:00", "2021-01-29"),
    ("2019年1月22日", "2019-01-22"),
    ("2020/1/31", "2020-01-31"),
    ("2019.01.22 14:28", "2019-01-22"),
    ("2013年3月", None),
    ("2019-13-01", None),
])
def test_normalize_date(raw, date):
    assert normalize_date(raw) == date


@pytest.mark.parametrize("text, date", [
    ("来源:三明市政府办 时间:2020-01-31 14:03", "2020-01-31"),
    ("安顺市政府办公室2020年度信息公开工作年度报告\n发布时间: 2021-01-29 10:00 文章字号:", "2021-01-29"),
    ("发布日期:2019-01-22 14:28  浏览次数:167", "2019-01-22"),
    ("  • 发布日期\n    2026-01-26\n  • 有效性", "2026-01-26"),
    ("发 文 日 期 2019-11-29   上 载 日 期 2019-12-02", "2019-11-29"),
    ("更新时间:\n本报告所列数据的统计时间:2020年1月1日至12月31日", None),
])
def test_find_published(text, date):
    assert find_published(text)[0] == date


def test_published_from_meta_first():
    assert find_published("发布时间:2020-01-01", {"PubDate": "2020-02-03 08:00"})[0] == "2020-02-03"


def test_year_traps():
    text = ("根据《国办公开办函〔2021〕30号》要求。地址:高楼乡兴湖路001号。"
            "通过门户网站公开信息2017条。索引号:mlsjtysj/2026-00004\n2023年,我乡……")
    assert year_mentions(text) == [2023]
    assert lead_year(text) == 2023
    assert url_year("http://x.gov.cn/module/xxgk/xxgkAnnualReport.jsp?area=1&fbtime=2025") == 2025
    assert url_year("https://m.x.com/gongkai/zfxxgknb/2010nb/szfbm/202009/t20200921_1.html") == 2010
    assert url_year("http://x.gov.cn/zfxxgknb/202101/t20210101_1.html") is None


def test_publish_date_only_gives_previous_year():
    """A report on 2012 whose only date near the top is its 2013年3月 publish month."""
    text = ("廣州市人民政府\n2013年3月\n本年度報告是根據《中華人民共和國政府信息公開條例》編寫而成。\n"
            "一、概述\n我市政府信息公開工作取得新進展。\n二、主動公開政府信息情況\n")
    m = extract_metadata(text)
    assert m.year == 2012
    assert m.agency == "廣州市人民政府"
    assert m.evidence["year"] == "publish year - 1"
    assert m.is_report


def test_publish_date_is_not_the_year():
    text = ("长春市交通运输局2018年政府信息公开年度报告\n时间:2019-04-03 09:48\n"
            "本报告中所列数据统计期限自201811日至20181231日截止。")
    m = extract_metadata(text)
    assert (m.year, m.published) == (2018, "2019-04-03")


def test_other_years_in_body():
    text = ("三亚市海棠区人民政府办公室\n2020年政府信息公开工作年度报告\n"
            "一、总体情况\n于2019年开始印发实施《关于印发2019年度重点工作指标绩效考核办法的通知》"
            "(海棠府办〔2020〕4号),《海棠区政府办2019年度重点工作任务指标绩效考核评分细则》。")
    m = extract_metadata(text)
    assert (m.year, m.agency, m.region.name) == (2020, "三亚市海棠区人民政府办公室", "海棠区")
    assert m.title == "三亚市海棠区人民政府办公室2020年政府信息公开工作年度报告"


# ---------------------------------------------------------------- traditional text

def test_traditional_text_with_pinyin_glosses():
    text = ("廣州市人民政府\n2013年3月\n本年度報(bào)告是根據(jù)《中華人民共和國(guó)政府信息公開條例》"
            "要求編寫而成。本報(bào)告中所列數(shù)據(jù)的統(tǒng)計(jì)期限自2012年1月1日起至2012年12月31日止。\n一、概述\n")
    printed, norm = normalize(text)
    assert "(bào)" not in printed and len(printed) == len(norm)
    assert "统计期限自2012年1月1日" in norm
    m = extract_metadata(text)
    assert (m.is_report, m.year, m.agency, m.region.name) == (True, 2012, "廣州市人民政府", "广州市")


def test_traditional_subject_sentence():
    text = ("\n一、總體情況\n2022年,廣州市交通運輸局在廣州市委、市政府正確領導下,認真貫徹執行"
            "《中華人民共和國政府信息公開條例》,加大政府信息主動公開力度。\n"
            "(二)依申請公開情況。2022年度,接收政府信息公開申請124宗。")
    m = extract_metadata(text, url="http://example.com/zfxxgknb/bm/2022n/content/post_1.html")
    assert (m.is_report, m.year, m.agency, m.region.name) == (True, 2022, "廣州市交通運輸局", "广州市")


def test_title_only_in_url():
    url = ("https://newton.com.tw/wiki/%E6%88%90%E9%83%BD%E5%B8%82%E9%AB%94%E8%82%B2%E5%B1%80"
           "2020%E5%B9%B4%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E9%96%8B%E5%B7%A5%E4%BD%9C"
           "%E5%B9%B4%E5%BA%A6%E5%A0%B1%E5%91%8A/63349508")
    m = extract_metadata("一、總體情況\n2020年,市體育局深入貫徹……", url=url)
    assert (m.is_report, m.year, m.agency, m.region.name) == (True, 2020, "成都市體育局", "成都市")


# ---------------------------------------------------------------- agency sources

def test_agency_from_compiled_by():
    text = ("点击收听年报语音朗读\n本报告由济宁市体育局按照《中华人民共和国政府信息公开条例》和"
            "《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)要求编制。\n"
            "本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。")
    m = extract_metadata(text, url="http://dlrk.jining.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2025")
    assert (m.is_report, m.year, m.agency, m.region.name) == (True, 2025, "济宁市体育局", "济宁市")


def test_township_region_from_host():
    text = ("本报告由高楼乡人民政府按照《中华人民共和国政府信息公开条例》要求编制。\n"
            "本报告中所列数据的统计期限自 2023年 1 月 1 日起至2023年 12 月 31 日止。"
            "本报告电子版可在“中国·济宁”政府门户网站查阅。(地址:高楼乡兴湖路001号,电话 0537-8381002)。")
    m = extract_metadata(text, url="http://www.weishan.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2023")
    assert (m.year, m.agency, m.region.name) == (2023, "高楼乡人民政府", "微山县")


def test_split_title_over_two_lines():
    m = extract_metadata("黄石市体育事业发展中心\n2020年政府信息公开工作年度报告\n一、总体情况\n")
    assert (m.is_report, m.year, m.agency, m.region.name) == (True, 2020, "黄石市体育事业发展中心", "黄石市")
    assert m.title == "黄石市体育事业发展中心2020年政府信息公开工作年度报告"


def test_zone_has_no_registry_region():
    m = extract_metadata("滨州北海经济开发区2024年政府信息公开工作年度报告\n发布时间:2025-02-17\n")
    assert (m.agency, m.region, m.published) == ("滨州北海经济开发区", None, "2025-02-17")
    assert is_zone("杨凌示范区教育局") and not is_zone("上海市浦东新区人民政府")


def test_agency_not_stated():
    text = ("2015年,我局按照《中华人民共和国政府信息公开条例》和市委市政府、省财政厅有关文件精神,"
            "进一步拓展公开内容。现将有关情况报告如下:\n一、政府信息公开工作的基本概况\n")
    m = extract_metadata(text, url="http://www.wenzhou.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2015")
    assert (m.is_report, m.year, m.agency, m.region.name) == (True, 2015, None, "温州市")


def test_spam_chain_is_not_an_agency():
    chain = "365bet网上娱乐_365BETAPP官网_365体育平台网址"
    text = (f"{chain}人民政府合作交流办公室\n2022年政府信息公开工作年度报告\n本年度报告根据"
            f"《中华人民共和国政府信息公开条例》编制。本年度报告中所列数据统计期限从2022年1月1日起至"
            f"2022年12月31日止。\n通过门户网站公开信息2017条。\n{chain}人民政府 2023年1月5日")
    m = extract_metadata(text)
    assert (m.is_report, m.year, m.agency) == (True, 2022, None)
    assert looks_like_spam_name("英国威廉希尔公司市")
    assert finish_agency("英国威廉希尔公司市", "英国威廉希尔公司市") is None


def test_region_of_host():
    assert region_of_host("http://www.wenzhou.gov.cn/x").name == "温州市"
    assert region_of_host("http://www.weishan.gov.cn/x", "电话 0537-8381002").name == "微山县"
    assert region_of_host("http://www.weishan.example.com/x") is None


# ---------------------------------------------------------------- is_report

@pytest.mark.parametrize("text", [
    "国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知\n"
    "各省、自治区、直辖市人民政府办公厅:\n现将修订后的《中华人民共和国政府信息公开工作年度报告格式》印发给你们,"
    "请认真贯彻执行。\n一、报告内容\n(一)总体情况。\n(二)主动公开政府信息情况。",
    "石家庄市某局政府信息公开指南\n发布时间:2017年12月18日\n本局编制了《某局政府信息公开指南》(以下简称《指南》)。"
    "\n一、主动公开信息\n三、依申请公开的有关信息",
    "1. 行政复议的发展现状\nTable 1. Matters involved in administrative reconsideration cases in 2012\n"
    "表1. 2012年行政复议案件涉及事项\n事项 |\n行政 处罚 |\n政府信息公开 |\n总计 |",
    "政务信息考核办法",
    "三明市2019年法治政府建设年度报告\n一、主要举措\n本报告所列……\n二、行政复议和行政诉讼",
    "三明市人民政府网站2019年工作年度报表\n网站名称 三明市人民政府\n首页网址 http://www.sm.gov.cn",
    "图解：三明市2019年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况",
])
def test_not_reports(text):
    assert extract_metadata(text).is_report is False


def test_report_without_title_old_sections():
    text = ("一、概述\n根據《條例》要求,2010年,我局繼續開展政府信息公開工作。\n二、政府信息主動公開情況\n"
            "三、政府信息依申請公開情況\n四、人員和收支情況\n六、行政複議和行政訴訟情況\n七、主要問題和改進措施\n")
    reasons: list[str] = []
    assert report_score(normalize(text)[1], None, None, reasons) >= 4, reasons
    m = extract_metadata(text, url="https://m.example.com/gongkai/zfxxgk/zfxxgknb/2010nb/szfbm/1.html")
    assert (m.is_report, m.year, m.agency) == (True, 2010, None)


def test_title_sources():
    m = extract_metadata("正文", title="三明市人民政府办公室2019年政府信息公开工作年度报告_三明市人民政府门户网站")
    assert (m.is_report, m.year, m.agency) == (True, 2019, "三明市人民政府办公室")
    assert m.title == "三明市人民政府办公室2019年政府信息公开工作年度报告"
    m = extract_metadata("正文", meta={"ArticleTitle": "沙县人民政府2019年度政府信息公开工作年度报告",
                                       "PubDate": "2020-03-01 09:00"})
    assert (m.year, m.agency, m.published, m.region.name) == (2019, "沙县人民政府", "2020-03-01", "沙县区")


def test_empty_and_junk_input():
    for text in ("", "\n\n", "|||||", "365网站手机打不开_365体育怎么打不开网址" * 50):
        m = extract_metadata(text)
        assert m.is_report is False and m.agency is None
