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
# The order model ranks one question's options against each other (LightGBM can't bag rows of ranked groups).
ORDER_PARAMS = {k: v for k, v in PARAMS.items() if not k.startswith("bagging")} | dict(objective="lambdarank")
ROUNDS = 300
THRESHOLDS = [round(0.05 * i, 2) for i in range(2, 13)]
CAREFUL_MARGIN = 0.0015  # out-of-fold accuracy given up for more careful thresholds (0.15 point, within seed noise)


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

    def ranked(self, keep=lambda q: True) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """The rows and labels of the questions with a right option, and how many rows each question has."""
        chosen = [q for q in self.questions if keep(q) and any(q.labels)]
        x, y = TrainingData(chosen).arrays()
        return x, y, [len(q.rows) for q in chosen]


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


def _train(x: np.ndarray, y: np.ndarray, group: list[int] | None = None):
    """The probability model, or with `group` (rows per question) the order model."""
    import lightgbm

    categorical = [ranker.FEATURES.index(name) for name in ranker.CATEGORICAL]
    dataset = lightgbm.Dataset(x, y, group=group, feature_name=list(ranker.FEATURES), categorical_feature=categorical)
    return lightgbm.train(PARAMS if group is None else ORDER_PARAMS, dataset, ROUNDS)


def _fit(data: TrainingData, keep=lambda q: True):
    """Both models on the questions kept."""
    return _train(*data.arrays(keep)), _train(*data.ranked(keep))


def _scores(models, q: Question) -> tuple[np.ndarray, np.ndarray]:
    """A question's options' probabilities, and how much they are preferred (bot.ranker.preference)."""
    if not q.rows:
        return np.zeros(0), np.zeros(0)
    rows = np.asarray(q.rows, dtype="float64")
    probability, order = models
    p = probability.predict(rows)
    return p, ranker.preference(p, order.predict(rows))


_KINDS = tuple(f.name for f in fields(ranker.Thresholds))  # "agree", "override", "new", "unsupported", "off_focus"
_CHOICES = 3  # at most: the best option with the names and noun, with the noun, with the names (bot.ranker.choices)


def _outcomes(data: TrainingData, scores: dict[int, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Per question, for each option that may answer in turn: its probability, which threshold it must pass (an
    index into _KINDS) and whether it is right; then whether the question is answerable. A missing choice scores
    -1."""
    rows = []
    for i, q in enumerate(data.questions):
        probability, preferred = scores[i]
        rows_of_q = np.asarray(q.rows, dtype="float64").reshape(-1, len(ranker.FEATURES))
        tried = ranker.choices(rows_of_q, preferred, probability)
        row = []
        for best, kind in tried + [(None, "new")] * (_CHOICES - len(tried)):
            right = float(best is not None and q.labels[best])
            row += [-1.0 if best is None else probability[best], _KINDS.index(kind), right]
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


def choose_thresholds(outcomes: np.ndarray) -> ranker.Thresholds:
    """The thresholds that do best out of fold; near-ties go to the more careful ones, since a tenth of a point is
    less than one seed differs from another, and an answer the article does not hold is worse than none."""
    # agreeing with the rules never needs more confidence than overriding them, nor that more than answering alone
    grid = [ranker.Thresholds(a, o, n) for a in THRESHOLDS for o in THRESHOLDS for n in THRESHOLDS if a <= o <= n]
    accuracy = {t: _accuracy(outcomes, t).mean() for t in grid}
    top = max(accuracy.values())
    return max((t for t in grid if accuracy[t] >= top - CAREFUL_MARGIN), key=lambda t: (t.new, t.override, accuracy[t]))


def cross_validate(data: TrainingData, folds: int = 5) -> dict:
    """Out-of-fold scores for every question (folds made of whole groups), the thresholds that make the most of
    them, and the accuracy they give."""
    groups = sorted({q.group for q in data.questions})
    random.Random(0).shuffle(groups)
    fold_of = {g: i % folds for i, g in enumerate(groups)}
    scores: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for k in range(folds):
        models = _fit(data, lambda q: fold_of[q.group] != k)
        for i, q in enumerate(data.questions):
            if fold_of[q.group] == k:
                scores[i] = _scores(models, q)
    outcomes = _outcomes(data, scores)
    best = choose_thresholds(outcomes)
    right = _accuracy(outcomes, best)
    per_group: dict[str, list[bool]] = {}
    for q, ok in zip(data.questions, right):
        per_group.setdefault(q.group, []).append(bool(ok))
    return {"thresholds": best, "accuracy": float(right.mean()),
            "per_group": {g: round(float(np.mean(v)), 4) for g, v in sorted(per_group.items())}}


def train(data: TrainingData, out_dir: Path, folds: int = 5) -> dict:
    """Cross-validate, then fit on everything; writes `ranker.txt` (the probability model), `ranker_order.txt`
    (the order model) and `ranker.json` (thresholds, features, cross-validated accuracy)."""
    report = cross_validate(data, folds)
    probability, order = _fit(data)
    out_dir.mkdir(parents=True, exist_ok=True)
    probability.save_model(str(out_dir / ranker.MODEL_FILE))
    order.save_model(str(out_dir / ranker.ORDER_FILE))
    card = {
        "thresholds": asdict(report["thresholds"]),
        "features": list(ranker.FEATURES),
        "questions": len(data.questions),
        "groups": len({q.group for q in data.questions}),
        "cross_validated_accuracy": round(report["accuracy"], 4),
        "per_group": report["per_group"],
        "params": PARAMS | {"rounds": ROUNDS, "folds": folds},
        "order_params": ORDER_PARAMS,
    }
    (out_dir / ranker.CARD_FILE).write_text(json.dumps(card, indent=1) + "\n", encoding="utf-8")
    return card
