"""Bot walls recognized by what they are (gxcrawl/crawl/discovery/walls.py), whatever the status:
pages built the way each real product builds its wall, and — the other side — no real page
(shared/samples/pages, shared/samples/corpus, the HTML fixtures, every page of the replica farm)
is ever called a wall, whether bare or inside portal chrome that carries cookie and jump scripts."""
import json

import pytest

from gxcrawl.crawl.discovery.blocked import block_reason, browser_can_help
from gxcrawl.crawl.discovery.walls import wall_kind
from gxcrawl.replicas.walls import GATES, ban_page, gate_page

# -- walls of each product, written as the products write them ---------------------------------
YUNSUO = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
          b'<script type="text/javascript">function stringToHex(str){var val="";for(var i=0;i<str.length;i++){'
          b'if(val=="")val=str.charCodeAt(i).toString(16);else val+=str.charCodeAt(i).toString(16);}return val;}'
          b'function YunSuoAutoJump(){var width=screen.width;var height=screen.height;var screendate=width+","+height;'
          b'var curlocation=window.location.href;if(-1==curlocation.indexOf("security_verify_")){'
          b'document.cookie="srcurl="+stringToHex(window.location.href)+";path=/;";}'
          b'self.location="/zwgk/?security_verify_data="+stringToHex(screendate);}</script>'
          b'<script>setTimeout("YunSuoAutoJump()",50);</script></body></html>')
JSL = (b"<html><body><script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+"
       b"('a')+('n')+('c')+('e')+('_')+('s')+('=')+(-~[]+[]+[[]][0])+('1')+('6')+('|')+('-')+('1')+"
       b"';max-age=3600;path=/';location.href=location.pathname+location.search</script></body></html>")
JSL_GO = (b'<html><body><script>;go({"bts":["1733300000.1|0|Xs","%3D"],"chars":"abcdef","ct":"0c2a",'
          b'"ha":"sha256","is":true,"tn":"__jsl_clearance_s","vt":"3600","wt":"1500"})</script></body></html>')
RUISHU = (b"<html><head><meta content=\"{a}\" r='m'><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};"
          b"$_ts.nsd=84137;$_ts.cd='qjAcrqAlrGPbq';</script><script src=\"/aRvJ5T/c.js\" r='m'></script>"
          b"</head><body></body></html>")
SAFEDOG_CC = (b'<html><body><script language="javascript">window.onload=setTimeout("ek(111)",200);'
              b'function ek(NF){var qo,mo="",no="",oo=[0x8c,0x1a,0x5e,0x7a,0xd0,0x66,0x4e,0x3d];'
              b'for(qo=0;qo<oo.length;qo++){no+=String.fromCharCode(oo[qo]^NF)}eval(no)}</script></body></html>')
GENERIC = ('<!doctype html><html><head><title></title></head><body><noscript>请开启JavaScript</noscript>'
           '<script>var t=(function(){var s=0;for(var i=0;i<9;i++){s+=i*7}return s})();'
           'document.cookie="_wafv="+t+"; path=/";window.location.replace(window.location.href)</script></body></html>').encode()
VERIFY_JUMP = ('<html><body><p>正在进行安全检测，请稍候……</p><script>setTimeout(function(){'
               'window.location.href="/_guard/verify.html?u="+encodeURIComponent(location.href)},800)</script>'
               '</body></html>').encode()
SAFEDOG_BAN = ('<html><head><title>网站防火墙</title></head><body><div><h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3>'
               '<p>可能原因：您提交的内容包含危险的攻击请求</p><p>如何解决：</p><ul><li>1）检查提交内容；</li>'
               '<li>2）如网站托管，请联系空间提供商；</li><li>3）普通网站访客，请联系网站管理员；</li></ul>'
               '<a href="http://www.safedog.cn/">网站安全狗</a></div></body></html>').encode("gb18030")
KNOWNSEC_BAN = ('<html><head><title>创宇盾</title></head><body><p>当前访问疑似黑客攻击，已被创宇盾拦截。</p>'
                '<p>如果您是网站管理员，请登录创宇盾查看拦截日志</p><a href="https://www.365cyd.com/">创宇盾</a>'
                '</body></html>').encode()

WALLS = [("yunsuo", YUNSUO, {}, "yunsuo"), ("jsl", JSL, {b"Set-Cookie": [b"__jsluid_s=8e2b; path=/"]}, "jsl"),
         ("jsl-go", JSL_GO, {}, "jsl"), ("ruishu", RUISHU, {}, "ruishu"),
         ("safedog-cc", SAFEDOG_CC, {b"Server": [b"Safedog"]}, "safedog"),
         ("safedog-cc-no-header", SAFEDOG_CC, {}, "js-token"),
         ("generic-cookie", GENERIC, {}, "cookie-reload"), ("verify-jump", VERIFY_JUMP, {}, "verify-jump")]


@pytest.mark.parametrize("name,body,headers,kind", WALLS, ids=[w[0] for w in WALLS])
@pytest.mark.parametrize("status", [200, 202, 403, 412, 521])
def test_each_product_wall_is_a_wall_whatever_its_status(name, body, headers, kind, status):
    assert wall_kind(body, headers) == kind
    reason = block_reason(status, headers, body)
    assert reason == f"{kind}-{status}"
    assert browser_can_help(reason)


@pytest.mark.parametrize("body,product", [(SAFEDOG_BAN, "ban-safedog"), (KNOWNSEC_BAN, "ban-knownsec")])
def test_interception_pages_are_walls_no_browser_passes(body, product):
    for status in (200, 403):
        reason = block_reason(status, {}, body)
        assert reason == f"{product}-{status}"
        assert not browser_can_help(reason)


def test_errors_and_redirects_are_not_walls():
    for status in (301, 302, 404, 410, 500, 503):
        assert block_reason(status, {}, YUNSUO) is None


def test_the_replica_gates_are_walls():
    """The farm's gates (gxcrawl/replicas/walls.py) — built from the products, not from this
    detector — are recognized."""
    for name in GATES:
        body, headers = gate_page(name, "http://www.example.gov.cn/a/b.html", token="0123456789abcdef")
        assert block_reason(200, headers, body), name
    assert block_reason(200, {}, ban_page()) == "ban-safedog-200"


# -- no real page is a wall ---------------------------------------------------------------------
#: the scripts portal chrome really carries: font size kept in a cookie, a search box that jumps,
#: a visit counter, a mobile redirect — functions called on click, next to the content
CHROME_SCRIPTS = (
    "<script>function setFontSize(s){document.cookie='fontsize='+s+';path=/';location.reload();}</script>"
    "<script>function doSearch(){var q=document.getElementById('q').value;"
    "window.location.href='/search/?q='+encodeURIComponent(q);}</script>"
    "<script>var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
    "hm.src='/js/count.js?'+String.fromCharCode(97);var s=document.getElementsByTagName('script')[0];"
    "s.parentNode.insertBefore(hm,s);})();</script>"
    "<script>if(/Android|iPhone/i.test(navigator.userAgent)){document.cookie='m=1';location.href='/m/';}</script>")


def page_html(text: str, chrome: bool) -> bytes:
    paras = "".join(f"<p>{line}</p>" for line in text.splitlines() if line.strip())
    if not chrome:
        return f"<html><head><meta charset='utf-8'></head><body>{paras}</body></html>".encode()
    return (f"<html><head><meta charset='utf-8'><title>政府信息公开</title>{CHROME_SCRIPTS}</head><body>"
            f"<div class='nav'><a href='/'>首页</a> <a href='/zwgk/'>政务公开</a> <a href='/hdjl/'>互动交流</a>"
            f"<input id='q'><a href='javascript:doSearch()'>搜索</a> <a href=\"javascript:setFontSize(16)\">大</a></div>"
            f"<div class='TRS_Editor'>{paras}</div><div class='footer'>主办单位 网站标识码</div></body></html>").encode()


def real_texts(shared_dir):
    out = []
    for path in sorted((shared_dir / "samples" / "pages").glob("*.json")):
        out.append((f"pages/{path.name}", json.loads(path.read_text(encoding="utf-8"))["text"]))
    for path in sorted((shared_dir / "samples" / "corpus").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append((f"corpus/{path.name}", (data.get("title") or "") + "\n" + data["body"]))
    return out


def test_no_real_page_is_a_wall(shared_dir):
    texts = real_texts(shared_dir)
    assert len(texts) >= 60
    called = []
    for name, text in texts:
        for chrome in (False, True):
            body = page_html(text, chrome)
            for status, headers in ((200, {b"Server": [b"Safedog"]}), (202, {b"Server": [b"Safedog"]}), (403, {})):
                if block_reason(status, headers, body):
                    called.append((name, chrome, status, block_reason(status, headers, body)))
            if block_reason(200, {}, body.decode().encode("gb18030")):
                called.append((name, chrome, "gbk"))
    assert not called, called[:10]


def test_no_fixture_or_replica_page_is_a_wall():
    from pathlib import Path
    from gxcrawl.replicas.farm import build_sites
    bodies = [(p.name, p.read_bytes()) for p in (Path(__file__).parent / "fixtures" / "html").glob("*.html")]
    for site in build_sites(include_shared=False):
        bodies += [(site.host + path, reply.body) for path, reply in site.static.items()
                   if "html" in reply.content_type]
    assert len(bodies) > 200
    called = [(name, block_reason(200, {}, body)) for name, body in bodies if block_reason(200, {}, body)]
    assert not called, called[:10]
