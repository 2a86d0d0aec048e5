"""Domain errors. Each carries a message safe to show a user: it never contains text a user typed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class PanelError(Exception):
    """Base of every error the domain raises on purpose; the bot maps each to a clear reply."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(PanelError):
    """Input is missing, malformed or out of range."""


class NotPermitted(PanelError):
    """The actor's roles do not allow this."""


class NotOnRoster(NotPermitted):
    """The person is not on this panel's roster at all."""


class NotFound(PanelError):
    """The case, sitting, action or person referred to does not exist."""


class InvalidTransition(PanelError):
    """The record is not in a state that allows this change."""


class ConcurrencyConflict(PanelError):
    """Someone else changed the record first; re-read and try again."""


class Superseded(ConcurrencyConflict):
    """The record moved on before this change could apply (e.g. another Next was pressed first)."""


class StorageUnavailable(PanelError):
    """The panel's records cannot be reached just now (the store is down, throttled or refusing us)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "I can't reach the panel's records just now. Please try again in a moment."
        )


class RoomNotClear(InvalidTransition):
    """Someone in the case room should not hear the next case; the chair may wait or call anyway."""


class AlreadyProcessed(PanelError):
    """This exact request (e.g. a redelivered Teams activity) was acted on before."""


# The kinds of identifying detail the guard finds: a short code (safe in a log line) and words.
DETAIL_KINDS: dict[str, str] = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "postcode": "a postcode",
    "ni_number": "a National Insurance number",
    "date_of_birth": "a date of birth",
    "staff_number": "a collar, warrant or payroll number",
    "file_reference": "a crime or PSD reference",
    # Told as any other name: "a name registered for a party" would let anyone in a chat test
    # whether someone is a party to a case by typing their name.
    "registered_name": "a person's name",
    "person_name": "a person's name",
    # A post tied to a place, team or shift, a unique description, a relative by their business.
    "description": "a description that points at one person (their post and where they work, or "
    "something only they are known for)",
    "street_address": "a street address",
    "vehicle": "a vehicle registration",
    "social_handle": "a social media handle",
}


@dataclass(frozen=True)
class Finding:
    """Where the identity guard found an identifying detail: its kind and position, never the text."""

    kind: str
    start: int
    end: int

    @property
    def words(self) -> str:
        """The kind in words, for a message to the user."""
        return DETAIL_KINDS[self.kind]


class IdentifyingDetail(PanelError):
    """Free text carried something that identifies a person, so it was refused."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(
            f"That text looks like it contains {describe_findings(findings)}. "
            "Nothing was saved. Please rephrase without identifying details."
        )
        self.findings = tuple(findings)


def describe_findings(findings: Sequence[Finding]) -> str:
    """The kinds found, in words: "a phone number and a postcode"."""
    return _join(sorted({f.words for f in findings}))


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
