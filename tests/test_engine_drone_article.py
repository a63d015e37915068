"""Readers' phrasings from a sixth round of blind sets, on a fifth article written for these tests
(tests/data/unit/kestrel-drone-trial.txt): the boss named only as "chief executive X" of the company the lede
introduced, a description beside a name ("X, 39, the company's head of safety, who led the review"), the head
of another body who is no boss of this one, a name the small model calls an organisation, times of day, and
ages asked after such answers. Every expected fact is a phrase of its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import check_answer, check_refused, extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "kestrel-drone-trial.txt"


@pytest.fixture(scope="module")
def drone_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "drone-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
DRONE_ANSWERABLE = [
    # "chief executive Joana Keller-Brandt ... told reporters": the lede's company is hers, though unnamed here
    ("Who is the boss of Kestrel Aeronautics?", "Joana Keller-Brandt", "chief executive Joana Keller-Brandt"),
    # the name, not "the company's head of safety" beside it
    ("Who led the safety review?", "Mirela Ionescu", "Mirela Ionescu, 39"),
    # the small model calls "Ilse Varga-Lund" an organisation; her title and age say she is a person
    ("Who runs the hospital?", "Ilse Varga-Lund", "The hospital's director, Ilse Varga-Lund"),
    ("Who heads the National Civil Aviation Authority?", "Paulo Amaral", "Paulo Amaral, president of"),
    # "at 14:05 local time (1305 GMT)", which the small model does not see as a time
    ("At what time did the drone take off?", "14:05", "at 14:05 local time"),
    # "fined" is a money verb (the small model's lemma was "fin"); the penalty cut *from* a sum was that sum
    ("How much had the authority first fined Kestrel?", "150,000 euros", "from the 150,000 euros it originally imposed"),
    # "the 400,000 euros that rival Skyrail was fined": the sum is what the relative clause's verb did
    ("How much was Skyrail fined?", "400,000 euros", "the 400,000 euros that rival Skyrail was fined"),
    # "up from the 6 recorded a year earlier"
    ("How many drones did Kestrel have a year before?", "6", "the 6 recorded a year earlier"),
    # people ~ residents
    ("How many residents were evacuated?", "40", "the evacuation of 40 people"),
    # "What was the total cost of X?": a sum, though "cost" alone is a generic noun
    ("What was the total cost of the trial?", "2 million euros", "the trial would cost about 2 million euros"),
    # "how long after X": X is when the time began, not what lasted; take-off ~ liftoff
    ("How long after liftoff did the prototype catch fire?", "40 seconds", "caught fire 40 seconds after take-off"),
    # "a.m." keeps its full stop
    ("At what time is the next flight planned?", "7:30 a.m.", "planned for 7:30 a.m. on Thursday"),
]


@pytest.mark.parametrize("question, fact, evidence", DRONE_ANSWERABLE, ids=[q for q, _, _ in DRONE_ANSWERABLE])
def test_drone_article_phrasings_are_answered_with_their_sentence(drone_chain, question, fact, evidence):
    check_answer(drone_chain.ask(question), fact, evidence, ARTICLE)


def test_the_head_of_another_body_is_no_boss_of_this_one(drone_chain):
    # "Paulo Amaral, president of the National Civil Aviation Authority" and the authority itself are not
    # Kestrel's; nor are "the company's head of safety" and its "Chief Financial Officer", heads of parts of it
    answer = drone_chain.ask("Who is the boss of Kestrel Aeronautics?")
    assert not any(name in answer.answer for name in ("Amaral", "Authority", "Ionescu", "Tavares"))


@pytest.mark.parametrize(
    "first, name, age",
    [("Who is the boss of Kestrel Aeronautics?", "Joana Keller-Brandt", "51"),
     ("Who runs the hospital?", "Ilse Varga-Lund", "47")],
)
def test_how_old_is_she_after_a_hyphenated_name(drone_chain, first, name, age):
    conversation = Conversation(drone_chain)
    check_answer(conversation.ask(first), name, name, ARTICLE)
    check_answer(conversation.ask("How old is she?"), age, f"{name}, {age}", ARTICLE)


def test_a_time_unit_without_a_number_is_no_time(drone_chain):
    # "regained control within seconds both times": "seconds" says neither when nor how long
    answer = drone_chain.ask("At what time did the pilots regain control?")
    assert answer.abstained or "seconds" not in answer.answer


def test_an_age_is_only_the_asked_persons(drone_chain):
    # his age is not given, only the ages of others in the article
    check_refused(drone_chain.ask("How old is Paulo Amaral?"))


def test_it_after_where_and_a_name_the_model_labels_only_in_context(drone_chain):
    # "Kestrel Aeronautics" alone is no entity to the small model; in its sentence it is an organisation. After
    # "Where is it based?" → "Hamburg", "it" is still the company, not the city.
    conversation = Conversation(drone_chain)
    check_answer(conversation.ask("Which company makes the drone?"), "Kestrel Aeronautics", "Kestrel Aeronautics", ARTICLE)
    check_answer(conversation.ask("Where is it based?"), "Hamburg", "Hamburg-based drone maker", ARTICLE)
    answer = conversation.ask("How many drones does it have in service?")
    assert "Kestrel" in answer.resolved_question
    check_answer(answer, "14", "14 drones in service", ARTICLE)
