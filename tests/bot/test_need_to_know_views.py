"""Need to know in the case-room chat, through the bot: the chat holds base cards only, each person's
own view is decided per request, conflicts are announced without names, outsiders are named to the
chair alone."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cards import verbs
from cli.demo import Seeded
from cli.demo_data import (
    ADMINISTRATOR,
    ANALYST,
    CHAIR,
    COORDINATOR,
    MEMBER,
    PARTNER,
    SOO_ONE,
    SOO_TWO,
    DemoPerson,
)
from tests.bot.world import World, running_world, seeded_template
from tests.fake_teams import CASE_ROOM, personal, text_of

# What the panel sees of the first demo case, and no one else may read in the chat.
DETAILS = (
    "Police victim",
    "police victim",
    "Line manager",
    "line manager",
    "Risk",
    "SOO to update the victim weekly",
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


async def start_and_call_first(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """The chair starts the sitting in the case room and calls the first case: the two cards."""
    for person in (SOO_ONE, SOO_TWO, ADMINISTRATOR, COORDINATOR):
        await world.teams.say(person, personal(person), "help")
    world.teams.connector.members[CASE_ROOM] = [CHAIR, MEMBER, PARTNER, ADMINISTRATOR, SOO_TWO]
    (control,) = [m for m in await world.teams.say(CHAIR, CASE_ROOM, "start") if m["chat"] == CASE_ROOM][:1]
    sent = await world.teams.say(CHAIR, CASE_ROOM, "next")
    case_card = next(m for m in sent if m["chat"] == CASE_ROOM and m["action"] == "create")
    return control, case_card


def refresh_data(message: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    action = message["attachments"][0]["content"]["refresh"]["action"]
    return action["verb"], action["data"]


async def view(world: World, message: dict[str, Any], person: DemoPerson | None) -> str:
    verb, data = refresh_data(message)
    return text_of(await world.teams.press(person, CASE_ROOM, verb, data, trigger="automatic"))


async def test_the_chat_holds_no_case_details_and_each_person_sees_their_part(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        control, case_card = await start_and_call_first(world)
        first = seeded.references[0]
        in_chat = text_of(world.teams.connector.in_chat(CASE_ROOM))
        assert f"Case {first} · being heard" in in_chat
        for detail in (*DETAILS, *seeded.references[1:], "waiting"):
            assert detail not in in_chat, detail

        for person in (CHAIR, COORDINATOR, ADMINISTRATOR, MEMBER, PARTNER, SOO_ONE, ANALYST):
            shown = await view(world, case_card, person)
            assert "Past hearings" in shown and "SOO to update the victim weekly" in shown, person.key
        for person in (SOO_TWO,):
            shown = await view(world, case_card, person)
            assert f"Case {first} · being heard" in shown and "Past hearings" not in shown
        # Someone not on the roster (a guest in the chat) gets one short answer, not even a card.
        assert await view(world, case_card, None) == await view(world, control, None)
        assert "This app is for the scrutiny panel" in await view(world, case_card, None)
        assert first not in await view(world, case_card, None)

        panel_view = await view(world, control, MEMBER)
        assert all(ref in panel_view for ref in seeded.references) and "Next case" not in panel_view
        chair_view = await view(world, control, CHAIR)
        assert "Next case" in chair_view
        assert "In the case-room chat but not on the panel: Sam Ortega" in chair_view
        for person in (PARTNER, SOO_ONE, SOO_TWO):
            shown = await view(world, control, person)
            assert "Case 1 of 4 being heard" in shown and seeded.references[1] not in shown
            assert "Sam Ortega" not in shown

        await world.teams.say(CHAIR, CASE_ROOM, "next")  # the slot ends: every view collapses
        for person in (CHAIR, MEMBER, PARTNER, SOO_ONE):
            shown = await view(world, case_card, person)
            assert f"Case {first} · heard at" in shown and "Past hearings" not in shown


async def test_forged_and_stale_refreshes_reveal_nothing(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        await start_and_call_first(world)
        sitting = seeded.sitting.sitting_id
        waiting = seeded.sitting.slots[2].slot_id
        for data in (
            {"sitting": sitting, "slot": waiting},  # a case not being heard
            {"sitting": sitting, "slot": "no-such-slot"},
            {"sitting": "1999-01-01", "slot": waiting},
            {"sitting": ["not", "a", "string"]},
            {},
        ):
            before = world.snapshot()
            shown = text_of(await world.teams.press(MEMBER, CASE_ROOM, verbs.CASE_REFRESH, data))
            assert "Past hearings" not in shown and "Category" not in shown
            assert world.snapshot() == before


async def test_a_conflict_collapses_the_view_and_the_chair_alone_is_told_who(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        second = seeded.references[1]
        said = text_of(await world.teams.say(ADMINISTRATOR, personal(ADMINISTRATOR), f"conflict {second}"))
        assert f"Conflict of interest declared for case {second}" in said
        in_group = text_of(await world.teams.say(MEMBER, CASE_ROOM, f"conflict {second}"))
        assert "in your own chat with me" in in_group
        control, _ = await start_and_call_first(world)
        mark = len(world.teams.connector.sent)
        sent = await world.teams.say(CHAIR, CASE_ROOM, "next")
        case_two = next(m for m in sent if m["chat"] == CASE_ROOM and m["action"] == "create")
        announced = text_of([m for m in world.teams.connector.sent[mark:] if m["chat"] == CASE_ROOM])
        assert f"1 person on the panel has declared a conflict of interest for case {second}" in announced
        assert ADMINISTRATOR.display_name not in announced

        assert "Past hearings" not in await view(world, case_two, ADMINISTRATOR)
        assert "Past hearings" in await view(world, case_two, MEMBER)
        chair_view = await view(world, control, CHAIR)
        assert f"Declared a conflict for case {second}: {ADMINISTRATOR.display_name}" in chair_view
        assert ADMINISTRATOR.display_name not in await view(world, control, MEMBER)
        admin_control = await view(world, control, ADMINISTRATOR)
        assert "your conflict" in admin_control

        record = text_of(await world.teams.say(ADMINISTRATOR, personal(ADMINISTRATOR), "record"))
        assert "declared a conflict of interest" in record


async def test_declaring_from_the_case_card_collapses_that_persons_view_at_once(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        _, case_card = await start_and_call_first(world)
        first = seeded.references[0]
        answer = text_of(
            await world.teams.press(
                MEMBER, CASE_ROOM, verbs.CONFLICT_DECLARE, {"case": first, "from": "case_card"}
            )
        )
        assert f"Case {first} · being heard" in answer and "Conflict of interest declared" in answer
        assert "Past hearings" not in answer
        assert "Past hearings" not in await view(world, case_card, MEMBER)
        coordinator_told = text_of(world.teams.connector.in_chat(personal(COORDINATOR)))
        assert f"A conflict of interest was declared for case {first}" in coordinator_told


async def test_forms_and_the_agenda_asked_for_in_a_group_chat_go_to_the_persons_own_chat(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        await start_and_call_first(world)
        mark = len(world.teams.connector.sent)
        await world.teams.say(ADMINISTRATOR, CASE_ROOM, "record")
        sent = world.teams.connector.sent[mark:]
        assert "your own chat with me" in text_of([m for m in sent if m["chat"] == CASE_ROOM])
        assert "Record for case" in text_of([m for m in sent if m["chat"] == personal(ADMINISTRATOR)])
        agenda = text_of(await world.teams.say(MEMBER, CASE_ROOM, "agenda"))
        # No second copy of the sitting card in the group (it would go stale): a pointer to the one above.
        assert (
            "Today's sitting card is in this chat" in agenda
            and "sitting" in agenda
            and seeded.references[1] not in agenda
        )
        world.clock.advance(timedelta(minutes=1))
        own = text_of(await world.teams.say(SOO_ONE, personal(SOO_ONE), f"case {seeded.references[1]}"))
        assert f"You have no case with the reference {seeded.references[1]}" in own
        unknown = text_of(await world.teams.say(SOO_ONE, personal(SOO_ONE), "case ZZZ-ZZZ"))
        assert "You have no case with the reference ZZZ-ZZZ" in unknown
        chair_list = text_of(await world.teams.say(CHAIR, personal(CHAIR), "cases"))
        assert "Open cases" in chair_list and all(ref in chair_list for ref in seeded.references)
        opened = text_of(
            await world.teams.press(CHAIR, personal(CHAIR), verbs.CASE_OPEN, {"case": seeded.references[1]})
        )
        assert "Past hearings" in opened and "You have no case" not in opened
