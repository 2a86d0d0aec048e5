"""Writes the stores a release leaves behind, for tests/storage/test_upgrades.py to open with every
later version: `python -m tests.upgrades.make_store VERSION` at each release, and commit what it
writes under tests/upgrades/VERSION/ (made-up data only: the demo's people and cases).

What is in them: the demo's roster, cases (with actions, facts and links) and party-name hashes; a
sitting started, heard, extended and ended; reminders claimed and sent; a one-time export; more
than a thousand audit entries, so the trail has a sealed checkpoint."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from cards import verbs
from cli.demo_data import CHAIR, COORDINATOR, INFOSEC, SOO_ONE, SOO_TWO
from cli.local_cosmos import local_cosmos
from panel.audit import AuditCategory
from panel.ports import AuditEvent
from panel.reminders import Reminder
from panel.usecases import reminders
from storage.cosmos import CosmosStore
from tests.bot.world import World, running_world
from tests.fake_teams import CASE_ROOM, personal

HERE = Path(__file__).resolve().parent
ENTRIES = 1100  # past CHECKPOINT_EVERY, so a checkpoint anchor is sealed
SYSTEM_FIELDS = ("_rid", "_self", "_etag", "_attachments", "_ts")


async def a_release_worth_of_records(world: World) -> None:
    """Everything a force's store holds after some use, written through the real app."""
    for person in (SOO_ONE, SOO_TWO, COORDINATOR, INFOSEC, CHAIR):
        await world.teams.say(person, personal(person), "help")
    await world.teams.say(CHAIR, CASE_ROOM, "start")
    await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
    await world.teams.say(CHAIR, CASE_ROOM, "extend 5 minutes")
    await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
    await world.teams.say(CHAIR, CASE_ROOM, "end")
    reference = world.seeded.references[0]
    await world.teams.press(INFOSEC, personal(INFOSEC), verbs.AUDIT_EXPORT, {"case": reference})
    # Reminder rounds over the following weeks until one has work: claims and deliveries recorded.
    due: list[Reminder] = []
    for _ in range(40):
        world.clock.advance(timedelta(days=1))
        if due := await reminders.due_now(world.deps):
            break
    for n, reminder in enumerate(due):
        if await reminders.claim(world.deps, reminder, "fixture", timedelta(minutes=5)) and n % 2 == 0:
            await reminders.mark_sent(world.deps, reminder, "fixture")
    async with world.deps.uow() as uow:
        for n in range(ENTRIES):
            uow.audit.record(
                AuditEvent(
                    world.clock.now(),
                    CHAIR.aad_object_id,
                    "case.viewed",
                    "case",
                    f"n={n}",
                    AuditCategory.CONSULTATION,
                    "chair",
                    "panel oversight",
                    reference,
                )
            )
        await uow.commit()


async def write_sqlite(version_dir: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_world(None, None, Path(tmp)) as world:
            await a_release_worth_of_records(world)
        for name in ("panel.db", "panel.db-wal"):
            if (Path(tmp) / name).exists():
                shutil.copy(Path(tmp) / name, version_dir / name)


async def write_cosmos(version_dir: Path) -> None:
    with local_cosmos() as server, tempfile.TemporaryDirectory() as tmp:
        config = server.config("upgrade-fixture")
        async with running_world(None, None, Path(tmp), cosmos=config) as world:
            await a_release_worth_of_records(world)
            assert isinstance(world.store, CosmosStore)
            docs: list[dict[str, Any]] = await world.store.query("true", {})
        kept = [{k: v for k, v in d.items() if k not in SYSTEM_FIELDS} for d in docs]
        kept.sort(key=lambda d: str(d["id"]))
        (version_dir / "cosmos.json").write_text(json.dumps(kept, indent=1, sort_keys=True) + "\n")


def main(version: str) -> None:
    """Write tests/upgrades/VERSION/."""
    version_dir = HERE / version
    version_dir.mkdir(exist_ok=True)
    asyncio.run(write_sqlite(version_dir))
    asyncio.run(write_cosmos(version_dir))
    print(f"wrote {version_dir.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main(sys.argv[1])
