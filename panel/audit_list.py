"""Cases to audit: live, or closed in the last twelve months, the cases the national audit asked
every force to look at again; and when an audit of one may be dated."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from panel.case import Case, CaseStatus
from panel.clock import to_london
from panel.errors import ValidationFailed

# The twelve months the list looks back over, for closed cases.
LOOK_BACK = timedelta(days=365)
LIST_NAME = "Cases to audit: live, or closed in the last twelve months"


def to_audit(case: Case, today: date) -> bool:
    """Whether the case is on the list of cases to audit today: received by today, and live or
    closed in the last twelve months."""
    if case.received > today:
        return False
    closed = case.closed_at
    if case.status is not CaseStatus.CLOSED:
        return True
    return closed is not None and to_london(closed).date() >= today - LOOK_BACK


def may_be_listed_since(now: datetime) -> datetime:
    """The earliest a closed case can have closed and still be on the list now: a store need read
    no case closed before it (a day's margin for London's calendar day against the moment in UTC)."""
    return now - LOOK_BACK - timedelta(days=1)


def check_audit_day(case: Case, on: date, today: date) -> None:
    """An audit is dated on a day it could have happened: not after today, not before the case."""
    if on > today:
        raise ValidationFailed("An audit cannot be dated in the future.")
    if on < case.received:
        raise ValidationFailed(
            f"Case {case.reference} was received on {case.received:%d %B %Y}: an audit cannot come before it."
        )
