"""Teams redelivers an activity when the bot is slow to answer: every state-changing command and
button, redelivered one after another and at the same moment, acts once, on both stores; a
redelivered message is answered once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from app import create_app
from cli.demo import Seeded
from cli.demo_data import CHAIR
from cli.local_cosmos import LocalCosmos
from panel.errors import StorageUnavailable
from settings import Settings
from tests.bot.verb_table import MATRIX, PEOPLE
from tests.bot.world import World, running_world, seeded_template
from tests.conftest import TEST_KEY, fresh_database
from tests.fake_teams import CASE_ROOM, personal, text_of

STATE_CHANGING = [name for name, row in MATRIX.items() if row.changes_state]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


@pytest.fixture(params=["sqlite", pytest.param("cosmos", marks=pytest.mark.cosmos)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def world_for(
    backend: str, request: pytest.FixtureRequest, template: tuple[Path, Seeded], workdir: Path, name: str
) -> AsyncIterator[World]:
    row = MATRIX[name]
    if backend == "sqlite":
        context = running_world(*template, workdir, row.config)
    else:
        server: LocalCosmos = request.getfixturevalue("cosmos_server")
        context = running_world(None, None, workdir, row.config, server.config(fresh_database()))
    async with context as world:
        for step in row.setup:
            await step(world)
        yield world


@pytest.mark.parametrize("name", STATE_CHANGING)
async def test_a_redelivered_request_acts_once(
    name: str, backend: str, request: pytest.FixtureRequest, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    row = MATRIX[name]
    async for world in world_for(backend, request, template, tmp_path, name):
        await row.request(world, PEOPLE[sorted(row.allowed)[0]])
        after_first = await world.state()
        sent = len(world.teams.connector.sent)
        first = world.teams.last
        for _ in range(5):
            status, _ = await world.teams.post(first)
            assert status in (200, 201)
        results = await asyncio.gather(*(world.teams.post(first) for _ in range(3)))
        assert all(status in (200, 201) for status, _ in results)
        assert await world.state() == after_first, f"{name} acted again on a redelivery"
        assert world.teams.connector.sent[sent:] == [], f"{name} told someone again"


async def test_a_redelivered_message_is_answered_once(template: tuple[Path, Seeded], tmp_path: Path) -> None:
    async with running_world(*template, tmp_path) as world:
        replies = await world.teams.say(CHAIR, personal(CHAIR), "help")
        assert len(replies) == 1
        first = world.teams.last
        for _ in range(20):
            await world.teams.post(first)
        await asyncio.gather(*(world.teams.post(first) for _ in range(10)))
        assert len(world.teams.connector.sent) == 1


@pytest.mark.parametrize(
    ("chat", "text"),
    [
        (personal(CHAIR), "agenda"),  # shows the sitting: who saw it is recorded
        (personal(CHAIR), "cases"),
        (CASE_ROOM, "start"),  # changes the sitting
    ],
)
async def test_a_message_redelivered_to_another_instance_shows_and_changes_nothing(
    chat: str, text: str, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    async with running_world(*template, tmp_path) as world:
        replies = await world.teams.say(CHAIR, chat, text)
        assert replies, "the first delivery is answered"
        first, after_first = world.teams.last, world.snapshot()
        sent = len(world.teams.connector.sent)
        # A second instance over the same store (or this one after a restart) gets it again.
        other = create_app(
            Settings(sqlite_path=world.db, identity_hash_key=TEST_KEY), clock=world.clock, background=False
        )
        server = TestServer(other)
        await server.start_server()
        try:
            async with (
                ClientSession() as session,
                session.post(str(server.make_url("/api/messages")), json=first) as response,
            ):
                assert response.status in (200, 201)
        finally:
            await server.close()
        assert world.teams.connector.sent[sent:] == [], f"{text} was answered again"
        assert world.snapshot() == after_first, f"{text} was recorded or acted on again"


async def test_a_turn_that_failed_is_taken_up_when_teams_sends_it_again(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    async with running_world(*template, tmp_path) as world:
        aside = world.db.with_name("moved-away.db")
        world.db.rename(aside)  # the store is unreachable for this turn
        try:
            replies = await world.teams.say(CHAIR, personal(CHAIR), "agenda")
        finally:
            aside.rename(world.db)
        assert len(replies) == 1 and StorageUnavailable().message in text_of(replies[0])
        await world.teams.post(world.teams.last)  # Teams tries again once the store is back
        assert "Panel sitting" in text_of(world.teams.connector.sent[-1])
