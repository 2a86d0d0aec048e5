"""The chair's `next` when Teams' Bot Connector is far away: the stub connector answers every call
after a delay (0, and 100 ms as from a UK South app to Teams), and each `next` is timed from the
chair's post to the chair's turn answering, and to the called SOO's card arriving at the connector.
Figures are given in connector round trips, so the delay itself is the unit."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.limits import EdgeLimits
from cli.demo import DEMO_WAITING_ROOM
from cli.demo_data import CHAIR, SOO_ONE, SOO_TWO
from cli.local_cosmos import LocalCosmos
from tests.bot.world import World, running_world
from tests.fake_teams import CASE_ROOM, personal

DELAYS_S = (0.0, 0.1)
CALLS = 3  # `next` presses per delay (the demo's sitting has four cases)
# The app keeps Teams' per-chat limits here, as it does in a force. A chair takes minutes over a
# case; pressed back to back, the limit of eight messages in two seconds to one chat would hold the
# case-room chat's third `next` (as Teams would, with a 429).
BETWEEN_PRESSES_S = 2.0


@dataclass(frozen=True)
class NextTiming:
    """Medians over the presses of `next` at one connector delay."""

    delay_ms: float
    turn_ms: float
    soo_card_ms: float
    calls: float


async def ready(world: World) -> None:
    """The SOOs have the app, are in the waiting room, and the chair has started the sitting."""
    for soo in (SOO_ONE, SOO_TWO):
        await world.teams.say(soo, personal(soo), "help")  # the app is installed for them
    world.teams.connector.in_meeting[DEMO_WAITING_ROOM] = {SOO_ONE.aad_object_id, SOO_TWO.aad_object_id}
    await world.teams.say(CHAIR, CASE_ROOM, "start")


async def time_next(delay_s: float, cosmos: LocalCosmos | None = None) -> NextTiming:
    """Start the demo's sitting, then press `next` CALLS times with the connector `delay_s` away."""
    turn, card, calls = [], [], []
    config = cosmos.config(f"far-{int(delay_s * 1000)}-{time.time_ns()}") if cosmos else None
    with tempfile.TemporaryDirectory() as tmp:
        async with running_world(None, None, Path(tmp), cosmos=config, limits=EdgeLimits.default()) as world:
            connector = world.teams.connector
            await ready(world)
            connector.delay_s = delay_s
            soo_chats = {f"/v3/conversations/{personal(s)}/activities" for s in (SOO_ONE, SOO_TWO)}
            for _ in range(CALLS):
                await asyncio.sleep(BETWEEN_PRESSES_S)
                before = len(connector.arrivals)
                began = time.monotonic()
                await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
                turn.append((time.monotonic() - began) * 1000)
                arrived = connector.arrivals[before:]
                calls.append(len(arrived))
                to_soo = [at for at, method, path in arrived if method == "POST" and path in soo_chats]
                card.append(((to_soo[0] - began) * 1000) if to_soo else float("nan"))
    return NextTiming(
        delay_s * 1000, statistics.median(turn), statistics.median(card), statistics.median(calls)
    )


def measure(cosmos: LocalCosmos | None = None) -> list[NextTiming]:
    """`next` at each connector delay (on SQLite, or on the local Cosmos DB server)."""
    return [asyncio.run(time_next(delay, cosmos)) for delay in DELAYS_S]


async def whole_sitting(delay_s: float) -> list[str]:
    """A whole sitting of the demo's four cases with the connector `delay_s` away: when each call
    reached the connector and when each of the chair's turns answered, from the chair's post."""
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with running_world(None, None, Path(tmp), limits=EdgeLimits.default()) as world:
            connector = world.teams.connector
            connector.delay_s = delay_s
            for soo in (SOO_ONE, SOO_TWO):
                await world.teams.say(soo, personal(soo), "help")
            connector.in_meeting[DEMO_WAITING_ROOM] = {SOO_ONE.aad_object_id, SOO_TWO.aad_object_id}
            for said in ("start", "next", "next anyway", "next anyway", "next anyway", "next", "end"):
                await asyncio.sleep(BETWEEN_PRESSES_S)
                before, began = len(connector.arrivals), time.monotonic()
                await world.teams.say(CHAIR, CASE_ROOM, said)
                answered = (time.monotonic() - began) * 1000
                lines.append(f"chair says `{said}`: the turn answered after {answered:.0f} ms")
                for at, method, path in connector.arrivals[before:]:
                    chat = path.split("/")[3] if path.startswith("/v3/conversations/") else path
                    what = {"POST": "new message", "PUT": "edit"}.get(method, method)
                    lines.append(f"  {(at - began) * 1000:6.0f} ms  {what:11} {chat}")
    return lines


if __name__ == "__main__":
    if "--sitting" in sys.argv:
        for line in asyncio.run(whole_sitting(0.1)):
            print(line)
    else:
        for timing in measure():
            print(timing)
