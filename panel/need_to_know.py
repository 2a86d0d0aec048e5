"""Need to know: what each person may see of a case or a sitting, decided afresh for every view.

Whatever the bot stores in a group or meeting chat is readable by every member of that chat, now
and later (a meeting chat keeps everyone ever admitted, SOOs and partners included). So the card in
the chat carries only what every member may know, and the details are a user-specific view that
Teams asks the bot for on each person's behalf; these functions decide each of those views.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from panel.agenda import Slot, SlotState
from panel.audit import AuditPurpose
from panel.case import Case
from panel.roles import Actor, Permission, Role
from panel.roster import RosterMember

# The people who sit on the panel itself (partners sit for the case being heard only).
PANEL_ROLES = frozenset({Role.CHAIR, Role.DEPUTY_CHAIR, Role.COORDINATOR, Role.ADMINISTRATOR, Role.MEMBER})
# Whoever may be in the case room during a sitting without raising an alarm: the panel, partners,
# and the organisational-learning analyst, who sits in to analyse the discussion for themes.
CASE_ROOM_ROLES = PANEL_ROLES | {Role.PARTNER, Role.LEARNING_ANALYST}


class SlotPhase(StrEnum):
    """Where a case's slot is, as far as seeing it goes."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class CaseSight(StrEnum):
    """How much of a case card a person is shown."""

    FULL = "full"  # the panel's view: facts, history, actions, early warning
    BASE = "base"  # the reference and whether it is being or has been heard: what the chat holds


def slot_phase(slot: Slot) -> SlotPhase:
    """A live slot is being heard; a waiting one (deferred included) is not yet; the rest are done."""
    if slot.state is SlotState.LIVE:
        return SlotPhase.DURING
    if slot.state is SlotState.WAITING:
        return SlotPhase.BEFORE
    return SlotPhase.AFTER


def case_card_sight(actor: Actor, phase: SlotPhase, *, own_case: bool, conflicted: bool) -> CaseSight:
    """Who sees a case card in full: only while its slot is live; never anyone who declared a
    conflict; the panel, the partners for the case being heard, and the case's own SOO."""
    if phase is not SlotPhase.DURING or conflicted or not actor.on_roster:
        return CaseSight.BASE
    if actor.roles & CASE_ROOM_ROLES:  # the panel, partners and the analyst sitting in
        return CaseSight.FULL
    if own_case and Role.SOO in actor.roles:
        return CaseSight.FULL
    return CaseSight.BASE


def sight_of_case(actor: Actor, case: Case, slot: Slot) -> CaseSight:
    """`case_card_sight` for a case and its slot as they stand."""
    return case_card_sight(
        actor,
        slot_phase(slot),
        own_case=case.soo_id == actor.actor_id,
        conflicted=case.conflicted(actor.actor_id),
    )


def sees_sitting_details(actor: Actor) -> bool:
    """The whole agenda, presence and notices: the panel itself, never SOOs or partners."""
    return actor.on_roster and actor.may(Permission.VIEW_SITTING)


def may_open_case(actor: Actor, case: Case) -> bool:
    """Outside the sitting: those who run the panel see any case, a SOO their own; nobody a case
    they have declared a conflict for."""
    if not actor.on_roster or case.conflicted(actor.actor_id):
        return False
    if actor.may(Permission.VIEW_CASE):
        return True
    return case.soo_id == actor.actor_id and actor.may(Permission.UPDATE_OWN_CASE)


def reading_purpose(actor: Actor, panel_purpose: AuditPurpose) -> AuditPurpose:
    """Why someone reads a case outside the sitting, for the audit trail: professional standards'
    lead reads for professional standards, whatever the panel's own reason would have been."""
    if Role.PSD_LEAD in actor.roles and not actor.roles & PANEL_ROLES:
        return AuditPurpose.PROFESSIONAL_STANDARDS
    return panel_purpose


def entitled_to_case_card(members: Iterable[RosterMember], case: Case) -> list[RosterMember]:
    """Everyone who would see this case in full while it is heard (for the card's refresh list)."""
    found = []
    for member in members:
        actor = member.as_actor()
        if (
            case_card_sight(
                actor,
                SlotPhase.DURING,
                own_case=case.soo_id == member.aad_object_id,
                conflicted=case.conflicted(member.aad_object_id),
            )
            is CaseSight.FULL
        ):
            found.append(member)
    return found


@dataclass(frozen=True)
class ChatMember:
    """Someone Teams lists as a member of a chat: their display name and, for colleagues, their
    Entra object id (a guest from outside the organisation may have none)."""

    name: str
    aad_object_id: str | None


def outsiders(
    members: Iterable[ChatMember], roster: Iterable[RosterMember], roles: frozenset[Role]
) -> list[str]:
    """The display names of chat members who hold none of `roles` on the roster (guests, SOOs of
    other cases, anyone who has left the panel), so the chair can remove them before a case."""
    allowed = {m.aad_object_id for m in roster if m.active and m.roles & roles}
    names = [
        m.name or "someone without a name" for m in members if (m.aad_object_id or "").lower() not in allowed
    ]
    return sorted(set(names))
