"""Proposals from the panel's members and partners, and from organisational learning: an action, a
direction or a theme for the case being heard, which the chair (or whoever records for the panel)
accepts or sets aside. An accepted one keeps where it came from by role, never by person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from panel.actions import OwnerRole
from panel.labels import label
from panel.roles import Role


class ProposalKind(StrEnum):
    """What is proposed."""

    ACTION = "action"
    DIRECTION = "direction"
    THEME = "theme"


class ProposalState(StrEnum):
    """Where a proposal stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    SET_ASIDE = "set_aside"


class ProposedBy(StrEnum):
    """Where a proposal came from: a role, never a person."""

    MEMBER = "member"
    PARTNER = "partner"
    LEARNING = "learning"


SOURCE_WORDS: dict[ProposedBy, str] = {
    ProposedBy.MEMBER: "proposed by a panel member",
    ProposedBy.PARTNER: "proposed by a partner agency",
    ProposedBy.LEARNING: "proposed by organisational learning",
}
# Which role proposes as which source, in this order when someone holds several.
PROPOSERS: tuple[tuple[Role, ProposedBy], ...] = (
    (Role.PARTNER, ProposedBy.PARTNER),
    (Role.MEMBER, ProposedBy.MEMBER),
    (Role.LEARNING_ANALYST, ProposedBy.LEARNING),
)


def source_for(roles: frozenset[Role], kind: ProposalKind) -> ProposedBy | None:
    """The role in which someone holding `roles` proposes this kind: members and partners anything,
    organisational learning themes only; None if they may not."""
    for role, source in PROPOSERS:
        if role in roles and (source is not ProposedBy.LEARNING or kind is ProposalKind.THEME):
            return source
    return None


def fits_case(kind: ProposalKind, closed: bool) -> bool:
    """Whether this kind may be proposed for a case: no action for a closed case under review, which
    stays closed (an action could never be accepted on it until the panel reopens it)."""
    return not (closed and kind is ProposalKind.ACTION)


@dataclass(slots=True)
class Proposal:
    """One proposal on a case (its text passed the identity guard)."""

    proposal_id: str  # P1, P2…
    kind: ProposalKind
    source: ProposedBy
    sitting_id: str
    at: datetime
    text: str | None = None  # an action's or a direction's words
    owner_role: OwnerRole | None = None  # an action's owner, as proposed
    direction_kind: str | None = None  # a DirectionKind's value (the case module imports this one)
    theme_code: str | None = None
    state: ProposalState = ProposalState.PENDING
    decided_at: datetime | None = None
    became: str | None = None  # the action's id, once accepted

    def summary(self, taxonomy: dict[str, str] | None = None) -> str:
        """The proposal in a line, for the panel's views."""
        if self.kind is ProposalKind.THEME:
            words = (taxonomy or {}).get(self.theme_code or "", self.theme_code or "")
            return f"Theme: {words}"
        if self.kind is ProposalKind.DIRECTION:
            about = (self.direction_kind or "").replace("_", " ")
            return f"Direction ({about}): {self.text}"
        return f"Action for {label(self.owner_role or OwnerRole.SOO)}: {self.text}"
