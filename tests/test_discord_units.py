"""Pure parts of the Discord adapter: formatting, splitting, escaping, bounded state, settings.
No network, no models."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.discord_bot import QABot
from bot.discord_format import MESSAGE_LIMIT, answer_messages, escape, pack, sources_messages
from bot.discord_state import ConversationStore, ConvKey, Cooldown, TTLCache
from bot.schema import Answer, Citation


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def citation(i: int, text: str) -> Citation:
    return Citation(sentence_id=f"art:s{i}", text=text, start=0, end=len(text), source="art.txt")


def test_escape_neutralises_mentions_and_markdown() -> None:
    assert escape("@everyone and @here") == "@\u200beveryone and @\u200bhere"
    assert (
        escape("<@123456789012345678> <@&123456789012345678>")
        == "<@\u200b123456789012345678> <@\u200b&123456789012345678>"
    )
    assert escape("**bold** _x_ `code`") == r"\*\*bold\*\* \_x\_ \`code\`"
    assert escape("a\n> not a quote") == "a > not a quote"  # one line: can't start a quote or heading


def test_answer_then_numbered_quotes() -> None:
    answer = Answer(
        question="q", answer="40,000", abstained=False, citations=[citation(1, "One *x*."), citation(2, "Two.")]
    )
    expected = "40,000\n> **[1]** “One \\*x\\*.” — `art:s1`\n> **[2]** “Two.” — `art:s2`"
    assert answer_messages(answer) == [expected]
    assert answer_messages(answer, question="@everyone how many?")[0].startswith(
        "**Q:** @\u200beveryone how many?\n40,000"
    )


def test_abstention_says_not_covered() -> None:
    answer = Answer(question="q", answer="The article doesn't say.", abstained=True, citations=[citation(1, "x")])
    assert answer_messages(answer) == [
        "The indexed article doesn't cover that. Try rephrasing, or use /about to see what is indexed."
    ]
    assert answer_messages(answer, n_sources=2)[0].startswith("None of the indexed articles covers that.")


def test_pack_keeps_quotes_whole_and_messages_under_the_limit() -> None:
    quotes = [f"> **[{i}]** “" + "x" * 700 + "”" for i in range(5)]
    messages = pack(["answer " * 500, *quotes])
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    for q in quotes:
        assert sum(q in m for m in messages) == 1


def test_oversized_quote_is_cut_at_spaces_and_stays_a_quote() -> None:
    block = "> " + " ".join(["word"] * 1000)
    pieces = pack([block], limit=500)
    assert len(pieces) > 1 and all(len(p) <= 500 and p.startswith("> ") for p in pieces)
    assert " ".join(p[2:] for p in pieces).split() == ["word"] * 1000


def test_unbreakable_text_is_cut_without_orphaning_an_escape() -> None:
    pieces = pack(["a" * 9 + "\\*" + "b" * 20], limit=10)
    assert all(len(p) <= 10 for p in pieces) and "".join(pieces) == "a" * 9 + "\\*" + "b" * 20
    assert not any(p.endswith("\\") for p in pieces)


def test_sources_mark_cited_sentences() -> None:
    cited, other = citation(1, "Cited."), citation(2, "Other.")
    answer = Answer(question="q", answer="a", abstained=False, citations=[cited], context=[cited, other])
    text = sources_messages(answer)[0]
    assert "★ `art:s1 [0:6]` Cited." in text and "\n> `art:s2 [0:6]` Other." in text
    assert sources_messages(None) == ["No answer yet in this conversation: ask a question first."]


def test_ttl_cache_expires_idle_entries_and_evicts_least_recently_used() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(max_size=2, ttl=10, clock=clock)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now least recently used
    cache.put("c", 3)
    assert cache.get("b") is None and len(cache) == 2
    clock.now += 9
    assert cache.get("a") == 1  # use renews
    clock.now += 9
    assert cache.get("a") == 1 and cache.get("c") is None


def test_conversation_store_bounds_and_links() -> None:
    clock = Clock()
    made: list[object] = []

    def factory() -> object:
        made.append(object())
        return made[-1]

    store = ConversationStore(factory, max_size=3, ttl=60, clock=clock)  # type: ignore[arg-type]
    key = ConvKey("channel", 1, 2)
    assert store.get(key) is store.get(key) and len(made) == 1
    store.link(99, key)
    assert store.key_of_message(99) == key
    for i in range(10):
        store.get(ConvKey("dm", i))
    assert len(store) == 3 and store.peek(key) is None
    assert store.drop(ConvKey("dm", 9)) and not store.drop(ConvKey("dm", 9))
    clock.now += 61
    assert store.peek(ConvKey("dm", 8)) is None and store.key_of_message(99) is None


def test_cooldown_tells_once_per_window() -> None:
    clock = Clock()
    cooldown = Cooldown(3, clock=clock)
    assert cooldown.check(1) == (0.0, False)
    assert cooldown.check(2) == (0.0, False)  # per user
    clock.now += 1
    assert cooldown.check(1) == (2.0, True)
    assert cooldown.check(1) == (2.0, False)
    clock.now += 2
    assert cooldown.check(1) == (0.0, False)
    assert Cooldown(0).check(1) == (0.0, False)


def test_question_text_drops_discord_mention_syntax() -> None:
    text = "<@123> <@!123> @everyone how many <#42> base stations? <@&7> @here"
    assert QABot.question_text(text) == "how many base stations?"


@pytest.mark.parametrize("raw", ["1, 2", "[1,2]", "1 2"])
def test_id_lists_accept_commas_or_json(raw: str) -> None:
    settings = Settings(_env_file=None, DISCORD_GUILD_IDS=raw, DISCORD_CHANNEL_IDS=raw)
    assert settings.discord_guild_ids == [1, 2] and settings.discord_channel_ids == [1, 2]
