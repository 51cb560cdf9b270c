"""The table solver on generated captures whose cells ran together or lost their blanks.

Each case is a random table that satisfies the identities of report-formats.md, printed
the way degraded captures print it (labels and digits in one line, `2.` of the next row
glued to the digits before it, blank cells dropped), then read by `parse_tables`. An
independent brute force (written here, not the solver's code) says which cells the
identities settle: those must come out right, every other cell must be null and named
in a warning. No generated cell may ever come out wrong.
"""
from __future__ import annotations

import itertools
import random
import re

import pytest

from gxcrawl.parse.model import Paragraph
from gxcrawl.parse.tables import T3_COLUMNS, T3_RESULT_ROWS, T4_COLUMNS, T4_GROUPS, parse_tables

APPLICANTS = T3_COLUMNS[:-1]
HEADER = ("三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
          "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
LABELS = {
    "new": "一、本年新收政府信息公开申请数量", "carried": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果（一）予以公开", "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied.secret": "（三）不予公开1.属于国家秘密", "denied.law": "2.其他法律行政法规禁止公开",
    "denied.safety": "3.危及“三安全一稳定”", "denied.third_party": "4.保护第三方合法权益",
    "denied.internal": "5.属于三类内部事务信息", "denied.process": "6.属于四类过程性信息",
    "denied.enforcement": "7.属于行政执法案卷", "denied.query": "8.属于行政查询事项",
    "unable.no_info": "（四）无法提供1.本机关不掌握相关政府信息", "unable.create": "2.没有现成信息需要另行制作",
    "unable.unclear": "3.补正后申请内容仍不明确", "refused.petition": "（五）不予处理1.信访举报投诉类申请",
    "refused.repeat": "2.重复申请", "refused.publication": "3.要求提供公开出版物",
    "refused.massive": "4.无正当理由大量反复申请", "refused.confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other.no_correction": "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.other": "3.其他", "total": "（七）总计", "next": "四、结转下年度继续办理",
}
OTHER = {"2019": ("other",), "2021": ("other.no_correction", "other.no_fee", "other.other")}
T4_HEAD = ("四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉"
           "复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计")
TAIL = "五、存在的主要问题及改进情况我们将继续改进。"


def t3_rows(generation: str) -> tuple[str, ...]:
    return ("new", "carried") + T3_RESULT_ROWS + OTHER[generation] + ("total", "next")


def random_t3(rng: random.Random, generation: str) -> dict[str, list[int]]:
    """A table 三 whose every identity holds: a few requests spread over the result rows."""
    results = T3_RESULT_ROWS + OTHER[generation]
    table = {row: [0] * 6 for row in results}
    for _ in range(rng.randint(1, 5)):
        row, col = rng.choice(results), rng.choice(range(6)) if rng.random() < 0.4 else 0
        table[row][col] += rng.choice([1, 1, 2, 3, 7, 12, 40, 105])
    total = [sum(table[row][c] for row in results) for c in range(6)]
    nxt = [rng.choice([0, 0, 0, 1, 2]) if total[c] else 0 for c in range(6)]
    carried = [rng.randint(0, min(2, total[c] + nxt[c])) for c in range(6)]
    new = [total[c] + nxt[c] - carried[c] for c in range(6)]
    table.update(new=new, carried=carried, total=total, next=nxt)
    return {row: cells + [sum(cells)] for row, cells in table.items()}


def glued_t3_text(table: dict[str, list[int]], generation: str, drop_blanks: bool) -> str:
    """The capture: header, each label with its digits run together. With `drop_blanks`
    the zeros were blank cells the capture left out."""
    parts = [HEADER]
    for row in t3_rows(generation):
        cells = table[row]
        parts.append(LABELS[row] + "".join("" if drop_blanks and v == 0 else str(v) for v in cells))
    return "".join(parts) + TAIL


def truth_of(table: dict[str, list[int]], drop_blanks: bool) -> dict[str, object]:
    return {f"{row}.{col}": (None if drop_blanks and v == 0 else v)
            for row, cells in table.items() for col, v in zip(T3_COLUMNS, cells)}


# --- the brute force: every reading of every row, every combination -----------------

def cuts(text: str, parts: int):
    """Every way to cut digits into `parts` numbers without leading zeros."""
    if parts == 1:
        if text and (text == "0" or not text.startswith("0")):
            yield (int(text),)
        return
    for i in range(1, len(text)):
        head = text[:i]
        if head != "0" and head.startswith("0"):
            continue
        for rest in cuts(text[i:], parts - 1):
            yield (int(head),) + rest


def readings(text: str, width: int, sparse: bool):
    """Every reading of a row (None = blank), by its own identity (requesters sum to 总计)."""
    out = set()
    counts = range(0, width + 1) if sparse else (width,)
    for n in counts:
        if n == 0:
            if text == "":
                out.add((None,) * width)
            continue
        for values in cuts(text, n):
            for positions in itertools.combinations(range(width), n):
                cells = [None] * width
                for p, v in zip(positions, values):
                    cells[p] = v
                out.add(tuple(cells))
    return [r for r in out if sum(v or 0 for v in r[:-1]) == (r[-1] or 0)]


def brute_force_t3(table, generation, drop_blanks) -> dict[str, set]:
    """Cell → every value it takes over all readings of the table that satisfy every identity."""
    rows = t3_rows(generation)
    results = T3_RESULT_ROWS + OTHER[generation]
    text = {row: "".join("" if drop_blanks and v == 0 else str(v) for v in table[row]) for row in rows}
    options = {row: readings(text[row], 7, drop_blanks) for row in rows}
    free = [row for row in rows if len(options[row]) > 1]
    if sum(len(options[r]) for r in free) > 60 or len(free) > 6:
        return {}
    seen: dict[str, set] = {}
    for combo in itertools.product(*(options[r] for r in free)):
        pick = {row: options[row][0] for row in rows}
        pick.update(zip(free, combo))
        def at(row, c):
            return pick[row][c] or 0
        if all(at("new", c) + at("carried", c) == at("total", c) + at("next", c)
               and sum(at(r, c) for r in results) == at("total", c) for c in range(7)):
            for row in rows:
                for col, v in zip(T3_COLUMNS, pick[row]):
                    seen.setdefault(f"{row}.{col}", set()).add(v)
    return seen


def assert_sound_and_complete(got: dict, warnings: str, truth: dict, settled: dict[str, set]) -> None:
    for key, value in truth.items():
        if got.get(key) is not None:
            assert got[key] == value, f"{key}: read {got[key]}, printed {value}"
        elif value is not None:
            assert key in warnings, f"{key} left null without a warning naming it"
        if settled and len(settled.get(key, ())) == 1:
            assert got.get(key) == value, f"{key}: the identities settle it as {value}, read {got.get(key)}"
        if settled and len(settled.get(key, ())) > 1:
            assert got.get(key) is None, f"{key}: {settled[key]} all fit, but {got.get(key)} was read"


@pytest.mark.parametrize("generation", ["2019", "2021"])
@pytest.mark.parametrize("drop_blanks", [False, True])
@pytest.mark.parametrize("seed", range(12))
def test_generated_table_three(generation, drop_blanks, seed):
    rng = random.Random(f"{generation}-{drop_blanks}-{seed}")
    table = random_t3(rng, generation)
    parsed = parse_tables([Paragraph(glued_t3_text(table, generation, drop_blanks))])
    got, warnings = parsed.tables["t3"], " ".join(parsed.warnings)
    truth = truth_of(table, drop_blanks)
    assert_sound_and_complete(got, warnings, truth, brute_force_t3(table, generation, drop_blanks))
    assert parsed.formats["t3"] == generation
    if not drop_blanks:
        # runs of a whole table of counts: the identities settle the request totals
        assert got["new.total"] == table["new"][6] and got["total.total"] == table["total"][6]


def test_two_valid_splits_give_null_and_a_warning():
    # 110000011 is 11|0|0|0|0|0|11 or 1|10|0|0|0|0|11: the same in every row, so every
    # identity holds both ways
    table = {row: [0] * 7 for row in t3_rows("2019")}
    for row in ("new", "granted", "total"):
        table[row] = [11, 0, 0, 0, 0, 0, 11]
    parsed = parse_tables([Paragraph(glued_t3_text(table, "2019", False))])
    t3, warnings = parsed.tables["t3"], " ".join(parsed.warnings)
    for row in ("new", "granted", "total"):
        assert t3[f"{row}.natural"] is None and t3[f"{row}.commercial"] is None
        assert f"{row}.natural (1|11)" in warnings and f"{row}.commercial (0|10)" in warnings
        assert t3[f"{row}.total"] == 11 and t3[f"{row}.research"] == 0
    assert t3["carried.total"] == 0


def test_the_identities_settle_one_row_by_another():
    # 523000055 alone is 52|3|0|0|0|0|55 or 5|23|0|0|0|0|28? no: 5+23 ≠ 55; but
    # 1110 (1|1|1|0… ) style rows need the columns: 本年新收 20|1 is fixed by 予以公开
    table = {row: [0] * 7 for row in t3_rows("2019")}
    table["new"] = [52, 3, 0, 0, 0, 0, 55]
    table["granted"] = [50, 3, 0, 0, 0, 0, 53]
    table["unable.no_info"] = [2, 0, 0, 0, 0, 0, 2]
    table["total"] = [52, 3, 0, 0, 0, 0, 55]
    parsed = parse_tables([Paragraph(glued_t3_text(table, "2019", False))])
    t3 = parsed.tables["t3"]
    assert [t3[f"new.{c}"] for c in T3_COLUMNS] == [52, 3, 0, 0, 0, 0, 55]
    assert [t3[f"granted.{c}"] for c in T3_COLUMNS] == [50, 3, 0, 0, 0, 0, 53]
    assert not any("ambiguous" in w for w in parsed.warnings)


def test_a_row_the_source_got_wrong_is_null_and_the_rest_still_solved():
    table = {row: [0] * 7 for row in t3_rows("2021")}
    table["new"] = table["total"] = [11, 0, 0, 0, 0, 0, 11]
    table["granted"] = [10, 0, 0, 0, 0, 0, 10]
    table["denied.internal"] = [1, 0, 0, 0, 0, 0, 1]
    text = glued_t3_text(table, "2021", False).replace("（七）总计110000011", "（七）总计20000011")
    parsed = parse_tables([Paragraph(text)])
    t3 = parsed.tables["t3"]
    assert t3["total.total"] is None and "20000011" in " ".join(parsed.warnings)
    # 1|10 or 11|0 of 本年新收 is settled without 总计: new + carried = results + next
    assert t3["new.natural"] == 11 and t3["new.total"] == 11


# --- table 四 -------------------------------------------------------------------------

def random_t4(rng: random.Random) -> list[int]:
    cells = []
    for _ in T4_GROUPS:
        parts = [rng.choice([0, 0, 0, 1, 2, 5, 13]) for _ in range(4)]
        cells += parts + [sum(parts)]
    return cells


def brute_force_t4(digits: str, sparse: bool) -> dict[int, set]:
    seen: dict[int, set] = {}
    counts = range(1, 16) if sparse else (15,)
    for n in counts:
        for values in cuts(digits, n):
            for positions in (itertools.combinations(range(15), n) if n < 15 else [tuple(range(15))]):
                cells = [None] * 15
                for p, v in zip(positions, values):
                    cells[p] = v
                if all(sum((cells[g * 5 + i] or 0) for i in range(4)) == (cells[g * 5 + 4] or 0) for g in range(3)):
                    for i, v in enumerate(cells):
                        seen.setdefault(i, set()).add(v)
    return seen


@pytest.mark.parametrize("seed", range(15))
def test_generated_table_four(seed):
    rng = random.Random(seed)
    cells = random_t4(rng)
    digits = "".join(str(v) for v in cells)
    parsed = parse_tables([Paragraph(glued_t3_text({r: [0] * 7 for r in t3_rows("2019")}, "2019", False)
                                     .replace(TAIL, "") + T4_HEAD + digits + TAIL)])
    t4, warnings = parsed.tables["t4"], " ".join(parsed.warnings)
    keys = [f"{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS]
    settled = brute_force_t4(digits, False)
    for i, key in enumerate(keys):
        if len(settled[i]) == 1:
            assert t4[key] == cells[i], key
        else:
            assert t4[key] is None and key in warnings, key


# --- the pre-2019 统计表 with 本年 and 累计 -------------------------------------------------

TPRE_HEAD = "政府信息公开情况统计表统计指标单位本年累计一、主动公开情况"


def tpre_text(rows: list[tuple[str, str, int, int]]) -> str:
    return TPRE_HEAD + "".join(f"{label}{unit}{year}{total}" for label, unit, year, total in rows) + "二、其他"


def test_unit_and_two_columns_glued_ambiguous_is_null_with_a_warning():
    # 3181204: 3|181204, 31|81204 and 318|1204 all keep 累计 ≥ 本年
    parsed = parse_tables([Paragraph(tpre_text([("（一）主动公开信息数", "条", 318, 1204)]))])
    tpre, warnings = parsed.tables["tpre"], " ".join(parsed.warnings)
    key = next(k for k in tpre if not k.endswith(".cumulative"))
    assert tpre[key] is None and tpre[f"{key}.cumulative"] is None
    assert "(3|31|318)" in warnings and "(1204|81204|181204)" in warnings


def test_cumulative_never_below_this_year_settles_a_split():
    # 3112: 3|112 or 31|12 (or 311|2): only the first keeps 累计 ≥ 本年
    parsed = parse_tables([Paragraph(tpre_text([("（一）收到申请数", "件", 3, 112)]))])
    tpre = parsed.tables["tpre"]
    assert tpre["requests.received"] == 3 and tpre["requests.received.cumulative"] == 112


@pytest.mark.parametrize("seed", range(20))
def test_generated_two_column_rows(seed):
    rng = random.Random(seed)
    year = rng.choice([0, 1, 3, 12, 31, 318, 1204])
    total = year + rng.choice([0, 1, 9, 50, 886, 1000])
    parsed = parse_tables([Paragraph(tpre_text([("收到申请数", "件", year, total)]))])
    tpre = parsed.tables["tpre"]
    digits = f"{year}{total}"
    fits = {(a, b) for a, b in cuts(digits, 2) if b >= a}
    if len(fits) == 1:
        assert (tpre["requests.received"], tpre["requests.received.cumulative"]) == (year, total)
    else:
        assert tpre["requests.received"] is None and tpre["requests.received.cumulative"] is None
        assert re.search(r"requests\.received \(", " ".join(parsed.warnings))


# --- the same tables printed with label variants, broken labels, one cell per line ---------

VARIANTS = [("一、本年新收", "一、本年度新收"), ("二、上年结转", "二、上年度结转"), ("1.", "1、"), ("2.", "2、"),
            ("3.", "3、"), ("（七）总计", "（七）总计")]


def printed_lines(table: dict[str, list[int]], generation: str, rng: random.Random, glued: bool) -> list[str]:
    """One row a line (glued digits) or one cell a line; labels in their variants, some
    broken across two lines, numbering kept."""
    lines = [HEADER]
    for row in t3_rows(generation):
        label = LABELS[row]
        for old, new in VARIANTS:
            if rng.random() < 0.5:
                label = label.replace(old, new)
        if len(label) > 6 and rng.random() < 0.4:
            cut = rng.randint(3, len(label) - 3)
            lines += [label[:cut], label[cut:]]
        else:
            lines.append(label)
        cells = [str(v) for v in table[row]]
        if glued:
            lines[-1] += "".join(cells)
        else:
            lines += cells
    return lines + [TAIL]


@pytest.mark.parametrize("glued", [True, False])
@pytest.mark.parametrize("generation", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(8))
def test_label_variants_broken_labels_and_layouts(glued, generation, seed):
    rng = random.Random(f"variants-{glued}-{generation}-{seed}")
    table = random_t3(rng, generation)
    parsed = parse_tables([Paragraph("\n".join(printed_lines(table, generation, rng, glued)))])
    got, warnings = parsed.tables["t3"], " ".join(parsed.warnings)
    truth = truth_of(table, False)
    settled = brute_force_t3(table, generation, False) if glued else {k: {v} for k, v in truth.items()}
    assert_sound_and_complete(got, warnings, truth, settled)
    assert got["new.total"] == table["new"][6] and got["next.total"] == table["next"][6]


def test_runs_with_too_many_splits_are_not_read_and_the_parse_stays_bounded():
    import time
    digits = "1" * 30            # no table cell: C(29, 6) ways to cut it, none checked to the end
    text = HEADER + "".join(LABELS[row] + digits for row in t3_rows("2019")) + TAIL
    started = time.monotonic()
    parsed = parse_tables([Paragraph(text)])
    assert time.monotonic() - started < 30          # a hang guard, not a speed target
    assert all(v is None for v in parsed.tables["t3"].values())
    assert "too many ways to split" in " ".join(parsed.warnings)


def test_digits_inside_words_are_no_cells():
    # a mirror's brand (`365体育`) and a hotline (`12345热线`) beside a table stay text
    text = ("政府信息公开情况统计表填报单位(盖章):365网站手机打不开_365体育怎么打不开网址_365数字含义人民政府"
            "统计指标单位统计数一、主动公开情况（一）主动公开政府信息数条1683（二）收到申请数件12")
    tpre = parse_tables([Paragraph(text)]).tables["tpre"]
    assert tpre == {"active.total": 1683, "requests.received": 12}
