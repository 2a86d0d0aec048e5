"""Running a live sitting: start, next case, extend, defer the current case, end."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from panel.agenda import Schedule, Slot, SlotKind, SlotState
from panel.case import Case, CaseStatus, Hearing, HearingOutcome
from panel.case_room import RoomCheck, room_check
from panel.errors import InvalidTransition, RoomNotClear, Superseded, ValidationFailed
from panel.need_to_know import CASE_ROOM_ROLES
from panel.ports import UnitOfWork
from panel.roles import Actor, Permission
from panel.sitting import Sitting, SittingStatus
from panel.timer import TimerAlert, due_alerts
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, always, once, retry_on_conflict


@dataclass(frozen=True)
class LiveResult:
    """The sitting after a live command: the slot closed, the slot opened, and the new timings."""

    sitting: Sitting
    schedule: Schedule
    closed: Slot | None = None
    opened: Slot | None = None
    held: RoomCheck | None = None  # the next case was not called: the case room is not right for it
    # Minutes an extension had given the deferred case: an extension is for that hearing, so it is
    # not carried to the case's later turn (the chair is told).
    dropped_minutes: int = 0


async def start_sitting(
    deps: Deps,
    actor: Actor,
    sitting_id: str,
    case_room_chat_id: str | None = None,
    request_key: str | None = None,
    case_room_meeting_id: str | None = None,
) -> LiveResult:
    """Open the sitting in its case-room chat (and, said in the meeting's chat, note the case-room
    meeting, so its join and leave events are known); only one sitting may be live at a time."""
    actor.require(Permission.RUN_SITTING)
    return await retry_on_conflict(
        lambda _: _start_once(deps, actor, sitting_id, case_room_chat_id, request_key, case_room_meeting_id)
    )


async def _start_once(
    deps: Deps,
    actor: Actor,
    sitting_id: str,
    case_room_chat_id: str | None,
    request_key: str | None,
    case_room_meeting_id: str | None = None,
) -> LiveResult:
    now = deps.clock.now()
    async with deps.uow() as uow:
        await once(uow, request_key)
        if any(s.sitting_id != sitting_id for s in await uow.sittings.find(live=True)):
            raise InvalidTransition("Another sitting is still live; end it first.")
        sitting = await uow.sittings.get(sitting_id)
        sitting.start(now)
        sitting.case_room_chat_id = case_room_chat_id
        if case_room_meeting_id and case_room_meeting_id != sitting.waiting_room_meeting_id:
            sitting.case_room_meeting_id = case_room_meeting_id
        uow.sittings.save(sitting)
        deps.audit(uow, actor, "sitting.started", sitting_id)
        await uow.commit()
    return LiveResult(sitting, sitting.schedule(now))


async def next_case(
    deps: Deps,
    actor: Actor,
    sitting_id: str,
    request_key: str | None = None,
    seen_slot: str | None = None,
    *,
    anyway: bool = False,
) -> LiveResult:
    """Close the case being heard (recording its hearing) and open the next on the agenda, if the
    case room is right for it: anyone there who should not hear it (the last SOO still in, a SOO
    in early, a conflicted member, a stranger) holds the call, which `result.held` explains,
    unless the chair calls `anyway`.

    `seen_slot` is the slot being heard on the card the chair pressed ("" for none): a press on a
    card that the sitting has moved past (a double click, a second chair) changes nothing."""
    actor.require(Permission.RUN_SITTING)
    expected = await _expected_slot(deps, sitting_id, seen_slot)
    return await retry_on_conflict(
        lambda _: _next_case_once(deps, actor, sitting_id, request_key, expected, anyway)
    )


async def _next_case_once(
    deps: Deps, actor: Actor, sitting_id: str, request_key: str | None, expected: str | None, anyway: bool
) -> LiveResult:
    now = deps.clock.now()
    async with deps.uow() as uow:
        await once(uow, request_key)
        sitting = await uow.sittings.get(sitting_id)
        _require_still_on(sitting, expected)
        upcoming = sitting.next_waiting()
        held: RoomCheck | None = None
        if upcoming is not None and sitting.in_case_room and not anyway:
            check = await _room_for(uow, sitting, upcoming, closing=sitting.current)
            held = None if check.clear else check
        if held is not None and sitting.current is None:
            raise RoomNotClear(held.in_words() + " Wait until they have left, or say **next anyway**.")
        change = sitting.next_case(now, open_next=held is None)
        if change.closed is None and change.opened is None:
            raise InvalidTransition("There are no more cases on the agenda. Say `end` to close.")
        if change.closed is not None:
            await _record_hearing(deps, uow, actor, sitting, change.closed, HearingOutcome.HEARD)
        uow.sittings.save(sitting)
        deps.audit(
            uow,
            actor,
            "sitting.next_case",
            sitting_id,
            change.opened.case_id if change.opened else "",
        )
        await uow.commit()
    return LiveResult(sitting, sitting.schedule(now), change.closed, change.opened, held)


async def _room_for(uow: UnitOfWork, sitting: Sitting, slot: Slot, closing: Slot | None = None) -> RoomCheck:
    """The room check for `slot`'s case, as it will be once `closing` is over."""
    cases = {s.case_id: await uow.cases.get(s.case_id) for s in sitting.slots}
    roster = await uow.roster.all()
    if closing is not None:
        # Judge the room as it will be: the case being closed is over.
        trial = copy.deepcopy(sitting)
        trial.slot(closing.slot_id).state = SlotState.HEARD
        return room_check(trial, cases, roster, trial.slot(slot.slot_id))
    return room_check(sitting, cases, roster, slot)


async def case_room_now(deps: Deps, sitting: Sitting) -> RoomCheck:
    """Whether the case room is right for the case being heard (or, between cases, the next)."""
    slot = sitting.current or sitting.next_waiting()
    async with deps.uow() as uow:
        if slot is None:
            return RoomCheck(None)
        return await _room_for(uow, sitting, slot)


async def record_case_room_presence(
    deps: Deps,
    meeting_id: str | None,
    chat_id: str | None,
    joined: list[str],
    left: list[str],
    everyone_left: bool = False,
) -> Sitting | None:
    """Teams says who joined or left the case-room meeting (known by its id, or by its chat): keep
    who is in the room, roster or not, for the live sitting. None when it is not the case room."""
    sitting = await live_sitting(deps)
    if sitting is None:
        return None
    by_meeting = meeting_id is not None and meeting_id == sitting.case_room_meeting_id
    by_chat = chat_id is not None and chat_id == sitting.case_room_chat_id
    if not (by_meeting or by_chat) or (meeting_id and meeting_id == sitting.waiting_room_meeting_id):
        return None

    def change(s: Sitting) -> str:
        if meeting_id and s.case_room_meeting_id is None:
            s.case_room_meeting_id = meeting_id  # the first event from the case-room chat's meeting
        for person in joined:
            s.joined_case_room(person)
        for person in list(s.in_case_room) if everyone_left else left:
            s.left_case_room(person)
        return f"+{len(joined)}-{len(left)}"

    return await deps.change_sitting(
        Actor.system("teams"), sitting.sitting_id, "sitting.case_room_presence", change, applies_while=always
    )


async def extend_slot(
    deps: Deps,
    actor: Actor,
    sitting_id: str,
    minutes: int,
    request_key: str | None = None,
    seen_slot: str | None = None,
) -> LiveResult:
    """Give the case being heard more minutes; the rest of the agenda is re-projected."""
    actor.require(Permission.RUN_SITTING)
    expected = await _expected_slot(deps, sitting_id, seen_slot)
    sitting = await deps.change_sitting(
        actor,
        sitting_id,
        "sitting.slot_extended",
        lambda s: f"{s.extend(minutes).slot_id}+{minutes}",
        request_key,
        applies_while=_still_on(expected),
    )
    return LiveResult(sitting, sitting.schedule(deps.clock.now()))


async def defer_current(
    deps: Deps, actor: Actor, sitting_id: str, request_key: str | None = None, seen_slot: str | None = None
) -> LiveResult:
    """Send the case being called to the end of the agenda (its SOO is not there yet)."""
    actor.require(Permission.RUN_SITTING)
    deferred: list[Slot] = []
    dropped: list[int] = []

    def defer(sitting: Sitting) -> str:
        if sitting.current is None:
            raise InvalidTransition("No case is being heard, so there is nothing to defer.")
        dropped.append(sitting.current.extended_by)
        deferred.append(sitting.defer(sitting.current.slot_id))
        return deferred[-1].case_id

    expected = await _expected_slot(deps, sitting_id, seen_slot)
    sitting = await deps.change_sitting(
        actor, sitting_id, "sitting.case_deferred", defer, request_key, applies_while=_still_on(expected)
    )
    return LiveResult(
        sitting, sitting.schedule(deps.clock.now()), closed=deferred[-1], dropped_minutes=dropped[-1]
    )


async def end_sitting(
    deps: Deps, actor: Actor, sitting_id: str, request_key: str | None = None
) -> LiveResult:
    """Close the sitting; cases not reached are recorded so they can be offered for the next."""
    actor.require(Permission.RUN_SITTING)
    return await retry_on_conflict(lambda _: _end_once(deps, actor, sitting_id, request_key))


async def _end_once(deps: Deps, actor: Actor, sitting_id: str, request_key: str | None) -> LiveResult:
    now = deps.clock.now()
    async with deps.uow() as uow:
        await once(uow, request_key)
        sitting = await uow.sittings.get(sitting_id)
        change = sitting.end(now)
        if change.closed is not None:
            await _record_hearing(deps, uow, actor, sitting, change.closed, HearingOutcome.HEARD)
        for slot in sitting.not_reached():
            await _record_hearing(deps, uow, actor, sitting, slot, HearingOutcome.NOT_REACHED)
        uow.sittings.save(sitting)
        deps.audit(uow, actor, "sitting.ended", sitting_id)
        await uow.commit()
    return LiveResult(sitting, sitting.schedule(now), change.closed)


async def todays_sitting(deps: Deps, *, or_ended: bool = False) -> Sitting | None:
    """The sitting to run now: the live one, else the first one today not yet ended; with
    `or_ended`, else the last one today that has ended (so people are shown its summary)."""
    async with deps.uow() as uow:
        live = await uow.sittings.find(live=True)
        if live:
            return live[0]
        today = deps.today()
        candidates = [s for s in await uow.sittings.find(on_or_after=today) if s.sitting_date == today]
    scheduled = next((s for s in candidates if s.status is SittingStatus.SCHEDULED), None)
    if scheduled is not None or not or_ended:
        return scheduled
    ended = [s for s in candidates if s.status is SittingStatus.ENDED]
    return ended[-1] if ended else None


async def take_timer_alerts(deps: Deps, sitting_id: str) -> tuple[Sitting, list[TimerAlert]]:
    """Alerts due now for the live slot, each given once (marked before it is sent)."""
    alerts: list[TimerAlert] = []

    def change(s: Sitting) -> str:
        alerts.extend(due_alerts(s, deps.clock.now()))
        return ",".join(a.kind.value for a in alerts)

    async with deps.uow() as uow:
        peek = await uow.sittings.get(sitting_id)
    if not due_alerts(peek, deps.clock.now()):
        return peek, []
    alerts.clear()  # re-applied after a conflict: only the last attempt's alerts count
    sitting = await deps.change_sitting(
        Actor.system("timer"), sitting_id, "sitting.timer_alert", change, applies_while=always
    )
    return sitting, alerts


async def live_sitting(deps: Deps) -> Sitting | None:
    """The sitting that is live now, if any (so a restarted app resumes it)."""
    async with deps.uow() as uow:
        live = await uow.sittings.find(live=True)
    return live[0] if live else None


async def _expected_slot(deps: Deps, sitting_id: str, seen_slot: str | None) -> str | None:
    """Where the chair saw the sitting: on the card they pressed, or (a typed command) where it is now."""
    if seen_slot is not None:
        return seen_slot or None
    async with deps.uow() as uow:
        current = (await uow.sittings.get(sitting_id)).current
    return current.slot_id if current else None


def _still_on(slot_id: str | None) -> Callable[[Sitting], bool]:
    """A chair's command applies only while the case they saw is still the one being heard."""

    def check(sitting: Sitting) -> bool:
        return (sitting.current.slot_id if sitting.current else None) == slot_id

    return check


def _require_still_on(sitting: Sitting, slot_id: str | None) -> None:
    if not _still_on(slot_id)(sitting):
        raise Superseded("Someone else moved the sitting on at the same moment.")


async def _record_hearing(
    deps: Deps, uow: UnitOfWork, actor: Actor, sitting: Sitting, slot: Slot, outcome: HearingOutcome
) -> Case:
    case = await uow.cases.get(slot.case_id)
    if outcome is HearingOutcome.HEARD and any(
        h.sitting_id == sitting.sitting_id and h.outcome is HearingOutcome.HEARD for h in case.hearings
    ):
        # This hearing was closed already, by a press another instance saved after this one read the
        # sitting: the sitting has moved on (its save would be refused anyway), not a wrong state.
        raise Superseded("Someone else moved the sitting on at the same moment.")
    case.hearings.append(
        Hearing(
            sitting_id=sitting.sitting_id,
            sitting_date=sitting.sitting_date,
            slot_kind=slot.kind.value,
            minutes_allotted=slot.minutes,
            minutes_used=slot.minutes_used,
            outcome=outcome,
        )
    )
    if (
        outcome is HearingOutcome.HEARD
        and slot.state is SlotState.HEARD
        and slot.kind is not SlotKind.CLOSED_REVIEW
    ):
        now = deps.clock.now()
        case.move_to(CaseStatus.HEARD, by=actor.actor_id, at=now)
        if any(not a.settled for a in case.actions):
            case.move_to(CaseStatus.AWAITING_ACTIONS, by=actor.actor_id, at=now)
    uow.cases.save(case)
    return case


async def mark_attendance(
    deps: Deps, actor: Actor, sitting_id: str, people: list[str], request_key: str | None = None
) -> Sitting:
    """The administrator ticks who attended the sitting's case room (where Teams' events do not
    say): the list as ticked replaces the one before, so a wrong tick can be taken back."""
    actor.require(Permission.MARK_ATTENDANCE)
    async with deps.uow() as uow:
        roster = await uow.roster.all()
    tickable = {m.aad_object_id for m in roster if m.active and m.roles & CASE_ROOM_ROLES}
    if not people or any(p not in tickable for p in people):  # forged or stale ticks record nothing
        raise ValidationFailed("Tick people from the panel's list.")

    def change(s: Sitting) -> str:
        # The panel's part of the list is as ticked; SOOs seen joining stay.
        s.attended[:] = [p for p in s.attended if p not in tickable] + list(dict.fromkeys(people))
        return str(len(s.attended))

    return await deps.change_sitting(
        actor, sitting_id, "sitting.attendance_marked", change, request_key, applies_while=always
    )


Heard = tuple[Sitting, Slot]


async def heard_now(deps: Deps) -> Heard | None:
    """The live sitting and the slot being heard in it, if a case is being heard."""
    sitting = await live_sitting(deps)
    if sitting is None or sitting.current is None:
        return None
    return sitting, sitting.current


async def the_case_heard(
    uow: UnitOfWork, actor: Actor, reference: str, heard: Heard | None, refusal: str
) -> Case:
    """The case by its reference for someone not conflicted, refused (with `refusal`) unless it is
    the one being heard: notes, reviews and proposals are made during a case's own hearing."""
    case = await uow.cases.by_reference(reference)
    require_no_conflict(actor, case)
    if heard is None or heard[1].case_id != case.case_id:
        raise ValidationFailed(refusal)
    return case
