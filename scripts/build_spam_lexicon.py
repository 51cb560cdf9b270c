"""Regenerate the generated data files of gxcrawl.parse.spam from installed packages.

Writes, under gxcrawl/data/:

- spam_porn.txt   — weighted porn words derived from jionlp's pornography.zip (a list of
  ~8,500 porn titles/phrases).  A word is kept when it is a dictionary word (jionlp's
  word_distribution / chinese_word_dictionary), occurs in at least MIN_DOCS titles of the
  list and is much more frequent there than in general text (ratio of document counts to the
  general frequency), and is not a place name of the region registry nor a word of
  government prose (GOV_SAFE, and any non-spam text of ../shared if present).
- t2s.txt    — a one-character traditional→simplified table (OpenCC's TSCharacters,
  first candidate, one-to-one only), so the runtime converts with str.translate instead of
  importing opencc (≈100× faster).
- spam_pinyin.tsv — region code → toneless pinyin syllables of its short name (pypinyin),
  used to match 索引号 prefixes (FZ → 抚州), e-mail prefixes (wzzwgkb → 温州) and hosts.

The runtime never imports jionlp, opencc or pypinyin.  Regenerate with:

    python scripts/build_spam_lexicon.py
"""
from __future__ import annotations

import collections
import csv
import importlib.util
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_regions import jionlp_dictionary, read_zip_text  # noqa: E402  (same jionlp readers)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "gxcrawl" / "data"
SHARED = ROOT.parent / "shared"
MIN_DOCS = 5
MIN_RATIO = 3.0          # documents per 1000 general occurrences (+100 smoothing)
STRONG_RATIO = 20.0
# words that are frequent in porn titles but ordinary in government prose
GOV_SAFE = set("""电影 小说 美女 少女 护士 姐姐 妹妹 片段 语录 特写 黄色 午夜 全过程 多部 写真 自拍
用力 直流 学园 物语 模特儿 粉红 舌头 两性 家庭教师 女主持 聊天室 免费视频 在线电影 宽频 手记
全免费 完全免费 全免 插入 野性 请人 人影 近亲 该死 母子 姐弟 美少女 女医生 女老师 主妇 女主 性感
人教 笑语 心如 花心 花蕊 小姨 嫂子 嫂嫂 儿媳妇 姨妈 少妇 素人 丝袜 美腿 热舞 鲍鱼 五月天 小龙女 射雕
鲜嫩 湿润 白嫩 娇小 娇嫩 火辣 快感 雪白 清纯 夜色 熟睡 双峰 内壁 两片 含着 沾满 伸到 伸入 刺入 顶到
顶进 吸吮 粗大 销魂 妖艳 桃色 纯情 绝色 老母 长片 大乱 四溅 丁字 中出 八岁 十八岁 好大 超美 禁书
娱乐性 魔性 肉丝 磨擦 看片 在线看 调教 处女 幼女 学生妹 学妹 猛男 两腿 私处 下体 乳房 子宫 肛门
性生活 裸体 脱衣 高潮时 生中 性福 人美 美成 在子 情在 包得 手伸 网有 户内 图图 女网 乐网 虎虎 咪咪
白洁 宁王 吴宗宪 林心如 潮时 所盗 得直 中自 费在 人视 人小 人网 性大 小肉 大肉 小电 费电 交电 打飞
小浪 小阴 大阴 射进 洞里 你老 他妈 他妈的 网小 人黄 爱网 拍图 宫口 淋淋 鹿城 强奸 色情
房中 情网 电影网 试看 干死 好色""".split())


def general_frequencies(dictionary: Path) -> tuple[dict[str, int], set[str]]:
    """Word → count in jionlp's general corpus, and the set of dictionary headwords."""
    freq: dict[str, int] = {}
    for line in read_zip_text(dictionary / "word_distribution.zip").splitlines():
        try:
            word, count = json.loads(line)
        except (ValueError, TypeError):
            continue
        freq[word] = count
    words = {line.split("\t")[0] for line in
             read_zip_text(dictionary / "chinese_word_dictionary.zip").splitlines()}
    return freq, words


def government_text() -> str:
    """Non-spam seed and sample texts of ../shared (empty when shared/ is absent)."""
    parts = []
    for path in sorted((SHARED / "samples" / "pages").glob("*.json")):
        page = json.loads(path.read_text(encoding="utf-8"))
        if not page["labels"].get("is_spam_mirror"):
            parts.append(page.get("text", ""))
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if "365" not in text:       # the gambling mirror seed
            parts.append(text)
    return "\n".join(parts)


def place_names() -> set[str]:
    sys.path.insert(0, str(ROOT))
    from gxcrawl.regions import load_registry
    return set(load_registry().by_name)


def build_porn_terms(dictionary: Path, convert) -> list[tuple[str, float]]:
    titles = [convert(line.strip()).lower()
              for line in read_zip_text(dictionary / "pornography.zip").splitlines() if line.strip()]
    freq, words = general_frequencies(dictionary)
    docs: collections.Counter[str] = collections.Counter()
    cjk = re.compile(r"[\u4e00-\u9fff]+")
    for title in titles:
        seen = set()
        for run in cjk.findall(title):
            for n in (2, 3, 4):
                for i in range(len(run) - n + 1):
                    gram = run[i:i + n]
                    if gram in freq or gram in words:
                        seen.add(gram)
        docs.update(seen)
    gov = government_text()
    places = place_names()
    out = []
    for gram, count in docs.items():
        if count < MIN_DOCS or gram in GOV_SAFE or gram in places or gram in gov:
            continue
        ratio = count / (freq.get(gram, 0) + 100) * 1000
        if ratio >= MIN_RATIO:
            out.append((gram, 0.6 if ratio >= STRONG_RATIO else 0.4))
    # single-character: 淫 never occurs in government prose
    out.append(("淫", 0.6))
    return sorted(out, key=lambda t: (-t[1], t[0]))


def build_t2s() -> list[tuple[str, str]]:
    spec = importlib.util.find_spec("opencc")
    if spec is None:
        raise SystemExit("pip install opencc-python-reimplemented")
    path = Path(spec.submodule_search_locations[0]) / "dictionary" / "TSCharacters.txt"
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        trad, simp = line.split("\t", 1)
        simp = simp.split()[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            pairs.append((trad, simp))
    return pairs


def build_pinyin() -> list[tuple[str, str, str]]:
    from pypinyin import lazy_pinyin
    sys.path.insert(0, str(ROOT))
    from gxcrawl.regions import load_registry
    rows = []
    for region in load_registry().regions:
        short = region.short or region.name
        rows.append((region.code, region.name, " ".join(lazy_pinyin(short))))
    return rows


def main() -> None:
    from opencc import OpenCC
    convert = OpenCC("t2s").convert
    dictionary = jionlp_dictionary()
    porn = build_porn_terms(dictionary, convert)
    with (OUT / "spam_porn.txt").open("w", encoding="utf-8") as fh:
        fh.write("# generated by scripts/build_spam_lexicon.py from jionlp pornography.zip; do not edit\n")
        for term, weight in porn:
            fh.write(f"{weight}\tporn\t{term}\n")
    t2s = build_t2s()
    with (OUT / "t2s.txt").open("w", encoding="utf-8") as fh:
        fh.write("# generated by scripts/build_spam_lexicon.py from OpenCC TSCharacters; do not edit\n")
        for trad, simp in t2s:
            fh.write(f"{trad}\t{simp}\n")
    rows = build_pinyin()
    with (OUT / "spam_pinyin.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["code", "name", "pinyin"])
        writer.writerows(rows)
    print(f"spam_porn.txt {len(porn)} terms, t2s.txt {len(t2s)} chars, "
          f"spam_pinyin.tsv {len(rows)} regions")


if __name__ == "__main__":
    main()
