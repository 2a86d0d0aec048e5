"""Commands are exact words, any case, with @mentions and Teams' HTML stripped."""

from __future__ import annotations

import pytest

from bot.commands import Command, clean_text, parse


@pytest.mark.parametrize(
    "text",
    [
        "help",
        "HELP",
        "  Help ",
        "?",
        "<at>Scrutiny Panel</at> help",
        "<at>Scrutiny Panel</at>&nbsp;help",
        "<p><at>Scrutiny Panel</at> help</p>",
    ],
)
def test_help_is_recognised_however_teams_delivers_it(text: str) -> None:
    assert parse(text) == Command("help")


@pytest.mark.parametrize("text", ["helpful", "please help", "help me", "", "   ", "h e l p", "help" * 100])
def test_near_misses_are_not_commands(text: str) -> None:
    assert parse(text) is None


def test_clean_text_keeps_words_and_drops_markup() -> None:
    assert clean_text("<at>Bot</at> <b>next</b>&amp;more") == "next &more"
