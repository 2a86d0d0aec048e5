"""Witnesses of the audit trail's length, kept where whoever can edit the database cannot rewrite
them: every one is written to the operations log stream (which Log Analytics keeps apart from the
store) and, when AUDIT_WITNESS_FILE names one, appended to a file of the force's choosing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from pathlib import Path

from bot.errors import log_exception
from panel.audit import Witness, read_witnesses
from panel.usecases.audit_trail import head_witness
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)


async def keep_witness(deps: Deps, file: Path | None) -> Witness | None:
    """Record how far the trail reaches now; the witness, or None while the trail is empty."""
    seen = await head_witness(deps)
    if seen is None:
        return None
    logger.info("audit.witness %s", seen.line())
    if file is not None:
        try:
            await asyncio.to_thread(_append, file, seen.line())
        except OSError as error:
            log_exception("audit.witness_file_failed", error)
    return seen


def witnesses_in(files: Iterable[Path]) -> list[Witness]:
    """Every witness in these files (JSON lines, or log lines holding one); a file that cannot be
    read raises OSError for the caller to report."""
    found: list[Witness] = []
    for file in files:
        found += read_witnesses(file.read_text(encoding="utf-8"))
    return found


def _append(file: Path, line: str) -> None:
    with file.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
