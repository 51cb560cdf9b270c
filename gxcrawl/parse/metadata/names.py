"""Is a printed name a plausible issuing body, and what is its full form: spam-chain
names refused, a bare place completed to its 人民政府, zones kept as printed.

>>> finish_agency("福州市晋安区", "福州市晋安区")
'福州市晋安区人民政府'
>>> looks_like_spam_name("澳门新葡京体育局")
True
"""
from __future__ import annotations

import re
from typing import Optional

from gxcrawl.parse.metadata.text import NAME_CHARS, ORG_END, PLACE_END, ZONE_RE
from gxcrawl.regions import Registry, load_registry

SPAM_WORDS = re.compile(
    r"娱乐|官网|投注|博彩|彩票|体育在线|体育平台|平台网址|网址|下载|真人|棋牌|赌|威尼斯|澳门|葡京|"
    r"线上|手机版|打不开|开户|注册|老虎机|百家乐|威廉希尔|公司|国产|成人|精品|欧美|亚洲|久久|"
    r"中文字幕|无码|视频|在线|安装|苹果版|首页|app", re.I)
BAD_NAME_START = re.compile(r"^(?:我|本|该|全|各|其|在|对|为|由|经|按|据|以|和|与|及|向|从|市委|县委|区委)")


def looks_like_spam_name(name: str) -> bool:
    """An agency name that cannot be real: ASCII, digits, underscores, or the
    vocabulary of gambling/porn spam chains."""
    return bool(re.search(r"[A-Za-z0-9_]", name) or SPAM_WORDS.search(name))


def is_zone(name: str, registry: Registry | None = None) -> bool:
    """A development/functional zone (滨州北海经济开发区, 杨凌示范区教育局): not a
    registry region. 上海市浦东新区 is one, so names in the registry don't count."""
    registry = registry or load_registry()
    for m in ZONE_RE.finditer(name):
        end = m.end()
        if not any(name[:end].endswith(r.name) for r in registry.find_in_text(name[:end])):
            return True
    return False


def agency_like(norm: str) -> bool:
    return bool(re.fullmatch(rf"{NAME_CHARS}{{2,40}}", norm)) and bool(
        ORG_END.search(norm) or PLACE_END.search(norm) or ZONE_RE.search(norm[-4:]))


def finish_agency(printed: str, norm: str, registry: Registry | None = None,
                  warnings: list[str] | None = None) -> Optional[str]:
    """Clean a candidate agency; a bare place (福州市晋安区, 永嘉县枫林镇) becomes
    its 人民政府 (街道 → 街道办事处); zones stay as printed. None if absurd."""
    registry = registry or load_registry()
    keep = [i for i, c in enumerate(norm) if not c.isspace()]
    printed = "".join(printed[i] for i in keep)
    norm = "".join(norm[i] for i in keep)
    strip = "“”\"'《》【】[]「」<>〈〉:：,，.。、;；|·-—_"
    while norm and norm[0] in strip:
        norm, printed = norm[1:], printed[1:]
    while norm and norm[-1] in strip:
        norm, printed = norm[:-1], printed[:-1]
    if norm.endswith("关于"):
        norm, printed = norm[:-2], printed[:-2]
    if not norm or len(norm) > 40 or (len(norm) < 3 and not (
            len(norm) == 2 and PLACE_END.search(norm) and registry.find(norm))):
        return None
    if looks_like_spam_name(norm) or BAD_NAME_START.search(norm):
        if warnings is not None and looks_like_spam_name(norm):
            warnings.append(f"agency candidate looks like spam: {printed[:40]}")
        return None
    if not re.fullmatch(rf"{NAME_CHARS}+", norm) or re.search(r"网站$|网$|平台$|专栏$", norm):
        return None
    if norm.endswith("人民"):
        return printed + "政府"
    core = re.sub(r"[(（][^()（）]*[)）]$", "", norm) or norm
    if ORG_END.search(core):
        return printed
    if is_zone(norm, registry):
        return printed
    if PLACE_END.search(norm) and core == norm:
        if norm.endswith("街道"):
            return printed + "办事处"
        if not (registry.find_in_text(norm) or registry.find(norm) or re.search(r"[镇乡]$|苏木$", norm)):
            if warnings is not None:
                warnings.append(f"place not in the registry: {printed}")
            return None
        return printed + "人民政府"
    return None


def has_place(norm_name: str, registry: Registry) -> bool:
    found = registry.find_in_text(norm_name)
    return any(0 <= norm_name.find(x) <= 4 for r in found for x in (r.name, r.short) if x and len(x) >= 2)
