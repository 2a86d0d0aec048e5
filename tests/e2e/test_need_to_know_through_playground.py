"""End to end: what each person can read of a case in the case-room chat, through the Agents Playground.

Everyone ever admitted to a Teams meeting can scroll its chat, so every message the bot leaves there
must be safe for all of them; the details are user-specific views, which the Playground cannot show,
so each person's view is fetched the way Teams fetches it: the card's refresh invoke, as them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, MEMBER, PARTNER, SOO_ONE, SOO_TWO
from cli.playground import CASE_ROOM_CHAT, personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, panel_in_playgrounds, view_as, view_directly

pytestmark = pytest.mark.e2e
# What the panel knows of the first demo case: a police victim referred by a line manager, high
# risk, an action for its SOO. None of it may sit in the chat.
FIRST_CASE_DETAILS = (
    "police victim",
    "Line manager",
    "line manager",
    "High",
    "high",
    "SOO to update the victim",
)


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=(SOO_ONE, ADMINISTRATOR)) as running:
        for person in (SOO_ONE, ADMINISTRATOR):
            await running.people[person.key].say(personal_chat(person), "help")
        yield running


def shown(answer: dict[str, Any]) -> str:
    return card_text({"attachments": [{"content": answer.get("value")}]})


async def test_nothing_in_the_case_room_chat_tells_anyone_more_than_their_part(panel: Panel) -> None:
    chair, admin = panel.chair, panel.people[ADMINISTRATOR.key]
    refs = panel.seeded.references
    declared = await admin.say(personal_chat(ADMINISTRATOR), f"conflict {refs[1]} knows the family")
    assert f"Conflict of interest declared for case {refs[1]}" in declared["text"]

    control = await chair.say(CASE_ROOM_CHAT, "start", group=True)
    case_one = await chair.say(CASE_ROOM_CHAT, "next", group=True)
    assert f"Case {refs[0]} · being heard" in card_text(case_one)

    # As the case is heard, each person's own view.
    assert "Past hearings" in shown(await view_directly(panel, case_one, MEMBER))
    assert "Past hearings" in shown(await view_as(chair, case_one, PARTNER))
    assert "Past hearings" in shown(await view_as(chair, case_one, SOO_ONE))  # its own SOO
    other_soo = shown(await view_as(chair, case_one, SOO_TWO))
    assert f"Case {refs[0]} · being heard" in other_soo and "Past hearings" not in other_soo
    chair_view = shown(await view_as(chair, control, CHAIR))
    assert all(ref in chair_view for ref in refs)
    assert "In the case-room chat but not on the panel" in chair_view
    assert SOO_ONE.display_name in chair_view and SOO_TWO.display_name in chair_view
    partner_control = shown(await view_as(chair, control, PARTNER))
    assert refs[1] not in partner_control and "Case 1 of 4 being heard" in partner_control

    case_two = await chair.say(CASE_ROOM_CHAT, "next", group=True)
    announced = await chair.wait_for(lambda m: "declared a conflict of interest" in (m.get("text") or ""))
    assert announced["chat"] == CASE_ROOM_CHAT and ADMINISTRATOR.display_name not in announced["text"]
    assert "Past hearings" not in shown(await view_as(chair, case_two, ADMINISTRATOR))
    assert "Past hearings" in shown(await view_directly(panel, case_two, MEMBER))
    names_them = shown(await view_as(chair, control, CHAIR))
    assert f"Declared a conflict for case {refs[1]}: {ADMINISTRATOR.display_name}" in names_them

    # The first slot has ended: every view of its card collapses, however late it is asked for.
    for person in (PARTNER, SOO_ONE, CHAIR):
        late = shown(await view_as(chair, case_one, person))
        assert f"Case {refs[0]} · heard at" in late and "Past hearings" not in late

    # Everything the bot left in the chat, created or updated, is safe for every member.
    in_chat = [m for m in chair.posted if m["chat"] == CASE_ROOM_CHAT]
    assert in_chat
    for message in in_chat:
        text = card_text(message)
        for detail in (*FIRST_CASE_DETAILS, "Past hearings", "Victim last updated", "waiting room"):
            assert detail not in text, (detail, message.get("messageId"))
        assert ADMINISTRATOR.display_name not in text and SOO_TWO.display_name not in text
        assert not any(ref in text for ref in refs[2:])  # no agenda list
