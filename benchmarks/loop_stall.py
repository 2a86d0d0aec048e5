"""The longest the event loop was held: a watchdog task asks to wake every few milliseconds, and
whatever it waited beyond that, some piece of work held the loop (no other turn could be answered
then, not even a health probe)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from types import TracebackType

TICK_S = 0.005


class LoopWatch:
    """`async with LoopWatch() as watch:` ... `watch.longest_ms`."""

    def __init__(self, tick_s: float = TICK_S) -> None:
        self._tick_s = tick_s
        self.longest_ms = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _watch(self) -> None:
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(self._tick_s)
            late = (time.perf_counter() - asked - self._tick_s) * 1000
            self.longest_ms = max(self.longest_ms, late)

    async def __aenter__(self) -> LoopWatch:
        self._task = asyncio.create_task(self._watch())
        await asyncio.sleep(0)  # the watchdog is running before the work starts
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await asyncio.sleep(self._tick_s * 2)  # the last stretch of work is seen too
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
