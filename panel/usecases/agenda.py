"""Sittings and their agenda: create, list a case, move, remove, triage, carry forward."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, time, timedelta

from panel.agenda import Schedule, Slot, SlotKind, SlotState, slot_minutes
from panel.case import LISTABLE, CaseStatus
from panel.clock import london_to_utc, to_london
from panel.errors import InvalidTransition, ValidationFailed
from panel.ports import Notice, NoticeKind, UnitOfWork
from panel.reference import ALPHABET
from panel.roles import Actor, Permission
from panel.sitting import (
    DEFAULT_LENGTH_MINUTES,
    Sitting,
    SittingStatus,
    same_meeting,
    validate_case_room_link,
    validate_length,
    validate_meeting_id,
)
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once


@dataclass(frozen=True)
class SittingForm:
    """What the coordinator enters to create a sitting."""

    sitting_date: date
    start: time
    length_minutes: int = DEFAULT_LENGTH_MINUTES
    case_room_link: str | None = None
    waiting_room_meeting_id: str | None = None


@dataclass(frozen=True)
class AgendaResult:
    """The sitting after a change, with its timed agenda (and overrun warning, if any)."""

    sitting: Sitting
    schedule: Schedule
    added: int = 0  # how many cases a carry-forward put on the agenda


async def create_sitting(
    deps: Deps, actor: Actor, form: SittingForm, request_key: str | None = None
) -> Sitting:
    """Create a sitting; its id is its date, with a letter added if the day already has one."""
    actor.require(Permission.CREATE_SITTING)
    if form.sitting_date < deps.today():
        raise ValidationFailed("A sitting cannot be created in the past.")
    starts_at = london_to_utc(form.sitting_date, form.start)
    link = validate_case_room_link(form.case_room_link) if form.case_room_link else None
    meeting = validate_meeting_id(form.waiting_room_meeting_id) if form.waiting_room_meeting_id else None
    if link and meeting and same_meeting(link, meeting):
        raise ValidationFailed(
            "The waiting room must be a different meeting from the case room: SOOs wait there while "
            "other cases are heard."
        )
    async with deps.uow() as uow:
        await once(uow, request_key)
        # Both are shown to every member of the meeting chat; neither may carry an identity.
        guard = await deps.guard(uow)
        if link:
            guard.check_link(link)
        if meeting:
            guard.check_link(meeting)
        sitting = Sitting(
            sitting_id=await _free_sitting_id(uow, form.sitting_date),
            sitting_date=form.sitting_date,
            start_local=form.start,
            starts_at=starts_at,
            length_minutes=validate_length(form.length_minutes),
            created_by=actor.actor_id,
            case_room_link=link,
            waiting_room_meeting_id=meeting,
        )
        uow.sittings.add(sitting)
        deps.audit(uow, actor, "sitting.created", sitting.sitting_id)
        await uow.commit()
    return sitting


async def list_case(
    deps: Deps,
    actor: Actor,
    sitting_id: str,
    reference: str,
    kind: SlotKind,
    custom_minutes: int | None = None,
    request_key: str | None = None,
) -> AgendaResult:
    """Put a case on a sitting's agenda with a slot of its kind (or custom minutes)."""
    actor.require(Permission.MANAGE_AGENDA)
    minutes = slot_minutes(kind, deps.config.slot_lengths, custom_minutes)
    async with deps.uow() as uow:
        await once(uow, request_key)
        sitting = await uow.sittings.get(sitting_id)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        review = kind is SlotKind.CLOSED_REVIEW
        if review and case.status is not CaseStatus.CLOSED:
            raise ValidationFailed(
                f"Case {case.reference} is not closed: only a closed case has a closed-case review."
            )
        if not review and case.status not in LISTABLE and case.status is not CaseStatus.LISTED:
            closed = " List it as a closed-case review." if case.status is CaseStatus.CLOSED else ""
            status = case.status.value.replace("_", " ")
            raise InvalidTransition(f"Case {case.reference} is {status} and cannot be listed.{closed}")
        if case.soo_id is None and not review:
            raise ValidationFailed(f"Case {case.reference} has no SOO yet; appoint one first.")
        elsewhere = await _listed_elsewhere(uow, case.case_id, sitting.sitting_id, deps.today())
        if elsewhere is not None:
            raise InvalidTransition(
                f"Case {case.reference} is already on the agenda of the sitting on "
                f"{to_london(elsewhere.starts_at):%A %d %B %Y}. Take it off that agenda first."
            )
        slot = Slot(deps.new_id()[:12], case.case_id, case.reference, kind, minutes)
        sitting.add_slot(slot)
        if not review:  # a closed case reviewed stays closed unless the panel reopens it
            case.move_to(CaseStatus.LISTED, by=actor.actor_id, at=deps.clock.now())
        uow.sittings.save(sitting)
        uow.cases.save(case)
        deps.audit(uow, actor, "agenda.case_listed", sitting.sitting_id, case.case_id, case=case)
        await uow.commit()
    schedule = sitting.schedule(deps.clock.now())
    starts = next(t.start for t in schedule.slots if t.slot is slot)
    if case.soo_id is None:  # a closed case reviewed without a SOO: nobody to tell
        return AgendaResult(sitting, schedule)
    await deps.notifier.send(
        Notice(
            NoticeKind.SLOT_BOOKED,
            case.soo_id,
            case.reference,
            (
                ("Sitting", f"{to_london(sitting.starts_at):%A %d %B %Y}"),
                (
                    "Planned slot",
                    f"{to_london(starts):%H:%M} (London), {slot.kind.value}, {slot.minutes} min",
                ),
                ("Before it", "update the case form"),
            ),
        )
    )
    return AgendaResult(sitting, schedule)


async def move_slot(
    deps: Deps, actor: Actor, sitting_id: str, slot_id: str, position: int, request_key: str | None = None
) -> AgendaResult:
    """Move a waiting case to a new position on the agenda."""
    actor.require(Permission.MANAGE_AGENDA)

    def move(sitting: Sitting) -> str:
        sitting.move(slot_id, position)
        return slot_id

    sitting = await deps.change_sitting(actor, sitting_id, "agenda.slot_moved", move, request_key)
    return AgendaResult(sitting, sitting.schedule(deps.clock.now()))


async def defer_slot(deps: Deps, actor: Actor, sitting_id: str, slot_id: str) -> AgendaResult:
    """Send a case to the end of the agenda."""
    actor.require(Permission.MANAGE_AGENDA)
    sitting = await deps.change_sitting(
        actor, sitting_id, "agenda.slot_deferred", lambda s: s.defer(slot_id).slot_id
    )
    return AgendaResult(sitting, sitting.schedule(deps.clock.now()))


async def remove_slot(
    deps: Deps,
    actor: Actor,
    sitting_id: str,
    slot_id: str,
    triage_reason: str | None = None,
    request_key: str | None = None,
) -> AgendaResult:
    """Take a case off the agenda (triage, with a reason that passes the identity guard)."""
    actor.require(Permission.TRIAGE_CASE if triage_reason else Permission.MANAGE_AGENDA)
    async with deps.uow() as uow:
        await once(uow, request_key)
        if triage_reason is not None:
            (await deps.guard(uow)).check(triage_reason)
        sitting = await uow.sittings.get(sitting_id)
        slot = sitting.remove(slot_id)
        case = await uow.cases.get(slot.case_id)
        if slot.kind is not SlotKind.CLOSED_REVIEW:  # a reviewed case was never taken out of closed
            case.move_to(CaseStatus.REGISTERED, by=actor.actor_id, at=deps.clock.now())
        case.triage_note = triage_reason
        uow.sittings.save(sitting)
        uow.cases.save(case)
        event = "agenda.case_triaged" if triage_reason else "agenda.case_removed"
        deps.audit(uow, actor, event, sitting_id, case.case_id, case=case)
        await uow.commit()
    return AgendaResult(sitting, sitting.schedule(deps.clock.now()))


async def carry_forward(
    deps: Deps, actor: Actor, from_sitting_id: str, to_sitting_id: str, request_key: str | None = None
) -> AgendaResult:
    """Offer the cases an ended sitting did not reach to the next one, in one step."""
    actor.require(Permission.MANAGE_AGENDA)
    async with deps.uow() as uow:
        await once(uow, request_key)
        source = await uow.sittings.get(from_sitting_id)
        if source.status is not SittingStatus.ENDED:
            raise InvalidTransition("Only an ended sitting has cases it did not reach.")
        target = await uow.sittings.get(to_sitting_id)
        added = 0
        for old in source.not_reached():
            if target.slot_for_case(old.case_id) is not None:
                continue
            if await _listed_elsewhere(uow, old.case_id, target.sitting_id, deps.today()) is not None:
                continue  # the coordinator has already listed it on another sitting
            # A fresh slot of the same kind: an extension given in one sitting stays there.
            minutes = old.minutes - old.extended_by
            target.add_slot(Slot(deps.new_id()[:12], old.case_id, old.case_reference, old.kind, minutes))
            added += 1
        uow.sittings.save(target)
        deps.audit(uow, actor, "agenda.carried_forward", to_sitting_id, from_sitting_id)
        await uow.commit()
    return AgendaResult(target, target.schedule(deps.clock.now()), added)


async def agenda(deps: Deps, actor: Actor, sitting_id: str) -> AgendaResult:
    """The sitting and its timed agenda, for anyone who may see the panel's business."""
    actor.require(Permission.VIEW_SITTING)
    async with deps.uow() as uow:
        sitting = await uow.sittings.get(sitting_id)
    return AgendaResult(sitting, sitting.schedule(deps.clock.now()))


async def _listed_elsewhere(uow: UnitOfWork, case_id: str, sitting_id: str, today: date) -> Sitting | None:
    """Another sitting, not yet ended, with this case still waiting on its agenda (sittings more
    than a month old are not looked at: the read stays the same size however long the history)."""
    for other in await uow.sittings.find(on_or_after=today - timedelta(days=31)):
        if other.sitting_id == sitting_id or other.status is SittingStatus.ENDED:
            continue
        slot = other.slot_for_case(case_id)
        if slot is not None and slot.state is SlotState.WAITING:
            return other
    return None


async def _free_sitting_id(uow: UnitOfWork, day: date) -> str:
    """The day it sits, for people reading ids in the store and the audit trail, then eight random
    characters: a sitting's id cannot be guessed from its date, so a card press carrying a made-up
    id finds nothing to probe."""
    for _ in range(8):
        candidate = f"{day.isoformat()}-{''.join(secrets.choice(ALPHABET) for _ in range(8))}"
        if not await uow.sittings.exists(candidate):
            return candidate
    raise ValidationFailed("A sitting id could not be made; please try again.")
