"""Running a live sitting: start, next case, extend, defer the current case, end."""

from __future__ import annotations

from dataclasses import dataclass

from panel.agenda import Schedule, Slot, SlotState
from panel.case import Case, CaseStatus, Hearing, HearingOutcome
from panel.errors import InvalidTransition
from panel.ports import UnitOfWork
from panel.roles import Actor, Permission
from panel.sitting import Sitting
from panel.usecases.deps import Deps


@dataclass(frozen=True)
class LiveResult:
    """The sitting after a live command: the slot closed, the slot opened, and the new timings."""

    sitting: Sitting
    schedule: Schedule
    closed: Slot | None = None
    opened: Slot | None = None


async def start_sitting(deps: Deps, actor: Actor, sitting_id: str) -> LiveResult:
    """Open the sitting; only one sitting may be live at a time."""
    actor.require(Permission.RUN_SITTING)
    now = deps.clock.now()
    async with deps.uow() as uow:
        if any(s.sitting_id != sitting_id for s in await uow.sittings.find(live=True)):
            raise InvalidTransition("Another sitting is still live; end it first.")
        sitting = await uow.sittings.get(sitting_id)
        sitting.start(now)
        uow.sittings.save(sitting)
        deps.audit(uow, actor, "sitting.started", sitting_id)
        await uow.commit()
    return LiveResult(sitting, sitting.schedule(now))


async def next_case(deps: Deps, actor: Actor, sitting_id: str) -> LiveResult:
    """Close the case being heard (recording its hearing) and open the next on the agenda."""
    actor.require(Permission.RUN_SITTING)
    now = deps.clock.now()
    async with deps.uow() as uow:
        sitting = await uow.sittings.get(sitting_id)
        change = sitting.next_case(now)
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
    return LiveResult(sitting, sitting.schedule(now), change.closed, change.opened)


async def extend_slot(deps: Deps, actor: Actor, sitting_id: str, minutes: int) -> LiveResult:
    """Give the case being heard more minutes; the rest of the agenda is re-projected."""
    actor.require(Permission.RUN_SITTING)
    sitting = await deps.change_sitting(
        actor, sitting_id, "sitting.slot_extended", lambda s: f"{s.extend(minutes).slot_id}+{minutes}"
    )
    return LiveResult(sitting, sitting.schedule(deps.clock.now()))


async def defer_current(deps: Deps, actor: Actor, sitting_id: str) -> LiveResult:
    """Send the case being called to the end of the agenda (its SOO is not there yet)."""
    actor.require(Permission.RUN_SITTING)
    deferred: list[Slot] = []

    def defer(sitting: Sitting) -> str:
        if sitting.current is None:
            raise InvalidTransition("No case is being heard, so there is nothing to defer.")
        deferred.append(sitting.defer(sitting.current.slot_id))
        return deferred[0].case_id

    sitting = await deps.change_sitting(actor, sitting_id, "sitting.case_deferred", defer)
    return LiveResult(sitting, sitting.schedule(deps.clock.now()), closed=deferred[0])


async def end_sitting(deps: Deps, actor: Actor, sitting_id: str) -> LiveResult:
    """Close the sitting; cases not reached are recorded so they can be offered for the next."""
    actor.require(Permission.RUN_SITTING)
    now = deps.clock.now()
    async with deps.uow() as uow:
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


async def live_sitting(deps: Deps) -> Sitting | None:
    """The sitting that is live now, if any (so a restarted app resumes it)."""
    async with deps.uow() as uow:
        live = await uow.sittings.find(live=True)
    return live[0] if live else None


async def _record_hearing(
    deps: Deps, uow: UnitOfWork, actor: Actor, sitting: Sitting, slot: Slot, outcome: HearingOutcome
) -> Case:
    case = await uow.cases.get(slot.case_id)
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
    if outcome is HearingOutcome.HEARD and slot.state is SlotState.HEARD:
        now = deps.clock.now()
        case.move_to(CaseStatus.HEARD, by=actor.actor_id, at=now)
        if any(not a.settled for a in case.actions):
            case.move_to(CaseStatus.AWAITING_ACTIONS, by=actor.actor_id, at=now)
    uow.cases.save(case)
    return case
