"""gxcrawl.parse.spam on the kinds of mirror the lexicon has not met, with texts written here
for places across the registry: SEO chains of unknown brands, the brand in a template word
of a page that is no report, a glossed copy with the portal's domain rewritten, a
department folder in the copied URL, and an archive id that is no brand."""
from __future__ import annotations

from gxcrawl.parse.spam import analyze_spam


def replacement(findings, phrase):
    return next(r for r in findings["replacements"] if r["phrase"] == phrase)


def test_seo_chain_before_a_town_is_a_brand_and_restored_to_the_county():
    chain = "鼎盛体育_鼎盛官网@:"
    text = (f"{chain}罗阳镇人民政府2019年政府信息公开工作年度报告\n本报告由{chain}罗阳镇人民政府编制。"
            "如有疑问请与罗阳镇党政办联系，地址：罗阳镇城中路1号，邮编：325500，电话：0577-67581234。")
    result = analyze_spam(text, "http://m.qwertyu.net/art/2020/1/2/art_1_2.html")
    assert result.findings["is_mirror"] is True
    rep = replacement(result.findings, chain)
    assert rep["original"] == "泰顺县" and rep["confidence"] >= 0.5
    assert "泰顺县罗阳镇人民政府2019年" in result.restore(text)


def test_seo_chain_before_a_department_in_a_breadcrumb():
    chain = "汇赢官方app_汇赢首页_汇赢体育"
    text = (f"首页 > 部门 > {chain}财政局2021年政府信息公开工作年度报告\n"
            f"本报告由{chain}财政局编制。联系电话：0354-2021234。\n一、总体情况\n2021年，市财政局认真贯彻《条例》。")
    f = analyze_spam(text, "http://www.asdfgh.com/zwgk/1.html").findings
    assert f["is_mirror"] is True and chain in f["phrases"]
    assert replacement(f, chain)["original"] == "晋中市"


def test_words_of_a_page_joined_by_underscores_are_no_chain():
    for text in ("济源市统计局2022年政府信息公开工作年度报告_济源市人民政府门户网站\n本报告由济源市统计局编制。",
                 "政府信息公开_政府信息公开年报_济源市人民政府\n济源市统计局2022年政府信息公开工作年度报告"):
        f = analyze_spam(text, "http://news.example.org/a/1.html").findings
        assert f["is_mirror"] is False and f["phrases"] == []


def test_brand_in_the_template_word_of_a_guide():
    brand = "金銮娱乐"
    text = ("遂宁市民政局政府信息公开指南\n为了更好地提供政府信息公开服务，根据《中华人民共和国" + brand + "公开条例》，编制本指南。\n"
            "一、主动公开\n依照《中华人民共和国" + brand + "公开条例》第二十条规定，本机关主动公开" + brand + "。\n"
            "二、依申请公开\n公民可以向本机关申请获取" + brand + "。")
    result = analyze_spam(text, "http://www.zxcvbn.com/zwgk/xxgkzn/1.html")
    f = result.findings
    assert f["is_mirror"] is True
    assert replacement(f, brand)["original"] == "政府信息"
    assert "《中华人民共和国政府信息公开条例》" in result.restore(text)


def test_other_laws_in_the_template_position_are_no_brand():
    text = ("依据《中华人民共和国保守国家秘密法实施条例》和《中华人民共和国政府信息公开条例》，编制本指南。"
            "《中华人民共和国档案法实施条例》规定的档案不予公开。")
    assert analyze_spam(text, "http://news.example.org/a/2.html").findings["phrases"] == []


def test_glossed_copy_with_the_portal_domain_rewritten_is_a_mirror():
    glossed = ("本年報(bào)的電(diàn)子版可在鄂州市人民政府門(mén)戶網(wǎng)站（www.plmokn.com）下載(zǎi)。"
               "電話(huà)：0711-3201234。")
    f = analyze_spam(glossed, "http://www.ijnuhb.com/zfxxgk/1.html").findings
    assert f["is_mirror"] is True and "www.plmokn.com" in f["phrases"]
    # glosses alone (a converted copy), or a .com portal alone (portals before 2019), are no mirror
    assert analyze_spam(glossed.replace("www.plmokn.com", "www.ezhou.gov.cn"),
                        "http://www.ijnuhb.com/zfxxgk/1.html").findings["is_mirror"] is False
    plain = "本年报的电子版可在鄂州市人民政府门户网站（www.ezzf.com）下载。电话：0711-3201234。"
    assert analyze_spam(plain, "http://news.example.org/a/3.html").findings["is_mirror"] is False


def test_department_folder_in_the_copied_url_restores_the_city():
    brand = "天成娱乐"
    text = (f"{brand}财政局2020年政府信息公开工作年度报告\n本报告由{brand}财政局编制。"
            f"全年{brand}财政局主动公开政府信息1200条。")
    result = analyze_spam(text, "http://www.poiuyt.com/smczj/zwgk/zfxxgknb/202101/t20210115_1.html")
    rep = replacement(result.findings, brand)
    assert rep["original"] == "三明市"
    assert any("/smczj/" in e for e in rep["evidence"])
    # initials two cities share (fz: 福州, 抚州) need another trace: the area code decides
    text2 = text + "联系电话：0591-87654321。"
    rep = replacement(analyze_spam(text2, "http://www.poiuyt.com/fzczj/zwgk/1.html").findings, brand)
    assert rep["original"] == "福州市"


def test_archive_id_before_a_name_is_no_brand():
    for text in ("001008003014056_永嘉县枫林镇人民政府_2010年政府信息公开工作年度报告",
                 "20230130_11545442_重庆市九龙坡区二郎街道办事处2022年政府信息公开工作年度报告",
                 "35120_沙县区凤岗街道办事处2021年政府信息公开工作年度报告\n本报告由凤岗街道办事处编制。"):
        for url in ("http://m.example.net/zwgk/1.html", "http://www.yj.gov.cn/zwgk/1.html"):
            f = analyze_spam(text, url).findings
            assert f["is_mirror"] is False and f["phrases"] == [], (text, url)
