"""What each SOO needs to know about a live sitting, now: one up-to-date status per SOO, covering
all their cases on it in slot order, worked out from the agenda alone.

The bot keeps one message per SOO per sitting in step with this: a new message (which notifies)
when there is something to do, the same message edited when only the times move.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum

from panel.agenda import SlotState
from panel.case import Case
from panel.clock import to_london
from panel.sitting import Sitting, SittingStatus

# Expected times are rounded to five minutes: a projection that moves by a minute is no news.
ROUND_TO = timedelta(minutes=5)


class Urgency(IntEnum):
    """How much a SOO's status asks of them; a rise is worth a new message."""

    DONE = 0  # nothing more today: heard, not reached, or the sitting has ended
    WAITING = 1  # a case later in the sitting
    NEXT = 2  # a case is next
    CALLED = 3  # a case is being heard: join the case room now


@dataclass(frozen=True)
class SooLine:
    """One of the SOO's cases on the sitting, in words."""

    reference: str
    status: str


@dataclass(frozen=True)
class SooStatus:
    """One SOO's status for a sitting: a headline, a line per case, and how urgent it is."""

    soo_id: str
    headline: str
    lines: tuple[SooLine, ...]
    urgency: Urgency
    called_reference: str | None = None  # the case being heard now, with the way in
    called_minutes: int = 0


def soo_statuses(sitting: Sitting, cases: Mapping[str, Case], now: datetime) -> dict[str, SooStatus]:
    """Each SOO's status, for every SOO with a case on this sitting (a conflicted SOO is left out)."""
    schedule = sitting.schedule(now)
    upcoming = sitting.next_waiting()
    ended = sitting.status is SittingStatus.ENDED
    per_soo: dict[str, list[tuple[SooLine, Urgency, int]]] = {}
    waiting = [t.slot for t in schedule.slots if t.slot.state is SlotState.WAITING]
    for timed in schedule.slots:
        slot, case = timed.slot, cases.get(timed.slot.case_id)
        if case is None or case.soo_id is None or case.conflicted(case.soo_id):
            continue
        reference = slot.case_reference
        # Never a time already past: a projection behind the clock is "now-ish", not "04:10" at 04:11.
        expected = _about(max(timed.start, now))
        if slot.state is SlotState.LIVE:
            line = SooLine(reference, "being heard now: join the case room")
            urgency = Urgency.CALLED
        elif slot.state is SlotState.HEARD:
            line, urgency = (
                # When it was heard from, as the case-room chat's card says it: one time, not two.
                SooLine(reference, f"heard at {to_london(timed.start):%H:%M}. Thank you."),
                Urgency.DONE,
            )
        elif slot.state is SlotState.NOT_REACHED or ended:
            line = SooLine(reference, "not reached today: the coordinator will list it again")
            urgency = Urgency.DONE
        elif slot is upcoming and sitting.current is not None:
            line = SooLine(reference, f"next, expected about {expected}: be in the waiting room")
            urgency = Urgency.NEXT
        elif slot.deferrals:
            place = _ordinal(waiting.index(slot) + 1)
            line = SooLine(
                reference,
                f"moved later in the sitting: {place} in the queue, expected about {expected}; "
                "stay in the waiting room",
            )
            urgency = Urgency.WAITING
        elif sitting.status is SittingStatus.LIVE:
            place = _ordinal(waiting.index(slot) + 1)
            line = SooLine(
                reference, f"{place} in the queue, expected about {expected}: be in the waiting room"
            )
            urgency = Urgency.WAITING
        else:
            join_at = timed.start - timedelta(minutes=15)
            join = (
                f"join the waiting room by {_about(join_at)}"
                if join_at > now
                else "join the waiting room now"
            )
            line = SooLine(reference, f"expected about {expected}: {join}")
            urgency = Urgency.WAITING
        per_soo.setdefault(case.soo_id, []).append((line, urgency, slot.minutes))
    return {soo: _status(soo, entries, ended) for soo, entries in per_soo.items()}


def _status(soo: str, entries: list[tuple[SooLine, Urgency, int]], ended: bool) -> SooStatus:
    urgency = max(u for _, u, _ in entries)
    lines = tuple(line for line, _, _ in entries)
    top = next((line, minutes) for line, u, minutes in entries if u is urgency)
    if urgency is Urgency.CALLED:
        headline = f"The panel is ready for case {top[0].reference}"
        return SooStatus(soo, headline, lines, urgency, top[0].reference, top[1])
    if urgency is Urgency.NEXT:
        headline = f"You are next: case {top[0].reference}"
    elif urgency is Urgency.WAITING and any("moved later" in line.status for line in lines):
        headline = "Moved later in the sitting: stay in the waiting room"
    elif urgency is Urgency.WAITING:
        headline = "The sitting has started" if len(lines) == 1 else "The sitting has started: your cases"
    else:
        headline = "Today's sitting has ended" if ended else "Nothing more for you today"
    return SooStatus(soo, headline, lines, urgency)


def _about(moment: datetime) -> str:
    """A London time rounded up to five minutes: "10:40" (up, so it is never already past)."""
    local = to_london(moment)
    minutes = local.hour * 60 + local.minute + (1 if local.second or local.microsecond else 0)
    step = int(ROUND_TO.total_seconds() // 60)
    rounded = (-(-minutes // step) * step) % (24 * 60)
    return f"{rounded // 60:02d}:{rounded % 60:02d}"


def _ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
