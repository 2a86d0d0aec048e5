"""The roster: the panel's own people, keyed by their Entra (AAD) object id."""

from __future__ import annotations

import re
from dataclasses import dataclass

from panel.errors import ValidationFailed
from panel.roles import Actor, Role

_AAD_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


@dataclass
class RosterMember:
    """A panel member, chair, coordinator, SOO…; never a party to a case."""

    aad_object_id: str
    display_name: str
    roles: frozenset[Role]
    active: bool = True
    version: int = 0
    agency: str | None = None  # a partner representative's agency ("Refuge"), for attendance figures

    def as_actor(self) -> Actor:
        """The member as an actor; an inactive member keeps no roles."""
        roles = self.roles if self.active else frozenset()
        return Actor(actor_id=self.aad_object_id, roles=roles, on_roster=self.active)


def normalise_aad_object_id(value: str) -> str:
    """Validate an Entra object id (a GUID) and return it in lower case."""
    value = value.strip()
    if not _AAD_ID.fullmatch(value):
        raise ValidationFailed("an Entra object id looks like 8-4-4-4-12 hexadecimal digits")
    return value.lower()


def parse_roles(value: str) -> frozenset[Role]:
    """Parse roles written as `chair; soo` (names as in the role table)."""
    names = [n.strip().lower().replace(" ", "_").replace("-", "_") for n in re.split(r"[;,]", value)]
    names = [n for n in names if n]
    if not names:
        raise ValidationFailed("at least one role is needed")
    known = {r.value for r in Role}
    unknown = [n for n in names if n not in known]
    if unknown:
        # The unknown word is not echoed: a misplaced column could hold anything.
        raise ValidationFailed("unknown role; roles are: " + ", ".join(sorted(known)))
    return frozenset(Role(n) for n in names)
