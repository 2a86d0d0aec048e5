"""The bot keeps one connector client per service address: its connections to the Bot Connector
are reused from turn to turn, and turns at once still each get their own answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cli.demo import Seeded
from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
from tests.bot.world import running_world, seeded_template
from tests.fake_teams import personal


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


async def test_turns_one_after_another_reuse_the_connection(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        for _ in range(6):
            replies = await world.teams.say(CHAIR, personal(CHAIR), "help")
            assert replies and replies[-1]["chat"] == personal(CHAIR)
        # botbuilder alone built a new client, with a new HTTP session, for every turn: six links.
        assert len(world.teams.connector.connections) == 1


async def test_turns_at_once_each_get_their_own_answer(template: tuple[Path, Seeded], tmp_path: Path) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        people = (CHAIR, COORDINATOR, SOO_ONE) * 4
        await asyncio.gather(*(world.teams.say(p, personal(p), "help") for p in people))
        answered = [m["chat"] for m in world.teams.connector.sent]
        assert sorted(answered) == sorted(personal(p) for p in people)
