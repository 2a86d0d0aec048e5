"""The demo's one clock: the system's, moved forward when someone runs the reminders at a later
moment (`panelbot reminders run --now …` with PANEL_DEMO_CLOCK set, as the demo prints). The
running demo and the command line then agree on the time, so a snooze pressed in the Playground
and the reminders run from the terminal land in the audit trail in order."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

ENV = "PANEL_DEMO_CLOCK"


class DemoClock:
    """The system clock plus the offset kept in a small file beside the demo's data."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen: tuple[float, timedelta] = (-1.0, timedelta(0))

    def now(self) -> datetime:
        """The demo's current moment, as an aware UTC datetime."""
        return datetime.now(UTC) + self._offset()

    def _offset(self) -> timedelta:
        try:
            stamp = self._path.stat().st_mtime
        except OSError:
            return timedelta(0)
        if stamp != self._seen[0]:  # read again only when the file changed
            try:
                seconds = float(self._path.read_text(encoding="ascii").strip() or 0)
            except (OSError, ValueError):
                seconds = 0.0
            self._seen = (stamp, timedelta(seconds=seconds))
        return self._seen[1]


def move_demo_clock(moment: datetime) -> str | None:
    """With PANEL_DEMO_CLOCK set, move the demo's clock to `moment`; why not, if it would go back."""
    where = os.environ.get(ENV, "").strip()
    if not where:
        return None
    path = Path(where)
    current = DemoClock(path).now()
    if moment < current - timedelta(minutes=1):
        return (
            f"The demo's clock is already at {current:%Y-%m-%d %H:%M} UTC and only moves forward: "
            "choose a later --now (or start again with make demo RESET=1)."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{(moment - datetime.now(UTC)).total_seconds():.0f}\n", encoding="ascii")
    return None
