"""`python -m bot train-ranker`: fit the learned ranker (bot.ranker) on test sets in the `eval` format.

Each test set's questions go through the real chain (follow-ups in their conversation); every option the engine
weighs is a row, labelled right when it contains a gold answer and its sentence holds the evidence. Rows are
grouped by article for cross-validation, so the reported accuracy is that on articles the model never saw. The
default corpus is the exception: the shipped model always knows it, so its test sets are grouped one by one.
"""

from __future__ import annotations

import json
import random
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from bot import ranker
from bot.config import Settings
from bot.conversation import Conversation
from bot.errors import InvalidQuestion
from bot.evaluation import load_testset, question_units
from bot.metrics import citation_hit, contains
from bot.schema import Answer

PARAMS = dict(objective="binary", learning_rate=0.05, num_leaves=63, min_data_in_leaf=40, feature_fraction=0.8,
              bagging_fraction=0.8, bagging_freq=1, lambda_l2=1.0, verbose=-1, num_threads=2, seed=7, deterministic=True)
ROUNDS = 300
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 13)]


@dataclass
class Question:
    group: str  # cross-validation group: the article, or the test set on the default corpus
    answerable: bool
    labels: list[bool]
    rows: list[list[float]]


@dataclass
class TrainingData:
    questions: list[Question] = field(default_factory=list)

    def arrays(self, keep=lambda q: True) -> tuple[np.ndarray, np.ndarray]:
        chosen = [q for q in self.questions if keep(q) and q.rows]
        x = np.asarray([r for q in chosen for r in q.rows], dtype="float64").reshape(-1, len(ranker.FEATURES))
        y = np.asarray([label for q in chosen for label in q.labels], dtype="float64")
        return x, y


class _Recorder:
    """Answers as the rules do and keeps the options each answer was chosen from."""

    def __init__(self, answerer) -> None:
        self.answerer = answerer
        self.name = answerer.name
        self.options: list[ranker.Option] = []

    def answer(self, state) -> Answer:
        weighed = self.answerer.weigh(state)
        self.options = weighed.options
        return weighed.ruled


def article_of(testset: Path, default: list[Path]) -> list[Path]:
    """`NAME.jsonl` is about `articles/NAME.txt` beside it, else about the default corpus."""
    own = testset.parent / "articles" / f"{testset.stem}.txt"
    return [own] if own.exists() else list(default)


def collect(testsets: list[Path], settings: Settings) -> TrainingData:
    from bot.extractive import ExtractiveAnswerer
    from bot.followup import RuleBasedResolver
    from bot.index_store import build_index
    from bot.pipeline import QAChain
    from bot.retrieval import HybridRetriever

    data = TrainingData()
    default = [Path(p).resolve() for p in settings.articles]
    with tempfile.TemporaryDirectory() as tmp:
        for n, testset in enumerate(testsets):
            articles = article_of(testset, default)
            index = build_index(articles, Path(tmp) / f"index-{n}")
            recorder = _Recorder(ExtractiveAnswerer(index, record_options=True))
            retriever = HybridRetriever(index=index, k=settings.top_k, query_encoder=recorder.answerer.words.embed_query)
            chain = QAChain(index, retriever, RuleBasedResolver(recorder.answerer.nlp, recorder.answerer.words), recorder,
                            settings.max_question_chars)
            group = testset.stem if [p.resolve() for p in articles] == default else "+".join(p.stem for p in articles)
            for unit in question_units(load_testset(testset)):  # as `eval` asks them
                ask = Conversation(chain).ask if unit[0].conversation is not None else chain.ask
                for item in unit:
                    recorder.options = []
                    try:
                        ask(item.question)
                    except InvalidQuestion:  # counts as an abstention, as in `eval`
                        pass
                    options = recorder.options
                    data.questions.append(Question(
                        group=group,
                        answerable=item.answerable,
                        labels=[item.answerable and contains(o.text, item.answers)
                                and citation_hit([o.evidence.sentence.text], item.evidence) for o in options],
                        rows=[o.row() for o in options],
                    ))
    return data


def _train(x: np.ndarray, y: np.ndarray):
    import lightgbm

    categorical = [ranker.FEATURES.index(name) for name in ranker.CATEGORICAL]
    dataset = lightgbm.Dataset(x, y, feature_name=list(ranker.FEATURES), categorical_feature=categorical)
    return lightgbm.train(PARAMS, dataset, ROUNDS)


_KINDS = tuple(f.name for f in fields(ranker.Thresholds))  # "agree", "override", "new", "unsupported", "off_focus"
_CHOICES = 3  # at most: the best option with the names and noun, with the noun, with the names (bot.ranker.choices)


def _outcomes(data: TrainingData, scores: dict[int, np.ndarray]) -> np.ndarray:
    """Per question, for each option that may answer in turn: its score, which threshold it must pass (an index
    into _KINDS) and whether it is right; then whether the question is answerable. A missing choice scores -1."""
    rows = []
    for i, q in enumerate(data.questions):
        tried = ranker.choices(np.asarray(q.rows, dtype="float64").reshape(-1, len(ranker.FEATURES)), scores[i])
        row = []
        for best, kind in tried + [(None, "new")] * (_CHOICES - len(tried)):
            row += [-1.0 if best is None else scores[i][best], _KINDS.index(kind), float(best is not None and q.labels[best])]
        rows.append(row + [float(q.answerable)])
    return np.asarray(rows)


def _accuracy(outcomes: np.ndarray, thresholds: ranker.Thresholds) -> np.ndarray:
    """Per question: right or wrong, when the ranker decides with these thresholds (the first choice that passes
    its threshold answers)."""
    levels = [getattr(thresholds, kind) for kind in _KINDS]
    result = outcomes[:, -1] == 0  # nothing passes: an abstention, right where the article does not say
    for c in reversed(range(_CHOICES)):
        score, kind, right = outcomes[:, 3 * c], outcomes[:, 3 * c + 1], outcomes[:, 3 * c + 2]
        result = np.where(score >= np.choose(kind.astype(int), levels), right == 1, result)
    return result


def cross_validate(data: TrainingData, folds: int = 5) -> dict:
    """Out-of-fold scores for every question (folds made of whole groups), the thresholds that make the most of
    them, and the accuracy they give."""
    groups = sorted({q.group for q in data.questions})
    random.Random(0).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    scores: dict[int, np.ndarray] = {}
    for k in range(folds):
        booster = _train(*data.arrays(lambda q: fold_of[q.group] != k))
        for i, q in enumerate(data.questions):
            if fold_of[q.group] == k:
                scores[i] = booster.predict(np.asarray(q.rows, dtype="float64")) if q.rows else np.zeros(0)
    outcomes = _outcomes(data, scores)
    # agreeing with the rules never needs more confidence than overriding them, nor that more than answering alone
    grid = [ranker.Thresholds(a, o, n) for a in THRESHOLDS for o in THRESHOLDS for n in THRESHOLDS if a <= o <= n]
    best = max(grid, key=lambda t: (_accuracy(outcomes, t).mean(), t.new, t.override))  # ties: the more careful
    right = _accuracy(outcomes, best)
    per_group: dict[str, list[bool]] = {}
    for q, ok in zip(data.questions, right):
        per_group.setdefault(q.group, []).append(bool(ok))
    return {"thresholds": best, "accuracy": float(right.mean()),
            "per_group": {g: round(float(np.mean(v)), 4) for g, v in sorted(per_group.items())}}


def train(data: TrainingData, out_dir: Path, folds: int = 5) -> dict:
    """Cross-validate, then fit on everything; writes `ranker.txt` (the model) and `ranker.json` (threshold,
    features, cross-validated accuracy)."""
    report = cross_validate(data, folds)
    booster = _train(*data.arrays())
    out_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out_dir / ranker.MODEL_FILE))
    card = {
        "thresholds": asdict(report["thresholds"]),
        "features": list(ranker.FEATURES),
        "questions": len(data.questions),
        "groups": len({q.group for q in data.questions}),
        "cross_validated_accuracy": round(report["accuracy"], 4),
        "per_group": report["per_group"],
        "params": PARAMS | {"rounds": ROUNDS, "folds": folds},
    }
    (out_dir / ranker.CARD_FILE).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card
