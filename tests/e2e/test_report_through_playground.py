"""End to end: `report` and `themes` through the Playground, and the commissioner's CSV, with small
numbers hidden in what leaves the panel."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from cards import verbs
from cli.demo_data import ADMINISTRATOR, ANALYST, COORDINATOR
from cli.playground import CASE_ROOM_CHAT, personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, panel_in_playgrounds

pytestmark = pytest.mark.e2e


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(
        tmp_path, TEST_KEY, extra=(ANALYST, COORDINATOR, ADMINISTRATOR)
    ) as running:
        for person in (ANALYST, COORDINATOR, ADMINISTRATOR):
            await running.people[person.key].say(personal_chat(person), "help")
        yield running


def shown(answer: dict[str, Any]) -> str:
    return card_text({"attachments": [{"content": answer.get("value")}]})


async def test_the_coordinator_reads_the_outputs_and_hands_on_a_safe_csv(panel: Panel) -> None:
    chair = panel.chair
    await chair.say(CASE_ROOM_CHAT, "start", group=True)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    await chair.say(CASE_ROOM_CHAT, "end", group=True)

    coordinator = panel.people[COORDINATOR.key]
    mine = personal_chat(COORDINATOR)
    card = await coordinator.say(mine, "report")
    assert "How the panel is doing" in card_text(card) and "Chart.HorizontalBar" in card_text(card)
    december = await coordinator.press(
        mine,
        card["messageId"],
        verbs.REPORT_SHOW,
        {"period": "dates", "from": "2026-12-01", "to": "2026-12-31"},
    )
    text = shown(december)
    assert "Panels held" in text and "1 December 2026" not in text  # dates read "1 Dec 2026"
    facts = {f["title"]: f["value"] for f in december["value"]["body"][2]["facts"]}
    assert facts["Panels held"].startswith("1") and facts["Cases heard"].startswith("2")

    exported = await coordinator.press(
        mine, card["messageId"], verbs.REPORT_EXPORT, {"from": "2026-12-01", "to": "2026-12-31"}
    )
    link = re.search(r"http://127\.0\.0\.1:\d+/exports/[\w-]+", str(exported["value"]))
    assert link, shown(exported)
    async with coordinator.session.post(link.group()) as response:
        assert response.status == 200
        rows = list(csv.DictReader(io.StringIO(await response.text())))
    outputs = {r["item"]: r["value"] for r in rows if r["section"] == "outputs"}
    # Small numbers hidden; with two cases heard the total would pin the count of each slot kind.
    assert outputs["Panels held"] == "<5" and outputs["Cases heard"] == "hidden"
    # The cases to audit leave as a count, hidden like any other: no case reference at all.
    audit = [r for r in rows if r["section"] == "cases to audit"]
    assert [r["item"] for r in audit] == ["live, or closed in the last 12 months"]
    assert not any(ref in value for ref in panel.seeded.references for r in rows for value in r.values())

    as_handed_on = await coordinator.press(
        mine,
        card["messageId"],
        verbs.REPORT_SHOW,
        {"period": "dates", "from": "2026-12-01", "to": "2026-12-31", "handed_on": "yes"},
    )
    text = shown(as_handed_on)
    assert "As handed on" in text and "Chart." not in text  # no picture of a hidden number
    assert f"{audit[0]['value']} cases to audit: live, or closed" in text  # the CSV's count, as the card
    facts = {f["title"]: f["value"] for f in as_handed_on["value"]["body"][3]["facts"]}
    assert facts["Panels held"].startswith("<5") and facts["Cases heard"].startswith("hidden")
    # The CSV asked for from the commissioner's view comes back on that view, not the exact figures.
    export = next(a for a in as_handed_on["value"]["actions"] if a.get("verb") == verbs.REPORT_EXPORT)
    again = await coordinator.press(mine, card["messageId"], verbs.REPORT_EXPORT, export["data"])
    assert "As handed on" in shown(again) and "Download" in shown(again)

    per_case = await coordinator.press(
        mine, card["messageId"], verbs.REPORT_CASE_FACTS, {"from": "2026-12-01", "to": "2026-12-31"}
    )
    link = re.search(r"http://127\.0\.0\.1:\d+/exports/[\w-]+", str(per_case["value"]))
    assert link, shown(per_case)
    async with coordinator.session.post(link.group()) as response:
        facts_rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert {r["reference"] for r in facts_rows} >= set(panel.seeded.references)
    assert "Criminal investigation" in facts_rows[0] and "Rank band of the officer suspected" in facts_rows[0]
    async with coordinator.session.post(link.group()) as again:
        assert again.status == 404  # the link works once


async def test_the_analyst_sees_themes_and_records_a_learning_action(panel: Panel) -> None:
    chair, admin = panel.chair, panel.people[ADMINISTRATOR.key]
    await chair.say(CASE_ROOM_CHAT, "start", group=True)
    await chair.say(CASE_ROOM_CHAT, "next", group=True)
    form = await admin.say(personal_chat(ADMINISTRATOR), "record")
    await admin.press(
        personal_chat(ADMINISTRATOR),
        form["messageId"],
        verbs.THEME_RECORD,
        {"case": panel.seeded.references[0], "theme": "delayed_victim_updates"},
    )

    analyst = panel.people[ANALYST.key]
    mine = personal_chat(ANALYST)
    card = await analyst.say(mine, "themes")
    assert "What the panel is learning" in card_text(
        card
    ) and "Updates to a police victim delayed" in card_text(card)
    recorded = await analyst.press(
        mine,
        card["messageId"],
        verbs.LEARNING_RECORD,
        {
            "text": "Brief supervisors on colleague victims",
            "owner": "organisational_learning",
            "due": "2027-01-31",
        },
    )
    assert "Learning action L1 recorded." in shown(recorded) and "Brief supervisors" in shown(recorded)

    chosen = {"owner": "psd", "due": "2027-02-28", "theme": "delayed_victim_updates"}
    refused = await analyst.press(
        mine,
        card["messageId"],
        verbs.LEARNING_RECORD,
        {"text": "Ask Casey Marlowe on 07700 900123 to brief supervisors", **chosen},
    )
    assert "07700" not in shown(refused) and "Marlowe" not in shown(refused)
    assert "L2" not in shown(refused)
    # The form comes back with what was chosen in it, so only the words need writing again.
    inputs = {i["id"]: i for i in _inputs(refused["value"])}
    assert {k: inputs[k].get("value") for k in chosen} == chosen and not inputs["text"].get("value")


def _inputs(node: Any) -> list[dict[str, Any]]:
    """Every input on a card, in the sub-cards of its buttons too."""
    if isinstance(node, dict):
        found = [node] if str(node.get("type", "")).startswith("Input.") else []
        return found + [i for value in node.values() for i in _inputs(value)]
    if isinstance(node, list):
        return [i for item in node for i in _inputs(item)]
    return []
