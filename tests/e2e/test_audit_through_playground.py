"""End to end: information security reviews who accessed a case, through the Agents Playground,
exports the entries once as CSV, and verifies the trail."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from cards import verbs
from cli.demo_data import CHAIR, INFOSEC
from cli.playground import CASE_ROOM_CHAT, personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, panel_in_playgrounds, view_as

pytestmark = pytest.mark.e2e


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=(INFOSEC,)) as running:
        yield running


def shown(answer: dict[str, Any]) -> str:
    return card_text({"attachments": [{"content": answer.get("value")}]})


async def test_who_saw_a_case_is_answered_exported_once_and_the_trail_verified(panel: Panel) -> None:
    chair, reviewer = panel.chair, panel.people[INFOSEC.key]
    reference = panel.seeded.references[0]
    await chair.say(CASE_ROOM_CHAT, "start", group=True)
    case_card = await chair.say(CASE_ROOM_CHAT, "next", group=True)
    await view_as(chair, case_card, CHAIR)  # the chair looks at the case being heard

    mine = personal_chat(INFOSEC)
    card = await reviewer.say(mine, "audit")
    assert "Audit trail" in card_text(card) and "Reading this is itself recorded" in card_text(card)
    found = await reviewer.press(mine, card["messageId"], verbs.AUDIT_SEARCH, {"case": reference})
    text = shown(found)
    assert f"case {reference}" in text
    assert "Morgan Hale (chair)" in text and "saw the case card [consultation]" in text
    assert (
        "posted the case card [disclosure]" in text
    )  # the SOO has no chat here: never reached, never disclosed

    exported = await reviewer.press(mine, card["messageId"], verbs.AUDIT_EXPORT, {"case": reference})
    link = re.search(r"http://127\.0\.0\.1:\d+/exports/[\w-]+", str(exported["value"]))
    assert link, shown(exported)
    async with reviewer.session.post(link.group()) as response:
        assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
        rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert rows and all(row["case_reference"] in (reference, "") for row in rows)
    assert {"consultation", "disclosure"} <= {row["category"] for row in rows}
    async with reviewer.session.post(link.group()) as again:
        assert again.status == 404  # once only

    verified = await reviewer.press(mine, card["messageId"], verbs.AUDIT_VERIFY, {})
    assert "The trail is intact" in shown(verified)

    refused = await chair.say(personal_chat(CHAIR), "audit")
    assert "Only information security" in card_text(refused)
