"""A case's whole life beyond a hearing: the facts the panel scrutinises, a case conference,
being asked back, the panel's directions and good practice, closing with no actions, reopening,
and joining up cases that may be linked."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from panel.case import Case, CaseStatus, ConferenceRecord, Direction, DirectionKind, Reopening
from panel.case_facts import RecordedBy, refuse_future, refuse_retired
from panel.errors import InvalidTransition, NotPermitted, ValidationFailed
from panel.ports import UnitOfWork
from panel.roles import Actor, Permission
from panel.sitting import SittingStatus
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once

MAX_TEXT = 500
MAX_WEEKS_BACK = 26


async def record_facts(
    deps: Deps, actor: Actor, reference: str, changes: Mapping[str, object], request_key: str | None = None
) -> tuple[str, ...]:
    """Record facts about how the force is handling a case: the SOO for their own case, the
    coordinator for any. Returns the names of the facts that changed (each dated, and audited)."""
    actor.require(Permission.RECORD_CASE_FACTS)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await _facts_case(uow, actor, reference)
        refuse_future(changes, deps.today())
        refuse_retired(changes, case.facts.facts)
        by = RecordedBy.SOO if case.soo_id == actor.actor_id else RecordedBy.COORDINATOR
        changed = case.facts.apply(changes, deps.today(), by)
        if changed:
            uow.cases.save(case)
            deps.audit(uow, actor, "case.facts_recorded", case.case_id, ",".join(changed), case=case)
            await uow.commit()
    return changed


async def facts_of(deps: Deps, actor: Actor, reference: str) -> Case:
    """The case whose facts this person may record: the SOO their own, the coordinator any; never
    one they declared a conflict for."""
    actor.require(Permission.RECORD_CASE_FACTS)
    async with deps.uow() as uow:
        return await _facts_case(uow, actor, reference)


async def _facts_case(uow: UnitOfWork, actor: Actor, reference: str) -> Case:
    case = await uow.cases.by_reference(reference)
    require_no_conflict(actor, case)
    if not actor.may(Permission.REGISTER_CASE) and case.soo_id != actor.actor_id:
        raise NotPermitted(f"You have no case with the reference {reference}.")
    return case


async def route_to_case_conference(
    deps: Deps, actor: Actor, reference: str, reason: str, request_key: str | None = None
) -> Case:
    """Send a case to a case conference: it leaves every agenda it waits on until it returns."""
    actor.require(Permission.ROUTE_CASE_CONFERENCE)
    reason = _text(reason, "reason")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(reason)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        now = deps.clock.now()
        for sitting in await uow.sittings.find(on_or_after=deps.today() - timedelta(days=31)):
            slot = sitting.slot_for_case(case.case_id)
            if (
                slot is not None
                and sitting.status is SittingStatus.SCHEDULED
                and slot.state.value == "waiting"
            ):
                sitting.remove(slot.slot_id)
                uow.sittings.save(sitting)
        case.move_to(CaseStatus.CASE_CONFERENCE, by=actor.actor_id, at=now)
        case.conferences.append(ConferenceRecord(reason, actor.actor_id, now))
        uow.cases.save(case)
        deps.audit(uow, actor, "case.to_case_conference", case.case_id, case=case)
        await uow.commit()
    return case


async def record_case_conference(
    deps: Deps, actor: Actor, reference: str, held_on: date, outcome: str, request_key: str | None = None
) -> Case:
    """The conference was held: its date and outcome (recorded by the coordinator, who keeps the
    case's record); the case comes back to the panel's work."""
    actor.require(Permission.REGISTER_CASE)
    outcome = _text(outcome, "outcome")
    if held_on > deps.today():
        raise ValidationFailed("A case conference cannot be recorded before it is held.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(outcome)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        if case.status is not CaseStatus.CASE_CONFERENCE or not case.conferences:
            raise InvalidTransition(f"Case {case.reference} is not at a case conference.")
        last = case.conferences[-1]
        case.conferences[-1] = ConferenceRecord(
            last.reason, last.routed_by, last.routed_at, held_on, outcome, actor.actor_id
        )
        # Back to the panel's work: the coordinator lists it again when it is to be heard.
        case.move_to(CaseStatus.AWAITING_ACTIONS, by=actor.actor_id, at=deps.clock.now())
        uow.cases.save(case)
        deps.audit(uow, actor, "case.case_conference_recorded", case.case_id, case=case)
        await uow.commit()
    return case


async def ask_back(
    deps: Deps, actor: Actor, reference: str, weeks: int, request_key: str | None = None
) -> Case:
    """The panel asks to see the case again in N weeks: the coordinator is reminded to list it on
    the sitting nearest that date (the panel's decision, recorded like its actions)."""
    actor.require(Permission.RECORD_ACTION)
    if not 1 <= weeks <= MAX_WEEKS_BACK:
        raise ValidationFailed(f"Ask a case back in 1 to {MAX_WEEKS_BACK} weeks.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        case.asked_back_for = deps.today() + timedelta(weeks=weeks)
        uow.cases.save(case)
        deps.audit(uow, actor, "case.asked_back", case.case_id, str(weeks), case=case)
        await uow.commit()
    return case


async def record_direction(
    deps: Deps,
    actor: Actor,
    reference: str,
    kind: DirectionKind,
    text: str,
    sitting_id: str | None = None,
    request_key: str | None = None,
) -> Case:
    """The panel's direction (victim care, safeguarding, lines of enquiry) or good practice."""
    actor.require(Permission.RECORD_ACTION)
    text = _text(text, "direction")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(text)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        case.directions.append(Direction(kind, text, sitting_id, actor.actor_id, deps.clock.now()))
        uow.cases.save(case)
        deps.audit(uow, actor, "case.direction_recorded", case.case_id, kind.value, case=case)
        await uow.commit()
    return case


async def no_actions_needed(deps: Deps, actor: Actor, reference: str, request_key: str | None = None) -> Case:
    """The panel records that it set no actions on purpose: the SOO may then ask to close."""
    actor.require(Permission.RECORD_ACTION)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        if any(not a.settled for a in case.actions):
            raise InvalidTransition(f"Case {case.reference} has open actions.")
        case.may_close_without_actions = True
        uow.cases.save(case)
        deps.audit(uow, actor, "case.no_actions_needed", case.case_id, case=case)
        await uow.commit()
    return case


async def reopen(
    deps: Deps, actor: Actor, reference: str, reason: str, request_key: str | None = None
) -> Case:
    """Reopen a closed case with a reason: same reference, same history."""
    actor.require(Permission.REOPEN_CASE)
    reason = _text(reason, "reason")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(reason)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        if case.status is not CaseStatus.CLOSED:
            raise InvalidTransition(f"Case {case.reference} is not closed.")
        now = deps.clock.now()
        case.move_to(CaseStatus.REOPENED, by=actor.actor_id, at=now)
        case.reopenings.append(Reopening(reason, actor.actor_id, now))
        case.may_close_without_actions = False
        uow.cases.save(case)
        deps.audit(uow, actor, "case.reopened", case.case_id, case=case)
        await uow.commit()
    return case


async def link_cases(
    deps: Deps, actor: Actor, reference: str, other_reference: str, request_key: str | None = None
) -> tuple[Case, Case]:
    """Join two cases up (the coordinator, told they may be linked): each shows the other's
    reference to the panel."""
    actor.require(Permission.LINK_CASES)
    if reference == other_reference:
        raise ValidationFailed("A case cannot be linked to itself.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        one, other = await uow.cases.by_reference(reference), await uow.cases.by_reference(other_reference)
        for case in (one, other):
            require_no_conflict(actor, case)
        for case, to in ((one, other), (other, one)):
            if to.case_id not in case.linked:
                case.linked.append(to.case_id)
                uow.cases.save(case)
        deps.audit(uow, actor, "case.linked", one.case_id, other.case_id, case=one)
        await uow.commit()
    return one, other


async def linked_references(uow: UnitOfWork, case: Case) -> tuple[str, ...]:
    """The references of the cases this one is linked to."""
    found = []
    for case_id in case.linked:
        found.append((await uow.cases.get(case_id)).reference)
    return tuple(sorted(found))


def _text(value: str, what: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ValidationFailed(f"Give the {what}.")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"Keep the {what} to {MAX_TEXT} characters.")
    return text
