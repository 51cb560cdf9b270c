"""Bot walls by what they are: a page that is only a script setting a cookie, computing a
token or jumping to a verification URL — whatever HTTP status it came with (200 included).

What the real products serve (reference/portal-patterns.md and the products' own pages):

* 云锁 Yunsuo — 200, no text, ``YunSuoAutoJump()``: ``document.cookie="srcurl="+stringToHex(location)``
  then ``self.location="…?security_verify_data="+stringToHex(screen)``; cookies
  ``yunsuo_session_verify``, ``security_session_mid_verify``; ``Server: Yunsuo``;
* 安全狗 Safedog — CC protection: an obfuscated script (``eval``, char codes) that jumps to
  ``?WebShieldSessionVerify=…``; cookie ``safedog-flow-item``; ``Server: Safedog``; its
  interception page (网站防火墙 · 您的请求带有不合法参数，已被网站管理员设置拦截) is a ban;
* 知道创宇 Knownsec — 加速乐 / 创宇盾: ``document.cookie=('_')+('_')+('j')+…`` (the name
  ``__jsl_clearance_s`` spelled one character at a time) then ``location.href=…``, or
  ``go({"bts":…,"tn":"__jsl_clearance_s"…})``; cookie ``__jsluid_s``; 创宇盾's interception page
  (当前访问疑似黑客攻击，已被创宇盾拦截) is a ban;
* 瑞数 Ruishu — ``$_ts`` and ``<meta … r='m'>``, usually on 202/412;
* any other: a tiny page without content text whose script sets ``document.cookie`` and
  then navigates or reloads, or computes a value from char codes and runs on load, or
  jumps to a URL that says verify / captcha / challenge.

A page with content text — a report, a list with links, a guide — is never a wall, however
many cookie or jump scripts its chrome carries.

>>> wall_kind(b'<script>document.cookie="srcurl="+stringToHex(location.href);'
...           b'self.location="/a?security_verify_data=1"</script>')
'yunsuo'
>>> wall_kind(b"<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+"
...           b"('a')+('n')+('c')+('e')+('_')+('s')+('=')+('1');location.href=location.pathname</script>")
'jsl'
>>> wall_kind("<html><body><h1>报告</h1><p>" .encode() + "正文".encode() * 400 + b"</p></body></html>") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: a wall is small: its script may be long (瑞数), its text is not
MAX_WALL_BYTES = 96 * 1024
#: visible text (outside script/style, tags stripped) a wall may show: "正在验证，请稍候…"
MAX_WALL_TEXT = 160
#: an interception (ban) page says a few sentences
MAX_BAN_TEXT = 1200
MAX_WALL_LINKS = 2

_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)(?:</script\s*>|$)", re.I | re.S)
_STYLE = re.compile(r"<(style|noscript|template)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);?", re.I)
_LINK = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']?(?!\s*(?:#|javascript:))[^\s\"'>]", re.I)
_EVENT = re.compile(r"\bon(?:load|pageshow)\s*=\s*[\"']([^\"']*)", re.I)
_META_REFRESH = re.compile(r"<meta[^>]+http-equiv\s*=\s*[\"']?refresh[^>]*content\s*=\s*[\"'][^\"']*url\s*=\s*([^\"'>]+)",
                           re.I)

_SETS_COOKIE = re.compile(r"document\s*\.\s*cookie\s*=|document\[['\"]cookie['\"]\]\s*=")
_NAVIGATES = re.compile(
    r"(?:window\.|self\.|top\.|document\.|parent\.)?location(?:\.href)?\s*=(?!=)"
    r"|location\s*\.\s*(?:replace|assign|reload)\s*\("
    r"|\.submit\s*\(\s*\)"
    r"|location\[['\"](?:href|replace|assign|reload)['\"]\]")
_COMPUTES = re.compile(r"String\.fromCharCode|\.charCodeAt\s*\(|\beval\s*\(|\\x[0-9a-f]{2}.{0,8}\\x[0-9a-f]{2}", re.I)
_RUNS_ON_LOAD = re.compile(r"setTimeout\s*\(|setInterval\s*\(|onload\s*=|addEventListener\s*\(\s*['\"](?:load|DOM)"
                           r"|^\s*[\w$.]+\s*\(", re.M)
_VERIFY_URL = re.compile(r"verify|captcha|challenge|slider|yzm|验证", re.I)
_STRING_LITERAL = re.compile(r"[\"']([^\"'\n]{1,300})[\"']")

#: product → what only its wall pages carry (checked on the page, the deobfuscated script)
PRODUCTS = [
    ("ruishu", re.compile(r"\$_ts\b|<meta[^>]*\br\s*=\s*['\"]m['\"]", re.I)),
    ("jsl", re.compile(r"__jsl_clearance|jsl_clearance|__jsluid|\"tn\"\s*:\s*\"__jsl", re.I)),
    ("yunsuo", re.compile(r"yunsuo|云锁|security_verify_|security_session_(?:mid_)?verify|srcurl.{0,80}stringToHex", re.I | re.S)),
    ("safedog", re.compile(r"safedog|安全狗|WebShieldSessionVerify|WebShieldDocuments", re.I)),
    ("knownsec", re.compile(r"knownsec|jiasule|365cyd|yunaq\.com|创宇盾|知道创宇|加速乐")),
]
#: product → its marks in the response headers (Server, Set-Cookie names)
HEADER_PRODUCTS = [
    ("jsl", re.compile(r"__jsluid|__jsl_clearance|\bjsl\b|jiasule", re.I)),
    ("yunsuo", re.compile(r"yunsuo|云锁|security_session_(?:mid_)?verify", re.I)),
    ("safedog", re.compile(r"safedog", re.I)),
    ("knownsec", re.compile(r"knownsec|yunaq|365cyd", re.I)),
]
#: what interception (ban) pages of WAFs say: no browser passes them
BAN_PHRASES = re.compile(
    r"已被网站管理员设置拦截|您的请求带有不合法参数|当前访问疑似黑客攻击|已被创宇盾拦截|您的访问被阻断"
    r"|网站防火墙.{0,40}拦截|访问被拦截|请求已被拦截|已被(?:安全狗|云锁|网站安全狗)拦截|云锁.{0,20}拦截",
    re.S)


@dataclass(frozen=True)
class PageFeatures:
    """What a page shows and what its scripts do.

    >>> f = page_features(b"<html><script>document.cookie='a=1';location.reload()</script></html>")
    >>> (f.text_len, f.links, f.sets_cookie, f.navigates)
    (0, 0, True, True)
    """
    size: int
    text_len: int          # characters of visible text
    links: int             # <a href> to a page (not # or javascript:)
    script: str            # inline scripts and onload handlers, joined
    sets_cookie: bool
    navigates: bool
    computes: bool         # char codes, eval, \\x escapes
    runs_on_load: bool
    verify_jump: bool      # navigates (or meta-refreshes) to a verification URL
    text: str              # the visible text (for ban phrases)


def decode(body: bytes) -> str:
    """The page as text: UTF-8 when it is, else GB18030 (what Chinese portals use)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", "replace")


def visible_text(html: str) -> str:
    """Text outside scripts, styles and tags, whitespace collapsed.

    >>> visible_text("<p>正在 验证</p><script>var a='x'</script>")
    '正在 验证'
    """
    html = _COMMENT.sub(" ", _STYLE.sub(" ", _SCRIPT.sub(" ", html)))
    return " ".join(_ENTITY.sub(" ", _TAG.sub(" ", html)).split())


def deobfuscate(script: str) -> str:
    """Undo the character-by-character spelling walls use to hide cookie names:
    ``('_')+('_')+('j')`` → ``__j``.

    >>> deobfuscate("document.cookie=('_')+('_')+('j')+('s')+('l')")
    'document.cookie=__jsl'
    """
    return re.sub(r"\(?['\"]([^'\"\\]{0,3})['\"]\)?\s*\+?\s*", r"\1", script)


def page_features(body: bytes) -> PageFeatures:
    html = decode(body[:MAX_WALL_BYTES])
    scripts = [m.group(1) for m in _SCRIPT.finditer(html)] + _EVENT.findall(html)
    script = "\n".join(scripts)
    text = visible_text(html)
    navigates = bool(_NAVIGATES.search(script))
    targets = [m.group(1) for m in _META_REFRESH.finditer(html)]
    if navigates:
        targets += _STRING_LITERAL.findall(script)
    verify_jump = any(_VERIFY_URL.search(t) for t in targets)
    return PageFeatures(size=len(body), text_len=len(text.replace(" ", "")), links=len(_LINK.findall(html)),
                        script=script, sets_cookie=bool(_SETS_COOKIE.search(script)), navigates=navigates,
                        computes=bool(_COMPUTES.search(script)), runs_on_load=bool(_RUNS_ON_LOAD.search(script)),
                        verify_jump=verify_jump, text=text)


def _product(html_and_script: str) -> str | None:
    for name, rx in PRODUCTS:
        if rx.search(html_and_script):
            return name
    return None


def header_product(headers: dict | None) -> str | None:
    """The WAF a response's Server / Set-Cookie headers name.

    >>> header_product({b"Server": [b"Safedog"]})
    'safedog'
    """
    values = []
    for k, v in (headers or {}).items():
        k = (k.decode("latin-1") if isinstance(k, bytes) else str(k)).lower()
        if k in ("server", "set-cookie", "x-powered-by", "x-via", "via"):
            for one in v if isinstance(v, (list, tuple)) else [v]:
                values.append(one.decode("latin-1") if isinstance(one, bytes) else str(one))
    hay = "\n".join(values)
    for name, rx in HEADER_PRODUCTS:
        if rx.search(hay):
            return name
    return None


def is_tiny(f: PageFeatures) -> bool:
    """No content a reader could use: little text, at most a couple of links."""
    return f.size <= MAX_WALL_BYTES and f.text_len <= MAX_WALL_TEXT and f.links <= MAX_WALL_LINKS


def wall_kind(body: bytes, headers: dict | None = None) -> str | None:
    """The kind of bot wall `body` is, or None for a page with content.

    Kinds a browser can pass: ``ruishu``, ``jsl``, ``yunsuo``, ``safedog``, ``knownsec`` (a
    product's challenge script), ``cookie-reload`` (sets a cookie then navigates),
    ``js-token`` (computes a value from char codes / eval and runs on load), ``verify-jump``
    (jumps to a verification URL). ``ban-<product>`` (an interception page) no browser passes.

    >>> wall_kind(b"<html><script>document.cookie='t=1';location.href=location.href</script></html>")
    'cookie-reload'
    >>> wall_kind("<title>网站防火墙</title><p>您的请求带有不合法参数，已被网站管理员设置拦截！</p>".encode())
    'ban-waf'
    >>> wall_kind(b"<script>location.href='/index.html'</script>") is None      # a plain JS redirect
    True
    """
    head = body.lstrip()[:16]
    if not body or head[:1] in (b"{", b"[") or head.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None
    if len(body) > MAX_WALL_BYTES and not re.search(rb"\$_ts|__jsl|security_verify_", body[:4096]):
        return None
    f = page_features(body)
    if f.size <= MAX_WALL_BYTES and f.text_len <= MAX_BAN_TEXT and BAN_PHRASES.search(f.text):
        return f"ban-{_product(decode(body)) or header_product(headers) or 'waf'}"
    if not is_tiny(f):
        return None
    scripted = f.sets_cookie or f.navigates or (f.computes and f.runs_on_load)
    product = _product(f.text + "\n" + f.script) or _product(deobfuscate(f.script))
    if product and (scripted or product in ("ruishu", "jsl")):
        return product
    if product:
        return f"ban-{product}"
    if f.sets_cookie and f.navigates or f.verify_jump or f.computes and f.runs_on_load and (f.sets_cookie or f.navigates):
        return header_product(headers) or ("verify-jump" if f.verify_jump and not f.sets_cookie else
                                           "cookie-reload" if f.sets_cookie else "js-token")
    if f.computes and f.runs_on_load and f.text_len == 0 and f.links == 0:
        return header_product(headers) or "js-token"
    return None
