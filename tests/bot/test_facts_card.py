"""The case's facts on a card of their own: opened from the SOO's case form or the coordinator's
card, saved back to where the person was, refused with what was chosen kept, and never opened by
anyone else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cards import verbs
from cli.demo_data import COORDINATOR, MEMBER, PARTNER, SOO_ONE, SOO_TWO
from panel.case_facts import ABUSE_KINDS, FACT_NAMES
from tests.bot.world import running_world
from tests.fake_teams import personal, text_of


async def test_a_soo_opens_saves_and_is_refused_with_their_choices_kept(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        ref = world.seeded.references[0]  # SOO_ONE's
        card = await world.teams.press(SOO_ONE, personal(SOO_ONE), verbs.CASE_FACTS_OPEN, {"case": ref})
        opened = text_of(card)
        assert f"Case {ref} · the facts" in opened and "Save the facts" in opened
        # As the client sends the card back: every input, as it was filled in.
        as_shown = {name: _value(card, name) or "" for name in FACT_NAMES}
        unticked = {name: "false" for name in ABUSE_KINDS}  # what a client may send for a clear tick
        nothing = text_of(
            await world.teams.press(
                SOO_ONE, personal(SOO_ONE), verbs.CASE_FACTS, {"case": ref, **as_shown, **unticked}
            )
        )
        assert "Nothing changed." in nothing  # sent back as shown, nothing is recorded
        saved = text_of(
            await world.teams.press(
                SOO_ONE,
                personal(SOO_ONE),
                verbs.CASE_FACTS,
                {
                    "case": ref,
                    **as_shown,
                    "risk_level": "medium",
                    "abuse_stalking": "yes",
                    "marac_referred": "2026-12-01",
                },
            )
        )
        assert "Saved: 3 facts recorded or changed." in saved
        forged = await world.teams.press(
            SOO_ONE,
            personal(SOO_ONE),
            verbs.CASE_FACTS,
            {"case": ref, "victim_sex": "female", "rank_band": "admiral", "criminal_status": "court_outcome"},
        )
        said = text_of(forged)
        assert "Rank band of the officer suspected: not one of the choices" in said
        assert f"Case {ref} · the facts" in said and _value(forged, "victim_sex") == "female"  # kept
        assert "admiral" not in str(forged)  # a value the form does not offer is never sent back
        assert _value(forged, "criminal_status") != "court_outcome"  # nor a retired choice
        refused = text_of(
            await world.teams.press(
                SOO_ONE,
                personal(SOO_ONE),
                verbs.CASE_FACTS,
                {"case": ref, "right_to_review_outcome": "upheld"},
            )
        )
        assert "requested before its outcome" in refused and f"Case {ref} · the facts" in refused
        assert refused.count("requested before its outcome") == 2  # at the top, and beside Save
        async with world.deps.uow() as uow:
            case = await uow.cases.by_reference(ref)
        assert case.facts.facts.victim_sex is None  # nothing of a refused save is kept


async def test_nobody_else_opens_a_cases_facts(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        ref = world.seeded.references[0]
        for person in (SOO_TWO, MEMBER, PARTNER):
            answer = text_of(
                await world.teams.press(person, personal(person), verbs.CASE_FACTS_OPEN, {"case": ref})
            )
            assert "the facts" not in answer and "Save the facts" not in answer, person.key
        coordinator = text_of(
            await world.teams.press(COORDINATOR, personal(COORDINATOR), verbs.CASE_FACTS_OPEN, {"case": ref})
        )
        assert "Save the facts" in coordinator and verbs.CASE_MORE in coordinator  # back to their card


def _value(node: Any, input_id: str) -> Any:
    """The value a card's input holds, wherever it is in the card."""
    if isinstance(node, dict):
        if node.get("id") == input_id and "value" in node:
            return node["value"]
        node = list(node.values())
    if isinstance(node, list):
        for item in node:
            if (found := _value(item, input_id)) is not None:
                return found
    return None
