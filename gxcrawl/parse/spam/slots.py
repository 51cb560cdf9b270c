"""Template slots: positions of a report that must hold a place name or a fixed phrase.

A report says ``温州市人民政府``, ``抚州市政务服务管理局``, ``《中华人民共和国政府信息公开条例》``;
a mirror writes its brand into those positions.  These helpers tell what surrounds a
span of (normalised) text, and find slot fillers that are not place names
(:func:`slot_fillers`) — the way to catch brands the lexicon does not know:

* place slots: before 人民政府, 市政府, 县委, 区政务服务 …, and before a town of the registry's
  counties (data/spam_towns.tsv: ``X枫林镇``); weak slots: before a department name
  (体育局, 交通运输局 …) or 政务公开 — strong at the start of a title line, or when another
  sentence writes the same department after its place (济宁市体育局 … X体育局);
* where a filler starts: what its occurrences agree on (the longest ending they share),
  else the boundary before it, less a leading verb (现公布, 请联系 …);
* a filler is a place when it is a chain of registry names (福建省三明市), a town-like
  name (枫林镇, 示范区, 苗族侗族自治) or a generic word (各级, 县级以上地方各级); never
  when it has Latin letters or digits.  A brand that merely ends like a place (新锦江) is
  not one.

>>> slot_after("英国威廉希尔公司市人民政府办公室", 8)
'市人民政府'
>>> preceding_place("石家庄市36500365体育在线投注办公室", 4)
'石家庄市'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gxcrawl.regions import SUFFIXES

ADMIN_CHARS = "省市州盟县区旗镇乡"
# fixed words that follow a place in report templates (longest first)
FOLLOWERS = sorted("""市人民政府 县人民政府 区人民政府 人民政府 市政府 县政府 区政府 政府 市委 县委 区委 委
市政务服务管理局 政务服务管理局 市 县 区 镇 乡 各级 各县 全市 政府信息公开 信息公开 政务公开
门户网站 办公室 有关要求 政府公报""".split(), key=len, reverse=True)
# department names that follow a place (三明市体育局): a brand written in the place's
# position must not swallow them (亚博体育体育局 = 亚博体育 + 体育局)
DEPARTMENTS = """体育局 体育事业发展中心 教育局 教育体育局 交通运输局 财政局 公安局 民政局 司法局 审计局
统计局 商务局 水利局 林业局 林业和草原局 医疗保障局 应急管理局 市场监督管理局 自然资源局
自然资源和规划局 生态环境局 农业农村局 文化和旅游局 文化广电旅游局 卫生健康委员会 卫生健康局
发展和改革委员会 发展改革委 发改委 人力资源和社会保障局 人社局 住房和城乡建设局 住建局
城市管理局 退役军人事务局 政务服务管理局 政务服务和大数据管理局 行政审批服务局 大数据局
科学技术局 科技局 工业和信息化局 经济和信息化局 信访局 档案局 机关事务管理局 融媒体中心
税务局 气象局 地震局 国资委 人民法院 人民检察院 人大常委会 政协 外事办公室 金融办
地方金融监督管理局 合作交流办公室 供销合作社 总工会 妇联 残联 科协 民族宗教事务局
粮食和物资储备局 乡村振兴局 国土资源局 环境保护局 卫生和计划生育委员会 人民防空办公室""".split()
DEPARTMENT_SET = frozenset(DEPARTMENTS)
# words a slot filler may not run into (on the right) when a phrase is extended
STOP_RIGHT = sorted(set(FOLLOWERS) | set(DEPARTMENTS) | set("""人民 政务 信息 办公 有关 门户 网站 委员会 管理局
机关 部门 各部门 工作 年度 公开 坚持 深入 认真 中心 印发 条例 申请""".split()), key=len, reverse=True)
# characters a slot filler may not run into on the left
STOP_LEFT = set(ADMIN_CHARS) | set("由在与和及年的对向将从为是了于按据经据并或等到把被让给同跟向")
BOUNDARY_RE = re.compile(r"[\s,。、;:!?,.;:!?“”\"'‘’《》〈〉()()\[\]【】<>|/\\·•…—\-]")
PROVINCE_WORDS = re.compile(r"(中共|中国|中华人民共和国)$")


def is_boundary(ch: str) -> bool:
    """Punctuation and white space end a phrase (the underscore of chains does not).

    >>> is_boundary("_"), is_boundary("。")
    (False, True)
    """
    return bool(BOUNDARY_RE.match(ch))


def slot_after(text: str, end: int) -> str | None:
    """The template word that follows position `end`, if any."""
    for word in FOLLOWERS:
        if text.startswith(word, end):
            return word
    return None


STOP_RIGHT_RE = re.compile("|".join(map(re.escape, STOP_RIGHT)))


def stops_right(text: str, pos: int) -> bool:
    """True when a phrase extended to `pos` would run into a template word.

    >>> stops_right("365体育人民政府", 5), stops_right("365体育人民政府", 3)
    (True, False)
    """
    return STOP_RIGHT_RE.match(text, pos) is not None


def stops_left(text: str, pos: int) -> bool:
    """True when the character at `pos` may not be absorbed by a phrase growing left."""
    return pos < 0 or text[pos] in STOP_LEFT or is_boundary(text[pos])


def preceding_place(text: str, start: int, registry=None) -> str | None:
    """The place name (or bare admin suffix) right before `start`: 石家庄市 / 市 / None.

    A phrase preceded by a place name replaced a department, not the place."""
    if start <= 0 or text[start - 1] not in ADMIN_CHARS:
        return None
    if registry is None:
        from gxcrawl.regions import load_registry
        registry = load_registry()
    for length in range(min(start, 12), 1, -1):
        candidate = text[start - length:start]
        if candidate in registry.by_name:
            return candidate
    return text[start - 1]


def suffix_of(name: str) -> str:
    """The administrative suffix of a full name: 抚州市 → 市, 兴国县 → 县, 广西壮族自治区 → 自治区.

    >>> suffix_of("抚州市"), suffix_of("兴国县")
    ('市', '县')
    """
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    return ""


# words that begin with 市/县/区/旗 without it being the suffix of a replaced place
# (X市场监督管理局 is X + 市场监督管理局, not X市 + 场监督管理局)
NOT_A_SUFFIX = ("市场", "市民", "市容", "区域", "县域", "县城", "旗帜")


def place_form(text: str, spans, region_name: str) -> str:
    """Which form of the place the phrase stood for: the short name when the text keeps
    the suffix after the phrase in most occurrences (英国威廉希尔公司市政府 → 抚州), else the
    full name (365…人民政府 → 温州市人民政府).

    >>> place_form("X市政府。X市人民政府", [(0, 1), (5, 6)], "抚州市")
    'short'
    >>> place_form("X人民政府。X鹿城区", [(0, 1), (6, 7)], "温州市")
    'full'
    """
    suffix = suffix_of(region_name)
    if not suffix or not spans:
        return "full"
    # votes: the suffix kept after the phrase, or “中国·X” (written with the short name)
    # → short; a template word right after the phrase (X人民政府, X体育局) → full
    short = full = 0
    for start, end in spans:
        if (text.startswith(suffix, end) and not text.startswith(NOT_A_SUFFIX, end)) \
                or CHINA_BEFORE_RE.search(text, max(0, start - 3), start):
            short += 1
        elif slot_after(text, end) or WEAK_SLOT_RE.match(text, end) or PLACE_SLOT_RE.match(text, end):
            full += 1
    return "short" if short > full else "full"


# after a phrase: a position that holds a county (or lower) inside the place before it —
# 重庆市X二郎街道, 宁德市X人民政府, 福州市X区委 — as opposed to a department (石家庄市X办公室)
COUNTY_SLOT_RE = re.compile(r"[区县市旗]?(?:人民政府|政府(?!信息|网站|门户)|委员会|委(?!托))"
                            r"|[区县旗](?![\u4e00-\u9fff]{0,8}[局厅办])"
                            r"|[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道|苏木)(?:人民政府|党委|办事处|政府)")


def county_slot(text: str, end: int) -> bool:
    """True when the text after `end` makes the phrase a county of the place before it.

    >>> county_slot("重庆市X二郎街道办事处", 4), county_slot("石家庄市X办公室", 5)
    (True, False)
    """
    return COUNTY_SLOT_RE.match(text, end) is not None


# Fixed words of the national report template that mirrors also swap for their brand,
# each with contexts that (nearly) only it fills there: (before, after) patterns of one
# occurrence.  "关于" needs both sides (三明市印发… is a place too); the others one side.
FIXED_SLOTS: dict[str, tuple[re.Pattern, re.Pattern, bool]] = {
    "政府信息公开": (re.compile(r"(?:中华人民共和国|收到和处理|因)$"),
                 re.compile(r"(?:条例|工作年度报告|年度报告|申请|行政复议|实施办法|的收费|工作机构|平台|指南|专栏"
                            r"|工作存在)"), False),
    "政府信息": (re.compile(r"(?:中华人民共和国|主动公开|依申请公开|申请获取|获取|提供|不予公开)$"),
             re.compile(r"(?:公开条例|公开工作|公开指南|公开目录|公开申请|公开办法|公开平台|公开专栏|公开的|"
                        r"主动公开|依申请公开|管理|发布)"), False),
    "政务公开": (re.compile(r"(?:推进|深化|加强|提升|开展|基层|新时代|本级)$"),
             re.compile(r"(?:工作要点|标准化|规范化|专题|专区|示范|领导小组|考核|事项|主要工作|工作职责|工作培训"
                        r"|工作主要任务|新要求)"), False),
    "关于": (re.compile(r"(?:办公室|办公厅|人民政府|国务院|委员会|[《〈<]|省委、省政府|中央、省)$"),
           re.compile(r"(?:印发|做好|进一步|加强|全面|开展|调整|公布|建立|推进|将|基层|政务公开|政府信息公开)"), True),
}


@dataclass
class FixedSlotVotes:
    word: str | None        # the template word the phrase stands for, if one is clear
    explained: int          # occurrences that word explains
    example: str            # one of them, in context
    voted: int              # occurrences in any template word's position
    in_place_slot: int      # occurrences in a place name's position (…人民政府, …市政府)


def fixed_phrase(text: str, spans) -> FixedSlotVotes:
    """Which template word a phrase stands for.  The word must explain at least two
    occurrences and a third of them, more than sit in a place slot, and twice the votes of
    any other word (an occurrence whose both sides fit a word gives it two votes:
    《中华人民共和国X公开条例》 is 政府信息 more than 政府信息公开).

    >>> v = fixed_phrase("根据《中华人民共和国X条例》和X工作年度报告", [(10, 11), (15, 16)])
    >>> v.word, v.explained, v.example
    ('政府信息公开', 2, '《中华人民共和国[X]条例》和X工作年')
    """
    votes: dict[str, int] = {}
    occurrences: dict[str, int] = {}
    example: dict[str, str] = {}
    in_place_slot = 0
    for start, end in spans:
        before, after = text[max(0, start - 8):start], text[end:end + 8]
        in_place_slot += bool(PLACE_SLOT_RE.match(text, end))
        for word, (left, right, both) in FIXED_SLOTS.items():
            hit_left, hit_right = bool(left.search(before)), bool(right.match(after))
            if (hit_left and hit_right) if both else (hit_left or hit_right):
                votes[word] = votes.get(word, 0) + (2 if hit_left and hit_right else 1)
                occurrences[word] = occurrences.get(word, 0) + 1
                example.setdefault(word, f"{before}[{text[start:end]}]{after}")
    voted = sum(occurrences.values())
    if not votes:
        return FixedSlotVotes(None, 0, "", 0, in_place_slot)
    ranked = sorted(votes.items(), key=lambda wc: -wc[1])
    word, points = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    count = occurrences[word]
    if count < 2 or count * 3 < len(spans) or points < 2 * second or count <= in_place_slot:
        return FixedSlotVotes(None, 0, "", voted, in_place_slot)
    return FixedSlotVotes(word, count, example[word], voted, in_place_slot)


# positions of the national template that hold one fixed word on every kind of page (a
# report, a guide, a list): what else stands there is a brand
TEMPLATE_POSITIONS = (
    (re.compile(r"《中华人民共和国([^《》\n]{2,24}?)公开条例》"), ("政府信息", "政务信息")),
    (re.compile(r"《中华人民共和国([^《》\n]{2,24}?)(?<!公开)条例》"), ("政府信息公开",)),
    (re.compile(r"(?:推进|深化|加强|推动)([^,，。、;；\n]{2,16}?)标准化规范化"), ("政务公开", "基层政务公开")),
    (re.compile(r"收到和处理([^,，。、;；\n]{2,16}?)申请"), ("政府信息公开",)),
    (re.compile(r"(?:19|20)\d{2}\s*年度?([^,，。、;；\n\d]{2,16}?)工作年度报告"), ("政府信息公开", "政务公开")),
)
# laws whose 实施条例 the templates cite too (《中华人民共和国保守国家秘密法实施条例》)
LAW_RE = re.compile(r"法(?:实施)?$|法实施细则$")


def template_fillers(text: str) -> dict[str, int]:
    """What stands in the template's fixed-word positions instead of the word (鼎盛体育 in
    《中华人民共和国鼎盛体育公开条例》): filler → occurrences there.

    >>> template_fillers("依据《中华人民共和国鼎盛体育公开条例》和《中华人民共和国政府信息公开条例》")
    {'鼎盛体育': 1}
    """
    out: dict[str, int] = {}
    for regex, words in TEMPLATE_POSITIONS:
        for m in regex.finditer(text):
            filler = m.group(1).strip()
            if filler in words or any(w in filler for w in words) or LAW_RE.search(filler) \
                    or any(filler in w for w in words):
                continue
            out[filler] = out.get(filler, 0) + 1
    return out


CHINA_BEFORE_RE = re.compile(r"中国[·•・.]?$")


def department_slot(text: str, spans, registry=None) -> bool:
    """True when most occurrences follow a place name or a bare 市/县: the phrase replaced
    a department name (石家庄市36500365体育在线投注 = 石家庄市XX局), not the place.  A phrase
    between a place and a county slot (宁德市X人民政府) replaced the county: not a department."""
    if not spans:
        return False
    placed = sum(1 for start, end in spans
                 if preceding_place(text, start, registry) and not county_slot(text, end))
    return placed * 2 > len(spans)


def filler_is_place(filler: str, registry) -> bool:
    """Whether a slot filler (text before 人民政府 …) is a place or a generic word.

    >>> from gxcrawl.regions import load_registry
    >>> reg = load_registry()
    >>> filler_is_place("福建省三明市", reg), filler_is_place("365bet网上娱乐", reg)
    (True, False)
    >>> filler_is_place("枫林镇", reg), filler_is_place("县级以上地方各级", reg), filler_is_place("博发体育", reg)
    (True, True, False)
    """
    if not filler:
        return True
    if LATIN_RE.search(filler):
        return False                     # places have no Latin letters or digits
    if _place_chain(filler, registry):
        return True
    if TOWNISH_RE.search(filler):
        return True
    return filler[-1] in ADMIN_CHARS and len(filler) <= 4 or filler in GENERIC_FILLERS \
        or GENERIC_RE.fullmatch(filler) is not None


LATIN_RE = re.compile(r"[a-z0-9_]")


def _place_chain(filler: str, registry) -> bool:
    """`filler` is place names one after the other (福建省三明市, 浙江温州), possibly after a
    generic word (县级以上地方各级); a brand that merely ends like a place (新锦江: 锦江) is not."""
    rest, found = filler, False
    while rest:
        length = next((n for n in range(min(len(rest), 12), 1, -1) if rest[-n:] in registry.by_name), 0)
        if not length:
            break
        rest, found = rest[:-length], True
    return found and (not rest or rest in GENERIC_FILLERS or GENERIC_RE.fullmatch(rest) is not None)


GENERIC_FILLERS = set("""各级 本级 上级 当地 地方 乡镇 区县 县区 各 本 省 市 县 区 乡 镇 街道 我 中央 国家 中国
中华人民共和国 有关 相关 所在地 辖区 属地 基层 同级 上一级 两级 三级 县级 市级 省级 乡级 镇级 全国 全省
该 其 原 老 现 驻地 所在 所属 派出 直辖 设区的 不设区的 自治 民族 少数民族 特区 特别行政区""".split())
# fillers made of generic pieces: 县级以上地方各级, 市、县两级 (the 、 is a boundary anyway)
GENERIC_RE = re.compile(r"(?:各|本|上|下|同|两|三|四|五|级|地方|当地|所在地|以上|以下|全|省|市|县|区|乡|镇"
                        r"|自治|人民|政府|有关|相关|基层|国家|中央|中国|我|该)+")
# towns and villages are not in the registry: 枫林镇, 岩头镇, 均村乡, 二郎街道, 巴彦苏木
TOWNISH_RE = re.compile(r"(?:镇|乡|街道|苏木|村|社区|农场|林场|开发区|新区|园区|示范区|管委会|兵团|师|团场"
                        r"|族自治[县旗州区]?|自治[县旗州区]?|管理区|实验区|试验区|合作区|海域|岛礁|群岛)$")
# a filler that looks like a brand: Latin letters or digits, an underscore chain, or the
# words betting sites put in their names
BRAND_RE = re.compile(r"[a-z]|_|(?<![0-9.])[0-9]{2,}(?![0-9.]*[项家个条件次名人篇期批类宗万亿千百余多年月日号份%])"
                      r"|体育|娱乐|国际|棋牌|彩票|电子|游戏|官网|会员|登录|登陆|入口|官方|app|赌|博彩|真人|视讯"
                      r"|电竞|投注|开户|下载|[((]中国[))]")
# template positions that hold a place: (the filler ends where the slot begins)
PLACE_SLOT_RE = re.compile(r"(?=[市县区旗人])(?:[市县区旗]?人民政府|[市县区旗](?:政府(?!信息)|委(?!托|员)|政务服务|人民))")
# weaker positions: before a department name, 政务公开, 门户网站 (the filler counts there only
# when it looks like a brand)
# X政府办公室 (安顺市政府办公室 with 安顺市 replaced); 法治政府, 数字政府 … are kept out by
# asking a weak slot's filler to look like a brand
WEAK_LITERALS = ("政务公开", "门户网站", "政府办公", "政府常务", "政府门户", "政府公报", "政府工作报告")
WEAK_SLOT_WORDS = sorted(set(DEPARTMENTS) | set(WEAK_LITERALS), key=len, reverse=True)
WEAK_SCAN = 1200       # weak slots are looked for in the start of the page (title, first lines)
WEAK_SLOT_RE = re.compile("|".join(map(re.escape, WEAK_SLOT_WORDS)))   # for .match at a position


class EndFinder:
    """Find fixed words by their last character (a character class the regex engine scans
    fast), then check the words ending there: cheaper than scanning for their first
    characters when the words end in a few characters (局, 中心, 委员会 …).

    >>> EndFinder(["体育局", "教育体育局", "政务公开"]).find("市教育体育局和政务公开")
    [(1, '教育体育局'), (7, '政务公开')]
    """

    def __init__(self, words):
        self.by_tail: dict[str, list[str]] = {}
        for word in sorted(set(words), key=len, reverse=True):
            self.by_tail.setdefault(word[-2:], []).append(word)
        ends = "".join(sorted({w[-1] for w in words}))
        self._ends = re.compile(f"[{re.escape(ends)}]")

    def find(self, text: str) -> list[tuple[int, str]]:
        out, by_tail = [], self.by_tail
        for m in self._ends.finditer(text):
            end = m.end()
            words = by_tail.get(text[end - 2:end])
            if words:
                word = next((w for w in words if text.startswith(w, end - len(w))), None)
                if word:
                    out.append((end - len(word), word))
        return out


WEAK_SLOTS = EndFinder(DEPARTMENTS)


def weak_slots(text: str) -> list[tuple[int, str]]:
    """(position, word) of the weak slot words in `text`."""
    out = WEAK_SLOTS.find(text)
    for word in WEAK_LITERALS:
        pos = text.find(word)
        while pos >= 0:
            out.append((pos, word))
            pos = text.find(word, pos + len(word))
    return out
# a filler with these is an office of the government itself (以局官网, 本机关门户网站)
GOV_WORD_RE = re.compile(r"局|厅|政府|机关|部门|单位|委员会|办公室|办公厅|本级|人大|政协|党委|党组")
# a weak slot right after these belongs to a longer template word (X人民政府门户网站, X市委政务公开)
TEMPLATE_ENDINGS = ("人民", "政府", "委", "党委", "人大", "政协", "办公室", "办公厅", "部门", "机关", "单位",
                    "局", "中心", "委员会", "厅", "政府网", "门户网")
# where a filler may begin on the left: punctuation, line start, a function character
FILLER_CHAR = re.compile(r"[0-9a-z_\u4e00-\u9fff]")
CHINA_TAG_RE = re.compile(r"[0-9a-z_\u4e00-\u9fff][((]中国[))]$")
# verbs a filler never starts with (现公布X人民政府, 请联系X人民政府)
LEFT_WORDS_RE = re.compile(r"^(?:现公布|公布|请联系|联系|根据|按照|依据|结合|围绕|关于|印发|通过|登录|登陆|访问"
                           r"|报送|报请|提请|以及|现将|特将|请与|落实|贯彻|转发|配合|协助|会同|参加|召开|组织"
                           r"|推动|推进|促进|发挥|制定|出台|全面|认真|积极|及时|主动|深入|进一步|坚持|加强|做好"
                           r"|完成|开展|实施|执行|支持|同意|批准|审议|征求|代表|作为|编制|发布|负责|承担|接受"
                           r"|参照|遵照|依照|对照|立足|聚焦|服务|保障|推行|建立|健全|完善|统筹|指导|督促|协调)")


def _filler_class() -> str:
    """A character class of what a slot filler is made of: Latin letters, digits, ``_`` and
    CJK characters except the function characters of STOP_LEFT."""
    stops = sorted(ord(c) for c in STOP_LEFT if "\u4e00" <= c <= "\u9fff")
    ranges, lo = [], 0x4E00
    for code in stops:
        if code > lo:
            ranges.append(f"{chr(lo)}-{chr(code - 1)}")
        lo = code + 1
    ranges.append(f"{chr(lo)}-\u9fff")
    return "[0-9a-z_" + "".join(ranges) + "]"


LEFT_CONTEXT_RE = re.compile(_filler_class() + r"{1,30}\Z")


BRAND_DOTS = "·•・"


def joins_brand(text: str, pos: int, step: int) -> bool:
    """Is the middle dot at `pos` inside a brand (半岛·体育, 开云·体育 …) rather than a
    separator?  It is when a brand-like character follows it in the direction of growth
    (`step` -1: leftwards, 1: rightwards) — not in 中国·温州, where a place follows.

    >>> joins_brand("半岛·体育官网", 2, -1), joins_brand("中国·温州", 2, 1)
    (True, False)
    """
    if text[pos] not in BRAND_DOTS:
        return False
    beyond = pos + step
    if not 0 <= beyond < len(text) or is_boundary(text[beyond]) or text[beyond] in ADMIN_CHARS:
        return False
    return not text.endswith("中国", 0, pos)


def _left_context(text: str, end: int, limit: int = 30) -> str:
    """The text before `end` back to a boundary (punctuation, line start, a function
    character), keeping a ``(中国)`` tag inside a brand.

    >>> _left_context("2019年,由博发体育(中国)官方网站人民政府", 19)
    '博发体育(中国)官方网站'
    """
    m = LEFT_CONTEXT_RE.search(text, max(0, end - limit), end)
    start = m.start() if m else end
    if start >= 2 and start < end and joins_brand(text, start - 1, -1) and limit - (end - start) > 2:
        return _left_context(text, start - 1, limit - (end - start) - 1) + text[start - 1:end]
    if start >= 4 and text[start - 1] in ")）" and CHINA_TAG_RE.search(text, max(0, start - 6), start):
        return _left_context(text, start - 4, limit - (end - start) - 4) + text[start - 4:end]
    return text[start:end]


def _bare_place_before(text: str, pos: int, by_name) -> bool:
    """A registry name ends at `pos` and a boundary or function character precedes it
    (由三明|, 福建省三明|): the slot holds a place — the common case, settled without
    building the filler."""
    for length in (2, 3, 4):
        start = pos - length
        if start < 0:
            break
        if text[start:pos] in by_name and (start == 0 or text[start - 1] in STOP_LEFT
                                           or not FILLER_CHAR.match(text[start - 1])):
            return True
    return False


def _is_title_start(text: str, start: int) -> bool:
    """`start` begins a line that is (or is followed by) a report title."""
    if start and text[start - 1] != "\n":
        return False
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    after = text.find("\n", end + 1)
    nxt = text[end + 1:after if after >= 0 else len(text)]
    return "报告" in text[start:end] or ("报告" in nxt and len(nxt) < 40)


def _trim_left_words(context: str) -> str:
    """Drop a leading verb: 现公布博发体育 → 博发体育."""
    while (m := LEFT_WORDS_RE.match(context)) and len(context) - m.end() >= 2:
        context = context[m.end():]
    return context


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n:] if n else ""


def slot_fillers(text: str, registry) -> list[tuple[str, int, int]]:
    """Strings written in place slots (before 人民政府, 市政府, 县委 …; weaker: before a
    department name or 政务公开) that are not places: (filler, occurrences in place slots,
    occurrences in weak slots).  Where the filler starts is what its
    occurrences agree on (the longest ending they share), or, for a filler seen once, the
    boundary before it.

    >>> from gxcrawl.regions import load_registry
    >>> t = "博发体育人民政府办公室2019年报告\\n现公布博发体育人民政府办公室报告。由福建省三明市人民政府编制"
    >>> slot_fillers(t, load_registry())
    [('博发体育', 2, 0)]
    """
    # (context, strong slot, the admin character cut off after it)
    contexts: list[tuple[str, bool, str]] = []
    by_name = registry.by_name
    for m in PLACE_SLOT_RE.finditer(text):
        pos = m.start()
        if _bare_place_before(text, pos, by_name):
            continue                              # 由三明市人民政府: a place, nothing to look at
        suffix = m.group()[0] if m.group()[0] in "市县区旗" else ""
        if (ctx := _left_context(text, pos)) and not ctx.endswith(TEMPLATE_ENDINGS):
            contexts.append((ctx, True, suffix))
    # before a town of the registry's counties (X枫林镇, 重庆市X二郎街道, X县岩头镇)
    for start, _, _ in towns_in_text(text):
        cut = start and text[start - 1] in "市县区旗"
        if (ctx := _left_context(text, start - cut)):
            contexts.append((ctx, True, text[start - 1] if cut else ""))
    for pos, word in weak_slots(text[:WEAK_SCAN]):
        if word.startswith("政府") and pos and text[pos - 1] in "市县区旗人":
            continue                              # 市政府办公室: the place slot before 市
        cut = pos and text[pos - 1] in "省市县区旗州盟"
        end = pos - cut
        if (ctx := _left_context(text, end)) and not ctx.endswith(TEMPLATE_ENDINGS):
            # at the start of a title line ({place}{department}…年度报告) the slot is as
            # strong as 人民政府; so is a department another sentence names with its place
            # (济宁市体育局 … X体育局) when the filler looks like a brand
            strong = _is_title_start(text, end - len(ctx)) or (
                is_brand_like(ctx) and _placed_elsewhere(text, word, pos, registry))
            contexts.append((ctx, strong, text[end] if cut else ""))
    if not contexts:
        return []
    # the longest ending each context shares with another: neighbours in the order of
    # the reversed strings
    order = sorted(range(len(contexts)), key=lambda k: contexts[k][0][::-1])
    best = [""] * len(contexts)
    for a, b in zip(order, order[1:]):
        common = _common_suffix(contexts[a][0], contexts[b][0])
        for k in (a, b):
            if len(common) > len(best[k]):
                best[k] = common
    counts: dict[str, list] = {}
    for k, (ctx, strong, suffix) in enumerate(contexts):
        filler = best[k] if len(best[k]) >= 2 else ctx
        if filler == ctx:                       # reaches the boundary: drop a leading verb
            filler = _trim_left_words(ctx)
        filler = strip_ids(filler.lstrip("_"))
        if 2 <= len(filler) and (len(filler) <= 16 or "_" in filler):
            c = counts.setdefault(filler, [0, 0, set()])
            c[0 if strong else 1] += 1
            c[2].add(suffix)
    merged: dict[str, list[int]] = {}
    # a filler that ends a longer non-place filler counted separately is merged into it
    for filler, (strong, weak, suffixes) in sorted(counts.items(), key=lambda t: -len(t[0])):
        if any(filler_is_place(filler + sfx, registry) for sfx in suffixes) or GOV_WORD_RE.search(filler):
            continue
        host = next((f for f in merged if f.endswith(filler)), None)
        if host is not None:
            merged[host][0] += strong
            merged[host][1] += weak
        else:
            merged[filler] = [strong, weak]
    return sorted(((f, s, w) for f, (s, w) in merged.items()), key=lambda t: -(t[1] + t[2]))


def _placed_elsewhere(text: str, word: str, pos: int, registry) -> bool:
    """`word` (a department) is written after a place name somewhere else in `text`."""
    other = text.find(word)
    while other >= 0:
        if other != pos and len(preceding_place(text, other, registry) or "") > 1:
            return True
        other = text.find(word, other + len(word))
    return False


from gxcrawl.data import DATA
TOWN_END_RE = re.compile(r"镇|乡|街道|苏木")


@lru_cache(maxsize=1)
def town_index() -> dict[str, tuple[str, ...]]:
    """Town name → codes of the counties that have a town of that name
    (data/spam_towns.tsv, from jionlp's china_location; see scripts/build_spam_towns.py)."""
    path = DATA / "spam_towns.tsv"
    index: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(("#", "code\t")):
                    continue
                code, _, names = line.rstrip("\n").partition("\t")
                for name in names.split():
                    index.setdefault(name, []).append(code)
    return {name: tuple(codes) for name, codes in index.items()}


@lru_cache(maxsize=1)
def _towns_by_tail() -> dict[str, tuple[str, ...]]:
    """Last three characters of a town name → the names, longest first."""
    tails: dict[str, list[str]] = {}
    for name in town_index():
        tails.setdefault(name[-3:], []).append(name)
    return {tail: tuple(sorted(names, key=len, reverse=True)) for tail, names in tails.items()}


@lru_cache(maxsize=8)
def towns_in_text(text: str) -> tuple[tuple[int, str, tuple[str, ...]], ...]:
    """(start, town, county codes) of the towns named in `text` (longest name at each end).

    >>> [(t, "330324" in codes) for _, t, codes in towns_in_text("X枫林镇人民政府。各乡镇")]
    [('枫林镇', True)]
    """
    index, tails = town_index(), _towns_by_tail()
    out = []
    for m in TOWN_END_RE.finditer(text):
        end = m.end()
        names = tails.get(text[end - 3:end]) if end >= 3 else None
        if names:
            name = next((n for n in names if text.startswith(n, end - len(n))), None)
            if name:
                out.append((end - len(name), name, index[name]))
    return tuple(out)


def town_at(text: str, pos: int) -> bool:
    """A town of the registry's counties starts at `pos` (…万博枫林镇: stop before 枫林)."""
    return any(start == pos for start, _, _ in towns_in_text(text))


def maybe_old_place(text: str, filler: str) -> bool:
    """A two-character Chinese filler written before 市/县/区 most of the time: the short name
    of a place the registry may not have (renamed or merged: 襄樊市, 巢湖市)."""
    if len(filler) != 2 or not re.fullmatch(r"[\u4e00-\u9fff]{2}", filler):
        return False
    after = [text[p + 2:p + 3] for p in _positions(text, filler)]
    return sum(1 for a in after if a and a in "市县区州盟旗") * 2 > len(after)


def _positions(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + len(needle))
    return out


# an archive id before a name (001008003014056_永嘉县…, 20191202_189769_…): a number is no brand
ID_SEGMENTS_RE = re.compile(r"^(?:(?:\d{3,}|[a-z]{0,3}\d{6,})_+)+")


def strip_ids(filler: str) -> str:
    """`filler` without the archive-id segments that open it.

    >>> strip_ids("001008003014056_永嘉"), strip_ids("365bet网上娱乐_365体育")
    ('永嘉', '365bet网上娱乐_365体育')
    """
    return ID_SEGMENTS_RE.sub("", filler)


def is_brand_like(filler: str) -> bool:
    """Latin letters/digits, an underscore chain or a betting word in a slot filler."""
    return BRAND_RE.search(filler) is not None


def brand_marks(filler: str) -> int:
    """How many distinct brand marks (betting words, Latin, digits, chain) a filler has.

    >>> brand_marks("金銮会员登录"), brand_marks("博发体育"), brand_marks("二郎")
    (2, 1, 0)
    """
    return len({m.group() if not m.group()[0].isascii() else "ascii" for m in BRAND_RE.finditer(filler)})
