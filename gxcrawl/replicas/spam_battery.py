"""A synthetic generalisation battery for gxcrawl.parse.spam: spam mirrors made from real official
report texts the way gambling sites make them, and the official texts themselves as negatives.

The labels are written by hand per source (which names a mirror may replace, the portal
host, and the *traces* that let a person tell the replaced place from the text) and carried
through the transformations by the generator; nothing here calls the detector.

Mirrors (seeded, deterministic):

* the place name (full ``三明市`` or short ``三明``) replaced everywhere, or only in the
  template slots (title line, before 人民政府 / 政府 / 政务服务管理局 / 委);
* a brand from a varied list — brands the lexicon knows, real brands it may not know, and
  invented brands in real shapes (``鼎盛娱乐城官网_鼎盛体育app下载``, ``博发体育(中国)官方网站``);
* served on a non-government host, with the original URL path or a mirror's own;
* optionally the portal domain and e-mail domains rewritten to the mirror's domain;
* optionally converted to traditional characters with pinyin glosses (``政務(wù)``);
* cut to the start of the page (like shared/samples/pages) or kept whole.

Other spam: a department name replaced (``三明市X办公室``: a mirror, but no place to restore),
a porn/gambling title chain on top of a copied report, only the portal domain rewritten.

Negatives: each official text on its official host, the same republished unmodified on a
news host (sometimes in traditional characters), and official texts that legitimately say
体育彩票, 打击赌博, 澳门特别行政区, 金沙县, 永利街道, 全年365天, 政务服务app下载 ….

``labels`` follow shared/samples/pages: is_spam_mirror, spam_phrases (as written in the
text), replaced_name (only when a hand-listed trace survives in the page), official_host,
host.

>>> replace_name("三明市人民政府办公室报告\\n由三明市人民政府编制,新三明建设", "三明市", "X", "slots")
'X人民政府办公室报告\\n由X人民政府编制,新三明建设'
>>> to_traditional("政务公开", glosses=True)
'政務(wù)公開(kāi)'
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

SHARED = Path(__file__).resolve().parents[3] / "shared"


# ---------------------------------------------------------------------------------------
# sources: real official texts with hand-written facts
@dataclass
class Source:
    key: str
    text: str
    url: str                      # where the official page lives
    official_host: str
    names: tuple[str, ...]        # what a mirror may replace: full name, short name
    # strings that, when one survives in the mirror, let a reader tell the replaced place
    # (postcode, area code, e-mail prefix, 索引号, the county's towns, the portal domain)
    traces: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # portal / e-mail domains written in the text
    department: str = ""          # a department name a mirror may replace instead


# per source: path (seed or sample page), official url/host, names, traces, domains, department
SOURCE_FACTS = [
    ("seeds/000_*.txt", "http://www.sm.gov.cn/zwgk/zfxxgk/zfxxgknb/202001/t20200131_1.htm",
     "www.sm.gov.cn", ("三明市", "三明"), ("0598", "smgkb", "sm.gov.cn"), ("www.sm.gov.cn",), "人民政府办公室"),
    ("seeds/001_*.txt", "http://www.anshun.gov.cn/zwgk/xxgkml/zfxxgknb/202101/t20210129_1.html",
     "www.anshun.gov.cn", ("安顺市", "安顺"), ("561000", "0851", "asxxgk"), (), "政府办公室"),
    ("seeds/004_*.txt", "http://www.jiaocheng.gov.cn/zwgk/zfxxgknb/201901/t20190122_1.htm",
     "www.jiaocheng.gov.cn", ("蕉城区", "蕉城"), ("jczfxxgk",), (), ""),
    ("samples/pages/003.json", None, "www.fzja.gov.cn", ("晋安区", "晋安"), ("jaq.fuzhou",),
     ("jaq.fuzhou.gov.cn",), ""),
    ("samples/pages/009.json", None, "www.jining.gov.cn", ("济宁市", "济宁"), ("0537", "jining.gov.cn"),
     ("www.jining.gov.cn",), "体育局"),
    ("samples/pages/012.json", None, "tyj.sc.gov.cn", ("四川省", "四川"), (), (), "体育局"),
    ("samples/pages/015.json", None, "tysyfzzx.huangshi.gov.cn", ("黄石市", "黄石"), (), (), "体育事业发展中心"),
    ("samples/pages/030.json", None, "ht.sanya.gov.cn", ("海棠区", "海棠"), ("htqsite",),
     ("www.sanya.gov.cn",), ""),
    ("samples/pages/039.json", None, "ccsjtysj.changchun.gov.cn", ("长春市", "长春"), ("changchun",),
     ("ccsjtysj.changchun.gov.cn",), "交通运输局"),
    # (its 索引号 mlsjtysj alone would not tell a reader which place it is)
    ("samples/pages/042.json", None, "www.hhml.gov.cn", ("弥勒市", "弥勒"), (), (), "交通运输局"),
    ("samples/pages/054.json", None, "www.yj.gov.cn", ("永嘉县", "永嘉"), ("325112", "枫林镇"), (), ""),
    ("samples/pages/057.json", None, "qqhr.gov.cn", ("齐齐哈尔市", "齐齐哈尔"), (), (), ""),
    ("samples/pages/060.json", "http://www.baoji.gov.cn/site/1/html/126/132/1.htm", "www.baoji.gov.cn",
     ("宝鸡市", "宝鸡"), (), (), "体育局"),
    ("samples/pages/063.json", None, "www.cqjlp.gov.cn", ("九龙坡区", "九龙坡"), ("二郎街道",), (), ""),
]

# official pages used only as negatives (their text names no place a mirror would replace)
NEGATIVE_ONLY = ["samples/pages/018.json", "samples/pages/048.json", "samples/pages/078.json",
                 "samples/pages/084.json"]


def _read(rel: str) -> tuple[str, str | None] | None:
    if "*" in rel:
        found = sorted(SHARED.glob(rel))
        return (found[0].read_text(encoding="utf-8"), None) if found else None
    path = SHARED / rel
    if not path.exists():
        return None
    page = json.loads(path.read_text(encoding="utf-8"))
    return page["text"], page["url"]


@lru_cache(maxsize=1)
def load_sources() -> tuple[list[Source], list[Source]]:
    """(mirror sources, negative-only sources) available under ../shared."""
    sources, negatives = [], []
    for rel, url, host, names, traces, domains, dept in SOURCE_FACTS:
        got = _read(rel)
        if got is None:
            continue
        text, page_url = got
        url = url or page_url
        if host not in (urlsplit(url).hostname or ""):     # official page on its own host
            url = f"http://{host}/zwgk/zfxxgknb/2020/t20200101_1.html"
        sources.append(Source(rel, text, url, host, names, traces, domains, dept))
    for rel in NEGATIVE_ONLY:
        got = _read(rel)
        if got is not None:
            text, url = got
            negatives.append(Source(rel, text, url, urlsplit(url).hostname, ()))
    return sources, negatives


# ---------------------------------------------------------------------------------------
# brands
# in the lexicon (gxcrawl/data/spam_brands.txt) when the battery was written
KNOWN_BRANDS = [
    "365网站手机打不开_365体育怎么打不开网址_365数字含义", "英国威廉希尔公司",
    "365bet网上娱乐_365BETAPP官网_365体育平台网址", "伟德app官网下载苹果版安装", "36500365体育在线投注",
    "澳门新葡京娱乐官网", "华体会", "乐鱼体育", "九游会", "亚博体育", "kaiyun", "开云体育app官方下载",
    "必威betway", "澳门金沙js3833", "bet365体育在线", "ayx爱游戏", "半岛体育", "雷竞技raybet",
    "bob体育官网", "manbetx万博", "188bet金宝博", "澳门银河官网", "太阳城娱乐", "皇冠体育",
]
# real brands the lexicon did not know when the battery was written
REAL_BRANDS = [
    "威尼斯人娱乐场", "开元棋牌", "博亚体育", "pg电子", "必威", "新濠天地", "美高梅", "尊龙凯时",
    "龙8国际", "千亿体育", "鸭脖体育", "博天堂", "利来国际", "大发快三", "k8凯发", "火狐体育",
    "ky开元棋牌", "凤凰彩票", "金宝博", "od体育", "ag亚游", "bwin必赢", "博狗", "优德88",
    "半岛·体育中国官方网", "乐鱼·体育", "开云·体育(中国)官方网站",
]
# invented names in the shapes real ones take
INVENTED = ["鼎盛", "金鼎", "星耀", "博发", "恒达", "鸿运", "盛世", "金皇朝", "永盈", "新锦江", "大富豪",
            "利都", "豪门", "汇赢", "百乐门", "天成", "聚宝", "金銮"]
SHAPES = [
    "{x}娱乐城官网_{x}体育app下载", "{x}国际", "{x}体育", "{x}娱乐", "{x}棋牌", "{x}彩票app",
    "{x}国际娱乐官网", "{x}体育(中国)官方网站", "{x}电子游戏", "{x}平台登录入口", "{x}会员登录",
    "{x}体育_{x}官方入口_{x}app", "{L}{x}", "{x}{L}",
    "{x}·体育", "{x}·体育(中国)官方网站", "{x}·娱乐官网",          # the middle dot of 半岛·体育
]
LATIN = ["vip", "888", "js", "hg", "yb", "bk", "ob", "m6", "88"]


def brand_list(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """n brands as (brand, family) with family in known | real | invented."""
    out = [(b, "known") for b in KNOWN_BRANDS] + [(b, "real") for b in REAL_BRANDS]
    while len(out) < n:
        shape = rng.choice(SHAPES)
        brand = shape.format(x=rng.choice(INVENTED), L=rng.choice(LATIN))
        out.append((brand, "invented"))
    rng.shuffle(out)
    return out[:n]


# ---------------------------------------------------------------------------------------
# transformations
SLOT_AFTER = re.compile(r"(?:[市县区])?(?:人民政府|政府|政务服务管理局|委|市委|党委)")


SENTINEL = "\ue000"          # where the brand goes, kept through the script conversion


def replace_name(text: str, name: str, brand: str, scope: str) -> str:
    """Replace `name` by `brand` everywhere, or only in the slots (the first line, and
    before 人民政府 / 政府 / 政务服务管理局 / 委)."""
    if scope == "all":
        return text.replace(name, brand)
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    out = []
    for i, line in enumerate(lines):
        if i == first or (i <= first + 3 and "年度报告" in line):
            out.append(line.replace(name, brand))
            continue
        pieces, pos = [], 0
        for m in re.finditer(re.escape(name), line):
            if SLOT_AFTER.match(line, m.end()):
                pieces.append(line[pos:m.start()] + brand)
                pos = m.end()
        pieces.append(line[pos:])
        out.append("".join(pieces))
    return "\n".join(out)


@lru_cache(maxsize=None)
def _s2t_char(ch: str) -> str:
    return _opencc().convert(ch)


@lru_cache(maxsize=1)
def _opencc():
    from opencc import OpenCC
    return OpenCC("s2t")


@lru_cache(maxsize=None)
def _gloss(ch: str) -> str:
    from pypinyin import Style, pinyin
    syl = pinyin(ch, style=Style.TONE)[0][0]
    return f"({syl})" if re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ]", syl) else ""


def to_traditional(text: str, glosses: bool) -> str:
    """Character by character (so a brand converts the same alone and in the page), with a
    pinyin gloss after each converted character when `glosses`."""
    out = []
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            trad = _s2t_char(ch)
            out.append(trad + (_gloss(ch) if glosses and trad != ch else ""))
        else:
            out.append(ch)
    return "".join(out)


def mirror_host(rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    label = "".join(rng.choice(letters) for _ in range(rng.randint(5, 9)))
    return rng.choice(["www.", "m.", "", "www."]) + label + rng.choice([".com", ".com", ".net", ".cn", ".org", ".top"])


def mirror_url(rng: random.Random, official_url: str, host: str) -> str:
    parts = urlsplit(official_url)
    if rng.random() < 0.6:               # mirrors usually keep the copied path
        path = parts.path + (f"?{parts.query}" if parts.query else "")
    else:
        path = rng.choice([f"/html/col{rng.randint(10**9, 10**10)}.html", f"/news/{rng.randint(100, 99999)}.html",
                           f"/{rng.randint(1000, 9999)}/index.html"])
    return f"{rng.choice(['http', 'https'])}://{host}{path}"


def excerpt(text: str, rng: random.Random) -> str:
    """The start of the page, as the sample pages are captured (700-1000 characters)."""
    n = rng.randint(700, 1000)
    return text[:n]


# ---------------------------------------------------------------------------------------
@dataclass
class Case:
    id: str
    kind: str          # mirror | department | title-chain | domain-only | official | republished | trap
    text: str
    url: str
    labels: dict
    notes: dict = field(default_factory=dict)


def _labels(is_mirror, phrases, replaced, official_host, url) -> dict:
    return {"is_spam_mirror": is_mirror, "spam_phrases": phrases, "replaced_name": replaced,
            "official_host": official_host, "host": urlsplit(url).hostname}


def make_mirror(src: Source, brand: str, rng: random.Random, idx: int, family: str) -> Case | None:
    name = rng.choice(src.names)
    scope = rng.choice(["all", "all", "slots"])
    host = mirror_host(rng)
    url = mirror_url(rng, src.url, host)
    text = src.text
    cut = rng.random() < 0.75
    if cut:
        # the excerpt must reach the first slot occurrence of the name, like a real capture
        text = excerpt(text, rng)
    text = replace_name(text, name, SENTINEL, scope)
    rewrite = bool(src.domains) and rng.random() < 0.5
    if rewrite:
        for domain in src.domains:
            text = text.replace(domain, host)
    # identifiable: a hand-listed trace, or the place name itself outside the replaced
    # positions, survives (checked before any conversion: a reader reads both scripts)
    traces = list(src.traces) + list(src.names)
    survived = [t for t in traces if t in text]
    trad = rng.random() < 0.2
    glosses = trad and rng.random() < 0.7
    written = brand
    if trad:
        # a glossing converter runs before the brand goes in (the brand stays as written);
        # a plain one may run after (the brand converted with the page)
        text = to_traditional(text, glosses)
        written = brand if glosses else to_traditional(brand, False)
    text = text.replace(SENTINEL, written)
    if written not in text:
        return None
    replaced = name if survived else None
    notes = {"source": src.key, "name": name, "scope": scope, "family": family, "rewrite": rewrite,
             "traditional": trad, "glosses": glosses, "excerpt": cut, "traces": survived}
    return Case(f"mirror-{idx}", "mirror", text, url,
                _labels(True, [written], replaced, src.official_host, url), notes)


def make_department(src: Source, brand: str, rng: random.Random, idx: int) -> Case | None:
    """The department name replaced, the place kept: 三明市X办公室 (spam, nothing to restore)."""
    if not src.department or src.department not in src.text:
        return None
    host = mirror_host(rng)
    url = mirror_url(rng, src.url, host)
    text = excerpt(src.text, rng).replace(src.department, brand)
    if brand not in text:
        return None
    return Case(f"department-{idx}", "department", text, url,
                _labels(True, [brand], None, src.official_host, url), {"source": src.key})


FIXED_WORDS = ("政府信息公开", "政务公开", "关于")


def make_fixed_word(src: Source, brand: str, rng: random.Random, idx: int) -> Case | None:
    """A template word (政府信息公开, 政务公开, 关于) replaced by a brand everywhere, the way
    portal-patterns.md describes; the word is the replaced name when it is written at
    least three times (fewer leaves too little to tell it by)."""
    words = [w for w in FIXED_WORDS if src.text.count(w) >= 3]
    if not words:
        return None
    word = rng.choice(words)
    host = mirror_host(rng)
    url = mirror_url(rng, src.url, host)
    text = src.text.replace(word, brand)
    return Case(f"fixed-{idx}", "fixed-word", text, url,
                _labels(True, [brand], word, src.official_host, url), {"source": src.key, "word": word})


TITLE_CHAINS = [
    "亚洲国产成人精品久久久国产成人一区_韩日欧美一区_亚洲精品aⅴ中文字幕乱码_欧美激情一级精品国产",
    "澳门新葡京娱乐官网_澳门新葡京app下载_澳门新葡京官方网站",
    "开云体育(中国)官方网站_开云app下载",
    "九游会登录入口_九游会官网_九游会app下载",
    "欧美日韩一区二区三区_国产精品久久久久久",
    "bet365体育在线投注_bet365官网入口",
]


def make_title_chain(src: Source, rng: random.Random, idx: int) -> Case:
    chain = rng.choice(TITLE_CHAINS)
    host = mirror_host(rng)
    url = mirror_url(rng, src.url, host)
    text = chain + "\n\n" + excerpt(src.text, rng)
    return Case(f"title-{idx}", "title-chain", text, url, _labels(True, [chain], None, None, url),
                {"source": src.key})


def make_domain_only(src: Source, rng: random.Random, idx: int) -> Case | None:
    """Only the portal domain rewritten to the mirror's own (shared sample 087)."""
    domains = [d for d in src.domains if d in src.text[:1000]]
    if not domains:
        return None
    host = mirror_host(rng)
    if not host.startswith(("www.", "m.")):
        host = "www." + host
    url = mirror_url(rng, src.url, host)
    text = excerpt(src.text, rng)
    if domains[0] not in text:
        return None
    text = text.replace(domains[0], host)
    replaced = domains[0] if any(t in text for t in src.traces) else None
    return Case(f"domain-{idx}", "domain-only", text, url,
                _labels(True, [host], replaced, src.official_host, url), {"source": src.key})


# sentences an official report may really contain, with words of the gambling lexicon
TRAPS = [
    "全年依法公开体育彩票公益金使用情况，接受社会监督。",
    "配合公安机关开展打击赌博违法犯罪专项行动，公开相关通告3条。",
    "与澳门特别行政区政府相关部门签署合作备忘录，并及时公开。",
    "赴金沙县人民政府学习政务公开标准化规范化工作经验。",
    "永利街道办事处按要求公开惠民资金发放信息。",
    "政务服务大厅实行全年365天“不打烊”服务，市民可通过政务服务app下载办事指南。",
    "统一身份认证平台登录入口已在门户网站首页醒目位置设置。",
    "开展棋牌室、游戏厅专项整治，依法查处违规经营场所。",
    "规范福利彩票、体育彩票销售网点管理，公开投注站设置标准。",
    "指导企业办理银行开户、税务登记等事项，公开办事指南。",
    "依法打击跨境赌博和网络赌博，公开典型案例5件。",
    "皇冠镇人民政府、银河街道办事处按时报送年度报告。",
    "组织开展全民健身活动，承办省第十届运动会足球、篮球项目比赛。",
    "本机关官网“政务公开”栏目全年更新信息1200条，官方网址保持稳定。",
]


def insert_traps(text: str, rng: random.Random, k: int = 3) -> str:
    lines = text.split("\n")
    for sentence in rng.sample(TRAPS, k):
        i = rng.randint(1, max(1, min(len(lines) - 1, 12)))
        lines.insert(i, sentence)
    return "\n".join(lines)


NEWS_HOSTS = ["m.longzhounews.com", "www.dekahost.com", "news.qq-mirror.net", "www.sohu.com",
              "www.163.com", "baike.example.org", "m.c3e5.com", "www.doc88.com", "newton.com.tw"]


def build_cases(seed: int = 2024, n_mirrors: int = 160, n_rendered: int = 90) -> list[Case]:
    """All battery cases (empty when ../shared is absent)."""
    rng = random.Random(seed)
    sources, negatives = load_sources()
    if not sources:
        return []
    cases: list[Case] = []
    brands = brand_list(rng, n_mirrors)
    for i, (brand, family) in enumerate(brands):
        for _ in range(5):
            case = make_mirror(rng.choice(sources), brand, rng, i, family)
            if case is not None:
                cases.append(case)
                break
    for i in range(12):
        src = rng.choice([s for s in sources if s.department])
        case = make_department(src, rng.choice(KNOWN_BRANDS[:12] + REAL_BRANDS[:6]), rng, i)
        if case is not None:
            cases.append(case)
    for i in range(8):
        cases.append(make_title_chain(rng.choice(sources + negatives), rng, i))
    for i in range(24):
        case = make_fixed_word(rng.choice(sources), rng.choice(KNOWN_BRANDS[:12]), rng, i)
        if case is not None:
            cases.append(case)
    for i, src in enumerate([s for s in sources if s.domains]):
        case = make_domain_only(src, rng, i)
        if case is not None:
            cases.append(case)
    cases += rendered_cases(rng, n_rendered, brand_list(rng, n_rendered))
    cases += chain_cases(rng, 30)
    cases += fixed_nonreport_cases(rng, 20, brand_list(rng, 20))
    cases += glossed_domain_cases(rng, 15)
    cases += department_url_cases(rng, 25, brand_list(rng, 25))
    cases += archive_id_cases(rng, 15)
    # negatives
    for i, src in enumerate(sources + negatives):
        for j, text in enumerate((src.text, excerpt(src.text, rng))):
            cases.append(Case(f"official-{i}-{j}", "official", text, src.url,
                              _labels(False, [], None, src.official_host, src.url), {"source": src.key}))
            host = rng.choice(NEWS_HOSTS)
            url = f"http://{host}/{rng.choice(['news', 'zx', 'a'])}/{rng.randint(1000, 99999)}.html"
            copy = text if rng.random() < 0.6 else to_traditional(text, rng.random() < 0.5)
            cases.append(Case(f"republished-{i}-{j}", "republished", copy, url,
                              _labels(False, [], None, src.official_host, url), {"source": src.key}))
            trap = insert_traps(text[:1200] if j else text, rng)
            on_gov = rng.random() < 0.5
            turl = src.url if on_gov else url
            cases.append(Case(f"trap-{i}-{j}", "trap", trap, turl,
                              _labels(False, [], None, src.official_host, turl), {"source": src.key}))
    return cases


def rendered_cases(rng: random.Random, n: int, brands: list[tuple[str, str]]) -> list[Case]:
    """Mirrors of reports rendered for places all over the registry (the replica farm's
    report text, gxcrawl/replicas/content.py): a prefecture with its own telephone area code,
    or a county whose address names one of its towns; the place replaced everywhere.  The
    label names the place only where the page tells it: an area code no other city shares,
    a town no other county of that prefecture has.  Plus the same texts unmodified on a
    government host and on a news host."""
    import re as _re
    from gxcrawl.regions import load_registry
    from gxcrawl.replicas.content import ReportSpec, report_sections
    from gxcrawl.parse.spam.slots import town_index
    reg = load_registry()
    by_area: dict[str, list] = {}
    for row in reg.citycodes:
        by_area.setdefault(row.area_code, []).append(row)
    rows = {row.city_short: row for row in reg.citycodes}
    prefectures = [r for r in reg.regions if r.level == "prefecture" and r.short in rows]
    towns_of: dict[str, list[str]] = {}
    for town, codes in town_index().items():
        for code in codes:
            towns_of.setdefault(code, []).append(town)
    out: list[Case] = []
    for i in range(n):
        pref = rng.choice(prefectures)
        row = rows[pref.short]
        region, town, unique = pref, "", len(by_area[row.area_code]) == 1
        if rng.random() < 0.5:
            kids = [k for k in reg.children(pref) if towns_of.get(k.code)]
            if kids:
                region = rng.choice(kids)
                town = rng.choice(sorted(towns_of[region.code]))
                siblings = {t for k in reg.children(pref) if k.code != region.code for t in towns_of.get(k.code, ())}
                unique = town not in siblings
        agency = region.name + rng.choice(["人民政府", "人民政府办公室"])
        spec = ReportSpec(agency, rng.randint(2019, 2024), region=region.name, serial=i,
                          phone=f"{row.area_code}-{rng.randint(2000000, 8999999)}")
        lines = [spec.title] + [_re.sub("<[^>]+>", "", h) for kind, h in report_sections(spec) if kind != "raw"]
        text = "\n".join(lines)
        if town:
            text = text.replace("联系电话", f"地址：{region.name}{town}人民政府大院，联系电话", 1)
        text = text[:rng.randint(700, 1100)]
        brand, family = brands[i % len(brands)]
        mirror = text.replace(region.name, brand)
        host = mirror_host(rng)
        url = f"http://{host}/art/{spec.year + 1}/1/{i % 28 + 1}/art_{rng.randint(1000, 9999)}_{i}.html"
        official = f"www.{''.join(_pinyin(region.short))}.gov.cn"
        out.append(Case(f"rendered-{i}", "mirror", mirror, url,
                        _labels(True, [brand], region.name if unique else None, None, url),
                        {"source": "rendered", "family": family, "name": region.name, "scope": "all",
                         "rewrite": False, "traditional": False, "glosses": False, "excerpt": True,
                         "traces": [row.area_code] + ([town] if town else [])}))
        if i % 3 == 0:
            gov = f"http://{official}/zwgk/{i}.html"
            out.append(Case(f"rendered-official-{i}", "official", text, gov,
                            _labels(False, [], None, official, gov), {"source": "rendered"}))
            news = f"http://{rng.choice(NEWS_HOSTS)}/a/{i}.html"
            out.append(Case(f"rendered-republished-{i}", "republished", text, news,
                            _labels(False, [], None, official, news), {"source": "rendered"}))
    return out


# ---------------------------------------------------------------------------------------
# the kinds the lexicon has not met, each rendered for places across the registry
CHAIN_SHAPES = ["{x}官方app_{x}投注_{x}体育", "{x}体育_{x}官网@:", "{x}娱乐_{x}平台丨{x}入口", "{x}官网_{x}app下载_{x}",
                "{x}国际丨{x}平台丨{x}入口", "{x}体育_{x}登录入口_{x}", "{x}棋牌_{x}官方网站_{x}app@:"]
DEPARTMENT_FOLDERS = [("财政局", "czj"), ("教育局", "jyj"), ("公安局", "gaj"), ("民政局", "mzj"), ("司法局", "sfj"),
                      ("统计局", "tjj"), ("审计局", "sjj"), ("水利局", "slj"), ("体育局", "tyj"), ("林业局", "lyj")]


def _initials(name: str) -> str:
    from pypinyin import Style, lazy_pinyin
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))


def _place_pools(reg):
    """(prefectures with a telephone area code, that area code's cities, towns per county)."""
    from gxcrawl.parse.spam.slots import town_index
    by_area: dict[str, list] = {}
    for row in reg.citycodes:
        by_area.setdefault(row.area_code, []).append(row)
    rows = {row.city_short: row for row in reg.citycodes}
    prefectures = [r for r in reg.regions if r.level == "prefecture" and r.short in rows]
    towns_of: dict[str, list[str]] = {}
    for town, codes in town_index().items():
        for code in codes:
            towns_of.setdefault(code, []).append(town)
    return prefectures, rows, by_area, towns_of


def _report_text(agency: str, region: str, year: int, serial: int, phone: str, extra: str = "") -> str:
    from gxcrawl.replicas.content import ReportSpec, report_sections
    spec = ReportSpec(agency, year, region=region, serial=serial, phone=phone)
    lines = [spec.title] + [re.sub("<[^>]+>", "", h) for kind, h in report_sections(spec) if kind != "raw"]
    if extra:
        lines.insert(1, extra)
    return "\n".join(lines)


def chain_cases(rng: random.Random, n: int) -> list[Case]:
    """A department's or a town's report whose place name the mirror replaced by an SEO chain
    of an invented brand (鼎盛官方app_鼎盛投注_鼎盛体育财政局, 金皇朝体育_金皇朝官网@:枫林镇人民政府),
    in the title and the body; restorable where the area code tells the city."""
    from gxcrawl.regions import load_registry
    reg = load_registry()
    prefectures, rows, by_area, towns_of = _place_pools(reg)
    out = []
    for i in range(n):
        pref = rng.choice(prefectures)
        row = rows[pref.short]
        chain = rng.choice(CHAIN_SHAPES).format(x=rng.choice(INVENTED))
        phone = f"{row.area_code}-{rng.randint(2000000, 8999999)}"
        kids = [k for k in reg.children(pref) if towns_of.get(k.code)]
        if kids and rng.random() < 0.4:
            county = rng.choice(kids)
            town = rng.choice(sorted(towns_of[county.code]))
            agency, name = f"{county.name}{town}人民政府", county.name
            siblings = {t for k in reg.children(pref) if k.code != county.code for t in towns_of.get(k.code, ())}
            unique = len(by_area[row.area_code]) == 1 and town not in siblings
        else:
            dept = rng.choice(DEPARTMENT_FOLDERS)[0]
            agency, name, unique = pref.name + dept, pref.name, len(by_area[row.area_code]) == 1
        year = rng.randint(2019, 2024)
        text = _report_text(agency, name, year, 7000 + i, phone, extra=f"首页 > 政务公开 > {agency}")
        text = text[:rng.randint(800, 1200)].replace(name, chain)
        host = mirror_host(rng)
        url = f"http://{host}/art/{year + 1}/1/{i % 28 + 1}/art_{rng.randint(1000, 9999)}_{i}.html"
        out.append(Case(f"chain-{i}", "mirror", text, url, _labels(True, [chain], name if unique else None, None, url),
                        {"source": "chain", "family": "invented", "name": name, "scope": "all", "rewrite": False,
                         "traditional": False, "glosses": False, "excerpt": True, "traces": [row.area_code]}))
    return out


def guide_text(agency: str) -> str:
    return "\n".join([
        f"{agency}政府信息公开指南",
        "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》（以下简称《条例》），结合本机关工作实际，"
        "编制本指南。",
        "一、主动公开", f"（一）公开范围。依照《中华人民共和国政府信息公开条例》第二十条的规定，{agency}主动公开本机关的"
                       "机构职能、规范性文件、财政预决算等政府信息。",
        "（二）公开方式。主动公开的政府信息通过政府门户网站政府信息公开专栏公开。",
        "二、依申请公开", "（一）受理机构。公民、法人或者其他组织可以向本机关申请获取政府信息。",
        "（二）申请方式。填写《政府信息公开申请表》，通过当面、邮寄或网络提交。",
        "三、监督和救济", f"公民、法人或者其他组织认为{agency}在政府信息公开工作中侵犯其合法权益的，可以依法申请"
                       "行政复议或者提起行政诉讼。推进政务公开标准化规范化，深化政务公开，加强政务公开平台建设。"])


def list_text(agency: str, year: int) -> str:
    """A column's list of its annual reports, with the guide and the regulation linked."""
    rows = [f"{agency}{y}年政府信息公开工作年度报告    {y + 1}-01-{10 + y % 18}" for y in range(year, year - 6, -1)]
    return "\n".join(["政府信息公开年报", *rows, f"{agency}政府信息公开指南",
                      "《中华人民共和国政府信息公开条例》全文", "政府信息公开申请表下载"])


def fixed_nonreport_cases(rng: random.Random, n: int, brands: list[tuple[str, str]]) -> list[Case]:
    """A guide or a list of reports (not a report) of a body across the registry whose
    template word (政府信息, 政府信息公开, 政务公开) a brand replaced everywhere:
    《中华人民共和国<brand>公开条例》, X2019年<brand>工作年度报告."""
    from gxcrawl.regions import load_registry
    reg = load_registry()
    places = [r for r in reg.regions if r.level in ("prefecture", "county")]
    out = []
    for i in range(n):
        region = rng.choice(places)
        agency = region.name + rng.choice(DEPARTMENT_FOLDERS)[0]
        page = rng.choice(["guide", "list"])
        text = guide_text(agency) if page == "guide" else list_text(agency, rng.randint(2019, 2024))
        word = rng.choice(["政府信息", "政府信息公开", "政务公开"] if page == "guide" else ["政府信息公开", "政府信息"])
        brand = brands[i % len(brands)][0]
        if word == "政府信息":
            text = text.replace("政府信息", brand)
        else:
            text = text.replace(word, brand)
        host = mirror_host(rng)
        url = f"http://{host}/zwgk/xxgkzn/{rng.randint(1000, 99999)}.html"
        if brand not in text:
            continue
        out.append(Case(f"fixed-{page}-{i}", "fixed-word", text, url, _labels(True, [brand], word, None, url),
                        {"source": "guide", "page": page, "word": word, "family": brands[i % len(brands)][1]}))
    return out


def glossed_domain_cases(rng: random.Random, n: int) -> list[Case]:
    """A report converted to traditional characters with pinyin glosses whose portal domain the
    mirror rewrote to another non-government domain (not its own host), no brand anywhere; and
    the same converted copy with the domain left alone on a news host (no mirror)."""
    from gxcrawl.regions import load_registry
    reg = load_registry()
    prefectures, rows, _, _ = _place_pools(reg)
    out = []
    for i in range(n):
        pref = rng.choice(prefectures)
        domain = f"www.{''.join(_pinyin(pref.short))}.gov.cn"
        extra = f"本年报的电子版可在{pref.name}人民政府门户网站（{domain}）下载。"
        text = _report_text(pref.name + "人民政府办公室", pref.name, rng.randint(2013, 2024), 8000 + i,
                            f"{rows[pref.short].area_code}-{rng.randint(2000000, 8999999)}", extra)[:1000]
        rewritten = mirror_host(rng)
        if not rewritten.startswith("www."):
            rewritten = "www." + rewritten
        host = mirror_host(rng)
        url = f"http://{host}/zfxxgk/zfxxgknb/{rng.randint(1000, 99999)}.html"
        copy = to_traditional(text.replace(domain, rewritten), glosses=True)
        out.append(Case(f"glossed-domain-{i}", "domain-only", copy, url, _labels(True, [rewritten], None, domain, url),
                        {"source": "glossed-domain", "family": "none", "name": pref.name, "scope": "domain",
                         "rewrite": True, "traditional": True, "glosses": True, "excerpt": True, "traces": []}))
        news = f"http://{rng.choice(NEWS_HOSTS)}/a/{8000 + i}.html"
        out.append(Case(f"glossed-copy-{i}", "republished", to_traditional(text, glosses=True), news,
                        _labels(False, [], None, domain, news), {"source": "glossed-domain"}))
    return out


def department_url_cases(rng: random.Random, n: int, brands: list[tuple[str, str]]) -> list[Case]:
    """A city department's report on a mirror that replaced the city everywhere and kept the
    original's department folder in the path (/<city initials><department initials>/: /smczj/ =
    三明市财政局); no area code in the text. The city is told only where no other prefecture has
    its initials."""
    from gxcrawl.regions import load_registry
    reg = load_registry()
    prefectures = [r for r in reg.regions if r.level == "prefecture" and len(_initials(r.short)) >= 2]
    # what a folder's letters may spell: a prefecture's initials, or a county's with the letter
    # of its suffix (安陆市 = a-l-s, like 阿拉善)
    by_initials: dict[str, list] = {}
    for r in prefectures:
        by_initials.setdefault(_initials(r.short), []).append(r)
        if r.name[-1] == "市":
            by_initials.setdefault(_initials(r.short) + "s", []).append(r)
    for r in reg.regions:
        if r.level == "county" and r.name[-1] in "市县区" and r.short:
            by_initials.setdefault(_initials(r.short) + {"市": "s", "县": "x", "区": "q"}[r.name[-1]], []).append(r)
    out = []
    for i in range(n):
        pref = rng.choice(prefectures)
        dept, letters = rng.choice(DEPARTMENT_FOLDERS)
        year = rng.randint(2019, 2024)
        text = _report_text(pref.name + dept, pref.name, year, 9000 + i, f"{rng.randint(2000000, 8999999)}")
        brand, family = brands[i % len(brands)]
        text = text[:rng.randint(700, 1100)].replace(pref.name, brand).replace(pref.short, brand)
        if brand not in text:
            continue
        folder = _initials(pref.short) + letters
        host = mirror_host(rng)
        url = f"http://{host}/{folder}/zwgk/zfxxgknb/{year + 1}01/t{year + 1}0115_{rng.randint(10000, 99999)}.html"
        unique = len(by_initials[_initials(pref.short)]) == 1
        out.append(Case(f"department-url-{i}", "mirror", text, url,
                        _labels(True, [brand], pref.name if unique else None, None, url),
                        {"source": "department-url", "family": family, "name": pref.name, "scope": "all",
                         "rewrite": False, "traditional": False, "glosses": False, "excerpt": True,
                         "traces": [folder]}))
    return out


def archive_id_cases(rng: random.Random, n: int) -> list[Case]:
    """Official reports whose capture opens with an archive id joined to the name by an
    underscore (001008003014056_永嘉县枫林镇人民政府…, 20230130_11545442_…), on the government's
    host and copied to a news host: no mirror (a number is not a brand)."""
    from gxcrawl.regions import load_registry
    reg = load_registry()
    prefectures, rows, _, towns_of = _place_pools(reg)
    out = []
    for i in range(n):
        pref = rng.choice(prefectures)
        kids = [k for k in reg.children(pref) if towns_of.get(k.code)]
        region = rng.choice(kids) if kids else pref
        agency = region.name + rng.choice(["人民政府", "人民政府办公室"])
        if kids and rng.random() < 0.6:        # a town's report: the id runs into 永嘉县枫林镇…
            agency = region.name + rng.choice(sorted(towns_of[region.code])) + "人民政府"
        year = rng.randint(2010, 2024)
        text = _report_text(agency, region.name, year, 9500 + i,
                            f"{rows[pref.short].area_code}-{rng.randint(2000000, 8999999)}")[:900]
        ident = rng.choice([str(rng.randint(10 ** 14, 10 ** 15)), f"{year + 1}0130_{rng.randint(10 ** 7, 10 ** 8)}",
                            str(rng.randint(1000, 99999))])
        text = f"{ident}_{text}"
        gov = f"http://www.{''.join(_pinyin(region.short))}.gov.cn/zwgk/{i}.html"
        news = f"http://{rng.choice(NEWS_HOSTS)}/a/{9500 + i}.html"
        for kind, url in (("official", gov), ("republished", news)):
            out.append(Case(f"archive-id-{kind}-{i}", kind, text, url, _labels(False, [], None, None, url),
                            {"source": "archive-id"}))
    return out


def _pinyin(short: str) -> list[str]:
    from pypinyin import lazy_pinyin
    return lazy_pinyin(short)


def score(cases, analyze) -> dict:
    """The shared-sample scores over `cases`, with `analyze(text, url)` → SpamResult."""
    tp = fp = fn = 0
    restored_ok = restored_n = 0
    official_flagged, misses, false_alarms, bad_restores = [], [], [], []
    host_ok = host_n = phrase_ok = phrase_n = 0
    for case in cases:
        labels = case.labels
        result = analyze(case.text, case.url)
        f = result.findings
        truth, got = bool(labels["is_spam_mirror"]), bool(f["is_mirror"])
        tp += truth and got
        fp += got and not truth
        fn += truth and not got
        if got and not truth:
            false_alarms.append(case)
        if truth and not got:
            misses.append(case)
        if labels["host"] and labels["host"] == labels.get("official_host") and got:
            official_flagged.append(case.id)
        for phrase in labels["spam_phrases"]:
            phrase_n += 1
            phrase_ok += phrase in f["phrases"]
        if truth and labels.get("official_host"):
            host_n += 1
            host_ok += f["official_host"] == labels["official_host"]
        if labels.get("replaced_name"):
            restored_n += 1
            text = result.restore(case.text)
            ok = all(p not in text for p in labels["spam_phrases"]) and any(
                r["original"] == labels["replaced_name"] and r["phrase"] in labels["spam_phrases"]
                for r in f["replacements"]) and labels["replaced_name"] in text
            restored_ok += ok
            if not ok:
                bad_restores.append((case, [(r["phrase"], r["original"], r["confidence"])
                                            for r in f["replacements"]]))
    return {
        "n": len(cases), "tp": tp, "fp": fp, "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "restored": restored_ok / restored_n if restored_n else 1.0, "restored_n": restored_n,
        "official_flagged": official_flagged, "official_host": (host_ok, host_n),
        "phrases": (phrase_ok, phrase_n),
        "misses": misses, "false_alarms": false_alarms, "bad_restores": bad_restores,
    }
