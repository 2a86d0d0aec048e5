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


@pytest.mark.parametrize(
    "text",
    ["helpful", "help me", "", "   ", "h e l p", "help" * 100, "next week", "defer to Jan", "mark done"],
)
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
    assert usages(Role.PARTNER) == {"help", "agenda", "sitting", "propose", "conflict K7F-2QM [reason]"}
    assert {"propose", "report", "themes"} <= usages(Role.LEARNING_ANALYST)
    assert "record" in usages(Role.ADMINISTRATOR)
    # Audits are for the roles the force names (the coordinator and the chair unless it says more).
    assert "assurance" in usages(Role.COORDINATOR) and "assurance" in usages(Role.CHAIR)
    for role in (Role.DEPUTY_CHAIR, Role.ADMINISTRATOR, Role.PSD_LEAD):
        assert "assurance" not in usages(role)
    deputy = Actor("x", frozenset({Role.DEPUTY_CHAIR}))
    assert "assurance" in {c.usage for c in commands_for(deputy, frozenset({Role.DEPUTY_CHAIR}))}
    assert usages(Role.PSD_LEAD) == {"help", "cases", "case K7F-2QM", "find", "conflict K7F-2QM [reason]"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please help", Command("help")),
        ("next please", Command("next")),
        ("Next case.", Command("next")),
        ("call the next case", Command("next")),
        ("extend 5 minutes", Command("extend", ("5",))),
        ("extend by 5", Command("extend", ("5",))),
        ("please extend by 10 mins", Command("extend", ("10",))),
        ("+5", Command("extend", ("5",))),
        ("5 more minutes", Command("extend", ("5",))),
        ("extend 500", Command("extend", ("500",))),  # refused by the use case with its range, like 0
        ("hear it later", Command("defer")),
        ("end the sitting", Command("end")),
        ("start the sitting", Command("start")),
        ("what's the agenda?", Command("agenda")),
        ("show me the agenda", Command("agenda")),
        ("my cases", Command("cases")),
        ("open K7F-2QM", Command("case", ("K7F-2QM",))),
        ("<at>Scrutiny Panel</at> next please", Command("next")),
        ("extend", Command("usage", ("extend",))),
        ("conflict", Command("usage", ("conflict",))),
        ("thanks all", Command("thanks")),
    ],
)
def test_the_ways_people_actually_say_a_command(text: str, expected: Command) -> None:
    assert parse(text) == expected


def test_each_role_is_welcomed_with_what_it_does_and_unknown_text_gets_its_own_commands() -> None:
    from bot import replies
    from bot.commands import commands_for
    from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
    from panel.roles import Actor
    from tests.conftest import actor

    soo, chair, coordinator = actor(SOO_ONE), actor(CHAIR), actor(COORDINATOR)
    assert "senior oversight officer" in replies.welcome_for(soo) and "**start**" not in replies.welcome_for(
        soo
    )
    assert "**start**" in replies.welcome_for(chair)
    assert "**register**" in replies.welcome_for(coordinator)
    stranger = Actor("someone-else", frozenset(), on_roster=False)
    assert replies.welcome_for(stranger) == replies.FOR_STRANGERS
    said_to_chair = replies.unknown_command(commands_for(chair), in_group=True)
    assert "**next**" in said_to_chair and "mention me" in said_to_chair
    said_to_soo = replies.unknown_command(commands_for(soo), in_group=False)
    assert "**next**" not in said_to_soo and "**cases**" in said_to_soo
    said_to_chair_alone = replies.unknown_command(commands_for(chair), in_group=False)
    assert "**next**" not in said_to_chair_alone and "**agenda**" in said_to_chair_alone


def test_each_role_is_told_only_what_it_can_do() -> None:
    from bot import replies
    from cli.demo_data import MEMBER, PARTNER
    from tests.conftest import actor

    partner = replies.welcome_for(actor(PARTNER))
    assert "say **agenda** to see a sitting's cases" not in partner  # a partner sees no agenda
    assert "only that one, and only while it is heard" in partner
    member = replies.welcome_for(actor(MEMBER))
    assert "**agenda**" in member and "**start**" not in member and "**defer**" not in member


def test_the_panels_view_tells_the_chair_alone_what_to_do_about_a_missing_soo() -> None:
    from datetime import UTC, date, datetime, time

    from bot.views import control_view
    from panel.agenda import Slot, SlotKind
    from panel.clock import london_to_utc
    from panel.sitting import Sitting

    day = date(2026, 12, 7)
    sitting = Sitting("s", day, time(10, 0), london_to_utc(day, time(10, 0)), 180, created_by="t")
    sitting.add_slot(Slot("a", "c1", "K7F-2QM", SlotKind.UPDATE, 10))
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    sitting.start(now)
    sitting.next_case(now)
    assert sitting.current is not None
    sitting.current.soo_was_waiting = False
    member = control_view(sitting, {"c1": None}, now)
    chair = control_view(sitting, {"c1": None}, now, runs_sitting=True)
    assert any("was not in the waiting room when called." in n for n in member.notices)
    assert not any("defer" in n for n in member.notices)
    assert any("say **defer** to hear it later" in n for n in chair.notices)
