"""What every store does alike with the domain's versioned records: which fields it indexes, how a
staged write is held until commit, and how a missing record is reported."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from panel.case import Case
from panel.errors import NotFound
from panel.sitting import Sitting

T = TypeVar("T")
Fields = Callable[[], dict[str, Any]]


@dataclass
class StagedRecord:
    """A record waiting for commit: serialised then, so its latest state is what is stored."""

    kind: str  # the SQLite table, or the Cosmos DB document kind
    key: str  # the row id, or the document id
    record: Any
    fields: Fields  # the indexed fields, beside the whole record
    new: bool
    read_at: int  # the version it was read at: the commit is refused if it has moved on

    @property
    def next_version(self) -> int:
        """The version the record has once this write commits."""
        return 1 if self.new else self.read_at + 1


def restage(earlier: StagedRecord | None, staged: StagedRecord) -> StagedRecord:
    """Saving a record again in one unit of work is one write; if it was added there, it stays new."""
    if earlier is not None and earlier.new:
        staged.new = True
    return staged


def found(record: T | None) -> T:
    """The record, or NotFound in words a user can read."""
    if record is None:
        raise NotFound("No such record. Check the reference and try again.")
    return record


def case_fields(case: Case) -> dict[str, Any]:
    """A case's fields that queries filter and sort on."""
    return {
        "reference": case.reference,
        "soo_id": case.soo_id,
        "status": case.status.value,
        "registered_at": case.registered_at.isoformat(),
        # Figures over a period need not read what closed long before it (see pages()).
        "closed_at": closed.astimezone(UTC).isoformat() if (closed := case.closed_at) else None,
        # Every change marks the case for the reminder round's next look (see waking()).
        "wake_at": None,
    }


# Stored for a case no reminder will ever need again until it changes; sorts after every moment.
NEVER = "9999-12-31T00:00:00+00:00"


def wake_text(moment: datetime | None) -> str:
    """A wake moment as stored: UTC ISO 8601, so text order is time order."""
    return NEVER if moment is None else moment.astimezone(UTC).isoformat()


def sitting_fields(sitting: Sitting) -> dict[str, Any]:
    """A sitting's fields that queries filter and sort on."""
    return {"sitting_date": sitting.sitting_date.isoformat(), "status": sitting.status.value}


def moment(value: Any) -> datetime | None:
    """A stored ISO timestamp, or None."""
    return datetime.fromisoformat(value) if value else None
