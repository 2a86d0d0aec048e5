"""The pieces every form card is made of: a titled card with a banner, sub-forms, choice sets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import (
    ActionExecute,
    AdaptiveCard,
    Container,
    InputChoice,
    InputChoiceSet,
    TextBlock,
)
from adaptive_cards.types import (
    ContainerStyle,
    FontSize,
    FontWeight,
)

from cards import verbs
from cards.render import TEAMS_CARD_VERSION, execute, to_dict

Choice = tuple[str, str]  # (shown, value)


@dataclass(frozen=True)
class Banner:
    """A line at the top of a form: what just happened, or why it did not."""

    text: str
    ok: bool


def card(title: str, body: Sequence[Any], actions: Sequence[Any], banner: Banner | None) -> dict[str, Any]:
    """A form card: its title, the banner (what just happened, or why not), the body, the buttons."""
    items: list[Any] = [TextBlock(text=title, size=FontSize.MEDIUM, weight=FontWeight.BOLDER, wrap=True)]
    if banner is not None:
        items.append(
            Container(
                style=ContainerStyle.GOOD if banner.ok else ContainerStyle.ATTENTION,
                items=[TextBlock(text=banner.text, wrap=True)],
            )
        )
    items += list(body)
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(title).add_items(items)
    if actions:
        builder = builder.add_actions(list(actions))
    return to_dict(builder.create())


def subform(inputs: Sequence[Any], action: ActionExecute) -> AdaptiveCard:
    """The card inside an Action.ShowCard: some inputs and the one button that submits them."""
    return AdaptiveCard.new().version(TEAMS_CARD_VERSION).add_items(list(inputs)).add_action(action).create()


def choices(
    id_: str,
    label: str,
    options: Sequence[Choice],
    required: bool = True,
    value: str | None = None,
    error: str | None = None,
) -> InputChoiceSet:
    """A choice set whose error message names what to choose."""
    return InputChoiceSet(
        id=id_,
        label=label,
        is_required=required,
        error_message=error or f"Choose the {label.lower()}.",
        value=value,
        choices=[InputChoice(title=shown, value=val) for shown, val in options],
    )


def with_back_to_list(content: dict[str, Any]) -> dict[str, Any]:
    """A card opened from the case list, with a button back to it (Teams shows six at most)."""
    actions = content.setdefault("actions", [])
    if len(actions) < MAX_ACTIONS and not any(a.get("verb") == verbs.CASES_BACK for a in actions):
        back = execute("Back to the case list", verbs.CASES_BACK, {})
        holder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).add_action(back).create()
        actions.append(to_dict(holder)["actions"][0])
    return content


MAX_ACTIONS = 6
