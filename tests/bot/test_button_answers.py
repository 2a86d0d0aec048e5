"""What a person sees beside a button they pressed: Teams shows a message answer as plain text, so
it carries no markdown."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cards import verbs
from cli.demo import Seeded
from cli.demo_data import CHAIR
from tests.bot.world import running_world, seeded_template
from tests.fake_teams import CASE_ROOM


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


async def test_the_defer_button_answers_in_plain_words(template: tuple[Path, Seeded], tmp_path: Path) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        first = seeded.sitting.slots[0]
        answer = await world.teams.press(CHAIR, CASE_ROOM, verbs.DEFER, {"slot": first.slot_id})
        assert answer["type"] == "application/vnd.microsoft.activity.message"
        assert answer["value"] == (
            f"Case {first.case_reference} moved to the end of the agenda. Say next to call the next case."
        )


async def test_next_pressed_once_every_case_is_heard_says_so_without_backticks(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        for _ in range(len(seeded.sitting.slots) + 1):
            await world.teams.say(CHAIR, CASE_ROOM, "next anyway")
        answer = await world.teams.press(CHAIR, CASE_ROOM, verbs.NEXT, {})
        assert answer["type"] == "application/vnd.microsoft.activity.message"
        assert "end" in answer["value"] and "`" not in answer["value"] and "*" not in answer["value"]
