"""The SOO's case update form and closure: request, the chair's approval or return, who is told."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from panel.actions import validate_description
from panel.case import Case, CaseStatus, ClosureReview, ProgressUpdate
from panel.clock import to_london
from panel.closure import ClosureDecision, closure_decision
from panel.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from panel.ports import Notice, NoticeKind, UnitOfWork
from panel.roles import Actor, Permission, Role
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once

MAX_UPDATE = 1000
MAX_REASON = 300


@dataclass(frozen=True)
class UpdateForm:
    """What the SOO enters on the case update form."""

    progress: str | None
    victim_last_updated: date | None
    investigator_changed: bool


async def my_cases(deps: Deps, actor: Actor) -> list[Case]:
    """The open cases this SOO oversees, oldest first."""
    actor.require(Permission.UPDATE_OWN_CASE)
    async with deps.uow() as uow:
        cases = await uow.cases.find(soo_id=actor.actor_id)
    return [c for c in cases if c.status is not CaseStatus.CLOSED]


async def own_case(deps: Deps, actor: Actor, reference: str) -> Case:
    """One of this SOO's cases, or a refusal."""
    async with deps.uow() as uow:
        return await _own(uow, actor, reference)


async def submit_update(
    deps: Deps, actor: Actor, reference: str, form: UpdateForm, request_key: str | None = None
) -> Case:
    """Record the SOO's progress update, when the victim was last updated, any investigator change."""
    progress = validate_description(form.progress, limit=MAX_UPDATE, what="update") if form.progress else None
    if progress is None and form.victim_last_updated is None and not form.investigator_changed:
        raise ValidationFailed("Nothing to save: write an update, a date or an investigator change.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await _own(uow, actor, reference)
        if case.status is CaseStatus.CLOSED:
            raise InvalidTransition(f"Case {reference} is closed.")
        if progress is not None:
            (await deps.guard(uow)).check(progress)
        if (
            form.victim_last_updated is not None
            and not case.received <= form.victim_last_updated <= deps.today()
        ):
            raise ValidationFailed(
                "The date the victim was last updated must be between the date received and today."
            )
        case.updates.append(
            ProgressUpdate(
                progress or "",
                form.victim_last_updated,
                form.investigator_changed,
                actor.actor_id,
                deps.clock.now(),
            )
        )
        if form.victim_last_updated is not None:
            case.victim_last_updated = max(
                form.victim_last_updated, case.victim_last_updated or form.victim_last_updated
            )
        case.investigator_changes += 1 if form.investigator_changed else 0
        uow.cases.save(case)
        deps.audit(uow, actor, "case.updated", case.case_id, case=case)
        await uow.commit()
    return case


@dataclass(frozen=True)
class ClosureOutcome:
    """What a closure request did: the decision and the case as it now stands."""

    decision: ClosureDecision
    case: Case


async def request_closure(
    deps: Deps, actor: Actor, reference: str, request_key: str | None = None
) -> ClosureOutcome:
    """The SOO asks to close: closed (or sent to the chair) only when every action is settled;
    otherwise nothing changes and the decision lists exactly what is outstanding."""
    actor.require(Permission.REQUEST_CLOSURE)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await _own(uow, actor, reference)
        decision = closure_decision(case, deps.today())
        if not decision.allowed:
            return ClosureOutcome(decision, case)
        target = (
            CaseStatus.CLOSURE_REQUESTED if deps.config.closure_needs_chair_approval else CaseStatus.CLOSED
        )
        case.move_to(target, by=actor.actor_id, at=deps.clock.now())
        uow.cases.save(case)
        deps.audit(uow, actor, f"case.{target.value}", case.case_id, case=case)
        if target is CaseStatus.CLOSED:
            notices = await _tell(uow, case, NoticeKind.CASE_CLOSED, {Role.CHAIR, Role.COORDINATOR})
        else:
            done = sum(1 for a in case.actions if a.status.value == "done")
            facts: tuple[tuple[str, str], ...] = (
                ("Done", str(done)),
                ("Cancelled", str(len(case.actions) - done)),
            )
            # What the chair decides on: the latest update and each action's note or reason
            # (every one of them passed the identity guard when it was written).
            written = [u for u in case.updates if u.text]
            if written:
                facts += ((f"Latest update ({to_london(written[-1].at):%d %b %Y})", written[-1].text),)
            facts += tuple((f"{a.action_id} · {a.status.value}", a.note) for a in case.actions if a.note)
            notices = await _tell(uow, case, NoticeKind.CLOSURE_TO_APPROVE, {Role.CHAIR}, facts)
        await uow.commit()
    await _send(deps, notices)
    return ClosureOutcome(decision, case)


async def approve_closure(deps: Deps, actor: Actor, reference: str, request_key: str | None = None) -> Case:
    """The chair approves a closure request; the SOO and the coordinator are told."""
    actor.require(Permission.APPROVE_CLOSURE)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await _awaiting_review(uow, actor, reference)
        decision = closure_decision(case, deps.today())
        if case.actions and not all(a.settled for a in case.actions):
            raise InvalidTransition(" ".join(decision.reasons))
        now = deps.clock.now()
        case.move_to(CaseStatus.CLOSED, by=actor.actor_id, at=now)
        case.reviews.append(ClosureReview(True, None, actor.actor_id, now))
        uow.cases.save(case)
        deps.audit(uow, actor, "case.closure_approved", case.case_id, case=case)
        notices = [_notice(NoticeKind.CLOSURE_APPROVED, case.soo_id, case)] if case.soo_id else []
        notices += await _tell(uow, case, NoticeKind.CASE_CLOSED, {Role.COORDINATOR})
        await uow.commit()
    await _send(deps, notices)
    return case


async def return_closure(
    deps: Deps, actor: Actor, reference: str, reason: str, request_key: str | None = None
) -> Case:
    """The chair returns a closure request with a reason (which passes the identity guard)."""
    actor.require(Permission.APPROVE_CLOSURE)
    reason = validate_description(reason, limit=MAX_REASON, what="reason")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(reason)
        case = await _awaiting_review(uow, actor, reference)
        now = deps.clock.now()
        case.move_to(CaseStatus.AWAITING_ACTIONS, by=actor.actor_id, at=now)
        case.reviews.append(ClosureReview(False, reason, actor.actor_id, now))
        uow.cases.save(case)
        deps.audit(uow, actor, "case.closure_returned", case.case_id, case=case)
        notices = (
            [_notice(NoticeKind.CLOSURE_RETURNED, case.soo_id, case, (("Reason", reason),))]
            if case.soo_id
            else []
        )
        await uow.commit()
    await _send(deps, notices)
    return case


async def _own(uow: UnitOfWork, actor: Actor, reference: str) -> Case:
    actor.require(Permission.UPDATE_OWN_CASE)
    try:
        case = await uow.cases.by_reference(reference)
    except NotFound:
        case = None
    # Unknown and not-yours get the same answer: a SOO learns nothing of other cases, not even
    # whether a reference exists.
    if case is None or case.soo_id != actor.actor_id:
        raise NotPermitted(f"You have no case with the reference {reference}.")
    require_no_conflict(actor, case)
    return case


async def _awaiting_review(uow: UnitOfWork, actor: Actor, reference: str) -> Case:
    case = await uow.cases.by_reference(reference)
    require_no_conflict(actor, case)
    if case.status is not CaseStatus.CLOSURE_REQUESTED:
        raise InvalidTransition(
            f"Case {reference} has no closure request waiting (it is {case.status.value.replace('_', ' ')})."
        )
    return case


async def _tell(
    uow: UnitOfWork, case: Case, kind: NoticeKind, roles: set[Role], facts: tuple[tuple[str, str], ...] = ()
) -> list[Notice]:
    members = [
        m
        for m in await uow.roster.all()
        if m.active and roles & m.roles and not case.conflicted(m.aad_object_id)
    ]
    return [_notice(kind, m.aad_object_id, case, facts) for m in members]


def _notice(kind: NoticeKind, recipient: str, case: Case, facts: tuple[tuple[str, str], ...] = ()) -> Notice:
    return Notice(kind=kind, recipient_id=recipient, case_reference=case.reference, facts=facts)


async def _send(deps: Deps, notices: Iterable[Notice]) -> None:
    for notice in notices:
        await deps.notifier.send(notice)
