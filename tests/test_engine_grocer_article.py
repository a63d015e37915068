"""Readers' phrasings from a 21st round of blind sets, on an article written for these tests
(tests/data/unit/grocer-price-war.txt): a time of day or a vote's tally asked in words no sentence shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "grocer-price-war.txt"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "grocer-index", ARTICLE)


@pytest.mark.parametrize("question, marker", [
    # "at what time" in words no sentence shares: the article's only clock time is still weighed
    ("Roughly what time did trading get under way?", "7:15 a.m."),
    # "the final tally of workers for and against" shares no word with "rejected ... by 212 votes to 96"
    ("What was the final tally of workers for and against the deal?", "212 votes to 96"),
])
def test_the_one_sentence_with_a_rare_answer_is_weighed(chain, question, marker):
    from bot.question import analyze
    from bot.schema import Retrieved

    answerer = chain.answerer
    info = analyze(answerer.nlp(question))
    lede = [Retrieved(sentence=s, dense=0.5) for s in chain.index.sentences[:2]]
    added = answerer._with_rare_answers(info, lede)[len(lede):]
    assert [r.sentence.text for r in added] == [s.text for s in chain.index.sentences if marker in s.text]


def test_a_tally_asked_in_other_words_is_answered_with_both_sides(chain):
    answer = chain.ask("What was the final tally of workers for and against the deal?")
    assert not answer.abstained and "212 votes to 96" in answer.answer
    assert "212 votes to 96" in answer.citations[0].text
