"""The national templates' tables as data: row keys with the label patterns that find
them (in the order the templates print them), column keys, the header words that tell
the 2019 template from the 2021 one, and the pre-2019 统计表's rows.

>>> T3_COLUMNS[-1], T4_GROUPS[0]
('total', 'review')
"""
from __future__ import annotations

import re

T3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
T4_GROUPS = ("review", "suit_direct", "suit_after_review")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# (key, pattern searched in the label text). Order is the printed order.
T3_ROWS: tuple[tuple[str, str], ...] = (
    ("new", r"本年度?新收|新收.{0,10}申请"),
    ("carried", r"上年结转|上年度结转"),
    ("granted", r"予以公开"),
    ("partial", r"部分公开"),
    ("denied.secret", r"国家秘密"),
    ("denied.law", r"其他法律|行政法规禁止|禁止公开"),
    ("denied.safety", r"三安全一稳定|危及"),
    ("denied.third_party", r"第三方"),
    ("denied.internal", r"内部事务"),
    ("denied.process", r"过程性"),
    ("denied.enforcement", r"执法案卷"),
    ("denied.query", r"查询事项|行政查询"),
    ("unable.no_info", r"不掌握"),
    ("unable.create", r"另行制作|没有现成"),
    ("unable.unclear", r"补正后|仍不明确"),
    ("refused.petition", r"信访|举报投诉"),
    ("refused.repeat", r"重复申请"),
    ("refused.publication", r"出版物"),
    ("refused.massive", r"大量反复"),
    ("refused.confirm", r"重新出具|确认或"),
    ("other", r"其他处理"),
    ("other.no_correction", r"不补正"),
    ("other.no_fee", r"缴纳费用|收费通知|逾期未按"),
    ("other.other", r"(?:^|[\d.、,)）])其他$"),
    ("total", r"总计$|\(七\)总计|总计\)?$"),
    ("next", r"结转下年|下年度继续"),
)
T3_PATTERNS = [(key, re.compile(pattern)) for key, pattern in T3_ROWS]
T3_RESULT_ROWS = ("granted", "partial", "denied.secret", "denied.law", "denied.safety",
                  "denied.third_party", "denied.internal", "denied.process",
                  "denied.enforcement", "denied.query", "unable.no_info", "unable.create",
                  "unable.unclear", "refused.petition", "refused.repeat",
                  "refused.publication", "refused.massive", "refused.confirm")

T2_ROWS: tuple[tuple[str, str], ...] = (
    ("rules", r"^(?:\d+[.、])?规章"),
    ("normative", r"^(?:\d+[.、])?(?:行政)?规范性文件"),
    ("licensing", r"^(?:\d+[.、])?行政许可"),
    ("other_services", r"^(?:\d+[.、])?其他对外管理服务事项"),
    ("penalty", r"^(?:\d+[.、])?行政处罚"),
    ("coercion", r"^(?:\d+[.、])?行政强制"),
    ("fees", r"^(?:\d+[.、])?行政事业性收费"),
    ("procurement", r"^(?:\d+[.、])?政府集中采购"),
)
T2_PATTERNS = [(key, re.compile(pattern)) for key, pattern in T2_ROWS]
#: a row name that ends a label the capture ran together with the header before it
#: (`…现行有效件数规章` + `000`)
T2_END_PATTERNS = [(key, re.compile(pattern.replace("^(?:\\d+[.、])?", "") + "$")) for key, pattern in T2_ROWS]
T2_COLUMNS = {
    "2019": {
        "rules": ("made", "published", "total"), "normative": ("made", "published", "total"),
        "licensing": ("prev_items", "change", "decisions"),
        "other_services": ("prev_items", "change", "decisions"),
        "penalty": ("prev_items", "change", "decisions"),
        "coercion": ("prev_items", "change", "decisions"),
        "fees": ("prev_items", "change"), "procurement": ("items", "amount"),
    },
    "2021": {
        "rules": ("issued", "repealed", "in_force"), "normative": ("issued", "repealed", "in_force"),
        "licensing": ("decisions",), "penalty": ("decisions",), "coercion": ("decisions",),
        "fees": ("amount",),
    },
}
T2_2021_HEADERS = re.compile(r"本年制发|本年废止|现行有效|本年处理决定|本年收费金额")
T2_2019_HEADERS = re.compile(r"本年新制作|本年新公开|对外公开总数|上一年项目数量|本年增/?减|采购项目数量")

TPRE_ROWS: tuple[tuple[str, str], ...] = (
    ("active.normative", r"主动公开规范性文件数"),
    ("active.total", r"主动公开政府信息数"),
    ("normative.issued_total", r"制发规范性文件总数"),
    ("requests.received", r"收到申请数"),
    ("requests.completed", r"申请办结数"),
    ("requests.answered", r"申请答复数"),
    ("requests.denied", r"不同意公开"),
    ("requests.partial", r"同意部分公开"),
    ("requests.granted", r"同意公开答复数"),
    ("review.total", r"行政复议数量|行政复议数$"),
    ("suit.total", r"行政诉讼数量|行政诉讼数$"),
    ("complaints.total", r"举报投诉数量|举报投诉数$"),
    ("fees.amount", r"收取的费用|收取费用"),
    ("staff.total", r"从事政府信息公开工作人员数"),
    ("funds.amount", r"专项经费"),
)
TPRE_PATTERNS = [(key, re.compile(pattern)) for key, pattern in TPRE_ROWS]
