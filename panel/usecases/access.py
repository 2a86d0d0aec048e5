"""Reads and disclosures, audited as they happen: what cannot be audited is not shown or sent.

Changes are audited in the same commit as the change itself; a view, a list, a form opened, a card
or notice sent is audited here, in a commit of its own, before the person sees it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from panel.audit import AuditCategory, AuditPurpose
from panel.case import Case
from panel.roles import Actor
from panel.usecases.deps import Deps


async def record_access(
    deps: Deps,
    actor: Actor,
    event: str,
    category: AuditCategory,
    purpose: AuditPurpose,
    *,
    cases: Iterable[Case] = (),
    references: Iterable[str] = (),
    subject_id: str | None = None,
    recipient: str = "",
    detail: str = "",
) -> None:
    """Write one entry per case (or per reference, or for the subject) the access concerns."""
    async with deps.uow() as uow:
        for case in cases:
            deps.audit(
                uow,
                actor,
                event,
                case.case_id,
                detail,
                case=case,
                category=category,
                purpose=purpose.value,
                recipient=recipient,
            )
        for reference in references:
            deps.audit(
                uow,
                actor,
                event,
                reference,
                detail,
                category=category,
                purpose=purpose.value,
                recipient=recipient,
                reference=reference,
            )
        if subject_id is not None:
            deps.audit(
                uow,
                actor,
                event,
                subject_id,
                detail,
                category=category,
                purpose=purpose.value,
                recipient=recipient,
            )
        await uow.commit()


async def consulted(
    deps: Deps, actor: Actor, event: str, purpose: AuditPurpose, *cases: Case, detail: str = ""
) -> None:
    """Someone was shown these cases (a view, a list, a form)."""
    if cases:
        await record_access(
            deps, actor, event, AuditCategory.CONSULTATION, purpose, cases=cases, detail=detail
        )


@dataclass(frozen=True)
class Disclosure:
    """Something the bot is about to send naming these cases to someone."""

    event: str
    purpose: AuditPurpose
    recipient: str
    references: tuple[str, ...]


async def disclosed_together(deps: Deps, disclosures: Iterable[Disclosure]) -> None:
    """Several sends of one turn, audited in one commit before any of them goes: one write for the
    turn, and no send without its entry (a send that then fails was still an attempt to disclose)."""
    wanted = [d for d in disclosures if d.references]
    if not wanted:
        return
    async with deps.uow() as uow:
        for d in wanted:
            for reference in d.references:
                deps.audit(
                    uow,
                    Actor.system("bot"),
                    d.event,
                    reference,
                    category=AuditCategory.DISCLOSURE,
                    purpose=d.purpose.value,
                    recipient=d.recipient,
                    reference=reference,
                )
        await uow.commit()


async def disclosed(
    deps: Deps, event: str, purpose: AuditPurpose, recipient: str, references: Iterable[str], detail: str = ""
) -> None:
    """The bot sent something naming these cases to someone (a notice, a reminder, a call)."""
    found = list(references)
    if found:
        await record_access(
            deps,
            Actor.system("bot"),
            event,
            AuditCategory.DISCLOSURE,
            purpose,
            references=found,
            recipient=recipient,
            detail=detail,
        )
