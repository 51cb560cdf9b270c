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

#: The rows of the national pre-2019 统计表 template (国办 2008–2018): canonical key, the
#: pattern its printed label matches, and the label as the template prints it. The first
#: pattern that matches wins, so narrower labels come before the broader ones they contain.
#: `{group}` rows are the result rows of 行政复议 and 行政诉讼: the group is the one whose
#: total row came last. Rows of no template keep their printed label as key.
TPRE_TEMPLATE: tuple[tuple[str, str, str], ...] = (
    ("active.normative", r"主动公开规范性文件数", "其中：主动公开规范性文件数"),
    ("active.total", r"主动公开政府信息数|主动公开信息数", "主动公开政府信息数"),
    ("normative.issued_total", r"制发规范性文件总数", "制发规范性文件总数"),
    ("active.gazette", r"政府公报公开政府信息数", "政府公报公开政府信息数"),
    ("active.website", r"政府网站公开政府信息数", "政府网站公开政府信息数"),
    ("active.weibo", r"政务微博公开政府信息数", "政务微博公开政府信息数"),
    ("active.wechat", r"政务微信公开政府信息数", "政务微信公开政府信息数"),
    ("active.other", r"其他方式公开政府信息数", "其他方式公开政府信息数"),
    ("response.hotspots", r"回应公众关注热点或重大舆情数", "回应公众关注热点或重大舆情数"),
    ("response.press_conferences.leaders", r"主要负责同志参加新闻发布会", "其中：主要负责同志参加新闻发布会次数"),
    ("response.press_conferences", r"参加或举办新闻发布会", "参加或举办新闻发布会总次数"),
    ("response.interviews.leaders", r"主要负责同志参加政府网站在线访谈", "其中：主要负责同志参加政府网站在线访谈次数"),
    ("response.interviews", r"政府网站在线访谈次数", "政府网站在线访谈次数"),
    ("response.interpretations", r"政策解读稿件发布数", "政策解读稿件发布数"),
    ("response.weibo_wechat", r"微博微信回应事件数", "微博微信回应事件数"),
    ("response.other", r"其他方式回应事件数", "其他方式回应事件数"),
    ("requests.received", r"收到申请数", "收到申请数"),
    ("requests.in_person", r"当面申请数", "当面申请数"),
    ("requests.fax", r"传真申请数", "传真申请数"),
    ("requests.online", r"网络申请数", "网络申请数"),
    ("requests.letter", r"信函申请数", "信函申请数"),
    ("requests.completed", r"申请办结数", "申请办结数"),
    ("requests.on_time", r"按时办结数", "按时办结数"),
    ("requests.extended", r"延期办结数", "延期办结数"),
    ("requests.answered", r"申请答复数", "申请答复数"),
    ("requests.already_public", r"属于已主动公开范围数", "属于已主动公开范围数"),
    ("requests.denied.state_secret", r"涉及国家秘密", "其中：涉及国家秘密"),
    ("requests.denied.commercial_secret", r"涉及商业秘密", "涉及商业秘密"),
    ("requests.denied.privacy", r"涉及个人隐私", "涉及个人隐私"),
    ("requests.denied.security", r"危及国家安全", "危及国家安全、公共安全、经济安全和社会稳定"),
    ("requests.denied.not_government_information", r"不是《?条例》?所指政府信息", "不是《条例》所指政府信息"),
    ("requests.denied.other_law", r"法律法规规定的其他情形", "法律法规规定的其他情形"),
    ("requests.denied", r"不同意公开", "不同意公开答复数"),
    ("requests.partial", r"同意部分公开", "同意部分公开答复数"),
    ("requests.granted", r"同意公开答复数", "同意公开答复数"),
    ("requests.not_this_body", r"不属于本行政机关公开", "不属于本行政机关公开数"),
    ("requests.not_exist", r"申请信息不存在", "申请信息不存在数"),
    ("requests.change_requested", r"告知作出更改补充", "告知作出更改补充数"),
    ("requests.other_channel", r"告知通过其他途径办理", "告知通过其他途径办理数"),
    ("review.total", r"行政复议数量|行政复议数$", "行政复议数量"),
    ("suit.total", r"行政诉讼数量|行政诉讼数$", "行政诉讼数量"),
    ("{group}.upheld", r"维持具体行政行为", "维持具体行政行为数"),
    ("{group}.corrected", r"被依法纠错数", "被依法纠错数"),
    ("{group}.other", r"其他情形数", "其他情形数"),
    ("complaints.total", r"举报投诉数量|举报投诉数$", "举报投诉数量"),
    ("fees.amount", r"收取的费用|收取费用", "依申请公开信息收取的费用（万元）"),
    ("staff.offices", r"政府信息公开工作专门机构数", "政府信息公开工作专门机构数"),
    ("staff.reading_points", r"政府信息公开查阅点数", "设置政府信息公开查阅点数"),
    ("staff.total", r"从事政府信息公开工作人员数", "从事政府信息公开工作人员数"),
    ("staff.full_time", r"专职人员数", "专职人员数"),
    ("staff.part_time", r"兼职人员数", "兼职人员数"),
    ("funds.amount", r"专项经费", "政府信息公开专项经费（万元）"),
    ("meetings.total", r"召开政府信息公开工作会议或专题会议数", "召开政府信息公开工作会议或专题会议数"),
    ("training.sessions", r"举办各类培训班数", "举办各类培训班数"),
    ("training.people", r"接受培训人员数", "接受培训人员数"),
)
#: (key, pattern) of the template's rows, in matching order
TPRE_ROWS: tuple[tuple[str, str], ...] = tuple((key, pattern) for key, pattern, _ in TPRE_TEMPLATE)
TPRE_PATTERNS = [(key, re.compile(pattern)) for key, pattern in TPRE_ROWS]
#: canonical key → the label the template prints (the 复议/诉讼 result rows under both groups)
TPRE_LABELS: dict[str, str] = {
    key.format(group=group): label for key, _, label in TPRE_TEMPLATE
    for group in (("review", "suit") if "{group}" in key else ("",))}
#: rows of the form that are no count (the filing date, the reporting body)
TPRE_NOT_A_ROW = re.compile(r"填报日期|填报单位|填报人|审核人")

