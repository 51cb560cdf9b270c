"""Hand-made HTML for each hidden-link technique, cloaking redirects and injected titles."""
import pytest

from gxcrawl.parse.spam import analyze_spam
from gxcrawl.parse.spam.hidden import find_hidden, hidden_by

HOST = "www.wenzhou.gov.cn"
URL = "http://www.wenzhou.gov.cn/art/2020/3/5/art_1229_1.html"
BODY = "<p>温州市人民政府2019年政府信息公开工作年度报告</p>"


def page(body: str, head: str = "<title>温州市人民政府2019年政府信息公开工作年度报告</title>") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{BODY}{body}</body></html>"


def links(html: str):
    return find_hidden(html, HOST)["links"]


@pytest.mark.parametrize("style,how", [
    ("display:none", "display:none"),
    ("DISPLAY: NONE !important", "display:none"),
    ("visibility:hidden", "visibility:hidden"),
    ("position:absolute;left:-9999px;top:0", "off-screen"),
    ("position:fixed; top:-3000px", "off-screen"),
    ("text-indent:-10000px", "off-screen"),
    ("font-size:0", "tiny-font"),
    ("font-size:1px", "tiny-font"),
    ("height:0;overflow:hidden", "zero-size"),
    ("opacity:0", "opacity:0"),
])
def test_inline_styles(style, how):
    html = page(f'<div style="{style}"><a href="http://www.365-bet.com/">365体育官网</a></div>')
    found = links(html)
    assert [(l["href"], l["how"]) for l in found] == [("http://www.365-bet.com/", how)]
    assert found[0]["text"] == "365体育官网"


def test_style_block_class_and_id():
    html = page('<div class="fl"><span><a href="https://a-casino.com">百家乐</a></span></div>'
                '<ul id="lk"><li><a href="https://b-casino.com">link</a></li></ul>',
                head="<style>.x{color:red} div.fl, .other {position:absolute; left:-2000px}"
                     "#lk{display:none}</style>")
    found = {l["href"]: l["how"] for l in links(html)}
    assert found["https://a-casino.com"].startswith("off-screen (via <style>")
    assert found["https://b-casino.com"].startswith("display:none (via <style> #lk")


def test_marquee_and_hidden_attribute():
    html = page('<marquee height="1" scrollamount="9999"><a href="http://c.com">棋牌游戏</a></marquee>'
                '<div hidden><a href="http://d.com">x</a></div>')
    found = {l["href"]: l["how"] for l in links(html)}
    assert found == {"http://c.com": "marquee", "http://d.com": "hidden-attribute"}


def test_document_write_fragment():
    html = page("<script>document.write('<div style=\"display:none\"><a href=\"http://e.com\">"
                "澳门新葡京</a></div>');</script>")
    assert [(l["href"], l["how"]) for l in links(html)] == [("http://e.com", "document.write+display:none")]


def test_visible_and_internal_links_are_not_reported():
    html = page('<a href="http://f.com">visible</a>'
                '<div style="display:none"><a href="/col/col1/index.html">下拉菜单</a>'
                '<a href="http://www.zj.gov.cn/">浙江省人民政府</a></div>')
    assert links(html) == []


def test_referrer_redirect_script():
    js = ("var s=document.referrer;if(s.indexOf('baidu')>0||s.indexOf('sogou')>0)"
          "{window.location.href='https://www.bet-spam.com/?from=gov';}")
    found = links(page(f"<script>{js}</script>"))
    assert found[0]["how"] == "referrer-redirect"
    assert found[0]["href"] == "https://www.bet-spam.com/?from=gov"


def test_useragent_redirect_obfuscated_script():
    js = (r"var u=navigator.userAgent.toLowerCase();if(/\x62aiduspider|iphone|android/.test(u))"
          r"{location.replace('\x68ttps://m.spam-casino.com/');}")
    found = links(page(f"<script>{js}</script>"))
    assert found[0]["how"] == "useragent-redirect"
    assert found[0]["href"] == "https://m.spam-casino.com/"


def test_harmless_referrer_script_is_ignored():
    js = "var r=document.referrer; console.log(r);"
    assert links(page(f"<script>{js}</script>")) == []


def test_injected_title_and_keywords():
    head = ("<title>澳门新葡京_365bet体育在线投注_百家乐官网</title>"
            "<meta name='keywords' content='365bet,体育在线投注,真人视讯'>"
            "<meta name='description' content='温州市人民政府门户网站'>")
    title = find_hidden(page("", head=head), HOST)["title"]
    assert [t["how"] for t in title] == ["title-injection", "meta-keywords-injection"]


def test_analyze_spam_reports_hidden_links_on_official_host_without_mirror():
    html = page('<div style="display:none"><a href="http://g.com">365bet</a></div>',
                head="<title>365bet体育在线投注</title>")
    f = analyze_spam("温州市人民政府2019年政府信息公开工作年度报告", URL, html=html).findings
    assert f["is_mirror"] is False
    assert {l["how"] for l in f["hidden_links"]} == {"display:none", "title-injection"}
    assert "365bet体育在线投注" in f["phrases"]


def test_title_injection_on_foreign_host_is_a_mirror():
    html = page("", head="<title>365bet体育在线投注_澳门新葡京</title>")
    f = analyze_spam("温州市人民政府2019年政府信息公开工作年度报告", "http://www.spam-x.com/a.html",
                     html=html).findings
    assert f["is_mirror"] is True


def test_no_entity_expansion_or_network():
    html = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            '<html><body><div style="display:none"><a href="http://h.com">&e;</a></div></body></html>')
    found = links(html)
    assert all("root:" not in l["text"] for l in found)


def test_garbage_html():
    assert find_hidden("", HOST) == {"links": [], "title": []}
    assert find_hidden("<<<>>>", HOST)["links"] == []
    assert hidden_by("") is None
