"""Proposing from one's own view of the case being heard, and deciding on one's own: a partner or
member presses on the case card in the case-room chat, the chair accepts or sets aside on theirs.
The chat itself holds the base card throughout; every answer is the presser's own view."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from cards import verbs
from cli.demo import Seeded
from cli.demo_data import ANALYST, CHAIR, MEMBER, PARTNER, SOO_ONE
from tests.bot.test_need_to_know_views import start_and_call_first, view
from tests.bot.world import World, running_world, seeded_template
from tests.fake_teams import CASE_ROOM, personal, text_of

ON_CARD = {"from": "case_card"}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


def an_action(reference: str, text: str) -> dict[str, Any]:
    return {"case": reference, "kind": "action", "text": text, "owner": "soo", **ON_CARD}


async def proposals_of(world: World, reference: str) -> list[Any]:
    async with world.deps.uow() as uow:
        return list((await uow.cases.by_reference(reference)).proposals)


async def test_a_partner_proposes_on_their_view_and_the_chair_accepts_on_theirs(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        _, case_card = await start_and_call_first(world)
        first = seeded.references[0]
        # Who may propose sees the buttons on their own view; the SOO and the chair do not.
        assert "Propose an action" in await view(world, case_card, PARTNER)
        assert "Propose an action" in await view(world, case_card, MEMBER)
        analyst = await view(world, case_card, ANALYST)
        assert "Propose a theme" in analyst and "Propose an action" not in analyst
        for person in (SOO_ONE, CHAIR):
            assert "Propose" not in await view(world, case_card, person)

        before = len(world.teams.connector.in_chat(CASE_ROOM))
        answer = text_of(
            await world.teams.press(
                PARTNER, CASE_ROOM, verbs.PROPOSAL_MAKE, an_action(first, "Offer the victim an IDVA")
            )
        )
        assert f"Proposal P1 is with the chair for case {first}" in answer and "Past hearings" in answer
        # The chat's card is touched (so each view is fetched again), never given the details.
        touched = world.teams.connector.in_chat(CASE_ROOM)[before:]
        assert [m["action"] for m in touched] == ["update"] and "Past hearings" not in text_of(touched)
        chair_view = await view(world, case_card, CHAIR)
        assert "Proposals waiting for a decision" in chair_view
        assert "proposed by a partner agency" in chair_view and PARTNER.display_name not in chair_view
        # Whoever may propose sees what waits for the chair, with nothing to press on it.
        member_view = await view(world, case_card, MEMBER)
        assert "Proposals waiting for the chair" in member_view and "Accept P1" not in member_view
        assert "Accept P1" in chair_view

        decided = text_of(
            await world.teams.press(
                CHAIR,
                CASE_ROOM,
                verbs.PROPOSAL_DECIDE,
                {"case": first, "proposal": "P1", "accept": "yes", **ON_CARD},
            )
        )
        assert "Proposal P1 accepted as action A2." in decided and "Offer the victim an IDVA" in decided
        assert "Proposals waiting" not in decided
        # The action keeps where it came from, by role, on every view of the case.
        assert "due 04 Jan; proposed by a partner agency)" in decided
        # Pressed again (a second chair, a double click): refused in words, nothing changes twice.
        again = text_of(
            await world.teams.press(
                CHAIR,
                CASE_ROOM,
                verbs.PROPOSAL_DECIDE,
                {"case": first, "proposal": "P1", "accept": "no", **ON_CARD},
            )
        )
        assert "Proposal P1 was already accepted" in again and f"Case {first}" in again
        async with world.deps.uow() as uow:
            case = await uow.cases.by_reference(first)
        assert [a.source for a in case.actions][-1] == "proposed by a partner agency"


async def test_a_proposal_that_names_someone_is_refused_on_the_card_and_kept_nowhere(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        await start_and_call_first(world)
        first = seeded.references[0]
        answer = text_of(
            await world.teams.press(
                MEMBER, CASE_ROOM, verbs.PROPOSAL_MAKE, an_action(first, "Ask Kerry Hodgson to call the SOO")
            )
        )
        assert "Hodgson" not in answer and "Kerry" not in answer
        assert f"Case {first}" in answer and "Propose an action" in answer  # their view, to try again
        assert await proposals_of(world, first) == []


async def test_a_press_that_falls_back_to_a_message_in_the_case_room_answers_privately(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    """A client without Universal Actions sends the press as a message in the group chat: the
    partner's own view of the case must not be posted where every SOO of the sitting reads it."""
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path) as world:
        await world.teams.say(PARTNER, personal(PARTNER), "help")
        await start_and_call_first(world)
        first = seeded.references[0]
        before = len(world.teams.connector.sent)
        value = {"verb": verbs.PROPOSAL_MAKE, **an_action(first, "Offer the victim an IDVA")}
        status, _ = await world.teams.post(
            world.teams.activity(PARTNER, CASE_ROOM, type="message", value=value)
        )
        assert status in (200, 201)
        sent = world.teams.connector.sent[before:]
        in_room = [m for m in sent if m["chat"] == CASE_ROOM]
        assert "your own chat" in text_of([m for m in in_room if m["action"] == "create"])
        assert "Past hearings" not in text_of(in_room)
        privately = text_of([m for m in sent if m["chat"] == personal(PARTNER)])
        assert "Proposal P1 is with the chair" in privately and "Past hearings" in privately
        assert len(await proposals_of(world, first)) == 1
