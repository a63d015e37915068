"""Stage 5: follow-up questions, rewritten into standalone ones from the conversation so far."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation
from bot.followup import RuleBasedResolver
from bot.schema import Turn
from tests.conftest import DEFAULT_ARTICLE, article_text

HUAWEI = article_text(DEFAULT_ARTICLE)


@pytest.fixture(scope="module")
def resolver():
    from bot.lexicon import WordVectors
    from bot.models import get_embeddings, get_nlp

    return RuleBasedResolver(get_nlp(), WordVectors(get_embeddings()))


def turn(question: str, answer: str, abstained: bool = False) -> Turn:
    return Turn(question=question, resolved_question=question, answer=answer, abstained=abstained)


def test_no_history_leaves_the_question_alone(resolver):
    assert resolver.resolve("What did it warn about?", []) == "What did it warn about?"


@pytest.mark.parametrize("follow_up", ["And how many commercial contracts?", "How many commercial contracts?"])
def test_ellipsis_keeps_the_rest_of_the_previous_question(resolver, follow_up):
    history = [turn("How many 5G base stations has Huawei shipped?", "more than 40,000")]
    resolved = resolver.resolve(follow_up, history)
    assert resolved.lower().startswith("how many commercial contracts")
    assert "Huawei" in resolved and resolved.endswith("?")
    assert "base stations" not in resolved


@pytest.mark.parametrize("pronoun", ["it", "they"])
def test_pronoun_becomes_the_previous_answer(resolver, pronoun):
    history = [turn("Which think-tank published a report?", "The Royal United Services Institute")]
    resolved = resolver.resolve(f"What did {pronoun} warn about?", history)
    assert "Royal United Services Institute" in resolved
    assert "warn" in resolved and f" {pronoun} " not in resolved


@pytest.mark.parametrize(
    "previous, answer, follow_up, name",
    [
        ("Who is the head of Huawei's carrier business?", "Ryan Ding", "Where was he speaking?", "Ryan Ding"),
        ("Who criticised the project?", "Peter Quayle", "What did he warn?", "Peter Quayle"),
        ("Who founded the museum?", "Arthur Blackwood", "What was his job?", "Arthur Blackwood's"),
        ("Who is the director of the museum?", "Helen Okafor", "What did she say?", "Helen Okafor"),
    ],
)
def test_person_pronoun_becomes_the_person_named_in_the_answer(resolver, previous, answer, follow_up, name):
    resolved = resolver.resolve(follow_up, [turn(previous, answer)])
    assert name in resolved, resolved


def test_pronoun_after_an_abstention_does_not_use_the_non_answer(resolver):
    history = [turn("Which think-tank published a report?", "The article doesn't say.", abstained=True)]
    resolved = resolver.resolve("What did it warn about?", history)
    assert "doesn't say" not in resolved and "warn" in resolved


def test_a_possessive_antecedent_is_not_made_possessive_twice(resolver):
    history = [turn("What's Jonas Brekke's deadline?", "The article doesn't say.", abstained=True)]
    resolved = resolver.resolve("How soon could his members walk out?", history)
    assert "Jonas Brekke's members" in resolved and "'s's" not in resolved, resolved


@pytest.mark.parametrize("follow_up", ["And in the Middle East?", "What about the Middle East?",
                                       "What about the Middle East — how many there?"])
def test_entity_swap(resolver, follow_up):
    history = [turn("How many commercial contracts has Huawei signed with carriers in Europe?", "18")]
    resolved = resolver.resolve(follow_up, history)
    assert "Middle East" in resolved and "Europe" not in resolved
    assert "commercial contracts" in resolved and "Huawei" in resolved and "signed" in resolved


def test_a_standalone_question_is_not_rewritten(resolver):
    history = [turn("How many 5G base stations has Huawei shipped?", "more than 40,000")]
    assert resolver.resolve("Which think-tank published a report?", history) == "Which think-tank published a report?"


def test_only_the_last_turn_is_the_antecedent(resolver):
    history = [
        turn("Which think-tank published a report?", "The Royal United Services Institute"),
        turn("Who is the head of Huawei's carrier business?", "Ryan Ding"),
    ]
    resolved = resolver.resolve("What did he announce?", history)
    assert "Ryan Ding" in resolved and "Royal United" not in resolved


# -- through Conversation on the default article --------------------------------------------------------------


def _cites(answer, phrase: str) -> bool:
    return any(phrase in c.text and HUAWEI[c.start : c.end] == c.text for c in answer.citations)


@pytest.mark.parametrize(
    "first, first_fact, follow_up, fact, evidence",
    [
        ("How many commercial contracts has Huawei signed in Europe?", "18",
         "And in the Middle East?", "nine", "nine in the Middle East"),
        ("How many 5G base stations has Huawei shipped?", "40,000",
         "And how many commercial contracts?", "30", "more than 30 commercial 5G contracts"),
        ("Which think-tank published a report this morning?", "Royal United Services Institute",
         "What did it warn about?", "could not be trusted", "warning that Huawei products could not be trusted"),
        ("Who is the head of Huawei's carrier business?", "Ryan Ding",
         "Where was he speaking?", "London", "Speaking in London"),
        ("Who is the head of Huawei's carrier business?", "Ryan Ding",
         "What did he announce?", "signed more than 30 commercial 5G contracts", "also announced that Huawei has signed"),
    ],
)
def test_conversation_answers_the_follow_up(chain, first, first_fact, follow_up, fact, evidence):
    conversation = Conversation(chain)
    answer = conversation.ask(first)
    assert first_fact in answer.answer
    answer = conversation.ask(follow_up)
    assert answer.question == follow_up and answer.resolved_question != follow_up
    assert not answer.abstained and fact in answer.answer, (answer.resolved_question, answer.answer)
    assert _cites(answer, evidence), [c.text for c in answer.citations]


def test_conversation_history_is_bounded_and_reset(chain):
    conversation = Conversation(chain, max_turns=2)
    for question in ("How many 5G base stations has Huawei shipped?",
                     "Which think-tank published a report this morning?",
                     "Who is the head of Huawei's carrier business?"):
        conversation.ask(question)
    assert [t.question for t in conversation.history] == [
        "Which think-tank published a report this morning?", "Who is the head of Huawei's carrier business?"]
    assert conversation.history[-1].answer == conversation.last.answer and "Ryan Ding" in conversation.last.answer
    conversation.reset()
    assert not conversation.history and conversation.last is None
    # after a reset the pronoun has no antecedent: it is asked as typed
    answer = conversation.ask("What did he announce?")
    assert answer.resolved_question == "What did he announce?"


def test_its_after_a_where_answer_is_still_the_thing_asked_about(resolver):
    # "Where is the Nordic Institute based?" → "Oslo": "its report" is the institute's, not Oslo's
    history = [turn("Where is the Nordic Policy Institute based?", "Oslo")]
    resolved = resolver.resolve("What did its report warn?", history)
    assert "Nordic Policy Institute's report" in resolved and "Oslo" not in resolved


def test_those_findings_keep_their_noun(resolver):
    # "those findings" are the findings, not "the institute's report" the previous question named
    history = [turn("What did the Nordic Policy Institute's report warn?", "that prices would rise")]
    resolved = resolver.resolve("Which agency's review contradicts those findings?", history)
    assert resolved == "Which agency's review contradicts the findings?"


@pytest.mark.parametrize("question", ["Who runs the company that made the cheese?",
                                      "Who is the boss of the company that operates the mine?"])
def test_a_relative_pronoun_points_inside_the_question(resolver, question):
    # "the company that operates the mine" is complete: "that" is no stand-in for the last turn's subject
    history = [turn("What was the mine's coal output in 2021?", "1.8 million tonnes")]
    assert resolver.resolve(question, history) == question


def test_she_is_the_named_subject_and_what_she_said_stays_that(resolver):
    # the answer is a quote, so "she" is the person the previous question named; "said that" is the quote
    history = [turn("How did Ilse Brandvik describe the size of the operation?",
                    '"We moved everyone we could reach, and as of this afternoon we believe nobody remains inside"')]
    resolved = resolver.resolve("Where was she when she said that?", history)
    assert resolved.startswith("Where was Ilse Brandvik") and resolved.endswith("said that?"), resolved


def test_it_is_the_thing_the_previous_question_asked_about(resolver):
    # "in time" is a noun too; "it" is what was asked for, the penalty
    history = [turn("What penalty do drivers face if they don't pay in time?", "£120")]
    assert resolver.resolve("How much is it if they settle quickly?", history).startswith("How much is the penalty")


def test_it_that_does_something_is_still_the_subject(resolver):
    history = [turn("Which model will the plant build?", "a compact van")]
    assert "the plant" in resolver.resolve("When will it open?", history)


def test_a_phrase_of_nouns_replaces_the_alike_noun_the_parser_left_unchunked(resolver):
    # the parser takes "vans" for the question's root, outside every noun chunk
    history = [turn("What daily fee will vans that fail the emissions standards face?", "£25 a day")]
    resolved = resolver.resolve("And heavy lorries and coaches?", history)
    assert resolved == "What daily fee will heavy lorries and coaches that fail the emissions standards face?"


def test_that_after_a_where_answer_is_the_place(resolver):
    history = [turn("Where was Ilse Brandvik when she said that?", "Narren")]
    resolved = resolver.resolve("And how far is that from the top of the volcano?", history)
    assert resolved == "How far is Narren from the top of the volcano?"


@pytest.mark.parametrize(("previous", "follow_up", "resolved"), [
    # a circumstance takes the place of the time it is asked instead of, not appended after it
    ("How many passengers did the airport handle last year?", "And at its busiest?",
     "How many passengers did the airport handle at its busiest?"),
    ("How many passengers did the airport handle last year?", "And in 2019?",
     "How many passengers did the airport handle in 2019?"),
    ("How many people were evacuated on Tuesday?", "And on Wednesday?", "How many people were evacuated on Wednesday?"),
    ("What was the profit in 2023?", "And the year before?", "What was the profit in the year before?"),
    # with no time to replace, the circumstance is added, lower-cased inside the sentence
    ("How many passengers did the airport handle?", "And at its busiest?",
     "How many passengers did the airport handle at its busiest?"),
])
def test_a_time_fragment_replaces_the_previous_time(resolver, previous, follow_up, resolved):
    assert resolver.resolve(follow_up, [turn(previous, "2.1 million")]) == resolved


def test_they_after_how_many_staff_are_the_staff(resolver):
    # the tagger calls "staff" singular; "how many" says it is counted
    resolved = resolver.resolve("How many of them will lose their jobs?", [turn("How many staff does the plant employ?", "400")])
    assert "staff" in resolved and "plant" not in resolved, resolved


def test_it_after_a_model_code_answer_is_that_model(resolver):
    # "TAK-003" holds a number but is a name, not a figure
    resolved = resolver.resolve("Who makes it?", [turn("Which vaccine is being used in the immunisation drive?", "TAK-003")])
    assert resolved == "Who makes TAK-003?"


def test_a_region_the_article_never_names_is_refused(chain):
    # "And Africa?" keeps the question about contracts, but no sentence holds an African figure
    conversation = Conversation(chain)
    assert "18" in conversation.ask("How many paid 5G agreements has Huawei struck with European carriers?").answer
    answer = conversation.ask("And Africa?")
    assert "Africa" in answer.resolved_question
    assert answer.abstained and not answer.citations, answer.answer


def test_the_typed_question_is_embedded_once_and_a_rewritten_one_again(chain):
    # the typed question is embedded while the parser resolves it; a follow-up rewritten into another question
    # is retrieved with the vector of what it was rewritten to
    from unittest.mock import patch

    from bot.retrieval import HybridRetriever

    embedded, original = [], HybridRetriever.embed

    def spy(self, text):
        embedded.append(text)
        return original(self, text)

    with patch.object(HybridRetriever, "embed", spy):
        chain.ask("How many 5G base stations has Huawei shipped?")
        assert embedded == ["How many 5G base stations has Huawei shipped?"]
        embedded.clear()
        answer = chain.ask("And how many commercial contracts?",
                           [turn("How many 5G base stations has Huawei shipped?", "more than 40,000")])
        assert sorted(embedded) == sorted(["And how many commercial contracts?", answer.resolved_question])
        assert answer.resolved_question != "And how many commercial contracts?" and "30" in answer.answer


def test_its_after_a_name_frame_is_the_named_thing(resolver):
    # "the name of the tenants' group": "its" is the group's, not the name's
    history = [turn("What is the name of the tenants' group fighting the eviction?", "Homes Not Hotels")]
    resolved = resolver.resolve("Who speaks on its behalf?", history)
    assert "the tenants' group's behalf" in resolved and "name" not in resolved, resolved


def test_a_verb_taken_into_the_subject_is_left_out(resolver):
    history = [turn("Where was the Swiss franc trading against the euro on Friday?", "0.94")]
    resolved = resolver.resolve("How much weaker was it than a week earlier?", history)
    assert "the Swiss franc" in resolved and "trading" not in resolved, resolved


@pytest.mark.parametrize(("previous", "answer", "abstained", "follow_up", "resolved"), [
    # "that revised offer" is not "the airline": only "that" becomes "the"
    ("What pay rise did the airline offer at first?", "3%", False,
     "How big is the signing bonus in that revised offer?", "How big is the signing bonus in the revised offer?"),
    # "its membership" is the group's, not "the tenants' group's behalf's"
    ("Who speaks on the tenants' group's behalf?", "Ana Ruiz", False,
     "How big is its membership?", "How big is the tenants' group's membership?"),
    # a noun phrase alike to nothing in the previous question takes its subject's place
    ("What did the minister say about the closures?", "it was a painful decision", False,
     "And the opposition?", "What did the opposition say about the closures?"),
    # no answer to stand for "it", and "the name" sails nowhere: the biggest of the vessels does
    ("What's the name of the biggest of the departing vessels?", "The article doesn't say.", True,
     "Where is it headed?", "Where is the biggest of the departing vessels headed?"),
    # "there" is the body the last question named; "Is there ...?" points nowhere
    ("How many stores does Kowhai Fresh run?", "186", False, "Who's the boss there?", "Who's the boss at Kowhai Fresh?"),
    ("How many stores does Kowhai Fresh run?", "186", False, "Is there a deadline?", "Is there a deadline?"),
    # "after that" is after the event just told, not after the thing the last answer named
    ("When did the first probe reach orbit?", "May 3", False, "How long did it keep working after that?",
     "How long did the first probe keep working after that?"),
    # a part of what was just counted: the last question, narrowed
    ("How many jobs will Velmora cut?", "about 1,900", False, "And how many of those are in Portugal?",
     "How many jobs will Velmora cut in Portugal?"),
    # "that" is the event the last question asked about, done by whom or what it answered
    ("Who founded the bookshop chain?", "Eleanor Marlow", False, "What year was that?",
     "What year did Eleanor Marlow found the bookshop chain?"),
    ("Which company bought the chain?", "Greystone Ventures", False, "When did that happen?",
     "When did Greystone Ventures buy the chain?"),
    ("Who was arrested at the airport?", "John Okafor", False, "On what date was that?",
     "On what date was John Okafor arrested at the airport?"),
    # a count is no doer: the counted noun stays ("When did 27 do Corvane ground?" would be nonsense)
    ("How many jets did Corvane ground?", "27", False, "When was that?", "When did Corvane ground jets?"),
    ("How many jets were grounded?", "27", False, "When was that?", "When were the jets grounded?"),
    # "that time", "that day": the date just answered
    ("When did Corvane last ground jets?", "October 2021", False, "How many planes were parked that time?",
     "How many planes were parked in October 2021?"),
    ("When did the flood hit?", "June 9", False, "What did the minister say that day?",
     "What did the minister say on June 9?"),
    # "they" who pay are the company asked about, unanswered, not the shirts
    ("Which company was on the front of the shirts before this deal?", "The article doesn't say.", True,
     "How much were they paying per season?", "How much were the company paying per season?"),
])
def test_the_follow_up_is_rewritten_so(resolver, previous, answer, abstained, follow_up, resolved):
    assert resolver.resolve(follow_up, [turn(previous, answer, abstained=abstained)]) == resolved


def _cited(question: str, answer: str, sentence: str) -> Turn:
    from bot.schema import Citation

    citation = Citation(sentence_id="a:s1", text=sentence, start=0, end=len(sentence), source="a.txt")
    return Turn(question=question, resolved_question=question, answer=answer, citations=[citation])


def test_there_is_the_place_the_last_answer_named(resolver):
    history = [_cited("Where will the new plant be built?", "Kinston", "The plant will be built in Kinston, North Carolina.")]
    assert resolver.resolve("How many people will work there?", history) == "How many people will work in Kinston?"


def test_that_agency_is_the_agency_an_earlier_answer_named(resolver):
    history = [
        _cited("Which agency does the prosecutor work for?", "the National Anti-Corruption Directorate",
               "Lead prosecutor Helena Strand of the National Anti-Corruption Directorate welcomed the verdict."),
        turn("How many years had she sought for the former governor?", "12 years"),
    ]
    resolved = resolver.resolve("When was that agency created?", history)
    assert resolved == "When was the National Anti-Corruption Directorate created?"
