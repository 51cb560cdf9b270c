"""Hidden links (暗链), cloaking redirects and injected titles in raw HTML.

Parsed with lxml's HTML parser (no network, no external entities).  A link is hidden when
it or an ancestor is hidden by an inline style, a ``<style>`` rule on its class / id / tag,
the ``hidden`` attribute or a ``<marquee>``; ``document.write`` fragments are parsed too.
Techniques: ``display:none``, ``visibility:hidden``, off-screen absolute/fixed positioning
or text-indent, zero/tiny font, zero-size box with overflow hidden, opacity 0, marquee.
Only links that leave the site for a non-government host, or whose text is spam, are kept
(hidden drop-down menus of a portal are not 暗链) — so those few candidate links are found
first, from the strings XPath returns (hrefs, anchor texts), and each is then checked up
through its ancestors; the page's hidden menus are never walked one by one.

>>> html = '<p><a href="/x">ok</a><div style="display:none"><a href="http://b.com">365bet</a></div></p>'
>>> [(l["href"], l["how"]) for l in find_hidden(html, "www.wenzhou.gov.cn")["links"]]
[('http://b.com', 'display:none')]
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from lxml import etree

from gxcrawl.parse.spam import provenance
from gxcrawl.parse.spam.lexicon import scan
from gxcrawl.parse.spam.normalize import normalize, to_simplified

PARSER_OPTS = dict(no_network=True, remove_comments=True, remove_pis=True, recover=True)
DECL_RE = re.compile(r"([a-z-]+)\s*:\s*([^;]+)")
RULE_RE = re.compile(r"([^{}]+)\{([^{}]*)\}")
SIMPLE_SELECTOR = re.compile(r"^([a-z0-9]*)((?:[.#][\w-]+)*)$")
PX_RE = re.compile(r"(-?\d+(?:\.\d+)?)\s*(px|em|pt|%)?")
SEARCH_ENGINES = re.compile(r"baidu|sogou|so\.com|sm\.cn|google|bing|yahoo|360|youdao|toutiao|spider|bot",
                            re.I)
REDIRECT = re.compile(r"(?:window\.|top\.|self\.|document\.|parent\.)?location(?:\.href)?\s*=|"
                      r"location\.replace|window\.open|\.location\.assign|document\.write|"
                      r"http-equiv", re.I)
URL_IN_JS = re.compile(r"""(?:https?:)?//[^\s'"<>\\)]+""", re.I)
ESCAPE_RE = re.compile(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|%u([0-9a-fA-F]{4})")
WRITE_RE = re.compile(r"document\.write(?:ln)?\s*\(\s*(['\"])(.*?)(?<!\\)\1\s*\)", re.S)


def _parser() -> etree.HTMLParser:
    return etree.HTMLParser(**PARSER_OPTS)


@lru_cache(maxsize=1024)
def hidden_by(style: str) -> str | None:
    """The hiding technique of a CSS declaration block, or None.

    >>> hidden_by("position:absolute; left:-9999px"), hidden_by("font-size:1px"), hidden_by("color:red")
    ('off-screen', 'tiny-font', None)
    """
    decls = {k.strip().lower(): v.strip().lower().replace("!important", "").strip()
             for k, v in DECL_RE.findall(style.lower())}
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    if decls.get("position") in ("absolute", "fixed"):
        for side in ("left", "top", "right", "bottom"):
            if _px(decls.get(side)) is not None and _px(decls.get(side)) <= -500:
                return "off-screen"
    if _px(decls.get("text-indent")) is not None and _px(decls.get("text-indent")) <= -500:
        return "off-screen"
    size = _px(decls.get("font-size"))
    if size is not None and size <= 2:
        return "tiny-font"
    if decls.get("overflow") == "hidden" and any(
            _px(decls.get(k)) is not None and _px(decls.get(k)) <= 2 for k in ("height", "width")):
        return "zero-size"
    if decls.get("opacity") not in (None, "") and _px(decls.get("opacity")) == 0:
        return "opacity:0"
    return None


def _px(value: str | None) -> float | None:
    if not value:
        return None
    m = PX_RE.match(value.strip())
    if not m:
        return None
    number, unit = float(m.group(1)), m.group(2)
    return number * 16 if unit == "em" else number


def strip_css_comments(css: str) -> str:
    """`/* … */` removed in one linear pass (an unclosed comment is left as it is, like
    the regex `/\\*.*?\\*/` this replaces, which was quadratic on many unclosed comments).

    >>> strip_css_comments("a{x:1}/* c */b{y:2}/* open")
    'a{x:1}b{y:2}/* open'
    """
    out, i = [], 0
    while True:
        j = css.find("/*", i)
        k = css.find("*/", j + 2) if j >= 0 else -1
        if k < 0:
            out.append(css[i:])
            return "".join(out)
        out.append(css[i:j])
        i = k + 2


def css_rules(css: str):
    """(selectors, declarations) of each `selectors{declarations}` rule — what
    `RULE_RE.findall(css)` finds, in linear time: the regex retried `[^{}]+` from every
    position of a long brace-free tail (an unclosed <style> swallowing the page: 85 s on
    a 100 KB page).

    >>> list(css_rules("a{x:1} b,.c{display:none}}{d{e}tail"))
    [('a', 'x:1'), (' b,.c', 'display:none'), ('d', 'e')]
    """
    for part in css.split("}")[:-1]:
        head, brace, body = part.rpartition("{")
        selectors = head.rpartition("{")[2]
        if brace and selectors:
            yield selectors, body


@dataclass
class PageParts:
    """What the checks read besides links, gathered in one walk of the tree."""
    styles: list[str]                 # <style> texts
    scripts: list[str]                # inline <script> code, escapes decoded
    metas: list[tuple[str, str, str]]  # (name, http-equiv, content), lower-case keys
    title: str


def page_parts(root) -> PageParts:
    parts = PageParts([], [], [], "")
    for el in root.iter("style", "script", "meta", "title"):   # C-side tag filter
        tag = el.tag
        if tag == "style":
            parts.styles.append(el.text or "")
        elif tag == "script":
            if el.text and el.text.strip():
                parts.scripts.append(unescape_js(el.text))
        elif tag == "meta":
            parts.metas.append(((el.get("name") or "").lower(),
                                (el.get("http-equiv") or "").lower(), el.get("content") or ""))
        elif tag == "title" and not parts.title:
            parts.title = "".join(el.itertext())
    return parts


def _parts(page) -> PageParts:
    return page if isinstance(page, PageParts) else page_parts(page)


def style_rules(page) -> dict[str, str]:
    """Selector key ('.cls', '#id', 'tag', 'tag.cls') → hiding technique, from <style> blocks
    (`page`: an lxml root or its PageParts)."""
    rules: dict[str, str] = {}
    for text in _parts(page).styles:
        css = strip_css_comments(text)
        for selectors, body in css_rules(css):
            how = hidden_by(body)
            if not how:
                continue
            for selector in selectors.split(","):
                selector = selector.strip().lower()
                # only simple selectors (.x, #x, tag, tag.x): ".menu ul{display:none}" hides
                # drop-down menus, not every <ul>
                if selector and SIMPLE_SELECTOR.match(selector):
                    rules[selector] = how
    return rules


X_LINKS = etree.XPath("//a[@href]")
# absolute hrefs ("http…", "//…") are the only ones that can leave the site.  Strings first:
# a portal page has hundreds of relative menu links, and every element proxy lxml.html
# makes costs a Python call, so elements are fetched only when a foreign host is there
X_HREFS = etree.XPath("descendant::a/@href", smart_strings=False)
X_ABSOLUTE_LINKS = etree.XPath("//a[contains(@href, '//')]")
X_ANCHOR_TEXTS = etree.XPath("descendant::a/descendant::text()", smart_strings=False)
# the same as smart strings, which know their element (getparent): dearer, asked for only
# when the plain batch has a spam term
X_ANCHOR_TEXT_NODES = etree.XPath("descendant::a/descendant::text()")
X_ANCHOR_TEXT = etree.XPath("string()", smart_strings=False)
HIDING_HINTS = ("none", "hidden", "collapse", "-", "font-size", "opacity", "overflow")


@dataclass
class StyleIndex:
    """`<style>` hiding rules indexed by what an element can match them on."""
    by_tag: dict[str, list[tuple[str, str]]]
    by_class: dict[str, list[tuple[str, str]]]
    by_id: dict[str, list[tuple[str, str]]]

    @classmethod
    def of(cls, rules: dict[str, str]) -> "StyleIndex":
        index = cls({}, {}, {})
        for key, how in rules.items():
            m = SIMPLE_SELECTOR.match(key)
            tag, parts = m.group(1), re.findall(r"([.#])([\w-]+)", m.group(2))
            if not parts:
                if tag:
                    index.by_tag.setdefault(tag, []).append((key, how))
                continue
            kind, name = parts[-1]
            (index.by_class if kind == "." else index.by_id).setdefault(name, []).append((key, how))
        return index

    def __bool__(self) -> bool:
        return bool(self.by_tag or self.by_class or self.by_id)

    def hiding_rule(self, el) -> str | None:
        """The technique of the first `<style>` rule that hides `el`, or None."""
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        keys = list(self.by_tag.get(tag, ()))
        cls = el.get("class")
        if cls:
            for name in cls.lower().split():
                keys += self.by_class.get(name, ())
        ident = el.get("id")
        if ident:
            keys += self.by_id.get(ident.lower(), ())
        for key, how in keys:
            if selector_matches(el, key):
                return f"{how} (via <style> {key})"
        return None


def hiding(el, index: StyleIndex) -> str | None:
    """How `el` is hidden from a visitor — by itself or by an ancestor — or None.

    Checked in this order, outermost element first: an inline style, a <marquee>, the
    `hidden` attribute, a `<style>` rule.

    >>> root = parse_html('<div style="display:none"><p><a href="http://b.com">x</a></p></div>')
    >>> hiding(root.find(".//a"), StyleIndex.of({}))
    'display:none'
    """
    chain = [el, *el.iterancestors()][::-1]
    for node in chain:
        style = node.get("style")
        if style:
            style = style.lower()
            if any(h in style for h in HIDING_HINTS):
                how = hidden_by(style)
                if how:
                    return how
    for node in chain:
        if node.tag == "marquee":
            return "marquee"
    for node in chain:
        if node.get("hidden") is not None:
            return "hidden-attribute"
    if index:
        for node in chain:
            how = index.hiding_rule(node)
            if how:
                return how
    return None


def selector_matches(el, selector: str) -> bool:
    """Does `el` match a simple selector such as div.fl#x?"""
    m = SIMPLE_SELECTOR.match(selector)
    if m.group(1) and (not isinstance(el.tag, str) or el.tag.lower() != m.group(1)):
        return False
    classes = set((el.get("class") or "").lower().split())
    for kind, name in re.findall(r"([.#])([\w-]+)", m.group(2)):
        if kind == "." and name not in classes:
            return False
        if kind == "#" and (el.get("id") or "").lower() != name:
            return False
    return True


def candidate_links(root, page_host: str | None) -> list:
    """Links that would matter if hidden: off-site to a non-government host, or spam text.

    Two gates keep this cheap on the usual page, which has neither: the absolute hrefs are
    checked as strings, and the anchors' texts are scanned as one batch; element proxies
    are made only for what passes."""
    out = []
    # a superset of the hosts linked to ("/a//b" gives one too): the precise test is
    # external_link on the elements, done only when one of these is foreign
    netlocs = {n.lower() for n in NETLOC_RE.findall("\n".join(X_HREFS(root)))}
    if any(_foreign_host(netloc, page_host) for netloc in netlocs if netloc):
        out = [a for a in X_ABSOLUTE_LINKS(root) if external_link(a.get("href"), page_host)]
    chosen = set(out)
    out += [a for a in spam_text_links(root) if a not in chosen]
    return out


def spam_text_links(root) -> list:
    """<a href> elements whose own text reads as spam.

    >>> root = parse_html('<p><a href="/a">首页</a><a href="/b">澳門<b>365BET</b>娛樂場</a></p>')
    >>> [a.get("href") for a in spam_text_links(root)]
    ['/b']
    """
    texts = X_ANCHOR_TEXTS(root)
    if not texts:
        return []
    norm = normalize("\n".join(texts))
    hits = scan(norm.text)
    if not any(h.weight >= 0.6 for h in hits):
        return []
    nodes = X_ANCHOR_TEXT_NODES(root)
    ends = list(accumulate(len(node) + 1 for node in nodes))   # node i ends before ends[i]
    anchors: list = []
    for hit in hits:
        start = norm.original_span(hit.start, hit.end)[0]
        node = nodes[min(bisect_right(ends, start), len(nodes) - 1)]
        owner = node.getparent()
        anchor = next((el for el in (owner, *owner.iterancestors()) if el.tag == "a"), None)
        if anchor is not None and anchor.get("href") and anchor not in anchors:
            anchors.append(anchor)
    return [a for a in anchors if spam_text(" ".join(X_ANCHOR_TEXT(a).split()))]


def _hidden_links(root, page_host: str | None, rules, how_prefix: str = "") -> list[dict]:
    """Hidden <a href> that leave for a foreign non-gov host or read as spam, in page order.
    Hidden drop-down menus of the portal's own pages are not 暗链 and are never looked at."""
    index = StyleIndex.of(rules)
    found = []
    for a in candidate_links(root, page_host):
        href = a.get("href").strip()
        if not href:
            continue
        how = hiding(a, index)
        if how:
            found.append((a, {"href": href, "text": " ".join(X_ANCHOR_TEXT(a).split()),
                              "how": how_prefix + how}))
    order = {a: i for i, a in enumerate(X_LINKS(root))} if len(found) > 1 else {}
    return [link for a, link in sorted(found, key=lambda pair: order.get(pair[0], 0))]




HREF_HOST_RE = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:)?//([^/?#\\\s]*)", re.I)
NETLOC_RE = re.compile(r"//([^/?#\\\s]+)")


def external_link(href: str, page_host: str | None) -> bool:
    """An absolute link to a non-government host other than the page's own.

    >>> external_link("http://www.365.com/x", "www.a.gov.cn"), external_link("/col/1.html", None)
    (True, False)
    """
    m = HREF_HOST_RE.match(href)
    return bool(m) and m.group(1) != "" and _foreign_host(m.group(1).lower(), page_host)


@lru_cache(maxsize=4096)
def _foreign_host(netloc: str, page_host: str | None) -> bool:
    host = provenance.host_of("//" + netloc)
    return bool(host) and not provenance.is_gov_host(host) and (
        not page_host or provenance.registrable(host) != provenance.registrable(page_host))


def spam_text(text: str) -> bool:
    return bool(text) and sum(h.weight for h in scan(to_simplified(text))) >= 1.0


def unescape_js(code: str) -> str:
    r"""Decode \xNN, \uNNNN and %uNNNN escapes of obfuscated scripts.

    >>> unescape_js(r"\x62\u0061idu")
    'baidu'
    """
    if "\\" not in code and "%u" not in code:
        return code
    return ESCAPE_RE.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), code)


def redirect_scripts(page) -> list[dict]:
    """Inline scripts that send visitors elsewhere depending on the referrer or user agent
    (`page`: an lxml root or its PageParts)."""
    parts = _parts(page)
    out = []
    for code in parts.scripts:
        lowered = code.lower()
        if "refer" not in lowered and "navigator" not in lowered:
            continue            # the regexes below are case-insensitive: slow on long code
        checks = []
        if re.search(r"document\s*\.\s*referr?er", code, re.I):
            checks.append("referrer")
        if re.search(r"navigator\s*\.\s*(?:userAgent|appVersion)", code, re.I):
            checks.append("useragent")
        if not checks or not REDIRECT.search(code):
            continue
        if "referrer" in checks and not SEARCH_ENGINES.search(code) and "useragent" not in checks:
            continue
        urls = URL_IN_JS.findall(code)
        out.append({"href": urls[0] if urls else "", "text": " ".join(code.split())[:120],
                    "how": "+".join(checks) + "-redirect"})
    for _, http_equiv, content in parts.metas:
        if http_equiv == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\";]+)", content, re.I)
            if m and re.match(r"(?:https?:)?//", m.group(1)):
                out.append({"href": m.group(1), "text": "", "how": "meta-refresh"})
    return out


def written_fragments(page) -> list[str]:
    """HTML written by document.write('…') in inline scripts."""
    out = []
    for code in _parts(page).scripts:
        if "write" not in code:
            continue
        for m in WRITE_RE.finditer(code):
            fragment = m.group(2).replace("\\'", "'").replace('\\"', '"')
            if "<a" in fragment.lower():
                out.append(fragment)
    return out


def injected_title(page) -> list[dict]:
    """<title> / <meta keywords|description> carrying spam."""
    parts = _parts(page)
    out = []
    items = [("title", parts.title)]
    items += [(f"meta-{name}", content) for name, _, content in parts.metas
              if name in ("keywords", "description")]
    for how, value in items:
        value = value.strip()
        hits = scan(to_simplified(value))
        if value and sum(h.weight for h in hits) >= 1.0 and max(h.weight for h in hits) >= 0.6:
            out.append({"href": None, "text": value[:200], "how": f"{how}-injection"})
    return out


def parse_html(html: str):
    if not html or not html.strip():
        return None
    try:
        return etree.fromstring(html.encode("utf-8", "surrogatepass"), _parser())
    except (etree.ParserError, ValueError):
        return None


def find_hidden(html, page_host: str | None) -> dict:
    """{'links': [...], 'title': [...]} found in raw `html` (a str, or an already parsed
    lxml root element, which saves a second parse)."""
    root = html if hasattr(html, "xpath") else parse_html(html)
    if root is None:
        return {"links": [], "title": []}
    parts = page_parts(root)
    rules = style_rules(parts)
    links = _hidden_links(root, page_host, rules)
    for fragment in written_fragments(parts):
        sub = parse_html(f"<html><body>{fragment}</body></html>")
        if sub is not None:
            links += _hidden_links(sub, page_host, {**rules, **style_rules(sub)},
                                   how_prefix="document.write+")
    links += redirect_scripts(parts)
    return {"links": links, "title": injected_title(parts)}
