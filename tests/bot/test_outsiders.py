"""Every card verb, pressed by those who should learn nothing from it, with empty, wrong and valid
data, through the real app: a stranger, a partner representative, another case's SOO, a member who
declared a conflict and a coordinator who declared one. Judged on the whole reply (the answer and
anything the bot sent while handling it): nothing they may not see.

What each may see is said here from the panel's rules, not read from the code under test: a
stranger gets one short answer to everything; nobody but the coordinator sees the roster (names
and Entra ids); a partner sees no case while none is being heard; a SOO sees their own cases; a
member the agenda's references; nobody sees what the panel knows of a case they declared a
conflict for."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.limits import EdgeLimits
from cards import verbs
from cli.demo import Seeded
from cli.demo_data import (
    COORDINATOR,
    DEMO_CASES,
    DEMO_ROSTER,
    MEMBER,
    PARTNER,
    SOO_TWO,
    UNLISTED_CASE,
    DemoPerson,
)
from panel.roles import Actor
from panel.usecases import conflicts
from tests.bot.verb_table import VALID_DATA
from tests.bot.world import World, running_world, seeded_template
from tests.fake_teams import personal, text_of

EVERY_VERB = sorted(
    verbs.FORM_VERBS | verbs.LIVE_VERBS | verbs.VIEW_VERBS | verbs.REPORT_VERBS | verbs.AUDIT_VERBS
)
STRANGER_ANSWER = "This app is for the scrutiny panel; ask the case coordinator."
# What the panel knows of the first demo case alone (its one action), which the conflicted persons
# declared a conflict for.
FIRST_CASE_DETAILS = ("SOO to update the victim weekly",)


def test_every_verb_is_tried() -> None:
    assert set(VALID_DATA) >= set(EVERY_VERB), set(EVERY_VERB) - set(VALID_DATA)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


def wrong(world: World) -> dict[str, Any]:
    """Data that names real things (a case that exists, the sitting's id as a guess from its date,
    another case as the link) but is otherwise wrong or incomplete: each verb refuses it."""
    return {
        "case": world.seeded.references[0],
        "other": world.seeded.references[1],
        "sitting": world.seeded.sitting.sitting_date.isoformat(),
        "slot": "x",
        "to": world.seeded.sitting.sitting_date.isoformat(),
        "action": "A1",
        "reminder": "x",
        "withdraw": MEMBER.aad_object_id,
        "decision": "x",
        "kind": "x",
        "owner": "x",
        "due": "not a date",
        "people": "x",
        "period": "x",
    }


DATA: dict[str, Callable[[World, str], dict[str, Any]]] = {
    "empty": lambda world, verb: {},
    "wrong": lambda world, verb: wrong(world),
    "valid": lambda world, verb: VALID_DATA[verb](world),
}


def secrets_for(world: World, person: DemoPerson | None, sent: dict[str, Any]) -> list[str]:
    """What this person may not be shown, whatever they press."""
    others = [p for p in DEMO_ROSTER if person is None or p.aad_object_id != person.aad_object_id]
    # The coordinator keeps the roster (appoints SOOs, records conflicts): for them it is no secret.
    hidden = (
        [] if person is COORDINATOR else [p.display_name for p in others] + [p.aad_object_id for p in others]
    )
    said = json.dumps(sent)
    references = world.seeded.references
    if person is COORDINATOR:
        # Every reference (a conflict hides what the panel knows of a case, not that it is listed).
        visible = {*references, world.seeded.unlisted or ""}
    elif person is PARTNER:
        visible: set[str] = set()
    elif person is SOO_TWO:
        own = [r for c, r in zip(DEMO_CASES, references, strict=True) if c.soo is SOO_TWO]
        visible = {*own, *([world.seeded.unlisted] if UNLISTED_CASE.soo is SOO_TWO else [])}
    else:
        visible = {slot.case_reference for slot in world.seeded.sitting.slots}
    everything = [*references, world.seeded.unlisted or ""]
    hidden += [r for r in everything if r and r not in visible and r not in said]
    if person in (MEMBER, COORDINATOR):
        hidden += list(FIRST_CASE_DETAILS)
    return hidden


def buttons_for(reference: str, *replies: Any) -> list[str]:
    """The verbs of every button in the replies that acts on one case: a person with a conflict
    must be handed no card that works on it."""
    found: list[str] = []
    stack: list[Any] = list(replies)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            data = node.get("data")
            if "verb" in node and isinstance(data, dict) and data.get("case") == reference:
                found.append(str(node["verb"]))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


PERSONAS: dict[str, DemoPerson | None] = {
    "stranger": None,
    "partner": PARTNER,
    "another case's SOO": SOO_TWO,
    "conflicted member": MEMBER,
    "conflicted coordinator": COORDINATOR,
}


@pytest.mark.parametrize("persona", list(PERSONAS))
async def test_no_verb_shows_an_outsider_what_they_may_not_see(
    persona: str, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    directory, seeded = template
    person = PERSONAS[persona]
    # Hundreds of presses from one person: the edge's rate limit is not what is tested here.
    async with running_world(directory, seeded, tmp_path, limits=EdgeLimits.unlimited()) as world:
        first = world.seeded.references[0]
        for declarer in (MEMBER, COORDINATOR):
            await conflicts.declare_conflict(world.deps, Actor(declarer.aad_object_id, declarer.roles), first)
        where = personal(person) if person else "personal-stranger"
        leaks: list[str] = []
        for verb in EVERY_VERB:
            for kind, make in DATA.items():
                data = make(world, verb)
                before = len(world.teams.connector.sent)
                answer = await world.teams.press(person, where, verb, data)
                sent_now = world.teams.connector.sent[before:]
                reply = text_of(answer) + text_of(sent_now)
                if person is None:
                    if reply.strip() != f"application/vnd.microsoft.activity.message\n{STRANGER_ANSWER}":
                        leaks.append(f"{verb} {kind}: {reply[:200]!r}")
                    continue
                shown = [secret for secret in secrets_for(world, person, data) if secret in reply]
                if person in (MEMBER, COORDINATOR):
                    shown += [f"a {v} button for it" for v in buttons_for(first, answer, sent_now)]
                if shown:
                    leaks.append(f"{persona}, {verb} {kind}: {shown}")
        assert not leaks, "\n".join(leaks)
