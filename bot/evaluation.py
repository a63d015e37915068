"""`python -m bot eval`: run a JSONL test set through the chain, score it (bot.metrics), print a table, and
optionally write predictions (JSONL) and a Markdown report of every failed item."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.conversation import Conversation
from bot.errors import BotError, InvalidQuestion
from bot.metrics import ItemScore, normalize_answer, score_item, summarize
from bot.pipeline import QAChain

NonEmpty = Annotated[str, Field(min_length=1)]


class TestItem(BaseModel):
    """One line of a test set. Unknown fields are ignored so other tools can annotate items."""

    __test__ = False  # not a pytest class
    model_config = ConfigDict(extra="ignore", strict=True)

    id: NonEmpty
    question: str
    answers: list[str]
    evidence: list[str]
    answerable: bool
    conversation: NonEmpty | None = None
    turn: int | None = None

    @model_validator(mode="after")
    def _answerable_has_answers(self) -> "TestItem":
        if self.answerable and not any(a.strip() for a in self.answers):
            raise ValueError("an answerable item needs at least one non-empty answer")
        return self


class Prediction(BaseModel):
    """One line of the --out file (the format other tools read)."""

    id: str
    question: str
    answer: str
    abstained: bool
    citations: list[dict[str, str]]
    latency_ms: float


@dataclass
class Outcome:
    item: TestItem
    prediction: Prediction
    score: ItemScore


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _describe(error: ValidationError) -> str:
    """First problem of a validation error, on one line: `answers: Input should be a valid list`."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    text = first["msg"] if first["type"] != "json_invalid" else "not valid JSON"
    return f"{where}: {text}" if where else text


def load_testset(path: Path) -> list[TestItem]:
    """Valid items in file order; malformed lines and duplicate ids are reported on stderr and skipped."""
    path = Path(path)
    if not path.is_file():
        raise BotError(f"test set not found: {path}")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as err:
        raise BotError(f"test set is not UTF-8 text (byte {err.start}): {path}") from None
    items: list[TestItem] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = TestItem.model_validate_json(line)
        except ValidationError as err:
            _warn(f"{path}:{number}: skipped malformed item ({_describe(err)})")
            continue
        if item.id in seen:
            _warn(f"{path}:{number}: skipped item with duplicate id {item.id!r}")
            continue
        seen.add(item.id)
        items.append(item)
    if not items:
        raise BotError(f"no valid test items in {path}")
    return items


def question_units(items: list[TestItem]) -> Iterator[list[TestItem]]:
    """Single items, and each conversation as one unit in turn order (stable for equal or missing turns),
    placed where its first item appears in the file."""
    conversations: dict[str, list[TestItem]] = {}
    for item in items:
        if item.conversation is not None:
            conversations.setdefault(item.conversation, []).append(item)
    done: set[str] = set()
    for item in items:
        if item.conversation is None:
            yield [item]
        elif item.conversation not in done:
            done.add(item.conversation)
            ordered = sorted(enumerate(conversations[item.conversation]), key=lambda p: (p[1].turn is None, p[1].turn or 0, p[0]))
            yield [turn for _, turn in ordered]


def _predict(ask, item: TestItem) -> Prediction:
    """Ask one question; an invalid question counts as an abstention with the bot's message as answer."""
    started = time.perf_counter()
    try:
        answer = ask(item.question)
    except InvalidQuestion as err:
        elapsed = round((time.perf_counter() - started) * 1000, 2)
        return Prediction(id=item.id, question=item.question, answer=str(err), abstained=True, citations=[], latency_ms=elapsed)
    return Prediction(
        id=item.id,
        question=item.question,
        answer=answer.answer,
        abstained=answer.abstained,
        citations=[{"sentence_id": c.sentence_id, "text": c.text} for c in answer.citations],
        latency_ms=answer.latency_ms,
    )


def _score(item: TestItem, prediction: Prediction) -> ItemScore:
    return score_item(
        id=item.id,
        answerable=item.answerable,
        answers=item.answers,
        evidence=item.evidence,
        answer=prediction.answer,
        abstained=prediction.abstained,
        cited_texts=[c["text"] for c in prediction.citations],
        latency_ms=prediction.latency_ms,
    )


def run_items(chain: QAChain, items: list[TestItem], console: Console | None = None) -> list[Outcome]:
    """Answer every item (conversations through one Conversation each) with a progress bar; file order out."""
    by_id: dict[str, Outcome] = {}
    console = console or Console(stderr=True)
    progress = Progress(
        TextColumn("evaluating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,  # a live bar in a log file is just noise
    )
    with progress:
        task = progress.add_task("eval", total=len(items))
        for unit in question_units(items):
            ask = Conversation(chain).ask if unit[0].conversation is not None else chain.ask
            for item in unit:
                prediction = _predict(ask, item)
                by_id[item.id] = Outcome(item, prediction, _score(item, prediction))
                progress.advance(task)
    return [by_id[item.id] for item in items]


def _check_corpus(chain: QAChain, items: list[TestItem]) -> None:
    """Warn when most evidence isn't in the index: citation hits would be impossible (wrong --index-dir?)."""
    corpus = normalize_answer(" ".join(s.text for s in chain.index.sentences))
    evidence = [e for item in items for e in item.evidence if e.strip()]
    missing = sum(normalize_answer(e) not in corpus for e in evidence)
    if evidence and missing > len(evidence) / 2:
        _warn(
            f"{missing} of {len(evidence)} evidence strings are not in the indexed article(s) "
            f"({', '.join(chain.sources)}); is --index-dir the index of this test set's article?"
        )


# Metric rows: (key, label, kind) where kind picks the formatting.
ROWS: list[tuple[str, str, str]] = [
    ("accuracy", "Overall accuracy", "pct"),
    ("exact_match", "Exact match (all, SQuAD 2.0)", "pct"),
    ("f1", "Token F1 (all, SQuAD 2.0)", "pct"),
    ("exact_match_answerable", "Exact match (answerable)", "pct"),
    ("f1_answerable", "Token F1 (answerable)", "pct"),
    ("containment", "Answer containment", "pct"),
    ("citation_hit", "Citation hit", "pct"),
    ("abstention_accuracy", "Abstention accuracy (unanswerable)", "pct"),
    ("false_abstention_rate", "False abstention rate (answerable)", "pct"),
    ("median_answer_words", "Median answer length (words)", "num"),
    ("latency_p50_ms", "Latency p50 (ms)", "num"),
    ("latency_p95_ms", "Latency p95 (ms)", "num"),
]


def _fmt(value: float | int | None, kind: str) -> str:
    if value is None:
        return "n/a"
    return f"{value * 100:.1f}%" if kind == "pct" else f"{value:.1f}"


def metrics_table(summary: dict, title: str) -> Table:
    table = Table(title=title)
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    for key, label, kind in ROWS:
        table.add_row(label, _fmt(summary[key], kind))
    return table


def _md(text: str) -> str:
    """One line, safe inside Markdown inline text."""
    return " ".join(text.split()).replace("|", "\\|")


def render_report(testset: Path, sources: list[str], summary: dict, outcomes: list[Outcome]) -> str:
    failed = [o for o in outcomes if not o.score.correct]
    lines = [
        f"# Evaluation report: {testset.name}",
        "",
        f"- Test set: `{testset}`",
        f"- Indexed article(s): {', '.join(sources)}",
        f"- Items: {summary['items']} ({summary['answerable']} answerable, {summary['unanswerable']} unanswerable); "
        f"failed: {len(failed)}",
        "",
        "| Metric | Value |",
        "|---|---:|",
        *(f"| {label} | {_fmt(summary[key], kind)} |" for key, label, kind in ROWS),
        "",
        "Answerable items count as correct when the answer contains a gold answer, a cited sentence contains an "
        "evidence string and the bot did not abstain; unanswerable items when it abstained.",
        "",
        f"## Failed items ({len(failed)})",
        "",
    ]
    if not failed:
        lines.append("None.")
    for o in failed:
        item, pred, score = o.item, o.prediction, o.score
        turn = f" (conversation {item.conversation}, turn {item.turn})" if item.conversation else ""
        expected = "; ".join(f"“{_md(a)}”" for a in item.answers) if item.answerable else "*abstain* (unanswerable)"
        why = []
        if item.answerable:
            why += [] if score.contained else ["answer lacks gold"]
            why += [] if score.cited else ["citation misses evidence"]
            why += ["abstained"] if score.abstained else []
        else:
            why.append("answered instead of abstaining")
        lines += [
            f"### {_md(item.id)}{turn}",
            "",
            f"- Question: {_md(item.question)}",
            f"- Expected: {expected}",
            *([f"- Evidence: {'; '.join(f'“{_md(e)}”' for e in item.evidence)}"] if item.evidence else []),
            f"- Got: {_md(pred.answer)}",
            f"- Abstained: {'yes' if pred.abstained else 'no'}",
            f"- Why failed: {', '.join(why)}",
            "- Cited sentences:" if pred.citations else "- Cited sentences: none",
            *(f"  - `{c['sentence_id']}` {_md(c['text'])}" for c in pred.citations),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise BotError(f"cannot write {path}: {err.strerror or err}") from None


def run_eval_command(
    testset: Path,
    index_dir: Path | None = None,
    out: Path | None = None,
    report: Path | None = None,
    min_accuracy: float | None = None,
) -> int:
    """Evaluate and return the exit code: 1 if accuracy is below `min_accuracy` (a fraction 0-1), else 0."""
    from bot.loader import load_chain

    testset = Path(testset)
    items = load_testset(testset)
    chain = load_chain(index_dir)
    _check_corpus(chain, items)
    outcomes = run_items(chain, items)
    summary = summarize([o.score for o in outcomes])

    Console().print(metrics_table(summary, f"{testset.name}: {summary['items']} items"))
    if out is not None:
        _write(Path(out), "".join(json.dumps(o.prediction.model_dump(), ensure_ascii=False) + "\n" for o in outcomes))
    if report is not None:
        _write(Path(report), render_report(testset, chain.sources, summary, outcomes))

    if min_accuracy is None:
        return 0
    if min_accuracy > 1:
        _warn(f"--min-accuracy is a fraction between 0 and 1; {min_accuracy} can never be met")
    accuracy = summary["accuracy"] or 0.0
    if accuracy < min_accuracy:
        print(f"accuracy {accuracy:.3f} is below --min-accuracy {min_accuracy:.3f}", file=sys.stderr)
        return 1
    return 0
