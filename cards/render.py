"""Shared card plumbing: the version Teams renders, and turning a typed card into its JSON dict."""

from __future__ import annotations

import json
from dataclasses import dataclass
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


# Teams shows a different view of one card to at most 60 people.
MAX_REFRESH_USERS = 60


@dataclass(frozen=True)
class Refresh:
    """A user-specific view: Teams asks the bot, on behalf of each person looking at the card, for
    that person's own version of it. The card itself (what the chat stores) stays as it is."""

    verb: str
    data: tuple[tuple[str, str], ...]
    user_ids: tuple[str, ...] = ()


def with_refresh(card: dict[str, Any], refresh: Refresh | None) -> dict[str, Any]:
    """The card with its refresh instruction. adaptive-cards-py types `refresh.action` as a string;
    Teams wants an Action.Execute object, so it is added to the JSON here."""
    if refresh is None:
        return card
    card["refresh"] = {
        "action": {"type": "Action.Execute", "verb": refresh.verb, "data": dict(refresh.data)},
        "userIds": list(refresh.user_ids[:MAX_REFRESH_USERS]),
    }
    return card
