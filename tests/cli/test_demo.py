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
