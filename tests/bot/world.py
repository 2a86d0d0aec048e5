"""A running app with the demo's made-up world in it, driven over HTTP through a stand-in Teams.

The seeded database is built once per test session and copied for each world, so a test that needs
a fresh store (because an allowed request changes it) costs a file copy, not a re-seed."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestServer

from app import DEPS, STORE, create_app
from bot.limits import EdgeLimits
from cli.demo import Seeded, seed_demo
from panel.clock import FixedClock
from panel.usecases.deps import Deps, PanelConfig
from settings import Settings
from storage.cosmos import CosmosStore
from storage.cosmos_config import CosmosConfig
from storage.store import Store
from tests.conftest import TEST_KEY
from tests.fake_teams import FakeTeams, fake_teams

# Monday 7 December 2026, 09:58 London: the demo books its sitting for 10:00 today.
MORNING = datetime(2026, 12, 7, 9, 58, tzinfo=UTC)


# Every record a request could change: not the audit trail, addresses or processed keys, which
# record that a request happened rather than what it did.
SQLITE_TABLES = ("cases", "sittings", "roster", "party_name_hashes", "reminders", "learning")
COSMOS_KINDS = ("case", "sitting", "roster", "names", "reminder", "reference", "learning")


@dataclass
class World:
    """The app, its dependencies, what the demo seeded, and Teams to talk to it through."""

    deps: Deps
    seeded: Seeded
    teams: FakeTeams
    clock: FixedClock
    db: Path
    store: Store

    async def state(self) -> dict[str, list[Any]]:
        """The records, as they stand, on either store."""
        if isinstance(self.store, CosmosStore):
            docs = await self.store.query("ARRAY_CONTAINS(@kinds, c.kind)", {"@kinds": list(COSMOS_KINDS)})
            return {
                "docs": sorted(
                    json.dumps({k: v for k, v in d.items() if k != "_ts"}, sort_keys=True) for d in docs
                )
            }
        return self.snapshot()

    def snapshot(self) -> dict[str, list[Any]]:
        """The records of the SQLite store, read straight from its file."""
        with sqlite3.connect(self.db) as conn:
            return {
                table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall()) for table in SQLITE_TABLES
            }


def _copy(template: Path, workdir: Path) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("panel.db", "panel.db.identity-key"):
        if (template / name).exists():
            shutil.copy(template / name, workdir / name)


async def seeded_template(directory: Path) -> Seeded:
    """Seed the demo into `directory/panel.db` once, and close it so the file can be copied."""
    settings = Settings(sqlite_path=directory / "panel.db", identity_hash_key=TEST_KEY, create_store=True)
    app = create_app(settings, clock=FixedClock(MORNING), background=False)
    await app[STORE].open()
    try:
        return await seed_demo(app[DEPS])
    finally:
        await app[STORE].close()


@asynccontextmanager
async def running_world(
    template: Path | None,
    seeded: Seeded | None,
    workdir: Path,
    config: PanelConfig | None = None,
    cosmos: CosmosConfig | None = None,
    limits: EdgeLimits | None = None,
) -> AsyncIterator[World]:
    """A fresh copy of the seeded store behind the real app, reached through a stand-in Teams. On
    Cosmos DB (a fresh database on the local server) the demo is seeded afresh instead."""
    if template is not None:
        await asyncio.to_thread(_copy, template, workdir)
    db = workdir / "panel.db"
    clock = FixedClock(MORNING)
    settings = Settings(
        sqlite_path=db,
        identity_hash_key=TEST_KEY,
        panel=config or PanelConfig(),
        cosmos=cosmos,
        create_store=template is None,
    )
    # No timer or scheduler running: each request is judged on its own.
    app = create_app(settings, clock=clock, background=False, limits=limits)
    server = TestServer(app)
    await server.start_server()
    try:
        if seeded is None:
            seeded = await seed_demo(app[DEPS])
        async with fake_teams(str(server.make_url("/api/messages"))) as teams:
            yield World(app[DEPS], seeded, teams, clock, db, app[STORE])
    finally:
        await server.close()
