"""What falls overdue while a case is open, each early warning at its limit (a day before, on, a day
after): a paused misconduct case or a restriction past its review date, the victim not told of an
investigation still running, no restriction decided at high risk, and no further action then no
case to answer, for the chair to look at."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from panel.case import Case, CaseConferenceFlags, CaseStatus, Category, ReferralRoute, RiskLevel
from panel.case_facts import CriminalStatus, DecidedBy, MisconductStatus, Restriction
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.errors import ValidationFailed
from panel.usecases import case_life
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.panel.helpers import new_case

RECEIVED = date(2026, 9, 1)
LIMITS = ConfidenceThresholds()  # 14 days without telling the victim
REVIEW = date(2026, 10, 1)


def _case(category: Category = Category.POLICE_PERPETRATOR, risk: RiskLevel = RiskLevel.MEDIUM) -> Case:
    registered = datetime.combine(RECEIVED, time(12), tzinfo=UTC)
    return Case(
        "c1", "K7F-2QM", category, ReferralRoute.MASH, RECEIVED, risk,
        CaseConferenceFlags(), registered, "coordinator", soo_id="soo-1",
    )  # fmt: skip


def _flag(case: Case, today: date, words: str) -> str | None:
    return next((f for f in confidence_signals(case, today, LIMITS).flags if words in f), None)


@pytest.mark.parametrize(("days", "flag"), [(-1, None), (0, None), (1, "for 1 days past its review date")])
def test_a_paused_misconduct_case_past_its_review_date_is_flagged(days: int, flag: str | None) -> None:
    case = _case()
    changes = {
        "misconduct_status": MisconductStatus.PAUSED_SPECIFIC_PREJUDICE,
        "misconduct_review_date": REVIEW,
        "misconduct_pause_authorised_by": DecidedBy.APPROPRIATE_AUTHORITY,
    }
    case.facts.apply(changes, RECEIVED)
    found = _flag(case, REVIEW + timedelta(days=days), "paused misconduct not reviewed")
    assert (found is None) is (flag is None) and (flag is None or flag in found)  # type: ignore[operator]


@pytest.mark.parametrize(("days", "flagged"), [(-1, False), (0, False), (1, True)])
def test_a_restriction_past_its_review_date_is_flagged(days: int, flagged: bool) -> None:
    case = _case()
    case.facts.apply(
        {"restriction": Restriction.RESTRICTED_DUTIES, "restriction_review_due": REVIEW}, RECEIVED
    )
    assert (_flag(case, REVIEW + timedelta(days=days), "restriction not reviewed") is not None) is flagged


@pytest.mark.parametrize(
    ("category", "risk", "restriction", "flagged"),
    [
        (Category.POLICE_PERPETRATOR, RiskLevel.HIGH, None, True),
        (Category.BOTH_POLICE, RiskLevel.HIGH, None, True),
        (Category.POLICE_PERPETRATOR, RiskLevel.HIGH, Restriction.NONE, False),  # decided: none
        (Category.POLICE_VICTIM, RiskLevel.HIGH, None, False),  # the suspect is not police
        (Category.POLICE_PERPETRATOR, RiskLevel.MEDIUM, None, False),
    ],
)
def test_high_risk_with_no_restriction_decision_is_flagged_where_the_suspect_is_police(
    category: Category, risk: RiskLevel, restriction: Restriction | None, flagged: bool
) -> None:
    case = _case(category, risk)
    if restriction:
        case.facts.apply({"restriction": restriction}, RECEIVED)
    assert (_flag(case, RECEIVED, "no restriction decision") is not None) is flagged


@pytest.mark.parametrize(("days", "flagged"), [(13, False), (14, False), (15, True)])
def test_the_victim_not_told_of_a_running_criminal_investigation_is_flagged(days: int, flagged: bool) -> None:
    case = _case()
    told = RECEIVED + timedelta(days=10)
    case.facts.apply({"criminal_status": CriminalStatus.ONGOING, "victim_updated_criminal": told}, told)
    assert (_flag(case, told + timedelta(days=days), "criminal investigation") is not None) is flagged


def test_the_victim_not_told_of_the_misconduct_investigation_counts_from_receipt_until_told() -> None:
    case = _case()
    case.facts.apply({"misconduct_status": MisconductStatus.ASSESSING}, RECEIVED)
    assert _flag(case, RECEIVED + timedelta(days=14), "misconduct investigation") is None
    assert _flag(case, RECEIVED + timedelta(days=15), "misconduct investigation") == (
        "victim not told of the misconduct investigation for 15 days"
    )
    case.facts.apply(
        {"victim_updated_misconduct": RECEIVED + timedelta(days=15)}, RECEIVED + timedelta(days=15)
    )
    assert _flag(case, RECEIVED + timedelta(days=15), "misconduct investigation") is None
    # Once it has an outcome, there is nothing running to be told of.
    case.facts.apply({"misconduct_status": MisconductStatus.OUTCOME}, RECEIVED + timedelta(days=40))
    assert _flag(case, RECEIVED + timedelta(days=60), "misconduct investigation") is None


def test_no_further_action_then_no_case_to_answer_is_put_to_the_chair() -> None:
    case = _case()
    case.facts.apply({"criminal_status": CriminalStatus.NO_FURTHER_ACTION}, RECEIVED)
    assert _flag(case, RECEIVED, "no case to answer") is None
    case.facts.apply({"misconduct_status": MisconductStatus.NO_CASE_TO_ANSWER}, RECEIVED)
    assert _flag(case, RECEIVED, "no case to answer") == (
        "no further action, then no case to answer (the chair to look at it)"
    )
    case.status = CaseStatus.CLOSED
    assert _flag(case, RECEIVED, "no case to answer") is None


async def test_a_date_of_something_done_cannot_lie_ahead_but_a_review_can(deps: Deps) -> None:
    from cli.demo_data import SOO_ONE

    case = await new_case(deps, SOO_ONE)
    soo = actor(SOO_ONE)
    tomorrow = deps.today() + timedelta(days=1)
    with pytest.raises(ValidationFailed, match="MARAC referral made: a date today or before"):
        await case_life.record_facts(deps, soo, case.reference, {"marac_referred": tomorrow})
    changed = await case_life.record_facts(
        deps, soo, case.reference, {"restriction": Restriction.SUSPENDED, "restriction_review_due": tomorrow}
    )
    assert changed == ("restriction", "restriction_review_due")
