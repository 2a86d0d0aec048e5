"""Logging failures safely: the exception's type and where it happened, never its message or locals,
because a message can quote what a user typed. The same failure repeating (a client retrying a
malformed request, a store that is down) is counted and logged once a minute, not once each time."""

from __future__ import annotations

import logging
import time
import traceback
from collections import OrderedDict
from collections.abc import Callable

logger = logging.getLogger("bot")
REPEAT_WINDOW_S = 60.0
MAX_TRACKED = 1000


class RepeatCounter:
    """Decides whether a failure seen before is logged now, and how many were held back since."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seen: OrderedDict[str, tuple[float, int]] = OrderedDict()

    def note(self, signature: str) -> int | None:
        """None to stay quiet; otherwise how many identical failures were held back before this one."""
        now = self._clock()
        last = self._seen.pop(signature, None)
        if last is not None and now - last[0] < REPEAT_WINDOW_S:
            self._seen[signature] = (last[0], last[1] + 1)
            return None
        self._seen[signature] = (now, 0)
        while len(self._seen) > MAX_TRACKED:
            self._seen.popitem(last=False)
        return last[1] if last is not None else 0


_repeats = RepeatCounter()


def log_exception(event: str, error: BaseException, *, activity_id: str | None = None) -> None:
    """Log an event with the error's type and stack frames (file, line, function) only; an identical
    failure within a minute is counted instead, and the count is given with the next one logged."""
    frames = " <- ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}"
        for frame in reversed(traceback.extract_tb(error.__traceback__))
    )
    held_back = _repeats.note(f"{event}|{type(error).__name__}|{frames}")
    if held_back is None:
        return
    logger.error(
        "%s activity=%s error=%s repeated=%s at=%s",
        event,
        activity_id,
        type(error).__name__,
        held_back,
        frames,
    )


def log_once_a_minute(target: logging.Logger, event: str) -> None:
    """A refusal that can come in floods (rate limits, failed tokens): one warning a minute per
    event, with how many were held back since the last one."""
    held_back = _repeats.note(f"refusal|{event}")
    if held_back is not None:
        target.warning("%s repeated=%s", event, held_back)
