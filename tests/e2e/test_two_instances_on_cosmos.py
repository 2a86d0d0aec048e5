"""End to end on Cosmos DB: two app instances share one store behind the Agents Playground, and a
store that goes away is reported plainly to the people using the bot and to /healthz."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app import DEPS
from cli.demo_data import SOO_ONE
from cli.local_cosmos import LocalCosmos, local_cosmos
from cli.playground import CASE_ROOM_CHAT, personal_chat
from panel.agenda import SlotState
from panel.usecases.live import live_sitting
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, next_press, panel_in_playgrounds

pytestmark = [pytest.mark.e2e, pytest.mark.cosmos]
RACED = "Someone moved the sitting on at the same moment"
UNAVAILABLE = "I can't reach the panel's records just now. Please try again in a moment."


@pytest.fixture
async def panel(tmp_path: Path, cosmos_server: LocalCosmos) -> AsyncIterator[Panel]:
    config = cosmos_server.config(f"e2e-{uuid.uuid4().hex[:12]}")
    async with panel_in_playgrounds(
        tmp_path, TEST_KEY, extra=(SOO_ONE,), cosmos=config, instances=2
    ) as running:
        await running.people[SOO_ONE.key].say(personal_chat(SOO_ONE), "help")
        running.clock.advance(timedelta(minutes=3))  # let any claim made before the SOO's chat expire
        yield running


async def test_next_on_two_instances_at_once_advances_one_slot_and_a_reminder_goes_once(panel: Panel) -> None:
    chair = panel.chair
    control = await chair.say(CASE_ROOM_CHAT, "start", group=True)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    before = await live_sitting(panel.app[DEPS])
    assert before is not None and before.current is not None
    mark = len(chair.posted)

    # Two chairs press Next on the same card, and the load balancer sends one press to each
    # instance: however the two interleave, the sitting moves on once.
    urls = (panel.bot_url, panel.other_bot_urls[0])
    presses = [await next_press(panel, control["messageId"], before.current.slot_id) for _ in urls]
    answers = []
    for response in await asyncio.gather(
        *(chair.session.post(u, json=p) for u, p in zip(urls, presses, strict=True))
    ):
        assert response.status == 200
        answers.append(str(await response.json()))
    assert sum(RACED in answer for answer in answers) == 1, answers  # the other press was told

    sitting = await live_sitting(panel.other_apps[0][DEPS])
    assert sitting is not None
    # `next` called the first case in; of the two presses, exactly one moved on to the second.
    assert [s.state for s in sitting.slots][:3] == [SlotState.HEARD, SlotState.LIVE, SlotState.WAITING]
    await chair.wait_for(
        lambda m: m["action"] == "updateMessage" and m.get("messageId") == control["messageId"], mark
    )
    await asyncio.sleep(1)  # both instances' timers tick several times over
    updates = [m for m in chair.posted if m.get("messageId") == control["messageId"]]
    assert "Case 2 of 4 being heard" in card_text(updates[-1])  # where the sitting really is

    # Both instances run the reminder scheduler over the same store: the SOO is reminded once.
    soo = panel.people[SOO_ONE.key]
    reference = panel.seeded.references[0]

    def is_due_soon(m: dict[str, Any]) -> bool:
        return f"An action on case {reference} is due soon" in card_text(m)

    await soo.wait_for(is_due_soon)
    await asyncio.sleep(1.5)  # several more rounds on each instance
    assert sum(1 for m in soo.posted if is_due_soon(m)) == 1


async def test_a_store_that_goes_away_gets_a_plain_answer_and_health_says_down(tmp_path: Path) -> None:
    with ExitStack() as servers:
        server = servers.enter_context(local_cosmos())  # this test's own server, so it can stop it
        config = server.config("e2e-outage")
        async with panel_in_playgrounds(tmp_path, TEST_KEY, cosmos=config) as panel:
            chair = panel.chair
            control = await chair.say(CASE_ROOM_CHAT, "start", group=True)
            health = panel.bot_url.replace("/api/messages", "/healthz")
            async with aiohttp.ClientSession() as http, http.get(health) as up:
                assert up.status == 200

            servers.close()  # Cosmos DB goes away mid-sitting

            reply = await chair.say(CASE_ROOM_CHAT, "next", group=True)
            assert reply.get("text") == UNAVAILABLE
            pressed = await chair.press(
                CASE_ROOM_CHAT, control["messageId"], "sitting.next", {"sitting": "x"}
            )
            assert UNAVAILABLE in str(pressed)
            async with aiohttp.ClientSession() as http, http.get(health) as down:
                assert down.status == 503 and (await down.json())["storage"] == "down"
