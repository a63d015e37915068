"""How a name or figure grows to the whole answer, on sentences of my own through the real parser: a list of
places or names is one answer whichever of them was found, and a sum keeps the currency said after it."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def entity():
    from bot.models import get_nlp

    nlp = get_nlp()

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
