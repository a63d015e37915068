"""`python -m bot eval` end to end through the real CLI, chain and index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

IMPOSSIBLE = "zebra-quokka-unlikely-answer"
ITEMS = [
    {"id": "s1", "question": "How many 5G base stations has Huawei shipped?", "answers": ["40,000"],
     "evidence": ["more than 40,000 5G base stations"], "answerable": True, "reviewer": "ignored field"},
    {"id": "s2", "question": "Who is the head of Huawei's carrier business?", "answers": [IMPOSSIBLE],
     "evidence": ["Ryan Ding"], "answerable": True},  # can never be right → always in the report
    {"id": "u1", "question": "How many employees does Huawei have?", "answers": [], "evidence": [], "answerable": False},
    {"id": "q1", "question": "???", "answers": [], "evidence": [], "answerable": False},  # InvalidQuestion
    # a conversation listed out of turn order: turn 2 must still be asked second
    {"id": "c1-2", "question": "And how many commercial contracts?", "answers": ["30"],
     "evidence": ["more than 30 commercial 5G contracts"], "answerable": True, "conversation": "c1", "turn": 2},
    {"id": "c1-1", "question": "How many 5G base stations has Huawei shipped?", "answers": ["40,000"],
     "evidence": ["more than 40,000 5G base stations"], "answerable": True, "conversation": "c1", "turn": 1},
]
MALFORMED = {  # line number in the written file → line
    3: "{not json",
    5: json.dumps({"id": "bad-type", "question": "Q?", "answers": "40,000", "evidence": [], "answerable": True}),
    7: json.dumps({"id": "no-answerable", "question": "Q?", "answers": [], "evidence": []}),
    9: json.dumps({**ITEMS[0]}),  # duplicate id
}
PREDICTION_FIELDS = {"id", "question", "answer", "abstained", "citations", "latency_ms"}


def _write_testset(path: Path) -> Path:
    lines, good = [], iter(ITEMS)
    for number in range(1, len(ITEMS) + len(MALFORMED) + 1):
        lines.append(MALFORMED[number] if number in MALFORMED else json.dumps(next(good)))
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")  # trailing blank line is not an error
    return path


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory, default_index_dir):
    tmp = tmp_path_factory.mktemp("eval")
    testset, out, report = _write_testset(tmp / "set.jsonl"), tmp / "pred.jsonl", tmp / "report.md"
    result = run_cli("eval", str(testset), "--index-dir", str(default_index_dir), "--out", str(out), "--report", str(report))
    return result, out, report, testset


def test_exit_code_and_metrics_table(evaluated):
    result, *_ = evaluated
    assert result.returncode == 0, result.stderr
    for label in ("Overall accuracy", "Exact match", "Token F1", "Answer containment", "Citation hit",
                  "Abstention accuracy", "False abstention rate", "Median answer length", "Latency p50", "Latency p95"):
        assert label in result.stdout
    assert "Traceback" not in result.stderr


def test_predictions_one_line_per_valid_item(evaluated):
    _, out, _, _ = evaluated
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [i["id"] for i in ITEMS]
    for row in rows:
        assert set(row) == PREDICTION_FIELDS
        assert isinstance(row["answer"], str) and isinstance(row["abstained"], bool)
        assert isinstance(row["latency_ms"], (int, float)) and row["latency_ms"] >= 0
        for citation in row["citations"]:
            assert set(citation) == {"sentence_id", "text"}
    invalid = rows[3]
    assert invalid["abstained"] is True and invalid["answer"] and invalid["citations"] == []


def test_report_lists_failures(evaluated):
    _, _, report, _ = evaluated
    text = report.read_text(encoding="utf-8")
    assert "| Overall accuracy |" in text
    assert "## Failed items" in text
    failure = text.split("### s2", 1)[1].split("###", 1)[0]
    assert "Who is the head of Huawei's carrier business?" in failure
    assert IMPOSSIBLE in failure
    for field in ("Got:", "Abstained:", "Cited sentences"):
        assert field in failure


def test_malformed_lines_reported_with_line_numbers(evaluated):
    result, _, _, testset = evaluated
    for number in MALFORMED:
        assert f"{testset}:{number}:" in result.stderr
    assert "duplicate id" in result.stderr
    assert "ignored field" not in result.stderr  # unknown fields are silently ignored


def test_min_accuracy_above_one_fails(tmp_path, default_index_dir):
    testset = tmp_path / "one.jsonl"
    testset.write_text(json.dumps(ITEMS[2]) + "\n", encoding="utf-8")
    result = run_cli("eval", str(testset), "--index-dir", str(default_index_dir), "--min-accuracy", "1.01")
    assert result.returncode == 1, result.stderr
    assert "below --min-accuracy" in result.stderr


def test_missing_testset_is_one_line_error(tmp_path):
    result = run_cli("eval", str(tmp_path / "nope.jsonl"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "not found" in result.stderr


def test_no_valid_items_is_one_line_error(tmp_path):
    testset = tmp_path / "empty.jsonl"
    testset.write_text("\n", encoding="utf-8")
    result = run_cli("eval", str(testset))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"error: no valid test items in {testset}"]


def test_conversations_run_in_turn_order_where_they_first_appear():
    from bot.evaluation import TestItem, question_units

    items = [TestItem.model_validate(i) for i in ITEMS]
    assert [[i.id for i in unit] for unit in question_units(items)] == [["s1"], ["s2"], ["u1"], ["q1"], ["c1-1", "c1-2"]]
