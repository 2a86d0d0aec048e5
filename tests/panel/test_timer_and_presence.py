"""The slot timer warns once before the end and once on overrun; presence follows the waiting room."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from panel.agenda import Slot, SlotKind
from panel.clock import london_to_utc
from panel.sitting import Sitting
from panel.timer import AlertKind, due_alerts


def live_sitting_with_one_case() -> tuple[Sitting, datetime]:
    day = date(2026, 12, 1)
    sitting = Sitting("s", day, time(10, 0), london_to_utc(day, time(10, 0)), 180, "t")
    sitting.add_slot(Slot("a", "c1", "K7F-2QM", SlotKind.UPDATE, 10))
    sitting.add_slot(Slot("b", "c2", "B3C-4DE", SlotKind.NEW, 15))
    start = sitting.starts_at
    sitting.start(start)
    sitting.next_case(start)
    return sitting, start


def test_no_alert_while_there_is_time() -> None:
    sitting, start = live_sitting_with_one_case()
    assert due_alerts(sitting, start + timedelta(minutes=7)) == []


def test_two_minutes_before_the_end_the_chair_is_warned_once() -> None:
    sitting, start = live_sitting_with_one_case()
    (alert,) = due_alerts(sitting, start + timedelta(minutes=8, seconds=10))
    assert (alert.kind, alert.case_reference, alert.minutes) == (AlertKind.ENDING_SOON, "K7F-2QM", 2)
    assert "About 2 minutes left for case K7F-2QM" in alert.text
    assert due_alerts(sitting, start + timedelta(minutes=9)) == []


def test_an_overrun_is_reported_once_with_its_length() -> None:
    sitting, start = live_sitting_with_one_case()
    due_alerts(sitting, start + timedelta(minutes=8, seconds=30))
    (alert,) = due_alerts(sitting, start + timedelta(minutes=13))
    assert (alert.kind, alert.minutes) == (AlertKind.OVERRUN, 3)
    assert due_alerts(sitting, start + timedelta(minutes=20)) == []


def test_extending_rearms_the_warnings_for_the_new_end() -> None:
    sitting, start = live_sitting_with_one_case()
    due_alerts(sitting, start + timedelta(minutes=11))
    sitting.extend(5)
    assert due_alerts(sitting, start + timedelta(minutes=12)) == []
    (alert,) = due_alerts(sitting, start + timedelta(minutes=13, seconds=30))
    assert alert.kind is AlertKind.ENDING_SOON


def test_a_sitting_that_is_not_live_has_no_alerts() -> None:
    sitting, start = live_sitting_with_one_case()
    sitting.end(start + timedelta(minutes=3))
    assert due_alerts(sitting, start + timedelta(minutes=30)) == []


def test_the_waiting_room_follows_joins_and_leaves_with_attendance_kept() -> None:
    sitting, start = live_sitting_with_one_case()
    at = datetime(2026, 12, 1, 10, 1, tzinfo=UTC)
    sitting.joined_waiting_room("soo-1", at)
    sitting.joined_waiting_room("soo-1", at)  # Teams may say it twice
    sitting.joined_waiting_room("soo-2", at)
    sitting.left_waiting_room("soo-1", at + timedelta(minutes=5))
    assert sitting.waiting == ["soo-2"]
    assert [(a.actor_id, a.left_at is not None) for a in sitting.attendance] == [
        ("soo-1", True),
        ("soo-2", False),
    ]
