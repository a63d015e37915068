"""End to end through the command line, as a user runs it: `python -m bot index | ask --json | chat`.

Every command runs once, in a module fixture that starts them a few at a time (each process loads the models,
which dominates the cost); the tests then inspect the recorded results.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_ARTICLE, TRAM_ARTICLE, article_text, run_cli

ENV = {"BOT_ENGINE": "extractive", "COLUMNS": "400", "PYTHONIOENCODING": "utf-8"}
JSON_KEYS = {"question", "answer", "abstained", "citations", "confidence", "latency_ms", "engine"}
CITATION_KEYS = {"sentence_id", "text", "start", "end", "source"}

HUAWEI_Q = "How many 5G base stations has Huawei shipped?"
TRAM_Q = "How many stops will Line 12 have?"
TRAM_CHAT_Q = "Who is the mayor of Valencia?"
CHAT_SCRIPT = [
    "How many commercial contracts has Huawei signed in Europe?",
    "/sources",
    "And in the Middle East?",
    "/help",
    "/frobnicate now",
    "",
    "   ",
    "/reset",
    "/sources",
    "/quit",
    "/help",  # after /quit: never read
]


def cli(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return run_cli(*args, input=input, env=ENV, timeout=600)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, default_index_dir) -> dict[str, subprocess.CompletedProcess]:
    tmp = tmp_path_factory.mktemp("cli")
    tram_index = tmp / "tram-index"
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("Caf\u00e9 owners in M\u00e1laga said sales rose.".encode("latin-1"))
    (tmp / "empty-index").mkdir()
    corrupt = shutil.copytree(default_index_dir, tmp / "corrupt-index")
    (corrupt / "vectors.faiss").write_bytes((corrupt / "vectors.faiss").read_bytes()[:100])

    def second_article() -> dict:
        out = {"index": cli("index", str(TRAM_ARTICLE), "--index-dir", str(tram_index))}
        out["ask_tram"] = cli("ask", "--json", TRAM_Q, "--index-dir", str(tram_index))
        out["chat_eof"] = cli("chat", "--index-dir", str(tram_index), input=TRAM_CHAT_Q + "\n")
        return out

    def default_article() -> dict:
        return {
            "ask_default": cli("ask", HUAWEI_Q, "--json", "--index-dir", str(default_index_dir)),
            "chat": cli("chat", "--index-dir", str(default_index_dir), input="\n".join(CHAT_SCRIPT) + "\n"),
        }

    def errors() -> dict:
        return {
            "empty_question": cli("ask", "", "--json", "--index-dir", str(default_index_dir)),
            "missing_article": cli("index", str(tmp / "no-such-article.txt"), "--index-dir", str(tmp / "never")),
            "latin1_article": cli("index", str(latin1), "--index-dir", str(tmp / "never")),
            "empty_index_dir": cli("ask", HUAWEI_Q, "--index-dir", str(tmp / "empty-index")),
            "corrupt_index": cli("ask", HUAWEI_Q, "--index-dir", str(corrupt)),
        }

    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = [pool.submit(f) for f in (second_article, default_article, errors)]
        results = {k: v for job in jobs for k, v in job.result().items()}
    results["tram_index_dir"] = tram_index
    results["never_dir"] = tmp / "never"
    return results


def _ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def _one_json_object(result: subprocess.CompletedProcess) -> dict:
    _ok(result)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    assert set(data) - {"resolved_question"} == JSON_KEYS
    assert isinstance(data["abstained"], bool) and isinstance(data["answer"], str)
    assert isinstance(data["confidence"], (int, float)) and 0 <= data["confidence"] <= 1
    assert isinstance(data["latency_ms"], (int, float)) and data["latency_ms"] > 0
    assert data["engine"] == "extractive"
    for c in data["citations"]:
        assert set(c) == CITATION_KEYS
    return data


def _check_citations(data: dict, article: Path, phrase: str) -> None:
    text = article_text(article)
    assert data["citations"]
    for c in data["citations"]:
        assert c["source"] == article.name
        assert text[c["start"] : c["end"]] == c["text"]
        assert re.fullmatch(re.escape(article.stem) + r":s\d+", c["sentence_id"])
    assert any(phrase in c["text"] for c in data["citations"])


def _error_line(result: subprocess.CompletedProcess, *needles: str) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip() and "Warning" not in line and "warn(" not in line]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


# -- index ----------------------------------------------------------------------------------------------------


def test_index_second_article(runs):
    result, index_dir = runs["index"], runs["tram_index_dir"]
    _ok(result)
    assert re.search(r"Indexed \d+ sentences from 1 article\(s\) into ", result.stdout)
    assert {p.name for p in index_dir.iterdir()} == {"manifest.json", "sentences.json", "vectors.faiss"}
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in manifest["sources"]] == [TRAM_ARTICLE.name]
    assert f"Indexed {manifest['sentences']} sentences" in result.stdout


# -- ask --json -----------------------------------------------------------------------------------------------


def test_ask_json_on_the_default_article(runs):
    data = _one_json_object(runs["ask_default"])
    assert data["question"] == HUAWEI_Q
    assert not data["abstained"] and "40,000" in data["answer"]
    _check_citations(data, DEFAULT_ARTICLE, "40,000 5G base stations")


def test_ask_json_on_the_second_article(runs):
    data = _one_json_object(runs["ask_tram"])
    assert data["question"] == TRAM_Q
    assert not data["abstained"] and "19" in data["answer"]
    _check_citations(data, TRAM_ARTICLE, "19 stops")


# -- chat -----------------------------------------------------------------------------------------------------


def test_chat_session_with_commands_and_a_follow_up(runs):
    result = runs["chat"]
    _ok(result)
    out = result.stdout
    lines = [line.strip() for line in out.splitlines()]
    assert f"over {DEFAULT_ARTICLE.name}" in lines[0]
    # the two answers, in order: 18 in Europe, then the follow-up's nine in the Middle East
    assert "18" in lines and "nine" in lines and lines.index("18") < lines.index("nine")
    assert any("nine in the Middle East" in line for line in lines[lines.index("nine") :])
    # /sources after the first answer: retrieved sentences with offsets, the cited one starred
    text = article_text(DEFAULT_ARTICLE)
    sources = [re.match(r"([* ]) (\S+) \[(\d+):(\d+)\] (.*)$", line) for line in out.splitlines()]
    sources = [m for m in sources if m]
    assert sources and any(m.group(1) == "*" and "18 commercial contracts" in m.group(5) for m in sources)
    for m in sources:
        assert text[int(m.group(3)) : int(m.group(4))] == m.group(5)
    assert "Retrieved for: How many commercial contracts has Huawei signed in Europe?" in out
    # /help, unknown command, /reset, /sources with no answer, /quit
    assert out.count("forget the conversation") == 1  # the /help after /quit is never read
    assert "Unknown command '/frobnicate'" in out
    assert "Conversation cleared." in out
    assert "No answer yet" in out.split("Conversation cleared.")[1]
    assert lines[-1] == "bye"


def test_chat_on_the_second_article_ends_cleanly_at_eof(runs):
    result = runs["chat_eof"]
    _ok(result)
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert f"over {TRAM_ARTICLE.name}" in lines[0]
    assert "Elena Ferrer" in lines
    assert any("Mayor Elena Ferrer" in line for line in lines)
    assert lines[-1] == "bye"


# -- errors: one line on stderr, non-zero exit, no traceback --------------------------------------------------


def test_empty_question(runs):
    result = runs["empty_question"]
    _error_line(result, "question")
    assert result.stdout.strip() == ""


def test_missing_article_file(runs):
    _error_line(runs["missing_article"], "not found", "no-such-article.txt")
    assert not (runs["never_dir"] / "manifest.json").exists()


def test_non_utf8_article(runs):
    _error_line(runs["latin1_article"], "UTF-8", "latin1.txt")
    assert not (runs["never_dir"] / "manifest.json").exists()


def test_index_dir_without_an_index(runs):
    _error_line(runs["empty_index_dir"], "no index", "python -m bot index")


def test_corrupt_index(runs):
    _error_line(runs["corrupt_index"], "corrupt", "rebuild")
