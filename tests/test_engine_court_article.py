"""The answer engine on how a court report refers to its people and bodies, on a small article written for these
tests (tests/data/unit/dunmore-harbour-verdict.txt): a lede that describes whom the next sentence names, a
surname standing for that description later, an age given after a quote, a vice president who is no boss, a
body's name shortened to its head noun, and a sum given with its conversion. Every expected fact below is a phrase
of that article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import check_answer, extractive_chain, judged_rules

ARTICLE = Path(__file__).parent / "data" / "unit" / "dunmore-harbour-verdict.txt"


@pytest.fixture(scope="module")
def court_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "court-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
ANSWERABLE = [
    # the lede's "former mayor of Dunmore" is "Declan Morrow, 58," of the next sentence, and "Morrow" later
    ("When was the former mayor arrested?", "March 3, 2022", "was arrested on March 3, 2022"),
    # a senior vice president is not the boss; the chief executive is
    ("Who is the boss of Brannagh Marine?", "Padraig Cullinane", "Its chief executive, Padraig Cullinane"),
    # runs ~ operates
    ("How many dredging vessels does Brannagh Marine run?", "14", "operates 14 dredging vessels"),
    # "The bureau, set up in 2011" is the Public Integrity Bureau the sentence before names in full
    ("When was the Public Integrity Bureau founded?", "2011", "The bureau, set up in 2011"),
]


@pytest.mark.parametrize("question, fact, evidence", ANSWERABLE, ids=[q for q, _, _ in ANSWERABLE])
def test_court_report_references_are_followed(court_chain, question, fact, evidence):
    check_answer(court_chain.ask(question), fact, evidence, ARTICLE)


def test_a_sum_is_answered_with_its_conversion(court_chain):
    answer = court_chain.ask("How much did Brannagh Marine pay in bribes?")
    check_answer(answer, "1.4 million euros", "paid 1.4 million euros", ARTICLE)
    assert "$1.5 million" in answer.answer


def test_an_age_after_a_quote_is_the_age_of_the_person_named_before_it(court_chain):
    conversation = Conversation(court_chain)
    assert "Tomas Keane" in conversation.ask("Who chairs the Dunmore Traders' Association?").answer
    check_answer(conversation.ask("How old is he?"), "61", "the 61-year-old said", ARTICLE)


def test_a_name_ending_in_a_surname_the_article_gives_a_person_is_that_person(court_chain):
    # the small model calls "Aibek Serikov" an organisation; "Serikov, 41," later marks him as a person
    answerer = court_chain.answerer
    sentence = next(s for s in court_chain.index.sentences if "co-production" in s.text)
    assert ("Aibek Serikov", "PERSON") in {(e.text, e.label_) for e in answerer.parsed([sentence])[0].ents}


def test_a_person_the_article_names_is_no_body(court_chain):
    # "the Public Integrity Bureau, whose lead investigator, Ciaran Doyle, ...": the bureau brought the case
    judged = judged_rules(court_chain.answerer, "Which agency brought the case?", "Ciaran Doyle")
    assert judged["Ciaran Doyle"] == "person_for_a_body" and judged["Public Integrity Bureau"] is None
