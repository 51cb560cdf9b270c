"""Grow lexicon hits into the injected phrases a mirror wrote into the page.

1. Hits of the lexicon that lie close together form a *core* (``365体育`` … ``打不开网址``).
2. A core that occurs several times is extended by *consensus*: left and right while every
   occurrence has the same neighbour, never over punctuation, an administrative suffix
   (市, 县 …) or a template word (人民政府, 信息公开 …).  The brand ``英国威廉希尔公司`` is the
   longest string common to all its contexts (``英国威廉希尔公司市政府``, ``…公司、市政府``).
3. A core seen once is extended over Latin letters/digits, filler words (app, 官网, 下载,
   苹果版 …, data/spam_filler.txt) and whole ``_``-separated chain segments.
4. The phrase is kept when its score (hits + bonuses for a ``_`` chain, repetition and a
   template slot) reaches 1.0 and it has one strong hit or some structural evidence.
5. Fillers of template slots that are not places (slots.slot_fillers) are phrases too
   when they look like a brand (betting words, Latin letters or digits mixed in, a chain)
   or fill place slots repeatedly: brands the lexicon does not know (``博发体育人民政府``).
   A slot filler also fixes where a lexicon phrase begins (大富豪 + 国际娱乐官网).
6. A phrase never ends inside a department name or before a town (万博体育|局 → 万博,
   万博枫林|镇 → 万博), and a longer phrase seen far less often than a shorter one inside
   it is dropped in favour of the shorter.

>>> [p.text for p in find_phrases("由365bet网上娱乐_365体育平台网址人民政府办公室编制。以及365bet网上娱乐_365体育平台网址有关要求")]
['365bet网上娱乐_365体育平台网址']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gxcrawl.parse.spam import slots
from gxcrawl.parse.spam.lexicon import Hit, scan

from gxcrawl.data import DATA
CORE_GAP = 2          # hits at most this many characters apart form one core
MIN_CORE = 0.6        # a core needs one hit at least this heavy
THRESHOLD = 1.0
ASCII_RUN = re.compile(r"[0-9a-z]+")


@dataclass
class Phrase:
    text: str                          # as in the normalised text
    spans: list[tuple[int, int]]       # occurrences in the normalised text
    score: float
    hits: list[str] = field(default_factory=list)
    standalone: bool = False           # the phrase is a whole line (an injected title)
    slot: str | None = None            # template word that follows it most often

    def as_evidence(self) -> str:
        return f"{len(self.spans)}× lexicon {', '.join(sorted(set(self.hits))[:6])}"


@lru_cache(maxsize=1)
def filler_words() -> tuple[str, ...]:
    path = DATA / "spam_filler.txt"
    words = [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()
             if w.strip() and not w.startswith("#")] if path.exists() else []
    return tuple(sorted(set(words), key=len, reverse=True))


def cores(hits: list[Hit], text: str = "") -> list[tuple[int, int]]:
    """Cluster hits into [start, end) cores (never across punctuation); drop clusters of
    weak hits only.

    >>> from gxcrawl.parse.spam.lexicon import scan
    >>> t = "通过平台下载,365体育怎么打不开网址"
    >>> cores(scan(t), t)
    [(7, 19)]
    """
    out, cur, heavy = [], None, 0.0
    for hit in hits:
        if cur and hit.start - cur[1] <= CORE_GAP and not any(
                slots.is_boundary(ch) for ch in text[cur[1]:hit.start]):
            cur = (cur[0], max(cur[1], hit.end))
            heavy = max(heavy, hit.weight)
            continue
        if cur and heavy >= MIN_CORE:
            out.append(cur)
        cur, heavy = (hit.start, hit.end), hit.weight
    if cur and heavy >= MIN_CORE:
        out.append(cur)
    return out


def occurrences(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + len(needle))
    return out


# what betting sites append to a brand: 开云体育(中国)官方网站, 华体会(中国)官网,
# 澳门新葡京(官方), bet365【官方认证】
BRAND_TAIL_RE = re.compile(r"[((]中国[))](?:官方网站|官方网|官网|官方平台|官方入口|有限公司)?|官方网站"
                           r"|[((【\[](?:官方|官网|认证|官方认证|官方授权|正版|中文版|app|官方入口)[))】\]]")


def brand_tail(text: str, pos: int) -> str:
    """The ``(中国)官方网站`` or ``【官方认证】`` tail of a brand starting at `pos`, or "".

    >>> brand_tail("澳门新葡京(官方)人民政府", 5), brand_tail("bet365【官方认证】政府", 6)
    ('(官方)', '【官方认证】')
    """
    m = BRAND_TAIL_RE.match(text, pos)
    return m.group() if m else ""


# template words a phrase growing left stops at (三明市人民政府办公室|BRAND印发…)
LEFT_TEMPLATE_WORDS = ("办公室", "办公厅", "人民政府", "国务院", "委员会")


def extend_consensus(text: str, starts: list[int], length: int) -> tuple[int, int]:
    """Grow all occurrences together; return (left growth, right growth)."""
    left = 0
    while True:
        pos = [s - left - 1 for s in starts]
        if min(pos) < 0:
            break
        ch = text[pos[0]]
        if all(text[p] == ch and slots.joins_brand(text, p, -1) for p in pos):
            left += 1
            continue
        if any(text[p] != ch for p in pos) or slots.is_boundary(ch) or ch in slots.ADMIN_CHARS:
            break
        if any(text.endswith(word, 0, pos[0] + 1) for word in LEFT_TEMPLATE_WORDS):
            break               # …办公室|BRAND: the template word is not part of the brand
        left += 1
    right = 0
    while True:
        pos = [s + length + right for s in starts]
        if max(pos) >= len(text):
            break
        tail = brand_tail(text, pos[0])
        if tail and all(text.startswith(tail, p) for p in pos):
            right += len(tail)
            continue
        ch = text[pos[0]]
        if all(text[p] == ch and slots.joins_brand(text, p, 1) for p in pos):
            right += 1
            continue
        if any(text[p] != ch for p in pos) or slots.is_boundary(ch):
            break
        if any(slots.stops_right(text, p) for p in pos) or slots.town_at(text, pos[0]):
            break
        right += 1
    return left, right


def extend_alone(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a single occurrence over Latin runs, filler words and chain segments."""
    fillers = filler_words()
    while end < len(text):
        tail = brand_tail(text, end)
        if tail:
            end += len(tail)
            continue
        m = ASCII_RUN.match(text, end)
        if m:
            end = m.end()
            continue
        if text[end] == "_":
            seg_end = end + 1
            while seg_end < len(text) and not slots.is_boundary(text[seg_end]) \
                    and text[seg_end] != "_" and not slots.stops_right(text, seg_end):
                seg_end += 1
            if seg_end == end + 1:
                break
            end = seg_end
            continue
        word = next((w for w in fillers if text.startswith(w, end)), None)
        if word is None or slots.stops_right(text, end):
            break
        end += len(word)
    while start > 0:
        ch = text[start - 1]
        if ch.isascii() and ch.isalnum():
            start -= 1
            continue
        if ch == "_":
            seg = start - 1
            while seg > 0 and not slots.is_boundary(text[seg - 1]) and text[seg - 1] != "_" \
                    and text[seg - 1] not in slots.ADMIN_CHARS:
                seg -= 1
            if seg == start - 1:
                break
            start = seg
            continue
        word = next((w for w in fillers if text.endswith(w, 0, start)), None)
        if word is None:
            break
        start -= len(word)
    return start, end


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end


# words of a report title: a chain on a line with these replaced a place in the title
# (365bet…人民政府2022年政府信息公开工作年度报告), it is not the whole line
TITLE_WORDS_RE = re.compile(r"政府|报告|公开|年度|办公|局|委员会|中心|街道|\d{4}年")


def trim_right(text: str, phrase: str, starts: list[int]) -> str:
    """Cut a phrase that ends inside a template word continuing after it (万博体育|局 →
    万博, when every occurrence is followed by 局 so that 体育局 is the department)."""
    if not starts:
        return phrase
    for k in range(max(1, len(phrase) - 5), len(phrase)):
        if all((m := slots.STOP_RIGHT_RE.match(text, s + k)) and (
                m.end() > s + len(phrase) or m.end() == s + len(phrase) and m.group() in slots.DEPARTMENT_SET)
               for s in starts):
            return phrase[:k]
    return phrase


def grow(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """The full phrase around core [start, end) and the starts of its occurrences."""
    core = text[start:end]
    starts = occurrences(text, core)
    if len(starts) >= 2:
        left, right = extend_consensus(text, starts, len(core))
        phrase = text[start - left:end + right]
    else:
        s, e = extend_alone(text, start, end)
        phrase = text[s:e]
        # a lone `_` chain that fills its whole line is an injected title: take the line
        ls, le = line_bounds(text, s, e)
        line = text[ls:le].strip()
        if "_" in line and phrase in line and not any(slots.is_boundary(c) for c in line if c != " ") \
                and not TITLE_WORDS_RE.search(line.replace(phrase, "|")):
            phrase = line
    phrase = trim_right(text, phrase, occurrences(text, phrase))
    return phrase, occurrences(text, phrase)


def score_phrase(text: str, phrase: str, spans) -> tuple[float, list[str], float, str | None]:
    """Score = lexicon hits + bonuses; returns (score, hit terms, strongest hit, slot)."""
    hits = scan(phrase)
    base = sum(h.weight for h in hits)
    strongest = max((h.weight for h in hits), default=0.0)
    bonus = 0.0
    if phrase.count("_") >= 1 and len(phrase) >= 8:
        bonus += 0.3
    if len(spans) >= 3:
        bonus += 0.2
    followers = [slots.slot_after(text, e) for _, e in spans]
    named = [f for f in followers if f]
    slot = max(set(named), key=named.count) if named else None
    if slot and len(named) * 2 >= len(spans):
        bonus += 0.4
    return base + bonus, [h.term for h in hits], strongest if bonus == 0 else max(strongest, bonus), slot


# ---------------------------------------------------------------------------------------
# SEO keyword chains: segments joined by underscores or odd punctuation that repeat one stem
# (鼎盛官方app_鼎盛投注_鼎盛体育财政局, 金皇朝体育_金皇朝官网@:枫林镇人民政府): the stem is a
# brand whether or not the lexicon knows its words
CHAIN_SEP_RE = re.compile(r"[_丨@][_丨@:：]*")
SEPARATOR_CHARS = re.compile(r"[_丨@:：]")
SEGMENT_CHAR = re.compile(r"[0-9a-z\u4e00-\u9fff·]")
MAX_SEGMENT = 16
CHAIN = 0.7            # a chain of segments sharing a stem that is no place or template word
CHAIN_IN_SLOT = 0.4    # … standing where a name goes (before 人民政府, a department, a town, a title)
# stems made of the words of pages and templates, not brands
TEMPLATE_STEM_RE = re.compile(r"政府|信息|公开|政务|年报|报告|首页|通知|公告|新闻|动态|工作|专栏|栏目|部门|办公|"
                              r"人民|网站|门户|服务|中心|政策|文件|解读|图片|视频|\d{4}年")


YEAR_AT_RE = re.compile(r"(?:19|20)\d{2}年")
BRAND_WORDS = ("体育", "娱乐", "国际", "棋牌", "彩票", "电子", "游戏", "会员", "投注", "开户", "真人", "视讯", "电竞",
               "娱乐城", "娱乐场", "平台", "官方入口", "登录入口")


def brand_tail_end(text: str, pos: int, limit: int = MAX_SEGMENT) -> int:
    """Where the brand words after `pos` end: Latin letters and digits, filler words (app,
    官网, 下载 …) and betting words (体育, 娱乐 …), nothing else (…app|太白湖新区)."""
    end, stop = pos, min(len(text), pos + limit)
    words = filler_words() + BRAND_WORDS
    while end < stop:
        m = ASCII_RUN.match(text, end)
        if m:
            end = m.end()
            continue
        word = next((w for w in words if text.startswith(w, end)), None)
        if word is None or slots.stops_right(text, end) or slots.town_at(text, end):
            break
        end += len(word)
    return min(end, stop)


def chain_at(text: str, sep: int) -> tuple[int, list[tuple[int, int]], int] | None:
    """The chain around the separator at `sep`: (start, segment spans, end of the last
    separator) when at least two segments are joined, else None. The segment after the last
    separator is taken up to its brand words only."""
    start = sep
    while start > 0 and SEGMENT_CHAR.match(text[start - 1]) and sep - start < MAX_SEGMENT:
        start -= 1
    spans, pos = [(start, sep)], sep
    while True:
        m = CHAIN_SEP_RE.match(text, pos)
        if not m:
            break
        seg_start = seg_end = m.end()
        while seg_end < len(text) and SEGMENT_CHAR.match(text[seg_end]) and seg_end - seg_start < MAX_SEGMENT:
            seg_end += 1
        if not CHAIN_SEP_RE.match(text, seg_end):          # the last segment
            spans.append((seg_start, seg_start))
            return (start, spans, m.end()) if len(spans) >= 2 else None
        spans.append((seg_start, seg_end))
        pos = seg_end
    return None


def chain_stem(segments: list[str]) -> str:
    """The stem most segments open with (two characters at least), or ""."""
    best = ""
    for i, a in enumerate(segments):
        for b in segments[i + 1:]:
            n = 0
            while n < min(len(a), len(b)) and a[n] == b[n]:
                n += 1
            if n >= 2 and n > len(best):
                best = a[:n]
    return best


def find_chains(text: str, registry) -> list[tuple[int, int, str]]:
    """(start, end, stem) of the SEO chains in `text`: segments joined by ``_`` (丨, @:)
    of which two or more open with one stem that is no place and no template word.

    >>> from gxcrawl.regions import load_registry
    >>> t = "金皇朝体育_金皇朝官网@:枫林镇人民政府。鼎盛官方app_鼎盛投注_鼎盛体育太白湖新区"
    >>> [t[s:e] for s, e, _ in find_chains(t, load_registry())]
    ['金皇朝体育_金皇朝官网@:', '鼎盛官方app_鼎盛投注_鼎盛体育']
    >>> find_chains("三明市统计局2019年报告_三明市人民政府门户网站。001008003014056_永嘉县", load_registry())
    []
    """
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in CHAIN_SEP_RE.finditer(text):
        if m.start() < pos:
            continue
        found = chain_at(text, m.start())
        if found is None:
            continue
        start, spans, last_sep = found
        pos = last_sep
        whole = [slots.strip_ids(text[a:b]) for a, b in spans[:-1]]
        # the last segment: a further one when it opens with the stem of the others
        stem = chain_stem([w for w in whole if w])
        tail_start = spans[-1][0]
        if stem and text.startswith(stem, tail_start):
            end = brand_tail_end(text, tail_start + len(stem))
        else:
            end = last_sep
        if len(stem) < 2:
            stem = chain_stem([w for w in whole if w] + [text[tail_start:tail_start + MAX_SEGMENT]])
            end = brand_tail_end(text, tail_start + len(stem)) if stem and text.startswith(stem, tail_start) else end
        if len(stem) < 2 or stem.isdigit() or TEMPLATE_STEM_RE.search(stem) or slots.filler_is_place(stem, registry):
            continue
        first = text[start:spans[0][1]]
        lead = len(first) - len(slots.strip_ids(first))
        if not first[lead:].startswith(stem):
            # the words before the first segment's stem are the sentence's (本报告由|鼎盛…)
            cut = first.find(stem, lead)
            lead = cut if cut >= 0 else spans[1][0] - start
        start += lead
        if end - start >= 4 and all(text[a:b] != text[start:end] for a, b, _ in out):
            out.append((start, end, stem))
        pos = end
    return out


def _add_chain(text: str, start: int, end: int, found: dict) -> None:
    """Add the chain at [start, end) as a phrase: cut where a lexicon phrase inside its last
    segment ends (365bet…_365体育平台网址|平台建设), replacing the phrases it contains."""
    for p in found.values():
        for s, e in p.spans:
            if start <= s < e < end and not SEPARATOR_CHARS.search(text, e, end):
                end = e               # the lexicon phrase ends before the chain's last brand words
    chain = text[start:end]
    if chain in found or any(chain in p for p in found):
        return
    for inner in [p for p in found if p in chain]:
        del found[inner]
    occ = [(s, s + len(chain)) for s in occurrences(text, chain)]
    total, terms, strongest, slot = score_phrase(text, chain, occ)
    in_slot = any(slots.slot_after(text, e) or slots.town_at(text, e) or slots.WEAK_SLOT_RE.match(text, e)
                  or YEAR_AT_RE.match(text, e) for _, e in occ)
    total += CHAIN + (CHAIN_IN_SLOT if in_slot else 0.0)
    if total >= THRESHOLD:
        found[chain] = _phrase(text, chain, occ, total, terms + ["chain"], slot)


SLOT_ANOMALY = 0.6     # a filler that is not a place, in a position that must hold one
WEAK_ANOMALY = 0.4     # … in a weaker position (before a department name, 政务公开)
BRAND_SHAPE = 0.4      # … that has betting words or an underscore chain
MIXED_SCRIPT = 0.4     # … that mixes Chinese with Latin letters or digits (永盈88, ky开元)
CJK_RE = re.compile(r"[\u4e00-\u9fff]{2,}")
MIXED_RE = re.compile(r"[\u4e00-\u9fff][0-9a-z]|[0-9a-z][\u4e00-\u9fff]")


def find_phrases(text: str, hits: list[Hit] | None = None, registry=None) -> list[Phrase]:
    """Injected phrases of normalised `text`, longest first."""
    hits = scan(text) if hits is None else hits
    spans = cores(hits, text)
    found: dict[str, Phrase] = {}
    grown: dict[str, str] = {}
    for start, end in spans:
        core = text[start:end]
        if core in grown:                       # same core seen before: same phrase
            continue
        phrase, starts = grow(text, start, end)
        grown[core] = phrase
        phrase = slots.strip_ids(phrase.strip(" _"))
        if len(phrase) < 2 or phrase in found:
            continue
        occ = [(s, s + len(phrase)) for s in occurrences(text, phrase)]
        total, terms, strongest, slot = score_phrase(text, phrase, occ)
        if total < THRESHOLD or strongest < THRESHOLD and total < THRESHOLD + 0.3:
            continue
        found[phrase] = _phrase(text, phrase, occ, total, terms, slot)
    if registry is not None:
        for start, end, _stem in find_chains(text, registry):
            _add_chain(text, start, end, found)
        for filler, count in slots.template_fillers(text).items():
            _add_template_filler(text, filler, count, found)
        for filler, strong, weak in slots.slot_fillers(text, registry):
            _add_slot_filler(text, filler, strong, weak, found, registry)
    # drop phrases contained in longer ones — unless the shorter one is written far more
    # often (豪门棋牌 ×18 inside a stray 豪门棋牌委 ×1: the longer one is the mistake)
    ordered = sorted(found.values(), key=lambda p: -len(p.text))
    dropped = set()
    for i, long in enumerate(ordered):
        for short in ordered[i + 1:]:
            if short.text in long.text and short.text not in dropped and long.text not in dropped:
                if len(long.spans) * 2 >= len(short.spans):
                    dropped.add(short.text)
                else:
                    dropped.add(long.text)
    return [p for p in ordered if p.text not in dropped]


TEMPLATE_ANOMALY = 0.6   # a filler where the template writes a fixed word (《中华人民共和国X公开条例》)


def _add_template_filler(text: str, filler: str, count: int, found: dict) -> None:
    """Add a filler of the template's fixed-word positions when it looks like a brand or
    stands there twice or more, and the page writes it elsewhere too (a mirror swaps the
    word everywhere)."""
    filler = filler.strip(" _")
    if len(filler) < 2 or any(filler in p or p in filler for p in found):
        return
    occ = [(s, s + len(filler)) for s in occurrences(text, filler)]
    brand_like = slots.is_brand_like(filler)
    if not brand_like and (count < 2 or len(occ) < 3):
        return
    total, terms, _, slot = score_phrase(text, filler, occ)
    total += TEMPLATE_ANOMALY + (BRAND_SHAPE if brand_like else 0.0) + (0.2 if count >= 2 else 0.0)
    if total >= THRESHOLD:
        found[filler] = _phrase(text, filler, occ, total, terms + ["template word"], slot)


def _phrase(text, phrase, occ, total, terms, slot) -> Phrase:
    standalone = any(text[ls:le].strip() == phrase
                     for ls, le in (line_bounds(text, s, e) for s, e in occ))
    return Phrase(phrase, occ, round(total, 2), terms, standalone, slot)


def _add_slot_filler(text: str, filler: str, strong: int, weak: int, found: dict, registry=None) -> None:
    """Score a non-place slot filler (slots.slot_fillers) and add it when it reaches the
    threshold.  A filler that merely adds words to a lexicon phrase is kept only when the
    words it adds look like a brand too (开云体育 → 开云体育(中国)官方网站)."""
    filler = filler.strip(" _")
    if len(filler) < 2 or filler in found:
        return
    inner = [p for p in found if p in filler]
    if inner:
        extra = filler
        for p in inner:
            extra = extra.replace(p, "")
        # the slot shows where the brand begins (大富豪 + 国际娱乐官网): words the slot
        # adds are taken when occurrences agree on them, or when they are few or brand-like
        if extra and not (strong + weak >= 2 or len(extra) <= 4 or slots.is_brand_like(extra)):
            return
        if extra and registry is not None and slots.filler_is_place(extra, registry):
            return                      # the words after the brand are the place's (…聚宝|新城街道)
    outer = [p for p in found if filler in p]
    if outer:
        return
    brand_like = slots.is_brand_like(filler)
    if not brand_like and (not strong or (strong < 2 or weak > strong) and not scan(filler)):
        return                          # settled before scoring: the common case of a verb
    occ = [(s, s + len(filler)) for s in occurrences(text, filler)]
    total, terms, strongest, slot = score_phrase(text, filler, occ)
    if not brand_like and strongest < MIN_CORE:
        # no brand shape, no lexicon word: only a filler repeated in place slots, and not a
        # two-character name before 市/县/区 (襄樊市: an old name the registry may lack)
        if strong < 2 or weak > strong or not CJK_RE.fullmatch(filler) \
                or slots.maybe_old_place(text, filler):
            return
    if not strong and not brand_like:
        return
    total += SLOT_ANOMALY if strong else WEAK_ANOMALY
    if brand_like:
        total += MIXED_SCRIPT if MIXED_RE.search(filler) else \
            BRAND_SHAPE + (0.2 if slots.brand_marks(filler) >= 2 else 0.0)
    if total < THRESHOLD:
        return
    found[filler] = _phrase(text, filler, occ, total, terms + ["slot:" + (slot or "人民政府")], slot)
