"""The answer engine on a small article written for these tests (tests/data/unit/kelbourne-libraries.txt): an
age given only as "The 58-year-old" a quote after the chairman is named, a part counted out of a whole ("Nine of
the trust's 14 branch libraries"), how long a lease lasts beside how old the building is, a union the article
goes on to call "the union" though it also names the European Union, a limit on losses for how much may be
lost, and "What year was that?" after who founded the trust. Every expected fact below is a phrase of that article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import check_answer, extractive_chain, judged_rules

ARTICLE = Path(__file__).parent / "data" / "unit" / "kelbourne-libraries.txt"


@pytest.fixture(scope="module")
def library_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "library-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
ANSWERABLE = [
    # the epithet stands for the chairman named a quote before it
    ("How old is the trust's chairman?", "58", "The 58-year-old"),
    # the part, not the whole it is counted out of
    ("How many branch libraries will open on Sundays?", "Nine", "Nine of the trust's 14 branch libraries"),
    # what lasts is the lease ("a 25-year lease"), not the library's "140-year history"
    ("How long does the lease last?", "25-year", "a 25-year lease"),
    # "The Arts and Humanities Research Council", though the small model starts the name at "Humanities"
    ("Which council funded the study of reading habits?", "Arts and Humanities Research Council",
     "funded by the Arts and Humanities Research Council"),
]


@pytest.mark.parametrize("question, fact, evidence", ANSWERABLE, ids=[q for q, _, _ in ANSWERABLE])
def test_library_facts_are_answered_with_their_sentence(library_chain, question, fact, evidence):
    check_answer(library_chain.ask(question), fact, evidence, ARTICLE)


def test_a_limit_on_losses_answers_how_much_may_be_lost(library_chain):
    # "profit" is asked about too, but "losses" is the measure the question's "lose" asks for
    rules = judged_rules(library_chain.answerer, "Under the council's profit rules, how much can the trust lose each year?",
                         "limit the trust's losses")
    assert "150,000 pounds a year" in rules and rules["150,000 pounds a year"] is None, rules


@pytest.mark.parametrize("question, whole_ruled_out", [
    ("How many branch libraries will open on Sundays?", True),  # the nine open, not the 14
    ("How many branch libraries does the trust have?", False),  # here the whole is the answer
])
def test_the_whole_a_part_is_counted_out_of(library_chain, question, whole_ruled_out):
    rules = judged_rules(library_chain.answerer, question, "Nine of the trust's 14 branch libraries")
    assert rules["Nine"] is None
    assert (rules["14"] == "the_whole_of_the_part") is whole_ruled_out, rules


@pytest.mark.parametrize("turns", [
    # "the union" is the staff union, though the article also names the European Union
    [("Which union represents the trust's workers?", "Library and Archive Staff Union", "represents about 120"),
     ("Who heads it?", "Fiona Baird", "General secretary Fiona Baird")],
    # "that" is the founding the last question asked about
    [("Who founded the trust?", "Morven Lachlan", "founded in 1998"),
     ("What year was that?", "1998", "founded in 1998")],
])
def test_follow_ups_are_answered_in_context(library_chain, turns):
    conversation = Conversation(library_chain)
    for question, fact, evidence in turns:
        check_answer(conversation.ask(question), fact, evidence, ARTICLE)
