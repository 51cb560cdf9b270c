"""Is a printed name a plausible issuing body, and what is its full form: spam-chain
names refused, a bare place completed to its 人民政府, zones kept as printed; a name
cut free of the words around it (请与…, 由…); the body an internal office belongs to;
the level word a name opens with when it names no place (县教育局).

>>> finish_agency("福州市晋安区", "福州市晋安区")
'福州市晋安区人民政府'
>>> looks_like_spam_name("澳门新葡京体育局")
True
>>> strip_lead("请与济宁市体育局")
2
>>> parent_body("长春市交通运输局办公室"), parent_body("永嘉县枫林镇党政综合办公室")
(('长春市交通运输局', ''), ('永嘉县枫林镇', '人民政府'))
>>> placeless_level("县教育局", load_registry()), placeless_level("市场监督管理局", load_registry())
('县', '')
"""
from __future__ import annotations

import re
from typing import Optional

from gxcrawl.parse.metadata.text import NAME_CHARS, ORG_END, PLACE_END, ZONE_RE
from gxcrawl.regions import Registry, load_registry

SPAM_WORDS = re.compile(
    r"娱乐|官网|投注|博彩|彩票|体育在线|体育平台|平台网址|网址|下载|真人|棋牌|赌|威尼斯|澳门|葡京|"
    r"线上|手机版|打不开|开户|注册|老虎机|百家乐|威廉希尔|公司|国产|成人|精品|欧美|亚洲|久久|"
    r"中文字幕|无码|视频|在线|安装|苹果版|首页|app", re.I)
_SPACE = re.compile(r"\s")
BAD_NAME_START = re.compile(r"^(?:我|本|该|全|各|其|在|对|为|由|经|按|据|以|和|与|及|向|从|市委|县委|区委)")


def looks_like_spam_name(name: str) -> bool:
    """An agency name that cannot be real: ASCII, digits, underscores, or the
    vocabulary of gambling/porn spam chains."""
    return bool(re.search(r"[A-Za-z0-9_]", name) or SPAM_WORDS.search(name))


def is_zone(name: str, registry: Registry | None = None) -> bool:
    """A development/functional zone (滨州北海经济开发区, 杨凌示范区教育局): not a
    registry region. 上海市浦东新区 is one, so names in the registry don't count."""
    registry = registry or load_registry()
    for m in ZONE_RE.finditer(name):
        end = m.end()
        if name.startswith(("镇", "乡", "街道"), end):
            continue            # 新城镇 is a town
        if not any(name[:end].endswith(r.name) for r in registry.find_in_text(name[:end])):
            return True
    return False


def agency_like(norm: str) -> bool:
    return bool(re.fullmatch(rf"{NAME_CHARS}{{2,40}}", norm)) and bool(
        ORG_END.search(norm) or PLACE_END.search(norm) or ZONE_RE.search(norm[-4:]))


def finish_agency(printed: str, norm: str, registry: Registry | None = None,
                  warnings: list[str] | None = None) -> Optional[str]:
    """Clean a candidate agency; a bare place (福州市晋安区, 永嘉县枫林镇) becomes
    its 人民政府 (街道 → 街道办事处); zones stay as printed. None if absurd."""
    registry = registry or load_registry()
    if _SPACE.search(norm):
        keep = [i for i, c in enumerate(norm) if not c.isspace()]
        printed = "".join(printed[i] for i in keep)
        norm = "".join(norm[i] for i in keep)
    strip = "“”\"'《》【】[]「」<>〈〉:：,，.。、;；|·-—_"
    while norm and norm[0] in strip:
        norm, printed = norm[1:], printed[1:]
    while norm and norm[-1] in strip:
        norm, printed = norm[:-1], printed[:-1]
    if norm.endswith("关于"):
        norm, printed = norm[:-2], printed[:-2]
    if not norm or len(norm) > 40 or (len(norm) < 3 and not (
            len(norm) == 2 and PLACE_END.search(norm) and registry.find(norm))):
        return None
    if looks_like_spam_name(norm) or (BAD_NAME_START.search(norm) and not opens_with_place(norm, registry)):
        if warnings is not None and looks_like_spam_name(norm):
            warnings.append(f"agency candidate looks like spam: {printed[:40]}")
        return None
    if not re.fullmatch(rf"{NAME_CHARS}+", norm) or re.search(r"网站$|网$|平台$|专栏$", norm):
        return None
    if norm.endswith("人民"):
        return printed + "政府"
    core = re.sub(r"[(（][^()（）]*[)）]$", "", norm) or norm
    if ORG_END.search(core):
        return printed
    if is_zone(norm, registry):
        return printed
    if PLACE_END.search(norm) and core == norm:
        if norm.endswith("街道"):
            return printed + ("辦事處" if printed != norm else "办事处")    # in the page's script
        if not (registry.find_in_text(norm) or registry.find(norm) or re.search(r"[镇乡]$|苏木$", norm)):
            if warnings is not None:
                warnings.append(f"place not in the registry: {printed}")
            return None
        return printed + "人民政府"
    return None


def place_chain(text: str, registry: Registry) -> bool:
    """Is `text` made of place names only (福州市, 重庆市九龙坡区, 滨州)?

    >>> place_chain("重庆市九龙坡区", load_registry()), place_chain("正文", load_registry())
    (True, False)
    """
    pos = 0
    for start, name, _ in registry.places_in_text(text):
        if start != pos:
            break
        pos = start + len(name)
    rest = text[pos:]
    return bool(text) and (not rest or (len(rest) >= 2 and bool(registry.find(rest)) and not ZONE_RE.fullmatch(rest)))


def place_before(norm: str, pos: int, registry: Registry, limit: int = 10) -> int:
    """The length of the place chain written right before `pos` (0 if none): what a
    fuller printing of a name adds (“滨州北海经济开发区” around 北海经济开发区). A province
    (福建省三明市…) is not part of a lower body's name as printed."""
    for k in range(min(limit, pos), 1, -1):
        chain = norm[pos - k:pos]
        if place_chain(chain, registry):
            return 0 if chain.startswith(province_names(registry)) else k
    return 0


def province_names(registry: Registry) -> tuple[str, ...]:
    """The provinces' and autonomous regions' names (not the four 直辖市)."""
    return tuple(r.name for r in registry.regions if r.level == "province" and r.name.endswith(("省", "自治区")))


# words of a page (breadcrumbs, fields, column names) that never stand inside a body's name
_PAGE_WORDS = re.compile(r"信息公开|政务公开|年度报告|年报|有效性|有效|索引|首页|网站|门户|栏目|发布|正文|专栏")


def page_words_before(norm: str, registry: Registry) -> int:
    """Where a body's name starts when page words run into it (a line that lost its
    separators: 长春市信息公开年度报告长春市交通运输局 → 10): the start of the last place
    written after a page word, else 0.

    >>> page_words_before("弥勒市有效性有效弥勒市交通运输局", load_registry())
    8
    """
    cut = 0
    for start, _, _ in registry.places_in_text(norm):
        if start > cut and _PAGE_WORDS.search(norm, cut, start):
            cut = start
    return cut


def opens_with_place(norm: str, registry: Registry) -> bool:
    """Does `norm` open with a place's name (和林格尔县…, 本溪市…), not a function word?

    >>> opens_with_place("和林格尔县医疗保障局", load_registry()), opens_with_place("和市政府", load_registry())
    (True, False)
    """
    found = registry.places_in_text(norm[:12])
    return bool(found) and found[0][0] == 0


def has_place(norm_name: str, registry: Registry) -> bool:
    found = registry.find_in_text(norm_name)
    return any(0 <= norm_name.find(x) <= 4 for r in found for x in (r.name, r.short) if x and len(x) >= 2)


# verbs and function words that stand before a name in the sentences a name is cut from
# (请与X联系, 由X编制, 现公布X…): never part of the name
_LEAD = re.compile(r"^(?:请与|请联系|请致电|可致电|可与|致电|联系|咨询|由|向|按照|根据|依据|现将|现公布|现予公布|"
                   r"特编制|特向社会公布|向社会公布|公布|发布|正文|详情|全文|内容|文章)+")


def strip_lead(norm: str) -> int:
    """How many characters of verbs / function words open `norm` (请与…, 由…)."""
    m = _LEAD.match(norm)
    return m.end() if m else 0


# an office inside a body (the office that compiles a report or answers questions about it):
# X局办公室 belongs to X局, X人民政府信息公开办 to X人民政府, X镇党政办 to X镇人民政府
_DEPT_OFFICE = re.compile(r"(?<=局|委|厅|院|署|心|会|站|所|处)(?:办公室|综合科|综合股|综合处|政务公开科|政务公开办|"
                          r"信息公开科|信息中心|秘书科|行政科|办公室政务公开科)$")
_GOV_OFFICE = re.compile(r"(?<=政府)(?:信息公开办公室|信息公开办|政务公开办公室|政务公开办|"
                         r"政务公开科|信息公开科|党政综合办公室|党政综合办|党政办公室|党政办)$")
_TOWN_OFFICE = re.compile(r"(?<=[镇乡])(?:党政综合办公室|党政综合办|党政办公室|党政办|综合办公室|综合办|办公室)$")
_STREET_OFFICE = re.compile(r"(?<=街道)(?:党政综合办公室|党政办公室|党工委办公室|党政办|综合办公室|综合办|办公室)$")


def parent_body(norm: str) -> Optional[tuple[str, str]]:
    """(the body an internal office belongs to, the word that completes it), or None when
    `norm` is no internal office (X人民政府办公室 is a body of its own)."""
    for regex, add in ((_DEPT_OFFICE, ""), (_GOV_OFFICE, ""), (_TOWN_OFFICE, "人民政府"),
                       (_STREET_OFFICE, "办事处")):
        m = regex.search(norm)
        if m and m.start() >= 2:
            return norm[:m.start()], add
    return None


LEVEL_WORDS = ("自治州", "自治县", "自治旗", "省", "市", "县", "区", "州", "盟", "旗")
_NOT_LEVEL = ("市场", "市民", "市容", "区域", "县域", "县城", "州府")
_TOWN_START = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:镇|乡|街道|苏木)")
NATIONAL = re.compile(r"^(?:国务院|国家|中华人民共和国|中国|全国|中央|中共中央)")


def placeless_level(norm: str, registry: Registry | None = None) -> Optional[str]:
    """The level word a body's name opens with when the name gives no place (县教育局 →
    '县', 省人社厅 → '省', 示范区教育局 → '示范区'); '' for a department named without
    place or level (市场监督管理局); None when the name has its place (or is national)."""
    registry = registry or load_registry()
    if NATIONAL.match(norm) or has_place(norm, registry) or _TOWN_START.match(norm):
        return None
    zone = ZONE_RE.match(norm)
    if zone:
        return zone.group(0)
    if any(registry.find(norm[:k]) for k in (2, 3, 4) if len(norm) > k):
        return None         # a short place name (滨州北海经济开发区)
    for word in LEVEL_WORDS:
        if norm.startswith(word) and not norm.startswith(_NOT_LEVEL) or norm.startswith(word + "市场"):
            return word
    return ""
