"""Matching a question's words and names against a sentence, with the real parser and embedding model."""

from __future__ import annotations

import pytest

ARTICLE = ("The National Renewal Party lost the vote. The Greens and the centrist Forward party together won 17 "
           "percent of the vote. The party said it would appeal. Huawei signed 18 contracts in Europe. The UK "
           "will decide in the coming weeks. Divers from the Japan Aerospace Exploration Agency (JAXA) helped. The case was "
           "brought by the National Anti-Corruption Directorate. The Library and Archive Staff Union welcomed the "
           "lease. Grants from the European Union paid for the hall.")


@pytest.fixture(scope="module")
def match():
    from bot.lexicon import WordVectors
    from bot.matching import ArticleNames, match_terms, whole_names
    from bot.models import get_embeddings, get_nlp
    from bot.question import analyze

    nlp, words, names = get_nlp(), WordVectors(get_embeddings()), ArticleNames(ARTICLE)

    def strengths(question: str, sentence: str) -> dict[str, float]:
        terms, doc = analyze(nlp(question)).terms, nlp(sentence)
        return {t.text: m for t, (m, _) in zip(terms, whole_names(terms, match_terms(words, terms, doc), names, doc))}

    return strengths


def test_the_head_of_a_department_is_no_head_of_the_body(match):
    asked = "Who is in charge of the zoo?"
    assert match(asked, "The zoo's head, Fiona Castellane, welcomed the pandas.")["head"] == 1.0
    assert 0 < match(asked, "The programme will be led by the zoo's head of mammals, Tomasz Wierzbicki.")["head"] < 1.0


def test_a_bare_head_stands_for_the_one_name_that_ends_in_it(match):
    assert match("What did the National Renewal Party say?", "The party said it would appeal.")["renewal"] > 0
    # a hyphenated word inside the name, and a directorate is a body as a party is
    assert match("When was the National Anti-Corruption Directorate created?", "The directorate was set up in 2013.")["anti"] > 0
    # the European Union is a country's name of a sort, no other union "the union" could be
    assert match("Who heads the Library and Archive Staff Union?", "The union will ballot its members.")["staff"] > 0


@pytest.mark.parametrize("question, sentence, word", [
    # "found" is a form of "find", though it is spelt as the lemma of "founded"
    ("Who founded the construction company?", "Judge Miriam Oduya found Tobias Wrenfield guilty.", "founded"),
    # a vice president or a deputy chief executive is not who runs the company
    ("Who is the boss of Veltrina?", "Rafael Lindqvist, Veltrina's senior vice president of manufacturing, spoke.", "boss"),
    ("Who is the boss of Pennine?", "Margaret Liddell will become deputy chief executive of the group.", "boss"),
    # a finance chief runs the finances, as a chief financial officer does
    ("Who is the boss of Norvance?", "Finance chief Martin Hale said the savings would be reinvested.", "boss"),
])
def test_near_spellings_and_deputies_do_not_match(match, question, sentence, word):
    assert match(question, sentence)[word] == 0


@pytest.mark.parametrize("sentence", [
    # "the Forward party" is another party: its 17 percent is not the National Renewal Party's share
    "The Greens and the centrist Forward party together won 17 percent of the vote.",
    "Analysts said the reform was likely to benefit smaller parties.",
])
def test_a_head_another_name_qualifies_or_several_is_not_the_asked_name(match, sentence):
    strengths = match("What share of the vote did the National Renewal Party get?", sentence)
    assert strengths["renewal"] == 0 and strengths["party"] == 0


@pytest.mark.parametrize("question, sentence, word", [
    # the short form the article defined for a name: "JAXA" for the Japan Aerospace Exploration Agency
    ("What share will Japan's space agency get?", "JAXA will receive 10% of the material.", "japan"),
    # ... and for the whole name spelled out in the question
    ("What did the Japan Aerospace Exploration Agency receive?", "JAXA will receive 10% of the material.", "aerospace"),
    # an initialism with a short upper-case word and a linking word in the name
    ("What is the tax debt owed to HMRC?", "HM Revenue and Customs is owed 4.7 million pounds.", "hmrc"),
    ("How big is the shortfall the council must bridge?", "The council faces a funding gap of £34 million.", "shortfall"),
    ("How many infections were logged last year?", "The agency recorded 2,911 confirmed cases last year.", "infections"),
    ("How many people signed up for the study?", "The study had enrolled 1,142 patients at 96 hospitals.", "people"),
    ("How many lawmakers will the assembly have?", "The 150-seat assembly will be elected in May.", "lawmakers"),
    ("What did the American regulator do?", "The U.S. Food and Drug Administration placed it on hold.", "american"),
    # the words of one measure are one another's, however far apart their vectors
    ("What was the combined turnover of the papers?", "The papers together generated revenue of £4.3 million.", "turnover"),
    # whoever "was running" the company is its chief executive
    ("Who was running the housebuilder when it failed?", "Chief executive Graham Thorne blamed costs.", "running"),
    ("Which lawmaker warned about news deserts?", "Jonathan Pryce, the Labour MP for Calderdale West, warned of it.",
     "lawmaker"),
    ("How many properties will the council convert?", "The council aims to fit heat pumps in 5,600 homes.", "properties"),
    ("How much luggage was stranded?", "More than 21,000 suitcases were left stranded.", "luggage"),
    ("What was the firm worth at the offer price?", "At that price the company was valued at $6.8 billion.", "worth"),
    ("How long is the rider's suspension?", "He was handed a four-year ban on Tuesday.", "suspension"),
    ("How many branches does Pennine run?", "Pennine operates 167 branches in the north.", "run"),
    ("How many years had the prosecutor wanted?", "The prosecution had sought 12 years for Wrenfield.", "wanted"),
    ("When did the strike start?", "Staff return on Monday, ending a dispute that began on March 23.", "start"),
    ("When did the strike start?", "Staff return on Monday, ending a dispute that began on March 23.", "strike"),
    ("What share of its fuel was left?", "It landed with 14% of its propellant left.", "fuel"),
    ("Who owns the club?", "The rest comes as equity from owner Richard Calloway.", "owns"),
    ("How long did it keep sending signals?", "It was transmitting for only 31 hours.", "signals"),
    ("How many spectators can the hall hold?", "The rally was held at the 3,500-seat Garvey Hall.", "spectators"),
    # the chief executive is the boss; the senior vice president is not (above)
    ("Who is the boss of Veltrina?", "Chief Executive Marguerite Okonkwo-Hale told reporters.", "boss"),
])
def test_news_paraphrases_match(match, question, sentence, word):
    assert match(question, sentence)[word] > 0


@pytest.mark.parametrize("word, mentioned", [
    ("european", True),  # a form of "Europe"
    ("british", True),  # the UK's other name
    ("huawei", True),
    ("africa", False),  # "And Africa?" of a story that never names it
    ("2023", False),
])
def test_which_names_the_article_uses(word, mentioned):
    from bot.matching import ArticleNames

    assert ArticleNames(ARTICLE).mentions(word) is mentioned
