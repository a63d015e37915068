"""Answer-quality metrics: SQuAD-2.0-style normalisation, exact match and token F1, plus containment,
citation hit, abstention rates, overall accuracy and latency. Pure functions, no model or I/O."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from statistics import median

import numpy as np
from pydantic import BaseModel

# Curly quotes and primes → ASCII, so "Huawei’s" and "Huawei's" normalise alike.
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'})
_PUNCT = set(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def normalize_answer(text: str) -> str:
    """SQuAD normalisation (lower-case, drop punctuation and a/an/the, collapse whitespace), after NFKC and
    curly-quote folding. Punctuation is deleted, not spaced, as in SQuAD: "40,000" → "40000"."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = "".join(ch for ch in text if ch not in _PUNCT)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def _tokens(text: str) -> list[str]:
    return normalize_answer(text).split()


def _exact(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def _f1(prediction: str, gold: str) -> float:
    pred, ref = _tokens(prediction), _tokens(gold)
    if not pred or not ref:
        return float(pred == ref)  # SQuAD: both empty → 1, one empty → 0
    common = sum((Counter(pred) & Counter(ref)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def exact_match(prediction: str, gold_answers: Iterable[str]) -> float:
    """1.0 if the normalised prediction equals any normalised gold answer; 0.0 without gold answers."""
    return max((_exact(prediction, g) for g in gold_answers), default=0.0)


def f1(prediction: str, gold_answers: Iterable[str]) -> float:
    """Token-overlap F1, maximised over the gold answers; 0.0 without gold answers."""
    return max((_f1(prediction, g) for g in gold_answers), default=0.0)


# Separators between names, which SQuAD's deletion would glue together ("WANG ZHAO/AFP/Getty Images").
_SEPARATORS = str.maketrans({"/": " ", "|": " ", "–": " ", "—": " "})


def _inside(needle: str, haystack: str) -> bool:
    """Normalised `needle` occurs in normalised `haystack` on token boundaries (so "9" is not inside "1987").
    Slashes and dashes separate tokens, so "Getty Images" is inside "AFP/Getty Images"."""
    n = normalize_answer(needle.translate(_SEPARATORS))
    return bool(n) and f" {n} " in f" {normalize_answer(haystack.translate(_SEPARATORS))} "


def contains(prediction: str, gold_answers: Iterable[str]) -> bool:
    """Some gold answer appears inside the prediction, both normalised, on token boundaries."""
    return any(_inside(g, prediction) for g in gold_answers)


def citation_hit(cited_texts: Iterable[str], evidence: Iterable[str]) -> bool:
    """Some cited sentence contains some evidence string, both normalised the same way as answers. A plain
    substring test: evidence phrases may stop mid-token ("tech giant" of "tech giant’s" → "tech giants")."""
    cited = [normalize_answer(c) for c in cited_texts]
    needles = [n for n in (normalize_answer(e) for e in evidence) if n]
    return any(n in c for n in needles for c in cited)


def word_count(text: str) -> int:
    return len(text.split())


class ItemScore(BaseModel):
    """One test item's outcome. For unanswerable items `em`/`f1` are 1 if the bot abstained, else 0 (SQuAD 2.0:
    the gold answer is "no answer"); `contained`/`cited` are only meaningful for answerable items."""

    id: str
    answerable: bool
    abstained: bool
    em: float
    f1: float
    contained: bool
    cited: bool
    answer_words: int
    latency_ms: float

    @property
    def correct(self) -> bool:
        """Answerable: the answer contains a gold answer, cites the evidence and isn't an abstention.
        Unanswerable: the bot abstained."""
        if not self.answerable:
            return self.abstained
        return self.contained and self.cited and not self.abstained


def score_item(
    *,
    id: str,
    answerable: bool,
    answers: Sequence[str],
    evidence: Sequence[str],
    answer: str,
    abstained: bool,
    cited_texts: Sequence[str],
    latency_ms: float,
) -> ItemScore:
    if answerable:
        em, f = (0.0, 0.0) if abstained else (exact_match(answer, answers), f1(answer, answers))
        contained = not abstained and contains(answer, answers)
        cited = citation_hit(cited_texts, evidence)
    else:
        em = f = float(abstained)
        contained = cited = False
    return ItemScore(
        id=id,
        answerable=answerable,
        abstained=abstained,
        em=em,
        f1=f,
        contained=contained,
        cited=cited,
        answer_words=word_count(answer),
        latency_ms=latency_ms,
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarize(scores: Sequence[ItemScore]) -> dict[str, float | int | None]:
    """Aggregate metrics; rates are fractions in [0, 1], None when no item qualifies (e.g. no unanswerable items).

    exact_match / f1 average over all items, unanswerable ones scoring 1 for an abstention (SQuAD 2.0);
    *_answerable variants average over answerable items only. containment, citation_hit and false_abstention
    are over answerable items, abstention_accuracy over unanswerable ones. Answer length is the median word
    count of non-abstained answers (abstention messages are boilerplate)."""
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    latencies = [s.latency_ms for s in scores]
    answered_lengths = [s.answer_words for s in scores if not s.abstained]
    return {
        "items": len(scores),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "accuracy": _mean([float(s.correct) for s in scores]),
        "exact_match": _mean([s.em for s in scores]),
        "f1": _mean([s.f1 for s in scores]),
        "exact_match_answerable": _mean([s.em for s in answerable]),
        "f1_answerable": _mean([s.f1 for s in answerable]),
        "containment": _mean([float(s.contained) for s in answerable]),
        "citation_hit": _mean([float(s.cited) for s in answerable]),
        "abstention_accuracy": _mean([float(s.abstained) for s in unanswerable]),
        "false_abstention_rate": _mean([float(s.abstained) for s in answerable]),
        "median_answer_words": float(median(answered_lengths)) if answered_lengths else None,
        "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else None,
        "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else None,
    }
