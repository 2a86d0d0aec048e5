"""The force's own record references for a case: registered by the coordinator as keyed hashes
only, and turned back into the panel's reference by the coordinator's "find" form alone. Neither
ever shows, logs or stores a force reference in clear."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from panel.audit import AuditCategory, AuditPurpose
from panel.errors import ValidationFailed
from panel.force_reference import ForceRecord, checked_reference, hashed_form
from panel.identity_guard import name_hash
from panel.need_to_know import reading_purpose
from panel.roles import Actor, Permission
from panel.usecases.access import record_access
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once

NO_CASE = "No case you can see has that force reference."


async def register_force_references(
    deps: Deps,
    actor: Actor,
    reference: str,
    typed: Mapping[ForceRecord, str],
    request_key: str | None = None,
) -> int:
    """Keep a case's force references as keyed hashes (the guard then refuses them in any text);
    returns how many. Each is checked before anything is stored: one bad one stores none."""
    actor.require(Permission.REGISTER_PARTY_NAMES)
    folded = {checked_reference(text) for text in typed.values() if text.strip()}
    if not folded:
        raise ValidationFailed("Give at least one force reference.")
    hashes = {name_hash(deps.identity_key, hashed_form(f)) for f in folded}
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        uow.party_names.add(case.case_id, hashes)
        kinds = ",".join(sorted(k.value for k, text in typed.items() if text.strip()))
        deps.audit(uow, actor, "case.force_references_registered", case.case_id, kinds, case=case)
        await uow.commit()
    return len(folded)


@dataclass(frozen=True)
class Found:
    """The panel's reference for a force reference, or None: never the force reference itself."""

    reference: str | None


async def find_by_force_reference(deps: Deps, actor: Actor, typed: str) -> Found:
    """The panel case a force reference was registered for, to the coordinator and professional
    standards' lead alone; recorded as a consultation of that case (or of no case). A case the
    person declared a conflict for is answered exactly as no case at all."""
    actor.require(Permission.FIND_BY_FORCE_REFERENCE)
    wanted = name_hash(deps.identity_key, hashed_form(checked_reference(typed)))
    async with deps.uow() as uow:
        case_ids = sorted(await uow.party_names.cases_with({wanted}))
        cases = [await uow.cases.get(case_id) for case_id in case_ids]
    visible = [c for c in cases if not c.conflicted(actor.actor_id)]
    withheld = len(cases) - len(visible)
    detail = "found" if visible else "no case"
    if withheld:
        detail += f"; {withheld} withheld (conflict)"
    if visible:
        await record_access(
            deps,
            actor,
            "case.found_by_force_reference",
            AuditCategory.CONSULTATION,
            reading_purpose(actor, AuditPurpose.CASE_MANAGEMENT),
            cases=visible,
            detail=detail,
        )
    else:
        await record_access(
            deps,
            actor,
            "case.found_by_force_reference",
            AuditCategory.CONSULTATION,
            reading_purpose(actor, AuditPurpose.CASE_MANAGEMENT),
            subject_id="force_reference",
            detail=detail,
        )
    # Two cases with one force reference are a possible link: the coordinator sees both.
    return Found(", ".join(c.reference for c in visible) or None)
