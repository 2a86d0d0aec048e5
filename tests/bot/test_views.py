"""The control card's view tells the chair what they need: who was waiting, who could not be reached."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.views import (
    case_view,
    collapsed_view,
    confidence_facts,
    control_view,
    late_by,
    progress_view,
    propose_view,
)
from panel.agenda import CallStatus, Slot, SlotKind
from panel.case import Case, CaseConferenceFlags, Category, ReferralRoute, RiskLevel
from panel.clock import london_to_utc
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.sitting import Sitting
from panel.soo_status import soo_statuses


def sitting() -> Sitting:
    day = date(2026, 12, 1)
    s = Sitting("s", day, time(10, 0), london_to_utc(day, time(10, 0)), 180, "t")
    s.add_slot(Slot("a", "c1", "K7F-2QM", SlotKind.UPDATE, 10))
    s.add_slot(Slot("b", "c2", "B3C-4DE", SlotKind.NEW, 15))
    s.start(s.starts_at)
    s.next_case(s.starts_at)
    return s


SOOS = {"c1": "soo-1", "c2": "soo-2"}


def test_a_soo_who_could_not_be_messaged_is_flagged() -> None:
    s = sitting()
    s.slots[0].call = CallStatus.UNREACHABLE
    view = control_view(s, SOOS, s.starts_at)
    assert view.lines[0].soo == "could not be reached"
    assert any("could not be messaged" in n for n in view.notices)


def test_a_soo_called_while_absent_is_flagged_and_the_next_one_shows_presence() -> None:
    s = sitting()
    s.slots[0].call, s.slots[0].soo_was_waiting = CallStatus.CALLED, False
    s.joined_waiting_room("soo-2", s.starts_at)
    view = control_view(s, SOOS, s.starts_at + timedelta(minutes=4))
    assert [line.soo for line in view.lines] == ["called; was not waiting", "SOO waiting"]
    assert any("was not in the waiting room when called" in n for n in view.notices)
    assert view.time_left == "6 min"


def test_running_late_is_shown_against_the_plan() -> None:
    s = sitting()
    view = control_view(s, SOOS, s.starts_at + timedelta(minutes=17))
    assert view.time_left == "over by 7 min"
    assert view.late_by == 7


def test_a_sitting_ahead_of_its_plan_is_not_running_late_after_a_gap() -> None:
    """The first case (10 minutes) is heard in 3 and the second is deferred: six minutes pass with
    no case being heard, and the sitting is still ahead of its plan."""
    s = sitting()
    s.next_case(s.starts_at + timedelta(minutes=3))  # case 1 heard; case 2 opened
    s.defer(s.slots[1].slot_id)
    assert late_by(s, s.starts_at + timedelta(minutes=9)) == 0
    assert progress_view(s, s.starts_at + timedelta(minutes=9)).progress.startswith("No case being heard")


def test_an_overrun_already_heard_still_makes_the_sitting_late() -> None:
    s = sitting()
    s.next_case(s.starts_at + timedelta(minutes=22))  # case 1 (10 minutes) took 22
    assert late_by(s, s.starts_at + timedelta(minutes=23)) == 12


def test_between_cases_the_chat_is_told_what_is_still_to_hear() -> None:
    s = sitting()
    s.add_slot(Slot("c", "c3", "H8J-9KL", SlotKind.UPDATE, 10))
    s.next_case(s.starts_at + timedelta(minutes=10))  # case 1 heard, case 2 live
    s.defer(s.slots[1].slot_id)  # case 2 to the end, nothing live
    text = progress_view(s, s.starts_at + timedelta(minutes=11)).progress
    assert text == "No case being heard; 1 of 3 heard, 2 still to hear"


def test_a_case_never_heard_is_heard_for_the_first_time_now_only_while_its_slot_is_live() -> None:
    """Asked for before its first hearing (`case REF`), a case is "not yet" heard, beside "First
    time at panel"; "now" is for the hearing itself."""
    s = sitting()
    case = Case(
        "c1", "K7F-2QM", Category.POLICE_VICTIM, ReferralRoute.MASH, date(2026, 11, 2), RiskLevel.HIGH,
        CaseConferenceFlags(), s.starts_at, "coord",
    )  # fmt: skip
    assert case_view(case, None).first_heard == "not yet"
    assert case_view(case, s.slots[0]).first_heard == "now"


def test_a_victim_never_updated_reads_the_same_on_the_fact_and_the_flag() -> None:
    """The flag counts from the day the case came in; the fact beside it says so, not "not recorded"."""
    s = sitting()
    case = Case(
        "c1", "K7F-2QM", Category.POLICE_VICTIM, ReferralRoute.MASH, date(2026, 9, 1), RiskLevel.HIGH,
        CaseConferenceFlags(), s.starts_at, "coord",
    )  # fmt: skip
    signals = confidence_signals(case, date(2026, 12, 1), ConfidenceThresholds())
    facts = dict(confidence_facts(signals))
    assert "victim not updated for 91 days" in signals.flags
    assert facts["Victim last updated"] == "no update recorded since the case came in, 91 days ago"


def test_a_soo_is_told_the_same_heard_time_as_the_case_room_chat() -> None:
    s = sitting()  # case 1 opened at 10:00
    s.next_case(s.starts_at + timedelta(minutes=9, seconds=50))
    case = Case(
        "c1", "K7F-2QM", Category.POLICE_VICTIM, ReferralRoute.MASH, date(2026, 11, 2), RiskLevel.HIGH,
        CaseConferenceFlags(), s.starts_at, "coord", soo_id="soo-1",
    )  # fmt: skip
    status = soo_statuses(s, {"c1": case}, s.starts_at + timedelta(minutes=10))["soo-1"]
    assert [line.status for line in status.lines] == ["heard at 10:00. Thank you."]
    assert collapsed_view(s.slots[0]).outcome == "heard at 10:00"


def test_a_closed_case_under_review_offers_no_action_to_propose_and_the_analyst_only_themes() -> None:
    """An action on a closed case could never be accepted: the panel reopens it first."""
    from cli.demo_data import ANALYST, MEMBER
    from panel.case import CaseStatus
    from panel.themes import DEFAULT_TAXONOMY
    from tests.conftest import actor

    s = sitting()
    case = Case(
        "c1", "K7F-2QM", Category.POLICE_VICTIM, ReferralRoute.MASH, date(2026, 11, 2), RiskLevel.HIGH,
        CaseConferenceFlags(), s.starts_at, "coord",
    )  # fmt: skip
    member, analyst = actor(MEMBER), actor(ANALYST)
    assert propose_view(member, case, DEFAULT_TAXONOMY).actions
    assert propose_view(analyst, case, DEFAULT_TAXONOMY).themes_only
    case.status = CaseStatus.CLOSED
    closed = propose_view(member, case, DEFAULT_TAXONOMY)
    assert not closed.actions and not closed.themes_only
