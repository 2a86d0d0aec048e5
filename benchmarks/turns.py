"""Turns as Teams sends them: the panel app and a bare botbuilder echo bot, each behind the same
aiohttp set-up and the same stub Bot Connector, driven in the same run and interleaved turn by
turn, so every figure can be given as a ratio to the echo bot's median turn (the machines are
shared and noisy: absolute times drift, ratios hold).

Three bots run side by side: the echo bot, the panel with only the demo's sitting (16 cases), and
the panel with the same sitting on top of the national data set (10,000 cases, 40,000 past slots).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestServer

from app import DEPS, create_app, create_echo_app
from bot.limits import EdgeLimits
from cli.demo import seed_demo
from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE, SOO_TWO
from panel.agenda import SlotKind
from panel.case import Category, ReferralRoute, RiskLevel
from panel.clock import FixedClock
from panel.roles import Actor
from panel.usecases import agenda
from panel.usecases.cases import CaseRegistration, register_cases
from panel.usecases.deps import Deps
from settings import Settings
from storage.cosmos_config import CosmosConfig
from storage.store import Store
from tests.fake_teams import CASE_ROOM, FakeTeams, fake_teams, personal

# Monday 7 December 2026, 09:58 London: the demo books its sitting for 10:00.
MORNING = datetime(2026, 12, 7, 9, 58, tzinfo=UTC)
SITTING_CASES = 16
SOOS = (SOO_ONE, SOO_TWO)


@dataclass
class Running:
    """One bot behind its own server, and Teams to talk to it through."""

    teams: FakeTeams
    deps: Deps | None = None
    store: Store | None = None
    references: tuple[str, ...] = ()
    timings: dict[str, list[float]] = field(default_factory=dict)

    async def turn(self, name: str, person: Any, chat: str, text: str) -> list[dict[str, Any]]:
        """One message, timed from the request to the bot's answer (replies it sends included)."""
        began = time.perf_counter()
        sent = await self.teams.say(person, chat, text)
        self.timings.setdefault(name, []).append((time.perf_counter() - began) * 1000)
        return sent

    def median(self, name: str) -> float:
        """The median of one kind of turn, in milliseconds."""
        return statistics.median(self.timings[name])


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[FakeTeams]:
    """The app on a local port, with a stub connector on another."""
    server = TestServer(app)
    await server.start_server()
    try:
        async with fake_teams(str(server.make_url("/api/messages"))) as teams:
            yield teams
    finally:
        await server.close()


def settings_for(sqlite: Path | None, cosmos: CosmosConfig | None, key: bytes) -> Settings:
    """A panel on a new store, as `panelbot serve` would run it, with no background jobs."""
    return Settings(
        sqlite_path=sqlite or Path("unused.db"), cosmos=cosmos, identity_hash_key=key, create_store=True
    )


@asynccontextmanager
async def echo_bot(key: bytes, *, reuse_clients: bool = False) -> AsyncIterator[Running]:
    """The baseline: a bare botbuilder echo bot (with `reuse_clients`, one that keeps its connector
    clients as the panel does)."""
    app = create_echo_app(settings_for(None, None, key), EdgeLimits.unlimited(), reuse_clients=reuse_clients)
    async with served(app) as teams:
        yield Running(teams)


@asynccontextmanager
async def panel_bot(
    settings: Settings, store: Store | None, history: Callable[[Deps], Awaitable[object]] | None
) -> AsyncIterator[Running]:
    """The panel with the demo's roster and a sitting of 16 cases about to start (and, with
    `history`, the national data set beneath it); every SOO and the chair have the app installed."""
    app = create_app(
        settings, store=store, clock=FixedClock(MORNING), background=False, limits=EdgeLimits.unlimited()
    )
    async with served(app) as teams:
        deps: Deps = app[DEPS]
        seeded = await seed_demo(deps)
        operator = Actor.operator("bench")
        more = [
            CaseRegistration(
                Category.POLICE_VICTIM, ReferralRoute.MASH, MORNING.date(), RiskLevel.HIGH,
                soo_id=SOOS[n % 2].aad_object_id,
            )
            for n in range(SITTING_CASES - len(seeded.references))
        ]  # fmt: skip
        references = list(seeded.references)
        for registered in await register_cases(deps, operator, more):
            await agenda.list_case(
                deps, operator, seeded.sitting.sitting_id, registered.case.reference, SlotKind.UPDATE
            )
            references.append(registered.case.reference)
        if history is not None:
            await history(deps)
        for person in (CHAIR, COORDINATOR, *SOOS):
            await teams.say(person, personal(person), "help")
        await teams.say(CHAIR, CASE_ROOM, "start")
        yield Running(teams, deps, store, tuple(references))


async def interleaved(rounds: int, turns: list[tuple[Running, str, Any, str, str]]) -> None:
    """Each round takes one turn of every kind, in order, so a noisy moment touches all alike."""
    for _ in range(rounds):
        for bot, name, person, chat, text in turns:
            await bot.turn(name, person, chat, text)


def reached_a_soo(sent: list[dict[str, Any]]) -> bool:
    """Whether a SOO's own chat got a card during the turn (their call into the case room)."""
    return any(item["chat"] in {personal(s) for s in SOOS} for item in sent)


async def nexts(
    bots: list[Running], echo: Running, count: int, counters: list[Callable[[], int] | None]
) -> dict[str, Any]:
    """The chair presses next `count` times on each panel, interleaved with echo turns: how many
    presses' SOO card did not leave inside the chair's turn, and (on a counting store) the
    requests each press made."""
    requests: dict[int, list[int]] = {i: [] for i in range(len(bots))}
    late = 0
    for _ in range(count):
        await echo.turn("echo", CHAIR, personal(CHAIR), "hello")
        for i, (bot, counter) in enumerate(zip(bots, counters, strict=True)):
            before = counter() if counter else 0
            sent = await bot.turn("next", CHAIR, CASE_ROOM, "next")
            requests[i].append((counter() if counter else 0) - before)
            late += 0 if reached_a_soo(sent) else 1
    return {"late_calls": late, "requests": requests}


async def reminder_round_cpu(deps: Deps) -> tuple[float, float]:
    """CPU milliseconds of the reminder round: the first (every case marked) and a steady one."""
    from panel.usecases import reminders

    def cpu() -> float:
        return time.process_time() * 1000

    began = cpu()
    await reminders.due_now(deps)
    first = cpu() - began
    samples = []
    for _ in range(5):
        began = cpu()
        await reminders.due_now(deps)
        samples.append(cpu() - began)
    return first, statistics.median(samples)
