"""A heatwave and a ferry launch of my own (tests/data/unit/lakemoor-heat-ferry.txt), through the real chain: a
level asked "how full", demand as a figure, a weekday and the date beside it ("Monday, Aug 3"), what a price is
counted per ("a tonne", but not "a year earlier"), a phrase on the verb after coordinated figures ("in the first
full year"), and words for one another ("measures" are the restrictions, "released" is published)."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, extractive_chain

ARTICLE = DATA / "unit" / "lakemoor-heat-ferry.txt"


@pytest.fixture(scope="module")
def heat_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "lakemoor-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("How full is the Brackwater reservoir?", "27%", "is at 27% of capacity"),
        ("What was peak demand on the grid?", "9,420 megawatts", "peaked at 9,420 megawatts"),
        ("When do the ticket offices reopen?", "Monday, Aug 3", "reopen on Monday, Aug 3"),
        ("On what date will the measures be reviewed?", "Aug 14", "reviewed on Aug 14"),
        ("When will the first results of the river monitoring be released?", "October", "published in October"),
        ("What did coal for the backup plant cost?", "$240 a tonne", "more than $240 a tonne"),
        ("How many passengers does Lakemoor Ferries expect to carry in its first full year?", "640,000",
         "around 640,000 passengers"),
        ("By how much did Lakemoor Ferries shares rise on Wednesday?", "6.2%", "rose 6.2% to 18.40 crowns"),
        # the part counted, not the whole it is counted out of; the possessor only says whose cameras
        ("How many of the Lakemoor pier's cameras were out of action?", "two", "two of the 14 cameras"),
        ("How many cameras cover the Lakemoor pier in total?", "14", "two of the 14 cameras"),
    ],
)
def test_heat_ferry_article(heat_chain, question, fact, evidence):
    check_answer(heat_chain.ask(question), fact, evidence, ARTICLE)


def test_a_year_earlier_is_no_rate(heat_chain):
    # "$180 million a year earlier" compares with then; "a year" is not what the sum is counted per
    answer = heat_chain.ask("How much did the whole coal contract cost a year earlier?")
    assert "earlier" not in answer.answer and "a year" not in answer.answer, answer.answer
