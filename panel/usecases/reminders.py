"""Reminders due now, their claims, deliveries and snoozes: the use cases the scheduler calls."""

from __future__ import annotations

from datetime import datetime, timedelta

from panel.errors import ConcurrencyConflict, NotOnRoster, NotPermitted, ValidationFailed
from panel.reminders import (
    SNOOZE_CHOICES,
    Reminder,
    SnoozeChoice,
    due_reminders,
    kind_of,
    series_after,
    snooze_until,
)
from panel.roles import Actor
from panel.sitting import SittingStatus
from panel.usecases.deps import Deps, once

MAX_SNOOZE = timedelta(days=60)
MAX_KEY = 300
NOT_YOURS = "That reminder is not one of yours, so it was not snoozed."


async def due_now(deps: Deps) -> list[Reminder]:
    """Reminders due at this moment that have not been sent and are not snoozed."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        cases = await uow.cases.find()
        sittings = [s for s in await uow.sittings.find() if s.status is not SittingStatus.ENDED]
        roster = await uow.roster.all()
        learning = await uow.learning.all()
        due = due_reminders(now, cases, sittings, roster, deps.config.reminders, learning)
        states = await uow.reminders.states([r.key for r in due])
    return [
        r
        for r in due
        if not (
            (state := states.get(r.key)) is not None
            and (state.sent_at is not None or (state.snoozed_until is not None and state.snoozed_until > now))
        )
    ]


async def claim(deps: Deps, reminder: Reminder, owner: str, lease: timedelta) -> bool:
    """Claim a reminder for sending; False if another instance holds it or it was sent."""
    now = deps.clock.now()
    try:
        async with deps.uow() as uow:
            uow.reminders.claim(reminder.key, owner, now + lease, now, reminder.recipient_id)
            await uow.commit()
    except ConcurrencyConflict:
        return False
    return True


async def mark_sent(deps: Deps, reminder: Reminder, owner: str) -> None:
    """Record the delivery, so nobody sends it again."""
    async with deps.uow() as uow:
        uow.reminders.mark_sent(reminder.key, owner, deps.clock.now())
        await uow.commit()


async def snooze(deps: Deps, actor: Actor, key: str, choice: str, request_key: str | None = None) -> datetime:
    """A person snoozes one of their own reminders, named by the key the bot put on its card, with
    one of the choices that reminder offers. A key the store does not hold for them (another
    person's, or made up) or a choice it does not offer is refused and nothing is kept. "Not again
    before the sitting" silences the rest of that reminder's series too."""
    if not actor.on_roster:
        raise NotOnRoster("You are not on this panel's roster. Ask the case coordinator to add you.")
    if not 0 < len(key) <= MAX_KEY or not key.isascii() or not key.isprintable():
        raise NotPermitted(NOT_YOURS)
    kind = kind_of(key)
    offered = SNOOZE_CHOICES.get(kind, ()) if kind else ()
    if choice not in {c.value for c in offered}:
        raise ValidationFailed("That reminder cannot be snoozed that way.")
    now = deps.clock.now()
    async with deps.uow() as uow:
        await once(uow, request_key)
        state = (await uow.reminders.states([key])).get(key)
        if state is None or state.recipient != actor.actor_id:
            raise NotPermitted(NOT_YOURS)
        sitting_start = None
        if SnoozeChoice(choice) is SnoozeChoice.UNTIL_SITTING:
            sitting_start = (await uow.sittings.get(key.split(":")[1])).starts_at
        until = snooze_until(SnoozeChoice(choice), now, deps.config.reminders, sitting_start)
        if not now < until <= now + MAX_SNOOZE:
            raise ValidationFailed("A reminder can be snoozed for up to 60 days.")
        uow.reminders.snooze(key, until)
        if sitting_start is not None:
            later = await uow.reminders.states(series_after(key))
            for later_key in series_after(key):
                if later_key in later and later[later_key].sent_at is not None:
                    continue
                # Held back as if claimed until the sitting: it is never sent before it starts.
                uow.reminders.claim(later_key, "snoozed", until, now, actor.actor_id)
                uow.reminders.snooze(later_key, until)
        deps.audit(uow, actor, "reminder.snoozed", key)
        await uow.commit()
    return until


async def first_time(deps: Deps, key: str) -> bool:
    """True the first time a one-off event (e.g. 'this person is unreachable') is seen."""
    try:
        async with deps.uow() as uow:
            if await uow.processed.seen(key):
                return False
            uow.processed.mark(key)
            await uow.commit()
    except ConcurrencyConflict:
        return False
    return True
