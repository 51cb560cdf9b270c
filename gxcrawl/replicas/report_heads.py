"""A generated battery for gxcrawl.parse.metadata: the heads of report pages (and of the pages
that look like them) for bodies of places across the registry, written in the forms real
pages use, with the labels a reader would give them.

Each report head combines, by a seeded choice: a body (a county's, prefecture's or
province's government or its 办公室, a department, a town or 街道 of a county); a title
layout (one line, the body on the line above, the year first, 年度 / （2020年度）, under a
breadcrumb, no body in the title, no title at all, the title only in the HTML
``<title>``); the page's 发布机构 / 来源 fields; an opening sentence (本报告由X按照…编制,
现公布X2020年度…报告, X编制了…报告, 由X办公室综合各县（市、区）…编制, or none that names
anyone); the subject of the first section (the full name, the name without its place —
县教育局 —, or 我局); the contact sentence; the signature. Then, sometimes, converted to
traditional characters, run into one line, or served as an HTML page on the body's
government host or a department subdomain.

Negatives of the same places: a notice about the reports, a 政府信息公开指南, a
法治政府建设 report, a 网站工作年度报表, a form with the place and year blanked out, a list
of report titles, a 图解.

Labels: ``is_report``; for reports ``year`` and ``agency`` — the body as the page prints it
in full (a government reporting for its region is its 人民政府).

>>> heads = build_heads(seed=1, n=40)
>>> sum(h.labels["is_report"] for h in heads) > 20 and all(h.text for h in heads)
True
"""
from __future__ import annotations

import html as htmlmod
import random
from dataclasses import dataclass, field

DEPARTMENTS = ["教育局", "财政局", "交通运输局", "市场监督管理局", "卫生健康局", "自然资源局", "生态环境局",
               "民政局", "司法局", "人力资源和社会保障局", "住房和城乡建设局", "农业农村局", "水利局", "商务局",
               "文化和旅游局", "应急管理局", "统计局", "医疗保障局", "审计局", "林业局", "退役军人事务局",
               "发展和改革委员会", "卫生健康委员会", "体育局", "公安局", "税务局", "行政审批局"]
PROVINCE_DEPARTMENTS = ["教育厅", "财政厅", "交通运输厅", "科学技术厅", "民政厅", "司法厅", "自然资源厅",
                        "生态环境厅", "水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "审计厅",
                        "人力资源和社会保障厅", "住房和城乡建设厅", "市场监督管理局", "体育局", "统计局"]
STREETS = ["中山路", "人民路", "解放路", "建设路", "府前路", "新华路", "文化路", "政府路"]
VERBS = ["认真贯彻落实", "深入贯彻", "坚持以习近平新时代中国特色社会主义思想为指导,", "严格按照", "紧紧围绕"]
OGI = "政府信息公开工作年度报告"


@dataclass
class Head:
    id: str
    text: str                 # the page: text, or HTML when forms["html"]
    url: str
    labels: dict
    forms: dict = field(default_factory=dict)


@dataclass
class Body:
    agency: str               # the full name, as the label has it
    short: str                # the name the title may print instead (a place for its government)
    placeless: str            # the name without its place (县教育局), or the full name
    self_word: str            # 我局 / 我县 / 我镇 …
    region: object            # the registry region of the body
    office: str               # the office that answers for it


def _pinyin(name: str) -> str:
    from pypinyin import lazy_pinyin
    return "".join(lazy_pinyin(name))


def _level_word(region) -> str:
    for word in ("县", "市", "区", "旗", "州", "盟"):
        if region.name.endswith(word):
            return word
    return ""


def pick_body(rng: random.Random, registry, towns_of: dict) -> Body:
    kind = rng.choice(["government", "government", "office", "department", "department", "department",
                       "town", "province"])
    if kind == "province":
        region = rng.choice([r for r in registry.regions if r.level == "province" and r.name.endswith("省")])
        dept = rng.choice(PROVINCE_DEPARTMENTS)
        return Body(region.name + dept, region.name + dept, "省" + dept, "我厅" if dept.endswith("厅") else "我局",
                    region, region.name + dept + "办公室")
    level = rng.choice(["county", "county", "prefecture"])
    region = rng.choice([r for r in registry.regions if r.level == level and _level_word(r)])
    if kind == "town":
        towns = sorted(t for t in towns_of.get(region.code, ()) if t.endswith(("镇", "乡", "街道")))
        if towns:
            town = rng.choice(towns)
            end = "办事处" if town.endswith("街道") else "人民政府"
            word = "我街道" if town.endswith("街道") else "我" + town[-1]
            return Body(region.name + town + end, region.name + town, town + end, word, region,
                        region.name + town + ("党政办公室" if end == "人民政府" else "办事处办公室"))
        kind = "government"
    if kind == "government":
        return Body(region.name + "人民政府", region.name, region.name + "人民政府", "我" + _level_word(region),
                    region, region.name + "人民政府办公室")
    if kind == "office":
        name = region.name + "人民政府办公室"
        return Body(name, name, _level_word(region) + "政府办公室", "我办", region, name)
    dept = rng.choice(DEPARTMENTS)
    name = region.name + dept
    self_word = "我委" if dept.endswith("委员会") else "我局"
    return Body(name, name, _level_word(region) + dept, self_word, region, name + "办公室")


def report_head(body: Body, year: int, rng: random.Random, registry) -> tuple[list[str], dict, str]:
    """(lines, forms, <title>) of a report page's head."""
    forms = {}
    lines: list[str] = []
    short = body.short
    title_form = rng.choice(["one-line", "one-line", "line-above", "year-first", "nian-du", "bracket-year",
                             "breadcrumb", "no-body", "none"])
    if title_form == "year-first" and body.agency != body.region.name + "人民政府":
        title_form = "one-line"
    forms["title"] = title_form
    title = {"one-line": f"{short}{year}年{OGI}", "line-above": f"{short}\n{year}年{OGI}",
             "year-first": f"{year}年{short}{OGI}", "nian-du": f"{short}{year}年度{OGI}",
             "bracket-year": f"{short}{OGI}（{year}年度）",
             "breadcrumb": f"首页 > 政务公开 > 政府信息公开年报 > {short}{year}年{OGI}",
             "no-body": f"{year}年度{OGI}", "none": ""}[title_form]
    if title:
        lines += title.split("\n")
    field_form = rng.choice(["", "", "发布机构", "来源", "信息来源"])
    forms["field"] = field_form
    published = f"{year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    if field_form:
        lines.append(f"{field_form}：{body.agency}  发布日期：{published}")
    else:
        lines.append(f"发布时间：{published}")
    opening = rng.choice(["compiled", "published", "compiled-verb", "anonymous", "whole-region"])
    if opening == "whole-region" and body.agency != body.region.name + "人民政府":
        opening = "compiled"
    forms["opening"] = opening
    kids = "各县（市、区）" if body.region.level == "prefecture" else "各乡镇（街道）"
    intro = {
        "compiled": f"本报告由{body.agency}按照《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
                    f"《中华人民共和国政府信息公开工作年度报告格式》要求编制。",
        "published": f"根据《中华人民共和国政府信息公开条例》要求，现公布{body.agency}{year}年度{OGI}。",
        "compiled-verb": f"根据《中华人民共和国政府信息公开条例》规定，{body.agency}编制了{year}年{OGI}。",
        "anonymous": "本年度报告根据《中华人民共和国政府信息公开条例》和上级有关要求编制。",
        "whole-region": f"本报告由{body.region.name}人民政府办公室综合{kids}和{body.region.name}政府各部门"
                        f"政府信息公开工作情况编制。",
    }[opening]
    period = f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    contact = ""
    if rng.random() < 0.6:
        area = next((c.area_code for c in registry.citycodes
                     if any(a.short == c.city_short for a in [body.region] + registry.ancestors(body.region))), "0000")
        contact = (f"如对本报告有任何疑问，请与{body.office}联系（地址：{body.region.name}{rng.choice(STREETS)}"
                   f"{rng.randint(1, 200)}号，电话：{area}-{rng.randint(2000000, 8999999)}）。")
    forms["contact"] = bool(contact)
    lines.append(intro + period + contact)
    subject = rng.choice(["full", "placeless", "self"])
    forms["subject"] = subject
    who = {"full": body.agency, "placeless": body.placeless, "self": body.self_word}[subject]
    lines += ["一、总体情况",
              f"{year}年，{who}{rng.choice(VERBS)}《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
              f"不公开为例外，全面推进政务公开工作。",
              f"（一）主动公开情况。全年主动公开政府信息{rng.randint(20, 3000)}条。",
              f"（二）依申请公开情况。全年收到政府信息公开申请{rng.randint(0, 60)}件，均按时答复。",
              "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
              "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    if rng.random() < 0.3:
        lines += [body.agency, f"{year + 1}年1月{rng.randint(5, 28)}日"]
        forms["signature"] = True
    page_title = f"{short.replace(chr(10), '')}{year}年{OGI}_{body.region.name}人民政府门户网站" \
        if title_form != "none" or rng.random() < 0.5 else ""
    return lines, forms, page_title


def negative_head(body: Body, year: int, rng: random.Random) -> tuple[list[str], str]:
    kind = rng.choice(["notice", "guide", "rule-of-law", "website", "form", "list", "explainer"])
    region = body.region.name
    if kind == "notice":
        lines = [f"{region}人民政府办公室关于做好{year}年{OGI}编制发布工作的通知",
                 f"各县（市、区）人民政府，{region}政府各部门：",
                 f"为做好{year}年政府信息公开工作年度报告编制发布工作，现就有关事项通知如下：",
                 "一、总体情况", "各单位要按照新修订的年度报告格式，认真编制本单位年度报告。", "请认真贯彻执行。"]
    elif kind == "guide":
        lines = [f"{body.agency}政府信息公开指南",
                 f"为了更好地提供政府信息公开服务，{body.agency}编制了本指南。", "一、主动公开",
                 "（一）公开范围", "二、依申请公开", "（一）受理机构"]
    elif kind == "rule-of-law":
        lines = [f"{body.agency}{year}年法治政府建设情况报告",
                 f"{year}年，{body.agency}深入学习贯彻习近平法治思想，全面推进依法行政。", "一、主要举措",
                 "二、存在的不足", "三、下一步工作安排"]
    elif kind == "website":
        lines = [f"{body.agency}{year}年政府网站工作年度报表", f"网站名称 {region}人民政府",
                 f"首页网址 http://www.{_pinyin(body.region.short)}.gov.cn", "网站标识码 0000000000"]
    elif kind == "form":
        lines = [f"××县（市、区）20××年{OGI}", "本报告由××（单位名称）按照《中华人民共和国政府信息公开条例》要求编制。",
                 "本报告中所列数据的统计期限自20××年1月1日起至20××年12月31日止。", "一、总体情况", "（文字描述）",
                 "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]
    elif kind == "list":
        lines = ["政府信息公开年报"] + [f"{body.short}{y}年{OGI}    {y + 1}-01-2{y % 10}" for y in
                                         range(year, year - 5, -1)]
    else:
        lines = [f"图解：{body.short}{year}年{OGI}", "一图读懂年度报告", "一、总体情况", "二、主动公开政府信息情况"]
    return lines, kind


def build_heads(seed: int = 2024, n: int = 240) -> list[Head]:
    """`n` pages, about four in five of them reports."""
    from gxcrawl.parse.spam.slots import town_index
    from gxcrawl.regions import load_registry
    from gxcrawl.replicas.spam_battery import to_traditional
    registry = load_registry()
    towns_of: dict[str, list[str]] = {}
    for town, codes in town_index().items():
        for code in codes:
            towns_of.setdefault(code, []).append(town)
    rng = random.Random(seed)
    heads = []
    for i in range(n):
        body = pick_body(rng, registry, towns_of)
        year = rng.randint(2008, 2024)
        host = "www." + _pinyin(body.region.short) + ".gov.cn"
        if rng.random() < 0.2:
            host = rng.choice(["jyj.", "czj.", "xxgk.", "zwgk."]) + host[4:]
        url = f"http://{host}/zwgk/zfxxgknb/{year + 1}01/t{year + 1}01{rng.randint(10, 28)}_{rng.randint(1000, 99999)}.html"
        if rng.random() < 0.8:
            lines, forms, page_title = report_head(body, year, rng, registry)
            labels = {"is_report": True, "year": year, "agency": body.agency}
        else:
            lines, kind = negative_head(body, year, rng)
            forms, page_title = {"negative": kind}, ""
            labels = {"is_report": False, "year": None, "agency": None}
        text = "\n".join(lines)
        if rng.random() < 0.15:
            text = to_traditional(text, glosses=rng.random() < 0.5)
            forms["traditional"] = True
            page_title = to_traditional(page_title, glosses=False)
            if labels["agency"]:
                labels["agency"] = to_traditional(labels["agency"], False)
        if rng.random() < 0.15:
            text = "".join(line.strip() for line in text.split("\n"))
            forms["one_line"] = True
        if page_title and rng.random() < 0.35:
            drop = forms.get("title") not in ("none", None) and rng.random() < 0.5
            body_lines = text.split("\n")[(2 if forms.get("title") == "line-above" else 1) if drop else 0:]
            paragraphs = "".join(f"<p>{htmlmod.escape(line)}</p>" for line in body_lines)
            text = (f'<html><head><meta charset="utf-8"><title>{htmlmod.escape(page_title)}</title></head>'
                    f'<body><div class="crumb">首页 &gt; 信息公开</div><div class="article">{paragraphs}</div>'
                    f'</body></html>')
            forms["html"] = True
            forms["title_in_text"] = not drop
        heads.append(Head(f"head-{seed}-{i}", text, url, labels, forms))
    return heads
