"""The reminder scheduler: claims what is due, sends it as a 1:1 card, marks it sent. Several app
instances may run it against one store: each reminder goes out once."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot import telemetry
from bot.outgoing import Outgoing, card_message, user_key
from bot.teams.messenger import Messenger
from cards.notices import NoticeView, ReminderView, notice_card, reminder_card
from panel.audit import AuditPurpose
from panel.reminders import SNOOZE_LABELS, Reminder, ReminderKind, SnoozeChoice, snoozes_offered
from panel.roles import Role
from panel.usecases import reminders
from panel.usecases.access import disclosed
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
TITLES = {
    # Dated, not "tomorrow": a reminder may be sent late when the app catches up after downtime.
    ReminderKind.SITTING_WEEK: "{cases} listed for the panel on {sitting}",
    ReminderKind.SITTING_DAY: "{cases} at the panel on {sitting}: last reminder",
    ReminderKind.SLOT_SOON: "Case {ref} is heard in about 15 minutes: join the waiting room",
    ReminderKind.ACTION_DUE: "An action on case {ref} is due soon",
    ReminderKind.ACTION_OVERDUE: "An action on case {ref} is overdue",
    ReminderKind.APPROVAL_WAITING: "The closure of case {ref} is waiting for your approval",
    ReminderKind.NOT_LISTED: "Case {ref} was registered a month ago and is not listed",
    ReminderKind.NOT_HEARD: "Case {ref} has not been heard for 90 days",
    ReminderKind.ASKED_BACK: "The panel asked to see case {ref} again: list it on a sitting",
    ReminderKind.LEARNING_DUE: "A learning action is due soon",
    ReminderKind.LEARNING_OVERDUE: "A learning action is overdue",
    ReminderKind.AGENDA_OUT: (
        "The agenda for the sitting on {sitting} is out: check it for conflicts of interest"
    ),
}
OPENS_THE_CASE = {
    ReminderKind.ASKED_BACK,
    ReminderKind.SITTING_WEEK,
    ReminderKind.SITTING_DAY,
    ReminderKind.ACTION_DUE,
    ReminderKind.ACTION_OVERDUE,
}


class ReminderRunner:
    """One instance's scheduler."""

    def __init__(self, deps: Deps, messenger: Messenger, owner: str) -> None:
        self._deps, self._messenger, self._owner = deps, messenger, owner

    async def run_once(self) -> int:
        """Send every reminder due now that this instance can claim; how many went out."""
        sent = 0
        for reminder in await reminders.due_now(self._deps):
            if not await reminders.claim(self._deps, reminder, self._owner, LEASE):
                continue
            delivered = await self._messenger.post(
                user_key(reminder.recipient_id), _card(reminder, self._snoozes(reminder))
            )
            if delivered is None:
                telemetry.REMINDERS.add(1, {"outcome": "unreachable"})
                # Left claimed: the claim expires and the reminder is tried again later. Nothing
                # was disclosed, so nothing is audited as disclosed.
                await self._report_unreachable(reminder.recipient_id)
                continue
            references = [reminder.case_reference] if reminder.case_reference else list(reminder.references)
            await disclosed(
                self._deps,
                "reminder.sent",
                AuditPurpose.REMINDER,
                reminder.recipient_id,
                references,
                reminder.kind.value,
            )
            await reminders.mark_sent(self._deps, reminder, self._owner)
            logger.info("reminder.sent kind=%s recipient=%s", reminder.kind.value, reminder.recipient_id)
            telemetry.REMINDERS.add(1, {"outcome": "sent", "kind": reminder.kind.value})
            sent += 1
        return sent

    def _snoozes(self, reminder: Reminder) -> tuple[SnoozeChoice, ...]:
        return snoozes_offered(reminder, self._deps.clock.now(), self._deps.config.reminders)

    async def _report_unreachable(self, person: str) -> None:
        """Tell the coordinator, once per person, that the bot cannot reach someone."""
        if not await reminders.first_time(self._deps, f"unreachable:{person}"):
            return
        async with self._deps.uow() as uow:
            roster = await uow.roster.all()
        who = next((m.display_name for m in roster if m.aad_object_id == person), "someone on the roster")
        card = notice_card(
            NoticeView(
                "The bot cannot reach someone on the panel",
                (("Who", who), ("Why", "the app is not installed for them, so reminders cannot reach them")),
            )
        )
        for coordinator in (m for m in roster if m.active and Role.COORDINATOR in m.roles):
            await self._messenger.post(
                user_key(coordinator.aad_object_id),
                card_message(card),
            )
        logger.warning("reminder.unreachable recipient=%s", person)


def _card(reminder: Reminder, offered: tuple[SnoozeChoice, ...]) -> Outgoing:
    own = (reminder.case_reference,) if reminder.case_reference else reminder.references
    cases = f"Case {own[0]} is" if len(own) == 1 else f"Your {len(own)} cases are"
    view = ReminderView(
        key=reminder.key,
        title=TITLES[reminder.kind].format(
            ref=reminder.case_reference, sitting=dict(reminder.facts).get("Sitting", ""), cases=cases
        ),
        facts=reminder.facts,
        cases=own if reminder.kind in OPENS_THE_CASE else (),
        agenda=reminder.references if reminder.kind is ReminderKind.AGENDA_OUT else (),
        snooze=tuple((SNOOZE_LABELS[c], c.value) for c in offered),
    )
    return card_message(reminder_card(view))
