"""Reading Teams meeting events from the raw activity (botbuilder 4.17 mis-maps their members),
with keys read case-insensitively because Teams' payloads vary in casing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PARTICIPANT_JOIN = "application/vnd.microsoft.meetingParticipantJoin"
PARTICIPANT_LEAVE = "application/vnd.microsoft.meetingParticipantLeave"
MEETING_START = "application/vnd.microsoft.meetingStart"
MEETING_END = "application/vnd.microsoft.meetingEnd"
MEETING_EVENTS = frozenset({PARTICIPANT_JOIN, PARTICIPANT_LEAVE, MEETING_START, MEETING_END})
MAX_MEMBERS = 300
MAX_ID = 512


@dataclass(frozen=True)
class Participant:
    """Someone in a participant event: Entra object id (lower case) and Teams user id."""

    aad_object_id: str
    teams_id: str | None


def field(mapping: Any, name: str) -> Any:
    """A key of a JSON object, whatever its casing; None if absent or not an object."""
    if not isinstance(mapping, dict):
        return None
    wanted = name.lower()
    return next(
        (value for key, value in mapping.items() if isinstance(key, str) and key.lower() == wanted), None
    )


def meeting_id_of(channel_data: Any) -> str | None:
    """The meeting id, from channelData.meeting.id (never from the event's own value)."""
    value = field(field(channel_data, "meeting"), "id")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ID else None


def tenant_id_of(channel_data: Any) -> str | None:
    """The Entra tenant Teams names in channelData.tenant.id, which it sends on every activity."""
    value = field(field(channel_data, "tenant"), "id")
    return value if isinstance(value, str) and 0 < len(value) <= 64 else None


def participants(value: Any) -> list[Participant]:
    """The people named in a participant join or leave event; malformed members are skipped."""
    members = field(value, "members")
    if not isinstance(members, list):
        return []
    found = []
    for member in members[:MAX_MEMBERS]:
        user = field(member, "user")
        aad = field(user, "aadObjectId")
        teams_id = field(user, "id")
        if isinstance(aad, str) and 0 < len(aad) <= MAX_ID:
            found.append(
                Participant(
                    aad.lower(), teams_id if isinstance(teams_id, str) and len(teams_id) <= MAX_ID else None
                )
            )
    return found
