"""Unit tests of bot.metrics with hand-computed expectations."""

from __future__ import annotations

import pytest

from bot.metrics import (
    ItemScore,
    citation_hit,
    contains,
    exact_match,
    f1,
    normalize_answer,
    score_item,
    summarize,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The Ryan Ding!", "ryan ding"),
        ("  an   apple  a day ", "apple day"),
        ("40,000", "40000"),
        ("Huawei’s “carrier” business", "huaweis carrier business"),
        ("Huawei's \"carrier\" business", "huaweis carrier business"),
        ("Theatre", "theatre"),  # articles only as whole words
        ("Tech\u00a0giant", "tech giant"),  # non-breaking space
        ("", ""),
    ],
)
def test_normalize_answer(raw, expected):
    assert normalize_answer(raw) == expected


def test_exact_match_max_over_gold():
    assert exact_match("the South Korea.", ["Korea", "South Korea"]) == 1.0
    assert exact_match("South Korea", ["Korea"]) == 0.0
    assert exact_match("anything", []) == 0.0


def test_f1_hand_computed():
    # pred tokens: more than 30 commercial contracts (5); gold: 30 (1); overlap 1 → P=1/5, R=1 → F1=2/6
    assert f1("more than 30 commercial contracts", ["30"]) == pytest.approx(1 / 3)
    # pred: ryan ding head (3); gold: ryan ding (2); overlap 2 → P=2/3, R=1 → F1=0.8
    assert f1("Ryan Ding, the head", ["Ryan Ding"]) == pytest.approx(0.8)
    # max over golds: second gold matches exactly
    assert f1("Ryan Ding", ["Ding Ryan Huawei", "Ryan Ding"]) == 1.0
    # repeated tokens count only as often as they occur in both
    # pred: nine nine (2); gold: nine (1); overlap 1 → P=1/2, R=1 → F1=2/3
    assert f1("nine nine", ["nine"]) == pytest.approx(2 / 3)
    assert f1("London", ["Beijing"]) == 0.0
    assert f1("the", ["a"]) == 1.0  # both normalise to empty, as in SQuAD
    assert f1("", ["London"]) == 0.0
    assert f1("London", []) == 0.0


def test_contains_on_token_boundaries():
    assert contains("Huawei has signed more than 40,000 deals.", ["40000"])
    assert contains("Huawei’s founder", ["Huawei's founder"])
    assert contains("It signed 18 contracts in Europe", ["nine", "18"])
    assert not contains("founded in 1987", ["9"])  # not a substring match inside a number
    assert not contains("London-based", ["London"])  # SQuAD deletes the hyphen: "londonbased"
    assert contains("WANG ZHAO/AFP/Getty Images", ["Getty Images"])  # a slash separates names
    assert contains("WANG ZHAO/AFP/Getty Images", ["Wang Zhao"])
    assert contains("2019–2021", ["2021"])
    assert not contains("anything", [""])  # an empty gold never matches
    assert not contains("anything", [])


def test_citation_hit_normalises_both_sides():
    cited = ["The Times\u00a0reported today that a government source had said there were reservations.", "Other."]
    assert citation_hit(cited, ["the times reported today"])
    assert citation_hit(["Huawei’s founder has said so."], ["Huawei's founder"])
    assert citation_hit(["Ryan Ding, the head of the Chinese tech giant’s carrier business"], ["the Chinese tech giant"])
    assert not citation_hit(cited, [""])  # an empty evidence string never matches
    assert not citation_hit(cited, ["Whitehall"])
    assert not citation_hit([], ["reported today"])
    assert not citation_hit(cited, [])


def _score(**overrides) -> ItemScore:
    base = dict(
        id="x",
        answerable=True,
        answers=["18"],
        evidence=["18 commercial contracts"],
        answer="18",
        abstained=False,
        cited_texts=["It signed 18 commercial contracts in Europe."],
        latency_ms=10.0,
    )
    return score_item(**{**base, **overrides})


def test_score_item_answerable():
    s = _score(answer="18 contracts")
    assert (s.em, s.f1, s.contained, s.cited, s.correct) == (0.0, pytest.approx(2 / 3), True, True, True)
    assert not _score(cited_texts=["Nine in the Middle East."]).correct  # right answer, wrong citation
    abstained = _score(answer="The article doesn't say.", abstained=True, cited_texts=[])
    assert (abstained.em, abstained.f1, abstained.correct) == (0.0, 0.0, False)


def test_score_item_unanswerable_follows_squad2():
    ok = _score(answerable=False, answers=[], evidence=[], answer="The article doesn't say.", abstained=True)
    assert (ok.em, ok.f1, ok.correct) == (1.0, 1.0, True)
    wrong = _score(answerable=False, answers=[], evidence=[], answer="18", abstained=False)
    assert (wrong.em, wrong.f1, wrong.correct) == (0.0, 0.0, False)


def test_summarize_hand_computed():
    scores = [
        _score(id="a", answer="18", latency_ms=10),  # correct, EM 1
        _score(id="b", answer="18 deals in all", latency_ms=20),  # correct, EM 0, F1 2*(1/4*1)/(1/4+1) = 0.4
        _score(id="c", answer="none", abstained=True, cited_texts=[], latency_ms=30),  # false abstention
        _score(id="d", answerable=False, answers=[], evidence=[], answer="none", abstained=True, latency_ms=40),
        _score(id="e", answerable=False, answers=[], evidence=[], answer="nine", abstained=False, latency_ms=100),
    ]
    m = summarize(scores)
    assert (m["items"], m["answerable"], m["unanswerable"]) == (5, 3, 2)
    assert m["accuracy"] == pytest.approx(3 / 5)  # a, b, d
    assert m["exact_match"] == pytest.approx((1 + 0 + 0 + 1 + 0) / 5)
    assert m["f1"] == pytest.approx((1 + 0.4 + 0 + 1 + 0) / 5)
    assert m["exact_match_answerable"] == pytest.approx(1 / 3)
    assert m["f1_answerable"] == pytest.approx(1.4 / 3)
    assert m["containment"] == pytest.approx(2 / 3)
    assert m["citation_hit"] == pytest.approx(2 / 3)
    assert m["abstention_accuracy"] == pytest.approx(1 / 2)
    assert m["false_abstention_rate"] == pytest.approx(1 / 3)
    assert m["median_answer_words"] == 1.0  # answered: "18" (1), "18 deals in all" (4), "nine" (1)
    assert m["latency_p50_ms"] == pytest.approx(30.0)
    assert m["latency_p95_ms"] == pytest.approx(88.0)  # numpy linear: 40 + 0.8 * (100 - 40)


def test_summarize_without_unanswerable_items():
    m = summarize([_score()])
    assert m["abstention_accuracy"] is None
    assert m["accuracy"] == 1.0
