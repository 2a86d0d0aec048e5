"""Every message in the sitting's chats is read by the identity guard, not only those that mention
the bot (with the resource-specific consent ChatMessage.Read.Chat, Teams delivers them all). A
message between people is never answered as a command and never stored; if the guard refuses it,
its sender is told privately to delete it, the chat is told that a message should go (not which
words, not whose), and the chair's own view says who should delete which message, by time."""

from __future__ import annotations

import asyncio
import logging
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from bot import telemetry
from bot.guard_first import OFF_LOOP_CHARS
from bot.outgoing import Outgoing, text_message, user_key
from bot.payloads import UnreadablePayload, message_text
from bot.sitting_flow import SittingFlow
from panel.clock import to_london
from panel.errors import describe_findings
from panel.roles import Actor
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
IN_CHAT = (
    "A message just posted here may identify someone and should be deleted: whoever posted it has "
    "been told. Everyone in this chat can read it, now and later."
)


class Sender(Protocol):
    """Where the screen sends its private word to the sender."""

    async def post(self, key: str, message: Outgoing) -> str | None:
        """Send a new message; its id, or None."""
        ...


class ChatScreen:
    """Reads the messages people send each other in a group chat the bot is in."""

    def __init__(self, deps: Deps, messenger: Sender, flow: SittingFlow) -> None:
        self._deps, self._messenger, self._flow = deps, messenger, flow

    async def screen(self, said: ChatMessage, actor: Actor) -> str | None:
        """Judge one message that was not said to the bot: None when it is people talking, or the
        notice for the chat when it identifies someone (the sender is told privately, the chair in
        their view)."""
        try:
            text = message_text(said.text)
        except UnreadablePayload:
            # A name with a private-use or control character in it is still a name to a reader:
            # judge what is left without them (never stored, never answered as a command).
            text = _readable_part(said.text)
            if not text:
                return None
        async with self._deps.uow() as uow:
            guard = await self._deps.guard(uow)
        # Every character is read, however long the paste (the scan is linear), off the event loop
        # when long, so one long message does not hold every other turn.
        findings = (
            await asyncio.to_thread(guard.scan, text) if len(text) > OFF_LOOP_CHARS else guard.scan(text)
        )
        if not findings:
            return None  # people talking to each other: not the bot's business, and not stored
        telemetry.count_refusals(findings)
        logger.warning(
            "chat.identifying_detail activity=%s actor=%s kinds=%s",
            said.activity_id,
            actor.actor_id,
            ",".join(sorted({f.kind for f in findings})),
        )
        room = await self._flow.flag_message(said.conversation_id, said.meeting_id, actor.actor_id)
        if not actor.on_roster:
            # Someone the panel does not know hears nothing back, in the chat or privately: the
            # notice would tell them which words the guard knows (a registered name among them).
            # The chair's view still says a message of theirs should be deleted, and when.
            return None
        at = f"{to_london(self._deps.clock.now()):%H:%M}"
        where = f"the {room} chat" if room else "a group chat"
        await self._messenger.post(
            user_key(actor.actor_id),
            text_message(
                f"Your message in {where} at {at} looks like it contains {describe_findings(findings)}. "
                "Please delete it now (its menu, then Delete): everyone in that chat can read it, now "
                "and later."
            ),
        )
        return IN_CHAT


# Far more than Teams lets a message hold (about 28 KB): past it, nothing a person sent.
MAX_SCREENED = 200_000


def _readable_part(text: object) -> str:
    """The characters of a message a person could read (a message too long for a command is still
    screened whole)."""
    if not isinstance(text, str):
        return ""
    kept = "".join(
        c
        for c in text[:MAX_SCREENED]
        if unicodedata.category(c) not in {"Cs", "Co", "Cn", "Cc"} or c in "\n\t"
    )
    return kept


@dataclass(frozen=True)
class ChatMessage:
    """A message people sent each other in a group chat, as the screen needs it (no SDK types)."""

    text: str | None
    conversation_id: str
    meeting_id: str | None
    activity_id: str | None
