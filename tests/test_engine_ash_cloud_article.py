"""An airline shutdown of my own (tests/data/unit/fjordair-ash-cloud.txt), through the real chain: planes are
aircraft, not flights ("cancelled all 380 of its flights and said it had grounded 52 aircraft"), a name
asked in full is found by its initials ("UNP president"), a majority measured in seats is its size, and the
report's author is who "wrote the report", and the injured are not the dead, nor secondary schools primary ones."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, check_refused, extractive_chain

ARTICLE = DATA / "unit" / "fjordair-ash-cloud.txt"


@pytest.fixture(scope="module")
def ash_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "fjordair-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("How many planes has Fjordair grounded?", "52", "grounded 52 aircraft"),
        ("How many flights did Fjordair cancel?", "380", "all 380 of its flights"),
        ("Who is the president of the Union of Nordic Pilots?", "Karin Solheim", "UNP president Karin Solheim"),
        ("How large is the coalition's working majority?", "12 seats", "working majority of 12 seats"),
        ("Who is the author of the report?", "Lars Eide", "who wrote the report"),
        ("How old is the report's author?", "58", "Lars Eide, 58,"),
        ("How many passengers were injured when the bus skidded?", "Eleven", "Eleven passengers were injured"),
        ("How many secondary schools did the city close?", "30", "30 secondary schools"),
    ],
)
def test_ash_cloud_article(ash_chain, question, fact, evidence):
    check_answer(ash_chain.ask(question), fact, evidence, ARTICLE)


@pytest.mark.parametrize(
    "question", ["How many passengers died when the bus skidded?", "How many primary schools did the city close?"]
)
def test_a_figure_of_the_contrasting_measure_does_not_answer(ash_chain, question):
    check_refused(ash_chain.ask(question))  # "Eleven passengers were injured", "30 secondary schools"


def test_how_far_is_never_an_area(ash_chain):
    # the sentence holds a height (9,000 metres) and an area (4,000 square kilometres): an area measures no distance
    answer = ash_chain.ask("How far did the ash cloud reach across the sky?")
    assert "square" not in answer.answer
