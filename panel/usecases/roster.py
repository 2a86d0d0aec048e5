"""The roster: who is on the panel, and the Actor a Teams user becomes."""

from __future__ import annotations

from collections.abc import Sequence

from panel.errors import ValidationFailed
from panel.roles import Actor, Permission
from panel.roster import RosterMember, normalise_aad_object_id
from panel.usecases.deps import Deps


async def actor_for(deps: Deps, aad_object_id: str | None) -> Actor:
    """The actor for a Teams user: their roster roles, or a stranger with none."""
    if not aad_object_id:
        return Actor.stranger("unknown")
    try:
        key = normalise_aad_object_id(aad_object_id)
    except ValidationFailed:
        return Actor.stranger("unknown")
    async with deps.uow() as uow:
        member = await uow.roster.get(key)
    return member.as_actor() if member else Actor.stranger(key)


async def import_roster(deps: Deps, actor: Actor, members: Sequence[RosterMember]) -> int:
    """Add or update roster members in one transaction: all of them or none."""
    actor.require(Permission.MANAGE_ROSTER)
    async with deps.uow() as uow:
        for member in members:
            existing = await uow.roster.get(member.aad_object_id)
            if existing is None:
                uow.roster.add(member)
            else:
                existing.display_name, existing.roles = member.display_name, member.roles
                existing.active = member.active
                uow.roster.save(existing)
            deps.audit(uow, actor, "roster.member_saved", member.aad_object_id)
        await uow.commit()
    return len(members)
