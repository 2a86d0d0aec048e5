"""Action verbs the cards carry; the bot dispatches on exactly these."""

from __future__ import annotations

NEXT = "sitting.next"
EXTEND = "sitting.extend"
DEFER = "sitting.defer"
END = "sitting.end"
REFRESH_CONTROL = "sitting.refresh"

LIVE_VERBS = frozenset({NEXT, EXTEND, DEFER, END, REFRESH_CONTROL})
EXTEND_MINUTES = 5
