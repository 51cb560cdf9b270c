"""What a list page loads: its same-host script files, the configuration its scripts hold
(`window._CONFIG`, `SID`, category trees, `columnid`/`unitid`, data-* attributes) and the
list endpoints they call, filled in to URLs the spider can ask. Pure; no Scrapy.

A list page whose HTML yields no entries is read through what it loads: the endpoint
templates of its inline scripts and of the same-host script files it references (read once
per crawl), filled from the page's context — a query parameter by its name (`sid` ← the
config's SID, `colid` ← a data-colid attribute), a page number where a page parameter
stands, and a category id where a path segment is a variable (the categories whose name is
an annual-report column, found in the config's tree by name).

>>> ctx = page_context('<div id="l" data-colid="12"></div><script>window._CONFIG={SID:"s9",'
...                    'TREE:[{id:3,name:"政府信息公开指南"},{id:7,name:"政府信息公开年报"}]}</script>',
...                    "http://www.x.gov.cn/gkmlpt/index")
>>> ctx.values["sid"], ctx.values["colid"], ctx.categories
('s9', '12', ['7'])
>>> fill(Template("/gkmlpt/api/all/{t}?page={n}&sid={SID}"), ctx, "http://www.x.gov.cn/gkmlpt/index")
['http://www.x.gov.cn/gkmlpt/api/all/7?page=__PAGE__&sid=s9']
>>> page_url('http://www.x.gov.cn/api?page=__PAGE__', 2)
'http://www.x.gov.cn/api?page=2'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional
from urllib.parse import parse_qsl, urljoin, urlsplit

from gxcrawl.crawl.discovery.jsread import Template, assignments, js_value, string_values, url_templates
from gxcrawl.crawl.discovery.links import column_score, is_lookalike, normalize
from gxcrawl.crawl.discovery.lists import parse_html

#: the page number's stand-in inside a filled URL (`page_url` puts the number in)
PAGE = "__PAGE__"
PAGE_NAMES = re.compile(r"^(page|pageno|pageindex|pagenum|pagenumber|curpage|currentpage|currpage|cur|p|pn|pg|pageindexs"
                        r"|page_no|page_index|current)$", re.I)
SIZE_NAMES = re.compile(r"^(pagesize|page_size|size|rows|limit|perpage|prepage|pernum|pagecount|num|count|ps)$", re.I)
ID_NAMES = re.compile(r"(col|column|cat|category|channel|chnl|class|node|menu|type|dir|tree)_?(id|code|no)?$|^(cid|id)$",
                      re.I)
#: script files never worth reading for endpoints (libraries, frameworks, analytics)
LIBRARY = re.compile(r"jquery|vue(\.runtime)?(\.min)?\.js|react|angular|bootstrap|layer\.js|layui|swiper|echarts|"
                     r"polyfill|chunk-vendors|vendor|axios|lodash|moment|babel|html5shiv|respond\.min|"
                     r"/common/(js/)?(wza|aria)|jiucuo|analytics|baidu|cnzz|hm\.js|gov_aj|conac|"
                     r"zepto|seajs|require\.js|crypto|md5|base64|qrcode|superslide|flexible|scroll|slide", re.I)
#: a bundler's runtime (webpack manifest / runtime~app): read last, for the chunks it names
RUNTIME = re.compile(r"/(manifest|runtime)[.~-][^/]*\.js$", re.I)
DEFAULT_PAGE_SIZE = "20"


@dataclass
class PageContext:
    """What a page tells its scripts: named values and the report categories of its trees."""
    values: dict[str, str] = field(default_factory=dict)      # lower-case name → value
    categories: list[str] = field(default_factory=list)       # ids of report-named categories
    trees: bool = False                                       # a category tree was seen at all
    templates: list[Template] = field(default_factory=list)   # endpoints its inline code builds

    def merge(self, other: "PageContext") -> "PageContext":
        out = PageContext(dict(self.values), list(self.categories), self.trees or other.trees, list(self.templates))
        for k, v in other.values.items():
            out.values.setdefault(k, v)
        out.categories += [c for c in other.categories if c not in out.categories]
        out.templates += [t for t in other.templates if t not in out.templates]
        return out


# -- categories -----------------------------------------------------------------------
NAME_KEYS = ("name", "title", "text", "label", "catname", "catName", "cname", "columnName", "chnlName", "classname",
             "className", "typename", "typeName", "mc")
ID_KEYS = ("id", "catid", "catId", "cid", "columnid", "columnId", "colid", "classid", "classId", "channelid",
           "channelId", "chnlid", "nodeid", "nodeId", "code", "value", "key", "typeid", "typeId")
CHILD_KEYS = ("children", "child", "childs", "sub", "subs", "nodes", "items", "list", "data", "columns", "cats")


def _scalar(v: Any) -> bool:
    return isinstance(v, (str, int)) and not isinstance(v, bool) and str(v) != ""


def _node(d: dict, in_list: bool = False) -> Optional[tuple[str, str]]:
    """(id, name) of a tree node: the usual keys first, else — for an element of a list —
    any *name* key and any *id* key (classify_name, classify_id)."""
    name = next((str(d[k]) for k in NAME_KEYS if isinstance(d.get(k), str) and d.get(k)), None)
    ident = next((str(d[k]) for k in ID_KEYS if _scalar(d.get(k))), None)
    if in_list:
        name = name or next((v for k, v in d.items() if re.search(r"name$", k, re.I) and isinstance(v, str) and v), None)
        ident = ident or next((str(v) for k, v in d.items() if re.search(r"id$", k, re.I)
                               and not re.search(r"parent|pid|site|web|unit", k, re.I) and _scalar(v)), None)
    return (ident, name) if name and ident else None


def category_nodes(obj: Any, depth: int = 0, parent: str = "") -> list[tuple[str, str]]:
    """(id, name) of every node of the category trees in `obj` (lists of {id, name, children})."""
    return [(i, n) for i, n, _ in _nodes(obj)]


def _nodes(obj: Any, depth: int = 0, parent: str = "") -> list[tuple[str, str, str]]:
    """(id, name, the nearest named ancestor's name) of every node."""
    out: list[tuple[str, str, str]] = []
    if depth > 12:
        return out
    if isinstance(obj, list):
        for x in obj:
            if isinstance(x, dict):
                node = _node(x, in_list=True)
                if node:
                    out.append((node[0], node[1], parent))
                for v in x.values():
                    if isinstance(v, (list, dict)):
                        out += _nodes(v, depth + 1, node[1] if node else parent)
            else:
                out += _nodes(x, depth + 1, parent)
    elif isinstance(obj, dict):
        node = _node(obj)
        if node:
            out.append((node[0], node[1], parent))
        for v in obj.values():
            if isinstance(v, (list, dict)):
                out += _nodes(v, depth + 1, node[1] if node else parent)
    return out


def is_report_category(name: str) -> bool:
    """A category named as the annual-report column (政府信息公开年报, 年度报告, 部门年报 …).

    >>> is_report_category("政府信息公开年报"), is_report_category("政府信息公开指南")
    (True, False)
    """
    return column_score(name, "") >= 5 and not is_lookalike(name)


def report_categories(obj: Any) -> list[str]:
    """Ids of the report-named categories of the trees in `obj`, in order."""
    out: list[str] = []
    for ident, name, parent in _nodes(obj):
        name = normalize(name)
        if re.fullmatch(r"\d{4}年?度?", name):       # a year folder counts only under a report category
            if not (parent and is_report_category(normalize(parent))):
                continue
        elif not is_report_category(name):
            continue
        if ident not in out:
            out.append(ident)
    return out


# -- the page's context ---------------------------------------------------------------
def _flat(prefix: str, value: Any, out: dict, depth: int = 0) -> None:
    if depth > 5:
        return
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        key = prefix.split(".")[-1].lower()
        if key and len(str(value)) <= 200:
            out.setdefault(key, str(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            _flat(f"{prefix}.{k}", v, out, depth + 1)


def script_context(code: str) -> PageContext:
    """The values, trees and endpoint templates of one script's code."""
    ctx = PageContext()
    found = assignments(code)
    for name, value in found.items():
        _flat(name, value, ctx.values)
        if isinstance(value, (list, dict)) and category_nodes(value):
            ctx.trees = True
            ctx.categories += [c for c in report_categories(value) if c not in ctx.categories]
    for m in re.finditer(r"""['"]?(\w+)['"]?\s*:\s*['"]([^'"\n]{1,80})['"]""", code):   # ajax data: {colid: '1'}
        ctx.values.setdefault(m.group(1).lower(), m.group(2))
    ctx.templates = url_templates(code, string_values(code))
    return ctx


def inline_scripts(tree) -> list[str]:
    return [s.text or "" for s in tree.iter("script") if not s.get("src")
            and (s.get("type") or "text/javascript").lower() in ("text/javascript", "application/javascript", "module", "")]


def page_context(text: str, page_url: str, tree=None) -> PageContext:
    """What the page tells its scripts: inline assignments and objects, data-* and hidden
    inputs, the page URL's own query parameters (and a Vue hash route's #id)."""
    tree = parse_html(text) if tree is None else tree
    ctx = PageContext()
    for code in inline_scripts(tree):
        ctx = ctx.merge(script_context(code))
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for k, v in el.attrib.items():
            if k.startswith("data-") and v and len(v) <= 80:
                ctx.values.setdefault(k[5:].replace("-", "").lower(), v)
        if el.tag == "input" and (el.get("type") or "").lower() == "hidden" and el.get("name") and el.get("value"):
            ctx.values.setdefault(el.get("name").lower(), el.get("value"))
    for k, v in parse_qsl(urlsplit(page_url).query):
        ctx.values.setdefault(k.lower(), v)
    for m in re.finditer(r"/col(?:umn)?/col(\d+)/", page_url):   # Hanweb column folders
        ctx.values.setdefault("columnid", m.group(1))
    return ctx


def script_sources(text: str, page_url: str, hosts_ok: Callable[[str], bool], tree=None) -> list[str]:
    """Same-host script files the page loads (<script src>, <link rel=preload|prefetch|modulepreload
    as=script>), libraries left out, the most likely to hold the list's code first."""
    tree = parse_html(text) if tree is None else tree
    found = [s.get("src") for s in tree.iter("script") if s.get("src")]
    found += [l.get("href") for l in tree.iter("link") if (l.get("href") or "").split("?")[0].endswith(".js")
              and re.search(r"preload|prefetch|script", (l.get("rel") or "") + (l.get("as") or ""), re.I)]
    # most likely first: chunks announced for later (a Vue/webpack list component), then the page's
    # own scripts from the last (libraries and frameworks come first on a page)
    prefetch = [l.get("href") for l in tree.iter("link") if (l.get("href") or "").split("?")[0].endswith(".js")
                and re.search(r"prefetch", l.get("rel") or "", re.I)]
    found = prefetch + list(reversed([f for f in found if f not in prefetch]))
    out: list[str] = []
    for src in found:
        url = urljoin(page_url, src.strip()).split("#")[0]
        if url.startswith(("http://", "https://")) and hosts_ok(url) and not LIBRARY.search(urlsplit(url).path) \
                and url not in out:
            out.append(url)
    return [u for u in out if not RUNTIME.search(urlsplit(u).path)] + [u for u in out if RUNTIME.search(urlsplit(u).path)]


WEBPACK_MAP = re.compile(r"""['"]((?:static/)?js/)['"]\s*\+\s*(?:\(\s*(\{[^{}]*\})\s*\[\s*\w+\s*\]\s*\|\|\s*\w+\s*\)|\w+)"""
                         r"""\s*\+\s*['"]\.['"]\s*\+\s*(\{[^{}]*\})\s*\[\s*\w+\s*\]\s*\+\s*['"]\.js['"]""")
PUBLIC_PATH = re.compile(r"""\b\w\.p\s*=\s*['"]([^'"]*)['"]""")


def webpack_chunks(code: str, script_url: str) -> list[str]:
    """The async chunks a webpack runtime names: "static/js/"+({…}[e]||e)+"."+{name: hash}[e]+".js"
    under its public path (`a.p="/gkmlpt/"`).

    >>> webpack_chunks('a.p="/gkmlpt/";function u(e){return a.p+"static/js/"+({}[e]||e)+"."+{"chunk-1a":"5f1b"}[e]+".js"}',
    ...                "http://x.gov.cn/gkmlpt/static/js/manifest.js")
    ['http://x.gov.cn/gkmlpt/static/js/chunk-1a.5f1b.js']
    """
    out: list[str] = []
    public = PUBLIC_PATH.search(code)
    base = urljoin(script_url, public.group(1)) if public else urljoin(script_url, "../../")
    for m in WEBPACK_MAP.finditer(code):
        names = js_value(m.group(2)) if m.group(2) else {}
        hashes = js_value(m.group(3)) or {}
        if not isinstance(hashes, dict):
            continue
        for chunk, digest in hashes.items():
            name = names.get(chunk, chunk) if isinstance(names, dict) else chunk
            url = urljoin(base, f"{m.group(1)}{name}.{digest}.js")
            if url not in out:
                out.append(url)
    return out


def script_files_named(code: str, script_url: str, hosts_ok: Callable[[str], bool]) -> list[str]:
    """Further same-host .js files a script names (a loader, a webpack runtime's chunk map), libraries out."""
    out: list[str] = []
    found = [urljoin(script_url, m.group(1)) for m in re.finditer(r"""['"]([\w./-]+\.js)['"]""", code)]
    for url in webpack_chunks(code, script_url) + found:
        if hosts_ok(url) and not LIBRARY.search(urlsplit(url).path) and url not in out:
            out.append(url)
    return out[:10]


# -- filling a template -----------------------------------------------------------------
def _lookup(ctx: PageContext, *names: str) -> Optional[str]:
    for n in names:
        if n and n.lower() in ctx.values:
            return ctx.values[n.lower()]
    return None


def _ids(ctx: PageContext, *names: str) -> list[str]:
    """The ids a category slot takes: the tree's report categories, else the page's own id."""
    if ctx.categories:
        return list(ctx.categories)
    if ctx.trees:          # a tree without any report category: nothing to ask
        return []
    own = _lookup(ctx, *names, "columnid", "colid", "catid", "channelid", "classid", "cid", "categoryid", "nodeid", "id")
    return [own] if own else []


def fill(template: Template, ctx: PageContext, base_url: str) -> list[str]:
    """The URLs a template stands for on this page: one per category id where an id is
    variable; the page number left as PAGE. A variable no context names leaves its query
    parameter out; in the path it makes the template unusable ([])."""
    text = template.text
    path, _, query = text.partition("?")
    variants = [""]
    # the path: variables are ids (a page-like name is the page)
    for piece in re.split(r"(\{[\w$]+\})", path):
        m = re.fullmatch(r"\{([\w$]+)\}", piece)
        if not m:
            variants = [v + piece for v in variants]
            continue
        name = m.group(1)
        if PAGE_NAMES.match(name):
            variants = [v + PAGE for v in variants]
            continue
        value = _lookup(ctx, name) if len(name) > 2 else None
        ids = [value] if value else _ids(ctx)
        if not ids:
            return []
        variants = [v + i for v in variants for i in ids]
    if not query:
        return [urljoin(base_url, v) for v in variants]
    pairs, id_slot = [], None
    for part in query.split("&"):
        if not part:
            continue
        key, eq, value = part.partition("=")
        holes = re.findall(r"\{([\w$]+)\}", value)
        if PAGE_NAMES.match(key) and (holes or value.isdigit()):     # pageNo: p (p = 1 at first): the page
            pairs.append(f"{key}={PAGE}")
            continue
        if not holes:
            pairs.append(part)
            continue
        name = holes[0]
        if PAGE_NAMES.match(key) or PAGE_NAMES.match(name):
            pairs.append(f"{key}={PAGE}")
        elif SIZE_NAMES.match(key) or SIZE_NAMES.match(name):
            pairs.append(f"{key}={_lookup(ctx, key, name) or DEFAULT_PAGE_SIZE}")
        elif ID_NAMES.search(key) and not _lookup(ctx, key, name if len(name) > 2 else ""):
            id_slot = key
            pairs.append(f"{key}={{ID}}")
        else:
            found = _lookup(ctx, key, name if len(name) > 2 else "")
            if found is not None:
                pairs.append(f"{key}={found}")
            elif key.lower() in ("sid", "siteid", "webid", "unitid"):
                return []          # a site key we do not know: the reply would be empty
    out = []
    for v in variants:
        q = "&".join(pairs)
        if id_slot:
            for i in _ids(ctx, id_slot):
                out.append(urljoin(base_url, f"{v}?{q.replace('{ID}', i)}"))
        else:
            out.append(urljoin(base_url, f"{v}?{q}" if q else v))
    return out


def page_url(pattern: str, page: int) -> str:
    """A filled URL for page `page`."""
    return pattern.replace(PAGE, str(page))


def has_page(pattern: str) -> bool:
    return PAGE in pattern


def first_page(pattern: str) -> int:
    """Pages count from 1 (0-based lists are read from 1 too: page 0 repeats page 1 or is empty)."""
    return 1


#: list endpoints of the platforms the crawler knows, for when their script files cannot be read:
#: gkmlpt (Guangdong's 政府信息公开目录): /…/gkmlpt/api/all/{category}?page=N&sid={SID}
FAMILY_TEMPLATES = ((re.compile(r"^(.*?/gkmlpt/)"), "sid", "{dir}api/all/{cat}?page={page}&sid={SID}"),)


def family_templates(page_url: str, ctx: PageContext) -> list[Template]:
    """The known platform endpoints a page stands for (its directory, its site key known).

    >>> ctx = PageContext(values={"sid": "759012"}, categories=["1203"], trees=True)
    >>> [t.text for t in family_templates("http://www.zhanjiang.gov.cn/zjsczj/gkmlpt/index", ctx)]
    ['/zjsczj/gkmlpt/api/all/{cat}?page={page}&sid={SID}', '/gkmlpt/api/all/{cat}?page={page}&sid={SID}']
    """
    path = urlsplit(page_url).path
    out = []
    for rx, key, text in FAMILY_TEMPLATES:
        m = rx.match(path)
        if m and key in ctx.values:
            out.append(Template(text.replace("{dir}", m.group(1))))
            root = "/" + m.group(1).rstrip("/").rsplit("/", 1)[-1] + "/"
            if root != m.group(1):       # a department's directory: the platform may answer at the root, by SID
                out.append(Template(text.replace("{dir}", root)))
    return out


def endpoint_urls(ctx: PageContext, templates: Iterable[Template], base_url: str,
                  hosts_ok: Callable[[str], bool]) -> list[str]:
    """Filled endpoint URLs (with PAGE where the page goes) on the portal's own hosts; an
    endpoint the code POSTs to is written 'POST url?form' (`split_method`)."""
    out: list[str] = []
    for tpl in templates:
        for url in fill(tpl, ctx, base_url):
            if tpl.method == "POST":
                url = "POST " + url
            if hosts_ok(split_method(url)[1]) and url not in out and "{" not in url:
                out.append(url)
    return out


def split_method(pattern: str) -> tuple[str, str, dict]:
    """(method, url, form) of a filled endpoint: a POST's query is its form body.

    >>> split_method("POST http://x.gov.cn/api/list?colid=5&pageNo=2")
    ('POST', 'http://x.gov.cn/api/list', {'colid': '5', 'pageNo': '2'})
    >>> split_method("http://x.gov.cn/api/list?colid=5")
    ('GET', 'http://x.gov.cn/api/list?colid=5', {})
    """
    if not pattern.startswith("POST "):
        return "GET", pattern, {}
    url, _, query = pattern[5:].partition("?")
    return "POST", url, dict(parse_qsl(query, keep_blank_values=True))
