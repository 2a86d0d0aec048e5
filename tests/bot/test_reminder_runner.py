"""The scheduler sends each reminder once: two instances on one database, a crash between claim and
send, catch-up after downtime, someone unreachable. The messenger is a hand-written fake."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from botbuilder.schema import Activity

from bot.messenger import user_key
from bot.reminder_runner import ReminderRunner
from cli.demo_data import ADMINISTRATOR, COORDINATOR, SOO_ONE
from panel.actions import OwnerRole
from panel.clock import FixedClock
from panel.usecases import actions, reminders
from panel.usecases.actions import ActionForm
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.e2e.harness import card_text
from tests.panel.helpers import new_case

# Wednesday 25 November 2026, 10:00 London (GMT).
WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


class FakeMessenger:
    def __init__(self, reachable: set[str]) -> None:
        self.reachable = reachable
        self.sent: list[tuple[str, Activity]] = []

    async def post(self, key: str, activity: Activity) -> str | None:
        await asyncio.sleep(0)  # let another instance interleave, as real I/O would
        if key not in self.reachable:
            return None
        self.sent.append((key, activity))
        return f"m{len(self.sent)}"


def texts(messenger: FakeMessenger) -> list[str]:
    return [
        card_text({"attachments": [a.as_dict() for a in activity.attachments or []]})
        for _, activity in messenger.sent
    ]


async def an_action_due_in_three_days(deps: Deps) -> str:
    case = await new_case(deps, SOO_ONE)
    form = ActionForm("SOO to update the victim", OwnerRole.SOO, date(2026, 11, 28))
    await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)
    return case.reference


async def test_two_instances_on_one_database_send_each_reminder_once(deps: Deps, clock: FixedClock) -> None:
    reference = await an_action_due_in_three_days(deps)
    clock.set(WEDNESDAY)
    messenger = FakeMessenger({user_key(SOO_ONE.aad_object_id)})
    first, second = ReminderRunner(deps, messenger, "a"), ReminderRunner(deps, messenger, "b")  # type: ignore[arg-type]
    counts = await asyncio.gather(first.run_once(), second.run_once(), first.run_once())
    assert sum(counts) == 1
    (text,) = texts(messenger)
    assert f"An action on case {reference} is due soon" in text and "Snooze 1 day" in text
    clock.advance(timedelta(hours=5))
    assert await second.run_once() == 0


async def test_a_reminder_claimed_by_an_instance_that_crashed_is_sent_after_the_claim_expires(
    deps: Deps, clock: FixedClock
) -> None:
    await an_action_due_in_three_days(deps)
    clock.set(WEDNESDAY)
    (due,) = await reminders.due_now(deps)
    assert await reminders.claim(deps, due, "crashed", timedelta(minutes=2))  # then it died before sending
    messenger = FakeMessenger({user_key(SOO_ONE.aad_object_id)})
    runner = ReminderRunner(deps, messenger, "b")  # type: ignore[arg-type]
    assert await runner.run_once() == 0
    clock.advance(timedelta(minutes=3))
    assert await runner.run_once() == 1


async def test_catch_up_sends_what_is_still_useful_and_drops_what_is_not(
    deps: Deps, clock: FixedClock
) -> None:
    await an_action_due_in_three_days(deps)
    messenger = FakeMessenger({user_key(SOO_ONE.aad_object_id)})
    runner = ReminderRunner(deps, messenger, "a")  # type: ignore[arg-type]
    clock.set(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))  # the app was down from Wednesday to Friday
    assert await runner.run_once() == 1  # due on Wednesday, still useful before the due date
    clock.set(datetime(2026, 11, 30, 9, 30, tzinfo=UTC))  # Monday: the action is now overdue
    assert await runner.run_once() == 1
    assert "is overdue" in texts(messenger)[-1]


async def test_a_snoozed_reminder_waits_and_someone_unreachable_is_reported_once(
    deps: Deps, clock: FixedClock
) -> None:
    await an_action_due_in_three_days(deps)
    clock.set(WEDNESDAY)
    (due,) = await reminders.due_now(deps)
    await reminders.snooze(deps, actor(SOO_ONE), due.key, WEDNESDAY + timedelta(days=1))
    assert await reminders.due_now(deps) == []
    clock.advance(timedelta(days=1, minutes=1))
    assert [r.key for r in await reminders.due_now(deps)] == [due.key]

    messenger = FakeMessenger({user_key(COORDINATOR.aad_object_id)})  # the SOO has not installed the app
    runner = ReminderRunner(deps, messenger, "a")  # type: ignore[arg-type]
    for _ in range(3):
        assert await runner.run_once() == 0
        clock.advance(timedelta(minutes=3))
    reports = [t for t in texts(messenger) if "cannot reach someone" in t]
    assert len(reports) == 1 and "Alex Renshaw" in reports[0]
