"""End to end: the coordinator registers and lists a case, the administrator records actions in the
sitting, the SOO is told what is outstanding, completes it and closes the case (with and without the
chair's approval), through the Agents Playground; identifying text refused on every free-text input."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from cards import verbs
from cli.demo_data import ADMINISTRATOR, ALL_PARTY_NAMES, CHAIR, COORDINATOR, SOO_ONE, SOO_TWO
from cli.playground import CASE_ROOM_CHAT, personal_chat
from panel.usecases.deps import PanelConfig
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, panel_in_playgrounds, view_as

pytestmark = pytest.mark.e2e
MADE_UP_PARTY = "Harriet Quillfeather"


def shown(answer: dict[str, Any]) -> str:
    return card_text({"attachments": [{"content": answer.get("value")}], "text": str(answer.get("value"))})


async def panel_for(tmp_path: Path, approval: bool) -> AsyncIterator[Panel]:
    config = PanelConfig(closure_needs_chair_approval=approval)
    async with panel_in_playgrounds(
        tmp_path, TEST_KEY, extra=(COORDINATOR, SOO_ONE, ADMINISTRATOR), config=config
    ) as running:
        for person in (COORDINATOR, SOO_ONE, ADMINISTRATOR):
            await running.people[person.key].say(personal_chat(person), "help")
        await running.chair.say(personal_chat(CHAIR), "help")
        yield running


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async for running in panel_for(tmp_path, approval=False):
        yield running


@pytest.fixture
async def strict_panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async for running in panel_for(tmp_path, approval=True):
        yield running


async def register_and_hear(panel: Panel) -> str:
    """Coordinator registers and lists a case, it is heard first, the administrator records two actions."""
    coordinator, soo, chair = panel.people[COORDINATOR.key], panel.people[SOO_ONE.key], panel.chair
    mine = personal_chat(COORDINATOR)
    form = await coordinator.say(mine, "register")
    answer = await coordinator.press(
        mine,
        form["messageId"],
        verbs.CASE_REGISTER,
        {
            "category": "police_victim",
            "route": "colleague",
            "received": "2026-12-01",
            "risk": "high",
            "soo": SOO_ONE.aad_object_id,
            "counter_allegation": "true",
            "party_1": MADE_UP_PARTY,
        },
    )
    text = shown(answer)
    found = re.search(r"Registered as case ([2-9A-HJ-NP-Z]{3}-[2-9A-HJ-NP-Z]{3})", text)
    assert found, text
    reference = found.group(1)
    assert "1 name registered" in text and "case conference is recommended" in text
    assert MADE_UP_PARTY.split()[1] not in text
    await soo.wait_for(lambda m: f"You are the senior oversight officer for case {reference}" in card_text(m))

    sitting_id = panel.seeded.sitting.sitting_id
    listed = await coordinator.press(
        mine, form["messageId"], verbs.CASE_LIST, {"case": reference, "sitting": sitting_id, "kind": "update"}
    )
    assert f"Case {reference} listed" in shown(listed)
    assert verbs.CASE_APPOINT in str(listed)  # still the case's own card, not the agenda
    await soo.wait_for(lambda m: f"Case {reference} is on the agenda" in card_text(m))
    since = len(coordinator.posted)
    await coordinator.say(mine, "sittings")
    listed = await coordinator.wait_for(
        lambda m: any(line.startswith(reference) for line in _agenda_lines(m)), since
    )
    agenda_card = listed["messageId"]
    for _ in range(4):  # move it to the top of the agenda, one place at a time
        slot = next(line.split("=", 1)[1] for line in _agenda_lines(listed) if line.startswith(reference))
        listed = await coordinator.press(
            mine, agenda_card, verbs.AGENDA_UP, {"sitting": sitting_id, "slot": slot}
        )
    assert _agenda_refs(listed)[0] == reference

    await chair.say(CASE_ROOM_CHAT, "start", group=True)
    case_card = await chair.say(CASE_ROOM_CHAT, "next", group=True)
    assert f"Case {reference}" in card_text(case_card)
    assert "Victim last updated" not in card_text(case_card)  # the chat holds the reference alone
    full = await view_as(chair, case_card, CHAIR)
    assert "Victim last updated" in shown(full) and "Investigation age" in shown(full)

    admin = panel.people[ADMINISTRATOR.key]
    in_group = await chair.say_as(ADMINISTRATOR, CASE_ROOM_CHAT, "record", group=True)
    assert "your own chat with me" in in_group["text"]
    record = await admin.wait_for(lambda m: f"Record for case {reference}" in card_text(m))
    assert record["chat"] == personal_chat(ADMINISTRATOR)
    refused = await admin.press(
        personal_chat(ADMINISTRATOR),
        record["messageId"],
        verbs.ACTION_RECORD,
        {"case": reference, "description": "Call her on 07700 900123", "owner": "soo", "due": "2026-12-14"},
        ADMINISTRATOR,
    )
    assert "looks like it contains a phone number" in shown(refused) and "07700" not in shown(refused)
    named = await admin.press(
        personal_chat(ADMINISTRATOR),
        record["messageId"],
        verbs.ACTION_RECORD,
        {"case": reference, "description": "Re-interview Quillfeather", "owner": "psd", "due": "2026-12-14"},
        ADMINISTRATOR,
    )
    assert "a person's name" in shown(named)
    for description, kind in (
        ("Ask Kerry Hodgson to ring the SOO", "a person's name"),
        ("Check the CCTV at 7 Orchard Close", "a street address"),
    ):
        refused = await admin.press(
            personal_chat(ADMINISTRATOR),
            record["messageId"],
            verbs.ACTION_RECORD,
            {"case": reference, "description": description, "owner": "soo", "due": "2026-12-14"},
            ADMINISTRATOR,
        )
        assert kind in shown(refused) and "Hodgson" not in shown(refused) and "Orchard" not in shown(refused)
    past = await admin.press(
        personal_chat(ADMINISTRATOR),
        record["messageId"],
        verbs.ACTION_RECORD,
        {"case": reference, "description": "Review", "owner": "psd", "due": "2026-01-01"},
        ADMINISTRATOR,
    )
    assert "due date is in the past" in shown(past)
    mark = len(chair.posted)
    for description, owner in [
        ("SOO to update the victim weekly", "soo"),
        ("PSD to review the suspension decision", "psd"),
    ]:
        done = await admin.press(
            personal_chat(ADMINISTRATOR),
            record["messageId"],
            verbs.ACTION_RECORD,
            {"case": reference, "description": description, "owner": owner, "due": "2026-12-14"},
            ADMINISTRATOR,
        )
        assert "recorded on case" in shown(done)
    # The chat's card is edited (unchanged), so that Teams fetches each person's view again.
    await chair.wait_for(
        lambda m: m["action"] == "updateMessage" and m.get("messageId") == case_card["messageId"], mark
    )
    # The action's line ("A2 · Open"), not a bare "A2" that a random sitting id may contain.
    assert "A2 · " in shown(await view_as(chair, case_card, ADMINISTRATOR))
    unentitled = shown(await view_as(chair, case_card, SOO_TWO))
    assert "A2 · " not in unentitled and "PSD to review the suspension decision" not in unentitled
    tag = await admin.press(
        personal_chat(ADMINISTRATOR),
        record["messageId"],
        verbs.THEME_RECORD,
        {"case": reference, "tag": "pc 4521"},
        ADMINISTRATOR,
    )
    assert "collar" in shown(tag)
    theme = await admin.press(
        personal_chat(ADMINISTRATOR),
        record["messageId"],
        verbs.THEME_RECORD,
        {"case": reference, "theme": "delayed_victim_updates"},
        ADMINISTRATOR,
    )
    assert "Theme recorded" in shown(theme)
    partner_try = await chair.press(  # a forged press: another SOO sends the record verb from the chat
        CASE_ROOM_CHAT,
        case_card["messageId"],
        verbs.ACTION_RECORD,
        {"case": reference, "description": "x", "owner": "soo", "due": "2026-12-14"},
        SOO_TWO,
    )
    assert "Only the" in shown(partner_try)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    return reference


async def soo_completes_and_requests_closure(panel: Panel, reference: str) -> dict[str, Any]:
    soo = panel.people[SOO_ONE.key]
    mine = personal_chat(SOO_ONE)
    before = len(soo.posted)
    await soo.say(mine, "cases")  # a proactive call card may arrive first: wait for the list itself
    listing = await soo.wait_for(lambda m: "Your cases" in card_text(m), before)
    assert f"Case {reference}" in card_text(listing) and "Investigation age" in card_text(listing)
    form = await soo.press(mine, listing["messageId"], verbs.CASE_OPEN, {"case": reference})
    assert "Agreed actions" in shown(form)
    early = await soo.press(mine, listing["messageId"], verbs.CLOSURE_REQUEST, {"case": reference})
    assert "Not closed yet. 2 agreed actions are still open." in shown(early)
    assert "A1 (SOO, due 14 Dec)" in shown(early) and "A2 (PSD, due 14 Dec)" in shown(early)
    bad = await soo.press(
        mine, listing["messageId"], verbs.CASE_UPDATE, {"case": reference, "progress": "Harriet was updated"}
    )
    assert "a person's name" in shown(bad)
    saved = await soo.press(
        mine,
        listing["messageId"],
        verbs.CASE_UPDATE,
        {
            "case": reference,
            "progress": "Victim updated in person",
            "victim_updated": "2026-12-05",
            "investigator_changed": "true",
        },
    )
    assert "Update saved." in shown(saved) and "Investigator changes" in shown(saved)
    note = await soo.press(
        mine,
        listing["messageId"],
        verbs.ACTION_DONE,
        {"case": reference, "action": "A1", "note": "ring 07700 900123"},
    )
    assert "a phone number" in shown(note)
    for action_id in ("A1", "A2"):
        done = await soo.press(
            mine,
            listing["messageId"],
            verbs.ACTION_DONE,
            {"case": reference, "action": action_id, "note": "done"},
        )
        assert f"Action {action_id} marked done." in shown(done)
    forged = await soo.press(
        mine, listing["messageId"], verbs.ACTION_DONE, {"case": reference, "action": "A9"}
    )
    assert "has no such action" in shown(forged)
    unknown = await soo.press(mine, listing["messageId"], "case.explode", {"case": reference})
    assert "don't recognise that button" in str(unknown)
    return await soo.press(mine, listing["messageId"], verbs.CLOSURE_REQUEST, {"case": reference})


async def test_a_case_from_registration_to_closure(panel: Panel, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    reference = await register_and_hear(panel)
    closed = await soo_completes_and_requests_closure(panel, reference)
    assert "Case closed. The chair and the coordinator have been told." in shown(closed)
    await panel.people[COORDINATOR.key].wait_for(lambda m: f"Case {reference} is closed" in card_text(m))
    await panel.chair.wait_for(lambda m: f"Case {reference} is closed" in card_text(m))
    soo = panel.people[SOO_ONE.key]
    last_card = next(m["messageId"] for m in reversed(soo.posted) if m["chat"] == personal_chat(SOO_ONE))
    again = await soo.press(
        personal_chat(SOO_ONE), last_card, verbs.CASE_UPDATE, {"case": reference, "progress": "more"}
    )
    assert "is closed" in shown(again)
    _no_party_names_anywhere(panel)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for typed in ("Quillfeather", "07700", "4521", "Victim updated in person"):
        assert typed not in logged, typed


async def test_the_same_with_the_chairs_approval(strict_panel: Panel) -> None:
    panel = strict_panel
    reference = await register_and_hear(panel)
    requested = await soo_completes_and_requests_closure(panel, reference)
    assert "gone to the chair for approval" in shown(requested)
    approval = await panel.chair.wait_for(lambda m: f"Closure of case {reference}" in card_text(m))
    assert approval["chat"] == personal_chat(CHAIR)
    soo = panel.people[SOO_ONE.key]
    own_card = next(m["messageId"] for m in reversed(soo.posted) if m["chat"] == personal_chat(SOO_ONE))
    refused = await soo.press(personal_chat(SOO_ONE), own_card, verbs.CLOSURE_APPROVE, {"case": reference})
    assert "Only the chair can do that." in shown(refused)
    approved = await panel.chair.press(
        personal_chat(CHAIR), approval["messageId"], verbs.CLOSURE_APPROVE, {"case": reference}
    )
    assert "Approved: the case is closed" in shown(approved)
    await panel.people[SOO_ONE.key].wait_for(
        lambda m: f"The chair approved the closure of case {reference}" in card_text(m)
    )
    twice = await panel.chair.press(
        personal_chat(CHAIR), approval["messageId"], verbs.CLOSURE_APPROVE, {"case": reference}
    )
    assert "no closure request waiting" in shown(twice)
    _no_party_names_anywhere(panel)


def _agenda_lines(answer: dict[str, Any]) -> list[str]:
    """Slot ids by reference, from the agenda card's 'Reorder' choices."""
    out = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Input.ChoiceSet" and node.get("id") == "slot":
                out.extend(f"{c['title']}={c['value']}" for c in node.get("choices", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(answer.get("value") or answer.get("attachments"))  # a button's answer, or a posted card
    return out


def _agenda_refs(answer: dict[str, Any]) -> list[str]:
    body = answer["value"]["body"]
    return [
        b["text"].split()[1]
        for b in body
        if b.get("type") == "TextBlock" and re.match(r"\d\d:\d\d  ", b.get("text", ""))
    ]


def _no_party_names_anywhere(panel: Panel) -> None:
    everything = [m for client in panel.people.values() for m in client.posted]
    for name in (*ALL_PARTY_NAMES, MADE_UP_PARTY):
        for part in name.split():
            assert all(part not in card_text(m) for m in everything), part
