"""The SOO's one card for a live sitting: where each of their cases stands, and the way into the
case room when the panel is ready. Kept up to date in place; replaced when there is news."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import ActionOpenUrl, AdaptiveCard, Fact, FactSet, TextBlock
from adaptive_cards.types import ActionStyle, FontSize, FontWeight

from cards.render import TEAMS_CARD_VERSION, to_dict


@dataclass(frozen=True)
class SooCardView:
    """A SOO's status for the sitting: references and times only."""

    headline: str
    lines: tuple[tuple[str, str], ...]  # (reference, status in words)
    called_reference: str | None = None
    called_minutes: int = 0
    case_room_link: str | None = None


def soo_card(view: SooCardView) -> dict[str, Any]:
    """The SOO's status card; when a case is being heard, the call with the way in."""
    items: list[Any] = [
        TextBlock(text=view.headline, size=FontSize.LARGE, weight=FontWeight.BOLDER, wrap=True)
    ]
    if view.called_reference:
        items.append(
            TextBlock(
                text=f"Please join the case room now. The panel has set aside {view.called_minutes} minutes.",
                wrap=True,
            )
        )
        if not view.case_room_link:
            items.append(TextBlock(text="The chair will admit you from the waiting room.", wrap=True))
    items.append(FactSet(facts=[Fact(title=ref, value=status) for ref, status in view.lines]))
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(view.headline).add_items(items)
    if view.called_reference and view.case_room_link:
        builder = builder.add_action(
            ActionOpenUrl(title="Join the case room", url=view.case_room_link, style=ActionStyle.POSITIVE)
        )
    return to_dict(builder.create())


def superseded_card(headline: str) -> dict[str, Any]:
    """An earlier status card, once a newer one has been sent below it: no button left to press."""
    text = f"{headline} (earlier update: see the latest below)"
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(text)
    return to_dict(builder.add_items([TextBlock(text=text, wrap=True, is_subtle=True)]).create())
