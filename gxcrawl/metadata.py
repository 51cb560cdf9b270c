"""Report metadata from a page's clean text: is it an annual OGI report
(《政府信息公开工作年度报告》), which year does it cover, who issued it, where,
and when was it published.

    extract_metadata(text, title=None, meta=None, url=None) -> Metadata

The work is done on a *normalized* copy of the text that has the same length
as the text it came from (traditional → simplified, full-width → ASCII,
二〇一九 → 2019), so every span found there is cut from the printed text:
the agency comes back exactly as the page prints it (成都市體育局 stays
traditional). Pinyin glosses that some mirrors put after each converted
character (報(bào)) are removed first.

>>> m = extract_metadata("三明市人民政府办公室2019年政府信息公开工作年度报告\\n来源:三明市政府办 时间:2020-01-31 14:03")
>>> m.is_report, m.year, m.agency, m.region.name, m.published
(True, 2019, '三明市人民政府办公室', '三明市', '2020-01-31')
>>> split_title("福州市晋安区2016年政府信息公开工作年度报告")
('福州市晋安区人民政府', 2016)
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional
from urllib.parse import unquote, urlsplit

from gxcrawl.dates import find_published, lead_year, period_year, url_year, year_mentions
from gxcrawl.chinese import to_simplified
from gxcrawl.regions import Region, Registry, load_registry

__all__ = ["Metadata", "extract_metadata", "normalize", "split_title", "classify_title",
           "report_score", "region_of_agency", "region_of_host", "looks_like_spam_name"]


@dataclass
class Metadata:
    title: Optional[str] = None          # the report's title line, as printed
    year: Optional[int] = None           # the year the report covers
    agency: Optional[str] = None         # the issuing body, as printed
    region: Optional[Region] = None      # the agency's region (lowest level)
    published: Optional[str] = None      # YYYY-MM-DD
    is_report: bool = False
    score: int = 0                       # body evidence score (see report_score)
    warnings: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)   # field -> where it came from
    reasons: list[str] = field(default_factory=list)         # why is_report is what it is

    def as_dict(self) -> dict:
        return {"title": self.title, "year": self.year, "agency": self.agency,
                "region": self.region.as_dict() if self.region else None,
                "published": self.published, "is_report": self.is_report,
                "warnings": list(self.warnings), "evidence": dict(self.evidence)}


# --------------------------------------------------------------------------
# normalization

_PINYIN_GLOSS = re.compile(
    r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*[)）]")
_CN_DIGITS = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: 0x20,
                   0xFEFF: 0x20})
_FULLWIDTH.pop(0xFF0C)      # keep ， (it is fine as is)
_FULLWIDTH.pop(0xFF1B)      # ；


def normalize(text: str) -> tuple[str, str]:
    """(printed, normalized): printed is `text` without pinyin glosses and with
    odd spaces made plain; normalized has the same length, simplified, with
    ASCII digits and punctuation, Chinese-numeral years as digits."""
    printed = _PINYIN_GLOSS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    printed = printed.translate({0xA0: 0x20, 0x3000: 0x20, 0x200B: 0x20, 0xFEFF: 0x20})
    norm = printed.translate(_FULLWIDTH)
    norm = re.sub(r"[〇零○Ｏ一二三四五六七八九]{4}(?=\s*年)",
                  lambda m: m.group(0).translate(_CN_DIGITS), norm)
    simplified = to_simplified(norm)
    return printed, (simplified if len(simplified) == len(printed) else norm)


# --------------------------------------------------------------------------
# names

CJK = r"\u4e00-\u9fff"
NAME_CHARS = rf"[{CJK}()（）·]"
ORG_SUFFIX = (r"(?:人民政府|政府|办公室|办公厅|办事处|管理委员会|管委会|委员会|局|厅|委|办|"
              r"中心|院|所|站|署|馆|队|处|会|社|行|部|公署|集团)")
PLACE_SUFFIX = r"(?:省|市|区|县|旗|州|盟|镇|乡|街道|地区|林区|苏木)"
ZONE_RE = re.compile(r"(?:经济技术开发区|经济开发区|技术开发区|高新技术产业开发区|产业开发区|开发区|"
                     r"示范区|高新区|工业园区|产业园区|园区|试验区|合作区|保税区|实验区|管理区|新区|新城)")
_ORG_END = re.compile(ORG_SUFFIX + "$")
_PLACE_END = re.compile(PLACE_SUFFIX + "$")
SPAM_WORDS = re.compile(
    r"娱乐|官网|投注|博彩|彩票|体育在线|体育平台|平台网址|网址|下载|真人|棋牌|赌|威尼斯|澳门|葡京|"
    r"线上|手机版|打不开|开户|注册|老虎机|百家乐|威廉希尔|公司|国产|成人|精品|欧美|亚洲|久久|"
    r"中文字幕|无码|视频|在线|安装|苹果版|首页|app", re.I)
_BAD_NAME_START = re.compile(r"^(?:我|本|该|全|各|其|在|对|为|由|经|按|据|以|和|与|及|向|从|市委|县委|区委)")


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
        if not any(name[:end].endswith(r.name) for r in registry.find_in_text(name[:end])):
            return True
    return False


def _agency_like(norm: str) -> bool:
    return bool(re.fullmatch(rf"{NAME_CHARS}{{2,40}}", norm)) and bool(
        _ORG_END.search(norm) or _PLACE_END.search(norm) or ZONE_RE.search(norm[-4:]))


def finish_agency(printed: str, norm: str, registry: Registry | None = None,
                  warnings: list[str] | None = None) -> Optional[str]:
    """Clean a candidate agency; a bare place (福州市晋安区, 永嘉县枫林镇) becomes
    its 人民政府 (街道 → 街道办事处); zones stay as printed. None if absurd."""
    registry = registry or load_registry()
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
            len(norm) == 2 and _PLACE_END.search(norm) and registry.find(norm))):
        return None
    if looks_like_spam_name(norm) or _BAD_NAME_START.search(norm):
        if warnings is not None and looks_like_spam_name(norm):
            warnings.append(f"agency candidate looks like spam: {printed[:40]}")
        return None
    if not re.fullmatch(rf"{NAME_CHARS}+", norm) or re.search(r"网站$|网$|平台$|专栏$", norm):
        return None
    if norm.endswith("人民"):
        return printed + "政府"
    core = re.sub(r"[(（][^()（）]*[)）]$", "", norm) or norm
    if _ORG_END.search(core):
        return printed
    if is_zone(norm, registry):
        return printed
    if _PLACE_END.search(norm) and core == norm:
        if norm.endswith("街道"):
            return printed + "办事处"
        if not (registry.find_in_text(norm) or registry.find(norm) or re.search(r"[镇乡]$|苏木$", norm)):
            if warnings is not None:
                warnings.append(f"place not in the registry: {printed}")
            return None
        return printed + "人民政府"
    return None


# --------------------------------------------------------------------------
# titles

_OGI = r"(?:(?:政府|政务)?(?:信息|资讯)公开|政务公开)"
TITLE_RE = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年?\s*度?\s*(?P<mid>[^\s,，。;；:：《》“”\d]{0,24}?)"
    + _OGI + r"(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:年度)?(?:报告|年报)")
# "…政府信息公开工作2019年度报告", "…政府信息公开年度报告(2019年度)"
TITLE_ALT_RES = (
    re.compile(_OGI + r"(?:工作)?(?:的)?\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?(?:工作)?(?:年度)?(?:报告|年报)"),
    re.compile(_OGI + r"(?:工作)?(?:的)?(?:年度)?(?:工作)?(?:报告|年报)\s*[(（]\s*(?P<year>(?:19|20)\d{2})\s*年?度?\s*[)）]"),
    # no year at all: "三明市统计局政府信息公开工作年度报告" (the agency must be real)
    re.compile(r"(?<=[局委办室厅府心院所站处区县市镇乡道])" + _OGI + r"(?:工作)?(?:的)?年度报告(?P<year>)"),
)
NEG_TITLE_RE = re.compile(
    r"关于.{2,80}(?:通知|意见|决定|批复|函|公告|通报|说明|办法|规定)\s*$|"
    r".{2,40}(?:政府|政务)?信息公开指南\s*$|图解|解读|一图|读懂|图说|报表|格式|"
    r"法治政府建设.{0,20}报告|政府工作报告|住房公积金.{0,20}报告|"
    r"信息公开目录\s*$|工作要点\s*$|实施方案\s*$|考核办法\s*$|评估报告|测评报告|第三方评估|"
    r"的通知\s*$")
_OTHER_ANNUAL_RE = re.compile(r"(?:19|20)\d{2}\s*年度?.{0,40}报告\s*$")
_SENTENCE_WORDS = re.compile(r"。|现将|现公布|予以公布|公布如下|根据|按照|依据|印发|转发|编制|做好|请|《|“|本报告|本年报")
_BREADCRUMB = re.compile(r"[>»›]|当前位置|您的位置|所在位置|当前页面")


def split_title(line: str, registry: Registry | None = None) -> Optional[tuple[Optional[str], int]]:
    """(agency, year) of a report title line, or None if it is not one.
    Works on printed text; the agency is what precedes the year, or what sits
    between 年 and 政府信息公开 (2021年抚州市政府信息公开… → 抚州市人民政府)."""
    printed, norm = normalize(line)
    m = _match_title(norm, loose_tail=True)
    if m is None:
        return None
    agency = _agency_from_title(printed, norm, m, registry, [])
    return agency, (int(m.group("year")) if m.group("year") else None)


def _match_title(norm: str, loose_tail: bool = False) -> Optional[re.Match]:
    m = TITLE_RE.search(norm)
    if not m:
        for regex in TITLE_ALT_RES:
            m = regex.search(norm)
            if m:
                break
        else:
            return None
    if m.group("year") and int(m.group("year")) < 2000:
        return None
    if not m.group("year"):
        pre = norm[:m.start()].strip()
        if not pre or finish_agency(pre, pre) is None:
            return None
    tail = norm[m.end():].strip(" \t|:：。.")
    if tail and not re.fullmatch(r"[(（][^)）]{0,14}[)）]", tail):
        if not (loose_tail and re.match(r"[\s_\-—|｜]", norm[m.end():])):
            if len(tail) > 2:
                return None
    pre = norm[:m.start()]
    if _SENTENCE_WORDS.search(pre) or _SENTENCE_WORDS.search(m.groupdict().get("mid") or ""):
        return None
    if len(norm) > 140:
        return None
    return m


def _title_text(printed: str, norm: str, m: re.Match) -> str:
    """The title as printed, without breadcrumbs before it or a site name after it."""
    tokens = list(re.finditer(r"[^\s>»›/|｜:：_\-—]+", norm[:m.start()]))
    start = m.start()
    if tokens and tokens[-1].end() == m.start():
        start = tokens[-1].start()
        if len(tokens[-1].group(0)) < 3 and len(tokens) > 1:
            start = tokens[-2].start()
    end = m.end()
    tail = re.match(r"\s*[(（][^)）]{0,14}[)）]", norm[end:])
    if tail:
        end += tail.end()
    return printed[start:end].strip()


def _agency_from_title(printed: str, norm: str, m: re.Match, registry, warnings) -> Optional[str]:
    pre_end = m.start()
    # last token of what precedes the year (drops breadcrumbs and site names)
    tokens = [t for t in re.finditer(r"[^\s>»›/|｜:：_\-—]+", norm[:pre_end])]
    if tokens:
        last = tokens[-1]
        start = last.start()
        if len(last.group(0)) < 3 and len(tokens) > 1:
            start = tokens[-2].start()
        cand = finish_agency(printed[start:pre_end], norm[start:pre_end], registry, warnings)
        if cand:
            return cand
        if norm[start:pre_end].strip():
            return None
    mid = m.groupdict().get("mid")
    if mid:
        s, e = m.span("mid")
        return finish_agency(printed[s:e], norm[s:e], registry, warnings)
    return None


def classify_title(norm_line: str, loose_tail: bool = True) -> Optional[str]:
    """'report', 'negative' (a notice, guide, 解读, another kind of annual
    report…) or None (not a title at all) for one normalized line."""
    line = norm_line.strip(" \t|")
    if re.search(r"[>»›]", line):
        line = re.split(r"[>»›]", line)[-1].strip(" \t|")
    if len(line) < 6 or len(line) > 140 or _BREADCRUMB.search(line):
        return None
    if "。" in line or re.match(r"(?:本报告|本年报|根据|按照|依据|为|现将|现公布|经)", line):
        return None
    if NEG_TITLE_RE.search(line):
        if re.search(r"信息公开|政务公开|报告|报表|通知|指南", line):
            return "negative"
    if _match_title(line, loose_tail=loose_tail):
        return "report"
    if _OTHER_ANNUAL_RE.search(line) and not re.search(r"信息公开|政务公开|_|\|", line):
        return "negative"
    return None


# --------------------------------------------------------------------------
# body evidence

_HEADING = re.compile(r"(?m)^\s*(?:[一二三四五六七八九十]{1,2}\s*[、.．]|[(（]\s*[一二三四五六七八九十]{1,2}\s*[)）]|第[一二三四五六七八九十]部分)\s*(.{0,40})$")
_TOPICS = {
    "overview": r"总体情况|概述|基本情况|基本概况|概况",
    "active": r"主动公开",
    "request": r"依申请|政府信息公开申请|申请公开",
    "review": r"行政复议|行政诉讼|复议|诉讼",
    "problems": r"存在的?主要问题|问题和改进|问题及改进|改进措施|改进情况|主要问题",
    "other": r"其他需要报告|需要说明的事项|其他事项",
    "fees": r"收费及减免|收费和减免|收费情况",
}
_SECTION_LIST = re.compile(r"(?:总体情况|概述)[、,，]?\s*主动公开")
_SELF_REF = re.compile(r"本(?:年度)?报告|本年报|本年度报告|年度报告如下|报告如下|现将.{0,40}(?:年度报告|年报)")
_STATUTE = re.compile(r"政府信息公开条例》|《条例》")
_TABLE_LABELS = re.compile(r"本年新收政府信息公开申请数量|本年新制作数量|本年制发件数|主动公开政府信息数|"
                           r"上年结转政府信息公开申请数量|收到申请数|予以公开|同意公开答复数")
_URL_HINT = re.compile(r"nb|ndbg|annualreport|年报|年度报告|xxgknb|ndbb", re.I)
_NEG_BODY = {
    "notice": re.compile(r"印发给你们|现印发|请认真贯彻执行|请认真遵照执行|通知如下|各省、自治区、直辖市|"
                         r"各县\(市\)、区人民政府|现就.{0,20}通知"),
    "guide": re.compile(r"本指南|《指南》|指南》\(以下简称"),
    "academic": re.compile(r"摘要|关键词|参考文献|Table \d|DOI|\[\d+\]|Abstract", re.I),
    "website_report": re.compile(r"网站名称|首页网址|网站标识码|政府网站工作年度报表"),
    "explainer": re.compile(r"图解|一图读懂|解读"),
    "other_report": re.compile(r"法治政府建设|各位代表|住房公积金|政府工作报告"),
}


def report_score(norm: str, url: str | None = None, meta: dict[str, str] | None = None,
                 reasons: list[str] | None = None) -> int:
    """Evidence from the body that a page is an annual OGI report (≥ 4: it is)."""
    reasons = reasons if reasons is not None else []
    score = 0

    def add(points: int, why: str) -> None:
        nonlocal score
        score += points
        reasons.append(f"{points:+d} {why}")

    head = norm[:6000]
    if period_year(head):
        add(3, "statistics period")
    if _SELF_REF.search(head):
        add(2, "speaks of itself as a report")
    topics = set()
    for m in _HEADING.finditer(head):
        for name, pattern in _TOPICS.items():
            if re.search(pattern, m.group(1)):
                topics.add(name)
    if topics:
        add(min(len(topics), 4), "section headings " + ",".join(sorted(topics)))
    if _SECTION_LIST.search(head):
        add(2, "lists the statutory sections")
    if _STATUTE.search(head):
        add(1, "cites the Regulation")
    anywhere = {n for n in ("active", "request", "review") if re.search(_TOPICS[n], head)}
    if len(anywhere) >= 2:
        add(1, "talks of " + ",".join(sorted(anywhere)))
    if _TABLE_LABELS.search(head):
        add(2, "statistics table labels")
    hint = (url or "") + " " + " ".join(v for k, v in (meta or {}).items()
                                        if k.lower() in ("columnname", "column", "channel"))
    if _URL_HINT.search(unquote(hint)):
        add(1, "url/column hint")
    for name, pattern in _NEG_BODY.items():
        zone = head[:300] if name in ("explainer", "other_report") else head
        if pattern.search(zone):
            add(-4, f"looks like a {name}")
    return score


# --------------------------------------------------------------------------
# regions

_GENERIC_HOST = {"www", "gov", "cn", "com", "net", "org", "m", "wap", "www2", "zwgk", "xxgk",
                 "info", "web", "site", "portal", "en", "jyj", "tyj", "jtj", "czj", "zf"}


def _toneless(syllable: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", syllable)
    base = "".join(c for c in plain if c.isascii())
    if "\u0308" in plain or "ü" in syllable:          # ü: hosts write lv / lu
        return [base.replace("u", "v"), base]
    return [base]


def pinyin_keys(name: str, limit: int = 16) -> list[str]:
    """Toneless pinyin spellings of a name, every reading of polyphones
    (长春 → changchun, zhangchun)."""
    from pypinyin.pinyin_dict import pinyin_dict
    keys = [""]
    for ch in name:
        readings = pinyin_dict.get(ord(ch))
        if not readings:
            return []
        sylls = []
        for r in readings.split(","):
            for t in _toneless(r):
                if t not in sylls:
                    sylls.append(t)
        keys = [k + s for k in keys for s in sylls][:limit]
    return keys


@lru_cache(maxsize=1)
def _pinyin_index() -> dict[str, list[Region]]:
    registry = load_registry()
    index: dict[str, list[Region]] = {}
    for r in registry.regions:
        for name in {r.name, r.short}:
            if name and len(name) >= 2:
                for key in pinyin_keys(name):
                    if r not in index.setdefault(key, []):
                        index[key].append(r)
    return index


def _context_score(region: Region, registry: Registry, context: str) -> int:
    score = 0
    for a in registry.ancestors(region):
        if a.short and a.short in context:
            score += 2
    codes = set(re.findall(r"(?<!\d)(0\d{2,3})[-—－–\s)]", context))
    posts = set(re.findall(r"邮编[:：]?\s*(\d{6})", context))
    for c in registry.citycodes:
        if c.area_code in codes or any(p[:4] == c.postcode[:4] for p in posts):
            chain = [region] + registry.ancestors(region)
            if any(x.short == c.city_short or x.name.startswith(c.city_short) for x in chain):
                score += 3
    return score


def region_of_host(url: str | None, context: str = "", registry: Registry | None = None) -> Optional[Region]:
    """The region a government host is named after (www.wenzhou.gov.cn → 温州市,
    www.weishan.gov.cn → 微山县, disambiguated by `context`). Only *.gov.cn hosts."""
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    if not host.endswith(".gov.cn"):
        return None
    registry = registry or load_registry()
    labels = [l for l in re.split(r"[.\-]", host[: -len(".gov.cn")]) if l and l not in _GENERIC_HOST]
    index = _pinyin_index()
    for label in reversed(labels):            # the registrable part first
        cands = index.get(label, [])
        if not cands:
            continue
        if len(cands) == 1:
            return cands[0]
        scored = sorted(((_context_score(c, registry, context), c.level == "prefecture", c)
                         for c in cands), key=lambda t: (t[0], t[1]), reverse=True)
        if scored[0][0] > scored[1][0]:
            return scored[0][2]
        return None
    return None


def region_of_agency(agency_norm: str, context: str = "",
                     registry: Registry | None = None) -> Optional[Region]:
    registry = registry or load_registry()
    found = registry.find_in_text(agency_norm, context)
    if found:
        return found[0]
    # two-character names the scan skips (沙县 → 沙县区, renamed since)
    for m in re.finditer(r"[省市州区县旗]", agency_norm[:8]):
        cands = registry.find(agency_norm[:m.end()])
        if len(cands) == 1:
            return cands[0]
    return None


def region_of_text(norm: str, registry: Registry | None = None) -> Optional[Region]:
    """The most mentioned region in the text (most specific on ties); weak."""
    registry = registry or load_registry()
    head = norm[:4000]
    found = registry.find_in_text(head)
    if not found:
        return None
    order = {"county": 0, "prefecture": 1, "province": 2}
    counts = [(head.count(r.name) + (head.count(r.short) if len(r.short) >= 3 else 0), -order[r.level], r)
              for r in found]
    counts.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return counts[0][2]


# --------------------------------------------------------------------------
# agency from the body

_BY_RE = re.compile(rf"由({NAME_CHARS}{{2,40}}?)(?:按照|根据|依据|依照|综合|汇总|结合|负责|牵头|统一|组织|"
                    rf"编制|编写|起草|制作|在)")
_SUBJECT_RE = re.compile(
    rf"(?m)^\s*(?:(?:19|20)\d{{2}}\s*年度?|今年以来|本年度)\s*[,，、]\s*({NAME_CHARS}{{3,30}}?)"
    r"(?=在|认真|按照|坚持|深入|全面|严格|以|围绕|紧紧|进一步|结合|继续|积极|高度|始终|立足|聚焦|持续|"
    r"根据|依据|着力|切实|不断|大力|紧扣|主动|扎实|稳步|依法|贯彻)")
_CONTACT_RE = re.compile(rf"(?:请与|请联系|联系单位[:：]|咨询单位[:：])\s*({NAME_CHARS}{{3,40}}?)(?:联系|[(（,，。:：])")
_FIELD_RE = re.compile(rf"(?:发布机构|发文机关|发布单位|信息来源|来源|发布机关)\s*[:：]?\s*({NAME_CHARS}{{3,40}})(?=\s|$|\|)")
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[-/.]\d{1,2}[-/.]\d{1,2})\s*$")
_SIGNATURE_RE = re.compile(rf"({NAME_CHARS}{{3,40}})[\s|]*((?:19|20)\d{{2}})\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日[\s|]*$")
_SUB_UNIT = re.compile(r"(?<=局|委|府|办|室|厅|心)[^局委府办室厅心]{1,8}(?:科|股|组|处)$")


def _has_place(norm_name: str, registry: Registry) -> bool:
    found = registry.find_in_text(norm_name)
    return any(0 <= norm_name.find(x) <= 4 for r in found for x in (r.name, r.short) if x and len(x) >= 2)


# --------------------------------------------------------------------------
# the whole thing

@dataclass
class _Line:
    start: int
    end: int
    printed: str
    norm: str


def _lines(printed: str, norm: str, limit: int) -> list[_Line]:
    out = []
    pos = 0
    for raw in norm.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        # trim pipes/space at both ends
        s, e = start, end
        while s < e and norm[s] in " \t|｜":
            s += 1
        while e > s and norm[e - 1] in " \t|｜":
            e -= 1
        if s < e:
            out.append(_Line(s, e, printed[s:e], norm[s:e]))
        if len(out) >= limit or start > 4000:
            break
    return out


MAX_CHARS = 30000


def extract_metadata(text: str, *, title: str | None = None, meta: dict[str, str] | None = None,
                     url: str | None = None) -> Metadata:
    registry = load_registry()
    meta = meta or {}
    md = Metadata()
    text = text or ""
    if len(text) > MAX_CHARS:     # everything looked at is near the top, or the signature
        text = text[: MAX_CHARS - 2000] + "\n" + text[-2000:]
    printed, norm = normalize(text)
    lines = _lines(printed, norm, 60)

    # ---- title candidates: <meta ArticleTitle>, text lines, <title>, URL
    cands: list[tuple[str, str, str, Optional[int]]] = []   # (source, printed, norm, line index)
    for key in ("ArticleTitle", "articletitle", "Title", "title", "og:title"):
        if meta.get(key):
            p, n = normalize(meta[key])
            cands.append((f"meta:{key}", p, n, None))
            break
    for i, ln in enumerate(lines):
        cands.append(("text", ln.printed, ln.norm, i))
    if title:
        p, n = normalize(title)
        cands.append(("title", p, n, None))
    if url:
        try:
            path = unquote(urlsplit(url).path)
        except ValueError:
            path = ""
        for seg in path.split("/"):
            seg = re.sub(r"\.[a-z]{2,5}$", "", seg, flags=re.I)
            if re.search(f"[{CJK}]", seg):
                p, n = normalize(seg)
                cands.append(("url", p, n, None))

    title_kind = None
    title_match = None
    for source, p, n, idx in cands:
        kind = classify_title(n, loose_tail=(source != "text"))
        if kind is None:
            continue
        title_kind = kind
        if kind == "report":
            title_match = (source, p, n, idx)
            md.reasons.append(f"report title ({source})")
        else:
            md.reasons.append(f"not a report: title {n.strip()[:60]!r} ({source})")
        break

    # ---- agency and title
    agency_src = None
    title_year = None
    if title_match:
        source, p, n, idx = title_match
        m = _match_title(n, loose_tail=True)
        title_year = int(m.group("year")) if m.group("year") else None
        md.title = _title_text(p, n, m)
        agency = _agency_from_title(p, n, m, registry, md.warnings)
        pre_empty = not n[:m.start()].strip() and not m.groupdict().get("mid")
        if agency:
            agency_src = f"title ({source})"
        elif pre_empty and idx is not None:
            # split title: agency on the line(s) above "2020年政府信息公开工作年度报告"
            for j in (idx - 1, idx - 2):
                if j < 0:
                    break
                prev = lines[j]
                if _agency_like(prev.norm):
                    agency = finish_agency(prev.printed, prev.norm, registry, md.warnings)
                    if agency:
                        md.title = prev.printed.strip() + md.title
                        agency_src = "line above title"
                    break
                if _DATE_LINE.match(prev.norm) is None and len(prev.norm) > 2:
                    break
        md.agency = agency

    head_norm = norm[:5000]
    heading_date_year = None
    # heading line followed by a date line ("廣州市人民政府 / 2013年3月")
    for i, ln in enumerate(lines[:15]):
        if i + 1 < len(lines) and _DATE_LINE.match(lines[i + 1].norm) and _agency_like(ln.norm):
            heading_date_year = int(re.match(r"\s*(\d{4})", lines[i + 1].norm).group(1))
            if md.agency is None:
                a = finish_agency(ln.printed, ln.norm, registry, md.warnings)
                if a:
                    md.agency, agency_src = a, "heading line"
            break

    def from_regex(regex: re.Pattern, src: str, need_place: bool, text_norm: str = head_norm,
                   offset: int = 0) -> None:
        nonlocal agency_src
        if md.agency is not None:
            return
        for m in regex.finditer(text_norm):
            s, e = m.span(1)
            s += offset
            e += offset
            if s > 0 and re.match(r"[A-Za-z0-9_]", norm[s - 1]):
                continue            # the tail of a spam chain ("…_365数字含义人民政府")
            name_norm = norm[s:e]
            sub = _SUB_UNIT.search(name_norm)
            if sub:
                e -= len(sub.group(0))
                name_norm = norm[s:e]
            if need_place and not _has_place(name_norm, registry):
                continue
            if not _ORG_END.search(name_norm) and not _PLACE_END.search(name_norm) and not is_zone(name_norm, registry):
                continue
            a = finish_agency(printed[s:e], name_norm, registry, md.warnings)
            if a:
                md.agency, agency_src = a, src
                return

    # 本报告由X按照…编制 (but 由X综合各…: X compiles for its government)
    if md.agency is None:
        for m in _BY_RE.finditer(head_norm):
            s, e = m.span(1)
            nm = norm[s:e]
            follow = norm[e:e + 2]
            if follow in ("综合", "汇总"):
                g = re.match(rf"(.+?)(?:人民政府|政府)(?:办公室|办公厅)$", nm)
                if g:
                    a = finish_agency(printed[s:s + len(g.group(1))], g.group(1), registry, md.warnings)
                    if a and not a.endswith("人民政府"):
                        a = None
                    if a:
                        md.agency, agency_src = a, "由…综合…编制"
                        break
                continue
            if not _ORG_END.search(nm):
                continue
            a = finish_agency(printed[s:e], nm, registry, md.warnings)
            if a:
                md.agency, agency_src = a, "由…编制"
                break
    from_regex(_SUBJECT_RE, "subject of the first paragraph", True)
    tail_start = max(0, len(norm) - 400)
    from_regex(_SIGNATURE_RE, "signature", False, norm[tail_start:], tail_start)
    from_regex(_CONTACT_RE, "contact", True)
    from_regex(_FIELD_RE, "page field", True)
    # 《…2019年政府信息公开工作年度报告》 quoted in the text
    if md.agency is None:
        for m in re.finditer(r"《([^》\n]{6,60})》", head_norm):
            inner = m.group(1)
            tm = _match_title(inner, loose_tail=False)
            if tm:
                s = m.start(1)
                a = _agency_from_title(printed[s:s + len(inner)], inner, tm, registry, md.warnings)
                if a:
                    md.agency, agency_src = a, "quoted report title"
                    break
    if md.agency is None:
        _self_reference_agency(printed, norm, registry, md)
        if md.agency:
            agency_src = "self-reference"
    if agency_src:
        md.evidence["agency"] = agency_src

    # ---- published
    md.published, pub_src = find_published(norm, meta)
    if md.published:
        md.evidence["published"] = pub_src

    # ---- year
    body = norm
    candidates: list[tuple[str, Optional[int]]] = [("title", title_year),
                                                   ("statistics period", period_year(body[:8000]))]
    quoted = None
    for m in re.finditer(r"《([^》\n]{6,60})》|(?:公布|现将|发布)([^。\n]{4,60}?(?:年度报告|年报))", head_norm):
        inner = m.group(1) or m.group(2)
        tm = _match_title(inner) if m.group(1) else (TITLE_RE.search(inner) or TITLE_ALT_RES[0].search(inner))
        if tm and tm.group("year"):
            quoted = int(tm.group("year"))
            break
    candidates.append(("quoted report title", quoted))
    candidates.append(("opening year", lead_year(body[:8000])))
    candidates.append(("url", url_year(url)))
    mentions = year_mentions(body[:8000])
    mode = None
    if mentions:
        counts = Counter(mentions)
        best = max(counts.values())
        mode = next(y for y in mentions if counts[y] == best)
    candidates.append(("year mentions", mode))
    pub_year = None
    if md.published:
        pub_year = int(md.published[:4])
    elif heading_date_year:
        pub_year = heading_date_year
    candidates.append(("publish year - 1", pub_year - 1 if pub_year else None))
    for src, y in candidates:
        if y:
            md.year = y
            md.evidence["year"] = src
            break
    strong = {src: y for src, y in candidates[:3] if y}
    if len(set(strong.values())) > 1:
        md.warnings.append("year sources disagree: " + ", ".join(f"{k}={v}" for k, v in strong.items()))
    if md.year and pub_year and md.year > pub_year:
        md.warnings.append(f"year {md.year} after publish year {pub_year}")

    # ---- is_report
    md.score = report_score(norm, url, meta, md.reasons)
    listed = _report_titles_listed(lines)
    if listed >= 3 and md.score < 4:
        md.is_report = False
        md.reasons.append(f"a list of {listed} report titles, not a report")
    elif title_kind == "report":
        md.is_report = True
    elif title_kind == "negative":
        md.is_report = False
    else:
        md.is_report = md.score >= 4
        md.reasons.append(f"no title; body score {md.score}")

    # ---- region
    context = head_norm
    if md.agency:
        _, agency_norm = normalize(md.agency)
        if is_zone(agency_norm, registry):
            md.evidence["region"] = "none: agency is a zone"
        else:
            r = region_of_agency(agency_norm, context, registry)
            if r:
                md.region = r
                md.evidence["region"] = "agency"
    if md.region is None and "region" not in md.evidence:
        r = region_of_host(url, context, registry)
        if r:
            md.region, md.evidence["region"] = r, "host"
        else:
            r = region_of_text(norm, registry)
            if r:
                md.region, md.evidence["region"] = r, "text"
                md.warnings.append("region guessed from places named in the text")
    return md


def _report_titles_listed(lines: list[_Line]) -> int:
    """How many distinct report titles the top of the page lists (index pages)."""
    seen = set()
    for ln in lines:
        m = _match_title(ln.norm.strip(), loose_tail=True)
        if m:
            seen.add(ln.norm.strip()[: m.end()])
    return len(seen)


def _self_reference_agency(printed: str, norm: str, registry: Registry, md: Metadata) -> None:
    """'我乡' + '均村乡人民政府' in the text → 均村乡人民政府; '我局' + a place-named 局."""
    head = norm[:5000]
    refs = Counter(m.group(1) for m in re.finditer(r"[我本](局|委|办|乡|镇|街道|中心|院|厅)", head))
    if not refs:
        return
    kind = refs.most_common(1)[0][0]
    if kind in ("乡", "镇", "街道"):
        pattern = rf"([{CJK}]{{2,6}}?{kind})(?:人民政府|办事处)"
    else:
        pattern = rf"({NAME_CHARS}{{2,20}}?{kind})(?![{CJK}]{{0,1}}(?:网站|门户|官网|网))"
    names: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in re.finditer(pattern, head):
        s, e = m.span(0) if kind in ("乡", "镇", "街道") else m.span(1)
        nm = norm[s:e]
        if _BAD_NAME_START.search(nm) or (s > 0 and re.match(r"[A-Za-z0-9_]", norm[s - 1])):
            continue
        if kind not in ("乡", "镇", "街道") and not _has_place(nm, registry):
            continue
        names[nm] += 1
        first.setdefault(nm, (s, e))
    if not names:
        return
    nm, _ = max(names.items(), key=lambda kv: (kv[1], -first[kv[0]][0]))
    s, e = first[nm]
    a = finish_agency(printed[s:e], nm, registry, md.warnings)
    if a:
        md.agency = a
        md.warnings.append("agency inferred from self-reference (我" + kind + ")")
