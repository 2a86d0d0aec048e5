"""The closure rule: a case may close only when every agreed action is done or cancelled with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from panel.actions import OwnerRole
from panel.case import TRANSITIONS, Case, CaseStatus


@dataclass(frozen=True)
class Outstanding:
    """An action still standing in the way of closure."""

    action_id: str
    owner_role: OwnerRole
    due: date
    overdue: bool


@dataclass(frozen=True)
class ClosureDecision:
    """Whether the case may close now and, when not, exactly why."""

    allowed: bool
    reasons: tuple[str, ...]
    outstanding: tuple[Outstanding, ...]


def closure_decision(case: Case, today: date) -> ClosureDecision:
    """Decide whether a case may close, listing every open action and any status reason."""
    reasons: list[str] = []
    if case.status is CaseStatus.CLOSED:
        reasons.append(f"Case {case.reference} is already closed.")
    elif case.status is CaseStatus.LISTED:
        # Listed covers "being heard right now" too: the hearing closes when the chair moves on.
        reasons.append(
            f"Case {case.reference} is on a sitting's agenda; "
            "closure can be asked for once that hearing is over."
        )
    elif CaseStatus.CLOSED not in TRANSITIONS[case.status]:
        reasons.append(f"Case {case.reference} has not been heard by the panel yet.")
    elif not case.actions and not case.may_close_without_actions:
        # Closing is the panel's decision: with no actions set, the panel must say none are needed.
        reasons.append(
            f"The panel set no actions on case {case.reference}: closure waits until the panel records "
            "that none are needed."
        )
    outstanding = tuple(
        Outstanding(a.action_id, a.owner_role, a.due, a.overdue(today)) for a in case.actions if not a.settled
    )
    if outstanding:
        overdue = sum(1 for o in outstanding if o.overdue)
        noun = "action is" if len(outstanding) == 1 else "actions are"
        extra = f" ({overdue} overdue)" if overdue else ""
        reasons.append(f"{len(outstanding)} agreed {noun} still open{extra}.")
    return ClosureDecision(allowed=not reasons, reasons=tuple(reasons), outstanding=outstanding)
