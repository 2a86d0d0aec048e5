"""The audit card, for those who investigate a suspected breach: who accessed a case and how, what a
person accessed, in a period, newest first, a page at a time; export as CSV; verify the trail.

It shows ids, staff names and roles, categories, purposes and case references: never a case's
details, never anything a user typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import ActionOpenUrl, Column, ColumnSet, InputDate, InputText, TextBlock
from adaptive_cards.types import ActionStyle, FontSize, FontWeight, Spacing

from cards import verbs
from cards.form_parts import Banner, Choice, card, choices
from cards.render import execute
from cards.style import attention


@dataclass(frozen=True)
class AuditLine:
    """One entry as a reviewer reads it."""

    seq: int
    when: str  # London time
    who: str  # a staff name and role, "the bot", or "an operator"
    what: str  # the event in words, with its category
    case: str  # the case reference, or ""
    why: str  # the purpose
    to: str  # for a disclosure: to whom


@dataclass(frozen=True)
class AuditFilterView:
    """The filter as the reviewer set it (echoed back into the inputs)."""

    case: str = ""
    person: str = ""
    since: str = ""
    until: str = ""


@dataclass(frozen=True)
class AuditView:
    """A page of the trail."""

    filters: AuditFilterView
    people: tuple[Choice, ...]
    lines: tuple[AuditLine, ...]
    older: int | None = None  # the number to page back from, when there are older entries
    banner: Banner | None = None
    download: str | None = None  # a one-time link to the CSV just made
    verified: str | None = None  # the result of verifying the trail


def audit_card(view: AuditView) -> dict[str, Any]:
    """The audit card: filters, a page of entries, and the reviewer's actions."""
    f = view.filters
    body: list[Any] = [
        TextBlock(
            text="Who accessed what, when and why. Reading this is itself recorded.",
            wrap=True,
            is_subtle=True,
        ),
        InputText(
            id="case", label="Case reference", placeholder="K7F-2QM", value=f.case or None, max_length=7
        ),
        choices("person", "Person", view.people, required=False, value=f.person or None),
        ColumnSet(
            columns=[
                Column(width="stretch", items=[InputDate(id="since", label="From", value=f.since or None)]),
                Column(width="stretch", items=[InputDate(id="until", label="To", value=f.until or None)]),
            ]
        ),
    ]
    if view.verified:
        body.append(
            attention(view.verified)
            if "not intact" in view.verified
            else TextBlock(text=view.verified, wrap=True)
        )
    if view.download:
        body.append(
            TextBlock(text="The CSV is ready: the link below works once, for ten minutes.", wrap=True)
        )
    body.append(TextBlock(text="Entries, newest first", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    for line in view.lines:
        parts = [f"**{line.when}** · {line.who}", line.what]
        if line.case:
            parts.append(f"case {line.case}")
        if line.to:
            parts.append(f"to {line.to}")
        if line.why:
            parts.append(f"({line.why})")
        body.append(
            TextBlock(
                text=f"#{line.seq} " + " · ".join(parts),
                wrap=True,
                size=FontSize.SMALL,
                spacing=Spacing.SMALL,
            )
        )
    if not view.lines:
        body.append(TextBlock(text="No entries match.", is_subtle=True))
    actions: list[Any] = [execute("Search", verbs.AUDIT_SEARCH, {}, ActionStyle.POSITIVE)]
    if view.older is not None:
        actions.append(execute("Older entries", verbs.AUDIT_SEARCH, {"before": str(view.older)}))
    actions.append(execute("Export as CSV", verbs.AUDIT_EXPORT, {}))
    actions.append(execute("Verify the trail", verbs.AUDIT_VERIFY, {}))
    if view.download:
        actions.insert(0, ActionOpenUrl(title="Download the CSV", url=view.download))
    return card("Audit trail", body, actions, view.banner)
