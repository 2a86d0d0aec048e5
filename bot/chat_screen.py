"""Every message in the sitting's chats is read by the identity guard, not only those that mention
the bot (with the resource-specific consent ChatMessage.Read.Chat, Teams delivers them all). A
message between people is never answered as a command and never stored; if the guard refuses it,
its sender is told privately to delete it, the chat is told that a message should go (not which
words, not whose), and the chair's own view says who should delete which message, by time."""

from __future__ import annotations

import logging

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity

from bot.meeting_events import meeting_id_of
from bot.messenger import Messenger, user_key
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


def mentions_bot(activity: Activity) -> bool:
    """Whether a message @mentions this bot (Teams marks a mention with the bot's own id)."""
    recipient = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        props = entity.additional_properties if hasattr(entity, "additional_properties") else {}
        mentioned = (props or {}).get("mentioned") or {}
        is_mention = getattr(entity, "type", None) == "mention" and isinstance(mentioned, dict)
        if is_mention and recipient and mentioned.get("id") == recipient:
            return True
    return False


class ChatScreen:
    """Reads the messages people send each other in a group chat the bot is in."""

    def __init__(self, deps: Deps, messenger: Messenger, flow: SittingFlow) -> None:
        self._deps, self._messenger, self._flow = deps, messenger, flow

    async def screen(self, turn_context: TurnContext, actor: Actor) -> None:
        """Judge one message that was not said to the bot; act only if it identifies someone."""
        activity = turn_context.activity
        try:
            text = message_text(activity.text)
        except UnreadablePayload:
            return  # nothing a person could read, so nothing that could identify anyone
        async with self._deps.uow() as uow:
            guard = await self._deps.guard(uow)
        findings = guard.scan(text)
        if not findings:
            return  # people talking to each other: not the bot's business, and not stored
        logger.warning(
            "chat.identifying_detail activity=%s actor=%s kinds=%s",
            activity.id,
            actor.actor_id,
            ",".join(sorted({f.kind for f in findings})),
        )
        await turn_context.send_activity(IN_CHAT)
        room = await self._flow.flag_message(
            activity.conversation.id if activity.conversation else "",
            meeting_id_of(activity.channel_data),
            actor.actor_id,
        )
        if actor.on_roster:
            at = f"{to_london(self._deps.clock.now()):%H:%M}"
            where = f"the {room} chat" if room else "a group chat"
            await self._messenger.post(
                user_key(actor.actor_id),
                MessageFactory.text(
                    f"Your message in {where} at {at} looks like it contains {describe_findings(findings)}. "
                    "Please delete it now (its menu, then Delete): everyone in that chat can read it, now "
                    "and later."
                ),
            )
