"""A council election of my own (tests/data/unit/brennmoor-council-vote.txt), through the real chain: a role
said of someone ("was declared mayor") names who won it, each of several coordinated clauses keeps its own
figure, and retrieval folds word forms ("beds" finds "220-bed")."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, extractive_chain

ARTICLE = DATA / "unit" / "brennmoor-council-vote.txt"


@pytest.fixture(scope="module")
def council_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "brennmoor-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("How much did Moss Green raise?", "150,000 crowns", "Moss Green collected"),
        ("How many beds does the hospital have?", "220", "220-bed"),
    ],
)
def test_council_article(council_chain, question, fact, evidence):
    check_answer(council_chain.ask(question), fact, evidence, ARTICLE)


def test_a_role_said_of_someone_names_who_won_it(tmp_path_factory):
    """"was declared mayor" answers "who won the mayor's race": the rules' answer. The learned ranker agrees but is
    unsure (0.17 against its 0.25 bar with the ranker trained on round 15; 0.22 against 0.20 at eefd881): neither
    "won" nor "race" is in the sentence, so this pattern is tested on the rules alone."""
    rules = extractive_chain(tmp_path_factory, "brennmoor-rules", ARTICLE, ranker="rules")
    check_answer(rules.ask("Who won the mayor's race in Brennmoor?"), "Astrid Lindahl", "was declared mayor", ARTICLE)


def test_beds_find_the_hyphenated_bed_count(tmp_path_factory):
    from bot.index_store import build_index
    from bot.retrieval import HybridRetriever, lexical_tokens

    assert lexical_tokens("beds") == lexical_tokens("220-bed")[1:] == ["bed"]
    index = build_index([ARTICLE], tmp_path_factory.mktemp("brennmoor-retrieval"))
    top = HybridRetriever(index=index, k=3).retrieve("How many beds does the hospital have?")
    assert any("220-bed" in r.sentence.text for r in top)
