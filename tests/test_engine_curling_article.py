"""A sports report of my own (tests/data/unit/oslo-curling-final.txt), through the real chain: the name that opens
the story after its dateline, with no name in the headline to fall back on, and "what time" asks for a time of
day, not for the day."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, extractive_chain

ARTICLE = DATA / "unit" / "oslo-curling-final.txt"


@pytest.fixture(scope="module")
def curling_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "curling-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("Which country won the world curling title?", "Chile", "Chile won the world curling title"),
        ("What time did the final start?", "7:30 p.m.", "began at 7:30 p.m."),
    ],
)
def test_curling_article(curling_chain, question, fact, evidence):
    check_answer(curling_chain.ask(question), fact, evidence, ARTICLE)
