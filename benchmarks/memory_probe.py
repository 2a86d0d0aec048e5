"""Peak resident memory of one fresh instance over the national SQLite file: it answers turns,
runs a reminder round and reads a 12-month report; prints megabytes (run by `make bench`)."""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path

from turns import MORNING, served

from app import DEPS, create_app
from bot.limits import EdgeLimits
from cli.demo_data import CHAIR
from panel.clock import FixedClock
from panel.report import last_twelve_months
from panel.roles import Actor
from panel.usecases import reminders, reporting
from settings import Settings
from tests.fake_teams import personal


async def probe(db: Path, key: bytes) -> None:
    """Serve, answer, remind and report, as one instance would in a day."""
    settings = Settings(sqlite_path=db, identity_hash_key=key)
    app = create_app(settings, clock=FixedClock(MORNING), background=False, limits=EdgeLimits.unlimited())
    async with served(app) as teams:
        for text in ("help", "agenda", "cases"):
            await teams.say(CHAIR, personal(CHAIR), text)
        deps = app[DEPS]
        await reminders.due_now(deps)
        await reporting.read_outputs(
            deps, Actor(CHAIR.aad_object_id, CHAIR.roles), last_twelve_months(deps.today())
        )


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
    asyncio.run(probe(Path(sys.argv[1]), bytes.fromhex(sys.argv[2])))
    print(peak_megabytes())
