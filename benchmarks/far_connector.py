"""The chair's `next` when Teams' Bot Connector is far away: the stub connector answers every call
after a delay (0, and 100 ms as from a UK South app to Teams), and each `next` is timed from the
chair's post to the chair's turn answering, and to the called SOO's card arriving at the connector.
Figures are given in connector round trips, so the delay itself is the unit."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.limits import EdgeLimits
from cli.demo import DEMO_WAITING_ROOM
from cli.demo_data import CHAIR, SOO_ONE, SOO_TWO
from tests.bot.world import running_world
from tests.fake_teams import CASE_ROOM, personal

DELAYS_S = (0.0, 0.1)
CALLS = 3  # `next` presses per delay (the demo's sitting has four cases)


@dataclass(frozen=True)
class NextTiming:
    """Medians over the presses of `next` at one connector delay."""

    delay_ms: float
    turn_ms: float
    soo_card_ms: float
    calls: float


async def time_next(delay_s: float) -> NextTiming:
    """Start the demo's sitting, then press `next` CALLS times with the connector `delay_s` away."""
    turn, card, calls = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        async with running_world(None, None, Path(tmp), limits=EdgeLimits.unlimited()) as world:
            connector = world.teams.connector
            for soo in (SOO_ONE, SOO_TWO):
                await world.teams.say(soo, personal(soo), "help")  # the app is installed for them
            connector.in_meeting[DEMO_WAITING_ROOM] = {SOO_ONE.aad_object_id, SOO_TWO.aad_object_id}
            await world.teams.say(CHAIR, CASE_ROOM, "start")
            connector.delay_s = delay_s
            soo_chats = {f"/v3/conversations/{personal(s)}/activities" for s in (SOO_ONE, SOO_TWO)}
            for _ in range(CALLS):
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


def measure() -> list[NextTiming]:
    """`next` at each connector delay."""
    return [asyncio.run(time_next(delay)) for delay in DELAYS_S]


if __name__ == "__main__":
    for timing in measure():
        print(timing)
