"""The force's own record references for a case (professional standards, crime, IOPC, HR case
numbers), kept only as keyed hashes, so the coordinator can find which panel case a force record
is. The identity guard refuses references by their shape alone (panel.guard_patterns), never by
whether one is registered: that answer would tell whoever typed one that it is before the panel.

A reference is folded before it is hashed: capitals, and only its letters and digits, so
"PSD/2026/0412", "psd 2026-0412" and "PSD20260412" are one reference.
"""

from __future__ import annotations

import re
from enum import StrEnum

from panel.errors import ValidationFailed

# Kept apart from every party name's hash: a folded name holds no "#".
_PREFIX = "#force-ref:"
MIN_CHARACTERS, MAX_CHARACTERS, MIN_DIGITS = 5, 40, 3
_NOT_KEPT = re.compile(r"[^A-Z0-9]")


class ForceRecord(StrEnum):
    """Which of the force's records a reference is to (said on the form; the hash is the same)."""

    PSD = "psd"
    CRIME = "crime"
    IOPC = "iopc"
    HR = "hr"


RECORD_WORDS: dict[ForceRecord, str] = {
    ForceRecord.PSD: "Professional standards reference",
    ForceRecord.CRIME: "Crime reference",
    ForceRecord.IOPC: "IOPC reference",
    ForceRecord.HR: "HR case number",
}


def fold_reference(text: str) -> str:
    """The reference as it is hashed: capitals, letters and digits only."""
    return _NOT_KEPT.sub("", text.upper())


def checked_reference(text: str) -> str:
    """The folded reference, or a refusal that never repeats what was typed."""
    folded = fold_reference(text)
    digits = sum(c.isdigit() for c in folded)
    if not MIN_CHARACTERS <= len(folded) <= MAX_CHARACTERS or digits < MIN_DIGITS:
        raise ValidationFailed(
            f"A force reference has {MIN_CHARACTERS} to {MAX_CHARACTERS} letters and digits, at least "
            f"{MIN_DIGITS} of them digits (separators such as / and - are ignored)."
        )
    return folded


def hashed_form(folded: str) -> str:
    """What is hashed for a folded reference (the identity key does the hashing)."""
    return _PREFIX + folded
