"""A loopback stand-in for Discord: enough of the REST API and the gateway (JSON text frames, no compression) for
discord.py's real client to log in, receive MESSAGE_CREATE / INTERACTION_CREATE, and send answers.

Everything the bot sends is recorded as `Call`s so tests assert on the exact JSON bodies it POSTed.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

API = "/api/v10"
EPOCH_MS = 1420070400000  # Discord's snowflake epoch
ALL_PERMISSIONS = str((1 << 50) - 1)
TIMESTAMP = "2024-01-01T00:00:00+00:00"

# Gateway opcodes
DISPATCH, HEARTBEAT, IDENTIFY, HELLO, HEARTBEAT_ACK = 0, 1, 2, 10, 11


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    """Answer the next `times` matching requests with `status` instead of handling them."""

    method: str
    path: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int = 1


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name,
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def member_payload(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "user": user,
        "roles": [],
        "nick": None,
        "joined_at": TIMESTAMP,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": ALL_PERMISSIONS,
    }


def json_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py only parses JSON when Content-Type is exactly `application/json` (aiohttp would add a charset)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={**(headers or {}), "Content-Type": "application/json"}
    )


class FakeDiscord:
    def __init__(self, token: str, *, guild_id: int = 111_000_000_000_000_001) -> None:
        self.token = token
        self._ids = itertools.count(1)
        self.bot = user_payload(self.snowflake(), "ArticleBot", bot=True)
        self.application_id = int(self.bot["id"])
        self.guild_id = guild_id
        self.channels: dict[int, dict[str, Any]] = {}
        self.threads: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, dict[str, Any]] = {}  # everything sent either way, for referenced_message
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.heartbeats: list[float] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.interactions: dict[str, dict[str, Any]] = {}  # by token, for follow-ups
        self._sockets: list[web.WebSocketResponse] = []
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.connected = asyncio.Event()

    # Set-up

    def snowflake(self) -> int:
        return ((int(time.time() * 1000) - EPOCH_MS) << 22) + next(self._ids)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.url + API

    def add_channel(self, name: str) -> int:
        channel_id = self.snowflake()
        self.channels[channel_id] = {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }
        return channel_id

    async def add_thread(self, parent_id: int, name: str) -> int:
        """A public thread, announced with THREAD_CREATE as Discord does."""
        thread_id = self.snowflake()
        self.threads[thread_id] = {
            "id": str(thread_id),
            "type": 11,
            "guild_id": str(self.guild_id),
            "parent_id": str(parent_id),
            "name": name,
            "owner_id": self.bot["id"],
            "message_count": 0,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "flags": 0,
            "last_message_id": None,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": TIMESTAMP,
                "locked": False,
            },
        }
        await self.dispatch("THREAD_CREATE", {**self.threads[thread_id], "newly_created": True})
        return thread_id

    def guild_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.guild_id),
            "name": "Test guild",
            "icon": None,
            "owner_id": "1",
            "unavailable": False,
            "member_count": 2,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "roles": [
                {
                    "id": str(self.guild_id),
                    "name": "@everyone",
                    "permissions": ALL_PERMISSIONS,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": list(self.channels.values()),
            "threads": list(self.threads.values()),
            "members": [member_payload(self.bot)],
            "joined_at": TIMESTAMP,
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_flags": 0,
        }

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    # What the bot sent

    def fail(self, method: str, path: str, status: int, *, times: int = 1, retry_after: float = 0.0) -> None:
        body: dict[str, Any] = (
            {"message": "Missing Permissions", "code": 50013} if status == 403 else {"message": "error", "code": 0}
        )
        headers: dict[str, str] = {}
        if status == 429:
            body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
            # discord.py treats a 429 without `Via` as a Cloudflare ban; Discord's own 429s carry it.
            headers = {"Retry-After": str(retry_after), "X-RateLimit-Scope": "user", "Via": "1.1 google"}
        self.faults.append(Fault(method, re.compile(path), status, body, headers, times))

    def sent(self, predicate: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        return [c for c in self.calls if predicate(c)]

    async def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 20.0) -> list[Call]:
        """Wait until predicate(all calls so far) holds; returns the calls."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self.calls)), timeout)
        return self.calls

    # Gateway

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self._seq += 1
        frame = json.dumps({"op": DISPATCH, "t": event, "s": self._seq, "d": data})
        for ws in list(self._sockets):
            await ws.send_str(frame)

    async def request_heartbeat(self) -> float:
        """Ask the client for an immediate heartbeat (as Discord may) and return how long it took to arrive."""
        before = len(self.heartbeats)
        started = time.monotonic()
        for ws in list(self._sockets):
            await ws.send_str(json.dumps({"op": HEARTBEAT, "d": None}))
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: len(self.heartbeats) > before), 10)
        return self.heartbeats[-1] - started

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": HELLO, "d": {"heartbeat_interval": 41250}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            if frame["op"] == HEARTBEAT:
                await ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
                async with self._changed:
                    self.heartbeats.append(time.monotonic())
                    self._changed.notify_all()
            elif frame["op"] == IDENTIFY:
                if frame["d"]["token"] != self.token:
                    await ws.close(code=4004, message=b"Authentication failed.")
                    break
                self._sockets.append(ws)
                await self.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": self.bot,
                        "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                        "session_id": "fake-session",
                        "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                        "application": {"id": str(self.application_id), "flags": 0},
                        "private_channels": [],
                        "relationships": [],
                    },
                )
                await self.dispatch("GUILD_CREATE", self.guild_payload())
                self.connected.set()
        if ws in self._sockets:
            self._sockets.remove(ws)
        return ws

    # Users acting

    async def user_message(
        self,
        author: dict[str, Any],
        content: str,
        *,
        channel_id: int | None = None,
        dm: bool = False,
        mentions: list[dict[str, Any]] = (),
        reply_to: int | None = None,  # type: ignore[assignment]
    ) -> dict[str, Any]:
        """A user posts a message (guild channel, thread or DM); dispatched as MESSAGE_CREATE."""
        if dm:
            channel_id = channel_id or int(author["id"]) + 1  # one DM channel per user
        message = self._message(
            author, content, channel_id=channel_id, dm=dm, mentions=list(mentions), reply_to=reply_to
        )
        if not dm:
            message["member"] = {k: v for k, v in member_payload(author).items() if k != "user"}
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def slash(
        self,
        user: dict[str, Any],
        name: str,
        options: dict[str, str] | None = None,
        *,
        channel_id: int | None = None,
        dm: bool = False,
    ) -> dict[str, Any]:
        """A user runs a slash command; dispatched as INTERACTION_CREATE (type 2, application command)."""
        interaction_id = self.snowflake()
        data: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": 2,
            "version": 1,
            "token": f"itoken-{interaction_id}",
            "locale": "en-US",
            "entitlements": [],
            "app_permissions": ALL_PERMISSIONS,
            "attachment_size_limit": 26214400,
            "data": {
                "id": str(self.snowflake()),
                "name": name,
                "type": 1,
                "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()],
            },
        }
        if dm:
            channel_id = channel_id or int(user["id"]) + 1
            data |= {
                "channel_id": str(channel_id),
                "channel": {"id": str(channel_id), "type": 1, "recipients": [user]},
                "user": user,
                "context": 1,
                "authorizing_integration_owners": {"0": "0"},
            }
        else:
            assert channel_id is not None
            channel = self.threads.get(channel_id) or self.channels[channel_id]
            data |= {
                "guild_id": str(self.guild_id),
                "guild_locale": "en-US",
                "channel_id": str(channel_id),
                "channel": channel,
                "member": member_payload(user),
                "context": 0,
                "authorizing_integration_owners": {"0": str(self.guild_id)},
            }
        self.interactions[data["token"]] = data
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    def _message(
        self,
        author: dict[str, Any],
        content: str,
        *,
        channel_id: int | None,
        dm: bool = False,
        mentions: list[dict[str, Any]] | None = None,
        reply_to: int | None = None,
        reference: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        message_id = self.snowflake()
        message: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": mentions or [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if not dm:
            message["guild_id"] = str(self.guild_id)
        if reply_to is not None:
            reference = {"message_id": str(reply_to), "channel_id": str(channel_id)}
        if reference:
            message["type"] = 19
            message["message_reference"] = reference
            if (original := self.messages.get(int(reference["message_id"]))) is not None:
                message["referenced_message"] = original
        self.messages[message_id] = message
        return message

    # REST

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            body = (
                json.loads(raw) if raw and request.content_type == "application/json" else raw.decode(errors="replace")
            )
        call = Call(request.method, path, dict(request.query), body)
        async with self._changed:  # record and pick a fault atomically, so waiters see a consistent state
            self.calls.append(call)
            fault = next(
                (f for f in self.faults if f.times > 0 and f.method == request.method and f.path.fullmatch(path)), None
            )
            if fault:
                fault.times -= 1
            self._changed.notify_all()

        if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
            return json_response({"message": "401: Unauthorized", "code": 0}, status=401)
        if fault:
            return json_response(fault.body, status=fault.status, headers=fault.headers)
        return await self._route(request.method, path, body)

    async def _route(self, method: str, path: str, body: Any) -> web.Response:
        ok = json_response
        if (method, path) == ("GET", "/users/@me"):
            return ok(self.bot)
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return ok(
                {
                    "id": str(self.application_id),
                    "name": "ArticleBot",
                    "description": "",
                    "icon": None,
                    "bot_public": False,
                    "bot_require_code_grant": False,
                    "owner": user_payload(1, "owner"),
                    "verify_key": "0" * 64,
                    "flags": 0,
                    "team": None,
                    "summary": "",
                }
            )
        if (method, path) == ("GET", "/gateway/bot"):
            return ok(
                {
                    "url": f"ws://127.0.0.1:{self.port}/gateway",
                    "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
                }
            )
        if method == "PUT" and (m := re.fullmatch(r"/applications/\d+(?:/guilds/(\d+))?/commands", path)):
            registered = [
                {
                    **cmd,
                    "id": str(self.snowflake()),
                    "application_id": str(self.application_id),
                    "version": "1",
                    "guild_id": m.group(1),
                }
                for cmd in body
            ]
            self.commands[m.group(1) or "global"] = registered
            return ok(registered)
        if method == "POST" and re.fullmatch(r"/channels/\d+/typing", path):
            return web.Response(status=204)
        if method == "POST" and (m := re.fullmatch(r"/channels/(\d+)/messages", path)):
            channel_id = int(m.group(1))
            message = self._message(
                self.bot,
                body.get("content", ""),
                channel_id=channel_id,
                dm=channel_id not in self.channels and channel_id not in self.threads,
                reference=body.get("message_reference"),
            )
            return ok(message)
        if method == "POST" and re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            return ok(
                {
                    "interaction": {
                        "id": path.split("/")[2],
                        "type": 2,
                        "response_message_loading": body.get("type") == 5,
                        "response_message_ephemeral": bool(body.get("data", {}).get("flags", 0) & 64),
                    }
                }
            )
        if method == "POST" and (
            m := re.fullmatch(r"/webhooks/\d+/([^/]+)", path)
        ):  # interaction follow-up (wait=true)
            interaction = self.interactions[m.group(1)]
            return ok(
                self._message(
                    self.bot,
                    body.get("content", ""),
                    channel_id=int(interaction["channel_id"]),
                    dm="guild_id" not in interaction,
                )
            )
        return json_response({"message": "404: Not Found", "code": 0}, status=404)
