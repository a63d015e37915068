"""A port expansion and a fossil of my own (tests/data/unit/tarrow-port-dig.txt), through the real chain:
"between which hours" asks for clock times, a British-style "Trade Secretary" is a minister, "how heavy" is
answered in tonnes rather than the animal's length, and "Tarrow City Council leader X" does not run Tarrow Port
(the two names share only "Tarrow"). Also: a passive verb names its own doer even where the parser hangs it
under a later verb ("It was directed by X, ..., whose previous feature ... was made for $4 million")."""

from __future__ import annotations

import pytest

from bot import spans
from bot.models import get_nlp
from conftest import DATA, check_answer, extractive_chain

ARTICLE = DATA / "unit" / "tarrow-port-dig.txt"


@pytest.fixture(scope="module")
def tarrow_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "tarrow-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("Between which hours will cargo handling be banned?", "between 11 p.m. and 5 a.m.", "between 11 p.m. and 5 a.m."),
        ("Which minister announced the approval?", "Ingrid Solberg", "Trade Secretary Ingrid Solberg"),
        ("Roughly how heavy was the creature?", "1.8 tonnes", "weighed an estimated 1.8 tonnes"),
        ("Who is the boss of Tarrow Port?", "Henrik Dahl", "The port's chief executive, Henrik Dahl"),
        ("Who runs Tarrow Port?", "Henrik Dahl", "The port's chief executive, Henrik Dahl"),
        ("How many travellers did Tarrow Port handle last year?", "2.7 million", "2.7 million passengers last year"),
        # a lead-in that only points at the article is dropped; a country's name is no better for resembling "nation"
        ("According to the article, which nation has the biggest icebreaker fleet on the planet?", "Finland",
         "which has the world's largest icebreaker fleet"),
    ],
)
def test_tarrow_article(tarrow_chain, question, fact, evidence):
    check_answer(tarrow_chain.ask(question), fact, evidence, ARTICLE)


def test_a_passive_verb_names_its_own_doer_under_a_misparse():
    doc = get_nlp()('It was directed by Marisol Abara, 41, whose previous feature, the low-budget thriller '
                    '"Salt Season," was made for $4 million.')
    person = next(e for e in doc.ents if e.text == "Marisol Abara")
    directed = next(t for t in doc if t.lower_ == "directed")
    assert spans.is_doer(doc, person, directed.i)
