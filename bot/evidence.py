"""What the answer engine weighs: a retrieved sentence analysed against the question (`Evidence`) and a span of
it proposed as the answer (`Candidate`), with the small helpers both candidate finders share."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.schema import Retrieved, Sentence

DENSE_WEIGHT = 1.5  # how much the sentence's closeness to the question counts towards a candidate (measured: 0.5-3)
FOCUS_MATCH_MIN = 0.6  # the asked-about noun needs a closer paraphrase than other words (measured 0.5-0.7)


@dataclass
class Evidence:
    """One retrieved sentence analysed against the question."""

    retrieved: Retrieved
    doc: object  # spaCy Doc
    matches: list[tuple[float, int]]  # per question term: (match strength, token index or -1)
    support: float
    names_ok: bool
    focus_ok: bool

    @property
    def sentence(self) -> Sentence:
        return self.retrieved.sentence

    @property
    def weight(self) -> float:
        """What the sentence itself adds to the score of any answer in it."""
        return self.support + DENSE_WEIGHT * self.retrieved.dense


@dataclass
class Candidate:
    text: str
    evidence: Evidence
    score: float


def in_question(text: str, question_lower: str) -> bool:
    words = re.findall(r"\w+", text.lower())
    return bool(words) and " ".join(words) in " ".join(re.findall(r"\w+", question_lower))


def overlap_with_question(text: str, question_lower: str) -> float:
    words = [w for w in re.findall(r"\w+", text.lower()) if len(w) > 3]
    if not words:
        return 0.0
    q = set(re.findall(r"\w+", question_lower))
    return sum(w in q for w in words) / len(words)


def span_candidate(doc, token, ev: Evidence, score: float, include_marker=None, right: int | None = None) -> Candidate:
    left, right = token.left_edge.i, max(token.right_edge.i, right or 0)
    if include_marker is not None:
        left = min(left, include_marker.i)
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and doc[left].is_punct:
        left += 1
    span = doc[left : right + 1]
    return Candidate(span.text, ev, score)
