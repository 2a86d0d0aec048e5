"""End to end: reminders arrive once in the SOO's own chat through the Agents Playground, can be
snoozed from the card, and `panelbot reminders run --now` runs the clock forward for a demo."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from cards import verbs
from cli.demo_data import SOO_ONE, SOO_TWO
from cli.playground import personal_chat
from tests.conftest import TEST_KEY
from tests.e2e.harness import Panel, card_text, panel_in_playgrounds, press_directly

pytestmark = pytest.mark.e2e


@pytest.fixture
async def panel(tmp_path: Path) -> AsyncIterator[Panel]:
    async with panel_in_playgrounds(tmp_path, TEST_KEY, extra=(SOO_ONE,)) as running:
        await running.people[SOO_ONE.key].say(personal_chat(SOO_ONE), "help")
        # The scheduler may have tried before the SOO opened their chat (unreachable, so the claim
        # was left to expire and the reminder to be retried): let that claim's two minutes pass.
        running.clock.advance(timedelta(minutes=3))
        yield running


async def test_a_reminder_arrives_once_in_the_soos_chat_and_can_be_snoozed(panel: Panel) -> None:
    soo = panel.people[SOO_ONE.key]
    reference = panel.seeded.references[0]  # the demo gives this SOO's case an action due in three days

    def is_due_soon(m: dict[str, object]) -> bool:
        return f"An action on case {reference} is due soon" in card_text(m)

    reminder = await soo.wait_for(is_due_soon)
    assert reminder["chat"] == personal_chat(SOO_ONE)
    await asyncio.sleep(1.5)  # several more scheduler rounds
    assert sum(1 for m in soo.posted if is_due_soon(m)) == 1

    content = reminder["attachments"][0]["content"]
    button = next(a for a in content["actions"] if a.get("verb") == verbs.REMINDER_SNOOZE)
    snoozed = await soo.press(personal_chat(SOO_ONE), reminder["messageId"], button["verb"], button["data"])
    assert "Reminder snoozed" in str(snoozed)
    stolen = await press_directly(panel, soo, personal_chat(SOO_ONE), button["verb"], button["data"], SOO_TWO)
    assert "not one of yours" in str(stolen)

    # Running the clock forward from the command line, as in the demo: the action is now overdue.
    env = {**os.environ, "STORAGE": f"sqlite:///{panel.db}", "IDENTITY_HASH_KEY": TEST_KEY.decode()}
    env.pop("MicrosoftAppId", None)
    ran = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "cli.main", "reminders", "run", "--now", "2026-12-11T09:30"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr[-500:]
    assert "Sent" in ran.stdout and "Friday 11 December 2026 09:30" in ran.stdout
    await soo.wait_for(lambda m: f"An action on case {reference} is overdue" in card_text(m))
    assert "update the victim weekly" not in "\n".join(card_text(m) for m in soo.posted)
