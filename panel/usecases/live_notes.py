"""What the bot and Teams record on a live sitting as it runs: who is in the waiting room, how each
SOO's call went, the messages to update in place, who was asked to leave the case room, the chats'
member checks and flagged messages. Each is a change that commutes with anything (`SittingNote`),
so several can be recorded in one commit."""

from __future__ import annotations

from datetime import datetime

from panel.agenda import CallStatus
from panel.roles import Actor
from panel.sitting import FlaggedMessage, Sitting
from panel.usecases.deps import Deps, SittingNote, always
from panel.usecases.live import todays_sitting


def presence_note(
    roster: set[str], joined: list[str], left: list[str], now: datetime, everyone_left: bool = False
) -> SittingNote:
    """Who joined or left the waiting room, among the roster's active members (nobody else is
    recorded at all)."""

    def change(s: Sitting) -> str:
        for actor_id in joined:
            if actor_id in roster:
                s.joined_waiting_room(actor_id, now)
        for actor_id in list(s.waiting) if everyone_left else left:
            if actor_id in roster:
                s.left_waiting_room(actor_id, now)
        return f"+{len(joined)}-{len(left)}"

    return SittingNote(Actor.system("teams"), "sitting.presence", change)


async def record_presence(
    deps: Deps, meeting_id: str, joined: list[str], left: list[str], everyone_left: bool = False
) -> Sitting | None:
    """Teams says who joined or left a waiting-room meeting (or that it ended, so everyone left):
    mark the roster members among them. People who are not on the roster are not recorded at all."""
    async with deps.uow() as uow:
        sitting = await todays_sitting(deps)
        if sitting is None or sitting.waiting_room_meeting_id != meeting_id:
            return None
        roster = {m.aad_object_id for m in await uow.roster.all() if m.active}
    note = presence_note(roster, joined, left, deps.clock.now(), everyone_left)
    return await deps.note_on_sitting(sitting.sitting_id, [note])


def call_note(slot_id: str, soo_id: str, call: CallStatus, notification_failed: bool = False) -> SittingNote:
    """How calling the slot's SOO went, and whether they were in the waiting room then (once
    called they leave it for the case room, so only the moment of the call tells the chair anything)."""

    def change(s: Sitting) -> str:
        slot = s.slot(slot_id)
        slot.call, slot.notification_failed = call, notification_failed
        slot.soo_was_waiting = soo_id in s.waiting
        return f"{slot_id}:{call.value}"

    return SittingNote(Actor.system("bot"), "sitting.soo_called", change)


async def record_call(
    deps: Deps,
    sitting_id: str,
    slot_id: str,
    soo_id: str,
    call: CallStatus,
    notification_failed: bool = False,
) -> Sitting:
    """Note how calling the slot's SOO went (see `call_note`)."""
    return await deps.note_on_sitting(sitting_id, [call_note(slot_id, soo_id, call, notification_failed)])


def messages_note(
    *, control_message_id: str | None = None, case_card: tuple[str, str] | None = None
) -> SittingNote:
    """The messages the bot posted, remembered to update them in place."""

    def change(s: Sitting) -> str:
        if control_message_id is not None:
            s.control_message_id = control_message_id
        if case_card is not None:
            s.slot(case_card[0]).case_card_message_id = case_card[1]
        return ""

    return SittingNote(Actor.system("bot"), "sitting.messages_noted", change)


async def note_messages(
    deps: Deps,
    sitting_id: str,
    *,
    control_message_id: str | None = None,
    case_card: tuple[str, str] | None = None,
) -> Sitting:
    """Remember the messages the bot posted, to update them in place."""
    note = messages_note(control_message_id=control_message_id, case_card=case_card)
    return await deps.note_on_sitting(sitting_id, [note])


MAX_OUTSIDERS = 20


async def note_room_check(
    deps: Deps, sitting_id: str, case_room: list[str] | None, waiting_room: list[str] | None
) -> Sitting:
    """Remember who the chats' member lists showed that should not be there (None: not checked)."""

    def change(s: Sitting) -> str:
        if case_room is not None:
            s.case_room_outsiders = [name[:80] for name in case_room[:MAX_OUTSIDERS]]
        if waiting_room is not None:
            s.waiting_room_outsiders = [name[:80] for name in waiting_room[:MAX_OUTSIDERS]]
        s.rooms_checked_at = deps.clock.now()
        return f"{len(s.case_room_outsiders)}/{len(s.waiting_room_outsiders)}"

    return await deps.change_sitting(
        Actor.system("bot"), sitting_id, "sitting.rooms_checked", change, applies_while=always
    )


MAX_FLAGGED = 20


async def note_flagged_message(deps: Deps, sitting_id: str, actor_id: str, room: str) -> Sitting:
    """Remember that a message someone posted in one of the sitting's chats should be deleted."""

    def change(s: Sitting) -> str:
        s.to_delete = [*s.to_delete, FlaggedMessage(actor_id, deps.clock.now(), room)][-MAX_FLAGGED:]
        return room

    return await deps.change_sitting(
        Actor.system("bot"), sitting_id, "sitting.message_flagged", change, applies_while=always
    )


def asked_to_leave_note(soo_id: str, now: datetime, *, again: bool) -> SittingNote:
    """A SOO whose case is over was asked to leave the case room (or asked again)."""

    def change(s: Sitting) -> str:
        if again:
            if soo_id not in s.reminded_to_leave:
                s.reminded_to_leave.append(soo_id)
        else:
            s.asked_to_leave[soo_id] = now
            if soo_id in s.reminded_to_leave:
                s.reminded_to_leave.remove(soo_id)
        return "again" if again else "asked"

    return SittingNote(Actor.system("bot"), "sitting.asked_to_leave", change)


async def note_asked_to_leave(deps: Deps, sitting_id: str, soo_id: str, *, again: bool) -> Sitting:
    """Record that a SOO whose case is over was asked to leave the case room (or asked again)."""
    return await deps.note_on_sitting(
        sitting_id, [asked_to_leave_note(soo_id, deps.clock.now(), again=again)]
    )
