"""Readers' phrasings that a blind set over the default article and new articles exposed, on a third article written
for these tests (tests/data/unit/orvane-water-fine.txt) and on the default article: titles the tagger takes into
a name, the head of a department or a function as a distractor for "who runs X", examples named after "including",
event names, synonyms that embed far apart (fine ~ penalty, staff ~ employs), a tally beside a count, money asked
through "sales", "last year" as the year reported on, capitals for countries, ages that are dates, and a name
carried into a sentence that is about something else, "X-based" on something new, a rival's chief, the dateline's
news agency. Every expected fact is a phrase of its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import DEFAULT_ARTICLE, check_answer, check_refused, extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "orvane-water-fine.txt"


@pytest.fixture(scope="module")
def water_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "water-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
WATER_ANSWERABLE = [
    # "Chief Executive Maeve Doolan" is one PERSON to the tagger; "head of consumer policy at Fair Meter" runs a part
    # of another body
    ("Who runs Orvane Water?", "Maeve Doolan", "Chief Executive Maeve Doolan"),
    ("Who is Orvane's boss?", "Maeve Doolan", "Chief Executive Maeve Doolan"),
    # "its partners, including the Yorkshire Rivers Trust": the partner named, not the word "partners" again
    ("Which partner will Orvane work with on cleaning up streams?", "Yorkshire Rivers Trust", "including the Yorkshire Rivers Trust"),
    # a name that says it is an event
    ("What big event is taking place next month?", "Global Water Forum", "ahead of the Global Water Forum"),
    # staff ~ employs, fine ~ penalty: synonyms whose word vectors sit far apart
    ("How many staff does Orvane have?", "2,300", "employs around 2,300 people"),
    ("What is the fine for households that pay their bills late?", "60 pounds", "a penalty of 60 pounds"),
    ("What penalty do late payers face?", "60 pounds", "a penalty of 60 pounds"),
    # "voted 29 to 17 ... while about 400 protesters gathered": each side of the tally counts votes
    ("Roughly how many demonstrators gathered outside?", "about 400", "about 400 protesters"),
    # "last year" is the year reported on, not the figure compared with
    ("What was Orvane's operating profit last year?", "97 million pounds", "fell to 97 million pounds"),
    # "from sales" asks for money, and sales are revenue
    ("How much did Orvane make from sales last year?", "812 million pounds", "to 812 million pounds last year"),
    # reporting verbs stand for one another, and "spoke" does not make "spokesperson" an echo of the question
    ("Who spoke about studying the ruling closely?", "a company spokesperson", "a company spokesperson added"),
]


@pytest.mark.parametrize("question, fact, evidence", WATER_ANSWERABLE, ids=[q for q, _, _ in WATER_ANSWERABLE])
def test_water_article_phrasings_are_answered_with_their_sentence(water_chain, question, fact, evidence):
    check_answer(water_chain.ask(question), fact, evidence, ARTICLE)


@pytest.mark.parametrize("question", ["Who runs Orvane Water?", "Who is Orvane's chief executive?"])
def test_the_boss_is_not_another_bodys_head_nor_a_rivals_chief(water_chain, question):
    # "head of consumer policy at Fair Meter" runs a part of another body; "Rival Calder Water Chief Executive
    # Anders Holt" runs Calder Water
    answer = water_chain.ask(question)
    check_answer(answer, "Maeve Doolan", "Chief Executive Maeve Doolan", ARTICLE)
    assert "Chief Executive" not in answer.answer, answer.answer  # the name, without the title


def test_the_datelines_agency_did_nothing_the_story_reports(water_chain):
    answer = water_chain.ask("Who fined Orvane?")
    assert "Reuters" not in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question, tally",
    [("What was the result of the councillors' vote?", "29 to 17")],
)
def test_the_result_of_a_vote_is_its_tally(water_chain, question, tally):
    answer = water_chain.ask(question)
    check_answer(answer, tally, "voted 29 to 17", ARTICLE)
    assert answer.answer.strip(" .") == tally, answer.answer


# The default article, in the words of a blind set written for it.
DEFAULT_ANSWERABLE = [
    # only the capitalised words of "Huawei 5G kit" must be found; "American" is the US
    ("Whose government is drawing up plans to bar American mobile operators from using Huawei 5G kit?", "Trump",
     "the Trump administration draws up plans"),
    # Washington stands for the US
    ("since when has washington been voicing concern over the chinese laws", "recent weeks", "in recent weeks"),
    ("which western ally is the US pressuring to follow suit", "UK", "including the UK"),
    ("what big industry event is happening next week?", "Mobile World Congress", "ahead of Mobile World Congress"),
    # a source is a person
    ("according to the times, who said there were doubts about the ncsc's findings", "government source",
     "a government source had said"),
]


@pytest.mark.parametrize("question, fact, evidence", DEFAULT_ANSWERABLE, ids=[q for q, _, _ in DEFAULT_ANSWERABLE])
def test_default_article_blind_phrasings_are_answered(chain, question, fact, evidence):
    check_answer(chain.ask(question), fact, evidence, DEFAULT_ARTICLE)


@pytest.mark.parametrize(
    "question",
    [
        "How old is Ryan Ding?",  # "this morning (20 February)" is an appositive date, not his age
        "Where is Mobile World Congress being held?",  # South Korea, in the next sentence, is about base stations
        "Where is Huawei headquartered?",  # "a London-based think-tank" is where the think-tank is
        "How long has Ryan Ding been head of the carrier business?",  # "next week" is a moment, not a length
    ],
)
def test_default_article_near_misses_are_refused(chain, question):
    check_refused(chain.ask(question))


def test_how_old_is_he_after_a_person_answer_is_refused(chain):
    conversation = Conversation(chain)
    check_answer(conversation.ask("who runs huawei's carrier business"), "Ryan Ding", "Ryan Ding", DEFAULT_ARTICLE)
    check_refused(conversation.ask("and how old is he"))
