"""Readers' phrasings from a 21st round of blind sets, on an article written for these tests
(tests/data/unit/grocer-price-war.txt): a time of day asked in words no sentence shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "grocer-price-war.txt"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "grocer-index", ARTICLE)


def test_the_one_sentence_with_a_clock_time_is_weighed_for_what_time(chain):
    # "at what time" in words no sentence shares: the article's only clock time is still weighed
    from bot.question import analyze
    from bot.schema import Retrieved

    answerer = chain.answerer
    info = analyze(answerer.nlp("Roughly what time did trading get under way?"))
    lede = [Retrieved(sentence=s, dense=0.5) for s in chain.index.sentences[:2]]
    added = answerer._with_clock_times(info, lede)[len(lede):]
    assert [r.sentence.text for r in added] == [s.text for s in chain.index.sentences if "7:15 a.m." in s.text]
