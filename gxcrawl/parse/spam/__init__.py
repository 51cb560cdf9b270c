"""Spam mirrors and injections: detect them and restore the replaced text.

Called by gxcrawl/report.py after boilerplate removal, before metadata/table parsing::

    from gxcrawl.parse.spam import analyze_spam
    result = analyze_spam(text, url, html=None, meta=None)
    result.findings    # {'is_mirror', 'official_host', 'phrases', 'replacements', 'hidden_links'}
    clean = result.restore(text)

Modules (one idea each): normalize (t2s + pinyin glosses), lexicon (weighted terms, one-pass
scan), phrases (hits → injected phrases), slots (template positions), provenance (official
host, rewritten domains), restore (what a phrase replaced), hidden (暗链, cloaking, titles).

>>> text = "365体育平台网址人民政府2019年政府信息公开工作年度报告\\n邮编:325009;电话:0577-88963796。由365体育平台网址人民政府办公室编制"
>>> r = analyze_spam(text, "http://www.example.com/art/1.html")
>>> r.findings["is_mirror"], r.findings["official_host"]
(True, 'www.wenzhou.gov.cn')
>>> r.restore(text).splitlines()[0]
'温州市人民政府2019年政府信息公开工作年度报告'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from gxcrawl.parse.spam import provenance, restore as restoring, slots
from gxcrawl.parse.spam.hidden import find_hidden
from gxcrawl.parse.spam.lexicon import scan
from gxcrawl.parse.spam import normalize as normalizing
from gxcrawl.parse.spam.phrases import find_phrases

__all__ = ["analyze_spam", "SpamResult", "spam_phrases_in_name"]

GLOSSES = 3          # pinyin glosses that make a converted copy a mirror's (with a rewritten domain)


@dataclass
class SpamResult:
    findings: dict
    # phrase as written in the analysed text → (original, confidence); all forms of a phrase
    _substitutions: list[tuple[str, str, float]] = field(default_factory=list)

    def restore(self, text: str, min_confidence: float = restoring.MIN_CONFIDENCE) -> str:
        """`text` with each injected phrase replaced by its inferred original (longest first)
        where the confidence reaches `min_confidence`; other phrases are left as they are."""
        for phrase, original, conf in sorted(self._substitutions, key=lambda t: -len(t[0])):
            if original is not None and conf >= min_confidence and phrase:
                text = text.replace(phrase, original)
        return text

    @property
    def is_mirror(self) -> bool:
        return self.findings["is_mirror"]


def _original_forms(norm, original_text: str, spans) -> list[str]:
    """Every distinct way the phrase is written in the original text (case, script)."""
    forms = []
    for start, end in spans:
        s, e = norm.original_span(start, end)
        form = original_text[s:e]
        if form and form not in forms:
            forms.append(form)
    return forms


def analyze_spam(text: str, url: str | None = None, html: str | None = None,
                 meta: dict | None = None, official_hosts=None) -> SpamResult:
    """Analyse a page's clean main text (plus raw HTML and <meta> map when available).

    `html` may be the decoded HTML string or the lxml root element the caller already
    parsed (saves a second parse). `official_hosts`: the hosts a crawl knows to be the
    government's own (the host the user seeded, the registry's roots), whatever their
    domain — a bare IP, a .com. A page there is the government's: its slots hold its own
    words and its domain is its own; it is a mirror copy only when a gambling phrase stands
    where the report template writes a place or a fixed word (a brand put in for a name).

    >>> page = "永嘉县人民政府2019年政府信息公开工作年度报告\\n门户网站(www.yjnews.com)公开。"
    >>> analyze_spam(page, "http://10.1.2.3:8080/a.html").findings["is_mirror"]
    False
    >>> brand = page.replace("永嘉县", "365体育平台网址")
    >>> analyze_spam(brand, "http://10.1.2.3:8080/a.html", official_hosts={"10.1.2.3"}).findings["is_mirror"]
    True
    """
    from gxcrawl.regions import load_registry
    text = text or ""
    norm = normalizing.normalize(text)
    ntext = norm.text
    registry = load_registry()
    page_host = provenance.host_of(url)
    official = provenance.is_official(page_host, meta)
    seeded = not official and provenance.is_seeded(page_host, official_hosts)

    # On a government host the words in its place slots are its own: only lexicon hits
    # (an injection on a hacked page) are reported there, no slot fillers.
    phrases = find_phrases(ntext, scan(ntext), None if official or seeded else registry)
    rewrites = provenance.domain_rewrites(ntext, page_host)
    if official or seeded:
        rewrites = []
    has_html = html is not None and (not isinstance(html, str) or html.strip())
    hidden = find_hidden(html, page_host) if has_html else {"links": [], "title": []}

    title_spam = bool(hidden["title"])
    # A non-government domain named as the portal is not spam by itself: before the
    # 2017–2019 consolidation many county portals ran on .com/.net domains (seed 002:
    # 瑞金 2015 names www.gzxwht.com).  It makes a mirror only when it is the page's own
    # host, or alongside injected phrases.
    own_rewrites = [h for h in rewrites if page_host and
                    provenance.registrable(h) == provenance.registrable(page_host)]
    # a mirror's converter leaves pinyin glosses after the characters it made traditional
    # (據(jù)): with a non-government domain where the portal's belongs, a mirror even where
    # no brand shows and the domain is not the page's own
    glossed = rewrites and normalizing.gloss_count(text) >= GLOSSES
    if seeded:      # the government's own host: a brand in a template slot makes a copy, nothing else
        is_mirror = any(p.slot for p in phrases)
    else:
        is_mirror = not official and bool(phrases or own_rewrites or glossed or (title_spam and page_host))
    if not is_mirror:
        rewrites = []

    # where the page comes from
    masked = ntext
    for p in phrases:
        masked = masked.replace(p.text, "|")
    need_region = bool(phrases or rewrites) or (bool(page_host) and not official and not seeded)
    cands = restoring.infer_region(ntext, url, registry, masked, meta) if need_region else []
    official_host, host_evidence, host_conf = infer_official_host(
        ntext, page_host, official or (seeded and not is_mirror), meta, cands, registry)

    replacements, subs = [], []
    for p in phrases:
        forms = _original_forms(norm, text, p.spans)
        original, evidence, conf = explain_phrase(ntext, p, cands, registry)
        replacements.append({"phrase": forms[0] if forms else p.text, "original": original,
                             "evidence": evidence, "confidence": conf})
        subs += [(form, original, conf) for form in forms]
    for host in rewrites:
        original = None
        if official_host:
            original = official_host if host.startswith("www.") or host.count(".") >= 2 \
                else provenance.registrable(official_host)
        evidence = [f"non-government domain {host} written where the portal's domain belongs"]
        evidence += host_evidence
        replacements.append({"phrase": host, "original": original, "evidence": evidence,
                             "confidence": host_conf if original else 0.0})
        spans = [(i, i + len(host)) for i in _find_all(ntext, host)]
        subs += [(form, original, host_conf) for form in _original_forms(norm, text, spans)]

    title_phrases = [h["text"] for h in hidden["title"]]
    findings = {
        "is_mirror": is_mirror,
        "official_host": official_host,
        "phrases": [r["phrase"] for r in replacements] + title_phrases,
        "replacements": replacements,
        "hidden_links": hidden["links"] + hidden["title"],
    }
    return SpamResult(findings, subs)


def spam_phrases_in_name(name: str) -> list[str]:
    """Gambling / betting phrases in what a site calls itself (its SiteName, its title): a
    site that names itself by a brand is a mirror, whoever seeded it.

    >>> spam_phrases_in_name("365网站手机打不开_365体育怎么打不开网址_365数字含义人民政府")
    ['365网站手机打不开_365体育怎么打不开网址_365数字含义']
    >>> spam_phrases_in_name("永嘉县人民政府")
    []
    """
    ntext = normalizing.normalize(name or "").text
    return [p.text for p in find_phrases(ntext, scan(ntext), None)]


def _find_all(text: str, needle: str) -> list[int]:
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + len(needle))
    return out


def explain_phrase(ntext: str, phrase, cands, registry) -> tuple[str | None, list[str], float]:
    """(original, evidence, confidence) for one injected phrase."""
    head = [f"spam phrase (score {phrase.score}): {phrase.as_evidence()}"]
    fixed = slots.fixed_phrase(ntext, phrase.spans)
    if fixed.word:
        share = fixed.explained / len(phrase.spans)
        return fixed.word, head + [f"stands where the report template writes {fixed.word} ({fixed.explained} "
                                   f"of {len(phrase.spans)} occurrences), e.g. “{fixed.example}”"], \
            round(0.6 + 0.35 * share, 2)
    if fixed.voted and not fixed.in_place_slot and not phrase.slot:
        return None, head + ["stands where template words go (关于, 政务公开 …), never where a place "
                             "name does: not restored"], 0.0
    if slots.department_slot(ntext, phrase.spans, registry):
        return None, head + ["follows a place name: stands for a department, not the place"], 0.0
    if phrase.slot or not phrase.standalone:
        # how much evidence a restore needs is decided in restore.original_for_place
        name, evidence, conf = restoring.original_for_place(ntext, phrase.spans, cands, registry)
        if name and phrase.slot:
            evidence = evidence + [f"template slot: phrase + {phrase.slot}"]
        return name, head + evidence, conf
    return "", head + ["a line of its own: an injected title, removed"], 0.7


def infer_official_host(ntext, page_host, official, meta, cands, registry):
    """(host, evidence, confidence) of the government's own portal."""
    if official and page_host:
        return page_host, [f"page host {page_host} is official"], 0.95
    named = provenance.meta_host(meta)
    if named and provenance.is_gov_host(named):
        return named, [f"<meta SiteDomain> names {named}"], 0.9
    portals = provenance.portal_hosts_in_text(ntext)
    if portals:
        return portals[0], [f"the text names {portals[0]} as the portal (门户网站 …)"], 0.9
    in_text = provenance.gov_hosts_in_text(ntext)
    if in_text:
        # a department's subdomain (jaq.fuzhou.gov.cn) is named more often than the portal
        # on some pages: a www. host is the better guess for the portal
        ranked = sorted(in_text.items(), key=lambda hc: (not hc[0].startswith("www."), -hc[1]))
        host, count = ranked[0]
        return host, [f"gov.cn domain in the text: {host} ×{count}"], 0.85
    if cands and restoring.confidence(cands, registry) >= restoring.MIN_CONFIDENCE:
        region = cands[0].region
        pinyin = " ".join(restoring.pinyin_table().get(region.code, [])) or None
        host, why, conf = provenance.host_for_region(region.name, region.short, pinyin, region.code)
        if host:
            return host, [f"region {region.name}", why], round(conf * restoring.confidence(cands, registry), 2)
    return None, [], 0.0
