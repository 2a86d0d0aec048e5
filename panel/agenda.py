"""The agenda: ordered slots, their planned and projected times, and the live state of a sitting."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from panel.errors import ValidationFailed

MAX_SLOT_MINUTES = 120
MAX_EXTENSION = 60


class SlotKind(StrEnum):
    """The kind of slot, which sets its default length."""

    NEW = "new"
    UPDATE = "update"
    COMPLEX = "complex"
    CUSTOM = "custom"
    # A closed case brought back so the panel can review how it was handled: it stays closed.
    CLOSED_REVIEW = "closed_review"


@dataclass(frozen=True, slots=True)
class SlotLengths:
    """Minutes per slot kind; a force may set its own."""

    new: int = 15
    update: int = 10
    complex: int = 30
    closed_review: int = 15

    def minutes(self, kind: SlotKind) -> int:
        """The default length of a slot of this kind."""
        if kind is SlotKind.CUSTOM:
            raise ValidationFailed("A custom slot needs its minutes.")
        return {
            SlotKind.NEW: self.new,
            SlotKind.UPDATE: self.update,
            SlotKind.COMPLEX: self.complex,
            SlotKind.CLOSED_REVIEW: self.closed_review,
        }[kind]


class CallStatus(StrEnum):
    """Whether the slot's SOO has been called into the case room."""

    NOT_CALLED = "not_called"
    CALLED = "called"
    UNREACHABLE = "unreachable"


class SlotState(StrEnum):
    """Where a slot is in the sitting."""

    WAITING = "waiting"
    LIVE = "live"
    HEARD = "heard"
    NOT_REACHED = "not_reached"


@dataclass(slots=True)
class Slot:
    """One case's place on the agenda."""

    slot_id: str
    case_id: str
    case_reference: str
    kind: SlotKind
    minutes: int
    state: SlotState = SlotState.WAITING
    started_at: datetime | None = None
    ended_at: datetime | None = None
    extended_by: int = 0
    deferrals: int = 0
    call: CallStatus = CallStatus.NOT_CALLED
    soo_was_waiting: bool | None = None
    notification_failed: bool = False
    warned_ending: bool = False
    warned_overrun: bool = False
    case_card_message_id: str | None = None

    @property
    def minutes_used(self) -> int:
        """Whole minutes the slot took, rounded up; zero until it has ended."""
        if self.started_at is None or self.ended_at is None:
            return 0
        return math.ceil((self.ended_at - self.started_at).total_seconds() / 60)


@dataclass(frozen=True, slots=True)
class TimedSlot:
    """A slot with its start and end: actual for the past, planned or projected for the rest."""

    slot: Slot
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Schedule:
    """The timed agenda and whether it runs past the sitting's booked end."""

    slots: tuple[TimedSlot, ...]
    sitting_end: datetime
    projected_finish: datetime

    @property
    def overrun_minutes(self) -> int:
        """How many minutes past the booked end the agenda is projected to finish."""
        late = (self.projected_finish - self.sitting_end).total_seconds() / 60
        return max(0, math.ceil(late))

    @property
    def warning(self) -> str | None:
        """A warning to show when the agenda does not fit the sitting."""
        if self.overrun_minutes == 0:
            return None
        return (
            f"The agenda runs {self.overrun_minutes} minutes past the sitting's end: "
            "triage, shorten or defer a case."
        )


def slot_minutes(kind: SlotKind, lengths: SlotLengths, custom: int | None) -> int:
    """The minutes for a new slot: the kind's default, or the custom minutes given."""
    if kind is SlotKind.CUSTOM or custom is not None:
        if custom is None or not 1 <= custom <= MAX_SLOT_MINUTES:
            raise ValidationFailed(f"A slot is 1 to {MAX_SLOT_MINUTES} minutes.")
        return custom
    return lengths.minutes(kind)


def schedule(
    slots: Sequence[Slot], *, starts_at: datetime, ends_at: datetime, now: datetime | None
) -> Schedule:
    """Time every slot: actual times for what happened, then the rest in order from the later of
    the last end and `now` (pass `now` only while the sitting is live, so late running shows)."""
    timed: list[TimedSlot] = []
    cursor = starts_at
    for slot in slots:
        if slot.state is SlotState.HEARD and slot.started_at and slot.ended_at:
            timed.append(TimedSlot(slot, slot.started_at, slot.ended_at))
            cursor = slot.ended_at
        elif slot.state is SlotState.LIVE and slot.started_at:
            end = slot.started_at + timedelta(minutes=slot.minutes)
            if now is not None and now > end:
                end = now  # overrunning: the slot ends no earlier than now
            timed.append(TimedSlot(slot, slot.started_at, end))
            cursor = end
        else:
            if now is not None and now > cursor:
                cursor = now
            end = cursor + timedelta(minutes=slot.minutes)
            timed.append(TimedSlot(slot, cursor, end))
            cursor = end
    pending = [t for t in timed if t.slot.state is not SlotState.NOT_REACHED]
    finish = pending[-1].end if pending else starts_at
    return Schedule(slots=tuple(timed), sitting_end=ends_at, projected_finish=finish)
