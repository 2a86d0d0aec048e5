"""Case rules: the transition table, case-conference advice, references, closure reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from panel.actions import OwnerRole, PanelAction
from panel.case import (
    TRANSITIONS,
    Case,
    CaseConferenceFlags,
    CaseStatus,
    Category,
    ReferralRoute,
    RiskLevel,
    recommend_case_conference,
)
from panel.closure import closure_decision
from panel.errors import InvalidTransition, ValidationFailed
from panel.reference import ALPHABET, parse_reference, random_reference

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def a_case(status: CaseStatus = CaseStatus.REGISTERED) -> Case:
    case = Case(
        "c1",
        "K7F-2QM",
        Category.POLICE_VICTIM,
        ReferralRoute.COLLEAGUE,
        date(2026, 11, 1),
        RiskLevel.MEDIUM,
        CaseConferenceFlags(),
        NOW,
        "coord",
    )
    case.status = status
    return case


def an_action(action_id: str, due: date = date(2026, 12, 1)) -> PanelAction:
    return PanelAction(action_id, "SOO to update the victim", OwnerRole.SOO, due, "admin", NOW)


def test_every_status_has_a_row_and_every_target_is_a_status() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    assert all(t in CaseStatus for targets in TRANSITIONS.values() for t in targets)


def test_the_normal_life_of_a_case() -> None:
    case = a_case()
    for status in [
        CaseStatus.LISTED,
        CaseStatus.HEARD,
        CaseStatus.AWAITING_ACTIONS,
        CaseStatus.CLOSED,
        CaseStatus.REOPENED,
        CaseStatus.LISTED,
    ]:
        case.move_to(status, by="u", at=NOW)
    assert [h.status for h in case.history][-1] is CaseStatus.LISTED
    assert len(case.history) == 6


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (CaseStatus.REGISTERED, CaseStatus.CLOSED),
        (CaseStatus.REGISTERED, CaseStatus.HEARD),
        (CaseStatus.CLOSED, CaseStatus.LISTED),
        (CaseStatus.CLOSURE_REQUESTED, CaseStatus.LISTED),
    ],
)
def test_transitions_outside_the_table_are_refused_with_a_reason(
    start: CaseStatus, target: CaseStatus
) -> None:
    case = a_case(start)
    with pytest.raises(InvalidTransition, match="K7F-2QM is"):
        case.move_to(target, by="u", at=NOW)
    assert case.status is start and case.history == []


def test_case_conference_is_recommended_for_each_criterion() -> None:
    assert not recommend_case_conference(Category.POLICE_VICTIM, CaseConferenceFlags()).recommended
    for flag in ["counter_allegation", "serial_or_multiple_victims", "position_of_power"]:
        advice = recommend_case_conference(Category.POLICE_PERPETRATOR, CaseConferenceFlags(**{flag: True}))
        assert advice.recommended and len(advice.reasons) == 1
    both = recommend_case_conference(Category.BOTH_POLICE, CaseConferenceFlags())
    assert both.reasons == ("both victim and perpetrator are police",)


def test_references_are_random_readable_and_avoid_confusable_characters() -> None:
    refs = {random_reference() for _ in range(500)}
    assert len(refs) == 500
    for ref in refs:
        assert ref[3] == "-" and all(c in ALPHABET for c in ref.replace("-", ""))
        assert not set(ref) & set("01OI")


def test_references_are_accepted_as_people_type_them() -> None:
    assert parse_reference("k7f 2qm") == "K7F-2QM"
    assert parse_reference("K7F2QM") == "K7F-2QM"
    assert parse_reference("abc def") == "ABC-DEF"
    with pytest.raises(ValidationFailed):
        parse_reference("K0F-2QM")


@pytest.mark.parametrize("typed", ["Walker", "PARKER", "KerryH", "kerry h"])
def test_a_six_letter_word_is_never_read_as_a_reference(typed: str) -> None:
    with pytest.raises(ValidationFailed):
        parse_reference(typed)


def test_closure_is_allowed_when_every_action_is_done_or_cancelled() -> None:
    case = a_case(CaseStatus.AWAITING_ACTIONS)
    case.actions = [an_action("A1"), an_action("A2")]
    case.actions[0].mark_done(by="soo", at=NOW)
    case.actions[1].cancel(reason="superseded by the misconduct hearing", by="admin", at=NOW)
    assert closure_decision(case, TODAY).allowed


def test_closure_refusal_lists_each_open_action_and_counts_overdue() -> None:
    case = a_case(CaseStatus.AWAITING_ACTIONS)
    case.actions = [an_action("A1", date(2026, 11, 1)), an_action("A2"), an_action("A3")]
    case.actions[1].mark_done(by="soo", at=NOW)
    decision = closure_decision(case, TODAY)
    assert not decision.allowed
    assert [o.action_id for o in decision.outstanding] == ["A1", "A3"]
    assert [o.overdue for o in decision.outstanding] == [True, False]
    assert decision.reasons == ("2 agreed actions are still open (1 overdue).",)


def test_a_case_never_heard_cannot_close() -> None:
    decision = closure_decision(a_case(CaseStatus.REGISTERED), TODAY)
    assert decision.reasons == ("Case K7F-2QM has not been heard by the panel yet.",)


def test_a_case_on_an_agenda_or_being_heard_is_not_said_to_be_unheard() -> None:
    (reason,) = closure_decision(a_case(CaseStatus.LISTED), TODAY).reasons
    assert "on a sitting's agenda" in reason and "not been heard" not in reason


def test_an_action_cannot_be_cancelled_without_a_reason_or_changed_twice() -> None:
    action = an_action("A1")
    with pytest.raises(ValidationFailed):
        action.cancel(reason="  ", by="u", at=NOW)
    action.mark_done(by="u", at=NOW)
    with pytest.raises(InvalidTransition):
        action.mark_done(by="u", at=NOW)
    assert [c.status.value for c in action.changes] == ["done"]
