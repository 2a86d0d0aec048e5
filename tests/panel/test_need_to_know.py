"""Need to know: who sees a case card in full, for every role, moment and relation to the case."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from panel.case import Case, CaseConferenceFlags, Category, ConflictDeclaration, ReferralRoute, RiskLevel
from panel.need_to_know import (
    CASE_ROOM_ROLES,
    CaseSight,
    ChatMember,
    SlotPhase,
    case_card_sight,
    may_open_case,
    outsiders,
)
from panel.roles import Actor, Role
from panel.roster import RosterMember

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

# The table, written out rather than computed: which relations to the case see it in full while it
# is being heard. "own": the person is the case's SOO; "other": they are not. Nobody sees any case
# in full before or after its slot, and nobody at all who has declared a conflict for it.
FULL_WHILE_HEARD: dict[Role | None, set[str]] = {
    Role.CHAIR: {"own", "other"},
    Role.DEPUTY_CHAIR: {"own", "other"},
    Role.COORDINATOR: {"own", "other"},
    Role.ADMINISTRATOR: {"own", "other"},
    Role.MEMBER: {"own", "other"},
    Role.PARTNER: {"own", "other"},
    Role.LEARNING_ANALYST: {"own", "other"},  # sits in to analyse the discussion for themes
    Role.SOO: {"own"},
    None: set(),  # someone not on the roster
}


def person(role: Role | None) -> Actor:
    if role is None:
        return Actor.stranger("x")
    return Actor("x", frozenset({role}))


@pytest.mark.parametrize("role", list(FULL_WHILE_HEARD))
@pytest.mark.parametrize("phase", list(SlotPhase))
@pytest.mark.parametrize("relation", ["own", "other", "conflicted"])
def test_who_sees_a_case_card_in_full(role: Role | None, phase: SlotPhase, relation: str) -> None:
    sight = case_card_sight(
        person(role), phase, own_case=relation == "own", conflicted=relation == "conflicted"
    )
    full = phase is SlotPhase.DURING and relation in FULL_WHILE_HEARD[role]
    assert sight is (CaseSight.FULL if full else CaseSight.BASE)


def test_a_soo_who_is_also_a_panel_member_sees_other_cases_as_a_member() -> None:
    both = Actor("x", frozenset({Role.SOO, Role.MEMBER}))
    assert case_card_sight(both, SlotPhase.DURING, own_case=False, conflicted=False) is CaseSight.FULL
    assert case_card_sight(both, SlotPhase.DURING, own_case=True, conflicted=True) is CaseSight.BASE


def a_case(soo: str | None = "soo-1") -> Case:
    return Case(
        "c1",
        "K7F-2QM",
        Category.POLICE_VICTIM,
        ReferralRoute.COLLEAGUE,
        date(2026, 11, 2),
        RiskLevel.HIGH,
        CaseConferenceFlags(),
        NOW,
        "coord",
        soo_id=soo,
    )


@pytest.mark.parametrize(
    ("roles", "actor_id", "allowed"),
    [
        ({Role.CHAIR}, "chair-1", True),
        ({Role.ADMINISTRATOR}, "admin-1", True),
        ({Role.SOO}, "soo-1", True),
        ({Role.SOO}, "soo-2", False),
        ({Role.MEMBER}, "member-1", False),
        ({Role.PARTNER}, "partner-1", False),
        ({Role.LEARNING_ANALYST}, "analyst-1", False),
        ({Role.COORDINATOR}, "conflicted-1", False),
    ],
)
def test_outside_the_sitting_only_those_who_run_the_panel_and_the_cases_soo_open_it(
    roles: set[Role], actor_id: str, allowed: bool
) -> None:
    case = a_case()
    case.conflicts.append(ConflictDeclaration("conflicted-1", "", "conflicted-1", NOW))
    assert may_open_case(Actor(actor_id, frozenset(roles)), case) is allowed


def test_the_chair_is_told_who_is_in_a_chat_without_belonging_there() -> None:
    roster = [
        RosterMember("aad-chair", "Morgan Hale", frozenset({Role.CHAIR})),
        RosterMember("aad-partner", "Robin Achebe", frozenset({Role.PARTNER})),
        RosterMember("aad-soo", "Alex Renshaw", frozenset({Role.SOO})),
        RosterMember("aad-left", "Former Member", frozenset({Role.MEMBER}), active=False),
    ]
    members = [
        ChatMember("Morgan Hale", "AAD-CHAIR"),  # ids compared without case
        ChatMember("Robin Achebe", "aad-partner"),
        ChatMember("Alex Renshaw", "aad-soo"),  # last month's SOO
        ChatMember("Former Member", "aad-left"),  # no longer on the panel
        ChatMember("Visitor (Guest)", None),  # a guest from outside the organisation
    ]
    assert outsiders(members, roster, CASE_ROOM_ROLES) == ["Alex Renshaw", "Former Member", "Visitor (Guest)"]
    assert outsiders(members, roster, frozenset(Role)) == ["Former Member", "Visitor (Guest)"]
