"""Readers' phrasings from a third round of blind sets, on a fourth article written for these tests
(tests/data/unit/pellham-stadium-vote.txt) and on the default article: ages written "19-year-old" or "at the age
of 11", "the association" standing for the name spelled out later, "how far behind schedule", the other side of
"a deal with X", currencies' small units, a time in a relative clause on its subject, "executive" for any senior
title, "work for" and "employs", years and ordinals matched exactly, deadlines, factors ("1.8 times more likely"),
shares that answer "how many", a figure compared with "the previous record". Every expected fact is a phrase of its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import DEFAULT_ARTICLE, check_answer, check_refused, extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "pellham-stadium-vote.txt"


@pytest.fixture(scope="module")
def stadium_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "stadium-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
STADIUM_ANSWERABLE = [
    # the tagger takes "-year-old" and "the age of" into the age
    ("How old is the captain?", "19", "19-year-old captain Leon Obi"),
    ("How old was Leon Obi when he joined the academy?", "11", "at the age of 11"),
    # "association chair Ruth Kaye": the sentence calls the Mill Lane Supporters Association only "association"
    ("Who chairs the Mill Lane Supporters Association?", "Ruth Kaye", "association chair Ruth Kaye"),
    # "how far behind" asks for a length of time
    ("How far behind schedule is the stadium project?", "six months", "six months behind schedule"),
    # "signed a naming-rights deal with regional lender Harbury Building Society"
    ("Which lender signed the naming-rights agreement with the club?", "Harbury Building Society",
     "deal with regional lender Harbury Building Society"),
    # a levy is money, and oere are a currency
    ("What levy will Bergen supporters pay?", "40 oere", "a transport levy of 40 oere"),
    # "The fan zone ..., which opens on June 1 and is set to run for 12 days": the time hangs on its subject
    ("How long will the fan zone run?", "12 days", "set to run for 12 days"),
    # an executive is anyone with a senior title
    ("Who is the Athletic executive in charge of finances?", "Helen Marsh", "finance director, Helen Marsh"),
    # games ~ appearances
    ("How many games has Obi played for the first team?", "88", "88 appearances"),
    # a deadline is a date
    ("What is the deadline for the final drawings?", "March 31", "until March 31"),
    # "Daniel Okafor, a senior analyst at Trent Sports Capital", whatever the verb
    ("Which firm employs the analyst Daniel Okafor?", "Trent Sports Capital", "a senior analyst at Trent Sports Capital"),
    # "The largest share of the new seats will be installed in the East Stand": the place hangs on the subject
    ("Where will most of the new seats go?", "East Stand", "installed in the East Stand"),
    # a factor answers "how much more likely"; a share answers "how many" when nothing counts the fans
    ("How much more likely were the backers to buy a season ticket?", "1.8 times", "1.8 times more likely"),
    ("Roughly how many fans backed the move?", "71 percent", "Around 71 percent of fans"),
    # "in charge of" is heading; a workforce is counted, not measured
    ("Who is in charge of the Mill Lane Supporters Association?", "Ruth Kaye", "association chair Ruth Kaye"),
    ("How big is the contractor's workforce on the site?", "600", "around 600 workers"),
]


@pytest.mark.parametrize("question, fact, evidence", STADIUM_ANSWERABLE, ids=[q for q, _, _ in STADIUM_ANSWERABLE])
def test_stadium_article_phrasings_are_answered_with_their_sentence(stadium_chain, question, fact, evidence):
    check_answer(stadium_chain.ask(question), fact, evidence, ARTICLE)


def test_an_age_is_given_as_its_number(stadium_chain):
    assert stadium_chain.ask("How old is the captain?").answer.strip(" .") == "19"


def test_how_old_is_she_after_the_leader_of_the_council(stadium_chain):
    conversation = Conversation(stadium_chain)
    check_answer(conversation.ask("Who is the leader of Pellham Borough Council?"), "Priya Raman", "Priya Raman", ARTICLE)
    check_answer(conversation.ask("How old is she?"), "53", "Priya Raman, 53", ARTICLE)


@pytest.mark.parametrize(
    "question",
    [
        "What loss did the club record in 2018?",  # the loss is 2019's: a year is itself or nothing
        "What was revenue in the third quarter?",  # "first-half revenue": an ordinal is no paraphrase of another
        "How old is Tom Whitcombe?",  # "Whitcombe, who appointed a 44-year-old former banker": the banker's age
    ],
)
def test_stadium_near_misses_are_refused(stadium_chain, question):
    check_refused(stadium_chain.ask(question))


@pytest.mark.parametrize("question", ["Who took the photograph?", "Which agency is the picture credited to?"])
def test_a_picture_is_credited_by_its_credit_line(stadium_chain, question):
    # the credit is a line of its own, which shares no word with the question
    check_answer(stadium_chain.ask(question), "Kate Green/PA Media", "Kate Green/PA Media", ARTICLE)


def test_no_credit_line_no_credit(tmp_path_factory):
    from tests.test_engine_water_article import ARTICLE as WATER_ARTICLE

    water_chain = extractive_chain(tmp_path_factory, "water-credit-index", WATER_ARTICLE)
    check_refused(water_chain.ask("Who is the photo credited to?"))


def test_the_previous_record_is_the_earlier_figure(stadium_chain):
    # "would rise to 42 metres, beating the previous record of 35 metres"
    answer = stadium_chain.ask("What was the old record?")
    check_answer(answer, "35 metres", "the previous record of 35 metres", ARTICLE)
    assert "42" not in answer.answer


def test_a_month_says_when_not_how_long(stadium_chain):
    # "The club's season ticket waiting list, which opened in March and will stay open for eight weeks"
    answer = stadium_chain.ask("How long will the season ticket waiting list stay open?")
    check_answer(answer, "eight weeks", "stay open for eight weeks", ARTICLE)
    assert "March" not in answer.answer


# The default article, in the words of the third blind set written for it.
DEFAULT_ANSWERABLE = [
    ("Who is the Huawei executive that gave the update in London?", "Ryan Ding", "Ryan Ding, the head of"),
    ("Which big industry event is coming up next week?", "Mobile World Congress", "ahead of Mobile World Congress"),
    # emphasised ~ stressed, and the kind of deal is the agreement with its modifiers
    ("What has Huawei repeatedly emphasised about its relationship with the Chinese government?",
     "independently of Beijing", "operates independently of Beijing"),
    ("What kind of deal did a Chinese government spokesperson say China was exploring with the UK?",
     "free trade agreement", "top-notch free trade agreement"),
    # insisting ~ stressed
    ("What does Huawei keep insisting about its relationship with the Chinese government?",
     "independently of Beijing", "operates independently of Beijing"),
    ("Who is credited for the photo with the article?", "WANG ZHAO/AFP/Getty Images", "WANG ZHAO/AFP/Getty Images"),
]


@pytest.mark.parametrize("question, fact, evidence", DEFAULT_ANSWERABLE, ids=[q for q, _, _ in DEFAULT_ANSWERABLE])
def test_default_article_third_blind_phrasings_are_answered(chain, question, fact, evidence):
    check_answer(chain.ask(question), fact, evidence, DEFAULT_ARTICLE)
