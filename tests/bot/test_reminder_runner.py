"""The scheduler sends each reminder once: two instances on one database, a crash between claim and
send, catch-up after downtime, someone unreachable. The messenger is a hand-written fake."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from botbuilder.schema import Activity

from bot.outgoing import Outgoing, user_key
from bot.reminder_runner import ReminderRunner
from cli.demo_data import ADMINISTRATOR, COORDINATOR, SOO_ONE, SOO_TWO
from panel.actions import OwnerRole
from panel.clock import FixedClock
from panel.errors import NotPermitted, ValidationFailed
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


def shown(message: Outgoing) -> str:
    """What a message shows, card or text."""
    return card_text({"attachments": [{"content": message.card}]}) if message.card else str(message.text)


def texts(messenger: FakeMessenger) -> list[str]:
    return [shown(message) for _, message in messenger.sent]


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
    assert f"An action on case {reference} is due soon" in text and "Remind me tomorrow" in text
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
    with pytest.raises(NotPermitted):  # nothing was sent yet: there is nothing of theirs to snooze
        await reminders.snooze(deps, actor(SOO_ONE), due.key, "tomorrow")
    delivered = FakeMessenger({user_key(SOO_ONE.aad_object_id)})
    assert await ReminderRunner(deps, delivered, "a").run_once() == 1  # type: ignore[arg-type]
    with pytest.raises(NotPermitted):  # someone else's reminder
        await reminders.snooze(deps, actor(SOO_TWO), due.key, "tomorrow")
    await reminders.snooze(deps, actor(SOO_ONE), due.key, "tomorrow")
    assert await reminders.due_now(deps) == []
    with pytest.raises(ValidationFailed):  # a choice this reminder does not offer (forged card data)
        await reminders.snooze(deps, actor(SOO_ONE), due.key, "sitting")
    clock.advance(timedelta(days=1, minutes=1))  # "remind me later": it comes back
    assert [r.key for r in await reminders.due_now(deps)] == [due.key]

    messenger = FakeMessenger({user_key(COORDINATOR.aad_object_id)})  # the SOO has not installed the app
    runner = ReminderRunner(deps, messenger, "a")  # type: ignore[arg-type]
    for _ in range(3):
        assert await runner.run_once() == 0
        clock.advance(timedelta(minutes=3))
    reports = [t for t in texts(messenger) if "cannot reach someone" in t]
    assert len(reports) == 1 and "Alex Renshaw" in reports[0]


async def test_when_the_agenda_goes_out_each_panel_member_is_asked_to_check_it_for_conflicts(
    deps: Deps, clock: FixedClock
) -> None:
    from cli.demo_data import MEMBER, SOO_TWO
    from panel.usecases import conflicts
    from tests.panel.helpers import listed, new_sitting

    case, other = await new_case(deps, SOO_ONE), await new_case(deps, SOO_TWO)
    sitting = await new_sitting(deps, day=date(2026, 12, 2))
    await listed(deps, await listed(deps, sitting, case), other)
    await conflicts.declare_conflict(deps, actor(MEMBER), case.reference)
    clock.set(WEDNESDAY)  # a week before the sitting
    messenger = FakeMessenger({user_key(MEMBER.aad_object_id), user_key(COORDINATOR.aad_object_id)})
    await ReminderRunner(deps, messenger, "a").run_once()  # type: ignore[arg-type]
    sent = dict((key, activity) for key, activity in messenger.sent)
    member_card = sent[user_key(MEMBER.aad_object_id)].card
    assert member_card is not None
    member_sees = card_text({"attachments": [{"content": member_card}]})
    assert "check it for conflicts of interest" in member_sees
    assert other.reference in member_sees and case.reference not in member_sees  # declared: left out
    declare = next(a for a in member_card["actions"] if a["type"] == "Action.ShowCard")
    assert declare["card"]["actions"][0]["verb"] == "conflict.declare"
    to_coordinator = [
        shown(message) for key, message in messenger.sent if key == user_key(COORDINATOR.aad_object_id)
    ]
    agenda = next(text for text in to_coordinator if "check it for conflicts" in text)
    assert case.reference in agenda and other.reference in agenda


async def test_not_again_before_the_sitting_silences_the_day_before_reminder_too(
    deps: Deps, clock: FixedClock
) -> None:
    from tests.panel.helpers import listed, new_sitting

    sitting = await new_sitting(deps, day=date(2026, 12, 9))  # a Wednesday, 10:00
    await listed(deps, sitting, await new_case(deps, SOO_ONE))
    clock.set(datetime(2026, 12, 2, 10, 5, tzinfo=UTC))  # a week before
    messenger = FakeMessenger({user_key(SOO_ONE.aad_object_id)})
    runner = ReminderRunner(deps, messenger, "a")  # type: ignore[arg-type]
    await runner.run_once()
    week = f"sitting_week:{sitting.sitting_id}:{SOO_ONE.aad_object_id}"
    assert any("listed for the panel" in t for t in texts(messenger))
    await reminders.snooze(deps, actor(SOO_ONE), week, "sitting")
    clock.set(datetime(2026, 12, 8, 10, 5, tzinfo=UTC))  # the day before
    assert [r.key for r in await reminders.due_now(deps) if r.recipient_id == SOO_ONE.aad_object_id] == []
