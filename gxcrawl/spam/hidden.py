"""Hidden links (暗链), cloaking redirects and injected titles in raw HTML.

Parsed with lxml's HTML parser (no network, no external entities).  A link is hidden when
it or an ancestor is hidden by an inline style, a ``<style>`` rule on its class / id / tag,
the ``hidden`` attribute or a ``<marquee>``; ``document.write`` fragments are parsed too.
Techniques: ``display:none``, ``visibility:hidden``, off-screen absolute/fixed positioning
or text-indent, zero/tiny font, zero-size box with overflow hidden, opacity 0, marquee.
Only links that leave the site for a non-government host, or whose text is spam, are kept
(hidden drop-down menus of a portal are not 暗链).

>>> html = '<p><a href="/x">ok</a><div style="display:none"><a href="http://b.com">365bet</a></div></p>'
>>> [(l["href"], l["how"]) for l in find_hidden(html, "www.wenzhou.gov.cn")["links"]]
[('http://b.com', 'display:none')]
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from . import provenance
from .lexicon import scan
from .normalize import to_simplified

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


def style_rules(root) -> dict[str, str]:
    """Selector key ('.cls', '#id', 'tag', 'tag.cls') → hiding technique, from <style> blocks."""
    rules: dict[str, str] = {}
    for style in root.iter("style"):
        css = strip_css_comments(style.text or "")
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


X_STYLED = etree.XPath("//*[@style]")
X_HIDDEN = etree.XPath("//*[@hidden]")
X_CLASSED = etree.XPath("//*[@class]")
X_IDED = etree.XPath("//*[@id]")
X_LINKS = etree.XPath("descendant-or-self::a[@href]")
X_ANCHOR_TEXT = etree.XPath("string()")
HIDING_HINTS = ("none", "hidden", "collapse", "-", "font-size", "opacity", "overflow")


def hidden_containers(root, rules: dict[str, str]) -> list[tuple[object, str]]:
    """Elements hidden by themselves (inline style, hidden attribute, marquee, <style> rule).
    XPath selects the candidates so that lxml walks the tree in C."""
    out = []
    for el in X_STYLED(root):
        style = el.get("style").lower()
        if any(h in style for h in HIDING_HINTS):
            how = hidden_by(style)
            if how:
                out.append((el, how))
    out += [(el, "marquee") for el in root.iter("marquee")]
    out += [(el, "hidden-attribute") for el in X_HIDDEN(root)]
    if not rules:
        return out
    by_class: dict[str, list[tuple[str, str]]] = {}
    by_id: dict[str, list[tuple[str, str]]] = {}
    for key, how in rules.items():
        m = SIMPLE_SELECTOR.match(key)
        tag, rest = m.group(1), m.group(2)
        parts = re.findall(r"([.#])([\w-]+)", rest)
        if not parts:
            if tag:
                out += [(el, f"{how} (via <style> {key})") for el in root.iter(tag)]
            continue
        kind, name = parts[-1]
        (by_class if kind == "." else by_id).setdefault(name, []).append((key, how))
    if by_class:
        for el in X_CLASSED(root):
            for cls in el.get("class").lower().split():
                for key, how in by_class.get(cls, ()):
                    if selector_matches(el, key):
                        out.append((el, f"{how} (via <style> {key})"))
    if by_id:
        for el in X_IDED(root):
            for key, how in by_id.get(el.get("id").lower(), ()):
                if selector_matches(el, key):
                    out.append((el, f"{how} (via <style> {key})"))
    return out


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


def _hidden_links(root, page_host: str | None, rules, how_prefix: str = "") -> list[dict]:
    """Hidden <a href> that leave for a foreign non-gov host or read as spam.  Containers
    holding only internal links (drop-down menus) are text-scanned in one batch first."""
    out, seen, internal = [], set(), []
    for container, how in hidden_containers(root, rules):
        local = []
        for a in X_LINKS(container):
            if a in seen:
                continue
            seen.add(a)
            href = a.get("href").strip()
            if not href:
                continue
            if external_link(href, page_host):
                text = " ".join("".join(a.itertext()).split())
                out.append({"href": href, "text": text, "how": how_prefix + how})
            else:
                local.append(a)
        if local:
            internal.append((container, how, local))
    if internal:
        # only the anchors' own text can make an internal link spam: scan just that
        batch = "\n".join(X_ANCHOR_TEXT(a) for _, _, anchors in internal for a in anchors)
        if batch.strip() and any(h.weight >= 0.6 for h in scan(to_simplified(batch))):
            for _, how, anchors in internal:
                for a in anchors:
                    text = " ".join("".join(a.itertext()).split())
                    if spam_text(text):
                        out.append({"href": a.get("href").strip(), "text": text,
                                    "how": how_prefix + how})
    return out


ABSOLUTE_RE = re.compile(r"(?:https?:)?//", re.I)


def keep_link(href: str, text: str, page_host: str | None) -> bool:
    """A hidden link matters when it leads off-site to a non-government host or reads as spam.

    >>> keep_link("/col/col1/index.html", "政务公开", "www.x.gov.cn"), keep_link("http://b.com", "", None)
    (False, True)
    """
    return external_link(href, page_host) or spam_text(text)


def external_link(href: str, page_host: str | None) -> bool:
    """An absolute link to a non-government host other than the page's own."""
    host = provenance.host_of(href) if ABSOLUTE_RE.match(href) else None
    return bool(host) and not provenance.is_gov_host(host) and (
        not page_host or provenance.registrable(host) != provenance.registrable(page_host))


def spam_text(text: str) -> bool:
    return bool(text) and sum(h.weight for h in scan(to_simplified(text))) >= 1.0


def unescape_js(code: str) -> str:
    r"""Decode \xNN, \uNNNN and %uNNNN escapes of obfuscated scripts.

    >>> unescape_js(r"\x62\u0061idu")
    'baidu'
    """
    return ESCAPE_RE.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), code)


def redirect_scripts(root) -> list[dict]:
    """Inline scripts that send visitors elsewhere depending on the referrer or user agent."""
    out = []
    for script in root.iter("script"):
        code = unescape_js(script.text or "")
        if not code.strip():
            continue
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
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\";]+)", meta.get("content") or "", re.I)
            if m and re.match(r"(?:https?:)?//", m.group(1)):
                out.append({"href": m.group(1), "text": "", "how": "meta-refresh"})
    return out


def written_fragments(root) -> list[str]:
    """HTML written by document.write('…') in inline scripts."""
    out = []
    for script in root.iter("script"):
        code = unescape_js(script.text or "")
        for m in WRITE_RE.finditer(code):
            fragment = m.group(2).replace("\\'", "'").replace('\\"', '"')
            if "<a" in fragment.lower():
                out.append(fragment)
    return out


def injected_title(root, article_text: str | None = None) -> list[dict]:
    """<title> / <meta keywords|description> carrying spam."""
    out = []
    title = root.find(".//title")
    items = [("title", "".join(title.itertext()) if title is not None else "")]
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name in ("keywords", "description"):
            items.append((f"meta-{name}", meta.get("content") or ""))
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
    rules = style_rules(root)
    links = _hidden_links(root, page_host, rules)
    for fragment in written_fragments(root):
        sub = parse_html(f"<html><body>{fragment}</body></html>")
        if sub is not None:
            links += _hidden_links(sub, page_host, {**rules, **style_rules(sub)},
                                   how_prefix="document.write+")
    links += redirect_scripts(root)
    return {"links": links, "title": injected_title(root)}
