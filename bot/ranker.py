"""Learned choice among the engine's options: every span the rules consider, in every retrieved sentence, is
described by the rules' own verdicts and scores (as features, not as hard filters), and a small gradient-boosted
model trained on the committed test sets (`python -m bot train-ranker`, bot/training.py) picks the answer or abstains.

Why: the hand-set thresholds and rules each fit the articles they were written on; as features, the data says
how much each one is worth. The model is LightGBM's text format (no pickle) loaded once per process.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot import spans
from bot.candidates import BASED_ELSEWHERE, NAME_LABELS, RULE_NAMES as _RULES_OWN, JudgedSentence, preferred_label
from bot.errors import ModelProblem
from bot.evidence import FOCUS_MATCH_MIN, Candidate, Evidence, overlap_with_question

# LightGBM's text format: whether an option is right, and which of a question's options is best; then the card
# (thresholds, features, cross-validated figures)
MODEL_FILE, ORDER_FILE, CARD_FILE = "ranker.txt", "ranker_order.txt", "ranker.json"
# How much the order model counts in which option a question prefers (the rest: the option's probability).
# Cross-validated on 5,565 items, mean of three seeds: 73.1% by the probability alone, 73.5% half and half.
ORDER_WEIGHT = 0.5
SHORTER_MARGIN = 0.05  # how much less likely than its whole sentence a shorter option of it may be, and still answer
KINDS = ("count", "amount", "percent", "money", "distance", "date", "duration", "age", "person", "org", "place",
         "event", "entity", "thing", "reason", "manner", "clause", "definition", "yesno", "kind", "other")
log = logging.getLogger(__name__)
_PERIODS = {"period", "timeframe", "span", "window", "stretch", "spell", "range"}  # "over what period?": both ends
ENTITY, CLAUSE, SENTENCE = 0, 1, 2  # where an option comes from: a name or figure, a clause, the whole sentence
RULE_NAMES = _RULES_OWN + (BASED_ELSEWHERE,)

# Question-level, sentence-level and option-level features, in model order.
FEATURES = (
    ["kind", "n_terms", "focus_required", "wants_name", "has_verb", "max_support", "max_dense", "n_eligible", "rule_abstained", "names_total",
     "names_nowhere", "asks_period"]
    + ["support", "dense", "lexical", "rank", "names_ok", "focus_ok", "eligible", "verb_holds", "added", "position",
       "headline", "sentence_words", "n_options"]
    + ["source", "rule", "n_rules", "fit", "rule_score", "rule_pick", "score_gap", "label_preferred", "label_asked",
       "label_name", "words", "share_of_sentence", "overlap", "has_digit", "capitalised", "start_share",
       "focus_distance", "verb_distance", "constraint_near", "far", "called_so", "only_one", "dep", "head_like_focus",
       "focus_match", "head_match", "names_matched", "terms_unmatched", "is_subject", "label", "counted_like_focus",
       "verb_like", "context_dense", "clause_support", "subject_support", "head_support",
       "same_preposition", "modifier_fit", "is_range", "whole_of_part"]
    + [f"rule_{name}" for name in RULE_NAMES]
)
CATEGORICAL = ("kind", "source", "rule", "dep", "label")
LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "DATE",
          "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL")
DEPS = ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "attr", "compound", "nummod", "conj", "npadvmod", "ROOT", "amod",
        "poss", "agent", "dative", "oprd", "quantmod")


@dataclass
class Option:
    """One possible answer: a span of one evidence sentence, with its feature row."""

    text: str
    evidence: Evidence
    features: dict[str, float]
    tokens: tuple[int, int] | None = None  # the span's tokens in its sentence (names and figures)

    def row(self) -> list[float]:
        return [float(self.features.get(name, np.nan)) for name in FEATURES]


def _span_features(judged, t, info, elsewhere: bool) -> dict[str, float]:
    span = judged.span
    fired = dict(zip(RULE_NAMES, judged.verdicts + (elsewhere,)))
    first = next((i + 1 for i, name in enumerate(RULE_NAMES) if fired[name]), 0)
    label = span.label_ if hasattr(span, "label_") else ""
    doc, root = t.doc, span.root.i
    verb_distance = min((spans.tree_distance(doc, root, v) for v in t.verb_tokens), default=99)
    near = [w / (1 + spans.tree_distance(doc, root, i)) for w, i in t.constraints]
    focus = (info.focus or [""])[-1]
    governing = spans.governing_verb(span.root)
    # "Online bookings grew 12%" says nothing of fares, whatever its verb: the subject of the option's own clause
    subject = {k for c in governing.children if c.dep_ in ("nsubj", "nsubjpass")
               for k in range(c.left_edge.i, c.right_edge.i + 1)} - set(range(span.start, span.end))
    described = _described_noun(span)  # the noun the option counts or names: "22,000 spectators"
    # "a 90-day health emergency", "accountancy firm Kellerman Drew": the word the option describes is asked about
    head = span.root.head
    return {
        "source": ENTITY,
        "head_support": t.share_said_in({head.i}) if not span.start <= head.i < span.end else 0.0,
        "same_preposition": float(_object_of(span.root, info.wh_preposition)) if info.wh_preposition else np.nan,
        "clause_support": t.share_said_in(spans.clause_of(doc, root)),
        "subject_support": t.share_said_in(subject) if subject else np.nan,
        "focus_distance": t.focus_distance.get(span.start, 99) if t.focus_tokens else 99,
        "verb_distance": verb_distance,
        "constraint_near": sum(near) / sum(w for w, _ in t.constraints) if t.constraints else np.nan,
        "far": float(t.far(span)),
        "called_so": float(t.called_so(span)),
        "only_one": float(t.only_one),
        "dep": DEPS.index(span.root.dep_) if span.root.dep_ in DEPS else len(DEPS),
        "head_like_focus": t.words.similarity(focus, span.root.lower_) if focus else np.nan,
        "label": LABELS.index(label) if label in LABELS else len(LABELS),
        # "22,000 spectators" for "how many folks": how close the noun the option counts or names is to the asked one
        "counted_like_focus": t.words.similarity(focus, described.lemma_.lower()) if focus else np.nan,
        "verb_like": t.words.similarity(info.verb, governing.lemma_.lower()) if info.verb else np.nan,
        "modifier_fit": _modifier_fit(described, span, info, t.words),
        # "between March 2019 and October 2021" for "over what period?"
        "is_range": float(doc[span.start].lower_ in spans.RANGES and len(span) > 2),
        "whole_of_part": float(spans.is_whole_of_part(span)),  # "20" of "Eleven of the league's 20 clubs"
        "is_subject": float(span.root.dep_ in ("nsubj", "nsubjpass") or spans.in_agent(doc, root, span.root.head.i)),
        "rule": first,
        "n_rules": sum(judged.verdicts),
        "fit": judged.fit,
        "label_preferred": float(label == preferred_label(info.kind)),
        "label_asked": float(label in info.labels),
        "label_name": float(label in NAME_LABELS),
        "start_share": span.start / max(1, len(t.doc)),
        **{f"rule_{name}": float(value) for name, value in fired.items()},
    }


def _object_of(token, preposition: str) -> bool:
    """"To which city ...?" → "out of London to Manchester", "into ... the group's news site, YorkshireNow"."""
    while token.dep_ == "appos" and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ == preposition


def _modifier_fit(noun, span, info, words) -> float:
    """"650 permanent roles", not "1,800 construction jobs", for "how many permanent jobs": how alike the words
    describing the noun the option counts (`noun`) are to those describing the asked-about noun (nan: either has
    none)."""
    said = [c.lemma_.lower() for c in noun.children
            if c.dep_ in ("amod", "compound") and not span.start <= c.i < span.end and c.pos_ != "NUM"]
    if not info.focus_modifiers or not said:
        return np.nan
    return max(words.similarity(a, b) for a in info.focus_modifiers for b in said)


def _described_noun(span):
    """The noun a figure counts ("22,000 spectators", "Eleven of the league's 20 clubs"), or the option's own head."""
    root = span.root
    if root.dep_ in ("nummod", "quantmod", "amod", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
        return root.head
    if root.like_num:  # a part counted out of a whole: what the whole is made of
        of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        counted = [c for c in of.children if c.dep_ == "pobj" and c.pos_ == "NOUN"] if of is not None else []
        if counted:
            return counted[0]
    return root


def entity_options(info, judged: JudgedSentence) -> list[Option]:
    """Every option of the asked-for kind in the sentence, ruled out or not (judged with `every_rule`)."""
    return [Option(j.text, judged.ties.ev, _span_features(j, judged.ties, info, judged.elsewhere), (j.span.start, j.span.end))
            for j in judged.options if j.text]


def candidate_options(candidates: list[Candidate], source: int) -> list[Option]:
    """Clause candidates (which the rules never rule out) and whole sentences as options."""
    return [Option(c.text, c.evidence, {"source": source, "rule": 0, "n_rules": 0, "fit": c.score}) for c in candidates]


def describe(options: list[Option], info, evidence: list[Evidence], eligible: list[bool], verb_holds: list[bool],
             added: int, rule_pick: tuple[str, frozenset] | None, question_lower: str, names_nowhere: int = 0) -> None:
    """Fill in the question- and sentence-level features and how each option compares with the others."""
    order = {id(ev): i for i, ev in enumerate(evidence)}
    passing = [o for o in options if not o.features["rule"] and not np.isnan(o.features["fit"])]
    for o in passing:  # the rules' own score, as one more feature
        o.features["rule_score"] = o.features["fit"] + o.evidence.weight
    best = max((o.features["rule_score"] for o in passing), default=np.nan)
    question = {
        "kind": KINDS.index(info.kind) if info.kind in KINDS else len(KINDS),
        "n_terms": len(info.terms),
        "focus_required": float(info.focus_required),
        "wants_name": float(info.wants_name),
        "has_verb": float(bool(info.verb)),
        "max_support": max((ev.support for ev in evidence), default=0.0),
        "max_dense": max((ev.retrieved.dense for ev in evidence), default=0.0),
        "n_eligible": sum(eligible),
        "names_total": sum(t.is_name for t in info.terms),
        "names_nowhere": names_nowhere,
        "rule_abstained": float(rule_pick is None),
        "asks_period": float(bool(info.focus) and info.focus[-1] in _PERIODS),
    }
    per_sentence: dict[int, int] = {}
    for o in options:
        per_sentence[id(o.evidence)] = per_sentence.get(id(o.evidence), 0) + 1
    for o in options:
        i = order[id(o.evidence)]
        ev = o.evidence
        words = o.text.split()
        sentence_words = len(ev.sentence.text.split())
        o.features.update(question)
        o.features.update(
            support=ev.support, dense=ev.retrieved.dense, lexical=ev.retrieved.lexical, rank=i,
            names_ok=float(ev.names_ok), focus_ok=float(ev.focus_ok), eligible=float(eligible[i]),
            verb_holds=float(verb_holds[i]), added=float(i >= added), position=ev.sentence.position,
            headline=float(ev.sentence.is_headline), sentence_words=sentence_words,
            n_options=per_sentence[id(ev)], words=len(words), share_of_sentence=len(words) / max(1, sentence_words),
            overlap=overlap_with_question(o.text, question_lower), has_digit=float(bool(re.search(r"\d", o.text))),
            capitalised=float(bool(words) and words[0][:1].isupper()),
            focus_match=max((m for t, (m, _) in zip(info.terms, ev.matches) if t.is_focus), default=np.nan),
            head_match=max((m for t, (m, _) in zip(info.terms, ev.matches) if t.is_focus and t.lemma == info.focus[-1]),
                           default=np.nan),
            names_matched=_share([m > 0 for t, (m, _) in zip(info.terms, ev.matches) if t.is_name]),
            terms_unmatched=sum(t.weight for t, (m, _) in zip(info.terms, ev.matches) if m == 0),
            rule_pick=float(rule_pick is not None and o.text == rule_pick[0] and ev.sentence.id in rule_pick[1]),
            score_gap=best - o.features.get("rule_score", np.nan),
        )


CONTEXT_WORDS = 6  # words either side of a name or figure that say what it is about


def context_window(doc, tokens: tuple[int, int]) -> str:
    """The option with the words around it: "about 22,000 spectators lined the course, the"."""
    start, end = tokens
    return doc[max(0, start - CONTEXT_WORDS) : min(len(doc), end + CONTEXT_WORDS)].text


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else np.nan


@dataclass(frozen=True)
class Thresholds:
    """How likely an option must be to answer: less where the rules chose it too, more where the rules found nothing
    to say (chosen by cross-validation in bot/training.py), and better than even odds for an option whose sentence
    has the asked-about noun but not the question's names, or the names but not the noun (set, not fitted: see
    choices())."""

    agree: float = 0.2  # the rules' own answer
    override: float = 0.25  # another answer than the rules'
    new: float = 0.4  # an answer where the rules abstained, in a sentence with the question's names and noun
    unsupported: float = 0.5  # an answer where the rules abstained, in a sentence with the noun but not the names
    off_focus: float = 0.6  # an answer where the rules abstained, in a sentence with the names but not the noun


_COLUMN = {name: i for i, name in enumerate(FEATURES)}


def choices(rows: np.ndarray, preferred: np.ndarray, probability: np.ndarray | None = None) -> list[tuple[int, str]]:
    """The options that may answer, each the most `preferred` of its tier, with the threshold it must pass. Where
    the rules abstained, the best option of a sentence with the question's names and asked-about noun comes
    first; then the best with the asked-about noun alone ("the Chinese firm" for a sentence that says Huawei), at
    better than even odds; then the best with the names alone, at 0.6 ("how many people will the plant employ?"
    → "2,300 direct jobs"), where the noun is missing rather than there as another sort ("transport minister"
    for the prime minister). Cross-validated on 5,165 items: 73.3% with the first two, 73.6% with all three
    (mean of three seeds); on 5,365, the refusal of another sort costs 0.1. Letting any sentence answer gives a
    museum's visitor count for its staff. A whole sentence yields to a shorter option of its own that is about
    as likely (its `probability`): the sentence is cited anyway, and the answer should be the short one."""
    if not len(preferred):
        return []
    eligible = np.ones(len(preferred), dtype=bool)
    if rows[0, _COLUMN["kind"]] == KINDS.index("age"):  # "a 44-year-old former banker" is not whoever is asked about
        eligible &= rows[:, _COLUMN["rule_far_from_the_question"]] != 1
    # a measure the lexicon says is never another ("30 secondary schools" for primary ones, the injured for the dead)
    eligible &= rows[:, _COLUMN["rule_contrasted"]] != 1
    # "Nine of the trust's 14 branch libraries will open": the nine open, not the 14
    eligible &= rows[:, _COLUMN["rule_the_whole_of_the_part"]] != 1

    def best_of(mask: np.ndarray) -> int | None:
        mask = mask & eligible
        if not mask.any():
            return None
        best = int(np.where(mask, preferred, -np.inf).argmax())
        if probability is not None and rows[best, _COLUMN["source"]] == SENTENCE:
            # "The harbour master blamed heavy silt for the slow berth works." → "heavy silt"
            shorter = mask & (rows[:, _COLUMN["rank"]] == rows[best, _COLUMN["rank"]]) \
                & (rows[:, _COLUMN["source"]] != SENTENCE) & (probability >= probability[best] - SHORTER_MARGIN)
            if shorter.any():
                best = int(np.where(shorter, preferred, -np.inf).argmax())
        return best

    if not rows[0, _COLUMN["rule_abstained"]]:
        best = best_of(eligible)
        return [] if best is None else [(best, "agree" if rows[best, _COLUMN["rule_pick"]] else "override")]
    on_noun = rows[:, _COLUMN["focus_ok"]] == 1
    named = rows[:, _COLUMN["names_ok"]] == 1
    # the noun is missing ("toll income" of "£112 million in tolls"), not another of its sort ("transport minister"
    # for the prime minister)
    no_noun = ~(rows[:, _COLUMN["head_match"]] >= FOCUS_MATCH_MIN)
    tiers = [(best_of(on_noun & named), "new"), (best_of(on_noun), "unsupported"), (best_of(named & no_noun), "off_focus")]
    out: list[tuple[int, str]] = []
    for i, kind in tiers:  # the same option again would only meet a higher bar
        if i is not None and all(i != chosen for chosen, _ in out):
            out.append((i, kind))
    return out


@contextlib.contextmanager
def _native_stderr_muted():
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def preference(probabilities: np.ndarray, order_scores: np.ndarray) -> np.ndarray:
    """How much a question's options are preferred to one another: the order model's softmax over them, blended
    with each one's own probability. The probability model learns each option alone; the order model learns
    which of one question's options beats the others, the usual error on unseen articles (a wrong name or
    figure of the right sentence)."""
    if not len(probabilities):
        return probabilities
    odds = np.exp(order_scores - order_scores.max())
    return ORDER_WEIGHT * odds / odds.sum() + (1 - ORDER_WEIGHT) * probabilities


class LearnedRanker:
    """Scores options with the trained models and decides which one answers, if any."""

    def __init__(self, model_text: str, order_text: str, card: dict) -> None:
        import lightgbm

        if card.get("features") != list(FEATURES):
            raise ModelProblem("the learned ranker was trained on other features; retrain it with `python -m bot train-ranker`")
        self.booster = lightgbm.Booster(model_str=model_text)
        self.order_booster = lightgbm.Booster(model_str=order_text)
        self.thresholds = Thresholds(**card["thresholds"])

    @classmethod
    def load(cls, model_dir: Path) -> "LearnedRanker":
        import lightgbm

        lightgbm.register_logger(log)  # its own messages go to the log, not to the user's terminal
        try:
            card = json.loads((model_dir / CARD_FILE).read_text(encoding="utf-8"))
            with _native_stderr_muted():  # LightGBM's C++ prints a parse error itself before raising it
                return cls((model_dir / MODEL_FILE).read_text(encoding="utf-8"),
                           (model_dir / ORDER_FILE).read_text(encoding="utf-8"), card)
        except (OSError, ValueError, KeyError, TypeError, lightgbm.basic.LightGBMError) as err:
            raise ModelProblem(f"the learned ranker in {model_dir} can't be loaded ({err.__class__.__name__}); "
                               "set BOT_RANKER=rules or retrain it with `python -m bot train-ranker`") from None

    def choose(self, options: list[Option]) -> tuple[int | None, np.ndarray]:
        """The index of the answering option (None: abstain) and every option's probability of being right."""
        if not options:
            return None, np.zeros(0)
        rows = np.asarray([o.row() for o in options], dtype="float64")
        # one thread: a question has tens of rows, and the chat and Discord workers run questions side by side
        scores = self.booster.predict(rows, num_threads=1)
        preferred = preference(scores, self.order_booster.predict(rows, num_threads=1))
        tried = choices(rows, preferred, scores)
        chosen = next((i for i, kind in tried if scores[i] >= getattr(self.thresholds, kind)), None)
        return chosen, scores
