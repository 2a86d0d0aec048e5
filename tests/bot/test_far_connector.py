"""Where Teams' Bot Connector is far away, the chair's `next` must not wait for each send in turn:
the called SOO's card goes first, the other sends go beside it, and a chat still sees its new
messages in the order the bot meant (`tests/bot/test_send_pace.py`). Through the real app and the
stub connector."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.case_call import leaving_soo
from bot.limits import EdgeLimits
from cli.demo import DEMO_WAITING_ROOM
from cli.demo_data import CHAIR, SOO_ONE, SOO_TWO
from panel.errors import StorageUnavailable
from panel.usecases.deps import Deps
from tests.bot.world import World, running_world
from tests.fake_teams import CASE_ROOM, personal

DELAY_S = 0.3  # far longer than the bot's own work between sends, so what overlaps is plain


async def sitting_started(world: World) -> None:
    for soo in (SOO_ONE, SOO_TWO):
        await world.teams.say(soo, personal(soo), "help")  # the app is installed for them
    world.teams.connector.in_meeting[DEMO_WAITING_ROOM] = {SOO_ONE.aad_object_id, SOO_TWO.aad_object_id}
    await world.teams.say(CHAIR, CASE_ROOM, "start")


def called_chat(world: World, before: int) -> str:
    """The personal chat whose new card in this turn says the panel is ready for them."""
    for sent in world.teams.connector.sent[before:]:
        if sent["action"] == "create" and "The panel is ready for case" in json.dumps(sent):
            return str(sent["chat"])
    raise AssertionError("no SOO was called")


@pytest.mark.asyncio
async def test_the_called_soos_card_goes_at_once_not_after_other_sends_are_answered(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path, limits=EdgeLimits.unlimited()) as world:
        await sitting_started(world)
        connector = world.teams.connector
        connector.delay_s = DELAY_S
        for _ in range(2):
            arrived, sent = len(connector.arrivals), len(connector.sent)
            await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
            calls = connector.arrivals[arrived:]
            call = ("POST", f"/v3/conversations/{called_chat(world, sent)}/activities")
            left = next(at for at, method, path in calls if (method, path) == call)
            assert left < calls[0][0] + DELAY_S / 2  # in the first wave: nothing answered before it
            # The chair's own card is refreshed once the call has gone, never before it.
            chair_card = [at for at, method, path in calls if method == "PUT" and "/case-room-chat/" in path]
            assert max(chair_card) > left


@pytest.mark.asyncio
async def test_the_sends_of_one_next_go_beside_each_other_not_one_after_another(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path, limits=EdgeLimits.unlimited()) as world:
        await sitting_started(world)
        connector = world.teams.connector
        await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
        connector.delay_s = DELAY_S
        arrived = len(connector.arrivals)
        await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
        times = [at for at, _, _ in connector.arrivals[arrived:]]
        # Sends that left before the first one was answered went at once with it.
        together = [at for at in times if at < times[0] + DELAY_S]
        assert len(times) >= 6
        assert len(together) >= 3  # the call, the case card, the collapsed card, the other SOO
        # Nothing waits for more than the one send it depends on: two waves, not seven.
        assert all(at < times[0] + 2 * DELAY_S for at in times)


@pytest.mark.asyncio
async def test_a_turn_that_fails_after_its_sends_still_keeps_each_soos_card_and_greys_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cards have gone: what each SOO now has is remembered, so the next sync neither notifies
    them again nor leaves a "join now" button live on a card the new one replaced."""
    async with running_world(None, None, tmp_path, limits=EdgeLimits.unlimited()) as world:
        await sitting_started(world)
        sent = len(world.teams.connector.sent)

        async def store_gone(*_: object, **__: object) -> None:
            raise StorageUnavailable()

        monkeypatch.setattr(Deps, "note_on_sitting", store_gone)
        await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
        monkeypatch.undo()
        after = world.teams.connector.sent[sent:]
        called = called_chat(world, sent)
        new = next(s for s in after if s["chat"] == called and s["action"] == "create")
        greyed = [s for s in after if s["chat"] == called and s["action"] == "update"]
        assert greyed and "earlier update: see the latest below" in json.dumps(greyed[-1])
        sitting = world.seeded.sitting.sitting_id
        soo = SOO_ONE if called == personal(SOO_ONE) else SOO_TWO
        async with world.deps.uow() as uow:
            kept = await uow.addresses.get(f"soo-card:{sitting}:{soo.aad_object_id}")
        assert kept is not None and kept["id"] == new["id"]


def test_a_soo_called_for_their_next_case_is_not_asked_to_leave() -> None:
    sitting = SimpleNamespace(in_case_room=["soo-1"])
    closed = SimpleNamespace(case_id="c1")
    cases = {"c1": SimpleNamespace(soo_id="soo-1")}
    assert leaving_soo(sitting, closed, cases, staying="soo-1") is None  # type: ignore[arg-type]
    assert leaving_soo(sitting, closed, cases, staying="soo-2") == "soo-1"  # type: ignore[arg-type]
    assert leaving_soo(SimpleNamespace(in_case_room=[]), closed, cases, staying=None) is None  # type: ignore[arg-type]
