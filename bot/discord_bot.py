"""Discord adapter: turns Discord events into calls of the same QAChain the terminal chat uses, and answers into
Discord messages. It holds no answering logic: formatting lives in bot.discord_format, bounded state in
bot.discord_state.

Triggers: a mention, any DM, a reply to one of the bot's messages, and the slash commands /ask, /sources, /reset,
/about. Conversations: a DM, a thread, or a reply chain; a plain mention in a channel continues that user's
conversation in that channel.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.abc import Messageable
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import Settings, get_settings
from bot.conversation import Conversation
from bot.discord_format import about_message, answer_messages, escape, pack, sources_messages
from bot.discord_state import ConversationStore, ConvKey, Cooldown
from bot.errors import BotError
from bot.pipeline import QAChain

log = logging.getLogger(__name__)

# Answer text and echoed questions can never ping anyone; only the asker is notified through the reply itself.
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, users=False, roles=False, replied_user=True)
APOLOGY = "Sorry, something went wrong while answering that. Please try again in a moment."
MENTION_SYNTAX = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")
HINT = "Ask me a question about the article after the mention, e.g. “How many 5G base stations has Huawei shipped?”"

# Minimal permissions for the invite URL: see channels, answer (also in threads), reply to messages.
INVITE_PERMISSIONS = discord.Permissions(
    view_channel=True, send_messages=True, send_messages_in_threads=True, read_message_history=True
)

Deliver = Callable[[list[str]], Awaitable[None]]


def cooldown_text(seconds: float) -> str:
    return f"You're asking quickly. Please wait {max(1, math.ceil(seconds))} s before your next question."


class QATree(app_commands.CommandTree["QABot"]):
    async def interaction_check(self, interaction: discord.Interaction[QABot]) -> bool:
        if interaction.client.allowed(interaction.guild_id, interaction.channel):
            return True
        await interaction.response.send_message("I'm not enabled in this channel.", ephemeral=True)
        return False

    async def on_error(self, interaction: discord.Interaction[QABot], error: app_commands.AppCommandError) -> None:
        log.error("/%s failed", interaction.command.name if interaction.command else "?", exc_info=error)
        with suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(APOLOGY, ephemeral=True)
            else:
                await interaction.response.send_message(APOLOGY, ephemeral=True)


class QABot(discord.Client):
    """A discord.py client around one shared chain; `chain` may be attached after login (models load slowly)."""

    def __init__(self, settings: Settings, chain: QAChain | None = None, **options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = settings.discord_message_content  # privileged: needed for replies without a ping
        options.setdefault("max_messages", None)  # answers never need the message cache; keeps memory flat
        super().__init__(intents=intents, allowed_mentions=SAFE_MENTIONS, chunk_guilds_at_startup=False, **options)
        self.settings = settings
        self.chain = chain
        self.tree = QATree(self)
        self.conversations = ConversationStore(
            lambda: Conversation(self._chain(), max_turns=settings.history_turns),
            max_size=settings.discord_max_conversations,
            ttl=settings.discord_history_ttl_s,
        )
        self.cooldown = Cooldown(settings.discord_cooldown_s)
        # The chain is CPU-bound and synchronous: it runs here so the gateway heartbeat never stalls.
        self._executor = ThreadPoolExecutor(max_workers=settings.discord_workers, thread_name_prefix="qa-chain")
        self._add_commands()

    def _chain(self) -> QAChain:
        if self.chain is None:
            raise RuntimeError("the chain is not loaded yet")
        return self.chain

    # Lifecycle

    async def login(self, token: str) -> None:
        base = self.settings.discord_api_base
        if base:  # a stand-in for Discord (tests, proxies): REST first, then the gateway URL it advertises
            Route.BASE = base.rstrip("/")
        await super().login(token)
        if base:
            _, url, _ = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def setup_hook(self) -> None:
        if not self.settings.discord_sync_commands:
            return
        try:
            if self.settings.discord_guild_ids:  # guild commands appear at once; global ones can take an hour
                for guild_id in self.settings.discord_guild_ids:
                    guild = discord.Object(guild_id)
                    self.tree.copy_global_to(guild=guild)
                    await self.tree.sync(guild=guild)
            else:
                await self.tree.sync()
        except discord.HTTPException as err:
            log.warning(
                "could not register the slash commands (HTTP %s: %s); was the bot invited with the "
                "applications.commands scope?",
                err.status,
                err.text,
            )

    async def close(self) -> None:
        await super().close()
        self._executor.shutdown(wait=False, cancel_futures=True)

    # Routing

    def allowed(self, guild_id: int | None, channel: object) -> bool:
        if guild_id is None:
            return self.settings.discord_allow_dms
        if self.settings.discord_guild_ids and guild_id not in self.settings.discord_guild_ids:
            return False
        if self.settings.discord_channel_ids:
            ids = {getattr(channel, "id", None), getattr(channel, "parent_id", None)}  # a thread inherits its channel
            return bool(ids & set(self.settings.discord_channel_ids))
        return True

    def _mentions_me(self, message: discord.Message) -> bool:
        assert self.user is not None
        if any(user.id == self.user.id for user in message.mentions):
            return True
        # Clients sometimes insert the bot's managed role instead of the bot user.
        role = message.guild.self_role if message.guild else None
        return role is not None and role in message.role_mentions

    def message_key(self, message: discord.Message) -> ConvKey | None:
        """The conversation a message belongs to, or None when it isn't addressed to the bot."""
        assert self.user is not None
        if message.guild is None:
            return ConvKey("dm", message.author.id)
        linked: ConvKey | None = None
        ref = message.reference
        if ref is not None and ref.message_id is not None:
            linked = self.conversations.key_of_message(ref.message_id)
            if linked is None and isinstance(ref.resolved, discord.Message) and ref.resolved.author.id == self.user.id:
                linked = ConvKey("chain", ref.message_id)  # our message from before a restart or eviction
        if linked is None and not self._mentions_me(message):
            return None
        if isinstance(message.channel, discord.Thread):
            return ConvKey("thread", message.channel.id)
        return linked or ConvKey("channel", message.channel.id, message.author.id)

    @staticmethod
    def interaction_key(interaction: discord.Interaction[Any]) -> ConvKey:
        if interaction.guild_id is None:
            return ConvKey("dm", interaction.user.id)
        if isinstance(interaction.channel, discord.Thread):
            return ConvKey("thread", interaction.channel.id)
        return ConvKey("channel", interaction.channel_id or 0, interaction.user.id)

    @staticmethod
    def question_text(text: str) -> str:
        """Drop Discord mention syntax (the bot's own mention, users, roles, channels, @everyone/@here): it is
        addressing, not part of the question, and would only add noise to retrieval."""
        return " ".join(MENTION_SYNTAX.sub(" ", text).split())

    # Answering

    async def answer(self, key: ConvKey, question: str, deliver: Deliver, *, echo: str | None = None) -> None:
        """Ask within the conversation and deliver the messages; one conversation answers one question at a time.
        `echo` is the question as typed, shown above the answer where Discord doesn't show it (slash commands)."""
        slot = self.conversations.get(key)
        async with slot.lock:
            try:
                loop = asyncio.get_running_loop()
                answer = await loop.run_in_executor(self._executor, slot.conversation.ask, question)
                texts = answer_messages(answer, n_sources=len(self._chain().sources), question=echo)
            except BotError as err:
                texts = pack([escape(str(err))])
            except Exception:
                log.exception("answering failed in conversation %s", key)
                texts = [APOLOGY]
            await deliver(texts)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None or self.chain is None:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):  # joins, pins, …
            return
        key = self.message_key(message)
        if key is None or not self.allowed(message.guild.id if message.guild else None, message.channel):
            return
        wait, tell = self.cooldown.check(message.author.id)  # before anything else, so even bare pings are rate-limited
        if wait:
            if tell:
                await self._reply(message, [cooldown_text(wait)])
            return
        question = self.question_text(message.content)
        if not question:
            await self._reply(message, [HINT])
            return
        async with typing_indicator(message.channel):
            await self.answer(key, question, lambda texts: self._reply(message, texts, key))

    async def _reply(self, message: discord.Message, texts: list[str], key: ConvKey | None = None) -> None:
        """Send the messages, the first as a reply in guilds (DMs need no threading).
        HTTP errors are logged, not fatal."""
        reference = message.to_reference(fail_if_not_exists=False) if message.guild else None
        channel = message.channel
        for i, text in enumerate(texts):
            ref = reference if i == 0 else None
            try:
                try:
                    sent = await channel.send(text, reference=ref, allowed_mentions=SAFE_MENTIONS, suppress_embeds=True)
                except discord.Forbidden:
                    if ref is None:
                        raise
                    # Replies need Read Message History; a plain message still answers.
                    sent = await channel.send(text, allowed_mentions=SAFE_MENTIONS, suppress_embeds=True)
            except discord.HTTPException as err:
                log.warning("could not send to channel %s (HTTP %s: %s)", channel.id, err.status, err.text)
                return
            if key is not None:
                self.conversations.link(sent.id, key)

    # Slash commands

    def _add_commands(self) -> None:
        @self.tree.command(name="ask", description="Ask a question about the indexed article(s).")
        @app_commands.describe(question="Your question, e.g. How many 5G base stations has Huawei shipped?")
        async def ask(interaction: discord.Interaction[QABot], question: str) -> None:
            wait, _ = self.cooldown.check(interaction.user.id)
            if wait:  # an interaction must be answered, so the user is always told (privately)
                await interaction.response.send_message(cooldown_text(wait), ephemeral=True)
                return
            await interaction.response.defer(thinking=True)  # must happen within 3 s; answering may take longer
            key = self.interaction_key(interaction)

            async def deliver(texts: list[str]) -> None:
                for text in texts:
                    try:
                        sent = await interaction.followup.send(
                            text, allowed_mentions=SAFE_MENTIONS, suppress_embeds=True, wait=True
                        )
                    except discord.HTTPException as err:
                        log.warning("could not send a follow-up for /ask (HTTP %s: %s)", err.status, err.text)
                        return
                    self.conversations.link(sent.id, key)

            await self.answer(key, self.question_text(question), deliver, echo=question)

        @self.tree.command(
            name="sources", description="Show the sentences behind the last answer in this conversation."
        )
        async def sources(interaction: discord.Interaction[QABot]) -> None:
            slot = self.conversations.peek(self.interaction_key(interaction))
            await respond_private(interaction, sources_messages(slot.conversation.last if slot else None))

        @self.tree.command(name="reset", description="Forget this conversation; the next question starts afresh.")
        async def reset(interaction: discord.Interaction[QABot]) -> None:
            dropped = self.conversations.drop(self.interaction_key(interaction))
            await respond_private(interaction, ["Conversation forgotten." if dropped else "Nothing to forget here."])

        @self.tree.command(name="about", description="Which article(s) I answer questions about.")
        async def about(interaction: discord.Interaction[QABot]) -> None:
            await respond_private(interaction, [about_message(self._chain().sources)])


async def respond_private(interaction: discord.Interaction[Any], texts: list[str]) -> None:
    first, *rest = texts
    await interaction.response.send_message(first, ephemeral=True, allowed_mentions=SAFE_MENTIONS, suppress_embeds=True)
    for text in rest:
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=SAFE_MENTIONS, suppress_embeds=True)


@asynccontextmanager
async def typing_indicator(channel: Messageable) -> AsyncIterator[None]:
    """The typing indicator while answering; best effort, since a channel may forbid it."""
    indicator = channel.typing()
    try:
        await indicator.__aenter__()
    except discord.HTTPException as err:
        log.info("no typing indicator (HTTP %s)", err.status)
        yield
        return
    try:
        yield
    finally:
        await indicator.__aexit__(None, None, None)


async def serve(settings: Settings, token: str, index_dir: Path | None) -> None:
    """Log in first (a bad token fails in a second), then load the models, then connect to the gateway."""
    from bot.loader import load_chain

    bot = QABot(settings)
    loop = asyncio.get_running_loop()
    with suppress(NotImplementedError):  # not available on Windows
        loop.add_signal_handler(signal.SIGTERM, lambda: asyncio.ensure_future(bot.close()))
    async with bot:
        await bot.login(token)
        bot.chain = await asyncio.to_thread(load_chain, index_dir, settings)
        invite = discord.utils.oauth_url(
            bot.application_id or 0, permissions=INVITE_PERMISSIONS, scopes=("bot", "applications.commands")
        )
        print(
            f"Connecting as {bot.user}, answering about {', '.join(bot.chain.sources)}. Invite: {invite}",
            file=sys.stderr,
        )
        await bot.connect()


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def run_discord(index_dir: Path | None = None) -> int:
    """`python -m bot discord`: returns the exit code; user-facing failures are one line, never a traceback."""
    settings = get_settings()
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        return _fail(
            "DISCORD_TOKEN is not set; put the bot token in the environment or .env (README: Discord).",
            2,
        )
    try:
        asyncio.run(serve(settings, token, index_dir))
    except discord.LoginFailure:
        return _fail(
            "Discord rejected DISCORD_TOKEN (invalid or reset token); copy it again from the Developer Portal.", 2
        )
    except discord.PrivilegedIntentsRequired:
        return _fail(
            "enable the Message Content intent (Developer Portal → Bot → Privileged Gateway Intents), "
            "or set DISCORD_MESSAGE_CONTENT=false.",
            2,
        )
    except discord.HTTPException as err:
        return _fail(f"Discord API error (HTTP {err.status}): {err.text or 'no details'}", 1)
    except (discord.GatewayNotFound, discord.ConnectionClosed, aiohttp.ClientError, OSError) as err:
        return _fail(f"cannot reach Discord ({type(err).__name__}: {err}).", 1)
    return 0
