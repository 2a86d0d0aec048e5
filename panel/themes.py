"""Organisational-learning themes: a configurable taxonomy seeded from what panels have seen, plus tags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from panel.errors import ValidationFailed

# Seeded with themes forces have reported; a force may replace or extend it in configuration.
DEFAULT_TAXONOMY: Mapping[str, str] = {
    "over_empathy_police_victim": "Over-empathy with a police victim led to decisions not made for "
    "the public (early NFA, voluntary interview instead of arrest, informal warning)",
    "over_sympathy_perpetrator": "Over-sympathy with the perpetrator (explanations such as poor "
    "mental health accepted)",
    "inexperienced_investigator": "Inexperienced investigator allocated to interview an experienced officer",
    "assumed_self_safeguarding": "Police victim assumed able to safeguard themselves",
    "delayed_victim_updates": "Updates to a police victim delayed",
    "contact_without_consent": "Victim contacted on work details, or their manager copied, without consent",
}

_TAG = re.compile(r"[a-z0-9][a-z0-9 -]{1,38}[a-z0-9]")


@dataclass(frozen=True)
class ThemeRecord:
    """A theme noted against a case at a sitting: a taxonomy code, or a short free tag."""

    code: str | None
    tag: str | None
    sitting_id: str | None
    by: str
    at: datetime
    source: str | None = None  # where an accepted proposal came from, by role


def normalise_tag(text: str) -> str:
    """A free tag is short lower-case words (3–40 characters), so it cannot carry a narrative."""
    tag = " ".join(text.lower().split())
    if not _TAG.fullmatch(tag):
        raise ValidationFailed(
            "A tag is 3 to 40 letters, digits, spaces or hyphens; use the taxonomy for longer themes."
        )
    return tag


def require_known_theme(code: str, taxonomy: Mapping[str, str]) -> str:
    """Refuse a theme code the force's taxonomy does not have."""
    if code not in taxonomy:
        raise ValidationFailed("That theme is not in the force's taxonomy.")
    return code
