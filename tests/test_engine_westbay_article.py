"""The answer engine on round 24's habits of news prose, on a small article written for these tests
(tests/data/unit/westbay-buses.txt): where the question's preposition says which place, what the figure
describes, a clock time asked for as "the time of day", a measure named by its other word, a lawmaker called an
MP, what someone was worried about, a title written before a name, and a follow-up that swaps a time. Every expected fact is a phrase of that
article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import check_answer, extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "westbay-buses.txt"


@pytest.fixture(scope="module")
def bus_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "westbay-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
ANSWERABLE = [
    # "out of Leeds to Sheffield": the city after the question's own preposition
    ("To which city will the company move its office staff?", "Sheffield", "to Sheffield"),
    # the span that describes the emergency, not "in a month" of the clause about complaints
    ("How long will the transport emergency last?", "60-day", "a 60-day transport emergency"),
    # a time of day is a clock time, not "late on Sunday night"
    ("At what time of day were the administrators appointed?", "8:15 a.m.", "at 8:15 a.m."),
    # turnover is revenue
    ("What was the coach arm's turnover last year?", "£7.2 million", "revenue of £7.2 million"),
    # a lawmaker is an MP
    ("Which lawmaker warned about villages losing their bus link?", "Tom Hale", "the Labour MP for Bayside North"),
    # "what" is the object of the stranded "about": what she fears, not who she is
    ("What was the transport adviser worried about?", "fares would rise", "she was worried that fares would rise"),
    # a capitalised title before the name is the post she holds
    ("What position does Karen Lowe hold?", "Deputy Transport Minister", "Deputy Transport Minister Karen Lowe"),
]


@pytest.mark.parametrize("question, fact, evidence", ANSWERABLE, ids=[q for q, _, _ in ANSWERABLE])
def test_round_24_patterns_are_answered_with_their_sentence(bus_chain, question, fact, evidence):
    check_answer(bus_chain.ask(question), fact, evidence, ARTICLE)


def test_a_follow_up_circumstance_replaces_the_time_asked_before(bus_chain):
    conversation = Conversation(bus_chain)
    assert "640,000" in conversation.ask("How many passengers did the coach arm carry last year?").answer
    answer = conversation.ask("And at its peak?")
    # "at its peak" takes the place of "last year"; appended after it, the question would ask for both at once
    assert answer.resolved_question == "How many passengers did the coach arm carry at its peak?"
    check_answer(answer, "1.1 million", "At its peak in 2019", ARTICLE)
