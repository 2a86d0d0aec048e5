"""The offence, the outcomes and the victim's right to review: the IOPC's mandatory-referral check,
the kinds of abuse on one line, the sex of victim and suspect counted but never shown by case,
outcomes counted in the period they were recorded, and retired choices read but not offered."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

import pytest

from cards.case_facts_form import fact_inputs, fact_lines
from panel.case import Case, CaseConferenceFlags, Category, ReferralRoute, RiskLevel
from panel.case_facts import (
    CaseFacts,
    IopcReferral,
    MisconductOutcome,
    OtherForce,
    RankBand,
    ReviewOutcome,
    Sex,
)
from panel.case_facts_csv import case_facts_csv
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.errors import ValidationFailed
from panel.report import FEMALE_VICTIMS, RESIGNED, RTR_REQUESTED, RTR_UPHELD, Period, outputs_report

RECEIVED = date(2026, 8, 3)
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
Q4 = Period(date(2026, 10, 1), date(2026, 12, 31))
LIMITS = ConfidenceThresholds()
MAY_NEED = "may need an IOPC referral"


def _case(n: int = 1) -> Case:
    registered = datetime.combine(RECEIVED, time(12), tzinfo=UTC)
    return Case(
        f"c{n}", f"K7F-2Q{n}", Category.POLICE_PERPETRATOR, ReferralRoute.MASH, RECEIVED, RiskLevel.MEDIUM,
        CaseConferenceFlags(), registered, "coordinator", soo_id="soo-1",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kinds", "referral", "flagged"),
    [
        ({"abuse_sexual": True}, None, True),
        ({"abuse_stalking": True}, IopcReferral.NOT_REFERRED, True),
        ({"abuse_of_position": True}, IopcReferral.INDEPENDENT, False),  # referred
        ({"abuse_sex_discrimination": True}, IopcReferral.LOCAL, False),
        ({"abuse_economic": True, "abuse_online": True}, None, False),  # not kinds the IOPC must have
        ({}, None, False),
    ],
)
def test_a_kind_of_abuse_the_iopc_must_be_referred_with_no_referral_recorded_is_flagged(
    kinds: dict[str, bool], referral: IopcReferral | None, flagged: bool
) -> None:
    case = _case()
    case.facts.apply({**kinds, "iopc_referral": referral}, RECEIVED)
    flags = confidence_signals(case, RECEIVED, LIMITS).flags
    assert any(MAY_NEED in f for f in flags) is flagged


def test_the_kinds_of_abuse_are_one_line_and_the_sex_of_either_party_never_shows_by_case() -> None:
    facts = CaseFacts(
        abuse_coercive_control=True, abuse_stalking=True, victim_sex=Sex.FEMALE, suspect_sex=Sex.MALE
    )
    lines = dict(fact_lines(facts))
    assert lines == {"Kinds of abuse alleged": "Controlling or coercive behaviour; stalking or harassment"}
    case = _case()
    case.facts.apply({"victim_sex": Sex.FEMALE, "suspect_sex": Sex.MALE, "abuse_physical": True}, RECEIVED)
    rows = list(csv.reader(io.StringIO(case_facts_csv([case], [case.reference], Q3, LIMITS))))
    assert not any(header.startswith("Sex of") for header in rows[0])
    assert "Female" not in rows[1] and "Male" not in rows[1]
    assert outputs_report([case], [], [], Q3, LIMITS, compare=False).figure(FEMALE_VICTIMS) == 1


def test_each_kind_of_abuse_is_a_tick_that_clears_to_not_recorded() -> None:
    (toggle,) = [
        i for i in fact_inputs(CaseFacts(abuse_sexual=True)) if getattr(i, "id", "") == "abuse_sexual"
    ]
    card = toggle.to_dict() if hasattr(toggle, "to_dict") else vars(toggle)
    assert card.get("value") == "yes"
    from panel.case_facts import parse_fact

    assert parse_fact("abuse_sexual", "") is None and parse_fact("abuse_sexual", "yes") is True


def test_outcomes_and_reviews_count_in_the_period_they_were_recorded() -> None:
    case = _case()
    case.facts.apply({"misconduct_outcome": MisconductOutcome.FINAL_WRITTEN_WARNING}, date(2026, 9, 20))
    case.facts.apply({"right_to_review_requested": True}, date(2026, 10, 5))
    case.facts.apply({"right_to_review_outcome": ReviewOutcome.UPHELD}, date(2026, 11, 9))
    case.facts.apply({"resigned_or_retired": date(2026, 11, 1)}, date(2026, 11, 2))
    q3 = outputs_report([case], [], [], Q3, LIMITS, compare=False)
    q4 = outputs_report([case], [], [], Q4, LIMITS, compare=False)
    outcomes = {b.title: dict(b.counts) for b in q3.breakdowns}["Misconduct outcomes recorded"]
    assert outcomes == {"Final written warning": 1}
    assert (q3.figure(RTR_REQUESTED), q3.figure(RTR_UPHELD), q3.figure(RESIGNED)) == (0, 0, 0)
    assert (q4.figure(RTR_REQUESTED), q4.figure(RTR_UPHELD), q4.figure(RESIGNED)) == (1, 1, 1)
    assert {b.title: dict(b.counts) for b in q4.breakdowns}["Misconduct outcomes recorded"] == {}


def test_a_review_outcome_needs_the_review_requested_first() -> None:
    case = _case()
    with pytest.raises(ValidationFailed, match="requested before its outcome"):
        case.facts.apply({"right_to_review_outcome": ReviewOutcome.NOT_UPHELD}, RECEIVED)


def test_a_retired_choice_still_reads_but_is_no_longer_offered() -> None:
    def offered(facts: CaseFacts) -> list[str]:
        (band,) = [i for i in fact_inputs(facts) if getattr(i, "id", "") == "rank_band"]
        return [c.value for c in band.choices]

    assert "chief_inspector_and_above" not in offered(CaseFacts())
    assert {"chief_inspector", "superintendent_and_above"} <= set(offered(CaseFacts()))
    old = CaseFacts(rank_band=RankBand.CHIEF_INSPECTOR_AND_ABOVE)
    assert "chief_inspector_and_above" in offered(old)  # what is recorded still shows as chosen
    assert dict(fact_lines(old))["Rank band of the officer suspected"].startswith("Chief inspector and above")


def test_support_by_kind_is_offered_before_it_is_accepted_and_shown_on_one_line() -> None:
    case = _case()
    with pytest.raises(ValidationFailed, match="ISVA: record when it was offered"):
        case.facts.apply({"support_isva_accepted": date(2026, 8, 10)}, RECEIVED)
    with pytest.raises(ValidationFailed, match="IDVA: record when it was offered"):
        case.facts.apply(
            {"support_idva_offered": date(2026, 8, 10), "support_idva_accepted": date(2026, 8, 9)}, RECEIVED
        )
    case.facts.apply(
        {
            "support_idva_offered": date(2026, 8, 4),
            "support_idva_accepted": date(2026, 8, 6),
            "support_eap_offered": date(2026, 8, 5),
            "marac_referred": date(2026, 8, 4),
            "safety_plan_agreed": date(2026, 8, 7),
        },
        RECEIVED,
    )
    lines = dict(fact_lines(case.facts.facts))
    assert lines["Support by kind"] == (
        "IDVA offered 04 Aug 2026, accepted 06 Aug 2026; Employee assistance programme offered 05 Aug 2026"
    )
    assert (
        lines["Safeguarding measures"]
        == "MARAC referral made 04 Aug 2026; Safety plan agreed with the victim 07 Aug 2026"
    )
    support = {
        b.title: dict(b.counts) for b in outputs_report([case], [], [], Q3, LIMITS, compare=False).breakdowns
    }
    assert support["Open cases, support by kind"] == {
        "IDVA: accepted": 1,
        "Employee assistance programme: offered, not accepted": 1,
    }


@pytest.mark.parametrize(
    ("rule", "band", "other_force", "flagged"),
    [
        (True, RankBand.SUPERINTENDENT_AND_ABOVE, None, True),
        (True, RankBand.SUPERINTENDENT_AND_ABOVE, OtherForce.NO, True),
        (True, RankBand.SUPERINTENDENT_AND_ABOVE, OtherForce.SENIORITY, False),
        (True, RankBand.CHIEF_INSPECTOR, None, False),
        (False, RankBand.SUPERINTENDENT_AND_ABOVE, None, False),  # not the force's rule
    ],
)
def test_the_forces_rule_for_senior_ranks_is_checked_only_where_it_has_one(
    rule: bool, band: RankBand, other_force: OtherForce | None, flagged: bool
) -> None:
    case = _case()
    case.facts.apply({"rank_band": band, "other_force": other_force}, RECEIVED)
    limits = ConfidenceThresholds(senior_ranks_elsewhere=rule)
    flags = confidence_signals(case, RECEIVED, limits).flags
    assert any("not investigated by another force" in f for f in flags) is flagged


def test_the_themes_arising_are_each_counted_once_in_the_period_they_were_noted() -> None:
    from panel.report import THEMES_ARISING
    from panel.themes import ThemeRecord

    first, second = _case(1), _case(2)
    at = datetime(2026, 8, 20, 11, tzinfo=UTC)
    first.themes += [
        ThemeRecord("delayed_victim_updates", None, "s", "a", at),
        ThemeRecord(None, "vetting", "s", "a", at),
    ]
    second.themes += [ThemeRecord("delayed_victim_updates", None, "s", "a", at)]
    second.themes += [
        ThemeRecord("risk_not_reassessed", None, "s", "a", datetime(2026, 10, 2, 11, tzinfo=UTC))
    ]
    assert outputs_report([first, second], [], [], Q3, LIMITS, compare=False).figure(THEMES_ARISING) == 2
    assert outputs_report([first, second], [], [], Q4, LIMITS, compare=False).figure(THEMES_ARISING) == 1
