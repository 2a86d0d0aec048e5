"""The permission table: who may do what."""

from __future__ import annotations

import pytest

from panel.errors import NotOnRoster, NotPermitted
from panel.roles import PERMISSIONS, Actor, Permission, Role, check_permission_table_is_complete


def with_role(role: Role) -> Actor:
    return Actor(actor_id="x", roles=frozenset({role}))


def test_the_table_has_a_row_for_every_permission() -> None:
    check_permission_table_is_complete()
    assert set(PERMISSIONS) == set(Permission)


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.CHAIR, Permission.RUN_SITTING, True),
        (Role.DEPUTY_CHAIR, Permission.RUN_SITTING, True),
        (Role.COORDINATOR, Permission.RUN_SITTING, False),
        (Role.SOO, Permission.RUN_SITTING, False),
        (Role.COORDINATOR, Permission.REGISTER_CASE, True),
        (Role.CHAIR, Permission.REGISTER_CASE, False),
        (Role.ADMINISTRATOR, Permission.RECORD_ACTION, True),
        (Role.PARTNER, Permission.RECORD_ACTION, False),
        (Role.PARTNER, Permission.VIEW_CASE, False),
        (Role.PARTNER, Permission.VIEW_LIVE_CASE, True),
        (Role.SOO, Permission.REQUEST_CLOSURE, True),
        (Role.MEMBER, Permission.REQUEST_CLOSURE, False),
        (Role.CHAIR, Permission.APPROVE_CLOSURE, True),
        (Role.DEPUTY_CHAIR, Permission.APPROVE_CLOSURE, False),
        (Role.LEARNING_ANALYST, Permission.READ_THEMES, True),
        (Role.LEARNING_ANALYST, Permission.VIEW_CASE, False),
        (Role.COORDINATOR, Permission.REGISTER_PARTY_NAMES, True),
        (Role.ADMINISTRATOR, Permission.REGISTER_PARTY_NAMES, False),
    ],
)
def test_role_permission(role: Role, permission: Permission, allowed: bool) -> None:
    assert with_role(role).may(permission) is allowed


def test_refusal_names_the_roles_that_may() -> None:
    with pytest.raises(NotPermitted, match="Only the chair or the deputy chair can do that"):
        with_role(Role.SOO).require(Permission.RUN_SITTING)


def test_a_stranger_is_told_to_ask_the_coordinator() -> None:
    with pytest.raises(NotOnRoster, match="case coordinator"):
        Actor.stranger("someone").require(Permission.VIEW_CASE)
