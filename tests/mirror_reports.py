"""Synthetic reports for the mirror tests (test_mirrors, test_merge_mirrors): two table sets
and a report text whose issuer and request count are filled in, so that a gambling copy
and the official report share numbers and text but not the title."""
from gxcrawl.parse.model import Cell, Report

TABLES_A = {"t3": {"new.natural": 17, "new.total": 19, "granted.natural": 11, "granted.total": 12,
                   "partial.natural": 3, "next.natural": 1}}
TABLES_B = {"t3": {"new.natural": 5, "new.total": 5, "granted.natural": 4, "granted.total": 4,
                   "partial.natural": 0, "next.natural": 0}}
TEXT = ("{who}2021年政府信息公开工作年度报告。全年主动公开政府信息3120条，收到申请{n}件，均已按时答复。"
        "坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，持续提升政务公开质量。"
        "健全依申请公开受理、登记、办理、答复、归档等流程，依法按时办结依申请公开事项。"
        "严格落实信息发布“三审三校”制度，动态调整主动公开基本目录。优化政府网站政府信息公开专栏，"
        "整合政务新媒体，拓宽公开渠道。将政务公开工作纳入年度绩效考核，组织开展业务培训6次。")


def synthetic_report(url, tables, text, year=2021, mirror=False, official_host=None) -> Report:
    """A parsed report as parse_report would give it; `mirror` marks it as a spam copy."""
    spam = {"is_mirror": mirror, "official_host": official_host if mirror else None,
            "phrases": ["365体育"] if mirror else [], "replacements": [], "hidden_links": []}
    cells = [Cell(t, k, v, str(v)) for t, values in tables.items() for k, v in values.items()]
    return Report(source=url, url=url, year=year, is_report=True, title=text[:20], tables=tables, text=text,
                  spam=spam, cells=cells)
