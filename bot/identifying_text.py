"""Text typed to the bot that is not a command: whether it identifies someone, answered with a
warning that names no words (and counted by kind for the operators, never quoted)."""

from __future__ import annotations

import logging

from bot import replies, telemetry
from panel.roles import Actor
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)


async def identifying_warning(deps: Deps, activity_id: str | None, actor: Actor, text: str) -> str | None:
    """A warning, naming no words, if the text identifies someone; None if it does not."""
    async with deps.uow() as uow:
        guard = await deps.guard(uow)
    findings = guard.scan(text)
    if not findings:
        return None
    kinds = sorted({f.kind for f in findings})
    telemetry.count_refusals(findings)
    telemetry.note_outcome("refused:identifying_detail")
    logger.warning(
        "message.identifying_detail activity=%s actor=%s kinds=%s",
        activity_id,
        actor.actor_id,
        ",".join(kinds),
    )
    return replies.identifying_text_warning(findings)
