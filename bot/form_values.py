"""Reading card inputs: every value is a string from the client and may be forged or missing.
Problems are reported by field, never by repeating what was sent."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Any, TypeVar

from panel.errors import ValidationFailed

E = TypeVar("E", bound=StrEnum)
MAX_VALUE = 4000


def text(data: Any, key: str) -> str | None:
    """A text input, trimmed; None when empty or absent."""
    value = data.get(key) if isinstance(data, dict) else None
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        raise ValidationFailed(f"The {key.replace('_', ' ')} field is not valid.")
    value = value.strip()
    return value or None


def required(data: Any, key: str, label: str) -> str:
    """A text input that must be there."""
    value = text(data, key)
    if value is None:
        raise ValidationFailed(f"The {label} is missing.")
    return value


def choice(data: Any, key: str, kind: type[E], label: str) -> E:
    """A choice-set input that must be one of the enum's values."""
    value = required(data, key, label)
    try:
        return kind(value)
    except ValueError:
        raise ValidationFailed(f"That {label} is not one of the choices.") from None


def day(data: Any, key: str, label: str, *, optional: bool = False) -> date | None:
    """A date input (YYYY-MM-DD)."""
    value = text(data, key)
    if value is None:
        if optional:
            return None
        raise ValidationFailed(f"The {label} is missing.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(f"The {label} is not a date.") from None


def clock_time(data: Any, key: str, label: str) -> time:
    """A HH:MM input."""
    value = required(data, key, label)
    try:
        return time.fromisoformat(value if len(value) == 5 else value.zfill(5))
    except ValueError:
        raise ValidationFailed(f"The {label} is not a time like 10:00.") from None


def number(data: Any, key: str, label: str) -> int | None:
    """A whole-number input."""
    value = text(data, key)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 6:
        raise ValidationFailed(f"The {label} must be a whole number.")
    return int(value)


def toggle(data: Any, key: str) -> bool:
    """A toggle input."""
    return text(data, key) == "true"
