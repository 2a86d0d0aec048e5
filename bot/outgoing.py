"""What the panel sends to Teams, as plain values: one Adaptive Card or a line of text, and the keys
of the address book it is sent to. bot/teams turns these into Bot Framework activities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Outgoing:
    """A message for Teams: an Adaptive Card (its JSON) or plain text."""

    card: dict[str, Any] | None = None
    text: str | None = None


def card_message(content: dict[str, Any]) -> Outgoing:
    """A message carrying one Adaptive Card."""
    return Outgoing(card=content)


def text_message(text: str) -> Outgoing:
    """A message of plain text."""
    return Outgoing(text=text)


def chat_key(conversation_id: str) -> str:
    """Address-book key of a chat."""
    return f"chat:{conversation_id}"


def user_key(aad_object_id: str) -> str:
    """Address-book key of a person's 1:1 chat with the bot."""
    return f"user:{aad_object_id}"


def teams_id_key(aad_object_id: str) -> str:
    """Address-book key of a person's Teams user id (29:…), which meeting notifications need."""
    return f"teamsid:{aad_object_id}"


def meeting_key(meeting_id: str) -> str:
    """Address-book key of a meeting's conversation (for its service URL)."""
    return f"meeting:{meeting_id}"
