"""Remove page boilerplate that survives content extraction.

Works on lines, so it cleans text pages (like the seeds) as well as what the
HTML container leaves: breadcrumbs, font-size and print controls, 扫一扫,
上一篇/下一篇, related links, footers and ICP lines. Only short lines are
candidates, so a body paragraph that mentions one of these words is kept.

>>> clean_lines(["当前位置：首页 > 政务公开", "一、总体情况", "【打印】【关闭】"])
['一、总体情况']
>>> clean_line("发布时间: 2021-01-29 10:00 文章字号:")
'发布时间: 2021-01-29 10:00'
"""
from __future__ import annotations

import re

MAX_BOILERPLATE_LINE = 90

BOILERPLATE_LINE = re.compile(
    r"^\s*(?:"
    r"(?:当前位置|当前页面|您现在的位置|您的位置|所在位置|位置)\s*[:：]"
    r"|首页\s*[>»›/]"
    r"|扫一扫|用手机扫|手机扫码|微信扫一扫"
    r"|上一篇|下一篇|上一条|下一条"
    r"|【?\s*打印(?:本页|此页|文章)?\s*】?\s*(?:【?\s*关闭(?:窗口|本页)?\s*】?)?\s*$"
    r"|【?\s*关闭(?:窗口|本页)?\s*】?\s*$"
    r"|(?:字号|文字大小|字体)\s*[:：]?\s*[\[【]?\s*大\s*中\s*小"
    r"|相关链接|相关文章|相关阅读|相关新闻|相关文件|推荐阅读"
    r"|分享到|收藏本页|设为首页|加入收藏"
    r"|网站标识码|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]ICP备|ICP备|公网安备"
    r"|版权所有|主办单位|承办单位|技术支持|网站地图|联系我们\s*$|关于我们"
    r"|附件下载\s*[:：]?\s*$|附件\s*[:：]\s*$"
    r"|政策解读\s*$|图解\s*$|视频解读\s*$"
    r")")
CONTROL_FRAGMENT = re.compile(
    r"[【\[]?\s*(?:文章|文字)?(?:字号|字体|文字大小)\s*[:：]?\s*[\[【(（]?\s*"
    r"(?:[【\[]?\s*[大中小]\s*[】\]]?\s*){1,3}[\]】)）]?\s*[】\]]?"
    r"|[【\[]?\s*(?:文章|文字)?(?:字号|字体|文字大小)\s*[:：]\s*[】\]]?"
    r"|(?:浏览次数|阅读次数|点击数|点击量|点击次数|访问量|阅读量)\s*[:：]?\s*\d*\s*次?"
    r"|[【\[]\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏|分享|返回顶部|大|中|小)\s*[】\]]"
    r"|(?:^|\s)(?:打印本页|关闭窗口)(?=\s|$)")
LEFTOVER = re.compile(r"\s*(?:[【\[]\s*[】\]]|[【\[]\s*$|^\s*[】\]])\s*")
MAX_CONTROL_LINE = 200


def clean_line(line: str) -> str:
    """Strip page controls (字号 大中小, 浏览次数, 【打印】【关闭】) from a short line."""
    if len(line) > MAX_CONTROL_LINE:
        return line
    cleaned = CONTROL_FRAGMENT.sub(" ", line)
    if cleaned != line:
        cleaned = LEFTOVER.sub(" ", cleaned)
    return " ".join(cleaned.split())


def is_boilerplate(line: str) -> bool:
    return len(line) <= MAX_BOILERPLATE_LINE and bool(BOILERPLATE_LINE.match(line))


# a breadcrumb that ends with the page's own title keeps the title (首页 > 年报 > X局2019年…报告)
CRUMB_SEPARATOR = re.compile(r"\s*[>»›]\s*")
TITLE_END = re.compile(r"(?:报告|年报|报表|通知|指南|公告)\s*(?:[(（][^)）]{0,12}[)）])?\s*$")


def crumb_title(line: str) -> str:
    """The last step of a breadcrumb when it is a title, else "".

    >>> crumb_title("首页 > 信息公开 > 年报 > 三明市统计局2019年政府信息公开工作年度报告")
    '三明市统计局2019年政府信息公开工作年度报告'
    >>> crumb_title("当前位置：首页 > 政务公开")
    ''
    """
    last = CRUMB_SEPARATOR.split(line)[-1].strip()
    return last if len(last) >= 10 and TITLE_END.search(last) else ""


def clean_lines(lines: list[str]) -> list[str]:
    """
    >>> clean_lines(["首页 > 年报 > 三明市统计局2019年政府信息公开工作年度报告", "一、总体情况"])
    ['三明市统计局2019年政府信息公开工作年度报告', '一、总体情况']
    """
    out = []
    for line in lines:
        if is_boilerplate(line):
            title = crumb_title(line)
            if title:
                out.append(title)
            continue
        line = clean_line(line)
        if line:
            out.append(line)
    return out
