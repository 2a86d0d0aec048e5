"""A bounded edge: a runaway client (a script, a stuck retry loop) is slowed with 429s before it
can crowd out everyone else; each person and each chat has a bucket of its own."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.send_pace import TEAMS_WINDOWS


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets by key: `burst` requests at once, refilled at `per_second`. Only the most
    recently seen keys are kept, so memory stays bounded whoever sends."""

    def __init__(
        self, burst: int, per_second: float, clock: Callable[[], float] = time.monotonic, keep: int = 10_000
    ) -> None:
        self._burst, self._rate, self._clock, self._keep = burst, per_second, clock, keep
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, key: str) -> float:
        """0 if this request may go ahead (and it is counted), else seconds until one may."""
        now = self._clock()
        bucket = self._buckets.pop(key, None) or _Bucket(float(self._burst), now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.at) * self._rate)
        bucket.at = now
        self._buckets[key] = bucket
        while len(self._buckets) > self._keep:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self._rate

    def waiting(self, key: str) -> float:
        """Seconds until `key` may be counted again, without counting anything now."""
        bucket = self._buckets.get(key)
        if bucket is None:
            return 0.0
        tokens = min(self._burst, bucket.tokens + (self._clock() - bucket.at) * self._rate)
        return 0.0 if tokens >= 1 else (1 - tokens) / self._rate


@dataclass
class EdgeLimits:
    """The limits the edge applies to what people send (per person, and per chat), and those the
    bot keeps to in what it sends to each chat."""

    person: RateLimiter
    chat: RateLimiter
    # Failed authentications by the address they came from: a client that keeps sending bad tokens
    # is turned away before its token is even looked at.
    failures: RateLimiter = field(default_factory=lambda: RateLimiter(10, 0.2))
    # What the bot itself sends to one chat: Teams' per-chat limits (bot/send_pace.py).
    sending: tuple[tuple[float, int], ...] = TEAMS_WINDOWS

    @classmethod
    def default(cls, clock: Callable[[], float] = time.monotonic) -> EdgeLimits:
        """A person may send 20 at once then one a second; a chat 120 at once then four a second
        (a chat's card update makes each member's client ask for their own view); an address may
        fail authentication 10 times, then once every five seconds."""
        return cls(RateLimiter(20, 1.0, clock), RateLimiter(120, 4.0, clock), RateLimiter(10, 0.2, clock))

    @classmethod
    def unlimited(cls) -> EdgeLimits:
        """No limit worth the name: for benchmarks that send a sitting's worth of turns at once (and
        measure the bot's own work, not the pauses Teams' limits on sending would make)."""
        return cls(RateLimiter(10**9, 10**9), RateLimiter(10**9, 10**9), RateLimiter(10**9, 10**9), ())

    def failures_wait(self, address: str) -> float:
        """Seconds before this address may try a token again (0: now)."""
        return self.failures.waiting(address)

    def failed(self, address: str) -> None:
        """Count a failed authentication from this address."""
        self.failures.allow(address)

    def wait(self, person: str | None, chat: str | None) -> float:
        """Seconds to wait before this request is taken, or 0 to take it now."""
        waits = [self.person.allow(person) if person else 0.0, self.chat.allow(chat) if chat else 0.0]
        return max(waits)
