"""The slot timer: decides when the chair is warned that a slot is ending or has overrun."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from panel.sitting import Sitting, SittingStatus

WARN_BEFORE_END = timedelta(minutes=2)


class AlertKind(StrEnum):
    """What the chair is warned about."""

    ENDING_SOON = "ending_soon"
    OVERRUN = "overrun"


@dataclass(frozen=True)
class TimerAlert:
    """A warning for the chair about the slot being heard."""

    kind: AlertKind
    slot_id: str
    case_reference: str
    minutes: int

    @property
    def text(self) -> str:
        """The warning as the chair reads it in the case-room chat."""
        if self.kind is AlertKind.ENDING_SOON:
            return (
                f"About {self.minutes} minute{'s' if self.minutes != 1 else ''} left for case "
                f"{self.case_reference}. Say **extend 5** for more time, or **next** when ready."
            )
        return (
            f"Case {self.case_reference} has overrun its slot by {self.minutes} minute"
            f"{'s' if self.minutes != 1 else ''}. Say **extend 5**, **next**, or consider a case conference."
        )


def due_alerts(sitting: Sitting, now: datetime) -> list[TimerAlert]:
    """Alerts due now that have not been given yet; marks them given on the slot (the caller saves)."""
    slot = sitting.current
    if sitting.status is not SittingStatus.LIVE or slot is None or slot.started_at is None:
        return []
    end = slot.started_at + timedelta(minutes=slot.minutes)
    alerts: list[TimerAlert] = []
    if now >= end and not slot.warned_overrun:
        slot.warned_overrun = slot.warned_ending = True
        over = max(1, int((now - end).total_seconds() // 60))
        alerts.append(TimerAlert(AlertKind.OVERRUN, slot.slot_id, slot.case_reference, over))
    elif end - WARN_BEFORE_END <= now < end and not slot.warned_ending:
        slot.warned_ending = True
        left = max(1, round((end - now).total_seconds() / 60))
        alerts.append(TimerAlert(AlertKind.ENDING_SOON, slot.slot_id, slot.case_reference, left))
    return alerts
