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


async def test_the_demo_has_a_case_heard_last_month_and_closed_since(store: object) -> None:
    """A newcomer can audit a closed case, or sample it for a closed-case review, in a fresh demo."""
    from datetime import timedelta

    from cli.demo import book_fresh_sitting, seed_demo
    from cli.demo_data import CHAIR, COORDINATOR
    from panel.case import CaseStatus, HearingOutcome
    from panel.sitting import SittingStatus
    from panel.usecases import assurance
    from panel.usecases.deps import Deps
    from tests.conftest import TEST_KEY, RecordingNotifier, actor

    clock = FixedClock(datetime(2026, 12, 1, 9, 2, tzinfo=UTC))
    notifier = RecordingNotifier()
    deps = Deps(store.unit_of_work, clock, notifier, TEST_KEY)  # type: ignore[attr-defined]
    seeded = await seed_demo(deps)
    assert seeded.closed is not None and seeded.closed not in seeded.references
    async with deps.uow() as uow:
        case = await uow.cases.by_reference(seeded.closed)
        sittings = await uow.sittings.find()
    assert case.status is CaseStatus.CLOSED
    (hearing,) = case.hearings
    assert hearing.outcome is HearingOutcome.HEARD and hearing.sitting_date == date(2026, 10, 27)
    last_month = next(s for s in sittings if s.sitting_id == hearing.sitting_id)
    assert last_month.status is SittingStatus.ENDED
    assert [a.status.value for a in case.actions] == ["done"]
    assert case.history[-1].status is CaseStatus.CLOSED and case.history[-1].at < clock.now() - timedelta(
        days=20
    )
    # Not today's business: no notice of last month's closure arrives at the demo's start.
    assert all(n.case_reference != seeded.closed for n in notifier.sent)
    assert seeded.closed not in {s.case_reference for s in seeded.sitting.slots}
    # On the list to audit, and chosen by the "no further action" sample.
    listing = await assurance.cases_to_audit(deps, actor(COORDINATOR))
    assert (seeded.closed, True) in {(line.reference, line.closed) for line in listing.cases}
    sample = await assurance.sample_closed(deps, actor(CHAIR), assurance.SampleRule.NFA)
    assert sample.references == (seeded.closed,)
    # A later fresh sitting lists the open cases, never the closed one.
    assert await book_fresh_sitting(deps) is None
