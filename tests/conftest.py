"""Shared fixtures: the real models, a real FAISS index over the default article and over a second article."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
DEFAULT_ARTICLE = REPO / "data" / "huawei-5g-base-stations.txt"
ARTICLES = DATA / "articles"
MUSEUM_ARTICLE = DATA / "unit" / "aldermoor-museum.txt"  # written for the unit tests; facts asserted in test_engine.py
TRAM_ARTICLE = ARTICLES / "valencia-tram-line.txt"  # the second article of the CLI tests


def article_text(path: Path) -> str:
    """The article as the user wrote it (independent of bot.articles): UTF-8, BOM dropped, LF line ends."""
    return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def check_answer(answer, fact: str, evidence: str, article: Path) -> None:
    """An extractive answer (not an abstention) that contains `fact`, is a span of a sentence it cites, and cites,
    verbatim at its offsets in `article`, a sentence containing `evidence`."""
    assert not answer.abstained, f"abstained on {answer.question!r}"
    assert fact.lower() in answer.answer.lower(), f"{answer.question!r} → {answer.answer!r}, expected {fact!r}"
    assert answer.citations, "an answer must cite its sentence"
    text = article_text(article)
    for c in answer.citations:
        assert c.source == article.name
        assert text[c.start : c.end] == c.text  # the quote is verbatim at its offsets
        assert c.sentence_id.startswith(f"{article.stem}:s")
    assert any(evidence in c.text for c in answer.citations), [c.text for c in answer.citations]
    # extractive: the answer is a span of a cited sentence
    assert any(answer.answer.strip(' "“”') in c.text for c in answer.citations)


def judged_rules(answerer, question: str, fragment: str) -> dict[str, str | None]:
    """Each option of the indexed sentence holding `fragment`, with the rule that rules it out (None: none does)."""
    sentence = next(s for s in answerer.index.sentences if fragment in s.text)
    return {j.text: j.rule for j in answerer.judge(question, sentence)}


def check_refused(answer) -> None:
    """An abstention: said plainly, with no citation to back a guess."""
    assert answer.abstained, f"{answer.question!r} → {answer.answer!r}"
    assert answer.citations == []


def extractive_chain(tmp_path_factory, name: str, article: Path, ranker: str = "learned"):
    """The offline chain over a fresh index of one article, whatever engine the caller's .env selects; with
    ranker="rules", the hand-set rules choose alone."""
    from bot.config import Settings
    from bot.loader import load_chain

    return load_chain(_fresh_index(tmp_path_factory, name, article), Settings(BOT_ENGINE="extractive", BOT_RANKER=ranker))


def _fresh_index(tmp_path_factory, name: str, article: Path) -> Path:
    from bot.index_store import build_index

    target = tmp_path_factory.mktemp(name)
    build_index([article], target)
    return target


@pytest.fixture(scope="session")
def default_index_dir(tmp_path_factory) -> Path:
    """A fresh index of the default article (tests never depend on the committed one being current)."""
    return _fresh_index(tmp_path_factory, "default-index", DEFAULT_ARTICLE)


@pytest.fixture(scope="session")
def chain(default_index_dir):
    from bot.loader import load_chain

    return load_chain(default_index_dir)


@pytest.fixture(scope="session")
def museum_index_dir(tmp_path_factory) -> Path:
    return _fresh_index(tmp_path_factory, "museum-index", MUSEUM_ARTICLE)


@pytest.fixture(scope="session")
def museum_chain(museum_index_dir):
    """The full chain (extractive engine, whatever .env says) over the small museum article."""
    from bot.config import Settings
    from bot.loader import load_chain

    return load_chain(museum_index_dir, Settings(BOT_ENGINE="extractive"))


def run_cli(*args: str, input: str | None = None, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m bot ...` as a user would, from the repo root."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
