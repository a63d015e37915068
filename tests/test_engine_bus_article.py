"""The answer engine on how a labour-dispute report gives its figures and people, on a small article written for
these tests (tests/data/unit/corran-bus-strike.txt): a count of hours the model tags as a time, a pay offer given
as a share, two caps told apart by the word just before each, a level a wage rises to, a finance chief who is no
boss, a chief executive's age given where only his surname stands, a leader "running" what she has "led", a
barrister for a lawyer, a hall's seats for the spectators it holds, a time counted from an event that says nothing
of how long, and a person in a court report who is no court. Every expected fact below is a phrase of that article."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import check_answer, extractive_chain, judged_rules

ARTICLE = Path(__file__).parent / "data" / "unit" / "corran-bus-strike.txt"


@pytest.fixture(scope="module")
def bus_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "bus-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
ANSWERABLE = [
    # "a combined 1,150 hours" is a TIME to the small model, and still a count of hours
    ("For how many hours in total has the backup server logged fares?", "1,150", "a combined 1,150 hours"),
    # a pay offer is a share of pay as often as a sum
    ("What did the transport authority offer at first?", "4%", "had originally offered 4% over two years"),
    # the cap of each kind of bus is the figure after its own word, not the other's
    ("What is the maximum number of pupils allowed on a primary school bus?", "40", "primary school buses to 40 pupils"),
    ("What is the cap for secondary school buses?", "55", "secondary school buses to 55"),
    # what a wage rises to is its new level, a sum
    ("What will the starting wage go up to?", "31,400 crowns", "the starting wage will rise to 31,400 crowns"),
    # a finance chief runs the finances, not the authority
    ("Who is the boss of the transport authority?", "Aidan Sorley", "Chief Executive Aidan Sorley"),
    # "Sorley, 57," is the chief executive the sentence before names in full
    ("How old is the transport authority's chief executive?", "57", "Sorley, 57,"),
    # running ~ led
    ("Since when has Paula Brennick been running the union?", "2018", "has led the union since 2018"),
    # lawyer ~ barrister
    ("Which lawyer prosecuted the case for the regulator?", "Martin Oduya", "the barrister prosecuting"),
    # a hall's seats are the spectators it holds
    ("How many spectators can the Garvey Arena hold?", "3,500", "the 3,500-seat Garvey Arena"),
]


@pytest.mark.parametrize("question, fact, evidence", ANSWERABLE, ids=[q for q, _, _ in ANSWERABLE])
def test_labour_dispute_figures_and_people_are_found(bus_chain, question, fact, evidence):
    check_answer(bus_chain.ask(question), fact, evidence, ARTICLE)


def test_a_time_counted_from_an_event_is_no_length(bus_chain):
    judged = judged_rules(bus_chain.answerer, "How long did the ticketing system keep working?", "forty minutes later")
    assert judged["about forty minutes later"] == "a_point_in_time"
    # asked from an event too, it may answer
    asked = "How long after the failure was the ticketing system restored?"
    judged = judged_rules(bus_chain.answerer, asked, "forty minutes later")
    assert judged["about forty minutes later"] is None


def test_a_person_named_in_a_court_report_is_no_court(bus_chain):
    judged = judged_rules(bus_chain.answerer, "In which court was the authority fined?", "Martin Oduya")
    assert judged["Martin Oduya"] == "person_for_a_body"
