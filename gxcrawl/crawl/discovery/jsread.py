"""A small reader of what a page's JavaScript says without running it: object literals
(`window._CONFIG = {SID: '755030', TREE: [...]}`), string variables, and the URLs its code
builds by concatenation or template strings. No Scrapy, no JS engine.

>>> js_value("{SID: '755030', open: !0, tree: [{id: 529, name: '年报'},], f: function(){return 1}}")
{'SID': '755030', 'open': True, 'tree': [{'id': 529, 'name': '年报'}], 'f': None}
>>> assignments("window._CONFIG = {SID: 'a1'}; var api = '/api/list'")
{'_CONFIG': {'SID': 'a1'}, 'api': '/api/list'}
>>> assignments("window._CONFIG = JSON.parse('{\\"SID\\": \\"a2\\"}')")
{'_CONFIG': {'SID': 'a2'}}
>>> [t.text for t in url_templates('$.get("/gkmlpt/api/all/"+t+"?page="+n+"&sid="+window._CONFIG.SID)')]
['/gkmlpt/api/all/{t}?page={n}&sid={SID}']
>>> [t.text for t in url_templates("var u = `/api/list?colid=${colid}&pageIndex=${p}`;")]
['/api/list?colid={colid}&pageIndex={p}']
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

#: tokens of JavaScript good enough for literals and concatenations
TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<str>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<tpl>`(?:[^`\\]|\\.)*`)
  | (?P<num>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))
  | (?P<name>[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)
  | (?P<punct>[{}\[\](),:;+=!?.<>&|*%/-])
""", re.S | re.X)

#: at most this many tokens are read from one script (large bundles are cut, never slow)
MAX_TOKENS = 400_000


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(code: str) -> list[Token]:
    """The code's tokens (comments and spaces dropped; unknown characters skipped)."""
    out: list[Token] = []
    pos, n = 0, len(code)
    while pos < n and len(out) < MAX_TOKENS:
        m = TOKEN.match(code, pos)
        if not m:
            pos += 1
            continue
        pos = m.end()
        if m.lastgroup != "ws":
            out.append(Token(m.lastgroup, m.group()))
    return out


def unquote(literal: str) -> str:
    """The value of a JS string literal ('…', "…", `…`)."""
    body = literal[1:-1]
    try:
        return json.loads('"' + body.replace('\\\'', "'").replace('"', '\\"').replace('\\\\"', '\\"') + '"')
    except ValueError:
        return re.sub(r"\\(.)", r"\1", body)


class _Reader:
    """Recursive descent over tokens; whatever is not a literal reads as None."""

    def __init__(self, toks: list[Token], pos: int = 0):
        self.toks, self.pos = toks, pos

    def peek(self, k: int = 0) -> Optional[Token]:
        i = self.pos + k
        return self.toks[i] if i < len(self.toks) else None

    def value(self) -> Any:
        tok = self.peek()
        if tok is None:
            return None
        if tok.text == "{":
            return self.obj()
        if tok.text == "[":
            return self.arr()
        if tok.kind in ("str", "tpl"):
            self.pos += 1
            if tok.kind == "tpl" and "${" in tok.text:
                self.skip_expr()
                return None
            return unquote(tok.text) if not self._concat_follows() else self._skip_rest(None)
        if tok.kind == "num":
            self.pos += 1
            text = tok.text
            number = int(text, 16) if text.lower().startswith(("0x", "-0x")) else float(text) if re.search(r"[.eE]", text) \
                else int(text)
            return number if not self._concat_follows() else self._skip_rest(None)
        if tok.text == "!" and self.peek(1) is not None and self.peek(1).text in ("0", "1"):
            self.pos += 2
            return self.peek(-1).text == "0"
        if tok.kind == "name" and re.sub(r"\s+", "", tok.text) == "JSON.parse" and self.peek(1) is not None \
                and self.peek(1).text == "(" and self.peek(2) is not None and self.peek(2).kind == "str":
            self.pos += 2                     # JSON.parse('{…}'): the string's JSON
            literal = self.peek().text
            self.skip_expr()
            if self.peek() is not None and self.peek().text == ")":
                self.pos += 1
            try:
                return json.loads(unquote(literal))
            except ValueError:
                return None
        if tok.kind == "name" and tok.text in ("true", "false", "null", "undefined"):
            self.pos += 1
            return {"true": True, "false": False}.get(tok.text)
        self.skip_expr()
        return None

    def _concat_follows(self) -> bool:
        nxt = self.peek()
        return nxt is not None and nxt.text in ("+", "?", "(", ".", "[", "&", "|", "*", "/", "-")

    def _skip_rest(self, result: Any) -> Any:
        self.skip_expr()
        return result

    def skip_expr(self) -> None:
        """Skip to the , or closing bracket that ends the current value."""
        depth = 0
        while self.pos < len(self.toks):
            t = self.toks[self.pos].text
            if t in "{[(":
                depth += 1
            elif t in "}])":
                if depth == 0:
                    return
                depth -= 1
            elif (t == "," or t == ";") and depth == 0:
                return
            self.pos += 1

    def key(self) -> Optional[str]:
        tok = self.peek()
        if tok is None:
            return None
        self.pos += 1
        if tok.kind == "str":
            return unquote(tok.text)
        if tok.kind in ("name", "num"):
            return tok.text
        if tok.text == "[":           # a computed key: [x]
            self.skip_expr()
            self.pos += 1
            return None
        return None

    def obj(self) -> dict:
        out: dict = {}
        self.pos += 1                 # {
        while self.peek() is not None and self.peek().text != "}":
            start = self.pos
            if self.peek().text == ",":
                self.pos += 1
                continue
            if self.peek().text == ".":   # ...spread
                self.skip_expr()
                continue
            k = self.key()
            nxt = self.peek()
            if nxt is not None and nxt.text == ":":
                self.pos += 1
                v = self.value()
                if k is not None and k not in out:
                    out[k] = v
            elif nxt is not None and nxt.text == "(":   # a method: f(){…}
                self.skip_expr()
            elif nxt is not None and nxt.text in (",", "}") and k is not None:   # {a, b} shorthand
                out.setdefault(k, None)
            else:
                self.skip_expr()
            if self.pos == start:
                self.pos += 1
        self.pos += 1                 # }
        return out

    def arr(self) -> list:
        out: list = []
        self.pos += 1                 # [
        while self.peek() is not None and self.peek().text != "]":
            start = self.pos
            if self.peek().text == ",":
                self.pos += 1
                continue
            out.append(self.value())
            if self.pos == start:
                self.pos += 1
        self.pos += 1                 # ]
        return out


def js_value(code: str) -> Any:
    """The literal at the start of `code` ({…}, […], a string, a number), None if there is none."""
    return _Reader(tokens(code)).value()


def assignments(code: str) -> dict[str, Any]:
    """Every `name = literal` / `var name = literal` / `name: literal` at the top of statements:
    the last segment of the name → its value (objects, arrays, strings, numbers). First wins."""
    toks = tokens(code)
    out: dict[str, Any] = {}
    for i, tok in enumerate(toks[:-2]):
        if tok.kind != "name" or toks[i + 1].text != "=" or (i + 2 < len(toks) and toks[i + 2].text == "="):
            continue
        if i > 0 and toks[i - 1].text in ("=", "!", "<", ">"):
            continue
        nxt = toks[i + 2]
        if nxt.text in ("{", "[") or nxt.kind in ("str", "num") or re.sub(r"\s+", "", nxt.text) == "JSON.parse":
            value = _Reader(toks, i + 2).value()
            name = tok.text.replace(" ", "").split(".")[-1]
            if value is not None and name not in ("innerHTML", "href", "cookie", "src", "value"):
                out.setdefault(name, value)
    return out


# -- URLs the code builds --------------------------------------------------------------
@dataclass(frozen=True)
class Template:
    """A URL the code builds: literal parts, and {name} where an expression stands."""
    text: str                 # e.g. '/gkmlpt/api/all/{t}?page={n}&sid={SID}'
    method: str = "GET"       # POST: the query goes in a form body

    @property
    def names(self) -> list[str]:
        return re.findall(r"\{([\w$]+)\}", self.text)


def _placeholder(expr: str) -> str:
    name = re.sub(r"\s+", "", expr).split(".")[-1]
    name = re.sub(r"\W", "", name)
    return name or "x"


def _template_string(literal: str, strings: dict[str, str]) -> str:
    body = literal[1:-1]

    def sub(m):
        expr = m.group(1).strip()
        key = re.sub(r"\s+", "", expr)
        return strings.get(key, strings.get(key.split(".")[-1], "{" + _placeholder(expr) + "}"))
    return re.sub(r"\$\{([^}]*)\}", sub, body)


def _skip_call(toks: list[Token], j: int) -> tuple[int, str]:
    """Skip `(…)`, `[…]` and `.name` groups from toks[j]; the index after them and the last
    string literal seen inside."""
    arg = ""
    while j < len(toks):
        t = toks[j].text
        if t in ("(", "["):
            depth = 0
            while j < len(toks):
                tt = toks[j]
                if tt.text in ("(", "["):
                    depth += 1
                elif tt.text in (")", "]"):
                    depth -= 1
                    if depth == 0:
                        break
                elif tt.kind == "str":
                    arg = unquote(tt.text)
                j += 1
            j += 1
        elif t == "." and j + 1 < len(toks) and toks[j + 1].kind == "name":
            j += 2
        else:
            break
    return j, re.sub(r"^data-", "", arg)


SKIP_NAMES = ("var", "let", "const", "return", "new", "function", "typeof")


def _chain_at(toks: list[Token], i: int, strings: dict[str, str]) -> tuple[str, int, bool]:
    """The `operand + operand + …` starting at toks[i]: (its template text, the index of its
    last token, whether a string is part of it)."""
    parts, j, has_string = [], i, False
    while j < len(toks):
        t = toks[j]
        if t.kind == "str":
            parts.append(unquote(t.text))
            has_string = True
        elif t.kind == "tpl":
            parts.append(_template_string(t.text, strings))
            has_string = True
        elif t.kind == "num":
            parts.append(t.text)
        elif t.kind == "name" and t.text not in SKIP_NAMES:
            key = re.sub(r"\s+", "", t.text)
            if key in strings:
                parts.append(strings[key])
                has_string = True
            elif key.split(".")[-1] in strings and "." in key:
                parts.append(strings[key.split(".")[-1]])
                has_string = True
            elif j + 1 < len(toks) and toks[j + 1].text in ("(", "["):
                # a call / index: opaque, named by its last string argument ($(…).data('colid'))
                j, arg = _skip_call(toks, j + 1)
                parts.append("{" + _placeholder(arg or key) + "}")
                j -= 1
            else:
                parts.append("{" + _placeholder(key) + "}")
        else:
            break
        if j + 1 < len(toks) and toks[j + 1].text == "+":
            j += 2
            continue
        break
    return "".join(parts), j, has_string


def _chains(toks: list[Token], strings: dict[str, str]) -> Iterator[str]:
    """Each maximal `operand + operand + …` made of strings and names, as one template text."""
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.kind not in ("str", "tpl", "name") or (
                tok.kind == "name" and i + 1 < len(toks) and toks[i + 1].text in ("(", "[")):
            i += 1
            continue
        text, j, has_string = _chain_at(toks, i, strings)
        if has_string:
            yield text
        i = max(j, i) + 1


# -- ajax calls: $.ajax({url, data, type}), $.get(url, data), axios.get(url, {params}) --------
AJAX_CALL = re.compile(r"(^|\.)(ajax|get|post|getJSON|request|fetch)$", re.I)


def _options(toks: list[Token], i: int, strings: dict[str, str]) -> tuple[dict, int]:
    """The {key: value} at toks[i] with each value as template text ({name} for variables,
    nested objects as dicts); the index after its closing brace."""
    out: dict = {}
    j = i + 1
    while j < len(toks) and toks[j].text != "}":
        if toks[j].text == ",":
            j += 1
            continue
        key_tok = toks[j]
        if j + 1 >= len(toks) or toks[j + 1].text != ":" or key_tok.kind not in ("name", "str", "num"):
            # skip to the next , at this depth (a method, a spread …)
            depth = 0
            while j < len(toks) and not (depth == 0 and toks[j].text in (",", "}")):
                depth += toks[j].text in "{[(" and 1 or 0
                depth -= toks[j].text in "}])" and 1 or 0
                j += 1
            continue
        key = unquote(key_tok.text) if key_tok.kind == "str" else key_tok.text
        j += 2
        if j < len(toks) and toks[j].text == "{":
            value, j = _options(toks, j, strings)
            out[key] = value
            continue
        if j < len(toks) and toks[j].kind == "name" and toks[j].text == "function":
            depth = 0
            while j < len(toks):
                if toks[j].text == "{":
                    depth += 1
                elif toks[j].text == "}":
                    depth -= 1
                    if depth == 0:
                        j += 1
                        break
                j += 1
            continue
        text, end, _ = _chain_at(toks, j, strings)
        out[key] = text
        j = end + 1
        depth = 0
        while j < len(toks) and not (depth == 0 and toks[j].text in (",", "}")):
            depth += toks[j].text in "{[(" and 1 or 0
            depth -= toks[j].text in "}])" and 1 or 0
            j += 1
    return out, j + 1


def _with_params(url: str, params: dict) -> str:
    pairs = [f"{k}={v}" for k, v in params.items() if isinstance(v, str)]
    if not pairs:
        return url
    return url + ("&" if "?" in url else "?") + "&".join(pairs)


def ajax_templates(code: str, strings: Optional[dict[str, str]] = None) -> list[Template]:
    """Endpoints of ajax calls whose parameters sit in an object: `$.ajax({url: api, data:
    {colid: c, pageNo: p}, type: 'post'})`, `$.get(api, {colid: c})`, `axios.get(api,
    {params: {…}})` — the URL with the object's keys as its query.

    >>> [(t.text, t.method) for t in ajax_templates("$.ajax({url: '/api/list', type: 'POST', data: {colid: 5, pageNo: p}})")]
    [('/api/list?colid=5&pageNo={p}', 'POST')]
    """
    known = dict(strings or {})
    toks = tokens(code)
    out: list[Template] = []
    for i, tok in enumerate(toks[:-2]):
        if tok.kind != "name" or not AJAX_CALL.search(re.sub(r"\s+", "", tok.text)) or toks[i + 1].text != "(":
            continue
        method = "POST" if tok.text.lower().endswith("post") else "GET"
        if toks[i + 2].text == "{":                     # $.ajax({url: …, data: {…}})
            opts, _ = _options(toks, i + 2, known)
            url = opts.get("url")
            params = opts.get("data") if isinstance(opts.get("data"), dict) else opts.get("params")
            kind = str(opts.get("type") or opts.get("method") or "").lower()
            method = "POST" if "post" in kind else method
        else:                                          # $.get(url, {…}) / axios.get(url, {params: {…}})
            url, end, has_string = _chain_at(toks, i + 2, known)
            if not has_string:
                continue
            params = None
            if end + 2 < len(toks) and toks[end + 1].text == "," and toks[end + 2].text == "{":
                opts, _ = _options(toks, end + 2, known)
                params = opts.get("params") if isinstance(opts.get("params"), dict) else opts
        if not isinstance(url, str) or not url:
            continue
        out.append(Template(_with_params(url, params if isinstance(params, dict) else {}), method))
    return out


ENDPOINT_HINT = re.compile(r"api|list|data|query|search|json|page|column|catalog|\.do\b|\.jsp|\.action|\.ashx|\.aspx|\.php",
                           re.I)
STATIC = re.compile(r"\.(js|css|png|jpe?g|gif|svg|ico|woff2?|ttf|html?|shtml|vue)(\?|$|#)", re.I)


def string_values(code: str) -> dict[str, str]:
    """Variables holding plain strings (`var api = '/api/list'`, `_CONFIG.SID: '…'` → SID)."""
    out: dict[str, str] = {}

    def walk(prefix: str, value: Any, depth: int = 0) -> None:
        if depth > 6:
            return
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            out.setdefault(prefix, str(value))
            out.setdefault(prefix.split(".")[-1], str(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}", v, depth + 1)
    for name, value in assignments(code).items():
        walk(name, value)
    return out


def url_templates(code: str, strings: Optional[dict[str, str]] = None) -> list[Template]:
    """URLs the code builds that look like data endpoints (paths with api/list/data/… and no
    static-file extension), with {name} where a variable stands. `strings` adds known string
    variables (the page's config) to the code's own."""
    known = dict(strings or {})
    for k, v in string_values(code).items():
        known.setdefault(k, v)
    out: list[Template] = []
    seen: set[str] = set()
    candidates = [(t.text, t.method) for t in ajax_templates(code, known)] + [(t, "GET") for t in _chains(tokens(code), known)]
    for text, method in candidates:
        # a base the code keeps in a variable (base + '/api/list'): the site's root
        text = re.sub(r"^\{[\w$]+\}(?=/[\w{])", "", text.strip())
        if not re.match(r"(https?:)?//|\.{0,2}/|[\w-]+/[\w{]", text) or len(text) > 400 or "\n" in text:
            continue
        static_part = re.sub(r"\{[\w$]+\}", "", text)
        if STATIC.search(static_part.split("?")[0]) or not ENDPOINT_HINT.search(static_part):
            continue
        if not re.search(r"[\w}]/[\w{]|\?", text.lstrip("./")) and not re.search(r"\.(do|jsp|action|ashx|aspx|php|json)", text):
            continue
        if text not in seen:
            seen.add(text)
            out.append(Template(text, method))
    # a bare endpoint that another template completes (var api = '/api/list'; api + '?colid=' …) is that one
    return [t for t in out if not any(o.text != t.text and o.text.startswith(t.text) for o in out)]
