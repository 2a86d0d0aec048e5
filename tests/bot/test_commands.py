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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cases", Command("cases")),
        ("case k7f-2qm", Command("case", ("k7f-2qm",))),
        ("CASE K7F 2QM", Command("case", ("K7F 2QM",))),
        ("register", Command("register")),
        ("sittings", Command("sittings")),
        ("record", Command("record")),
        ("extend 10", Command("extend", ("10",))),
    ],
)
def test_the_case_and_sitting_commands_parse(text: str, expected: Command) -> None:
    assert parse(text) == expected


def test_help_offers_each_role_its_own_commands() -> None:
    from bot.commands import commands_for
    from panel.roles import Actor, Role

    def usages(role: Role) -> set[str]:
        return {c.usage for c in commands_for(Actor("x", frozenset({role})))}

    assert {"register", "cases", "case K7F-2QM"} <= usages(Role.COORDINATOR)
    assert {"start", "next", "extend 5"} <= usages(Role.CHAIR) and "register" not in usages(Role.CHAIR)
    assert usages(Role.PARTNER) == {"help", "agenda", "conflict K7F-2QM [reason]"}
    assert "record" in usages(Role.ADMINISTRATOR)
