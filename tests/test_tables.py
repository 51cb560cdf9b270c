"""Table parsing on hand-made layouts that real reports use."""
from gxcrawl import parse_report
from gxcrawl.parse.model import Paragraph, Table
from gxcrawl.parse.tables import classify, parse_tables, split_row, tokenize_lines

T3_LABELS_2021 = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果 （一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开 1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
    "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
    "7.属于行政执法案卷", "8.属于行政查询事项",
    "（四）无法提供 1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确", "（五）不予处理 1.信访举报投诉类申请", "2.重复申请",
    "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理",
]
KEYS_2021 = ["new", "carried", "granted", "partial", "denied.secret", "denied.law",
             "denied.safety", "denied.third_party", "denied.internal", "denied.process",
             "denied.enforcement", "denied.query", "unable.no_info", "unable.create",
             "unable.unclear", "refused.petition", "refused.repeat", "refused.publication",
             "refused.massive", "refused.confirm", "other.no_correction", "other.no_fee",
             "other.other", "total", "next"]


def test_classify_values_dashes_and_labels():
    assert classify("１２").value == 12          # full-width digits
    assert classify("1,234").value == 1234
    assert classify("238.58万元").value == 238.58
    assert classify("—").kind == "dash" and classify("无").kind == "dash"
    assert classify("2.重复申请").kind == "label"
    assert classify("2019年").kind == "label"
    assert classify("").kind == "blank"


def test_pipe_rows_keep_blank_positions():
    assert split_row("|规章|0||3|") == ["规章", "0", "", "3"]
    assert split_row("|---|---|") == []
    assert split_row("普通的一行文字") is None
    tokens = tokenize_lines(["| 规章 | 0 |  | 3 |"])
    assert [t.kind for t in tokens] == ["label", "value", "blank", "value"]


def grid_2021(values_for) -> Table:
    rows = [["申请人情况", "自然人", "法人或其他组织", None, None, None, None, "总计"],
            [None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None]]
    for label, key in zip(T3_LABELS_2021, KEYS_2021):
        rows.append([label] + [str(v) for v in values_for(key)])
    return Table(rows=rows)


def test_2021_table_three_with_other_subrows_from_a_grid():
    def values(key):
        return [1, 2, 0, 0, 0, 0, 3] if key in ("new", "total", "granted") else [0] * 7
    parsed = parse_tables([grid_2021(values)])
    t3 = parsed.tables["t3"]
    assert parsed.formats["t3"] == "2021"
    assert t3["new.commercial"] == 2 and t3["new.total"] == 3
    assert t3["other.no_correction.total"] == 0 and "other.other.natural" in t3
    assert "other.total" not in t3
    assert len(t3) == 25 * 7


def test_blank_grid_cells_are_none_and_dash_keeps_raw_text():
    def values(key):
        return ["", "/", 0, 0, 0, 0, 0] if key == "carried" else [0] * 7
    parsed = parse_tables([grid_2021(values)])
    t3 = parsed.tables["t3"]
    assert t3["carried.natural"] is None
    assert t3["carried.commercial"] is None
    raw = {(c.key): c.raw for c in parsed.cells}
    assert raw["carried.commercial"] == "/" and raw["carried.natural"] == ""


def test_labels_split_across_tokens_and_pages():
    lines = ["一、本年新收政府信息公开申请数量", "5", "0", "0", "0", "0", "0", "5",
             "二、上年结转政府信息", "公开申请数量", "0", "0", "0", "0", "0", "0", "0",
             "（四）无法", "提供", "1.本机关不掌握", "相关政府信息", "5", "0", "0", "0", "0", "0", "5"]
    t3 = parse_tables([Paragraph("\n".join(lines))]).tables["t3"]
    assert t3["carried.total"] == 0
    assert t3["unable.no_info.total"] == 5


def test_misspelt_label_still_matches():
    lines = ["一、本年新收政府信息公开申请数量", "1", "0", "0", "0", "0", "0", "1",
             "（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0",
             "2.其他法律行政止公开", "1", "0", "0", "0", "0", "0", "1"]
    t3 = parse_tables([Paragraph("\n".join(lines))]).tables["t3"]
    assert t3["denied.law.total"] == 1


def test_eight_column_variant_with_subtotal():
    rows = [["申请人情况", "自然人", "法人或其他组织", None, None, None, None, None, "总计"],
            [None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", None],
            ["一、本年新收政府信息公开申请数量", "4", "1", "0", "0", "1", "0", "2", "6"]]
    t3 = parse_tables([Table(rows=rows)]).tables["t3"]
    assert t3["new.natural"] == 4 and t3["new.legal"] == 1 and t3["new.total"] == 6
    assert "new.org_subtotal" not in t3


def test_table_four_flat_row_of_fifteen():
    header = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
              "未经复议直接起诉", "复议后起诉"]
    values = [str(v) for v in range(1, 16)]
    t4 = parse_tables([Paragraph("一、本年新收政府信息公开申请数量\n0\n四、结转下年度继续办理\n0"),
                       Paragraph("\n".join(header + values))]).tables["t4"]
    assert t4["review.upheld"] == 1 and t4["suit_direct.upheld"] == 6
    assert t4["suit_after_review.total"] == 15


def test_2021_table_two_and_mixed_format():
    t2 = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
          "规章", "0", "0", "2", "行政规范性文件", "3", "1", "40",
          "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "550",
          "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "12", "行政强制", "—",
          "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "7730.28"]
    t3 = ["申请人情况", "一、本年新收政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0",
          "（六）其他处理", "0", "0", "0", "0", "0", "0", "0"]
    parsed = parse_tables([Paragraph("\n".join(t2 + t3))])
    assert parsed.tables["t2"] == {
        "rules.issued": 0, "rules.repealed": 0, "rules.in_force": 2,
        "normative.issued": 3, "normative.repealed": 1, "normative.in_force": 40,
        "licensing.decisions": 550, "penalty.decisions": 12, "coercion.decisions": None,
        "fees.amount": 7730.28}
    assert parsed.formats == {"t2": "2021", "t3": "2019"}
    assert parsed.format == "mixed"


def test_html_table_with_spans_and_split_labels():
    html = """<html><body><div class="TRS_Editor"><p>三、收到和处理政府信息公开申请情况</p>
    <table><tr><td rowspan="3" colspan="3">申请人情况</td><td rowspan="2">自然人</td>
    <td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
    <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
    <tr><td></td><td></td><td></td><td></td><td></td><td></td><td></td></tr>
    <tr><td colspan="3"><span>一</span><span>、</span><span>本</span><span>年</span><span>新</span><span>收</span>政府信息公开申请数量</td>
    <td>7</td><td>1</td><td></td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
    <tr><td colspan="3">二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
    <tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>7</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>8</td></tr>
    </table></div></body></html>"""
    report = parse_report(html.encode("utf-8"))
    t3 = report.tables["t3"]
    assert t3["new.natural"] == 7 and t3["new.research"] is None and t3["new.total"] == 8
    assert t3["granted.total"] == 8
