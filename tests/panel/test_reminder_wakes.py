"""The reminder round reads only what may be due: each case carries the moment it next needs a
look (or a mark that it changed), and the round sends exactly what a scan of every case would."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

from cli.demo_data import ADMINISTRATOR, COORDINATOR, DEMO_ROSTER, SOO_ONE, SOO_TWO
from panel.actions import OwnerRole
from panel.clock import FixedClock
from panel.ports import ReminderState
from panel.reminders import ReminderPolicy, due_reminders, next_look
from panel.roles import Actor, Role
from panel.roster import RosterMember
from panel.sitting import SittingStatus
from panel.usecases import actions, reminders
from panel.usecases.actions import ActionForm
from panel.usecases.deps import Deps
from panel.usecases.roster import import_roster
from storage.store import Store
from tests.conftest import actor, member
from tests.panel.helpers import listed, new_case, new_sitting

WEDNESDAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


async def full_scan(deps: Deps) -> list[str]:
    """What the round sent before it kept wake moments: every case and sitting read, every round."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        cases = await uow.cases.find()
        sittings = [s for s in await uow.sittings.find() if s.status is not SittingStatus.ENDED]
        due = due_reminders(
            now, cases, sittings, await uow.roster.all(), deps.config.reminders, await uow.learning.all()
        )
        states = await uow.reminders.states([r.key for r in due])
    return sorted(
        r.key
        for r in due
        if not (
            (s := states.get(r.key)) is not None
            and (s.sent_at is not None or (s.snoozed_until is not None and s.snoozed_until > now))
        )
    )


async def send(deps: Deps) -> list[str]:
    """One round as the scheduler runs it: what is due, claimed and marked sent."""
    due = await reminders.due_now(deps)
    for reminder in due:
        assert await reminders.claim(deps, reminder, "test", timedelta(minutes=5))
        await reminders.mark_sent(deps, reminder, "test")
    return sorted(r.key for r in due)


async def test_after_a_round_only_a_changed_case_is_read_again(deps: Deps, clock: FixedClock) -> None:
    cases = [await new_case(deps, SOO_ONE) for _ in range(6)]
    clock.set(WEDNESDAY)
    await send(deps)
    async with deps.uow() as uow:
        assert await uow.cases.waking(WEDNESDAY + timedelta(minutes=1)) == []  # nothing due, nothing read
    form = ActionForm("SOO to update the victim", OwnerRole.SOO, date(2026, 12, 10))
    await actions.record_action(deps, actor(ADMINISTRATOR), cases[2].reference, form)
    async with deps.uow() as uow:
        woken = await uow.cases.waking(WEDNESDAY + timedelta(minutes=1))
    assert [c.reference for c in woken] == [cases[2].reference]
    await send(deps)
    async with deps.uow() as uow:
        # Its next look is when "due in three days" may go: 7 December, 09:00 London.
        assert await uow.cases.waking(datetime(2026, 12, 7, 8, 59, tzinfo=UTC)) == []
        assert [c.reference for c in await uow.cases.waking(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))] == [
            cases[2].reference
        ]


async def test_a_month_of_rounds_sends_what_a_scan_of_every_case_would(
    deps: Deps, clock: FixedClock, store: Store
) -> None:
    clock.set(WEDNESDAY)
    first, second = await new_case(deps, SOO_ONE), await new_case(deps, SOO_TWO)
    await new_case(deps, SOO_TWO)  # never listed: the coordinator hears of it after 30 days
    for case, due in ((first, date(2026, 11, 30)), (second, date(2026, 12, 9))):
        form = ActionForm("SOO to update the victim", OwnerRole.SOO, due)
        await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)
    sitting = await new_sitting(deps, date(2026, 12, 14))
    await listed(deps, sitting, first)
    step = timedelta(hours=3)
    sent: list[str] = []
    moment = WEDNESDAY
    while moment < WEDNESDAY + timedelta(days=36):
        clock.set(moment)
        if moment == WEDNESDAY + timedelta(days=6):  # the coordinator away for a while, then back
            away = dataclasses.replace(member(COORDINATOR), active=False)
            await import_roster(deps, Actor.operator("test"), [away])
        if moment == WEDNESDAY + timedelta(days=8):
            await import_roster(deps, Actor.operator("test"), [member(COORDINATOR)])
        if moment == WEDNESDAY + timedelta(days=9):  # a new coordinator: the round looks at every case
            newcomer = RosterMember(
                "00000000-0000-4000-8000-0000000000c1", "Ash Newton", frozenset({Role.COORDINATOR})
            )
            await import_roster(deps, Actor.operator("test"), [*map(member, DEMO_ROSTER), newcomer])
        expected = await full_scan(deps)
        assert await send(deps) == expected, moment
        sent += expected
        moment += step
    kinds = {key.split(":", 1)[0] for key in sent}
    # Every kind this world gives rise to was sent, the overdue series more than once.
    assert kinds >= {
        "action_due",
        "action_overdue",
        "sitting_week",
        "sitting_day",
        "agenda_out",
        "not_listed",
    }
    assert sum(key.startswith("action_overdue") for key in sent) >= 4
    assert any(key.endswith("0000000000c1") for key in sent)  # the newcomer is reminded too


def test_the_next_look_is_the_next_moment_anything_may_be_sent() -> None:
    from panel.reminders import Reminder, ReminderKind

    policy = ReminderPolicy()
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

    def reminder(key: str, due: datetime, expires: datetime) -> Reminder:
        return Reminder(key, ReminderKind.ACTION_DUE, "soo", "K7F-2QM", due, expires)

    later = reminder("a", now + timedelta(days=2), now + timedelta(days=5))
    sent = reminder("b", now - timedelta(days=1), now + timedelta(days=3))
    snoozed = reminder("c", now - timedelta(hours=1), now + timedelta(days=9))
    gone = reminder("d", now - timedelta(days=9), now - timedelta(days=1))
    states = {
        "b": ReminderState(sent_at=now - timedelta(days=1), snoozed_until=None),
        "c": ReminderState(sent_at=None, snoozed_until=now + timedelta(days=1)),
    }
    assert next_look([later, gone], states, now, policy) == later.due_at
    assert next_look([sent], states, now, policy) == sent.expires_at  # the series' next begins then
    assert next_look([snoozed, later], states, now, policy) == now + timedelta(days=1)
    assert next_look([gone], states, now, policy) is None
    # Due now but inside quiet hours (21:00 on a Wednesday): looked at again at 07:00.
    night = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
    due = reminder("e", night - timedelta(hours=1), night + timedelta(days=2))
    assert next_look([due], {}, night, policy) == datetime(2026, 11, 26, 7, 0, tzinfo=UTC)


async def test_a_change_saved_while_the_round_records_its_look_is_kept_and_looked_at(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    async with deps.uow() as uow:
        read = await uow.cases.get(case.case_id)
        async with deps.uow() as round_:  # the round records its look between the read and the save
            await round_.cases.set_wakes([(read, WEDNESDAY + timedelta(days=30))])
        read.investigator_changes += 1
        uow.cases.save(read)
        await uow.commit()
    async with deps.uow() as uow:
        assert (await uow.cases.get(case.case_id)).investigator_changes == 1
        # The save marked the case again: the next round looks at it whatever was recorded.
        assert [c.case_id for c in await uow.cases.waking(WEDNESDAY)] == [case.case_id]
        stale = await uow.cases.get(case.case_id)
    stale.version -= 1  # a look worked out from an older version records nothing
    async with deps.uow() as uow:
        await uow.cases.set_wakes([(stale, WEDNESDAY + timedelta(days=30))])
        assert [c.case_id for c in await uow.cases.waking(WEDNESDAY)] == [case.case_id]


async def test_a_snoozed_reminder_comes_back_when_its_snooze_ends(deps: Deps, clock: FixedClock) -> None:
    case = await new_case(deps, SOO_ONE)
    form = ActionForm("SOO to update the victim", OwnerRole.SOO, date(2026, 11, 24))
    await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)
    clock.set(WEDNESDAY)  # the action was due yesterday: overdue
    (overdue,) = [k for k in await send(deps) if k.startswith("action_overdue")]
    await reminders.snooze(deps, actor(SOO_ONE), overdue, "tomorrow")
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    assert overdue in await full_scan(deps)
    assert overdue in await send(deps)  # not a week later with the next of the series
