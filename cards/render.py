"""Shared card plumbing: the version Teams renders, and turning a typed card into its JSON dict."""

from __future__ import annotations

import json
from typing import Any, Final, Literal

from adaptive_cards.card import AdaptiveCard

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
