"""One-to-one notices and reminders: a title, a few facts, and the buttons that fit; by case
reference only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import ActionShowCard, Fact, FactSet, InputText, TextBlock
from adaptive_cards.types import ActionStyle

from cards import verbs
from cards.form_parts import card, choices, subform
from cards.render import execute


@dataclass(frozen=True)
class NoticeView:
    """A 1:1 notice: a title, facts, and optionally a button to open the case."""

    title: str
    facts: tuple[tuple[str, str], ...]
    open_case: str | None = None


def notice_card(view: NoticeView) -> dict[str, Any]:
    """A short notice about one case, by reference only."""
    body = [FactSet(facts=[Fact(title=k, value=v) for k, v in view.facts])] if view.facts else []
    actions = [execute("Open the case", verbs.CASE_OPEN, {"case": view.open_case})] if view.open_case else []
    return card(view.title, body, actions, None)


@dataclass(frozen=True)
class ReminderView:
    """A reminder: title, facts, and the buttons that make sense for it."""

    key: str
    title: str
    facts: tuple[tuple[str, str], ...]
    cases: tuple[str, ...] = ()  # the person's own cases, each with a button to open its form
    agenda: tuple[str, ...] = ()  # references on the agenda, to declare a conflict for
    snooze: tuple[tuple[str, str], ...] = ()  # (label, choice) of each "remind me later" that fits


def reminder_card(view: ReminderView) -> dict[str, Any]:
    """A reminder by case reference only, with the buttons that fit it."""
    body: list[Any] = [FactSet(facts=[Fact(title=k, value=v) for k, v in view.facts])] if view.facts else []
    actions: list[Any] = []
    if view.agenda:
        body.append(TextBlock(text="On the agenda: " + ", ".join(view.agenda), wrap=True))
        body.append(
            TextBlock(
                text="If you know anyone involved in one of these cases, declare a conflict of interest: "
                "you will not be shown it, and the chair will ask you to step out while it is heard.",
                wrap=True,
                is_subtle=True,
            )
        )
        declare = subform(
            [
                choices("case", "Case", [(ref, ref) for ref in view.agenda]),
                InputText(id="reason", label="Reason (optional, no names)", max_length=200),
            ],
            execute("Declare the conflict", verbs.CONFLICT_DECLARE, {}, ActionStyle.DESTRUCTIVE),
        )
        actions.append(ActionShowCard(title="Declare a conflict", card=declare))
    for reference in view.cases[:MAX_OPEN_BUTTONS]:
        title = "Open the case form" if len(view.cases) == 1 else f"Open {reference}"
        actions.append(execute(title, verbs.CASE_OPEN, {"case": reference}, ActionStyle.POSITIVE))
    for label, choice in view.snooze:
        actions.append(execute(label, verbs.REMINDER_SNOOZE, {"reminder": view.key, "for": choice}))
    return card(view.title, body, actions, None)


# Teams shows at most six buttons on a card; keep room for two snooze choices.
MAX_OPEN_BUTTONS = 4
