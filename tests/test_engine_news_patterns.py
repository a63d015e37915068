"""The answer engine on habits of news prose that word matching alone misses, on a small article written for
these tests (tests/data/unit/harbourline-ferries.txt): titles in quotes ("said chief executive X"), a short
form of a company's name, ages set off by commas, "the town of X", model numbers, and near misses that must be
refused. Every expected fact below is a phrase of that article."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.conversation import Conversation
from tests.conftest import check_answer, check_refused, extractive_chain

ARTICLE = Path(__file__).parent / "data" / "unit" / "harbourline-ferries.txt"


@pytest.fixture(scope="module")
def ferry_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "ferry-index", ARTICLE)


# (question, fact the answer must contain, fact a cited sentence must contain)
ANSWERABLE = [
    # "boss"/"runs" name a title the article gives in a quote's attribution, without the company's name
    ("Who is the boss of Harbourline Ferries?", "Morag Duncan", "said chief executive Morag Duncan"),
    ("Who runs Harbourline?", "Morag Duncan", "said chief executive Morag Duncan"),
    # "leads"/"chairs" → "Its chairwoman, X", the sentence after the one that names the forum
    ("Who leads the Island Passengers' Forum?", "Ailsa Grant", "Its chairwoman, Ailsa Grant"),
    ("Who chairs the passengers' forum?", "Ailsa Grant", "Its chairwoman, Ailsa Grant"),
    # "Duncan, 48," is an age
    ("How old is Duncan?", "48", "Duncan, 48,"),
    # the small model's label for Lochmaddy does not matter after "the town of"
    ("In which town will the ferries be based?", "Lochmaddy", "the town of Lochmaddy"),
    # "worth" asks for money
    ("What is the ferry order worth?", "96 million pounds", "worth about 96 million pounds"),
    # "what year" wants a year, not "almost ten years"
    ("In what year was Harbourline founded?", "1987", "founded in 1987"),
    # 45 and 300 of "Vestfjord 45-300" name a design, they count nothing
    ("How many ships will be built?", "three", "The three ships will be built"),
    # the currency sign the model leaves out of the amount
    ("What revenue did Harbourline report last year?", "£41.5m", "revenue of £41.5m"),
    # the question's verb is absent; a relative clause on the asked-about thing names who did it
    ("Which company did the seabed surveys?", "Clydeside Marine Surveys", "carried out by Clydeside Marine Surveys"),
    # a speech verb stands for another
    ("What did Duncan predict about fuel costs?", "roughly 40 percent", "cut fuel costs by roughly 40 percent"),
]

REFUSED = [
    "What is the name of the captain who retired?",  # the article describes him but never names him
    "Who is the prime minister of Norway?",  # it names Norway's *transport* minister
]


@pytest.mark.parametrize("question, fact, evidence", ANSWERABLE, ids=[q for q, _, _ in ANSWERABLE])
def test_news_patterns_are_answered_with_their_sentence(ferry_chain, question, fact, evidence):
    check_answer(ferry_chain.ask(question), fact, evidence, ARTICLE)


@pytest.mark.parametrize("question", REFUSED)
def test_near_misses_are_refused(ferry_chain, question):
    check_refused(ferry_chain.ask(question))


def test_she_after_a_person_answer_is_that_person(ferry_chain):
    conversation = Conversation(ferry_chain)
    first = conversation.ask("Who is the boss of Harbourline Ferries?")
    assert "Morag Duncan" in first.answer
    follow_up = conversation.ask("How old is she?")
    assert "Duncan" in follow_up.resolved_question
    assert follow_up.answer == "48"


@pytest.mark.parametrize("question, added", [("Which scientist spoke about the animals?", True),
                                             ("Who spoke about the animals?", False)])
def test_asking_for_an_expert_weighs_every_sentence_naming_a_profession(ferry_chain, question, added):
    # "Dr Fiona Rae, a marine ecologist": retrieval may miss her sentence, as it misses titles in quotes
    from bot.models import get_nlp
    from bot.question import analyze
    from bot.schema import Retrieved

    answerer = ferry_chain.answerer
    lede = next(s for s in answerer.index.sentences if "has ordered three" in s.text)
    found = answerer._with_title_holders(analyze(get_nlp()(question)), [Retrieved(sentence=lede, dense=0.5)])
    assert any("marine ecologist" in r.sentence.text for r in found) == added
