"""Actions the panel sets on a case, which must be done (or cancelled with a reason) before it closes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from panel.errors import InvalidTransition, ValidationFailed

MAX_DESCRIPTION = 500
MAX_NOTE = 300


class OwnerRole(StrEnum):
    """Who must do the action: a role, never a named person."""

    SOO = "soo"
    INVESTIGATION_TEAM = "investigation_team"
    PSD = "psd"
    HR = "hr"
    LINE_MANAGER = "line_manager"
    SAFEGUARDING = "safeguarding"
    PARTNER_AGENCY = "partner_agency"
    ORGANISATIONAL_LEARNING = "organisational_learning"


class ActionStatus(StrEnum):
    """Open, done, or cancelled with a reason."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class ActionChange:
    """Who changed an action's status, to what, and when."""

    status: ActionStatus
    by: str
    at: datetime


@dataclass(slots=True)
class PanelAction:
    """One agreed action on a case."""

    action_id: str
    description: str
    owner_role: OwnerRole
    due: date
    set_by: str
    set_at: datetime
    sitting_id: str | None = None
    status: ActionStatus = ActionStatus.OPEN
    note: str | None = None
    changes: list[ActionChange] = field(default_factory=list)
    source: str | None = None  # "proposed by a partner agency": where an accepted proposal came from

    def mark_done(self, *, by: str, at: datetime, note: str | None = None) -> None:
        """Mark the action complete, with an optional short completion note."""
        self._leave_open(ActionStatus.DONE, by=by, at=at)
        self.note = note

    def cancel(self, *, reason: str, by: str, at: datetime) -> None:
        """Cancel the action; a reason is required so closure can be justified later."""
        if not reason.strip():
            raise ValidationFailed("A cancelled action needs a reason.")
        self._leave_open(ActionStatus.CANCELLED, by=by, at=at)
        self.note = reason

    @property
    def settled(self) -> bool:
        """Done, or cancelled with a reason: no longer stands in the way of closure."""
        return self.status is not ActionStatus.OPEN

    def overdue(self, today: date) -> bool:
        """Open past its due date."""
        return self.status is ActionStatus.OPEN and self.due < today

    def _leave_open(self, status: ActionStatus, *, by: str, at: datetime) -> None:
        if self.status is not ActionStatus.OPEN:
            raise InvalidTransition(f"Action {self.action_id} is already {self.status.value}.")
        self.status = status
        self.changes.append(ActionChange(status=status, by=by, at=at))


def validate_description(text: str, *, limit: int = MAX_DESCRIPTION, what: str = "description") -> str:
    """Trim and bound a free-text field (the identity guard runs separately)."""
    text = " ".join(text.split())
    if not text:
        raise ValidationFailed(f"The {what} is empty.")
    if len(text) > limit:
        raise ValidationFailed(f"The {what} is longer than {limit} characters.")
    return text
