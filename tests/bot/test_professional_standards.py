"""Professional standards' lead, as they would use the bot: find which panel case one of the force's
own references is, read it as the coordinator does, and run or see nothing of the sittings."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cards import verbs
from cli.demo_data import DEMO_FORCE_REFERENCE, PSD_LEAD
from panel.ports import AuditQuery
from tests.bot.world import running_world
from tests.fake_teams import personal, text_of


def verbs_on(node: Any) -> set[str]:
    """Every button's verb on a card (or an answer holding cards)."""
    return set(re.findall(r"'verb': '([^']+)'", str(node)))


async def test_the_psd_lead_finds_a_case_by_the_force_reference_and_reads_it(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        chat = personal(PSD_LEAD)
        reference = world.seeded.references[0]
        helped = text_of(await world.teams.say(PSD_LEAD, chat, "help"))
        assert "find" in helped and "cases" in helped and "agenda" not in helped
        form = await world.teams.say(PSD_LEAD, chat, "find")
        assert "Find a case by the force's own reference" in text_of(form)
        typed = DEMO_FORCE_REFERENCE.lower().replace("/", " ")
        found = await world.teams.press(PSD_LEAD, chat, verbs.FORCE_REF_FIND, {"force_reference": typed})
        assert reference in text_of(found) and DEMO_FORCE_REFERENCE not in text_of(found)
        # The answer's own button, pressed as it was sent (not a verb the test chose).
        button = next(a for a in found["value"]["actions"] if a.get("title") == f"Open {reference}")
        opened = await world.teams.press(PSD_LEAD, chat, button["verb"], button["data"])
        shown = text_of(opened)
        assert f"Case {reference}" in shown and "How the force is handling it" in shown
        # Read-only: the way back to the list, and a conflict to declare; nothing that manages it.
        assert verbs.CASES_BACK in verbs_on(opened)
        assert verbs_on(opened) <= {verbs.CASES_BACK, verbs.CONFLICT_DECLARE}, verbs_on(opened)
        listed = text_of(await world.teams.say(PSD_LEAD, chat, "cases"))
        assert "Open cases" in listed and reference in listed
        # No sitting: neither its agenda nor its controls.
        refused = text_of(await world.teams.say(PSD_LEAD, chat, "agenda"))
        assert reference not in refused and "Only" in refused
        async with world.deps.uow() as uow:
            trail = await uow.audit.search(AuditQuery(actor_id=PSD_LEAD.aad_object_id, limit=50))
        purposes = {e.event.event: e.event.purpose for e in trail}
        assert purposes["case.found_by_force_reference"] == "professional standards"
        assert purposes["case.opened"] == "professional standards"


async def test_a_case_read_while_it_is_being_heard_says_so(tmp_path: Path) -> None:
    """The list says "being heard now": the case itself must not say it was never heard."""
    from tests.bot.test_need_to_know_views import start_and_call_first

    async with running_world(None, None, tmp_path) as world:
        await start_and_call_first(world)
        reference = world.seeded.references[0]
        opened = await world.teams.say(PSD_LEAD, personal(PSD_LEAD), f"case {reference}")
        facts = dict(re.findall(r"'title': '([^']+)', 'value': '([^']*)'", str(opened)))
        assert facts["First heard"] == "now" and facts["Slot"].startswith("New")
        assert facts["Status"] == "Being heard now"
        # A closed case says so, and warns of nothing any more.
        closed = await world.teams.say(PSD_LEAD, personal(PSD_LEAD), f"case {world.seeded.closed}")
        facts = dict(re.findall(r"'title': '([^']+)', 'value': '([^']*)'", str(closed)))
        assert (
            facts["Status"] == "Closed" and "⚠" not in text_of(closed) and "Victim last updated" not in facts
        )
