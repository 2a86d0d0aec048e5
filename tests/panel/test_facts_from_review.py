"""What a review of the facts found, each held: a supervisor's review answered afresh for a new
assessment, a restriction reviewed on time, a cleared fact not counted, an unreadable old value
read as not recorded, a measure not in place before its date, a notice's 48 hours, support
accepted never before it was offered, and a retired choice never newly recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from panel.case import Case, CaseConferenceFlags, Category, ReferralRoute, RiskLevel
from panel.case_facts import CriminalStatus, FactEntry, RecordedBy, Restriction, refuse_retired, safeguarded
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.errors import ValidationFailed
from panel.report import HIGH_RISK_SAFEGUARDED, RESIGNED, Period, outputs_report

RECEIVED = date(2026, 8, 3)
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
Q4 = Period(date(2026, 10, 1), date(2026, 12, 31))
LIMITS = ConfidenceThresholds()


def _case(risk: RiskLevel = RiskLevel.HIGH) -> Case:
    registered = datetime.combine(RECEIVED, time(12), tzinfo=UTC)
    return Case(
        "c1", "K7F-2QM", Category.POLICE_PERPETRATOR, ReferralRoute.MASH, RECEIVED, risk,
        CaseConferenceFlags(), registered, "coordinator", soo_id="soo-1",
    )  # fmt: skip


def _flags(case: Case, day: date) -> tuple[str, ...]:
    return confidence_signals(case, day, LIMITS).flags


def test_a_supervisors_review_given_with_a_new_lower_risk_clears_the_warning() -> None:
    case = _case()
    case.facts.apply({"risk_supervisor_reviewed": True, "safety_plan_agreed": RECEIVED}, RECEIVED)
    lowered = RECEIVED + timedelta(days=5)
    # The form sends the review as it stands (Yes) with the new, lower risk: answered afresh.
    case.facts.apply({"risk_level": RiskLevel.MEDIUM, "risk_supervisor_reviewed": True}, lowered)
    assert not any("lowered" in f for f in _flags(case, lowered))


def test_a_risk_cleared_then_set_lower_than_registered_is_a_downgrade() -> None:
    case = _case()
    case.facts.apply({"risk_level": RiskLevel.HIGH, "safety_plan_agreed": RECEIVED}, RECEIVED)
    case.facts.apply({"risk_level": None}, RECEIVED + timedelta(days=1))
    case.facts.apply({"risk_level": RiskLevel.STANDARD}, RECEIVED + timedelta(days=2))
    assert any("lowered" in f for f in _flags(case, RECEIVED + timedelta(days=2)))


@pytest.mark.parametrize(
    ("restriction", "reviewed", "flagged"),
    [
        (Restriction.SUSPENDED, None, True),
        (Restriction.SUSPENDED, date(2026, 9, 1), False),  # reviewed on the day it was due
        (Restriction.SUSPENDED, date(2026, 8, 20), True),  # reviewed before, not since it fell due
        (Restriction.NONE, None, False),  # nothing to review
    ],
)
def test_a_restriction_reviewed_when_due_is_not_flagged(
    restriction: Restriction, reviewed: date | None, flagged: bool
) -> None:
    case = _case(RiskLevel.MEDIUM)
    changes = {
        "restriction": restriction,
        "restriction_review_due": date(2026, 9, 1),
        "restriction_reviewed": reviewed,
    }
    case.facts.apply(changes, RECEIVED)
    assert any("restriction not reviewed" in f for f in _flags(case, date(2026, 9, 10))) is flagged


def test_a_fact_cleared_or_corrected_later_is_counted_once_when_first_recorded() -> None:
    case = _case()
    case.facts.apply({"resigned_or_retired": date(2026, 9, 1)}, date(2026, 9, 2))
    case.facts.apply({"resigned_or_retired": None}, date(2026, 10, 3))
    case.facts.apply({"resigned_or_retired": date(2026, 9, 5)}, date(2026, 11, 3))
    assert outputs_report([case], [], [], Q3, LIMITS, compare=False).figure(RESIGNED) == 1
    assert outputs_report([case], [], [], Q4, LIMITS, compare=False).figure(RESIGNED) == 0


def test_an_old_value_no_longer_understood_reads_as_not_recorded() -> None:
    case = _case()
    case.facts.apply({"criminal_status": CriminalStatus.ONGOING}, RECEIVED)
    case.facts.history.append(FactEntry("criminal_status", "deferred_prosecution", RECEIVED, RecordedBy.SOO))
    assert case.facts.as_at(RECEIVED).criminal_status is None
    assert _flags(case, RECEIVED) is not None  # the case still reads and warns


def test_a_measure_is_not_in_place_before_its_date_and_a_notice_only_for_48_hours() -> None:
    case = _case()
    case.facts.apply({"marac_referred": date(2026, 10, 5)}, RECEIVED)  # imported, dated from receipt
    assert outputs_report([case], [], [], Q3, LIMITS, compare=False).figure(HIGH_RISK_SAFEGUARDED) == 0
    notice = _case().facts
    notice.apply({"dvpn_issued": date(2026, 9, 1)}, date(2026, 9, 1))
    facts = notice.facts
    assert safeguarded(facts, date(2026, 9, 3)) and not safeguarded(facts, date(2026, 9, 4))


def test_support_accepted_never_before_it_was_offered_however_the_dates_are_changed() -> None:
    case = _case()
    case.facts.apply(
        {"support_idva_offered": date(2026, 8, 4), "support_idva_accepted": date(2026, 8, 6)}, RECEIVED
    )
    with pytest.raises(ValidationFailed, match="IDVA"):
        case.facts.apply({"support_idva_offered": date(2026, 8, 9)}, RECEIVED)
    with pytest.raises(ValidationFailed, match="IDVA"):
        case.facts.apply({"support_idva_offered": None}, RECEIVED)


def test_a_retired_choice_is_never_newly_recorded() -> None:
    case = _case()
    with pytest.raises(ValidationFailed, match="not one of the choices"):
        refuse_retired({"criminal_status": CriminalStatus.COURT_OUTCOME}, case.facts.facts)
    case.facts.facts = case.facts.facts.__class__(criminal_status=CriminalStatus.COURT_OUTCOME)
    refuse_retired({"criminal_status": CriminalStatus.COURT_OUTCOME}, case.facts.facts)  # as it was


def test_restrictions_decided_and_reviewed_on_time_are_counted() -> None:
    from panel.report import RESTRICTION_DECIDED, RESTRICTION_ON_TIME

    decided, overdue, none = _case(), _case(), _case()
    decided.facts.apply(
        {"restriction": Restriction.SUSPENDED, "restriction_review_due": date(2026, 10, 1)}, RECEIVED
    )
    overdue.facts.apply(
        {"restriction": Restriction.MOVED, "restriction_review_due": date(2026, 9, 1)}, RECEIVED
    )
    none.facts.apply({"restriction": Restriction.NONE}, RECEIVED)
    report = outputs_report([decided, overdue, none, _case()], [], [], Q3, LIMITS, compare=False)
    assert report.figure(RESTRICTION_DECIDED) == 3
    assert report.figure(RESTRICTION_ON_TIME) == 1  # the moved one fell due on 1 September


def test_handed_on_the_flags_total_is_hidden_whenever_any_flag_is() -> None:
    from panel.handed_on import FLAGS, handed_on
    from panel.report import CLOSED, Breakdown, Report

    def total(counts: tuple[tuple[str, int], ...]) -> bool:
        report = Report(Q3, ((CLOSED, 0),), (Breakdown(FLAGS, counts),), None, None, ())
        return handed_on(report, (), 5).breakdowns[FLAGS][1].hidden

    assert total((("Risk not reassessed", 9), ("Victim not updated", 2), ("Investigation older", 8)))
    assert not total((("Risk not reassessed", 9), ("Victim not updated", 7)))


def test_a_paused_misconduct_case_is_worded_as_the_statutory_guidance_words_it() -> None:
    from panel.case_facts import MisconductStatus
    from panel.labels import label

    assert (
        label(MisconductStatus.PAUSED_SPECIFIC_PREJUDICE)
        == "Paused for specific and significant identified prejudice"
    )
