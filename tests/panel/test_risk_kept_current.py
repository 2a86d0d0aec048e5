"""The risk kept current and the victim safeguarded: each early warning at its limit (a day before,
on, a day after), each fact's history read as it stood at a period's end, and the figures for a past
period unchanged by a fact recorded since."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from panel.case import Case, CaseConferenceFlags, CaseStatus, Category, ReferralRoute, RiskLevel
from panel.case_facts import AssessedBy, CaseFacts, FactChange, FactRecord, RecordedBy
from panel.case_facts_csv import case_facts_csv
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.report import HIGH_RISK, HIGH_RISK_SAFEGUARDED, RISK_CURRENT, Period, outputs_report

RECEIVED = date(2026, 9, 1)
LIMITS = ConfidenceThresholds()  # 28 days without a reassessment


def _case(risk: RiskLevel = RiskLevel.MEDIUM, n: int = 1) -> Case:
    registered = datetime.combine(RECEIVED, time(12), tzinfo=UTC)
    return Case(
        f"c{n}", f"K7F-2Q{n}", Category.POLICE_VICTIM, ReferralRoute.MASH, RECEIVED, risk,
        CaseConferenceFlags(), registered, "coordinator", soo_id="soo-1",
    )  # fmt: skip


def _flags(case: Case, today: date) -> tuple[str, ...]:
    return confidence_signals(case, today, LIMITS).flags


def _reassess(days: int) -> str | None:
    return next((f for f in _flags(_case(), RECEIVED + timedelta(days=days)) if "reassessed" in f), None)


def test_a_risk_not_reassessed_is_flagged_only_past_the_forces_limit() -> None:
    assert _reassess(27) is None
    assert _reassess(28) is None  # on the limit: not yet longer than it
    assert _reassess(29) == "risk not reassessed for 29 days"


def test_the_limit_counts_from_the_last_assessment_and_is_the_forces_own() -> None:
    case = _case()
    assessed = RECEIVED + timedelta(days=20)
    case.facts.apply({"risk_level": RiskLevel.MEDIUM, "risk_assessed_on": assessed}, assessed, RecordedBy.SOO)
    assert not any("reassessed" in f for f in _flags(case, assessed + timedelta(days=28)))
    assert "risk not reassessed for 29 days" in _flags(case, assessed + timedelta(days=29))
    strict = ConfidenceThresholds(risk_reassessment_days=7)
    assert (
        "risk not reassessed for 8 days"
        in confidence_signals(case, assessed + timedelta(days=8), strict).flags
    )


def test_a_closed_case_is_not_flagged_for_its_risk() -> None:
    case = _case(RiskLevel.HIGH)
    case.status = CaseStatus.CLOSED
    assert not any("risk" in f for f in _flags(case, RECEIVED + timedelta(days=200)))


def _lowered(on: date, reviewed_on: date | None, reviewed: bool = True) -> Case:
    case = _case(RiskLevel.HIGH)
    case.facts.apply({"safety_plan_agreed": RECEIVED}, RECEIVED)
    case.facts.apply(
        {
            "risk_level": RiskLevel.STANDARD,
            "risk_assessed_on": on,
            "risk_assessed_by": AssessedBy.INVESTIGATOR,
        },
        on,
    )
    if reviewed_on is not None:
        case.facts.apply({"risk_supervisor_reviewed": reviewed}, reviewed_on)
    return case


LOWERED = "risk lowered without a supervisor's review"


def test_a_risk_lowered_without_a_supervisors_review_is_flagged() -> None:
    day = RECEIVED + timedelta(days=10)
    assert LOWERED in _flags(_lowered(day, None), day)
    assert LOWERED not in _flags(_lowered(day, day), day)  # reviewed the same day
    assert LOWERED in _flags(_lowered(day, day, reviewed=False), day)  # recorded as not reviewed
    # A review recorded a day later clears it from that day, not before.
    later = _lowered(day, day + timedelta(days=1))
    assert LOWERED in _flags(later, day)
    assert LOWERED not in _flags(later, day + timedelta(days=1))


def test_a_review_recorded_before_the_risk_was_lowered_does_not_count() -> None:
    case = _case(RiskLevel.HIGH)
    case.facts.apply({"risk_supervisor_reviewed": True, "safety_plan_agreed": RECEIVED}, RECEIVED)
    lowered = RECEIVED + timedelta(days=5)
    case.facts.apply({"risk_level": RiskLevel.MEDIUM}, lowered)
    assert LOWERED in _flags(case, lowered)


def test_a_risk_raised_is_not_a_downgrade() -> None:
    case = _case(RiskLevel.STANDARD)
    case.facts.apply({"risk_level": RiskLevel.HIGH, "dvpn_issued": RECEIVED}, RECEIVED)
    assert LOWERED not in _flags(case, RECEIVED)


NO_MEASURE = "high risk with no safeguarding measure recorded"


@pytest.mark.parametrize(
    ("registered", "assessed", "measure", "flagged"),
    [
        (RiskLevel.HIGH, None, None, True),
        (RiskLevel.HIGH, None, "marac_referred", False),
        (RiskLevel.MEDIUM, RiskLevel.HIGH, None, True),  # raised to high: the measure is owed now
        (RiskLevel.HIGH, RiskLevel.MEDIUM, None, False),  # no longer high
        (RiskLevel.MEDIUM, None, None, False),
    ],
)
def test_high_risk_with_no_safeguarding_measure_is_flagged(
    registered: RiskLevel, assessed: RiskLevel | None, measure: str | None, flagged: bool
) -> None:
    case = _case(registered)
    if assessed:
        case.facts.apply({"risk_level": assessed}, RECEIVED)
    if measure:
        case.facts.apply({measure: RECEIVED}, RECEIVED)
    assert (NO_MEASURE in _flags(case, RECEIVED)) is flagged


def test_each_change_is_kept_with_its_day_and_role_and_read_as_it_stood() -> None:
    record = FactRecord()
    record.apply({"risk_level": RiskLevel.HIGH}, date(2026, 9, 3), RecordedBy.IMPORT)
    record.apply({"risk_level": RiskLevel.MEDIUM}, date(2026, 10, 2), RecordedBy.SOO)
    record.apply({"risk_level": RiskLevel.STANDARD}, date(2026, 10, 2), RecordedBy.COORDINATOR)
    assert [(e.value, e.by) for e in record.entries("risk_level")] == [
        ("high", RecordedBy.IMPORT),
        ("medium", RecordedBy.SOO),
        ("standard", RecordedBy.COORDINATOR),
    ]
    assert record.as_at(date(2026, 9, 2)).risk_level is None  # not yet recorded
    assert record.as_at(date(2026, 9, 30)).risk_level is RiskLevel.HIGH
    assert record.as_at(date(2026, 10, 2)).risk_level is RiskLevel.STANDARD  # the day's last
    record.apply({"risk_level": None}, date(2026, 11, 1))
    assert record.as_at(date(2026, 11, 1)).risk_level is None
    assert record.as_at(date(2026, 10, 31)).risk_level is RiskLevel.STANDARD


def test_a_fact_recorded_before_changes_were_kept_counts_from_its_last_change() -> None:
    # As stored before this version: the value and the day it last changed, no history.
    old = FactRecord(
        CaseFacts(rank_band=None, risk_level=RiskLevel.HIGH), [FactChange("risk_level", date(2026, 9, 5))]
    )
    assert old.as_at(date(2026, 9, 4)).risk_level is None
    assert old.as_at(date(2026, 9, 5)).risk_level is RiskLevel.HIGH
    old.apply({"risk_level": RiskLevel.MEDIUM}, date(2026, 10, 1), RecordedBy.SOO)
    assert old.as_at(date(2026, 9, 20)).risk_level is RiskLevel.HIGH  # what it was is kept
    assert old.as_at(date(2026, 10, 1)).risk_level is RiskLevel.MEDIUM


Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))


def test_a_past_periods_figures_do_not_change_when_a_fact_is_recorded_since() -> None:
    cases = [_case(RiskLevel.HIGH, n) for n in range(1, 7)]
    for case in cases[:4]:
        case.facts.apply({"marac_referred": date(2026, 9, 10)}, date(2026, 9, 10))
    for case in cases[:2]:
        case.facts.apply({"risk_assessed_on": date(2026, 9, 15)}, date(2026, 9, 15))
    before = outputs_report(cases, [], [], Q3, LIMITS, compare=False)
    csv_before = case_facts_csv(cases, [c.reference for c in cases], Q3, LIMITS)
    assert before.figure(HIGH_RISK) == 6 and before.figure(HIGH_RISK_SAFEGUARDED) == 4
    # Received 1 September: 29 days without a reassessment on 30 September, unless assessed since.
    assert before.figure(RISK_CURRENT) == 2
    # This morning (December), every case gets a measure and a reassessment that lowers its risk.
    today = date(2026, 12, 7)
    for case in cases:
        changes = {
            "dvpn_issued": date(2026, 12, 1),
            "risk_level": RiskLevel.MEDIUM,
            "risk_assessed_on": today,
        }
        case.facts.apply(changes, today)
    after = outputs_report(cases, [], [], Q3, LIMITS, compare=False)
    assert after.figures == before.figures
    assert case_facts_csv(cases, [c.reference for c in cases], Q3, LIMITS) == csv_before
    now = outputs_report(cases, [], [], Period(date(2026, 12, 1), today), LIMITS, compare=False)
    assert now.figure(HIGH_RISK) == 0 and now.figure(RISK_CURRENT) == 6  # counted from now on
