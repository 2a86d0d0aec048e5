"""Log lines as App Service and Log Analytics read them: with LOG_FORMAT=json, one JSON object a
line. The rule is the same either way: ids and event names, never what anyone typed. A record's
exception text is never written (a message can quote user text); bot.errors logs only its type and
frames."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, and the event line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON; any exception attached to it is named, never quoted."""
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


def configure_logging(level: str, fmt: str = "text", file: Path | None = None) -> None:
    """Plain event lines, or JSON lines, on stderr (or in a file)."""
    handler: logging.Handler = (
        logging.FileHandler(file, encoding="utf-8") if file else logging.StreamHandler()
    )
    handler.setFormatter(
        JsonLines() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    # Like basicConfig, nothing is changed where logging is already set up (a test's capture).
    logging.basicConfig(level=level, handlers=[handler])
