"""Checks a model reply against the retrieved sentences before it may be shown.

A reply passes only if it cites at least one sentence, every cited id is one of the retrieved sentences,
and the cited sentences support the answer text (the offline engine's own `supports` check when it has
one; otherwise `simple_supports` below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from bot.llm_output import LLMReply
from bot.schema import Retrieved, Sentence

SupportsCheck = Callable[[str, str, list[Sentence]], bool]  # (question, answer_text, cited sentences)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""
    answer_text: str = ""
    cited: list[Retrieved] = field(default_factory=list)


_ID_MARKER = re.compile(r"\s*[\[(]\s*[\w.\-]+:s\d+(\s*[,;]\s*[\w.\-]+:s\d+)*\s*[\])]")


def clean_answer_text(text: str) -> str:
    """Drop inline '[id]' markers (citations are shown separately) and tidy whitespace."""
    return " ".join(_ID_MARKER.sub("", text).split())


def normalise_id(raw: str) -> str:
    return raw.strip().strip("[]()<>\"'`").strip()


def verify(reply: LLMReply, question: str, retrieved: Sequence[Retrieved], supports: SupportsCheck) -> Verdict:
    if reply.not_in_article:
        if reply.sentence_ids:
            return Verdict(False, "the reply both cites sentences and says the article doesn't answer")
        return Verdict(True, "abstained")
    answer = clean_answer_text(reply.answer)
    if not answer:
        return Verdict(False, "empty answer")
    ids = list(dict.fromkeys(normalise_id(i) for i in reply.sentence_ids if normalise_id(i)))
    if not ids:
        return Verdict(False, "no citation")
    by_id = {r.sentence.id: r for r in retrieved}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        return Verdict(False, f"cited id(s) not among the retrieved sentences: {', '.join(unknown[:3])}")
    cited = [by_id[i] for i in ids]
    if not supports(question, answer, [r.sentence for r in cited]):
        return Verdict(False, "the cited sentences do not support the answer")
    return Verdict(True, "verified", answer, cited)


# --- Fallback support check, used only when the offline engine offers none ---------------------------

_WORD = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*", re.UNICODE)
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as into than then that this these those it its
    is are was were be been being has have had do does did not no nor so such can could may might will would
    shall should must what which who whom whose when where why how there here their they them he she his her
    we our you your i me my also about over after before more most very just only any all some each other
    said says say according article""".split()
)


def _tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _WORD.findall(text)]


def _number(token: str) -> str | None:
    digits = token.replace(",", "")
    return digits if any(ch.isdigit() for ch in digits) else None


def simple_supports(question: str, answer: str, sentences: list[Sentence], min_overlap: float = 0.6) -> bool:
    """The cited sentences must be about the question (share a content word with it), and every number and
    most content words of the answer must occur in them (compared on 5-letter stems, so 'shipped' and
    'shipping' match). Words taken only from the question don't count: the question is user input."""
    evidence = _tokens(" ".join(s.text for s in sentences))
    evidence_stems = {t[:5] for t in evidence}
    question_words = [t for t in _tokens(question) if t not in _STOP]
    if question_words and not any(t[:5] in evidence_stems for t in question_words):
        return False
    evidence_numbers = {n for n in map(_number, evidence) if n}
    content = [t for t in _tokens(answer) if t not in _STOP]
    if not content:
        return False
    for token in content:
        number = _number(token)
        if number and number not in evidence_numbers:
            return False
    words = [t for t in content if not _number(t)]
    if not words:
        return True
    return sum(t[:5] in evidence_stems for t in words) / len(words) >= min_overlap
