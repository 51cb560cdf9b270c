"""The issuing body of a report: every candidate the head of the page gives, each cleaned
into a body's name, scored by evidence (metadata/evidence.py), with the evidence kept.

Sources and their weights: the report title (in the text, <meta ArticleTitle>, <title>,
the URL; or the line above a title that names no body), a heading over a date line, the
page's 发布机构 / 来源 fields and <meta ContentSource>, the body's own sentences
(metadata/sentences.py: 由X编制, X编制了…, 现公布X2019年…报告, 综合X各县…, the subject of
the first sentences), the signature, 我局 / 本委 with a body of that kind named nearby,
the contact sentence (weak: it names the office that answers), <meta SiteName> (support
only). Cleaning: verbs cut off (请与…), an internal office taken for its body (X局办公室
→ X局; 由X市人民政府办公室综合各县… → X市人民政府), a bare place made its 人民政府, a
name printed without its place (县教育局) completed from the region the host, the URL
and the text agree on (metadata/place.py).

>>> from gxcrawl.parse.metadata.text import normalize, text_lines
>>> printed, norm = normalize("2022年政府信息公开工作年度报告\\n本报告由高楼乡人民政府按照《条例》编制。"
...                           "如有疑问,请联系高楼乡人民政府党政办(电话0537-8381002)。")
>>> choice = find_agency(printed, norm, text_lines(printed, norm, 60), None, {}, None, None, load_registry(), [])
>>> choice.name, [e["source"] for e in choice.evidence]
('高楼乡人民政府', ['由…编制', 'contact'])
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from gxcrawl.parse.metadata.evidence import Candidate, Choice, choose, clip
from gxcrawl.parse.metadata.names import (BAD_NAME_START, finish_agency, has_place,
                                          opens_with_place, page_words_before, parent_body, place_before, placeless_level,
                                          strip_lead)
from gxcrawl.parse.metadata.place import completion_region
from gxcrawl.parse.metadata.sentences import find_mentions
from gxcrawl.parse.metadata.text import CJK, NAME_CHARS, ORG_END, PLACE_END, Line, normalize
from gxcrawl.parse.spam.slots import DEPARTMENT_SET
from gxcrawl.parse.metadata.title import (TitleFound, agency_from_title, body_line_above, heading_over_date,
                                          match_title, title_candidates)
from gxcrawl.regions import Registry, load_registry  # noqa: F401 (doctest)

WEIGHTS = {
    "title": 8.0, "meta:ArticleTitle": 8.0, "page <title>": 6.0, "URL": 5.0, "line above the title": 7.0,
    "heading over a date": 4.0, "由…编制": 5.0, "…编制了": 5.0, "published title": 5.0,
    "whole region": 5.0, "page field": 3.0, "meta:ContentSource": 3.0,
    "subject sentence": 3.0, "signature": 3.0, "self-reference": 2.0, "contact": 1.5, "meta:SiteName": 0.5,
}
# a name with no place and no level word (市场监督管理局) is taken only from these
BARE_NAME_SOURCES = {"title", "meta:ArticleTitle", "page <title>", "URL", "line above the title",
                     "page field", "meta:ContentSource", "published title", "heading over a date"}
_SPACE = re.compile(r"\s")
_SUB_UNIT = re.compile(r"(?<=局|委|府|办|室|厅|心)(?!事处$)[^局委府办室厅心]{1,8}(?:科|股|组|处)$")
_REGION_OFFICE = re.compile(r"(.+?)(?:人民政府|政府)(?:办公室|办公厅)$")
_NOT_A_BODY = re.compile(r"领导小组|工作小组|专班|^(?:办公室|党政办|综合科|本机关|机关|单位|部门)$")
_SIGNATURE_RE = re.compile(rf"({NAME_CHARS}{{3,40}})[\s|]*((?:19|20)\d{{2}})\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日[\s|]*$")
_QUOTED_RE = re.compile(r"《([^》\n]{6,60})》")
_TITLE_SOURCE = {"text": "title", "meta:ArticleTitle": "meta:ArticleTitle", "title": "page <title>",
                 "url": "URL"}


class _Page:
    """What the candidates are read from."""

    def __init__(self, printed: str, norm: str, url: Optional[str], registry: Registry, warnings: list[str]):
        self.printed, self.norm, self.url = printed, norm, url
        self.registry, self.warnings = registry, warnings
        self.raw: list[tuple[str, str, str, str, str]] = []   # printed, norm, source, sentence, role

    def add(self, printed: str, norm: str, source: str, sentence: str, role: str = "issuer") -> None:
        self.raw.append((printed, norm, source, clip(sentence), role))

    def add_span(self, s: int, e: int, source: str, sentence: tuple[int, int], role: str) -> None:
        self.add(self.printed[s:e], self.norm[s:e], source, self.printed[sentence[0]:sentence[1]], role)


def find_agency(printed: str, norm: str, lines: list[Line], found: Optional[TitleFound],
                meta: dict[str, str], doc_title: Optional[str], url: Optional[str], registry: Registry,
                warnings: list[str]) -> Choice:
    """The issuing body the evidence of the page supports best (Choice.name None: none)."""
    page = _Page(printed, norm, url, registry, warnings)
    title_names(page, lines, found, meta, doc_title, url)
    heading = heading_over_date(lines)
    if heading:
        line = heading[1]
        page.add(line.printed.strip(), line.norm.strip(), "heading over a date", line.printed)
    for key, source in (("ContentSource", "meta:ContentSource"), ("contentsource", "meta:ContentSource"),
                        ("SiteName", "meta:SiteName"), ("sitename", "meta:SiteName")):
        if meta.get(key):
            p, n = normalize(meta[key].strip())
            page.add(p, n, source, f'<meta name="{key}" content="{meta[key].strip()}">')
    for m in find_mentions(norm):
        page.add_span(m.start, m.end, m.form, m.sentence, m.role)
    signature(page)
    quoted_titles(page)
    self_reference(page)
    return with_fuller_printing(choose(clean_candidates(page), registry), printed, norm, registry)


def with_fuller_printing(choice: Choice, printed: str, norm: str, registry: Registry) -> Choice:
    """The chosen name as the text prints it with its place, when the name gives no county
    or city of its own (“滨州北海经济开发区”微信公众号 for a report that calls itself
    北海经济开发区; 重庆市九龙坡区二郎街道 for 二郎街道办事处)."""
    if not choice.name:
        return choice
    name_norm = normalize(choice.name)[1]
    if len(name_norm) < 4 or has_place(name_norm, registry):
        return choice
    head = norm[:5000]
    pos = head.find(name_norm)
    while pos >= 0:
        k = place_before(norm, pos, registry)
        if k:
            fuller = printed[pos - k:pos + len(name_norm)]
            choice.evidence.append({"source": "fuller printing", "name": fuller,
                                    "sentence": clip(printed[max(0, pos - k - 30):pos + len(name_norm) + 30]),
                                    "weight": 0.0})
            choice.name = fuller
            return choice
        pos = head.find(name_norm, pos + 1)
    return choice


def title_names(page: _Page, lines: list[Line], found: Optional[TitleFound], meta: dict[str, str],
                doc_title: Optional[str], url: Optional[str]) -> None:
    """The body each report title of the page names: the title found in the text (or the
    line above it), <meta ArticleTitle>, <title>, the URL's title."""
    for source, p, n, idx in title_candidates(lines, meta, doc_title, url):
        if source == "text" and (found is None or found.source != "text" or idx != found.line):
            continue
        m = match_title(n, loose_tail=(source != "text"))
        if m is None:
            continue
        kind = _TITLE_SOURCE.get(source, "meta:ArticleTitle" if source.startswith("meta:") else "URL")
        agency = agency_from_title(p, n, m, page.registry, page.warnings)
        if agency:
            page.add(agency, normalize(agency)[1], kind, p)
            continue
        above = body_line_above(found, lines) if source == "text" else None
        if above is not None:
            page.add(above.printed.strip(), above.norm.strip(), "line above the title", above.printed + " / " + p)


def signature(page: _Page) -> None:
    """The body named with a date on the last lines (三明市统计局 2020年1月20日)."""
    start = max(0, len(page.norm) - 400)
    for m in _SIGNATURE_RE.finditer(page.norm, start):
        s, e = m.span(1)
        if ORG_END.search(page.norm[s:e]) or PLACE_END.search(page.norm[s:e]):
            page.add_span(s, e, "signature", m.span(), "issuer")


def quoted_titles(page: _Page) -> None:
    """《…2019年政府信息公开工作年度报告》 quoted in the text (the same kind of evidence as
    现公布X2019年…报告: the text's own title)."""
    head = page.norm[:5000]
    for m in _QUOTED_RE.finditer(head):
        inner = m.group(1)
        tm = match_title(inner, loose_tail=False)
        if tm and tm.group("year") and not inner[tm.end():].strip():
            s = m.start(1)
            agency = agency_from_title(page.printed[s:s + len(inner)], inner, tm, page.registry, [])
            if agency:
                page.add(agency, normalize(agency)[1], "published title",
                         page.printed[max(0, m.start() - 30):m.end()])


def self_reference(page: _Page) -> None:
    """'我乡' + '均村乡人民政府' in the text → 均村乡人民政府; '我局' + the place-named 局 the
    text names most."""
    head = page.norm[:5000]
    refs = Counter(m.group(1) for m in re.finditer(r"[我本](局|委|办|乡|镇|街道|中心|院|厅)", head))
    if not refs:
        return
    kind = refs.most_common(1)[0][0]
    if kind in ("乡", "镇", "街道"):
        pattern = rf"([{CJK}]{{2,6}}?{kind})(?:人民政府|办事处)"
    else:
        word = "委(?:员会)?" if kind == "委" else kind      # 我委: …发展和改革委员会
        pattern = rf"({NAME_CHARS}{{2,20}}?{word})(?![{CJK}]{{0,1}}(?:网站|门户|官网|网))"
    names: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in re.finditer(pattern, head):
        s, e = m.span(0) if kind in ("乡", "镇", "街道") else m.span(1)
        nm = page.norm[s:e]
        if (BAD_NAME_START.search(nm) and not opens_with_place(nm, page.registry)) \
                or (s > 0 and re.match(r"[A-Za-z0-9_]", page.norm[s - 1])):
            continue
        if kind not in ("乡", "镇", "街道") and not has_place(nm, page.registry):
            continue
        names[nm] += 1
        first.setdefault(nm, (s, e))
    if not names:
        return
    nm, _ = max(names.items(), key=lambda kv: (kv[1], -first[kv[0]][0]))
    s, e = first[nm]
    page.add(page.printed[s:e], nm, "self-reference", f"我{kind} … {page.printed[s:e]} ×{names[nm]}")


def clean_candidates(page: _Page) -> list[Candidate]:
    """Each raw name made a body's name (or dropped), placeless names completed."""
    registry = page.registry
    cleaned: list[tuple[str, str, str, str, Optional[str]]] = []
    levels: dict[str, Optional[str]] = {}
    for printed, norm, source, sentence, role in page.raw:
        name = clean_name(printed, norm, role, registry, page.warnings)
        if name is not None:
            if name[1] not in levels:
                levels[name[1]] = placeless_level(name[1], registry)
            cleaned.append((name[0], name[1], source, sentence, levels[name[1]]))
    placed = tuple(n for _, n, _, _, level in cleaned if level is None)
    out: list[Candidate] = []
    cache: dict[str, tuple] = {}
    for printed, norm, source, sentence, level in cleaned:
        completed = ""
        if level is not None:
            if level == "" and (source not in BARE_NAME_SOURCES or (len(norm) < 4 and norm not in DEPARTMENT_SET)):
                continue
            if level not in cache:
                cache[level] = completion_region(level, page.norm[:5000], page.url, registry, placed)
            region, why = cache[level]
            if region is not None:
                place = printed_place(page, region)
                if level and region.name.endswith(level):      # 县教育局 → 故城县教育局
                    printed, norm = place + printed[len(level):], region.name + norm[len(level):]
                else:
                    printed, norm = place + printed, region.name + norm
                completed = f"{region.name}: {why}"
        out.append(Candidate(printed, norm, source, WEIGHTS[source], sentence, completed))
    return out


def printed_place(page: _Page, region) -> str:
    """The region's name as the page prints it (廣州市 on a traditional page), else the registry's."""
    pos = page.norm.find(region.name)
    return page.printed[pos:pos + len(region.name)] if pos >= 0 else region.name


def clean_name(printed: str, norm: str, role: str, registry: Registry,
               warnings: list[str]) -> Optional[tuple[str, str]]:
    """(printed, norm) of the body a raw name stands for in its sentence, or None."""
    if _SPACE.search(norm):
        keep = [i for i, c in enumerate(norm) if not c.isspace()]
        printed, norm = "".join(printed[i] for i in keep), "".join(norm[i] for i in keep)
    cut = strip_lead(norm)
    printed, norm = printed[cut:], norm[cut:]
    cut = page_words_before(norm, registry)
    printed, norm = printed[cut:], norm[cut:]
    if "(以下简称" in norm:
        cut = norm.index("(以下简称")
        printed, norm = printed[:cut], norm[:cut]
    if role == "region":
        m = _REGION_OFFICE.match(norm)
        place_p, place_n = (printed[:m.end(1)], m.group(1)) if m else (printed, norm)
        if not ORG_END.search(place_n):
            whole = finish_agency(place_p, place_n, registry, warnings)
            if whole and whole.endswith(("人民政府", "办事处")):
                return whole, normalize(whole)[1]
            return None
        role = "issuer"
    if role == "office":
        parent = parent_body(norm)
        if parent is not None:
            base, add = parent
            printed, norm = printed[:len(base)] + add, base + add
    sub = _SUB_UNIT.search(norm)
    if sub:
        printed, norm = printed[:sub.start()], norm[:sub.start()]
    if _NOT_A_BODY.search(norm):
        return None
    name = finish_agency(printed, norm, registry, warnings)
    if not name:
        return None
    return name, (norm + name[len(printed):] if name.startswith(printed) else normalize(name)[1])
