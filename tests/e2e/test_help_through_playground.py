"""End to end: the bot as Teams users meet it, through the Microsoft 365 Agents Playground."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cli.demo_data import ALL_PARTY_NAMES, CHAIR, SOO_ONE
from cli.playground import CASE_ROOM_CHAT, personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, TeamsClient, card_text, panel_in_playgrounds

PERSONAL_CHAT = personal_chat(CHAIR)

pytestmark = pytest.mark.e2e
IDENTIFYING = "Casey Marlowe rang from 07700 900123"


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(tmp_path, TEST_KEY) as running:
        yield running


@pytest.fixture
def teams(panel: Panel) -> TeamsClient:
    return panel.chair


async def test_help_in_the_personal_chat_knows_the_chair(teams: TeamsClient) -> None:
    reply = await teams.say(PERSONAL_CHAT, "help")
    shown = card_text(reply)
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert "on the panel's roster as: chair" in shown
    assert "Never type names" in shown


async def test_help_in_the_group_chat_answers_the_soo_who_mentioned_the_bot(teams: TeamsClient) -> None:
    reply = await teams.say_as(SOO_ONE, CASE_ROOM_CHAT, "help", group=True)
    shown = card_text(reply)
    assert "on the panel's roster as: soo" in shown
    assert "@mention me first" in shown
    chair_reply = await teams.say(CASE_ROOM_CHAT, "HELP", group=True)
    assert "as: chair" in card_text(chair_reply)


async def test_someone_not_on_the_roster_gets_one_short_answer_and_nothing_else(teams: TeamsClient) -> None:
    stranger = {
        "id": "29:not-on-roster",
        "name": "Visitor",
        "aadObjectId": "00000000-0000-4000-8000-000000000099",
    }
    reply = await teams.say_as(stranger, CASE_ROOM_CHAT, "help", group=True)
    assert reply["text"] == "This app is for the scrutiny panel; ask the case coordinator."
    assert not reply.get("attachments")  # no help card, no command list
    # Not even the identity guard's verdict: what a stranger typed is neither read nor judged.
    named = await teams.say_as(stranger, CASE_ROOM_CHAT, "Casey Marlowe rang", group=True)
    assert named["text"] == reply["text"]


async def test_unknown_text_gets_a_pointer_to_help(teams: TeamsClient) -> None:
    reply = await teams.say(PERSONAL_CHAT, "shall we begin with the first case today")
    # In the chair's own chat: what works there, not the case-room verbs.
    assert reply["text"].startswith("I didn't recognise that. You can say **agenda**")
    assert "**next**" not in reply["text"] and reply["text"].endswith("or **help** for everything.")


async def test_identifying_text_is_warned_about_never_echoed_never_logged(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reply = await teams.say(PERSONAL_CHAT, IDENTIFYING)
    assert "a person's name and a phone number" in reply["text"]
    assert "Casey" not in reply["text"] and "07700" not in reply["text"]
    group_reply = await teams.say_as(SOO_ONE, CASE_ROOM_CHAT, "Emery Gallowglass is off sick", group=True)
    assert "a person's name" in group_reply["text"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "07700" not in logged and "off sick" not in logged
    for name in ALL_PARTY_NAMES:
        for part in name.split():
            assert part not in logged
            assert all(part not in card_text(m) for m in teams.posted), f"a party name reached chat: {part}"


async def test_a_name_nobody_registered_and_a_street_address_are_refused_in_any_chat(
    teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    named = await teams.say(PERSONAL_CHAT, "spoke to her sister Kerry Hodgson yesterday")
    assert "a person's name" in named["text"] and "Kerry" not in named["text"]
    addressed = await teams.say_as(SOO_ONE, CASE_ROOM_CHAT, "she lives at 7 Orchard Close now", group=True)
    assert "a street address" in addressed["text"] and "Orchard" not in addressed["text"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Hodgson" not in logged and "Orchard" not in logged


async def test_a_failure_inside_a_turn_gets_an_apology_and_a_safe_log_line(
    panel: Panel, teams: TeamsClient, caplog: pytest.LogCaptureFixture
) -> None:
    from app import STORE

    await panel.app[STORE].close()  # the store goes away mid-sitting
    reply = await teams.say(PERSONAL_CHAT, "help")
    assert reply["text"].startswith("Sorry, something went wrong on my side.")
    failures = [r.getMessage() for r in caplog.records if "turn.failed" in r.getMessage()]
    assert failures and "error=RuntimeError" in failures[0]
    assert "Traceback" not in "\n".join(failures)
    await panel.app[STORE].open()
    assert "as: chair" in card_text(await teams.say(PERSONAL_CHAT, "help"))
