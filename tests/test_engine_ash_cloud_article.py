"""An airline shutdown of my own (tests/data/unit/fjordair-ash-cloud.txt), through the real chain: planes are
aircraft, not flights ("cancelled all 380 of its flights and said it had grounded 52 aircraft"), a name
asked in full is found by its initials ("UNP president"), a majority measured in seats is its size, and the
report's author is who "wrote the report"."""

from __future__ import annotations

import pytest

from conftest import DATA, check_answer, extractive_chain

ARTICLE = DATA / "unit" / "fjordair-ash-cloud.txt"


@pytest.fixture(scope="module")
def ash_chain(tmp_path_factory):
    return extractive_chain(tmp_path_factory, "fjordair-chain", ARTICLE)


@pytest.mark.parametrize(
    "question, fact, evidence",
    [
        ("How many planes has Fjordair grounded?", "52", "grounded 52 aircraft"),
        ("How many flights did Fjordair cancel?", "380", "all 380 of its flights"),
        ("Who is the president of the Union of Nordic Pilots?", "Karin Solheim", "UNP president Karin Solheim"),
        ("How large is the coalition's working majority?", "12 seats", "working majority of 12 seats"),
        ("Who is the author of the report?", "Lars Eide", "who wrote the report"),
        ("How old is the report's author?", "58", "Lars Eide, 58,"),
    ],
)
def test_ash_cloud_article(ash_chain, question, fact, evidence):
    check_answer(ash_chain.ask(question), fact, evidence, ARTICLE)
