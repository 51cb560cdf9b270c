"""Choose the issuing body among the candidates a page gives, by evidence.

Each candidate is a name (as printed, and normalized) with the source it came from and
that source's weight. Candidates that name the same body are grouped: the same name, the
same name with a place chain before it (晋安区财政局 ~ 福州市晋安区财政局), 政府 ~ 人民政府,
a trailing 办 ~ 办公室. A group scores the sum, over its kinds of source, of the best
weight of each kind (twenty mentions of 我局 are one kind of evidence). The best group
wins; its name is the one its strongest source prints, or the fuller form another
source prints of the same body (由福州市晋安区财政局编制 over a title's 晋安区财政局).

>>> cands = [Candidate("晋安区财政局", "晋安区财政局", "title", 6.0, "晋安区财政局2019年政府信息公开工作年度报告"),
...          Candidate("福州市晋安区财政局", "福州市晋安区财政局", "由…编制", 5.0, "由福州市晋安区财政局编制"),
...          Candidate("福州市晋安区财政局办公室", "福州市晋安区财政局办公室", "contact", 1.5, "请与…联系")]
>>> choice = choose(cands, load_registry())
>>> choice.name, choice.score, [e["source"] for e in choice.evidence]
('福州市晋安区财政局', 11.0, ['title', '由…编制'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from gxcrawl.parse.metadata.names import place_chain
from gxcrawl.regions import Registry, load_registry  # noqa: F401 (doctest)

MIN_SCORE = 1.5          # below this no candidate is chosen (a site name alone says nothing)
CLOSE_SHARE = 0.8        # a rival this close to the winner is noted in the warnings
FULLER_WEIGHT = 3.0      # a fuller printing counts from a source this strong (not the contact)


@dataclass
class Candidate:
    printed: str                 # the name as the output would print it
    norm: str                    # the same, simplified (equal length when not completed)
    source: str                  # the kind of source (title, 由…编制, contact …)
    weight: float
    sentence: str                # the sentence or line it was read from, as printed
    completed: str = ""          # the evidence of the place added to a placeless name

    def as_evidence(self) -> dict:
        out = {"source": self.source, "name": self.printed, "sentence": self.sentence, "weight": self.weight}
        if self.completed:
            out["completed"] = self.completed
        return out


@dataclass
class Choice:
    name: Optional[str]
    score: float = 0.0
    evidence: list[dict] = field(default_factory=list)
    rivals: list[tuple[str, float]] = field(default_factory=list)


def canonical(norm: str) -> str:
    """The form two printings of one body share: 人民政府 → 政府, a final 办 → 办公室."""
    key = norm.replace("人民政府", "政府")
    if key.endswith("政府办"):
        key += "公室"
    return key


LEVEL_START = re.compile(r"^(?:自治州|自治县|自治旗|省|市|县|区|州|盟|旗)")


def same_body(a: str, b: str, registry: Registry) -> bool:
    """Do two canonical names name one body: equal, or one is the other with places before
    it (福州市晋安区财政局 ~ 晋安区财政局), or with its place where the other has only the
    level word (故城县教育局 ~ 县教育局)?"""
    if a == b:
        return True
    long, short = (a, b) if len(a) > len(b) else (b, a)
    if len(short) >= 3 and long.endswith(short) and place_chain(long[:-len(short)], registry):
        return True
    level = LEVEL_START.match(short)
    if level:
        rest = short[level.end():]
        prefix = long[:-len(rest)] if len(rest) >= 2 and long.endswith(rest) else ""
        return prefix.endswith(level.group(0)) and place_chain(prefix, registry)
    return False


def fuller(a: Candidate, b: Candidate, registry: Registry) -> bool:
    """Is `a` the fuller printing of `b`'s body (places before the same name)?"""
    return len(a.norm) > len(b.norm) and same_body(canonical(a.norm), canonical(b.norm), registry)


def group(cands: list[Candidate], registry: Registry) -> list[list[Candidate]]:
    groups: list[list[Candidate]] = []
    for cand in cands:
        key = canonical(cand.norm)
        home = next((g for g in groups if any(same_body(key, canonical(c.norm), registry) for c in g)), None)
        if home is None:
            groups.append([cand])
        else:
            home.append(cand)
    return groups


def group_score(members: list[Candidate]) -> float:
    best: dict[str, float] = {}
    for c in members:
        best[c.source] = max(best.get(c.source, 0.0), c.weight)
    return sum(best.values())


def group_name(members: list[Candidate], registry: Registry) -> Candidate:
    """The member whose printing the output keeps."""
    strongest = max(members, key=lambda c: c.weight)
    full = [c for c in members if fuller(c, strongest, registry) and c.weight >= FULLER_WEIGHT]
    if full:
        return max(full, key=lambda c: (len(c.norm), c.weight))
    if strongest.completed:
        # a name completed with its place is a reconstruction: the page's own printing of
        # the same name, where it has one, is kept (县政府办公室 → 洛宁县人民政府办公室)
        printed = [c for c in members if not c.completed and len(c.norm) >= len(strongest.norm)
                   and canonical(c.norm) == canonical(strongest.norm)]
        if printed:
            return max(printed, key=lambda c: c.weight)
    return strongest


def choose(cands: list[Candidate], registry: Registry) -> Choice:
    """The best-supported body, with the evidence for it (strongest first)."""
    if not cands:
        return Choice(None)
    scored = sorted(((group_score(g), max(c.weight for c in g), -min(i for i, c in enumerate(cands) if c in g), g)
                     for g in group(cands, registry)), key=lambda t: t[:3], reverse=True)
    score, _, _, members = scored[0]
    rivals = [(group_name(g, registry).printed, s) for s, _, _, g in scored[1:] if s >= MIN_SCORE]
    if score < MIN_SCORE:
        return Choice(None, score, [], rivals)
    chosen = group_name(members, registry)
    seen: set[tuple[str, str]] = set()
    evidence = []
    for c in sorted(members, key=lambda c: -c.weight):
        if (c.source, c.sentence) not in seen:
            seen.add((c.source, c.sentence))
            evidence.append(c.as_evidence())
    return Choice(chosen.printed, score, evidence, rivals)


_SPACES = re.compile(r"\s+")


def clip(sentence: str, limit: int = 160) -> str:
    """A sentence for the evidence: one line, at most `limit` characters."""
    sentence = _SPACES.sub(" ", sentence).strip()
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
