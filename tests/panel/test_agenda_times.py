"""Slot times: computed in UTC from a London start, right across the BST/GMT changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from panel.agenda import Slot, SlotKind, SlotLengths, SlotState, slot_minutes
from panel.clock import london_to_utc, to_london
from panel.errors import ValidationFailed
from panel.sitting import Sitting


def sitting_on(day: date, start: time, length: int = 180) -> Sitting:
    return Sitting("s", day, start, london_to_utc(day, start), length, created_by="t")


def add(s: Sitting, ref: str, kind: SlotKind, minutes: int | None = None) -> Slot:
    slot = Slot(ref, ref, ref, kind, slot_minutes(kind, SlotLengths(), minutes))
    s.add_slot(slot)
    return slot


def local_starts(s: Sitting, now: datetime | None = None) -> list[str]:
    return [f"{to_london(t.start):%H:%M}" for t in s.schedule(now).slots]


def test_summer_and_winter_starts_are_the_same_wall_clock_time() -> None:
    summer = london_to_utc(date(2026, 7, 1), time(10, 0))
    winter = london_to_utc(date(2026, 12, 1), time(10, 0))
    assert (summer.hour, winter.hour) == (9, 10)  # BST is UTC+1, GMT is UTC+0


def test_default_slot_lengths_follow_the_force_model() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0))
    for ref, kind in [("A", SlotKind.NEW), ("B", SlotKind.UPDATE), ("C", SlotKind.COMPLEX)]:
        add(s, ref, kind)
    add(s, "D", SlotKind.CUSTOM, 45)
    assert local_starts(s) == ["10:00", "10:15", "10:25", "10:55"]
    assert f"{to_london(s.schedule().projected_finish):%H:%M}" == "11:40"


def test_slots_across_the_autumn_change_keep_real_elapsed_minutes() -> None:
    # Clocks go back at 02:00 BST on 25 October 2026: a 00:30 start, then 60-minute slots.
    s = sitting_on(date(2026, 10, 25), time(0, 30), length=240)
    for ref in "ABC":
        add(s, ref, SlotKind.CUSTOM, 60)
    # 00:30 BST, 01:30 BST, then 01:30 again, now GMT: the wall clock repeats, time does not.
    assert local_starts(s) == ["00:30", "01:30", "01:30"]
    utc = [t.start for t in s.schedule().slots]
    assert [b - a for a, b in zip(utc, utc[1:], strict=False)] == [timedelta(hours=1)] * 2


def test_slots_across_the_spring_change_skip_the_missing_hour() -> None:
    # Clocks go forward at 01:00 GMT on 29 March 2026.
    s = sitting_on(date(2026, 3, 29), time(0, 15))
    add(s, "A", SlotKind.CUSTOM, 60)
    add(s, "B", SlotKind.NEW)
    assert local_starts(s) == ["00:15", "02:15"]


def test_a_start_time_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="does not exist"):
        london_to_utc(date(2026, 3, 29), time(1, 30))


def test_a_start_time_that_happens_twice_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="happens twice"):
        london_to_utc(date(2026, 10, 25), time(1, 30))


def test_an_agenda_longer_than_the_sitting_warns() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0), length=30)
    add(s, "A", SlotKind.NEW)
    assert s.schedule().warning is None
    add(s, "B", SlotKind.COMPLEX)
    assert s.schedule().overrun_minutes == 15
    assert "15 minutes past" in (s.schedule().warning or "")


def test_live_sitting_projects_from_actual_times_and_shows_late_running() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0))
    a, b = add(s, "A", SlotKind.NEW), add(s, "B", SlotKind.UPDATE)
    begin = s.starts_at + timedelta(minutes=5)  # started five minutes late
    s.start(begin)
    s.next_case(begin)
    assert a.state is SlotState.LIVE
    overrunning = begin + timedelta(minutes=25)  # a 15-minute slot, 25 minutes in
    assert local_starts(s, overrunning) == ["10:05", "10:30"]
    s.next_case(overrunning)
    assert (a.minutes_used, b.state) == (25, SlotState.LIVE)
    assert f"{to_london(s.schedule(overrunning).projected_finish):%H:%M}" == "10:40"


def test_extend_reprojects_the_rest_of_the_agenda() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0))
    add(s, "A", SlotKind.NEW)
    add(s, "B", SlotKind.UPDATE)
    s.start(s.starts_at)
    s.next_case(s.starts_at)
    s.extend(5)
    assert local_starts(s, s.starts_at) == ["10:00", "10:20"]


def test_reorder_defer_and_remove_only_touch_waiting_slots() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0))
    for ref in "ABCD":
        add(s, ref, SlotKind.UPDATE)
    s.move("D", 1)
    assert [x.slot_id for x in s.slots] == ["D", "A", "B", "C"]
    s.defer("D")
    assert [x.slot_id for x in s.slots] == ["A", "B", "C", "D"]
    s.remove("B")
    assert [x.slot_id for x in s.slots] == ["A", "C", "D"]
    s.start(s.starts_at)
    s.next_case(s.starts_at)  # A is live
    with pytest.raises(Exception, match="only waiting"):
        s.remove("A")
    s.move("D", 1)
    assert [x.slot_id for x in s.slots] == ["A", "D", "C"]  # the live slot stays first


def test_ending_marks_unheard_cases_not_reached_for_the_next_sitting() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0))
    for ref in "ABC":
        add(s, ref, SlotKind.UPDATE)
    s.start(s.starts_at)
    s.next_case(s.starts_at)
    s.end(s.starts_at + timedelta(minutes=12))
    assert [x.slot_id for x in s.not_reached()] == ["B", "C"]
    assert s.slots[0].minutes_used == 12


def test_custom_minutes_are_bounded() -> None:
    with pytest.raises(ValidationFailed):
        slot_minutes(SlotKind.CUSTOM, SlotLengths(), 0)
    with pytest.raises(ValidationFailed):
        slot_minutes(SlotKind.CUSTOM, SlotLengths(), None)
    assert slot_minutes(SlotKind.COMPLEX, SlotLengths(complex=40), None) == 40


def test_naive_datetimes_are_refused() -> None:
    from panel.clock import FixedClock

    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))  # noqa: DTZ001 - the point of the test
    assert FixedClock(datetime(2026, 1, 1, tzinfo=UTC)).now().tzinfo is UTC


def test_progress_counts_the_cases_called_so_far_whatever_was_deferred() -> None:
    s = sitting_on(date(2026, 12, 1), time(10, 0))
    for ref in ("A", "B", "C", "D"):
        add(s, ref, SlotKind.UPDATE)
    now = s.starts_at
    s.start(now)
    s.next_case(now)
    assert s.current is not None and s.current.slot_id == "A" and s.position() == (1, 4)
    s.defer("A")
    s.next_case(now + timedelta(minutes=1))
    assert s.position() == (2, 4)  # the second case called, not "case 1 of 4" again
    s.next_case(now + timedelta(minutes=11))
    assert s.position() == (3, 4)
    s.next_case(now + timedelta(minutes=21))
    assert s.position() == (4, 4)
    s.next_case(now + timedelta(minutes=31))
    assert s.current is not None and s.current.slot_id == "A"
    assert s.position() == (4, 4)  # called again: every case has now been called
    assert sum(1 for slot in s.slots if slot.state is SlotState.HEARD) == 3
