"""Small readings of a Teams activity the handler needs: whether it is in a group chat, whether it
@mentions this bot, the key it is acted on once by, and what kind of message event it is; and the
span each reply within a turn is sent in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot import telemetry
from bot.chat_screen import ChatMessage
from bot.meeting_events import field, meeting_id_of

# channelData.eventType of a messageUpdate that carries edited text ('Messages in bot conversations').
EDITED = "editMessage"


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


def in_group(turn_context: TurnContext) -> bool:
    """Whether the activity comes from a chat others read (a group chat or a channel)."""
    conversation = turn_context.activity.conversation
    return bool(conversation and conversation.conversation_type in {"groupChat", "channel"})


def request_key(turn_context: TurnContext) -> str | None:
    """The key a state-changing request is acted on once by: Teams' id for the activity."""
    activity_id = turn_context.activity.id
    return f"activity:{activity_id}" if activity_id else None


def chat_message(activity: Activity, text: str | None) -> ChatMessage:
    """A message people sent each other in a group chat, as the chat screen reads it."""
    conversation = activity.conversation.id if activity.conversation else ""
    return ChatMessage(text, conversation, meeting_id_of(activity.channel_data), activity.id)


def event_type(channel_data: Any) -> str | None:
    """channelData.eventType, read from the raw payload (botbuilder's typed reading can fail)."""
    value = field(channel_data, "eventType")
    return value if isinstance(value, str) else None


async def traced_replies(
    _: TurnContext, activities: list[Activity], send_them: Callable[[], Awaitable[Any]]
) -> Any:
    """Replies sent within a turn, each batch a span of its own (an invoke's answer is not a call)."""
    if all(a.type == "invokeResponse" for a in activities):
        return await send_them()
    with telemetry.span("connector.reply", client=True, count=len(activities)):
        try:
            sent = await send_them()
        except Exception:
            telemetry.CONNECTOR.add(1, {"operation": "reply", "status": "error"})
            raise
    telemetry.CONNECTOR.add(1, {"operation": "reply", "status": "2xx"})
    return sent
