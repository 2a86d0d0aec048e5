"""One fresh instance over the national data set, in its own process, as it would spend a day: it
answers turns (`cases` lists every open case), runs a reminder round after a roster change (every
open case looked at once) and reads a 12-month report. Prints, as JSON, its peak resident memory
and the longest the event loop was held during each (run by `make bench`, on SQLite or Cosmos DB).

    memory_probe.py <sqlite file> <key hex>
    memory_probe.py cosmos <key hex>     (COSMOS_ENDPOINT and COSMOS_DATABASE: the local server)"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import resource
import sys
from pathlib import Path

from loop_stall import LoopWatch
from turns import MORNING, served

from app import DEPS, create_app, settle_heap
from bot.limits import EdgeLimits
from cli.demo_data import CHAIR
from cli.local_cosmos import LocalCosmos
from panel.clock import FixedClock
from panel.report import last_twelve_months
from panel.roles import Actor
from panel.usecases import reminders, reporting
from settings import Settings
from tests.fake_teams import personal


async def probe(where: str, key: bytes) -> dict[str, float]:
    """Serve, answer, remind and report, as one instance would in a day; the longest stall of each."""
    cosmos = None
    if where == "cosmos":  # the local server and database the benchmark built its history in
        cosmos = LocalCosmos(os.environ["COSMOS_ENDPOINT"]).config(os.environ["COSMOS_DATABASE"])
    settings = Settings(sqlite_path=Path(where), cosmos=cosmos, identity_hash_key=key)
    app = create_app(settings, clock=FixedClock(MORNING), background=False, limits=EdgeLimits.unlimited())
    stalls: dict[str, float] = {}
    async with served(app) as teams:
        # The store already holds the benchmark's own turns: ids of its own, or these would be
        # taken for Teams delivering those again, and dropped unanswered.
        teams._ids = itertools.count(1_000_000)
        await settle_heap()  # as `serve` does once started
        for text in ("help", "agenda", "cases"):
            async with LoopWatch() as watch:
                answered = await teams.say(CHAIR, personal(CHAIR), text)
            if not answered:
                raise SystemExit(f"`{text}` was not answered: the figure would measure nothing")
            stalls[f"`{text}`"] = watch.longest_ms
        deps = app[DEPS]
        async with deps.uow() as uow:  # as after a roster change: every open case is looked at
            uow.addresses.put(reminders.SWEPT_UNDER, {"key": "an earlier roster"})
            await uow.commit()
        async with LoopWatch() as watch:
            await reminders.due_now(deps)
        stalls["first reminder round after a roster change"] = watch.longest_ms
        async with LoopWatch() as watch:
            await reporting.read_outputs(
                deps, Actor(CHAIR.aad_object_id, CHAIR.roles), last_twelve_months(deps.today())
            )
        stalls["12-month report"] = watch.longest_ms
    return stalls


def peak_megabytes() -> float:
    """This process's peak resident memory since it started its program.

    Not getrusage's ru_maxrss: on Linux that keeps the high-water mark of the process it was forked
    from, so a probe started by the benchmark (which holds the whole data set it built) reported
    the benchmark's own size. VmHWM belongs to this program's memory alone."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    found = asyncio.run(probe(sys.argv[1], bytes.fromhex(sys.argv[2])))
    print(json.dumps({"peak_mb": peak_megabytes(), "stalls_ms": found}))
