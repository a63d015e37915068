"""A licensing round of my own (tests/data/unit/saltmere-gas-licences.txt), through the real chain: a figure
before its noun is that noun's value, "amount" and "paying to acquire" ask for money, each clause of
"X has ..., while Y has ..." keeps its own figures, one name inside another is another name, "by what margin"
asks for both sides of a vote, "of whom" may be answered by a capital, and "to be called X" gives a name."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, check_refused, extractive_chain

ARTICLE = DATA / "unit" / "saltmere-gas-licences.txt"


@pytest.fixture(scope="module")
def licence_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "saltmere-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        # "an 8 percent royalty": the figure is the royalty, not a name for it
        ("What royalty rate will the state charge on output?", "8 percent", "8 percent royalty"),
        # "the total amount ... to spend" is a sum of money, not a count ("at least 14 wells")
        ("What's the total amount the winning groups promised to spend on exploration?", "$1.9 billion", "combined $1.9 billion"),
        ("How much is Northgas paying to acquire Deltaline?", "$2.3 billion", "paying $2.3 billion"),
        # "Westmoor ... has 760 beds and 4,300 staff, while the smaller Brant Moor has 310 beds"
        ("How many beds does Brant Moor have?", "310", "Brant Moor has 310 beds"),
        ("How many beds does Westmoor Hospital have?", "760", "760 beds"),
        ("By what margin did parliament approve the licences?", "41 votes to 19", "by 41 votes to 19"),
        # a capital stands for its government: "independent of Moscow"
        ("Deltaline will stay independent of whom?", "Moscow", "independent of Moscow"),
    ],
)
def test_licence_article(licence_chain, question, fact, evidence):
    check_answer(licence_chain.ask(question), fact, evidence, ARTICLE)


@pytest.mark.parametrize(
    "question", ["How many beds does Moorside Hospital have?", "How many beds does Brantwood Hospital have?"]
)
def test_a_name_that_only_contains_another_is_not_in_the_article(licence_chain, question):
    check_refused(licence_chain.ask(question))  # "Moorside" is not Brant "Moor", nor "Brantwood" "Brant"


@pytest.mark.parametrize(
    "question", ["What is the joint venture going to be called?", "What will the joint venture be called?"]
)
def test_what_a_thing_will_be_called_is_its_name(licence_chain, question):
    answer = licence_chain.ask(question)
    check_answer(answer, "Saltmere Offshore Partners", "to be called Saltmere Offshore Partners", ARTICLE)
    assert answer.answer.strip(" .") == "Saltmere Offshore Partners"  # the name alone, not the clause after it
