"""Per-process state of the Discord adapter, bounded so memory stays flat however long the bot runs:
conversations (idle TTL + LRU), which bot message belongs to which conversation, and per-user cooldowns.
All of it is touched only from the event loop, so no thread locks are needed."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from bot.conversation import Conversation

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
Clock = Callable[[], float]


class ConvKey(NamedTuple):
    """Identity of a conversation: ("dm", user), ("thread", id), ("channel", id, user) or ("chain", root message)."""

    kind: str
    id: int
    user: int = 0


class TTLCache(Generic[K, V]):
    """An OrderedDict kept in least-recently-used order; entries expire `ttl` seconds after their last use."""

    def __init__(self, max_size: int, ttl: float, clock: Clock = time.monotonic) -> None:
        self.max_size = max(1, max_size)
        self.ttl = ttl
        self.clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        self._expire()
        item = self._items.get(key)
        if item is None:
            return None
        self._items[key] = (self.clock(), item[1])
        self._items.move_to_end(key)
        return item[1]

    def peek(self, key: K) -> tuple[float, V] | None:
        """(time of last use, value) without counting as a use."""
        self._expire()
        return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        self._items[key] = (self.clock(), value)
        self._items.move_to_end(key)
        self._expire()
        while len(self._items) > self.max_size:
            self._items.popitem(last=False)

    def pop(self, key: K) -> V | None:
        item = self._items.pop(key, None)
        return None if item is None else item[1]

    def _expire(self) -> None:
        # Oldest-used first, so expiry stops at the first live entry: amortised O(1).
        deadline = self.clock() - self.ttl
        while self._items:
            touched, _ = next(iter(self._items.values()))
            if touched > deadline:
                break
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Slot:
    """One live conversation; the lock serialises its questions so follow-ups see the previous turn."""

    conversation: Conversation
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class ConversationStore:
    def __init__(
        self, factory: Callable[[], Conversation], max_size: int, ttl: float, clock: Clock = time.monotonic
    ) -> None:
        self._factory = factory
        self._slots: TTLCache[ConvKey, Slot] = TTLCache(max_size, ttl, clock)
        # Several bot messages per conversation; when a link outlives its conversation, a reply starts afresh.
        self._links: TTLCache[int, ConvKey] = TTLCache(max_size * 10, ttl, clock)

    def get(self, key: ConvKey) -> Slot:
        slot = self._slots.get(key)
        if slot is None:
            slot = Slot(self._factory())
            self._slots.put(key, slot)
        return slot

    def peek(self, key: ConvKey) -> Slot | None:
        return self._slots.get(key)

    def drop(self, key: ConvKey) -> bool:
        return self._slots.pop(key) is not None

    def link(self, message_id: int, key: ConvKey) -> None:
        self._links.put(message_id, key)

    def key_of_message(self, message_id: int) -> ConvKey | None:
        return self._links.get(message_id)

    def __len__(self) -> int:
        return len(self._slots)


class Cooldown:
    """At most one question per user every `per` seconds; the user is told once per window, not on every message."""

    def __init__(self, per: float, clock: Clock = time.monotonic, max_users: int = 100_000) -> None:
        self.per = per
        self.clock = clock
        self._windows: TTLCache[int, list[bool]] = TTLCache(
            max_users, per, clock
        )  # user → [told], window start = put time

    def check(self, user_id: int) -> tuple[float, bool]:
        """(seconds left, whether to tell the user); (0, False) means go ahead, and starts a new window."""
        if self.per <= 0:
            return 0.0, False
        window = self._windows.peek(user_id)
        if window is None:
            self._windows.put(user_id, [False])
            return 0.0, False
        started, told = window
        tell = not told[0]
        told[0] = True
        return max(0.0, self.per - (self.clock() - started)), tell
