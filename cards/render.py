"""Shared card plumbing: the version Teams renders, and turning a typed card into its JSON dict."""

from __future__ import annotations

import json
from typing import Any, Final, Literal

from adaptive_cards.card import ActionExecute, ActionSubmit, AdaptiveCard
from adaptive_cards.types import ActionStyle

# Teams renders Adaptive Cards up to 1.5 in every client.
TEAMS_CARD_VERSION: Final[Literal["1.5"]] = "1.5"

CONFIDENTIALITY_NOTE = (
    "Never type names, contact details or police reference numbers here. "
    "Refer to a case only by its panel reference, such as K7F-2QM."
)


def to_dict(card: AdaptiveCard) -> dict[str, Any]:
    """The card as the JSON dict an attachment carries."""
    result: dict[str, Any] = json.loads(card.to_json())
    return result


def execute(title: str, verb: str, data: dict[str, str], style: ActionStyle | None = None) -> ActionExecute:
    """A Universal Action with an Action.Submit fallback: clients without Universal Actions send the
    same verb and data as a message."""
    return ActionExecute(
        title=title,
        verb=verb,
        data=data,
        style=style,
        fallback=ActionSubmit(title=title, data={"verb": verb, **data}, style=style),
    )
