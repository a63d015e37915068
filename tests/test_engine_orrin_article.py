"""An observatory find and a food scare of my own (tests/data/unit/orrin-observatory-outbreak.txt), through the
real chain: a distance is given in a length ("63 light years", which the small model calls a DATE), a
temperature in degrees (not the star's "30 percent" of the Sun's mass), a clock time is when and not how long,
"made ill" is "sickened" and "folks" are people, "250-gram packs" weigh packs rather than count them, a
sentence that goes on quoting someone named before is what they said, criticism "from" a body is that body's,
and "collects" a sum is what someone earns."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, extractive_chain

ARTICLE = DATA / "unit" / "orrin-observatory-outbreak.txt"


@pytest.fixture(scope="module")
def orrin_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "orrin-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("How far away is the icy planet?", "63 light years", "a dim red dwarf 63 light years away"),
        ("What is the estimated temperature of the planet?", "minus 40 degrees", "at about minus 40 degrees Celsius"),
        ("How long did the observing run last?", "six hours and 40 minutes", "lasted six hours and 40 minutes"),
        # the subject the coordinated verbs share ("An outbreak traced to ... has sickened 86 people")
        ("How many folks have been made ill by the outbreak?", "86", "has sickened 86 people"),
        ("How many packs of cheese have been recalled?", "42,000", "to 42,000 packs"),
        ("What did the director say rules out an ocean?", "A crust that thick", "A crust that thick rules out"),
        # criticism "from" someone is theirs; "collects" is what someone earns
        ("Who criticised the slow recall?", "Norvane Consumer Council", "drew criticism from the Norvane Consumer Council"),
        ("How much does the lead observer earn?", "4,100 crowns", "the lead observer collects 4,100 crowns a month"),
        ("What did the assistant earn?", "2,900 crowns", "her assistant receives 2,900 crowns"),
    ],
)
def test_orrin_article(orrin_chain, question, fact, evidence):
    check_answer(orrin_chain.ask(question), fact, evidence, ARTICLE)
