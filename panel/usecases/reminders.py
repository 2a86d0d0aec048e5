"""Reminders due now, their claims, deliveries and snoozes: the use cases the scheduler calls."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from datetime import datetime, timedelta

from panel.case import CaseStatus
from panel.clock import to_london
from panel.errors import ConcurrencyConflict, NotFound, NotOnRoster, NotPermitted, ValidationFailed
from panel.reminders import (
    SNOOZE_CHOICES,
    Reminder,
    ReminderKind,
    ReminderPolicy,
    SnoozeChoice,
    case_reminders,
    due_among,
    kind_of,
    next_look,
    series_after,
    shared_reminders,
    snooze_until,
)
from panel.roles import Actor
from panel.roster import RosterMember
from panel.sitting import SittingStatus
from panel.usecases.deps import Deps, once

MAX_SNOOZE = timedelta(days=60)
SLICE = 200  # cases worked out between chances for other turns to run (about 20 ms of work)
MAX_KEY = 300
NOT_YOURS = "That reminder is not one of yours, so it was not snoozed."


async def due_now(deps: Deps) -> list[Reminder]:
    """Reminders due at this moment that have not been sent and are not snoozed.

    The round reads only what may be due: the cases that changed since it last looked or whose
    wake moment has come, the sittings still to come with the cases on their agendas, the roster
    and the learning actions; then it records when each case it read next needs a look. When the
    roster or the reminder settings change (who is reminded, and when), every open case is looked
    at once, since a wake moment worked out before may no longer hold."""
    now = deps.clock.now()
    policy = deps.config.reminders
    async with deps.uow() as uow:
        roster = await uow.roster.all()
        learning = await uow.learning.all()
        upcoming = await uow.sittings.find(on_or_after=to_london(now).date())
        sittings = [s for s in upcoming if s.status is SittingStatus.SCHEDULED]
        sweep = _sweep_key(roster, policy)
        swept = await uow.addresses.get(SWEPT_UNDER)
        looked_at_all = swept is None or swept.get("key") != sweep
        looked = await uow.cases.waking(now)
        if looked_at_all:  # every open case, and the marked ones whatever their status
            marked = {c.case_id for c in looked}
            looked += [c for c in await uow.cases.find(statuses=OPEN) if c.case_id not in marked]
        listed = {slot.case_id for s in sittings for slot in s.slots} - {c.case_id for c in looked}
        on_agenda = await uow.cases.with_ids(listed)
        by_id = {c.case_id: c for c in [*on_agenda, *looked]}
        due = due_among(shared_reminders(now, sittings, by_id, roster, policy, learning), now, policy)
        # Each case's own reminders decide both what is due and when it is next looked at. After a
        # roster or settings change that is every open case (thousands, nationally): worked out a
        # slice at a time, letting other turns in between, so no turn waits behind the round.
        own: dict[str, list[Reminder]] = {}
        keys = {r.key for r in due}
        for start in range(0, len(looked), SLICE):
            for case in looked[start : start + SLICE]:
                own[case.case_id] = case_reminders(case, now, policy, roster, sittings)
                due += due_among(own[case.case_id], now, policy)
                keys.update(r.key for r in own[case.case_id])
            await asyncio.sleep(0)
        due.sort(key=lambda r: (r.due_at, r.key))
        states = await uow.reminders.states(sorted(keys))
    wakes = []
    for start in range(0, len(looked), SLICE):
        wakes += [(c, next_look(own[c.case_id], states, now, policy)) for c in looked[start : start + SLICE]]
        await asyncio.sleep(0)
    async with deps.uow() as uow:
        await uow.cases.set_wakes(wakes)
    if looked_at_all:
        # The roster and settings the stored wake moments now follow (only the current ones count:
        # going back to an earlier roster looks at every case again too).
        async with deps.uow() as uow:
            uow.addresses.put(SWEPT_UNDER, {"key": sweep})
            with contextlib.suppress(ConcurrencyConflict):  # another instance wrote it first
                await uow.commit()
    return [
        r
        for r in due
        if not (
            (state := states.get(r.key)) is not None
            and (state.sent_at is not None or (state.snoozed_until is not None and state.snoozed_until > now))
        )
    ]


OPEN = frozenset(CaseStatus) - {CaseStatus.CLOSED}
SWEPT_UNDER = "reminders:swept-under"
# Reminders about one case: their keys name it second ("action_due:<case id>:A1").
CASE_KINDS = frozenset(
    {
        ReminderKind.ACTION_DUE,
        ReminderKind.ACTION_OVERDUE,
        ReminderKind.APPROVAL_WAITING,
        ReminderKind.NOT_LISTED,
        ReminderKind.NOT_HEARD,
        ReminderKind.ASKED_BACK,
    }
)


def _sweep_key(roster: list[RosterMember], policy: ReminderPolicy) -> str:
    """Names the roster and settings the stored wake moments were worked out under: who is
    reminded (active members and their roles) and when (the policy)."""
    people = sorted(
        f"{m.aad_object_id}:{','.join(sorted(r.value for r in m.roles))}" for m in roster if m.active
    )
    digest = hashlib.sha256(("\n".join(people) + "\n" + repr(policy)).encode("utf-8")).hexdigest()
    return f"reminder-sweep:v1:{digest[:32]}"


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
        if kind in CASE_KINDS:
            # The round looks at a case again only when its wake moment comes; a snooze moves
            # that moment, so the case is marked for the next round to work it out afresh.
            with contextlib.suppress(NotFound):
                uow.cases.save(await uow.cases.get(key.split(":")[1]))
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
