"""The permission matrix, through the bot: every typed command and every card verb, tried by every
role and by a stranger, over HTTP as Teams sends them. Allowed requests do what they say; refused
ones get a clear answer and change nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from cards import verbs
from cli.demo import Seeded
from tests.bot.verb_table import MATRIX, PEOPLE, REFUSAL
from tests.bot.world import running_world, seeded_template


def test_the_matrix_covers_every_command_and_every_card_verb() -> None:
    from bot.commands import COMMANDS

    typed_names = {name.split()[0] for name in MATRIX if " " not in name or name.endswith(("REF", "5"))}
    assert {c.name for c in COMMANDS} <= typed_names | {"extend", "case", "conflict"}
    assert set(MATRIX) >= verbs.FORM_VERBS | verbs.LIVE_VERBS | verbs.VIEW_VERBS | verbs.AUDIT_VERBS
    assert set(MATRIX) >= verbs.ASSURANCE_VERBS | verbs.REPORT_VERBS | verbs.PROPOSAL_VERBS - {
        verbs.LEARNING_RECORD
    } | {verbs.LEARNING_RECORD}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


@pytest.mark.parametrize("name", list(MATRIX))
async def test_who_may_do_what(name: str, template: tuple[Path, Seeded], tmp_path: Path) -> None:
    row = MATRIX[name]
    directory, seeded = template
    refused_roles = [role for role in PEOPLE if role not in row.allowed]
    async with running_world(directory, seeded, tmp_path / "refused", row.config) as world:
        for step in row.setup:
            await step(world)
        for role in refused_roles:
            before = world.snapshot()
            answer = await row.request(world, PEOPLE[role])
            assert REFUSAL.search(answer), f"{name} as {role} was not refused"
            assert world.snapshot() == before, f"{name} as {role} changed something"
    for role in sorted(row.allowed):
        async with running_world(directory, seeded, tmp_path / role, row.config) as world:
            for step in row.setup:
                await step(world)
            world.clock.advance(timedelta(minutes=1))
            before = world.snapshot()
            answer = await row.request(world, PEOPLE[role])
            assert answer and not REFUSAL.search(answer), f"{name} as {role} was refused: {answer[:300]}"
            if row.changes_state:
                assert world.snapshot() != before, f"{name} as {role} changed nothing"
