"""The help card: what this person can ask the bot, and the confidentiality rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import AdaptiveCard, Container, Fact, FactSet, TextBlock
from adaptive_cards.types import ContainerStyle, FontSize, FontWeight

from cards.render import CONFIDENTIALITY_NOTE, TEAMS_CARD_VERSION, to_dict
from panel.roles import Role


@dataclass(frozen=True)
class CommandHelp:
    """One command and what it does."""

    command: str
    description: str


@dataclass(frozen=True)
class HelpView:
    """What the help card shows: roles and commands, never a name."""

    roles: frozenset[Role]
    on_roster: bool
    commands: tuple[CommandHelp, ...]
    group_chat: bool


def help_card(view: HelpView) -> dict[str, Any]:
    """Build the help card for one person."""
    if view.on_roster:
        roles = ", ".join(sorted(r.value.replace("_", " ") for r in view.roles)) or "no role yet"
        standing = f"You are on the panel's roster as: {roles}."
    else:
        standing = "Only people on the panel's roster can use me. Ask the case coordinator to add you."
    how = (
        "In a group chat, @mention me first, e.g. @Scrutiny Panel help."
        if view.group_chat
        else "Type a command below."
    )
    card = (
        AdaptiveCard.new()
        .version(TEAMS_CARD_VERSION)
        .fallback_text("Scrutiny panel help: " + ", ".join(c.command for c in view.commands))
        .add_items(
            [
                TextBlock(text="Scrutiny panel", size=FontSize.LARGE, weight=FontWeight.BOLDER, wrap=True),
                TextBlock(text=standing, wrap=True),
                TextBlock(text=how, wrap=True, is_subtle=True),
                FactSet(facts=[Fact(title=c.command, value=c.description) for c in view.commands]),
                Container(
                    style=ContainerStyle.ATTENTION,
                    items=[TextBlock(text=CONFIDENTIALITY_NOTE, wrap=True, size=FontSize.SMALL)],
                ),
            ]
        )
        .create()
    )
    return to_dict(card)
