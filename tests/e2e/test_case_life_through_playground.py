"""End to end: a SOO records the facts the panel scrutinises, the chair sees the early warning,
and the coordinator is told (without a name) that two cases may be linked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from cards import verbs
from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
from cli.playground import CASE_ROOM_CHAT, personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, panel_in_playgrounds

pytestmark = pytest.mark.e2e


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=(SOO_ONE, COORDINATOR)) as running:
        for person in (SOO_ONE, COORDINATOR):
            await running.people[person.key].say(personal_chat(person), "help")
        yield running


def shown(answer: dict[str, Any]) -> str:
    return card_text({"attachments": [{"content": answer.get("value")}]})


async def test_facts_recorded_by_the_soo_reach_the_panel_and_the_early_warning(panel: Panel) -> None:
    chair, soo = panel.chair, panel.people[SOO_ONE.key]
    reference = panel.seeded.references[2]  # the third demo case: SOO_ONE's, with no facts yet
    await chair.say(CASE_ROOM_CHAT, "start", group=True)
    for _ in range(3):
        await chair.say(CASE_ROOM_CHAT, "next", group=True)
    await chair.say(CASE_ROOM_CHAT, "end", group=True)

    mine = personal_chat(SOO_ONE)
    form = await soo.say(mine, f"case {reference}")
    assert "Case facts" in card_text(form)
    saved = await soo.press(
        mine,
        form["messageId"],
        verbs.CASE_FACTS,
        {"case": reference, "criminal_status": "no_further_action", "right_to_review_told": "yes"},
    )
    assert "Saved: 2 facts recorded or changed." in shown(saved)

    overview = await chair.say(personal_chat(CHAIR), f"case {reference}")
    text = card_text(overview)
    assert "Criminal investigation" in text and "No further action" in text
    assert "Victim told of the Right to Review" in text
    assert "no declaration of the investigator's independence" in text  # the early warning


async def test_the_coordinator_alone_is_told_two_cases_may_be_linked(panel: Panel) -> None:
    coordinator = panel.people[COORDINATOR.key]
    mine = personal_chat(COORDINATOR)
    first, second = panel.seeded.references[0], panel.seeded.references[1]
    card = await coordinator.say(mine, f"case {second}")
    more = await coordinator.press(mine, card["messageId"], verbs.CASE_MORE, {"case": second})
    # "Jordan Blackwood" was registered for the first demo case.
    told = await coordinator.press(
        mine, card["messageId"], verbs.CASE_NAMES, {"case": second, "party_1": "Jordan Blackwood"}
    )
    assert f"This may be linked to case {first}" in shown(told) and "Blackwood" not in shown(told)
    assert "More about case" in shown(more)
    linked = await coordinator.press(
        mine, card["messageId"], verbs.CASE_LINK, {"case": second, "other": first}
    )
    assert f"Cases {second} and {first} are linked." in shown(linked)
    overview = await panel.chair.say(personal_chat(CHAIR), f"case {first}")
    assert "Linked cases" in card_text(overview) and second in card_text(overview)
