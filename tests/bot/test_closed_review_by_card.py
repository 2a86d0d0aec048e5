"""A closed case brought back for review through the coordinator's own card, as a person would: the
card offers a closed-case review (and only that) on today's sitting or a later one, and listing it
leaves the case closed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cards import verbs
from cli.demo_data import CHAIR, COORDINATOR, PSD_LEAD
from panel.case import CaseStatus
from panel.usecases import live
from tests.bot.test_need_to_know_views import start_and_call_first
from tests.bot.world import running_world
from tests.conftest import actor
from tests.fake_teams import personal, text_of


def choices_of(node: Any, input_id: str) -> list[str]:
    """The values a drop-down on the card offers."""
    if isinstance(node, dict):
        if node.get("type") == "Input.ChoiceSet" and node.get("id") == input_id:
            return [c["value"] for c in node["choices"]]
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            if found := choices_of(item, input_id):
                return found
    return []


async def test_the_coordinator_lists_the_closed_case_for_review_on_todays_live_sitting(
    tmp_path: Path,
) -> None:
    async with running_world(None, None, tmp_path) as world:
        await start_and_call_first(world)  # today's sitting is live
        closed = world.seeded.closed
        assert closed is not None
        chat = personal(COORDINATOR)
        card = await world.teams.say(COORDINATOR, chat, f"case {closed}")
        assert choices_of(card, "kind") == ["closed_review"] and "Or minutes" not in text_of(card)
        sittings = choices_of(card, "sitting")
        today = world.seeded.sitting.sitting_id
        assert sittings[0] == today and "(live now)" in text_of(card)
        listed = text_of(
            await world.teams.press(
                COORDINATOR,
                chat,
                verbs.CASE_LIST,
                {"case": closed, "sitting": today, "kind": "closed_review"},
            )
        )
        assert f"Case {closed} listed on the sitting of" in listed
        async with world.deps.uow() as uow:
            case = await uow.cases.by_reference(closed)
            sitting = await uow.sittings.get(today)
        assert case.status is CaseStatus.CLOSED
        slot = sitting.slot_for_case(case.case_id)
        assert slot is not None and slot.kind.value == "closed_review"
        # Called in its slot, it reads as what it is: closed, and under review.
        chair = actor(CHAIR)
        while (
            (now := await live.live_sitting(world.deps))
            and now.current
            and now.current.case_id != case.case_id
        ):
            await live.next_case(world.deps, chair, today, anyway=True)
        shown = await world.teams.say(PSD_LEAD, personal(PSD_LEAD), f"case {closed}")
        facts = dict(re.findall(r"'title': '([^']+)', 'value': '([^']*)'", str(shown)))
        assert facts["Status"] == "Closed, under review now" and facts["Slot"].startswith(
            "Closed-case review"
        )
