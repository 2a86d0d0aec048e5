"""Time for the domain: a clock is passed in, stored times are aware UTC, shown in Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from panel.errors import ValidationFailed

LONDON = ZoneInfo("Europe/London")


class Clock(Protocol):
    """Tells the current moment; production reads the system clock, tests fix it."""

    def now(self) -> datetime:
        """Return the current moment as an aware UTC datetime."""
        ...


class FixedClock:
    """A clock that stays where it is put: for tests and for running the demo's time forward."""

    def __init__(self, moment: datetime) -> None:
        self._moment = require_aware(moment)

    def now(self) -> datetime:
        """Return the moment the clock is set to."""
        return self._moment

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._moment += delta

    def set(self, moment: datetime) -> None:
        """Put the clock at a new moment."""
        self._moment = require_aware(moment)


def require_aware(moment: datetime) -> datetime:
    """Refuse naive datetimes, whose zone nobody can know, and normalise to UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: the domain only accepts aware datetimes")
    return moment.astimezone(UTC)


def london_to_utc(day: date, at: time) -> datetime:
    """Turn a local Europe/London wall-clock time into UTC, refusing times the clock change skips
    or repeats, because a sitting booked at an ambiguous time would start at a guess."""
    first = datetime.combine(day, at, tzinfo=LONDON).replace(fold=0)
    utc = first.astimezone(UTC)
    if utc.astimezone(LONDON).replace(tzinfo=None) != first.replace(tzinfo=None):
        raise ValidationFailed(
            f"{at:%H:%M} on {day:%d %b %Y} does not exist because the clocks go forward; choose another time"
        )
    if first.utcoffset() != first.replace(fold=1).utcoffset():
        raise ValidationFailed(
            f"{at:%H:%M} on {day:%d %b %Y} happens twice because the clocks go back; choose another time"
        )
    return utc


def to_london(moment: datetime) -> datetime:
    """Show an aware moment on the London wall clock."""
    return require_aware(moment).astimezone(LONDON)


def london_today(moment: datetime) -> date:
    """The London calendar date of a moment."""
    return to_london(moment).date()
