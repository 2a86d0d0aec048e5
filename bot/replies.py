"""Every reply text the bot sends that is not a card, in one place: short, polite, never echoing."""

from __future__ import annotations

from collections.abc import Sequence

from panel.errors import Finding, PanelError, describe_findings
from panel.usecases.cases import NamesRegistered

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


_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def names_registered(result: NamesRegistered) -> str:
    """What the coordinator is told after registering names: how many, and which parts (by
    position, never the words) are everyday words and how they will be refused."""
    said = f"{_count(result.count, 'name')} registered for the identity guard; they will not be shown again."
    for entry in result.everyday:
        words = _join([_ORDINALS[p - 1] if p <= len(_ORDINALS) else f"{p}th" for p in entry.positions])
        plural = len(entry.positions) > 1
        said += (
            f" Party {entry.party}'s {words} {'words are' if plural else 'word is'} also "
            f"{'everyday words' if plural else 'an everyday word'}: "
            + (
                "refused alone however written, as you chose."
                if entry.blocked_alone
                else "refused alone only when written with a capital mid-sentence (the whole name always). "
                "To refuse it however written, register the name again from the case's card "
                "with that box ticked."
            )
        )
    return said


def _count(n: int, noun: str) -> str:
    return f"1 {noun}" if n == 1 else f"{n} {noun}s"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
