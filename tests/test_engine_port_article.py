"""More habits of news prose, on a second article written for these tests (tests/data/unit/tidewell-port-plan.txt):
shares of a population, sizes, spelled-out counts, "by consultants X", amounts at a sentence's end, "X-based",
ranges, blame, venues, roles and titles, a day and its time, lists, levels, days counted, a figure for a list of
places, and follow-ups whose "it" is a company, not its chief executive nor the city that last answered. Every expected fact is a phrase of the article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import check_answer, check_refused, extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "tidewell-port-plan.txt"


@pytest.fixture(scope="module")
def port_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "port-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
ANSWERABLE = [
    # "proportion" is the kind of answer, and the share's population need not sit on the number
    ("What proportion of residents were against the parking charges?", "64%", "64% opposed the parking charges"),
    # "how large" asks for a size, not for the money in the same sentence
    ("How large is the charging zone?", "3.1 sq km", "a 3.1 sq km zone"),
    # a spelled-out number opening the sentence, which the tagger takes for an adjective
    ("How many sailings were cancelled last winter?", "Fourteen", "Fourteen sailings were cancelled"),
    # the magnitude glued to an amount with the full stop: "£8.2m."
    ("How much will the new terminal cost?", "£8.2m", "will cost an estimated £8.2m"),
    # "Bristol-based operator" says where it is based; the dateline and the council are elsewhere
    ("In which city is Tidewell Marine based?", "Bristol", "Bristol-based operator Tidewell Marine"),
    # both ends of a range
    ("How much could delays cost the company?", "between £4m and £6m", "between £4m and £6m"),
    # "blamed X on Y": Y is the reason
    ("Why did fares rise?", "higher fuel costs", "blamed a recent rise in fares on higher fuel costs"),
    # a venue after "at", whatever label the small model gives it
    ("Where will talks with the unions resume?", "Arbitra", "the mediation service Arbitra"),
    # "what is X's job": what the article calls X
    ("What is Joan Pask's job?", "the harbour master", "Joan Pask, the harbour master"),
    # a day and the time after it are one answer
    ("When did councillors back the plan?", "Thursday evening", "on Thursday evening"),
    # "heads" is a title word, not the start of a name
    ("Who heads Tidewell Marine?", "Dana Cole", "Its chief executive, Dana Cole"),
    # a title written before the name, without commas
    ("What position does Alan Rees hold?", "general secretary", "Port union general secretary Alan Rees"),
    # a plural question noun wants the whole list
    ("Which ports does Tidewell run freight services to?", "Brest and Bilbao", "freight services to Brest and Bilbao"),
    # "what level" asks for a figure
    ("At what level did the council keep the harbour levy?", "4.5 percent", "harbour levy at 4.5 percent"),
    # "6 days" is a date to the small model, and a count of days to the reader
    ("How many days did workers strike at the old berth?", "6 days", "staged 6 days of strikes"),
    # "airlines" matches the forum's name first; the number counts "carriers", its paraphrase
    ("How many airlines does the Channel Airlines Forum represent?", "27", "represents 27 carriers"),
    # "how much did it lose" asks for the change, not for the money in the sentence
    ("How much did Tidewell's shares lose on the news?", "4.2 percent", "shares lost 4.2 percent"),
    # the sentence's only date, though the question's verb is not there and the date sits far from its words
    ("From what date will the revised timetable be pushed out?", "12 October", "starting on 12 October"),
    # a measure noun asks for a figure; "before" asks for the figure it is compared with
    ("What was Tidewell's operating margin?", "9.4 percent", "margin widened to 9.4 percent"),
    ("What was Tidewell's operating margin before?", "7.1 percent", "from 7.1 percent"),
    # "drop" tagged as a noun still asks for the change, not the closing price
    ("How much did Tidewell's stock drop on the news?", "4.2 percent", "shares lost 4.2 percent"),
    # "how fast did it grow" asks for the change, not where it ended ("to £30m")
    ("How fast did online bookings grow?", "12%", "grew 12% to £30m"),
    # a bare number and its unit
    ("How much seabed did the survey boats map?", "1,200 hectares", "about 1,200 hectares of seabed"),
    # the sort of minister is named after the noun ("responsible for maritime affairs"), the country before it
    ("Who is the British minister responsible for maritime affairs?", "Jo Hale", "Maritime Minister Jo Hale"),
    # an allowance is a figure; "the year before" asks for the one it is compared with, however far apart
    ("What was the berth's cargo allowance the year before?", "1.8 million tonnes", "from 1.8 million tonnes"),
    # "10 days" is how long, not when
    ("On what date did the website crash?", "2 February", "crashed on 2 February"),
    # a union is led by its general secretary
    ("Who leads the port union?", "Alan Rees", "general secretary Alan Rees"),
    # a sum belongs to the things it "went on", though its verb is not the question's
    ("How much did Tidewell spend on fuel?", "£41m", "rose 9% to £41m"),  # "costs rose to £41m": the costs' sum
    ("How much will be spent on dredging?", "£3.5m", "£3.5m will go on dredging"),
]

REFUSED = [
    "How many passengers travelled to Roscoff?",  # 2.4 million is for three routes together
    "By what percentage did fares rise?",  # a rise, but no percentage
    "How much profit did Tidewell Marine make last year?",  # revenue is no profit
]


@pytest.mark.parametrize("question, fact, evidence", ANSWERABLE, ids=[q for q, _, _ in ANSWERABLE])
def test_port_article_patterns_are_answered_with_their_sentence(port_chain, question, fact, evidence):
    check_answer(port_chain.ask(question), fact, evidence, ARTICLE)


def test_the_doer_of_a_noun_is_the_rules_answer(tmp_path_factory):
    """"A review by consultants X": the rules' answer. The learned ranker prefers "Tidewell Marine" (0.22 against
    0.16) from a sentence the rules reject; such overrides were right more often than wrong in cross-validation
    (forbidding them cost half a point on unseen articles), so this pattern is tested on the rules alone."""
    rules = extractive_chain(tmp_path_factory, "port-rules", ARTICLE, ranker="rules")
    check_answer(rules.ask("Which firm carried out the review?"), "Marrow & Finch", "A review by consultants Marrow & Finch", ARTICLE)


@pytest.mark.parametrize("question", REFUSED)
def test_port_article_near_misses_are_refused(port_chain, question):
    check_refused(port_chain.ask(question))


def test_it_is_the_company_not_its_chief_nor_the_city_that_answered(port_chain):
    conversation = Conversation(port_chain)
    check_answer(conversation.ask("Who is Tidewell Marine's chief executive?"), "Dana Cole", "Dana Cole", ARTICLE)
    where = conversation.ask("Where is it based?")
    assert "Dana Cole" not in where.resolved_question and "chief executive" not in where.resolved_question
    check_answer(where, "Bristol", "Bristol-based", ARTICLE)
    carried = conversation.ask("How many passengers did it carry last year?")
    assert "Tidewell" in carried.resolved_question, carried.resolved_question
    check_answer(carried, "2.4 million", "carried 2.4 million passengers", ARTICLE)


@pytest.mark.parametrize(
    "question, tally, evidence",
    [
        ("What was the result of the council vote?", "41 votes to 12", "by 41 votes to 12"),
        ("What was the final tally when councillors voted?", "41 votes to 12", "by 41 votes to 12"),
        ("What was the result of the harbour board vote?", "5-2", "voted 5-2"),  # "5", "-", "2" to the tokenizer
    ],
)
def test_a_tally_is_answered_with_both_sides_and_nothing_more(port_chain, question, tally, evidence):
    answer = port_chain.ask(question)
    check_answer(answer, tally, evidence, ARTICLE)
    assert answer.answer.strip(" .") == tally, answer.answer


def test_what_is_blamed_for_something_is_its_reason(port_chain):
    answer = port_chain.ask("Why are the berth works slow?")
    check_answer(answer, "heavy silt", "blamed heavy silt", ARTICLE)
    assert answer.answer.strip(" .") == "heavy silt", answer.answer  # the cause, not the whole sentence


def test_what_was_warned_of_is_answered_without_the_preposition(port_chain):
    answer = port_chain.ask("What did crew representatives warn of?")
    check_answer(answer, "longer shifts on the new routes", "warned of longer shifts", ARTICLE)
    assert answer.answer.startswith("longer shifts"), answer.answer
