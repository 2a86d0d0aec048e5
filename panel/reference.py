"""Pseudonymous case references: random, not sequential, derived from nothing, easy to read aloud."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from panel.errors import ValidationFailed

# No 0/O or 1/I: they are misheard on a call and misread on a screen.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PATTERN = re.compile(f"[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}")

ReferenceSource = Callable[[], str]


def random_reference() -> str:
    """A fresh reference such as `K7F-2QM` from the operating system's secure random source."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


# As people type one: any case, the two halves joined by a hyphen or spaces, or by nothing when a
# digit shows it is not a word. Only that: "Kerry H" is not read as KER-RYH, nor "Walker" as WAL-KER.
_TYPED = re.compile(r"\s*([0-9A-Za-z]{3})(\s*-\s*|\s*)([0-9A-Za-z]{3})\s*")


def parse_reference(text: str) -> str:
    """Accept a reference as people type it (any case, a hyphen or a space between its halves, or
    nothing when it holds a digit) and normalise it; anything else is not a reference."""
    typed = _TYPED.fullmatch(text)
    word = typed is not None and not typed.group(2) and not any(c.isdigit() for c in text)
    candidate = f"{typed.group(1)}-{typed.group(3)}".upper() if typed and not word else ""
    if not _PATTERN.fullmatch(candidate):
        raise ValidationFailed("a case reference looks like K7F-2QM (no 0, O, 1 or I)")
    return candidate


def is_reference(text: str) -> bool:
    """Whether the text is exactly a well-formed case reference."""
    return bool(_PATTERN.fullmatch(text))
