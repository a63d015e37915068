"""Command line: `python -m bot index|ask|chat|eval|discord|train-ranker` (Typer). Errors become one line + exit code."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.errors import BotError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Answer questions about news articles, quoting the sentences each answer rests on.",
)

IndexDir = Annotated[Optional[Path], typer.Option("--index-dir", help="Index directory (default: BOT_INDEX_DIR or ./index).")]


def _settings():
    from bot.config import get_settings

    return get_settings()


@app.command()
def index(
    articles: Annotated[Optional[list[Path]], typer.Argument(help="Plain-text UTF-8 article files (default: the bundled article).")] = None,
    index_dir: IndexDir = None,
) -> None:
    """Build the sentence index from one or more articles."""
    from bot.index_store import build_index

    settings = _settings()
    target = index_dir or settings.index_dir
    built = build_index(list(articles or settings.articles), target)
    typer.echo(f"Indexed {len(built.sentences)} sentences from {len(built.sources)} article(s) into {target} ({built.manifest['faiss']}).")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    index_dir: IndexDir = None,
) -> None:
    """Answer one question."""
    from bot.loader import load_chain
    from bot.render import to_json, to_plain

    answer = load_chain(index_dir).ask(question)
    typer.echo(to_json(answer) if as_json else to_plain(answer))


@app.command()
def chat(index_dir: IndexDir = None) -> None:
    """Terminal chat over the indexed article(s)."""
    from bot.loader import load_chain
    from bot.repl import run_chat

    run_chat(load_chain(index_dir), max_turns=_settings().history_turns)


@app.command("eval")
def evaluate(
    testset: Annotated[Path, typer.Argument(help="JSONL test set.")],
    index_dir: IndexDir = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write predictions (JSONL).")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write a Markdown report.")] = None,
    min_accuracy: Annotated[Optional[float], typer.Option("--min-accuracy", help="Exit 1 if overall accuracy is below this (0-1).")] = None,
) -> None:
    """Measure answer accuracy against a test set."""
    from bot.evaluation import run_eval_command

    raise typer.Exit(run_eval_command(testset, index_dir=index_dir, out=out, report=report, min_accuracy=min_accuracy))


@app.command("train-ranker")
def train_ranker(
    testsets: Annotated[list[Path], typer.Argument(help="JSONL test sets; NAME.jsonl is about articles/NAME.txt beside it, else the default article.")],
    out_dir: Annotated[Optional[Path], typer.Option("--out-dir", help="Where ranker.txt and ranker.json go (default: BOT_RANKER_DIR).")] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds (whole articles per fold).")] = 5,
) -> None:
    """Train the learned ranker on test sets; prints its cross-validated accuracy on unseen articles."""
    from bot.training import collect, train

    missing = [str(p) for p in testsets if not p.is_file()]
    if missing:
        raise BotError(f"no such test set: {', '.join(missing)}")
    out_dir = out_dir or _settings().ranker_dir
    card = train(collect(testsets, _settings()), out_dir, folds)
    typer.echo(f"{card['questions']} questions from {card['groups']} groups; cross-validated accuracy "
               f"{card['cross_validated_accuracy']:.1%} (thresholds {card['thresholds']}); model in {out_dir}")


@app.command()
def discord(index_dir: IndexDir = None) -> None:
    """Run the Discord bot (DISCORD_TOKEN from the environment or .env)."""
    from bot.discord_bot import run_discord

    raise typer.Exit(run_discord(index_dir=index_dir))


def _configure_logging() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    level = os.environ.get("BOT_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=getattr(logging, level, logging.WARNING), format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("transformers", "sentence_transformers", "httpx", "faiss"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


def main() -> None:
    _configure_logging()
    try:
        app()
    except BotError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:  # last resort: one line for the user, the traceback only in debug logs
        logging.getLogger("bot").debug("unexpected error", exc_info=True)
        print(f"error: unexpected {type(err).__name__}: {err}", file=sys.stderr)
        sys.exit(1)
