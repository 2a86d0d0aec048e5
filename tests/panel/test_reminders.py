"""The reminder engine over a whole month with a fake clock: the BST change, quiet hours, weekends,
each reminder due once at the right London time and dropped when its moment has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from panel.actions import OwnerRole, PanelAction
from panel.agenda import Slot, SlotKind
from panel.case import Case, CaseConferenceFlags, CaseStatus, Category, ReferralRoute, RiskLevel, StatusChange
from panel.clock import london_to_utc, to_london
from panel.reminders import ReminderKind, ReminderPolicy, due_reminders, next_allowed
from panel.roles import Role
from panel.roster import RosterMember
from panel.sitting import Sitting

POLICY = ReminderPolicy()
ROSTER = [
    RosterMember("chair", "Morgan Hale", frozenset({Role.CHAIR})),
    RosterMember("coordinator", "Priya Okafor", frozenset({Role.COORDINATOR})),
    RosterMember("soo", "Alex Renshaw", frozenset({Role.SOO})),
]


def a_case(case_id: str, registered: datetime, status: CaseStatus = CaseStatus.LISTED) -> Case:
    case = Case(
        case_id,
        f"K7F-2Q{case_id[-1]}",
        Category.POLICE_VICTIM,
        ReferralRoute.COLLEAGUE,
        registered.date(),
        RiskLevel.HIGH,
        CaseConferenceFlags(),
        registered,
        "coordinator",
        soo_id="soo",
    )
    case.status = status
    return case


def first_due_over(
    start: datetime, end: datetime, cases: list[Case], sittings: list[Sitting]
) -> dict[str, datetime]:
    """Run the engine every 5 minutes (the scheduler runs every minute); keep when each key first came due."""
    seen: dict[str, datetime] = {}
    now = start
    while now <= end:
        for reminder in due_reminders(now, cases, sittings, ROSTER, POLICY):
            seen.setdefault(reminder.key, now)
        now += timedelta(minutes=5)
    return seen


def wall(moment: datetime) -> str:
    return f"{to_london(moment):%a %d %b %H:%M}"


def test_a_month_across_the_autumn_clock_change() -> None:
    registered = datetime(2026, 9, 20, 9, 0, tzinfo=UTC)
    listed = a_case("c1", registered)
    day = date(2026, 10, 29)  # a Thursday sitting, four days after the clocks go back
    sitting = Sitting("s", day, time(10, 0), london_to_utc(day, time(10, 0)), 180, "coordinator")
    sitting.add_slot(Slot("slot1", "c1", listed.reference, SlotKind.UPDATE, 10))
    sitting.add_slot(Slot("slot2", "c2", "B3C-4DE", SlotKind.NEW, 15))
    second = a_case("c2", registered)
    second.reference = "B3C-4DE"
    second.actions = [
        PanelAction("A1", "SOO to update the victim", OwnerRole.SOO, date(2026, 10, 14), "admin", registered),
        PanelAction("A2", "PSD to review", OwnerRole.PSD, date(2026, 10, 31), "admin", registered),
    ]
    seen = first_due_over(
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2026, 10, 31, 23, 0, tzinfo=UTC),
        [listed, second],
        [sitting],
    )

    # 7 days before: 10:00 London on the 22nd is 09:00 UTC (BST); the sitting's 10:00 is 10:00 UTC (GMT).
    # One reminder each for the SOO, who has both cases.
    assert wall(seen["sitting_week:s:soo"]) == "Thu 22 Oct 10:00"
    assert seen["sitting_week:s:soo"] == datetime(2026, 10, 22, 9, 0, tzinfo=UTC)
    assert wall(seen["sitting_day:s:soo"]) == "Wed 28 Oct 10:00"
    assert wall(seen["slot_soon:s:slot1"]) == "Thu 29 Oct 09:45"
    assert wall(seen["slot_soon:s:slot2"]) == "Thu 29 Oct 09:55"
    # A1 was due on Wed 14 Oct: three days before is Sun 11 Oct, a weekend, so Monday at 07:00.
    assert wall(seen["action_due:c2:A1"]) == "Mon 12 Oct 07:00"
    # Overdue from Thu 15 Oct 09:00, then weekly.
    assert [wall(seen[f"action_overdue:c2:A1:{n}"]) for n in range(3)] == [
        "Thu 15 Oct 09:00",
        "Thu 22 Oct 09:00",
        "Thu 29 Oct 09:00",
    ]
    assert wall(seen["action_due:c2:A2"]) == "Wed 28 Oct 09:00"
    # Not heard for 90 days from registration on 20 Sep: 19 Dec, outside this month.
    assert not any(k.startswith("not_heard") for k in seen)


def test_quiet_hours_and_weekends_move_a_reminder_and_drop_it_once_useless() -> None:
    friday_night = datetime(2026, 11, 20, 21, 30, tzinfo=UTC)
    assert wall(next_allowed(friday_night, POLICY)) == "Mon 23 Nov 07:00"
    early = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    assert wall(next_allowed(early, POLICY)) == "Tue 24 Nov 07:00"
    summer_evening = datetime(2026, 7, 1, 18, 30, tzinfo=UTC)  # 19:30 BST: still allowed
    assert wall(next_allowed(summer_evening, POLICY)) == "Wed 01 Jul 19:30"
    # A sitting at 07:00 on a Monday: its 15-minute reminder falls at 06:45, quiet, moved to 07:00,
    # by which time the slot has started: it is dropped, never sent late.
    day = date(2026, 11, 23)
    sitting = Sitting("s", day, time(7, 0), london_to_utc(day, time(7, 0)), 60, "coordinator")
    case = a_case("c1", datetime(2026, 11, 1, tzinfo=UTC))
    sitting.add_slot(Slot("slot1", "c1", case.reference, SlotKind.UPDATE, 10))
    seen = first_due_over(
        datetime(2026, 11, 23, 6, 0, tzinfo=UTC), datetime(2026, 11, 23, 8, 0, tzinfo=UTC), [case], [sitting]
    )
    assert "slot_soon:s:slot1" not in seen


def test_the_chair_and_coordinator_reminders() -> None:
    registered = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    waiting = a_case("c1", registered, CaseStatus.CLOSURE_REQUESTED)
    asked = datetime(2026, 11, 19, 14, 0, tzinfo=UTC)  # a Thursday
    waiting.history = [StatusChange(CaseStatus.CLOSURE_REQUESTED, "soo", asked)]
    unlisted = a_case("c2", datetime(2026, 10, 10, 9, 0, tzinfo=UTC), CaseStatus.REGISTERED)
    seen = first_due_over(
        datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 10, tzinfo=UTC), [waiting, unlisted], []
    )
    approval = [k for k in seen if k.startswith("approval_waiting:c1:")]
    assert len(approval) == 1 and approval[0].endswith(":chair")
    assert wall(seen[approval[0]]) == "Mon 23 Nov 14:00"  # two working days after Thursday
    assert wall(seen["not_listed:c2:coordinator"]) == "Mon 09 Nov 09:00"
    assert wall(seen["not_heard:c1:2026-09-01:coordinator"]) == "Mon 30 Nov 09:00"


def test_every_reminder_carries_the_reference_only() -> None:
    case = a_case("c1", datetime(2026, 11, 1, tzinfo=UTC))
    case.actions = [
        PanelAction(
            "A1", "Call the victim's sister", OwnerRole.SOO, date(2026, 11, 5), "admin", case.registered_at
        )
    ]
    reminders = due_reminders(datetime(2026, 11, 10, 10, 0, tzinfo=UTC), [case], [], ROSTER, POLICY)
    assert reminders and all(r.kind is ReminderKind.ACTION_OVERDUE for r in reminders)
    assert all("sister" not in str(r.facts) for r in reminders)


def test_quiet_hours_of_any_shape() -> None:
    from dataclasses import replace

    none = replace(POLICY, quiet_from=time(0, 0), quiet_until=time(0, 0), quiet_weekends=False)
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert next_allowed(late, none) == late
    lunch = replace(POLICY, quiet_from=time(12, 0), quiet_until=time(13, 0), quiet_weekends=False)
    assert wall(next_allowed(datetime(2026, 11, 24, 12, 20, tzinfo=UTC), lunch)) == "Tue 24 Nov 13:00"
    assert wall(next_allowed(datetime(2026, 11, 24, 11, 20, tzinfo=UTC), lunch)) == "Tue 24 Nov 11:20"
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert (
        wall(next_allowed(saturday, replace(POLICY, quiet_from=time(0, 0), quiet_until=time(0, 0))))
        == "Mon 30 Nov 00:00"
    )


def test_a_weekend_moves_to_monday_morning_whatever_the_window() -> None:
    from dataclasses import replace

    lunch = replace(POLICY, quiet_from=time(12, 0), quiet_until=time(13, 0))
    assert wall(next_allowed(datetime(2026, 11, 28, 10, 0, tzinfo=UTC), lunch)) == "Mon 30 Nov 00:00"


def _late_sitting() -> tuple[list[Case], Sitting]:
    """A sitting created the evening before, with two cases for one SOO (listed second first)."""
    registered = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    day = date(2026, 11, 24)  # a Tuesday
    sitting = Sitting("s", day, time(10, 0), london_to_utc(day, time(10, 0)), 180, "coordinator")
    one, two = a_case("c1", registered), a_case("c2", registered)
    sitting.add_slot(Slot("slot2", "c2", two.reference, SlotKind.NEW, 15))
    sitting.add_slot(Slot("slot1", "c1", one.reference, SlotKind.UPDATE, 10))
    return [one, two], sitting


def test_a_catch_up_never_sends_inside_quiet_hours_and_sends_only_the_latest_of_a_series() -> None:
    cases, sitting = _late_sitting()
    at_night = datetime(2026, 11, 24, 3, 8, tzinfo=UTC)  # 03:08 on the sitting day
    assert due_reminders(at_night, cases, [sitting], ROSTER, POLICY) == []
    morning = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    due = due_reminders(morning, cases, [sitting], ROSTER, POLICY)
    assert [r.kind for r in due if r.recipient_id == "soo"] == [ReminderKind.SITTING_DAY]


def test_one_reminder_per_soo_lists_their_cases_in_slot_order_and_no_deadline_already_past() -> None:
    cases, sitting = _late_sitting()
    due = due_reminders(datetime(2026, 11, 24, 7, 0, tzinfo=UTC), cases, [sitting], ROSTER, POLICY)
    (reminder,) = [r for r in due if r.recipient_id == "soo"]
    facts = dict(reminder.facts)
    assert facts["Your cases"] == "K7F-2Q2 at 10:00; K7F-2Q1 at 10:15"
    assert reminder.references == ("K7F-2Q2", "K7F-2Q1")
    assert facts["Update the case form"] == "before the sitting starts"
    assert "Update the case form by" not in facts


def test_snooze_choices_fit_each_reminder_and_a_snooze_comes_back_outside_quiet_hours() -> None:
    from panel.reminders import SNOOZE_CHOICES, SnoozeChoice, kind_of, series_after, snooze_until

    assert ReminderKind.SLOT_SOON not in SNOOZE_CHOICES  # minutes away: nothing to snooze
    assert ReminderKind.SITTING_DAY not in SNOOZE_CHOICES  # the last before the sitting
    assert SnoozeChoice.UNTIL_SITTING in SNOOZE_CHOICES[ReminderKind.SITTING_WEEK]
    assert kind_of("sitting_week:s:soo") is ReminderKind.SITTING_WEEK and kind_of("forged") is None
    assert series_after("sitting_week:s:soo") == ["sitting_day:s:soo"]
    friday_evening = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    assert wall(snooze_until(SnoozeChoice.TOMORROW, friday_evening, POLICY, None)) == "Mon 23 Nov 07:00"
    thursday = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
    assert wall(snooze_until(SnoozeChoice.TOMORROW, thursday, POLICY, None)) == "Fri 20 Nov 09:00"


def test_a_reminder_offers_only_snoozes_that_bring_it_back_while_it_matters() -> None:
    """The agenda for a sitting this morning offers no "tomorrow"; an action due next week does."""
    from panel.reminders import Reminder, SnoozeChoice, snoozes_offered

    monday_early = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    agenda_today = Reminder(
        "agenda_out:s:chair", ReminderKind.AGENDA_OUT, "chair", None, monday_early,
        datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    )  # fmt: skip
    assert snoozes_offered(agenda_today, monday_early, POLICY) == ()
    action_next_week = Reminder(
        "action_due:c1:A1", ReminderKind.ACTION_DUE, "soo", "K7F-2QM", monday_early,
        datetime(2026, 11, 30, 17, 0, tzinfo=UTC),
    )  # fmt: skip
    assert snoozes_offered(action_next_week, monday_early, POLICY) == (
        SnoozeChoice.TOMORROW,
        SnoozeChoice.THREE_DAYS,
    )
    due_on_wednesday = Reminder(
        "action_due:c1:A1", ReminderKind.ACTION_DUE, "soo", "K7F-2QM", monday_early,
        datetime(2026, 11, 25, 17, 0, tzinfo=UTC),
    )  # fmt: skip
    assert snoozes_offered(due_on_wednesday, monday_early, POLICY) == (SnoozeChoice.TOMORROW,)
