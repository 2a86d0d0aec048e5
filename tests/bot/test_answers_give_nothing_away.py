"""An answer must not depend on what the person may not know: whether a reference is a case, what
a typed name would be as a reference. Through the real app, as each role would ask."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cards import verbs
from cli.demo import Seeded
from cli.demo_data import ANALYST, CHAIR, COORDINATOR, INFOSEC, PARTNER, SOO_TWO
from tests.bot.world import running_world, seeded_template
from tests.fake_teams import personal, text_of


def words(sent: list[dict[str, object]]) -> str:
    """What the bot said, in words (not the message ids)."""
    return " ".join(str(m.get("text") or "") for m in sent)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


@pytest.mark.parametrize("person", [SOO_TWO, PARTNER])
async def test_declaring_a_conflict_says_the_same_whether_or_not_the_case_exists(
    person: object, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        someone_elses = seeded.references[0]  # SOO_ONE's case: neither may see it
        said_real = words(await world.teams.say(person, personal(person), f"conflict {someone_elses}"))  # type: ignore[arg-type]
        said_none = words(await world.teams.say(person, personal(person), "conflict ZZZ-ZZZ"))  # type: ignore[arg-type]
        assert said_real.replace(someone_elses, "REF") == said_none.replace("ZZZ-ZZZ", "REF")
        assert "nothing is recorded" in said_real
        # Said again, still the same words (an "already declared" would tell them it exists).
        again = words(await world.teams.say(person, personal(person), f"conflict {someone_elses}"))  # type: ignore[arg-type]
        assert again == said_real
        # The declaration on the real case was recorded all the same.
        async with world.deps.uow() as uow:
            case = await uow.cases.by_reference(someone_elses)
        assert case.conflicted(person.aad_object_id)  # type: ignore[attr-defined]


async def test_only_the_chair_and_the_coordinator_are_offered_or_given_the_case_facts(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        for person, offered in ((CHAIR, True), (COORDINATOR, True), (ANALYST, False)):
            card = text_of(await world.teams.say(person, personal(person), "report"))
            assert ("Case facts CSV" in card) is offered, person.key
        pressed = text_of(
            await world.teams.press(
                ANALYST,
                personal(ANALYST),
                verbs.REPORT_CASE_FACTS,
                {"from": "2026-09-01", "to": "2026-11-30"},
            )
        )
        assert "Only the chair or the case coordinator can do that" in pressed
        assert not any(ref in pressed for ref in seeded.references)


@pytest.mark.parametrize("typed", ["Kerry H", "Kerry Hodgson", "kerry h", "KerryH", "Walker"])
async def test_the_audit_search_never_turns_a_typed_name_into_a_reference(
    typed: str, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        answer = text_of(
            await world.teams.press(INFOSEC, personal(INFOSEC), verbs.AUDIT_SEARCH, {"case": typed})
        )
        assert "KER-RYH" not in answer and "Kerry" not in answer and "kerry" not in answer
        assert "WAL-KER" not in answer and "Walker" not in answer
        assert "a case reference looks like" in answer or "a person's name" in answer
