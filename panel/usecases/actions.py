"""Actions and themes set by the panel, marking actions done, and requesting closure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from panel.actions import MAX_NOTE, OwnerRole, PanelAction, validate_description
from panel.case import Case, CaseStatus
from panel.errors import InvalidTransition, NotPermitted, ValidationFailed
from panel.roles import Actor, Permission
from panel.themes import ThemeRecord, normalise_tag, require_known_theme
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once


@dataclass(frozen=True)
class ActionForm:
    """What the administrator enters for an action: the owner is a role, never a person."""

    description: str
    owner_role: OwnerRole
    due: date
    sitting_id: str | None = None


async def record_action(
    deps: Deps, actor: Actor, reference: str, form: ActionForm, request_key: str | None = None
) -> Case:
    """Record an agreed action on a case, after the identity guard has passed its text."""
    actor.require(Permission.RECORD_ACTION)
    description = validate_description(form.description)
    if form.due < deps.today():
        raise ValidationFailed("The due date is in the past.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(description)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        _require_open(case)
        action = PanelAction(
            action_id=f"A{len(case.actions) + 1}",
            description=description,
            owner_role=form.owner_role,
            due=form.due,
            set_by=actor.actor_id,
            set_at=deps.clock.now(),
            sitting_id=form.sitting_id,
        )
        case.actions.append(action)
        if case.status in (CaseStatus.HEARD, CaseStatus.CLOSURE_REQUESTED):
            case.move_to(CaseStatus.AWAITING_ACTIONS, by=actor.actor_id, at=deps.clock.now())
        uow.cases.save(case)
        deps.audit(uow, actor, "action.recorded", case.case_id, action.action_id, case=case)
        await uow.commit()
    return case


async def record_theme(
    deps: Deps,
    actor: Actor,
    reference: str,
    *,
    code: str | None = None,
    tag: str | None = None,
    sitting_id: str | None = None,
    request_key: str | None = None,
) -> Case:
    """Note an organisational-learning theme: a code from the taxonomy, or a short free tag."""
    actor.require(Permission.RECORD_THEME)
    if (code is None) == (tag is None):
        raise ValidationFailed("Give either a theme from the taxonomy or a tag.")
    code = require_known_theme(code, deps.config.taxonomy) if code is not None else None
    tag = normalise_tag(tag) if tag is not None else None
    async with deps.uow() as uow:
        await once(uow, request_key)
        if tag is not None:
            (await deps.guard(uow)).check(tag)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        case.themes.append(ThemeRecord(code, tag, sitting_id, actor.actor_id, deps.clock.now()))
        uow.cases.save(case)
        deps.audit(uow, actor, "theme.recorded", case.case_id, code or "tag", case=case)
        await uow.commit()
    return case


async def mark_action_done(
    deps: Deps,
    actor: Actor,
    reference: str,
    action_id: str,
    note: str | None = None,
    request_key: str | None = None,
) -> Case:
    """Mark an action done: the case's own SOO, or whoever may record actions."""
    if note is not None:
        note = validate_description(note, limit=MAX_NOTE, what="completion note")
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        _require_own_case_or(actor, case, Permission.RECORD_ACTION)
        if note is not None:
            (await deps.guard(uow)).check(note)
        case.action(action_id).mark_done(by=actor.actor_id, at=deps.clock.now(), note=note)
        uow.cases.save(case)
        deps.audit(uow, actor, "action.done", case.case_id, action_id, case=case)
        await uow.commit()
    return case


async def cancel_action(
    deps: Deps, actor: Actor, reference: str, action_id: str, reason: str, request_key: str | None = None
) -> Case:
    """Cancel an action with a reason (which passes the identity guard)."""
    actor.require(Permission.RECORD_ACTION)
    reason = validate_description(reason, limit=MAX_NOTE, what="reason")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(reason)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        case.action(action_id).cancel(reason=reason, by=actor.actor_id, at=deps.clock.now())
        uow.cases.save(case)
        deps.audit(uow, actor, "action.cancelled", case.case_id, action_id, case=case)
        await uow.commit()
    return case


def _require_open(case: Case) -> None:
    if case.status is CaseStatus.CLOSED:
        raise InvalidTransition(f"Case {case.reference} is closed.")


def _require_own_case_or(actor: Actor, case: Case, alternative: Permission | None) -> None:
    """A SOO may act only on the cases they oversee; others need the alternative permission; nobody
    who has declared a conflict for the case."""
    require_no_conflict(actor, case)
    if case.soo_id == actor.actor_id and actor.may(Permission.UPDATE_OWN_CASE):
        return
    if alternative is not None and actor.may(alternative):
        return
    actor.require(Permission.UPDATE_OWN_CASE)  # strangers get the roster message
    raise NotPermitted(f"You have no case with the reference {case.reference}.")
