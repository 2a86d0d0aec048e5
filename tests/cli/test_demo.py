"""The demo books its sitting for today, whatever the time of day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from cli.demo import next_quarter_hour
from panel.clock import FixedClock


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 11, 23, 9, 2, tzinfo=UTC), (date(2026, 11, 23), time(9, 15))),
        (
            datetime(2026, 7, 1, 9, 2, tzinfo=UTC),
            (date(2026, 7, 1), time(10, 15)),
        ),  # BST: London is an hour ahead
        (
            datetime(2026, 11, 23, 23, 48, tzinfo=UTC),
            (date(2026, 11, 23), time(23, 48)),
        ),  # not tomorrow at 00:00
    ],
)
def test_the_demo_sitting_starts_today_at_the_next_quarter_hour(
    utc: datetime, expected: tuple[date, time]
) -> None:
    assert next_quarter_hour(FixedClock(utc)) == expected


async def test_running_the_demo_again_after_its_sitting_ended_books_a_fresh_one(store: object) -> None:
    from datetime import timedelta

    from cli.demo import book_fresh_sitting, seed_demo
    from cli.demo_data import CHAIR
    from panel.sitting import SittingStatus
    from panel.usecases import live
    from panel.usecases.deps import Deps
    from tests.conftest import TEST_KEY, RecordingNotifier, actor

    clock = FixedClock(datetime(2026, 12, 1, 9, 2, tzinfo=UTC))
    deps = Deps(store.unit_of_work, clock, RecordingNotifier(), TEST_KEY)  # type: ignore[attr-defined]
    seeded = await seed_demo(deps)
    assert await book_fresh_sitting(deps) is None  # today's sitting is still to run
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, seeded.sitting.sitting_id)
    await live.next_case(deps, chair, seeded.sitting.sitting_id)
    clock.advance(timedelta(minutes=20))
    await live.end_sitting(deps, chair, seeded.sitting.sitting_id)
    fresh = await book_fresh_sitting(deps)
    assert (
        fresh is not None
        and fresh.status is SittingStatus.SCHEDULED
        and fresh.sitting_date == date(2026, 12, 1)
    )
    # The case heard this morning can come back; the unlisted one is listed too.
    assert seeded.unlisted in {s.case_reference for s in fresh.slots}
    assert len(fresh.slots) == len(seeded.references) + 1
