"""Logging failures safely: the exception's type and where it happened, never its message or locals,
because a message can quote what a user typed."""

from __future__ import annotations

import logging
import traceback

logger = logging.getLogger("bot")


def log_exception(event: str, error: BaseException, *, activity_id: str | None = None) -> None:
    """Log an event with the error's type and stack frames (file, line, function) only."""
    frames = " <- ".join(
        f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}:{frame.name}"
        for frame in reversed(traceback.extract_tb(error.__traceback__))
    )
    logger.error("%s activity=%s error=%s at=%s", event, activity_id, type(error).__name__, frames)
