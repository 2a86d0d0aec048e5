"""Teams' limits on how fast a bot may send to one conversation, kept before each send rather than
learned from its 429s; and new messages to one conversation kept in the order they were asked for,
while sends to different conversations (and edits of different messages) go at once."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

# Teams' documented per-bot, per-conversation limits for sending: (seconds, operations).
TEAMS_WINDOWS: tuple[tuple[float, int], ...] = ((1.0, 7), (2.0, 8), (30.0, 60), (3600.0, 1800))
MAX_CONVERSATIONS = 5_000  # conversations with sends in the last hour, held here at most


class SendPace:
    """Per conversation: the times of recent sends, and a lock that keeps new messages in order."""

    def __init__(
        self,
        windows: tuple[tuple[float, int], ...] = TEAMS_WINDOWS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._windows, self._clock, self._sleep = windows, clock, sleep
        self._sent: dict[str, deque[float]] = {}
        # A lock per chat while anyone is sending a new message to it or waiting to (with how many):
        # dropped when the last of them is done, so only busy chats are held.
        self._order: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def in_order(self, conversation: str) -> AsyncIterator[None]:
        """Held while a new message is sent (with its retries): the next new message to the same
        conversation waits, so the chat shows them in the order the flow sent them."""
        lock, users = self._order.get(conversation, (asyncio.Lock(), 0))
        self._order[conversation] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._order[conversation]
            if users == 1:
                del self._order[conversation]
            else:
                self._order[conversation] = (lock, users - 1)

    async def clear_to_send(self, conversation: str) -> float:
        """Wait until one more send to this conversation stays inside every window, then count it;
        the seconds waited."""
        waited = 0.0
        if not self._windows:  # no limits (a benchmark of the bot's own work)
            return waited
        while True:
            now = self._clock()
            sent = self._sent.setdefault(conversation, deque())
            longest = max(span for span, _ in self._windows)
            while sent and sent[0] <= now - longest:
                sent.popleft()
            wait = max((self._wait(sent, now, span, limit) for span, limit in self._windows), default=0.0)
            if wait <= 0:
                sent.append(now)
                self._forget_quiet(now - longest)
                return waited
            await self._sleep(wait)
            waited += wait

    @staticmethod
    def _wait(sent: deque[float], now: float, span: float, limit: int) -> float:
        """How long until a send now would be the limit-th or fewer inside the last `span` seconds."""
        inside = [t for t in sent if t > now - span]
        if len(inside) < limit:
            return 0.0
        return inside[len(inside) - limit] + span - now

    def _forget_quiet(self, before: float) -> None:
        if len(self._sent) <= MAX_CONVERSATIONS:
            return
        for conversation in [c for c, times in self._sent.items() if not times or times[-1] <= before]:
            del self._sent[conversation]
