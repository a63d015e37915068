"""The committed test sets are well-formed: schema, unique ids, evidence present in their article, minimum sizes."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from bot.evaluation import TestItem
from tests.conftest import DATA, DEFAULT_ARTICLE

ARTICLES = DATA / "articles"
# test set → (article, min items, min unanswerable, min conversations)
TESTSETS: dict[Path, tuple[Path, int, int, int]] = {
    DATA / "huawei.jsonl": (DEFAULT_ARTICLE, 45, 12, 4),
    # written blind to the engine, after it was tuned; reported, not gated
    DATA / "huawei-blind.jsonl": (DEFAULT_ARTICLE, 40, 12, 3),
    DATA / "huawei-blind-2.jsonl": (DEFAULT_ARTICLE, 40, 12, 3),
    DATA / "huawei-blind-3.jsonl": (DEFAULT_ARTICLE, 40, 10, 3),
    DATA / "huawei-blind-4.jsonl": (DEFAULT_ARTICLE, 40, 10, 3),
    DATA / "huawei-blind-5.jsonl": (DEFAULT_ARTICLE, 40, 10, 3),
    DATA / "huawei-blind-6.jsonl": (DEFAULT_ARTICLE, 40, 10, 3),
    DATA / "huawei-blind-7.jsonl": (DEFAULT_ARTICLE, 40, 10, 3),
    DATA / "huawei-blind-8.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-9.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-10.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-11.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-12.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-13.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-14.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-15.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-16.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-17.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-18.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-19.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-20.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-21.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-22.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-23.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-24.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-25.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-26.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-27.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-28.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-29.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-30.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-31.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-32.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-33.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "huawei-blind-34.jsonl": (DEFAULT_ARTICLE, 40, 8, 2),
    DATA / "valencia-tram-line.jsonl": (ARTICLES / "valencia-tram-line.txt", 25, 6, 2),
    DATA / "nordvind-job-cuts.jsonl": (ARTICLES / "nordvind-job-cuts.txt", 25, 6, 2),
}
# Held-out sets (written blind to the engine; reported, not gated): each beside its article.
HOLDOUT = DATA / "holdout"
TESTSETS.update({path: (HOLDOUT / "articles" / f"{path.stem}.txt", 25, 6, 1) for path in sorted(HOLDOUT.glob("*.jsonl"))})
REQUIRED = {"id", "question", "answers", "evidence", "answerable"}
INJECTION_WORDS = ("ignore", "disregard", "forget", "override")


def test_every_testset_file_is_covered():
    assert set(DATA.glob("*.jsonl")) | set(HOLDOUT.glob("*.jsonl")) == set(TESTSETS)
    assert len(list(HOLDOUT.glob("*.jsonl"))) >= 10


def test_each_holdout_article_is_a_real_news_story():
    for article in (HOLDOUT / "articles").glob("*.txt"):
        words = len(article.read_text(encoding="utf-8").split())
        assert 350 <= words <= 950, f"{article.name}: {words} words"  # the eighth round's run to 800-900 words


def test_each_other_article_is_a_real_news_story():
    for article in ARTICLES.glob("*.txt"):
        words = len(article.read_text(encoding="utf-8").split())
        assert 350 <= words <= 600, f"{article.name}: {words} words"


def _load(path: Path) -> list[tuple[int, dict, TestItem]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{path.name}:{number}: blank line"
        raw = json.loads(line)
        rows.append((number, raw, TestItem.model_validate_json(line)))
    return rows


@pytest.mark.parametrize("path", list(TESTSETS), ids=lambda p: p.name)
def test_testset(path: Path):
    article, min_items, min_unanswerable, min_conversations = TESTSETS[path]
    text = article.read_text(encoding="utf-8")
    rows = _load(path)
    ids = [item.id for _, _, item in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"

    conversations: dict[str, list[int]] = defaultdict(list)
    for number, raw, item in rows:
        where = f"{path.name}:{number} ({item.id})"
        assert REQUIRED <= raw.keys(), f"{where}: missing {REQUIRED - raw.keys()}"
        assert item.question.strip(), where
        if item.answerable:
            assert item.answers and item.evidence, f"{where}: answerable needs answers and evidence"
            for evidence in item.evidence:
                assert evidence in text, f"{where}: evidence not in {article.name}: {evidence!r}"
        else:
            assert not item.answers and not item.evidence, f"{where}: unanswerable items carry no answers/evidence"
        assert (item.conversation is None) == (item.turn is None), f"{where}: conversation and turn go together"
        if item.conversation:
            conversations[item.conversation].append(item.turn)

    for name, turns in conversations.items():
        assert sorted(turns) == list(range(1, len(turns) + 1)), f"{name}: turns {turns}"
        assert len(turns) >= 2, f"{name}: a conversation needs at least two turns"
    assert len(rows) >= min_items
    assert sum(not item.answerable for _, _, item in rows) >= min_unanswerable
    assert len(conversations) >= min_conversations
    assert any(any(w in item.question.lower() for w in INJECTION_WORDS) for _, _, item in rows), (
        "needs a prompt-injection item"
    )
