"""How a name or figure grows to the whole answer, on sentences of my own through the real parser: a list of
places or names is one answer whichever of them was found, and a sum keeps the currency said after it. And what a
figure is: a length of time, a time of day, a count cut from the dateline it runs into."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp():
    from bot.models import get_nlp

    return get_nlp()


@pytest.fixture(scope="module")
def entity(nlp):

    def find(sentence: str, name: str):
        return next(e for e in nlp(sentence).ents if e.text == name)

    return find


@pytest.mark.parametrize(
    "sentence, name, whole",
    [
        # the small model calls Ivory Coast a LOC and Ghana a GPE: both are places
        ("Cocoa prices rose in Ivory Coast and Ghana after the rains.", "Ivory Coast", "Ivory Coast and Ghana"),
        ("Cocoa prices rose in Ivory Coast and Ghana after the rains.", "Ghana", "Ivory Coast and Ghana"),
        # found from the middle or the end of the list, not only from its start
        ("Exports went to Italy, Greece and Spain.", "Greece", "Italy, Greece and Spain"),
        ("Exports went to Italy, Greece and Spain.", "Spain", "Italy, Greece and Spain"),
        ("The ferries Skerry Dawn and Jutland Star were held in port.", "Jutland Star", "Skerry Dawn and Jutland Star"),
    ],
)
def test_a_list_of_names_is_one_answer(entity, sentence, name, whole):
    from bot.spans import with_conjoined_names

    assert with_conjoined_names(entity(sentence, name)).text == whole


def test_a_name_not_in_a_list_stays_as_it_is(entity):
    from bot.spans import with_conjoined_names

    found = entity("Officials in Ghana said the harvest and the price would both fall.", "Ghana")
    assert with_conjoined_names(found).text == "Ghana"


def test_a_sum_keeps_the_currency_named_after_it(entity):
    from bot.spans import with_currency

    sentence = "The fine was between 560 million and 600 million euros, the regulator said."
    assert with_currency(entity(sentence, "between 560 million and 600 million")).text.endswith("600 million euros")


def test_a_dateline_running_into_its_story_leaves_the_story_its_first_figure(nlp):
    doc = nlp("ÉPINAL, France, June 12 - At least 23 riders went down in a mass crash on Thursday.")
    found = {e.text: e.label_ for e in doc.ents}
    assert found.get("June 12") == "DATE" and found.get("At least 23") == "CARDINAL"


def test_a_place_running_into_a_year_is_cut_from_it(nlp):
    doc = nlp("Trivelle said it would push back the opening of its factory in the Czech Republic to 2029 from 2027.")
    found = {e.text: e.label_ for e in doc.ents}
    assert found.get("the Czech Republic") == "GPE" and found.get("2029") == "DATE"


@pytest.mark.parametrize(
    "sentence, money",
    [
        # one token to the stock tokenizer, so no entity at all, or a date
        ("Cafe owners face an extra NZ$46,000 in annual wage costs.", "NZ$46,000"),
        ("The union had campaigned for a floor of NZ$26 an hour.", "NZ$26"),
        ("The rise from the current NZ$23.30 will benefit about 215,000 workers.", "NZ$23.30"),
        ("The group raised HK$300 million from investors in Asia.", "HK$300 million"),
    ],
)
def test_a_figure_after_a_currency_sign_is_money(nlp, sentence, money):
    assert (money, "MONEY") in {(e.text, e.label_) for e in nlp(sentence).ents}


def test_a_name_ending_in_a_word_for_a_region_is_a_place(nlp):
    # the small model calls Hawke's Bay a work of art
    doc = nlp("Horticulture growers in Hawke's Bay, where thousands of seasonal workers pick apples, said the timing was poor.")
    assert ("Hawke's Bay", "LOC") in {(e.text, e.label_) for e in doc.ents}


@pytest.mark.parametrize("sentence, name", [
    # the small model starts these names after "and"
    ("The Retail and Bookselling Workers' Union said staff were told by email.",
     "Retail and Bookselling Workers' Union"),
    ("The study was funded by the Arts and Humanities Research Council.", "Arts and Humanities Research Council"),
])
def test_a_name_with_and_in_it_is_one_organisation(nlp, sentence, name):
    assert (name, "ORG") in {(e.text, e.label_) for e in nlp(sentence).ents}


def test_two_names_joined_by_and_stay_two(nlp):
    assert {"Microsoft", "Google"} <= {e.text for e in nlp("Shares of Microsoft and Google fell on Monday.").ents}


@pytest.mark.parametrize("found", ["68 million euro", "$74 million"])
def test_a_sum_and_its_conversion_are_one_answer(nlp, found):
    from bot.spans import trim, with_conversion, with_currency

    doc = nlp("Portugal's government on Thursday approved a 68 million euro ($74 million) aid package for fishermen.")
    figure = next(sp for sp in (with_currency(trim(e)) for e in doc.ents) if sp is not None and sp.text == found)
    joined = with_conversion(figure)
    # a sum and its conversion is money, whatever the small model called either part
    assert (joined.text, joined.label_) == ("68 million euro ($74 million)", "MONEY")


def test_a_name_after_a_word_for_a_company_is_an_organisation(nlp):
    doc = nlp("The club agreed a five-year contract with U.S. cloud computing company Veltrix worth 42 million pounds.")
    assert ("Veltrix", "ORG") in {(e.text, e.label_) for e in doc.ents}  # the small model reads a place


def test_names_and_figures_beside_a_dash_are_left_alone(nlp):
    doc = nlp("Shares in the firm rose 4% on Monday - the best day since March.")
    assert {"4%", "Monday", "March"} <= {e.text for e in doc.ents}


@pytest.mark.parametrize(
    "sentence, figure, lasting",
    [
        ("Racing was stopped for almost 14 minutes after the crash.", "almost 14 minutes", True),
        ("The talks dragged on for a decade before the deal.", "a decade", True),
        ("It was her first win at the race since 2019.", "2019", False),
        ("It was his second victory of the season.", "the season", False),
    ],
)
def test_a_length_of_time_counts_units_of_time(entity, sentence, figure, lasting):
    from bot.spans import is_length_of_time

    assert is_length_of_time(entity(sentence, figure)) is lasting


@pytest.mark.parametrize(
    "sentence, figure, of_day",
    [
        ("The start was moved to 11:45 a.m. because of the rain.", "11:45 a.m.", True),
        ("The fire broke out in the early hours of Sunday.", "the early hours", True),
        ("Most crashes happen in the final hour of a stage.", "the final hour", False),
        ("The stage was halted for almost 14 minutes.", "almost 14 minutes", False),
    ],
)
def test_a_time_of_day_is_when_in_the_day(entity, sentence, figure, of_day):
    from bot.spans import is_time_of_day

    assert is_time_of_day(entity(sentence, figure)) is of_day


def test_an_exchange_rate_keeps_the_currency_it_is_counted_per(entity):
    from bot.spans import with_rate

    sentence = "The crown strengthened to 24.72 per euro after the release."
    assert with_rate(entity(sentence, "24.72")).text == "24.72 per euro"


def test_fractions_in_words_are_shares(nlp):
    from bot.spans import fractions

    doc = nlp("Food and energy made up roughly two thirds of the rise; a fifth came from rents and nine-tenths of it was expected.")
    assert [f.text for f in fractions(doc)] == ["two thirds", "a fifth", "nine-tenths"]


@pytest.mark.parametrize(
    "sentence, number, age",
    [
        ("Her coach, who has worked with her since she was 14, said she was devastated.", "14", True),
        ("Reyes, 41, founded the firm when he was 23.", "23", True),
        ("Reyes, 41, founded the firm in 2016.", "41", True),
        # a number someone "was" with a noun after it is no age
        ("He said she was 14 minutes late for the test.", "14", False),
        ("The score was 14 after the first round.", "14", False),
    ],
)
def test_a_number_someone_was_is_their_age(nlp, sentence, number, age):
    from bot.spans import is_age

    doc = nlp(sentence)
    token = next(t for t in doc if t.text == number)
    assert is_age(doc[token.i : token.i + 1]) is age


def test_an_age_spelt_out_is_an_age(nlp):
    from bot.spans import is_age

    doc = nlp("The pair - a seven-year-old male and a five-year-old female - arrived on Thursday.")
    assert [is_age(e) for e in doc.ents if "year-old" in e.text] == [True, True]  # the marker inside the span


def test_each_figure_of_a_sentence_has_its_own_clause(nlp):
    from bot.spans import clause_of

    doc = nlp("Sales in North America, its biggest market, dropped 22%, while sales in Britain slipped 3%.")

    def words(figure: str) -> set[str]:
        return {doc[i].text for i in clause_of(doc, next(t.i for t in doc if t.text == figure))}

    assert {"North", "biggest", "dropped"} <= words("22") and not {"Britain", "slipped", "3"} & words("22")
    assert {"Britain", "slipped"} <= words("3") and not {"North", "dropped", "22"} & words("3")


@pytest.mark.parametrize("sentence, name, title", [
    ("SUCA general secretary Julien Morvan said the strike would go ahead.", "Morvan", "general secretary"),
    # news prose capitalises the title before a name; the sentence's "Yesterday" is no part of it
    ("Yesterday Deputy Health Minister Ricardo Ozuna said turnout was low.", "Ozuna", "Deputy Health Minister"),
    ("Health Minister Marta Benítez told reporters the peak was near.", "Benítez", "Health Minister"),
])
def test_the_title_before_a_name(nlp, sentence, name, title):
    from bot.spans import title_before

    doc = nlp(sentence)
    assert title_before(doc, next(t for t in doc if t.text == name)).text == title


def test_a_capitalised_word_before_a_name_is_no_title_unless_it_names_a_post(nlp):
    from bot.spans import title_before

    doc = nlp("On Monday Ricardo Ozuna said turnout was low.")
    assert title_before(doc, next(t for t in doc if t.text == "Ozuna")) is None


@pytest.mark.parametrize("sentence, frequency", [
    ("Volunteers have tested the water along the river every week since 2018.", "every week"),
    ("The board meets every other month.", "every other month"),
    # the longer phrase holds its "every" or "each"
    ("Ferries sail once every two weeks.", "once every two weeks"),
    ("The band plays about 110 concerts each year.", "110 concerts each year"),
])
def test_how_often_is_found_though_the_model_sees_no_time(nlp, sentence, frequency):
    from bot.spans import frequencies

    assert [sp.text for sp in frequencies(nlp(sentence))] == [frequency]

