"""The `people_by_context` spaCy component, on sentences written for these tests, through the real pipeline."""

from __future__ import annotations

import pytest

from bot.models import get_nlp


def _people(text: str) -> list[str]:
    return [e.text for e in get_nlp()(text).ents if e.label_ == "PERSON"]


@pytest.mark.parametrize(
    "text, name",
    [
        # the small model labels each of these names an organisation or a place
        ("The hospital's director, Ilse Varga-Lund, 47, said the samples had arrived cold.", "Ilse Varga-Lund"),
        ("Vantor's chief executive, Ilse Varga-Lund, 47, said the deal was fair.", "Ilse Varga-Lund"),
    ],
)
def test_a_name_with_a_title_or_an_age_is_a_person(text, name):
    assert name in _people(text)


@pytest.mark.parametrize(
    "text, not_a_person",
    [
        ("Portuguese carrier Marisol Airways agreed on Monday to buy Spanish rival Iberavia.", "Marisol Airways"),
        ("The club's owner Tarnbeck Holdings said it would appeal.", "Tarnbeck Holdings"),
        ('"It is early days," said lead author Dr. Fiona Achterberg, 42, a senior lecturer.', "Dr."),
    ],
)
def test_companies_and_honorifics_stay_what_they_are(text, not_a_person):
    assert not_a_person not in _people(text)



@pytest.mark.parametrize(
    "text, firm",
    [
        # left unlabelled, or called a person for the title noun before it
        ("The drug was developed by Norway's Halden Pharmaceutical over a decade.", "Halden Pharmaceutical"),
        ("The board relied on modelling from its investment consultant, Brightmoor Advisory, last year.", "Brightmoor Advisory"),
    ],
)
def test_a_run_of_names_ending_in_a_firms_word_is_an_organisation(text, firm):
    orgs = [e.text for e in get_nlp()(text).ents if e.label_ == "ORG"]
    assert firm in orgs and firm not in _people(text)


@pytest.mark.parametrize(
    "text, surname, words",
    [
        ("A court sentenced the former deputy governor Tobias Wrenfield to nine years.", "wrenfield",
         {"former", "deputy", "governor"}),
        ('"We looked very hard," said Helen Achterberg, the board\'s executive director for mergers.', "achterberg",
         {"executive", "director"}),
        ("Giulio Bassani, president of the Italian Amateur Runners' Association, said the race should have been called off.",
         "bassani", {"president"}),
    ],
)
def test_the_words_a_person_is_described_by(text, surname, words):
    from bot.people import roles_of_people

    assert roles_of_people(get_nlp()(text)).get(surname) == words


def test_a_lede_describes_whom_it_does_not_name():
    from bot.people import unnamed_role

    lede = get_nlp()("A court on Thursday sentenced the former deputy governor of Harlow Province to nine years in prison.")
    assert unnamed_role(lede) == {"former", "deputy", "governor"}
    assert unnamed_role(get_nlp()("Prices rose 4% in the year to March, the statistics office said.")) == set()
