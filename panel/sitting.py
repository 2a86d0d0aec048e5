"""A sitting: one monthly panel meeting with its agenda, its two Teams meetings and its live state."""

from __future__ import annotations

import base64
import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from urllib.parse import parse_qs, unquote, urlsplit

from panel.agenda import MAX_EXTENSION, Schedule, Slot, SlotState, schedule
from panel.errors import InvalidTransition, NotFound, ValidationFailed

DEFAULT_LENGTH_MINUTES = 180
_MEETING_ID = re.compile(r"[A-Za-z0-9:_\-=+/@.]{8,500}")


class SittingStatus(StrEnum):
    """Before, during, after."""

    SCHEDULED = "scheduled"
    LIVE = "live"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Attendance:
    """A roster member's presence in one of the sitting's meetings."""

    actor_id: str
    joined_at: datetime
    left_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FlaggedMessage:
    """A message in one of the sitting's chats that the identity guard refused: who posted it and
    when, so the chair can ask for it to be deleted. Never what it said."""

    actor_id: str
    at: datetime
    room: str  # "case-room" or "waiting-room", as the chair's note says it


@dataclass(frozen=True, slots=True)
class SlotChange:
    """What a live command did to the agenda: the slot it closed and the slot it opened."""

    closed: Slot | None
    opened: Slot | None


@dataclass(slots=True)
class Sitting:
    """One sitting of the panel."""

    sitting_id: str
    sitting_date: date
    start_local: time
    starts_at: datetime
    length_minutes: int
    created_by: str
    case_room_link: str | None = None
    waiting_room_meeting_id: str | None = None
    status: SittingStatus = SittingStatus.SCHEDULED
    started_at: datetime | None = None
    ended_at: datetime | None = None
    slots: list[Slot] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    case_room_chat_id: str | None = None
    control_message_id: str | None = None
    # Who Teams lists in each room's chat without belonging there, by display name (staff and
    # guests, never parties): shown to the chair alone, so they can be removed before a case.
    case_room_outsiders: list[str] = field(default_factory=list)
    waiting_room_outsiders: list[str] = field(default_factory=list)
    rooms_checked_at: datetime | None = None
    # The case-room meeting itself: its id (from the chair's `start` or its first event) and who is
    # in it now, by Entra object id, roster or not. Only the chair's view turns ids into names.
    case_room_meeting_id: str | None = None
    in_case_room: list[str] = field(default_factory=list)
    # When each SOO whose case is over was asked to leave, and who has been asked a second time.
    asked_to_leave: dict[str, datetime] = field(default_factory=dict)
    reminded_to_leave: list[str] = field(default_factory=list)
    # Who attended the case room during the sitting (seen there, or ticked by the administrator).
    attended: list[str] = field(default_factory=list)
    # Messages in the sitting's chats that should be deleted (the chair is told who and when).
    to_delete: list[FlaggedMessage] = field(default_factory=list)
    # Feedback on the panel (panel.feedback): counts by the quarter each answer was given in, and,
    # apart from them, keyed hashes of who answered, so nobody is counted twice.
    feedback: dict[str, int] = field(default_factory=dict)
    feedback_from: list[str] = field(default_factory=list)
    version: int = 0

    @property
    def ends_at(self) -> datetime:
        """The booked end of the sitting."""
        return self.starts_at + timedelta(minutes=self.length_minutes)

    @property
    def current(self) -> Slot | None:
        """The slot being heard now, if any."""
        return next((s for s in self.slots if s.state is SlotState.LIVE), None)

    def schedule(self, now: datetime | None = None) -> Schedule:
        """Planned times before the sitting, projected times while it is live, actual after."""
        live_now = now if self.status is SittingStatus.LIVE else None
        return schedule(self.slots, starts_at=self.starts_at, ends_at=self.ends_at, now=live_now)

    def slot(self, slot_id: str) -> Slot:
        """Find a slot on this agenda."""
        for candidate in self.slots:
            if candidate.slot_id == slot_id:
                return candidate
        raise NotFound("That slot is not on this sitting's agenda.")

    def slot_for_case(self, case_id: str) -> Slot | None:
        """The case's slot on this agenda, if it has one."""
        return next((s for s in self.slots if s.case_id == case_id), None)

    # --- building the agenda -------------------------------------------------------------

    def add_slot(self, slot: Slot) -> None:
        """Put a case at the end of the agenda, once."""
        self._require_not_ended()
        if self.slot_for_case(slot.case_id) is not None:
            raise ValidationFailed(f"Case {slot.case_reference} is already on this agenda.")
        self.slots.append(slot)

    def move(self, slot_id: str, position: int) -> None:
        """Move a waiting slot to a new 1-based position among the waiting slots."""
        self._require_not_ended()
        slot = self._waiting(slot_id)
        waiting = [s for s in self.slots if s.state is SlotState.WAITING and s is not slot]
        if not 1 <= position <= len(waiting) + 1:
            raise ValidationFailed(f"Position must be between 1 and {len(waiting) + 1}.")
        waiting.insert(position - 1, slot)
        self.slots = [s for s in self.slots if s.state is not SlotState.WAITING] + waiting

    def remove(self, slot_id: str) -> Slot:
        """Take a waiting slot off the agenda."""
        self._require_not_ended()
        slot = self._waiting(slot_id)
        self.slots.remove(slot)
        return slot

    def defer(self, slot_id: str) -> Slot:
        """Send a waiting or live slot to the end of the agenda (e.g. its SOO is not there yet)."""
        self._require_not_ended()
        slot = self.slot(slot_id)
        if slot.state not in (SlotState.WAITING, SlotState.LIVE):
            raise InvalidTransition(f"Case {slot.case_reference} has already been heard.")
        self.slots.remove(slot)
        slot.state, slot.started_at, slot.deferrals = SlotState.WAITING, None, slot.deferrals + 1
        # Heard later, it starts again with the slot it was given: an extension was for that hearing.
        slot.minutes -= slot.extended_by
        slot.extended_by = 0
        self.slots.append(slot)
        return slot

    # --- running the sitting -------------------------------------------------------------

    def start(self, now: datetime) -> None:
        """Open the sitting."""
        if self.status is not SittingStatus.SCHEDULED:
            raise InvalidTransition(f"The sitting is already {self.status.value}.")
        self.status, self.started_at = SittingStatus.LIVE, now

    def next_case(self, now: datetime, *, open_next: bool = True) -> SlotChange:
        """Close the live slot (recording its actual minutes) and, unless held back because the
        room is not right, open the next waiting one."""
        self._require_live()
        closed = self.current
        if closed is not None:
            closed.state, closed.ended_at = SlotState.HEARD, now
        opened = next((s for s in self.slots if s.state is SlotState.WAITING), None) if open_next else None
        if opened is not None:
            opened.state, opened.started_at = SlotState.LIVE, now
        return SlotChange(closed=closed, opened=opened)

    def joined_case_room(self, actor_id: str) -> None:
        """Someone joined the case-room meeting."""
        if actor_id not in self.in_case_room:
            self.in_case_room.append(actor_id)
        if actor_id not in self.attended:
            self.attended.append(actor_id)

    def left_case_room(self, actor_id: str) -> None:
        """Someone left the case-room meeting."""
        if actor_id in self.in_case_room:
            self.in_case_room.remove(actor_id)

    def extend(self, minutes: int) -> Slot:
        """Give the live slot more minutes; the rest of the agenda is re-projected from it."""
        self._require_live()
        if not 1 <= minutes <= MAX_EXTENSION:
            raise ValidationFailed(f"Extend by 1 to {MAX_EXTENSION} minutes.")
        slot = self.current
        if slot is None:
            raise InvalidTransition("No case is being heard, so there is nothing to extend.")
        slot.minutes += minutes
        slot.extended_by += minutes
        slot.warned_ending = slot.warned_overrun = False  # a new end: warn again before it
        return slot

    def end(self, now: datetime) -> SlotChange:
        """Close the sitting: the live slot is heard, cases still waiting were not reached."""
        self._require_live()
        closed = self.current
        if closed is not None:
            closed.state, closed.ended_at = SlotState.HEARD, now
        for slot in self.slots:
            if slot.state is SlotState.WAITING:
                slot.state = SlotState.NOT_REACHED
        self.status, self.ended_at = SittingStatus.ENDED, now
        return SlotChange(closed=closed, opened=None)

    def joined_waiting_room(self, actor_id: str, at: datetime) -> None:
        """Someone joined the waiting-room meeting."""
        if actor_id not in self.waiting:
            self.waiting.append(actor_id)
            self.attendance.append(Attendance(actor_id, joined_at=at))

    def left_waiting_room(self, actor_id: str, at: datetime) -> None:
        """Someone left the waiting-room meeting."""
        if actor_id in self.waiting:
            self.waiting.remove(actor_id)
            for index in range(len(self.attendance) - 1, -1, -1):
                record = self.attendance[index]
                if record.actor_id == actor_id and record.left_at is None:
                    self.attendance[index] = Attendance(actor_id, record.joined_at, at)
                    break

    def position(self) -> tuple[int, int]:
        """How many of the agenda's cases have been called so far, this one included, and how many
        there are (0 before the first): the second case called is "case 2 of 7" even when the first
        was sent to the end; a deferred case called again adds nothing, having been counted already."""
        current = self.current
        if current is None:
            return 0, len(self.slots)
        done = sum(1 for s in self.slots if s.state is SlotState.HEARD)
        if current.deferrals:
            return done + 1, len(self.slots)
        waiting_after_a_call = sum(1 for s in self.slots if s.state is SlotState.WAITING and s.deferrals)
        return min(len(self.slots), done + 1 + waiting_after_a_call), len(self.slots)

    def next_waiting(self) -> Slot | None:
        """The slot that will be heard after the current one."""
        return next((s for s in self.slots if s.state is SlotState.WAITING), None)

    def not_reached(self) -> list[Slot]:
        """Slots the sitting did not reach, to offer for the next one."""
        return [s for s in self.slots if s.state is SlotState.NOT_REACHED]

    def _waiting(self, slot_id: str) -> Slot:
        slot = self.slot(slot_id)
        if slot.state is not SlotState.WAITING:
            raise InvalidTransition(
                f"Case {slot.case_reference} is {slot.state.value.replace('_', ' ')}; "
                "only waiting cases can be moved or removed."
            )
        return slot

    def _require_live(self) -> None:
        if self.status is not SittingStatus.LIVE:
            raise InvalidTransition(f"The sitting is {self.status.value}, not live.")

    def _require_not_ended(self) -> None:
        if self.status is SittingStatus.ENDED:
            raise InvalidTransition("The sitting has ended; its agenda can no longer change.")


# Teams meeting join links, in the commercial and government clouds: the classic form carries the
# meeting's thread id and a context of two GUIDs; the short form a meeting number and passcode.
TEAMS_HOSTS = frozenset(
    {"teams.microsoft.com", "teams.live.com", "gov.teams.microsoft.us", "dod.teams.microsoft.us"}
)
_CLASSIC_JOIN = re.compile(
    r"/l/meetup-join/19(?::|%3[aA])meeting_[A-Za-z0-9_\-]{8,200}(?:@|%40)thread\.v2/\d{1,20}"
)
_SHORT_JOIN = re.compile(r"/meet/\d{6,20}")
_GUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_CONTEXT = re.compile(rf'\{{"Tid":"{_GUID}"(?:,"Oid":"{_GUID}")?\}}')
_PASSCODE = re.compile(r"[A-Za-z0-9]{1,32}")
MAX_LINK = 2000


def validate_case_room_link(link: str) -> str:
    """Only a Teams meeting join link is accepted: it is sent to SOOs and shown on cards, so it
    must not carry anything else (a name in an address, another site). Its parts are checked one
    by one; nothing in it is free text."""
    link = link.strip()
    refused = ValidationFailed(
        "The case-room link must be the Teams meeting's join link "
        "(https://teams.microsoft.com/l/meetup-join/… or https://teams.microsoft.com/meet/…)."
    )
    if len(link) > MAX_LINK or not link.isascii() or any(c.isspace() for c in link):
        raise refused
    parts = urlsplit(link)
    if parts.scheme != "https" or parts.hostname not in TEAMS_HOSTS or parts.port or parts.username:
        raise refused
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    if _CLASSIC_JOIN.fullmatch(parts.path):
        allowed = {"context"}
        if any(not _CONTEXT.fullmatch(v.replace(" ", "")) for v in query.get("context", [])):
            raise refused
    elif _SHORT_JOIN.fullmatch(parts.path):
        allowed = {"p"}
        if any(not _PASSCODE.fullmatch(v) for v in query.get("p", [])):
            raise refused
    else:
        raise refused
    if set(query) - allowed or parts.fragment:
        raise refused
    return link


def validate_meeting_id(meeting_id: str) -> str:
    """A Teams meeting id is an opaque token; refuse anything that is plainly not one."""
    meeting_id = meeting_id.strip()
    if not _MEETING_ID.fullmatch(meeting_id):
        raise ValidationFailed("The waiting-room meeting id is not a Teams meeting id.")
    return meeting_id


_THREAD = re.compile(r"19:meeting_[A-Za-z0-9_\-]{4,200}@thread\.(?:v2|skype|tacv2)")


def meeting_thread(text: str) -> str | None:
    """The Teams meeting thread ("19:meeting_…@thread.v2") a join link or meeting id names, if it
    can be read: a link carries it URL-escaped, a meeting id base64-encoded."""
    found = _THREAD.search(unquote(text))
    if found:
        return found.group()
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        padded = text + "=" * (-len(text) % 4)
        decoded = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=False).decode("utf-8")
        found = _THREAD.search(decoded)
    return found.group() if found else None


def same_meeting(case_room_link: str, waiting_room_meeting_id: str) -> bool:
    """Whether the case-room link and the waiting-room meeting id are the same meeting (the two
    rooms must be different meetings, or a waiting SOO hears the case before theirs)."""
    room, waiting = meeting_thread(case_room_link), meeting_thread(waiting_room_meeting_id)
    return room is not None and room == waiting


def validate_length(minutes: int) -> int:
    """A sitting is between 30 minutes and 8 hours."""
    if not 30 <= minutes <= 480:
        raise ValidationFailed("A sitting lasts 30 to 480 minutes.")
    return minutes
