"""The help card: golden JSON, Microsoft Teams' validator, and no way to put a name on it."""

from __future__ import annotations

import dataclasses
import json
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
from adaptive_cards.card import AdaptiveCard
from adaptive_cards.validation import CardValidatorFactory

from cards.help import CommandHelp, HelpView, help_card
from panel.roles import Role

GOLDEN = Path(__file__).parent / "golden"
COMMANDS = (CommandHelp("help", "What you can ask me, and the confidentiality rule."),)
VIEWS = {
    "help_chair_personal": HelpView(frozenset({Role.CHAIR}), True, COMMANDS, group_chat=False),
    "help_stranger_group": HelpView(frozenset(), False, COMMANDS, group_chat=True),
}


def assert_matches_golden(name: str, card: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    rendered = json.dumps(card, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def assert_valid_for_teams(card: dict[str, Any]) -> None:
    validator = CardValidatorFactory.create_validator_microsoft_teams()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the validator uses a deprecated pydantic API
        result = validator.validate(AdaptiveCard.model_validate(card))
    assert result.is_ok(), [d.message for d in validator.details()]
    assert card["version"] == "1.5"


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_help_card_matches_golden_and_teams_accepts_it(name: str) -> None:
    card = help_card(VIEWS[name])
    assert_matches_golden(name, card)
    assert_valid_for_teams(card)


def test_the_view_has_no_field_that_could_carry_a_name() -> None:
    fields = {f.name for f in dataclasses.fields(HelpView)} | {
        f.name for f in dataclasses.fields(CommandHelp)
    }
    assert fields == {"roles", "on_roster", "commands", "group_chat", "command", "description"}
