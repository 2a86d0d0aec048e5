"""What the bot reads from Teams, proven against the shapes Teams documents (tests/teams_payloads),
never against a shape the bot's own code wrote. The first of these: the tenant of a meeting's chat,
which botbuilder 4.17's schema drops (it maps it to "tenantID"), and without which the bot could
not ask Teams' participant API who is in the waiting room before a call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli.demo import DEMO_WAITING_ROOM
from cli.demo_data import CHAIR, SOO_ONE
from cli.playground import TENANT_ID
from panel.agenda import CallStatus
from panel.usecases import live
from tests.bot.world import running_world
from tests.fake_teams import CASE_ROOM, personal

PAYLOADS = Path(__file__).resolve().parents[1] / "teams_payloads"


def payload(name: str, **values: str) -> dict[str, Any]:
    """A documented payload with its made-up values filled in."""
    text = (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(key, value)
    body: dict[str, Any] = json.loads(text)
    body.pop("_source", None)
    return body


async def test_the_waiting_room_is_asked_before_a_call_with_the_tenant_teams_sent(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(SOO_ONE, personal(SOO_ONE), "help")  # the app is installed for them
        # The SOO says something in the waiting-room meeting's chat, as Teams sends it; no join
        # event ever arrives (missed while the bot restarted, say).
        said = payload(
            "meeting_chat_message",
            SERVICE_URL=world.teams.service_url,
            AAD_OBJECT_ID=SOO_ONE.aad_object_id,
            TENANT_ID=TENANT_ID,
            MEETING_ID=DEMO_WAITING_ROOM,
        )
        status, _ = await world.teams.post(said)
        assert status in (200, 201)
        async with world.deps.uow() as uow:
            stored = await uow.addresses.get(f"meeting:{DEMO_WAITING_ROOM}")
        assert stored is not None and stored["conversation"]["tenantId"] == TENANT_ID
        world.teams.connector.in_meeting.add(SOO_ONE.aad_object_id)
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        asked = world.teams.connector.participant_calls
        assert {"meeting": DEMO_WAITING_ROOM, "aad": SOO_ONE.aad_object_id, "tenantId": TENANT_ID} in asked
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is not None
        # Teams said the SOO is in the waiting room, so the call counts them as waiting.
        assert sitting.current.soo_was_waiting is True and sitting.current.call is CallStatus.CALLED
