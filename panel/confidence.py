"""Early warning on a victim's confidence: no update for too long, investigators changing, a long
investigation. The SOO's job is to catch these early; the panel sees them on every case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from panel.case import Case, CaseStatus
from panel.case_facts import MisconductStatus


@dataclass(frozen=True)
class ConfidenceThresholds:
    """A force's limits, past which a case is flagged."""

    days_without_victim_update: int = 14
    investigator_changes: int = 2
    investigation_days: int = 90


@dataclass(frozen=True)
class ConfidenceSignals:
    """The three measures and which of them are past the force's limits."""

    days_since_victim_update: int | None
    investigator_changes: int
    investigation_days: int
    flags: tuple[str, ...]


def confidence_signals(case: Case, today: date, limits: ConfidenceThresholds) -> ConfidenceSignals:
    """Measure a case against the limits; a victim never updated counts from the date received."""
    since = (today - (case.victim_last_updated or case.received)).days
    age = (today - case.received).days
    flags = []
    if since > limits.days_without_victim_update:
        flags.append(f"victim not updated for {since} days")
    if case.investigator_changes >= limits.investigator_changes:
        flags.append(f"investigator changed {case.investigator_changes} times")
    if age > limits.investigation_days:
        flags.append(f"investigation {age} days old")
    facts = case.facts.facts
    # What is missing, once the panel has heard the case: the points the force must be able to show.
    if case.hearings or case.status not in (CaseStatus.REGISTERED, CaseStatus.LISTED):
        if facts.independence_declared is not True:
            flags.append("no declaration of the investigator's independence")
        if facts.support_offered is None:
            flags.append("no IDVA or specialist support recorded as offered")
    if (
        facts.misconduct_status is MisconductStatus.PAUSED_SPECIFIC_PREJUDICE
        and facts.misconduct_review_date is None
    ):
        flags.append("misconduct paused with no review date")
    return ConfidenceSignals(
        days_since_victim_update=(today - case.victim_last_updated).days
        if case.victim_last_updated
        else None,
        investigator_changes=case.investigator_changes,
        investigation_days=age,
        flags=tuple(flags),
    )
