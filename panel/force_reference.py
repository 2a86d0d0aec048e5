"""The force's own record references for a case (professional standards, crime, IOPC, HR case
numbers), kept only as keyed hashes: so the coordinator can find which panel case a force record
is, and the identity guard refuses the reference anywhere else, however it is written.

A reference is folded before it is hashed: capitals, and only its letters and digits, so
"PSD/2026/0412", "psd 2026-0412" and "PSD20260412" are one reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum

from panel.errors import ValidationFailed

# Kept apart from every party name's hash: a folded name holds no "#".
_PREFIX = "#force-ref:"
MIN_CHARACTERS, MAX_CHARACTERS, MIN_DIGITS = 5, 40, 3
# What a reference may be written with, as it appears in text: letters, digits and the separators
# forces use, with single spaces between parts ("PSD 2026 0412").
_CANDIDATE = re.compile(r"[A-Za-z0-9]+(?:(?:[/\-.:#_]| (?=[A-Za-z0-9]*\d))[A-Za-z0-9]+){0,8}")
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


def candidates(text: str) -> Iterator[tuple[int, int, str]]:
    """Every run of the text that could be a reference, with its folded form: each run of letters,
    digits and separators, and each stretch of it that starts and ends on a part (so "see PSD
    2026/0412 now" offers "PSD20260412" and "20260412")."""
    for match in _CANDIDATE.finditer(text):
        if sum(c.isdigit() for c in match.group()) < MIN_DIGITS:
            continue
        parts = list(re.finditer(r"[A-Za-z0-9]+", match.group()))
        if len(parts) > 12:  # a long run of numbers is never one reference: its parts are tried
            parts = parts[:12]
        for i in range(len(parts)):
            for j in range(i, min(len(parts), i + 6)):
                start, end = match.start() + parts[i].start(), match.start() + parts[j].end()
                folded = fold_reference(text[start:end])
                if (
                    MIN_CHARACTERS <= len(folded) <= MAX_CHARACTERS
                    and sum(c.isdigit() for c in folded) >= MIN_DIGITS
                ):
                    yield start, end, folded
