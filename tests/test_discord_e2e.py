"""End to end: the bot's own discord.py client, the real chain (index + embedding model), a loopback stand-in for
Discord (tests/fake_discord.py). Assertions are on the JSON bodies the bot actually POSTed."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import threading
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest
from conftest import run_cli
from discord.gateway import DiscordWebSocket
from discord.http import Route
from fake_discord import Call, FakeDiscord, user_payload

from bot.config import Settings, get_settings
from bot.discord_bot import APOLOGY, QABot, run_discord
from bot.discord_format import answer_messages
from bot.discord_state import ConvKey
from bot.schema import Answer, Citation

pytestmark = pytest.mark.timeout(120)

TOKEN = "test-token.not-a-real-discord-token"
COOLDOWN_S = 0.4
BASE_STATIONS = "How many 5G base stations has Huawei shipped?"
NO_PINGS = {"parse": [], "replied_user": True}


class Harness:
    """Fake Discord + bot on one event loop in a background thread; tests drive it with `run(coroutine)`."""

    def __init__(self, chain: Any) -> None:
        self.chain = chain
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="discord-e2e", daemon=True)
        self.thread.start()
        self._users = iter(range(900_000_000_000_000_001, 900_000_000_000_999_999, 7))
        self._saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 40) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def user(self, name: str = "asker") -> dict[str, Any]:
        return user_payload(next(self._users), name)  # a fresh user per scenario, so cooldowns don't interfere

    async def start(self) -> None:
        self.fake = fake = FakeDiscord(TOKEN)
        await fake.start()
        self.general = fake.add_channel("general")
        self.other = fake.add_channel("other")
        self.closed = fake.add_channel("not-allowed")
        self.settings = Settings(
            _env_file=None,
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=fake.api_base,
            DISCORD_GUILD_IDS=str(fake.guild_id),
            DISCORD_CHANNEL_IDS=f"{self.general},{self.other}",
            DISCORD_COOLDOWN_S=COOLDOWN_S,
            DISCORD_WORKERS=4,
        )
        self.bot = QABot(self.settings, self.chain, guild_ready_timeout=0.1)
        await self.bot.login(TOKEN)
        self.connection = asyncio.create_task(self.bot.connect())
        await asyncio.wait_for(self.bot.wait_until_ready(), 15)
        self.mention = {**fake.bot}

    async def stop(self) -> None:
        await self.bot.close()
        await asyncio.wait_for(self.connection, 10)
        await self.fake.stop()
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = self._saved

    # Helpers for scenarios

    def at_bot(self, text: str) -> str:
        return f"<@{self.fake.bot['id']}> {text}"

    async def replies_to(self, message: dict[str, Any], count: int = 1) -> list[Call]:
        """Wait for the bot's messages answering `message` (the first is a reply to it; the rest follow it)."""
        channel = message["channel_id"]

        def answered(calls: list[Call]) -> list[Call]:
            posts = [c for c in calls if c.method == "POST" and c.path == f"/channels/{channel}/messages"]
            first = next((i for i, c in enumerate(posts) if _ref(c) == message["id"]), None)
            return [] if first is None else posts[first : first + count]

        await self.fake.wait_for(lambda calls: len(answered(calls)) >= count)
        return answered(self.fake.calls)

    async def channel_posts(self, channel_id: int, after: int, count: int = 1) -> list[Call]:
        def posts(calls: list[Call]) -> list[Call]:
            return [c for c in calls[after:] if c.method == "POST" and c.path == f"/channels/{channel_id}/messages"]

        await self.fake.wait_for(lambda calls: len(posts(calls)) >= count)
        return posts(self.fake.calls)

    async def followups(self, interaction: dict[str, Any], count: int = 1) -> list[Call]:
        path = f"/webhooks/{self.fake.application_id}/{interaction['token']}"
        await self.fake.wait_for(lambda calls: sum(c.path == path for c in calls) >= count)
        return [c for c in self.fake.calls if c.path == path]

    async def callback(self, interaction: dict[str, Any]) -> Call:
        path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        await self.fake.wait_for(lambda calls: any(c.path == path for c in calls))
        return next(c for c in self.fake.calls if c.path == path)


def _ref(call: Call) -> str | None:
    ref = call.body.get("message_reference") if isinstance(call.body, dict) else None
    return str(ref["message_id"]) if ref else None


@pytest.fixture(scope="module")
def h(chain) -> Iterator[Harness]:
    harness = Harness(chain)
    harness.run(harness.start())
    yield harness
    harness.run(harness.stop())
    harness.loop.call_soon_threadsafe(harness.loop.stop)
    harness.thread.join(5)


def test_registers_slash_commands(h: Harness) -> None:
    commands = h.fake.commands[str(h.fake.guild_id)]
    assert {c["name"] for c in commands} == {"ask", "sources", "reset", "about"}
    ask = next(c for c in commands if c["name"] == "ask")
    assert [(o["name"], o["type"], o["required"]) for o in ask["options"]] == [("question", 3, True)]


def test_mention_is_answered_with_quotes_as_a_reply(h: Harness) -> None:
    async def scenario() -> None:
        user = h.user()
        message = await h.fake.user_message(user, h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention])
        (reply,) = await h.replies_to(message)
        body = reply.body
        assert "40,000" in body["content"]
        # The concise answer, then the cited sentences as numbered quotes: exactly the chain's answer, formatted.
        assert [body["content"]] == answer_messages(h.chain.ask(BASE_STATIONS))
        assert "\n> **[1]** “" in body["content"] and "” — `huawei-5g-base-stations:s" in body["content"]
        assert body["allowed_mentions"] == NO_PINGS
        assert str(body["message_reference"]["message_id"]) == message["id"]
        assert body["message_reference"]["fail_if_not_exists"] is False
        typing = [i for i, c in enumerate(h.fake.calls) if c.path == f"/channels/{h.general}/typing"]
        assert typing and typing[-1] < h.fake.calls.index(reply), "typing indicator while answering"

    h.run(scenario())


def test_follow_up_in_a_reply_chain_uses_the_conversation(h: Harness) -> None:
    async def scenario() -> None:
        user, other = h.user("alice"), h.user("bob")
        first = await h.fake.user_message(user, h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention])
        (answer,) = await h.replies_to(first)
        bot_message_id = next(
            int(i)
            for i, m in h.fake.messages.items()
            if str(m.get("message_reference", {}).get("message_id")) == first["id"]
        )
        # A different user in the same channel never shares that history.
        elsewhere = await h.fake.user_message(
            other, h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention]
        )
        await h.replies_to(elsewhere)
        await asyncio.sleep(COOLDOWN_S)
        # Replying to the bot's answer, without mentioning it, continues the conversation.
        follow = await h.fake.user_message(
            user, "And how many commercial contracts?", channel_id=h.general, reply_to=bot_message_id
        )
        (reply,) = await h.replies_to(follow)
        assert "contracts" in reply.body["content"]
        assert reply.body["allowed_mentions"] == NO_PINGS
        key = ConvKey("channel", h.general, int(user["id"]))
        history = h.bot.conversations.peek(key).conversation.history
        assert [t.question for t in history] == [BASE_STATIONS, "And how many commercial contracts?"]
        assert len(h.bot.conversations.peek(ConvKey("channel", h.general, int(other["id"]))).conversation.history) == 1

    h.run(scenario())


def test_reply_to_an_answer_from_before_a_restart_starts_a_chain(h: Harness) -> None:
    async def scenario() -> None:
        old = h.fake._message(h.fake.bot, "an answer the bot no longer remembers", channel_id=h.general)
        message = await h.fake.user_message(h.user(), BASE_STATIONS, channel_id=h.general, reply_to=int(old["id"]))
        (reply,) = await h.replies_to(message)
        assert "40,000" in reply.body["content"]
        assert len(h.bot.conversations.peek(ConvKey("chain", int(old["id"]))).conversation.history) == 1

    h.run(scenario())


def test_dm_is_answered_without_mention_and_keeps_history(h: Harness) -> None:
    async def scenario() -> None:
        user = h.user("dm-user")
        first = await h.fake.user_message(user, BASE_STATIONS, dm=True)
        (reply,) = await h.channel_posts(int(first["channel_id"]), after=0)
        assert "40,000" in reply.body["content"]
        assert "message_reference" not in reply.body
        assert reply.body["allowed_mentions"] == NO_PINGS
        await asyncio.sleep(COOLDOWN_S)
        before = len(h.fake.calls)
        await h.fake.user_message(user, "And how many commercial contracts?", dm=True)
        (second,) = await h.channel_posts(int(first["channel_id"]), after=before)
        assert "contracts" in second.body["content"]
        assert len(h.bot.conversations.peek(ConvKey("dm", int(user["id"]))).conversation.history) == 2

    h.run(scenario())


def test_thread_is_one_conversation(h: Harness) -> None:
    async def scenario() -> None:
        thread = await h.fake.add_thread(h.general, "huawei questions")
        a, b = h.user("t1"), h.user("t2")
        first = await h.fake.user_message(a, h.at_bot(BASE_STATIONS), channel_id=thread, mentions=[h.mention])
        await h.replies_to(first)
        second = await h.fake.user_message(
            b, h.at_bot("And how many commercial contracts?"), channel_id=thread, mentions=[h.mention]
        )
        (reply,) = await h.replies_to(second)
        assert "contracts" in reply.body["content"]
        assert len(h.bot.conversations.peek(ConvKey("thread", thread)).conversation.history) == 2

    h.run(scenario())


def test_slash_ask_defers_then_answers(h: Harness) -> None:
    async def scenario() -> None:
        user = h.user("slasher")
        interaction = await h.fake.slash(user, "ask", {"question": BASE_STATIONS}, channel_id=h.general)
        callback = await h.callback(interaction)
        assert callback.body["type"] == 5  # deferred "thinking…", then the follow-up replaces it
        (answer,) = await h.followups(interaction)
        content = answer.body["content"]
        assert content.startswith(f"**Q:** {BASE_STATIONS}\n")
        assert "40,000" in content and "> **[1]**" in content
        assert answer.body["allowed_mentions"] == NO_PINGS

        sources = await h.fake.slash(user, "sources", channel_id=h.general)
        body = (await h.callback(sources)).body
        assert body["type"] == 4 and body["data"]["flags"] & 64  # ephemeral
        assert "★" in body["data"]["content"] and "Retrieved for:" in body["data"]["content"]

        reset = await h.fake.slash(user, "reset", channel_id=h.general)
        assert (await h.callback(reset)).body["data"]["content"] == "Conversation forgotten."
        sources = await h.fake.slash(user, "sources", channel_id=h.general)
        assert "No answer yet" in (await h.callback(sources)).body["data"]["content"]

        about = await h.fake.slash(user, "about", channel_id=h.general)
        assert "huawei-5g-base-stations.txt" in (await h.callback(about)).body["data"]["content"]

    h.run(scenario())


def test_abstention_says_the_article_does_not_cover_it(h: Harness) -> None:
    async def scenario() -> None:
        message = await h.fake.user_message(
            h.user(), h.at_bot("What is the capital of France?"), channel_id=h.general, mentions=[h.mention]
        )
        (reply,) = await h.replies_to(message)
        assert reply.body["content"].startswith("The indexed article doesn't cover that.")
        assert "[1]" not in reply.body["content"]

    h.run(scenario())


def test_everyone_and_mentions_never_ping(h: Harness) -> None:
    async def scenario() -> None:
        text = (
            f"@everyone @here <@{h.user()['id']}> <@&{h.fake.guild_id}> how many 5G base stations has Huawei shipped?"
        )
        message = await h.fake.user_message(h.user(), h.at_bot(text), channel_id=h.general, mentions=[h.mention])
        (reply,) = await h.replies_to(message)
        assert reply.body["allowed_mentions"] == NO_PINGS
        assert "40,000" in reply.body["content"]
        # /ask echoes the question: it comes back escaped, so it can't even look like a mention.
        interaction = await h.fake.slash(h.user(), "ask", {"question": text}, channel_id=h.general)
        (answer,) = await h.followups(interaction)
        content = answer.body["content"]
        assert answer.body["allowed_mentions"] == NO_PINGS
        assert "@everyone" not in content and "@here" not in content and "<@&" + str(h.fake.guild_id) not in content
        assert "@\u200beveryone" in content and "@\u200bhere" in content

    h.run(scenario())


class LongChain:
    """Stands in for the chain in the one test that needs a 5,000-character answer."""

    sources = ["long-article.txt"]

    def ask(self, question: str, history: Any = ()) -> Answer:
        quotes = [
            Citation(
                sentence_id=f"long:s{i}",
                text=f"Quote {i} " + "word " * 150 + f"end{i}.",
                start=0,
                end=1,
                source="long-article.txt",
            )
            for i in range(1, 6)
        ]
        return Answer(
            question=question, answer=" ".join(f"w{i}" for i in range(1000))[:5000], abstained=False, citations=quotes
        )


def test_five_thousand_character_answer_is_split_without_breaking_quotes(h: Harness) -> None:
    async def scenario() -> list[Call]:
        message = await h.fake.user_message(
            h.user(), h.at_bot("Tell me everything."), channel_id=h.other, mentions=[h.mention]
        )
        replies = await h.replies_to(message, count=1)
        await asyncio.sleep(0.5)  # let the remaining parts arrive
        return await h.channel_posts(h.other, after=h.fake.calls.index(replies[0]), count=1)

    real = h.bot.chain
    h.bot.chain = LongChain()  # type: ignore[assignment]
    try:
        posts = h.run(scenario())
    finally:
        h.bot.chain = real
    answer = LongChain().ask("x")
    contents = [p.body["content"] for p in posts]
    assert len(contents) >= 4 and all(0 < len(c) <= 2000 for c in contents)
    assert _ref(posts[0]) is not None and all(_ref(p) is None for p in posts[1:])
    assert all(p.body["allowed_mentions"] == NO_PINGS for p in posts)
    words = " ".join(contents).split()
    assert [w for w in words if re.fullmatch(r"w\d+", w)] == answer.answer.split()  # the answer, complete and in order
    for i in range(1, 6):  # each quote whole, in exactly one message
        assert sum(f"**[{i}]** “Quote {i} " in c and f"end{i}.”" in c for c in contents) == 1


def test_twenty_concurrent_questions_are_all_answered_while_heartbeats_flow(h: Harness) -> None:
    questions = [
        BASE_STATIONS,
        "How many commercial 5G contracts has Huawei signed?",
        "Who is Ryan Ding?",
        "Which country has the most Huawei base stations?",
        "What is the capital of France?",
    ]
    # Each user must get exactly what the chain answers to their own question: nothing mixed up under load.
    expected = [answer_messages(h.chain.ask(q), n_sources=1) for q in questions]

    async def scenario() -> float:
        sent = []
        for i in range(20):
            q = questions[i % len(questions)]
            sent.append(
                await h.fake.user_message(h.user(f"u{i}"), h.at_bot(q), channel_id=h.general, mentions=[h.mention])
            )
        latency = await h.fake.request_heartbeat()
        replies = await asyncio.gather(*(h.replies_to(m) for m in sent))
        for i, (reply,) in enumerate(replies):
            assert [reply.body["content"]] == expected[i % len(expected)]
            assert reply.body["allowed_mentions"] == NO_PINGS
        return latency

    assert h.run(scenario(), timeout=60) < 1.0, "the event loop answered the gateway heartbeat promptly"


def test_cooldown_tells_the_user_once(h: Harness) -> None:
    async def scenario() -> None:
        user = h.user("hasty")
        first = await h.fake.user_message(user, h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention])
        second = await h.fake.user_message(
            user, h.at_bot("And the contracts?"), channel_id=h.general, mentions=[h.mention]
        )
        third = await h.fake.user_message(user, h.at_bot("Hello?"), channel_id=h.general, mentions=[h.mention])
        (polite,) = await h.replies_to(second)
        assert polite.body["content"].startswith("You're asking quickly. Please wait")
        await h.replies_to(first)
        await asyncio.sleep(0.3)
        assert not [c for c in h.fake.calls if _ref(c) == third["id"]]

    h.run(scenario())


def test_bots_and_channels_outside_the_allow_list_are_ignored(h: Harness) -> None:
    async def scenario() -> None:
        before = len(h.fake.calls)
        robot = user_payload(h.fake.snowflake(), "other-bot", bot=True)
        await h.fake.user_message(robot, h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention])
        await h.fake.user_message(h.user(), h.at_bot(BASE_STATIONS), channel_id=h.closed, mentions=[h.mention])
        await h.fake.user_message(h.user(), BASE_STATIONS, channel_id=h.general)  # not addressed to the bot
        await asyncio.sleep(0.5)
        assert not [c for c in h.fake.calls[before:] if c.method == "POST"]
        interaction = await h.fake.slash(h.user(), "ask", {"question": BASE_STATIONS}, channel_id=h.closed)
        body = (await h.callback(interaction)).body
        assert body["type"] == 4 and body["data"]["flags"] & 64 and "not enabled" in body["data"]["content"]

    h.run(scenario())


def test_discord_http_errors_are_not_fatal(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        # 403 on the reply (no Read Message History): falls back to a plain message.
        h.fake.fail("POST", f"/channels/{h.other}/messages", 403)
        before = len(h.fake.calls)
        message = await h.fake.user_message(h.user(), h.at_bot(BASE_STATIONS), channel_id=h.other, mentions=[h.mention])
        attempts = await h.channel_posts(h.other, after=before, count=2)
        assert (
            _ref(attempts[0]) == message["id"] and _ref(attempts[1]) is None and "40,000" in attempts[1].body["content"]
        )
        # 403 whatever it tries: logged, nothing crashes.
        h.fake.fail("POST", f"/channels/{h.other}/messages", 403, times=2)
        before = len(h.fake.calls)
        await h.fake.user_message(h.user(), h.at_bot(BASE_STATIONS), channel_id=h.other, mentions=[h.mention])
        await h.channel_posts(h.other, after=before, count=2)
        # 429: discord.py waits retry_after and retries; the answer arrives.
        h.fake.fail("POST", f"/channels/{h.other}/messages", 429, retry_after=0.2)
        before = len(h.fake.calls)
        message = await h.fake.user_message(h.user(), h.at_bot(BASE_STATIONS), channel_id=h.other, mentions=[h.mention])
        posts = await h.channel_posts(h.other, after=before, count=2)
        assert [_ref(p) for p in posts] == [message["id"]] * 2 and "40,000" in posts[1].body["content"]
        assert posts[1].at - posts[0].at >= 0.2
        # And the bot still serves.
        message = await h.fake.user_message(
            h.user(), h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention]
        )
        await h.replies_to(message)

    with caplog.at_level(logging.WARNING, logger="bot.discord_bot"):
        h.run(scenario())
    assert any("HTTP 403" in r.getMessage() for r in caplog.records)


class BrokenChain:
    sources = ["x.txt"]

    def ask(self, question: str, history: Any = ()) -> Answer:
        raise RuntimeError("index exploded")


def test_exception_while_answering_apologises_and_keeps_serving(h: Harness, caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(chain: Any) -> Call:
        message = await h.fake.user_message(
            h.user(), h.at_bot(BASE_STATIONS), channel_id=h.general, mentions=[h.mention]
        )
        (reply,) = await h.replies_to(message)
        return reply

    real = h.bot.chain
    h.bot.chain = BrokenChain()  # type: ignore[assignment]
    try:
        with caplog.at_level(logging.ERROR, logger="bot.discord_bot"):
            reply = h.run(scenario(None))
    finally:
        h.bot.chain = real
    assert reply.body["content"] == APOLOGY
    assert any(r.exc_info and "index exploded" in str(r.exc_info[1]) for r in caplog.records)
    assert "40,000" in h.run(scenario(None)).body["content"]


def test_invalid_question_is_shown_to_the_user(h: Harness) -> None:
    async def scenario() -> None:
        message = await h.fake.user_message(h.user(), h.at_bot("?!"), channel_id=h.general, mentions=[h.mention])
        (reply,) = await h.replies_to(message)
        assert "doesn't look like a question" in reply.body["content"]

    h.run(scenario())


def test_cli_without_token_is_one_line_and_exit_2() -> None:
    result = run_cli("discord", env={"DISCORD_TOKEN": ""}, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "DISCORD_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_with_invalid_token_is_one_line_and_exit_2_and_never_shows_the_token(h: Harness) -> None:
    secret = "definitely-wrong.token-value"
    result = run_cli(
        "discord",
        env={"DISCORD_TOKEN": secret, "DISCORD_API_BASE": h.fake.api_base, "BOT_LOG_LEVEL": "DEBUG"},
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "Discord rejected DISCORD_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert secret not in result.stderr + result.stdout


def test_run_discord_serves_until_sigterm(h: Harness, default_index_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_discord` as `python -m bot discord` runs it (in-process, to reuse the loaded libraries): log in, load the
    chain, connect, answer, and exit 0 on SIGTERM."""
    fake = FakeDiscord(TOKEN)  # its own stand-in, so the harness bot doesn't answer too
    h.run(fake.start())
    channel = fake.add_channel("general")
    for name, value in {"DISCORD_TOKEN": TOKEN, "DISCORD_API_BASE": fake.api_base, "DISCORD_COOLDOWN_S": "0"}.items():
        monkeypatch.setenv(name, value)

    async def drive() -> Call:
        try:
            await asyncio.wait_for(fake.connected.wait(), 60)
            await asyncio.sleep(0.3)  # `ready` is dispatched a moment after GUILD_CREATE
            message = await fake.user_message(
                h.user(), f"<@{fake.bot['id']}> {BASE_STATIONS}", channel_id=channel, mentions=[fake.bot]
            )
            await fake.wait_for(lambda calls: any(_ref(c) == message["id"] for c in calls))
            return next(c for c in fake.calls if _ref(c) == message["id"])
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # handled by run_discord's loop: a clean shutdown

    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    get_settings.cache_clear()
    driver = asyncio.run_coroutine_threadsafe(drive(), h.loop)
    try:
        code = run_discord(default_index_dir)
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved  # the harness bot keeps talking to its own stand-in
        get_settings.cache_clear()
        h.run(fake.stop())
    reply = driver.result(5)
    assert code == 0
    assert "40,000" in reply.body["content"] and reply.body["allowed_mentions"] == NO_PINGS
