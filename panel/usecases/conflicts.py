"""Conflicts of interest: anyone on the roster declares one for a case by its reference; from then
on they see, hear and are told nothing of that case. Only the coordinator can withdraw one."""

from __future__ import annotations

from dataclasses import dataclass

from panel.actions import validate_description
from panel.case import Case, ConflictDeclaration
from panel.errors import NotFound, NotOnRoster, NotPermitted, ValidationFailed
from panel.ports import Notice, NoticeKind, UnitOfWork
from panel.roles import Actor, Permission, Role
from panel.usecases.deps import Deps, once

MAX_CONFLICT_REASON = 200


@dataclass(frozen=True)
class Declared:
    """What a declaration did: whether it was new, and whether the person is the case's SOO."""

    case: Case
    person_id: str
    already: bool
    is_soo: bool


async def declare_conflict(
    deps: Deps,
    actor: Actor,
    reference: str,
    reason: str | None = None,
    *,
    on_behalf_of: str | None = None,
    request_key: str | None = None,
) -> Declared:
    """Declare a conflict for a case; the coordinator may record one made in person for someone."""
    if not actor.on_roster:
        raise NotOnRoster("You are not on this panel's roster. Ask the case coordinator to add you.")
    actor.require(Permission.DECLARE_CONFLICT)
    if on_behalf_of is not None and on_behalf_of != actor.actor_id:
        actor.require(Permission.MANAGE_CONFLICTS)
    person = on_behalf_of or actor.actor_id
    async with deps.uow() as uow:
        await once(uow, request_key)
        if reason:
            # The guard first: a reason refused for its length must not have been read for names later.
            (await deps.guard(uow)).check(reason)
        reason = validate_description(reason, limit=MAX_CONFLICT_REASON, what="reason") if reason else ""
        member = await uow.roster.get(person)
        if member is None or not member.active:
            raise NotFound("That person is not on the panel's roster.")
        case = await _case(uow, reference)
        if case.conflicted(person):
            return Declared(case, person, already=True, is_soo=case.soo_id == person)
        case.conflicts.append(ConflictDeclaration(person, reason, actor.actor_id, deps.clock.now()))
        uow.cases.save(case)
        deps.audit(uow, actor, "conflict.declared", case.case_id, person, case=case)
        notices = await _tell_coordinators(uow, case, person, member.display_name)
        await uow.commit()
    for notice in notices:
        await deps.notifier.send(notice)
    return Declared(case, person, already=False, is_soo=case.soo_id == person)


async def withdraw_conflict(
    deps: Deps, actor: Actor, reference: str, person_id: str, request_key: str | None = None
) -> Case:
    """The coordinator withdraws a declaration (it stays on the record, marked withdrawn)."""
    actor.require(Permission.MANAGE_CONFLICTS)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await _case(uow, reference)
        if case.conflicted(actor.actor_id):
            raise NotPermitted(f"You have declared a conflict for case {case.reference} yourself.")
        now = deps.clock.now()
        for index, declaration in enumerate(case.conflicts):
            if declaration.active and declaration.person_id == person_id:
                case.conflicts[index] = ConflictDeclaration(
                    declaration.person_id,
                    declaration.reason,
                    declaration.declared_by,
                    declaration.declared_at,
                    withdrawn_by=actor.actor_id,
                    withdrawn_at=now,
                )
                break
        else:
            raise ValidationFailed("That person has no conflict declared for this case.")
        uow.cases.save(case)
        deps.audit(uow, actor, "conflict.withdrawn", case.case_id, person_id, case=case)
        await uow.commit()
    return case


def require_no_conflict(actor: Actor, case: Case) -> None:
    """Refuse anything about a case to someone who declared a conflict for it."""
    if case.conflicted(actor.actor_id):
        raise NotPermitted(
            f"You have declared a conflict of interest for case {case.reference}, "
            "so nothing about it is shown to you or asked of you."
        )


async def _case(uow: UnitOfWork, reference: str) -> Case:
    try:
        return await uow.cases.by_reference(reference)
    except NotFound:
        raise NotFound(f"No case has the reference {reference}.") from None


async def _tell_coordinators(uow: UnitOfWork, case: Case, person: str, name: str) -> list[Notice]:
    facts: tuple[tuple[str, str], ...] = (("Declared by", name),)
    if case.soo_id == person:
        facts += (("Note", "They are this case's SOO: appoint another."),)
    coordinators = [
        m
        for m in await uow.roster.all()
        if m.active and Role.COORDINATOR in m.roles and not case.conflicted(m.aad_object_id)
    ]
    return [
        Notice(NoticeKind.CONFLICT_DECLARED, m.aad_object_id, case.reference, facts)
        for m in coordinators
        if m.aad_object_id != person
    ]
