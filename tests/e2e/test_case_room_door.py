"""End to end: the case room's door. Teams' join and leave events for the case-room meeting are
sent into its chat as Teams sends them; the chair is told (without names, in the chat) when
someone who should not hear a case is in the room, and Next waits for the room to be right."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app import DEPS
from bot.meeting_events import PARTICIPANT_JOIN, PARTICIPANT_LEAVE
from cli.demo_data import CHAIR, SOO_ONE, SOO_TWO
from cli.playground import CASE_ROOM_CHAT, personal_chat
from panel.usecases.live import live_sitting
from tests.conftest import TEST_KEY
from tests.e2e.harness import CASE_ROOM_MEETING, Panel, card_text, panel_in_playgrounds, view_as

pytestmark = pytest.mark.e2e
STRANGER = SimpleNamespace(
    teams_id="29:someone-from-outside", aad_object_id="0f0f0f0f-0000-4000-8000-00000000dead"
)


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=(SOO_ONE, SOO_TWO)) as running:
        for soo in (SOO_ONE, SOO_TWO):
            await running.people[soo.key].say(personal_chat(soo), "help")
        yield running


async def in_the_room(panel: Panel, person: str) -> None:
    """Wait until the bot has taken in a join event that needs no message (Teams' events arrive
    on their own schedule; nothing in the chat says the bot has seen this one)."""
    for _ in range(100):
        sitting = await live_sitting(panel.app[DEPS])
        if sitting is not None and person in sitting.in_case_room:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the bot never saw them join the case room")


async def room(panel: Panel, event: str, *people: Any) -> dict[str, Any]:
    """Someone joins or leaves the case room; the bot's next message in the chat."""
    mark = len(panel.chair.posted)
    await panel.chair.meeting_event(event, list(people), CASE_ROOM_MEETING)
    return await panel.chair.wait_for(
        lambda m: m["chat"] == CASE_ROOM_CHAT and bool(m.get("text")), since=mark
    )


async def test_an_early_soo_a_stranger_and_a_lingering_soo_are_caught_before_the_next_case(
    panel: Panel,
) -> None:
    chair, soo1 = panel.chair, panel.people[SOO_ONE.key]
    refs = panel.seeded.references  # soo1: refs[0], refs[2]; soo2: refs[1], refs[3]
    control = await chair.say(CASE_ROOM_CHAT, "start", group=True)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)  # case 1, SOO_ONE's
    await panel.chair.meeting_event(PARTICIPANT_JOIN, [SOO_ONE], CASE_ROOM_MEETING)  # entitled: no alert
    await in_the_room(panel, SOO_ONE.aad_object_id)

    early = await room(panel, PARTICIPANT_JOIN, SOO_TWO)  # the SOO of a later case, through a saved link
    assert f"1 person in the case room is not entitled to case {refs[0]}" in early["text"]
    assert "Sam" not in early["text"] and "Ortega" not in early["text"]  # the chat never names anyone
    chairs_view = await view_as(chair, control, CHAIR)
    assert "Sam Ortega (the SOO of a later case, in early)" in card_text(
        {"attachments": [{"content": chairs_view.get("value")}]}
    )
    cleared = await room(panel, PARTICIPANT_LEAVE, SOO_TWO)
    assert "The case room is clear again." in cleared["text"]

    stranger = await room(panel, PARTICIPANT_JOIN, STRANGER)
    assert "not entitled" in stranger["text"]
    await room(panel, PARTICIPANT_LEAVE, STRANGER)

    # Next: the first case's SOO has not left. The next SOO is not called; the first is asked to go.
    mark = len(chair.posted)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    held = await chair.wait_for(lambda m: "not called yet" in (m.get("text") or ""), since=mark)
    assert "The previous case's SOO is still in the case room." in held["text"]
    assert f"Case {refs[1]} is not called yet" in held["text"]
    await soo1.wait_for(lambda m: f"The panel has finished with case {refs[0]}: please leave" in card_text(m))
    assert not any(
        f"The panel is ready for case {refs[1]}" in card_text(m) for m in panel.people[SOO_TWO.key].posted
    )

    clear = await room(panel, PARTICIPANT_LEAVE, SOO_ONE)
    assert "say **next** to call the next case" in clear["text"]
    case_two = await chair.say(CASE_ROOM_CHAT, "next", group=True)
    assert f"Case {refs[1]} · being heard" in card_text(case_two)
    await panel.people[SOO_TWO.key].wait_for(
        lambda m: f"The panel is ready for case {refs[1]}" in card_text(m)
    )


async def test_the_chair_may_call_anyway(panel: Panel) -> None:
    chair = panel.chair
    refs = panel.seeded.references
    await chair.say(CASE_ROOM_CHAT, "start", group=True)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    await panel.chair.meeting_event(PARTICIPANT_JOIN, [SOO_ONE], CASE_ROOM_MEETING)
    await in_the_room(panel, SOO_ONE.aad_object_id)
    mark = len(chair.posted)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    held = await chair.wait_for(lambda m: "not called yet" in (m.get("text") or ""), since=mark)
    assert "previous case's SOO" in held["text"]
    anyway = await chair.say(CASE_ROOM_CHAT, "next anyway", group=True)
    assert f"Case {refs[1]} · being heard" in card_text(anyway)
