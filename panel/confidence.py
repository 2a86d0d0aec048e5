"""Early warning on a victim's confidence and safety: no update for too long, investigators
changing, a long investigation, a risk not reassessed or lowered without a supervisor's review, a
high risk with no safeguarding measure. The SOO's job is to catch these early; the panel sees them
on every case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from panel.case import Case, CaseStatus, Category
from panel.case_facts import (
    MANDATORY_REFERRAL_KINDS,
    RISK_ORDER,
    CaseFacts,
    CriminalStatus,
    IopcReferral,
    MisconductStatus,
    OtherForce,
    RankBand,
    Restriction,
    RiskLevel,
    safeguarded,
    stored_value,
)


@dataclass(frozen=True)
class ConfidenceThresholds:
    """A force's limits, past which a case is flagged."""

    days_without_victim_update: int = 14
    investigator_changes: int = 2
    investigation_days: int = 90
    risk_reassessment_days: int = 28
    senior_ranks_elsewhere: bool = False  # the force's rule: superintendent and above to another force


@dataclass(frozen=True)
class ConfidenceSignals:
    """The three measures and which of them are past the force's limits."""

    days_since_victim_update: int | None
    investigator_changes: int
    investigation_days: int
    flags: tuple[str, ...]


def confidence_signals(
    case: Case, today: date, limits: ConfidenceThresholds, facts: CaseFacts | None = None
) -> ConfidenceSignals:
    """Measure a case against the limits; a victim never updated counts from the date received.
    `facts`: the case's facts as they stood on `today`, where the caller has them already."""
    since = (today - (case.victim_last_updated or case.received)).days
    age = (today - case.received).days
    flags = []
    if since > limits.days_without_victim_update:
        flags.append(f"victim not updated for {since} days")
    if case.investigator_changes >= limits.investigator_changes:
        flags.append(f"investigator changed {case.investigator_changes} times")
    if age > limits.investigation_days:
        flags.append(f"investigation {age} days old")
    facts = facts if facts is not None else case.facts.as_at(today)  # for a past period, as then
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
    flags.extend(risk_flags(case, facts, today, limits))
    flags.extend(overdue_flags(case, facts, today, limits))
    return ConfidenceSignals(
        days_since_victim_update=(today - case.victim_last_updated).days
        if case.victim_last_updated
        else None,
        investigator_changes=case.investigator_changes,
        investigation_days=age,
        flags=tuple(flags),
    )


def risk_flags(case: Case, facts: CaseFacts, today: date, limits: ConfidenceThresholds) -> list[str]:
    """The risk kept current while the case is open: reassessed within the force's limit (counted
    from the last assessment, or from the date received), never lowered without a supervisor's
    review, and a high risk never left without a safeguarding measure."""
    if case.status is CaseStatus.CLOSED:
        return []
    flags = []
    since = (today - (facts.risk_assessed_on or case.received)).days
    if since > limits.risk_reassessment_days:
        flags.append(f"risk not reassessed for {since} days")
    if _lowered_without_review(case, today):
        flags.append("risk lowered without a supervisor's review")
    if case.risk_in(facts) is RiskLevel.HIGH and not safeguarded(facts, today):
        flags.append("high risk with no safeguarding measure recorded")
    return flags


def _lowered_without_review(case: Case, today: date) -> bool:
    """Whether the last change of the risk by `today` lowered it, and no supervisor's review was
    recorded as done on or after that day (and by `today`)."""
    record = case.facts
    changes = [e for e in record.entries("risk_level") if e.on <= today]
    if not changes or not changes[-1].value:
        return False
    earlier = [stored_value("risk_level", e.value) for e in changes[:-1]]
    before = next((v for v in reversed(earlier) if v is not None), case.risk)  # cleared: the registered
    after = stored_value("risk_level", changes[-1].value)
    if not isinstance(before, RiskLevel) or not isinstance(after, RiskLevel):
        return False
    if RISK_ORDER.index(after) >= RISK_ORDER.index(before):
        return False
    reviews = [e for e in record.entries("risk_supervisor_reviewed") if changes[-1].on <= e.on <= today]
    return not reviews or reviews[-1].value != "yes"


_MISCONDUCT_LIVE = (
    MisconductStatus.ASSESSING,
    MisconductStatus.MISCONDUCT_MEETING,
    MisconductStatus.GROSS_MISCONDUCT_HEARING,
    MisconductStatus.PAUSED_SPECIFIC_PREJUDICE,
)


def overdue_flags(case: Case, facts: CaseFacts, today: date, limits: ConfidenceThresholds) -> list[str]:
    """What falls overdue while the case is open: a paused misconduct case or a restriction past its
    review date, no restriction decided at high risk where the suspect is police, the victim not
    updated on an investigation still running; and the pattern the IOPC calls out, no further
    action then no case to answer, for the chair to look at (not a judgement)."""
    if case.status is CaseStatus.CLOSED:
        return []
    flags = []
    paused = facts.misconduct_status is MisconductStatus.PAUSED_SPECIFIC_PREJUDICE
    if paused and facts.misconduct_review_date is not None and facts.misconduct_review_date < today:
        late = (today - facts.misconduct_review_date).days
        flags.append(f"paused misconduct not reviewed for {late} days past its review date")
    restricted = facts.restriction not in (None, Restriction.NONE)
    due, reviewed = facts.restriction_review_due, facts.restriction_reviewed
    if restricted and due is not None and due < today and (reviewed is None or reviewed < due):
        late = (today - due).days
        flags.append(f"restriction not reviewed for {late} days past its review date")
    suspect_police = case.category in (Category.POLICE_PERPETRATOR, Category.BOTH_POLICE)
    if suspect_police and case.risk_in(facts) is RiskLevel.HIGH and facts.restriction is None:
        flags.append("high risk with no restriction decision recorded")
    if facts.criminal_status is CriminalStatus.ONGOING:
        since = (today - (facts.victim_updated_criminal or case.received)).days
        if since > limits.days_without_victim_update:
            flags.append(f"victim not told of the criminal investigation for {since} days")
    if facts.misconduct_status in _MISCONDUCT_LIVE:
        since = (today - (facts.victim_updated_misconduct or case.received)).days
        if since > limits.days_without_victim_update:
            flags.append(f"victim not told of the misconduct investigation for {since} days")
    alleged = any(getattr(facts, kind) for kind in MANDATORY_REFERRAL_KINDS)
    if alleged and facts.iopc_referral in (None, IopcReferral.NOT_REFERRED):
        flags.append("may need an IOPC referral (a kind of abuse the IOPC must be referred)")
    senior = facts.rank_band is RankBand.SUPERINTENDENT_AND_ABOVE
    if limits.senior_ranks_elsewhere and senior and facts.other_force in (None, OtherForce.NO):
        flags.append("superintendent or above, not investigated by another force (the force's rule)")
    nfa = facts.criminal_status is CriminalStatus.NO_FURTHER_ACTION
    if nfa and facts.misconduct_status is MisconductStatus.NO_CASE_TO_ANSWER:
        flags.append("no further action, then no case to answer (the chair to look at it)")
    return flags
