"""Force-wide learning actions: what the force will change because of the themes the panel keeps
seeing, owned by a role, due by a date, and tracked to done like a case's actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from panel.actions import ActionStatus, OwnerRole
from panel.errors import InvalidTransition


@dataclass
class LearningAction:
    """One learning action (its text passed the identity guard)."""

    action_id: str  # L1, L2…
    text: str
    owner_role: OwnerRole
    due: date
    theme_code: str | None
    set_by: str
    set_at: datetime
    status: ActionStatus = ActionStatus.OPEN
    done_at: datetime | None = None
    note: str | None = None
    version: int = 0

    def mark_done(self, at: datetime, note: str | None) -> None:
        """Done, with an optional note of what changed."""
        if self.status is not ActionStatus.OPEN:
            raise InvalidTransition(f"Learning action {self.action_id} is already {self.status.value}.")
        self.status, self.done_at, self.note = ActionStatus.DONE, at, note

    def overdue(self, today: date) -> bool:
        """Open past its due date."""
        return self.status is ActionStatus.OPEN and self.due < today


@dataclass(frozen=True)
class LearningSummary:
    """The learning actions at a glance."""

    open: int
    overdue: int
    done: int
    actions: tuple[LearningAction, ...] = field(default_factory=tuple)
