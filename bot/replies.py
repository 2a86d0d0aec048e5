"""Every reply text the bot sends that is not a card, in one place: short, polite, never echoing."""

from __future__ import annotations

from collections.abc import Sequence

from panel.errors import Finding, PanelError, describe_findings

UNKNOWN_COMMAND = "I didn't recognise that. Say **help** to see what I can do."
UNKNOWN_CARD_ACTION = (
    "I don't recognise that button. It may be from an old card; say **help** to start again."
)
INTERNAL_ERROR = (
    "Sorry, something went wrong on my side. Please try again in a moment; "
    "if it keeps happening, tell the panel coordinator."
)
WELCOME = (
    "Hello. I run the workplace domestic abuse scrutiny panel's sittings, cases and reminders. "
    "Say **help** to see what you can ask me. Never type names or identifying details here."
)


def identifying_text_warning(findings: Sequence[Finding]) -> str:
    """Warn about a chat message that carried an identifying detail, naming the kind only."""
    return (
        f"That message looks like it contains {describe_findings(findings)}. I have not stored it. "
        "Please delete that message: this chat must never identify anyone involved in a case."
    )


def for_error(error: PanelError) -> str:
    """The reply for a domain error: its message, which never contains what the user typed."""
    return error.message


def conflict_declared(reference: str, *, already: bool) -> str:
    """What someone is told when they declare a conflict of interest."""
    if already:
        return f"You have already declared a conflict of interest for case {reference}. Nothing has changed."
    return (
        f"Conflict of interest declared for case {reference}. From now on you are not shown it, asked "
        "about it or reminded of it, and the chair will ask you to step out while it is heard. Only the "
        "case coordinator can withdraw a declaration."
    )
