"""The live sitting in Teams: the control card, case cards, calling SOOs, presence, the timer.

Every chair command, however it arrives (typed, a card button, a fallback submit), comes here as
one call; each calls one use case and then brings the cards in the case-room chat up to date.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.case_call import CaseCall, Moved
from bot.live_views import LiveViews
from bot.meeting_checks import MeetingChecks
from bot.outgoing import card_message, chat_key, meeting_key, teams_id_key, text_message
from bot.sitting_copies import SittingCopies
from bot.soo_updates import SooUpdates
from bot.teams.meeting_api import MeetingApi
from bot.teams.messenger import Messenger
from cards.notices import NoticeView, notice_card
from panel.case import Case
from panel.clock import to_london
from panel.errors import InvalidTransition, RoomNotClear
from panel.need_to_know import CASE_ROOM_ROLES, outsiders
from panel.roles import Actor, Permission, Role
from panel.sitting import Sitting, SittingStatus
from panel.usecases import feedback, live, live_notes
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
SOO_SYNC_EVERY = timedelta(minutes=1)
LEAVE_AGAIN_AFTER = timedelta(minutes=1)
NO_SITTING = (
    "There is no sitting today. The case coordinator creates sittings by saying **sittings** in "
    "their chat with me."
)


@dataclass(frozen=True)
class Outcome:
    """What to tell the person who gave the command, if anything beyond the card updates."""

    reply: str | None = None


class SittingFlow:
    """Runs the live sitting's side effects in Teams."""

    def __init__(
        self,
        deps: Deps,
        messenger: Messenger,
        meetings: MeetingApi,
        public_url: str,
        views: LiveViews | None = None,
    ) -> None:
        self._deps, self._messenger, self._meetings = deps, messenger, meetings
        self.views = views or LiveViews(deps)
        self._public_url = public_url.rstrip("/")
        self._shown: dict[str, str] = {}  # control message id -> the card last sent to it
        self._copies = SittingCopies(deps, messenger)
        self.soos = SooUpdates(deps, messenger)
        self._checks = MeetingChecks(messenger, meetings, public_url)
        self._moves = CaseCall(deps, messenger, self.views, self.soos, self._checks)
        self._soos_synced_at: datetime | None = None

    # --- chair commands ---------------------------------------------------------------------

    async def start(
        self, actor: Actor, chat_id: str, in_group: bool, key: str | None, meeting_id: str | None = None
    ) -> Outcome:
        """Open today's sitting in this chat and post its control card (said in the case-room
        meeting's chat, the meeting is noted so the bot knows who is in the room)."""
        actor.require(Permission.RUN_SITTING)
        if not in_group:
            return Outcome("Start the sitting in the case-room chat, so the panel sees the control card.")
        sitting = await live.todays_sitting(self._deps, or_ended=True)
        if sitting is None:
            return Outcome(NO_SITTING)
        if sitting.status is SittingStatus.ENDED:
            ended = f"{to_london(sitting.ended_at):%H:%M}" if sitting.ended_at else "earlier"
            return Outcome(f"Today's sitting ended at {ended}; its summary is in the case-room chat.")
        if sitting.status is SittingStatus.LIVE:
            return Outcome(
                "The sitting is already live; its control card is in this chat (say **sitting** to post "
                "it again at the bottom)."
            )
        result = await live.start_sitting(self._deps, actor, sitting.sitting_id, chat_id, key, meeting_id)
        # Each SOO hears the sitting has started while the control card is posted and the chats'
        # members are checked.
        soos = asyncio.ensure_future(self.soos.sync(result.sitting))
        try:
            message_id = await self._messenger.post(
                chat_key(chat_id), card_message(await self.views.sitting_card(result.sitting, None))
            )
            if message_id:
                started = await live_notes.note_messages(
                    self._deps, sitting.sitting_id, control_message_id=message_id
                )
                started = await self.check_rooms(started)
                await self.refresh(started)
        finally:
            await soos  # never left running unwatched, even when the chat's card failed
        return Outcome()

    async def next(
        self, actor: Actor, key: str | None, seen_slot: str | None = None, *, anyway: bool = False
    ) -> Outcome:
        """Close the case being heard, and call the next SOO in if the case room is right for
        their case; if not, say why (never who, in the chat) and wait for the chair."""
        sitting, confirmed = await self._confirm_case_room(await self._live())
        # Said when Teams could not be asked: the chair knows to trust their own eyes instead.
        unconfirmed = "" if confirmed else UNCONFIRMED_ROOM
        try:
            result = await live.next_case(
                self._deps, actor, sitting.sitting_id, key, seen_slot, anyway=anyway
            )
        except RoomNotClear as held:
            raise RoomNotClear(held.message + unconfirmed) from None
        opened = result.opened if result.held is None else None
        moved = await self._moves.moved_on(result.sitting, result.closed, opened)
        closed = result.closed.case_id if result.closed is not None else None
        # The SOO whose slot closed is asked for feedback beside the other sends, not after them.
        sitting, _ = await asyncio.gather(
            self._after_move(moved), feedback.ask_after(self._deps, result.sitting, closed, ended=False)
        )
        if result.held is not None:
            upcoming = sitting.next_waiting()
            waiting = f"Case {upcoming.case_reference}" if upcoming else "The next case"
            return Outcome(
                f"{result.held.in_words()} {waiting} is not called yet: "
                f"wait until they have left, then say **next**; or say **next anyway**.{unconfirmed}"
            )
        if result.opened is None:
            return Outcome("That was the last case on the agenda. Say **end** to close the sitting.")
        return Outcome()

    async def extend(
        self, actor: Actor, minutes: int, key: str | None, seen_slot: str | None = None
    ) -> Outcome:
        """More minutes for the case being heard."""
        sitting = await self._live()
        result = await live.extend_slot(self._deps, actor, sitting.sitting_id, minutes, key, seen_slot)
        await asyncio.gather(self.refresh(result.sitting), self.soos.sync(result.sitting))
        current = result.sitting.current
        timed = next((t for t in result.schedule.slots if current is not None and t.slot is current), None)
        if current is None or timed is None:
            return Outcome()
        return Outcome(
            f"+{minutes} min for case {current.case_reference}: it now ends at {to_london(timed.end):%H:%M}; "
            f"projected finish {to_london(result.schedule.projected_finish):%H:%M}."
        )

    async def defer(self, actor: Actor, key: str | None, seen_slot: str | None = None) -> Outcome:
        """Send the case being called to the end of the agenda."""
        sitting = await self._live()
        result = await live.defer_current(self._deps, actor, sitting.sitting_id, key, seen_slot)
        await self._after_move(await self._moves.moved_on(result.sitting, result.closed, None))
        if result.closed is None:
            return Outcome()
        dropped = (
            f" Its extra {result.dropped_minutes} min were for this hearing and are not carried: it "
            f"will have its {result.closed.minutes} min slot when it is called again."
            if result.dropped_minutes
            else ""
        )
        return Outcome(
            f"Case {result.closed.case_reference} moved to the end of the agenda.{dropped} "
            "Say **next** to call the next case."
        )

    async def end(self, actor: Actor, key: str | None) -> Outcome:
        """Close the sitting and replace the control card with its summary."""
        sitting = await self._live()
        result = await live.end_sitting(self._deps, actor, sitting.sitting_id, key)
        # Each SOO hears what happened to their cases; a case deferred earlier whose card is in the
        # chat has it say "not reached" now.
        deferred = [slot for slot in result.sitting.not_reached() if slot.case_card_message_id]
        moved = await self._moves.moved_on(result.sitting, result.closed, None, also_collapse=deferred)
        closed = result.closed.case_id if result.closed is not None else None
        await asyncio.gather(
            self._after_move(moved), feedback.ask_after(self._deps, result.sitting, closed, ended=True)
        )
        return Outcome("The sitting has ended. Its summary has replaced the control card above.")

    async def agenda_card(self, actor: Actor, private: bool) -> dict[str, Any] | None:
        """Today's sitting card (its summary once it has ended): in a private chat, as this person
        may see it; in a group chat, the card the chat may hold (each person's view is fetched)."""
        sitting = await live.todays_sitting(self._deps, or_ended=True)
        if sitting is None:
            return None
        if not private:
            return await self.views.sitting_card(sitting, None)
        # The copy it becomes in their chat is recorded after it is sent: its registry is read now.
        card, _ = await asyncio.gather(
            self.views.recorded_sitting_card(sitting, actor), self._copies.prefetch(sitting.sitting_id)
        )
        return card

    async def copy_sent(self, actor: Actor, chat: str, message_id: str) -> None:
        """Remember a copy of today's sitting card sent to someone's own chat, so that it is kept up
        to date with the chat's card (a copy left saying "Live" after the end misleads its reader)."""
        sitting = await live.todays_sitting(self._deps, or_ended=True)
        if sitting is not None and message_id:
            await self._copies.record(sitting.sitting_id, actor.actor_id, chat, message_id)

    async def repost(self, conversation_id: str) -> str:
        """`sitting` in the case-room chat: the sitting card, and the card of the case being heard,
        posted again at the bottom of the chat (where a member who joined late, or whose client
        lost the chat's history, can open their own view); the old copies say where they went."""
        sitting = await live.todays_sitting(self._deps, or_ended=True)
        if sitting is None:
            return "There is no sitting today."
        if sitting.case_room_chat_id is None:
            return (
                "The sitting card is posted in the case-room chat when the chair says **start**; until "
                "then, say **agenda** in your own chat with me."
            )
        if sitting.case_room_chat_id != conversation_id:
            return "This is not the case-room chat: the sitting's cards are posted there."
        chat = chat_key(conversation_id)
        moved = card_message(notice_card(NoticeView("This card has moved", (("Where", "Further down"),))))
        old_control = sitting.control_message_id
        posted = await self._post_control(sitting, chat, await self.views.sitting_card(sitting, None))
        if posted is None:
            return "I could not post the sitting card just now; please try again in a moment."
        sitting = posted
        if old_control:
            await self._messenger.update(chat, old_control, moved)
        current = sitting.current
        if current is not None:
            async with self._deps.uow() as uow:
                case = await uow.cases.get(current.case_id)
            card = await self.views.case_card_for(sitting, current, case, None)
            new_case = await self._messenger.post(chat, card_message(card))
            if new_case is not None:
                if current.case_card_message_id:
                    await self._messenger.update(chat, current.case_card_message_id, moved)
                await live_notes.note_messages(
                    self._deps, sitting.sitting_id, case_card=(current.slot_id, new_case)
                )
        logger.info("sitting.reposted sitting=%s", sitting.sitting_id)
        return (
            "The sitting's cards are just above: press **Show me the details** on the sitting card and "
            "**Show me the case** on the case card for your own view."
        )

    async def flag_message(self, conversation_id: str, meeting_id: str | None, actor_id: str) -> str | None:
        """A message in a group chat should be deleted: if the chat is one of today's sitting's
        rooms, the chair's view says who should delete it and when it was posted. Which room, if any."""
        sitting = await live.todays_sitting(self._deps)
        if sitting is None:
            return None
        if sitting.case_room_chat_id and sitting.case_room_chat_id == conversation_id:
            room = "case-room"
        elif meeting_id and meeting_id in {sitting.waiting_room_meeting_id, sitting.case_room_meeting_id}:
            room = "waiting-room" if meeting_id == sitting.waiting_room_meeting_id else "case-room"
        else:
            return None
        flagged = await live_notes.note_flagged_message(self._deps, sitting.sitting_id, actor_id, room)
        await self.refresh(flagged)
        return room

    async def agenda_in_group(self) -> str:
        """`agenda` in a group chat: where the one sitting card is, rather than a copy that would
        go stale (the chat's members see the details through their own view of it)."""
        sitting = await live.todays_sitting(self._deps, or_ended=True)
        if sitting is None:
            return "There is no sitting today."
        if sitting.control_message_id:
            # Not "above": a member who joined late, or whose client lost the chat's history, sees
            # nothing there, so say how to bring it back.
            return (
                "Today's sitting card is in this chat: press **Show me the details** on it for your own "
                "view of the agenda. Cannot find it? Say **sitting** to post it again at the bottom, or "
                "**agenda** in your own chat with me."
            )
        start = to_london(sitting.starts_at)
        return (
            f"Today's sitting starts at {start:%H:%M} with {len(sitting.slots)} cases; its card is posted "
            "here when the chair says **start**. Say **agenda** in your own chat with me to see it now."
        )

    async def card_for(self, actor: Actor) -> dict[str, Any] | None:
        """The sitting card as this person should see it (buttons only for the chair and deputy)."""
        sitting = await live.todays_sitting(self._deps, or_ended=True)
        if sitting is None:
            return None
        return await self.views.recorded_sitting_card(sitting, actor)

    async def check_rooms(self, sitting: Sitting) -> Sitting:
        """Read both rooms' chat members from Teams and note who should not be there: in the case
        room, anyone not on the panel (last month's SOOs, guests); in the waiting room, anyone not
        on the roster at all. Only the chair's view names them."""
        async with self._deps.uow() as uow:
            roster = await uow.roster.all()
        results: list[list[str] | None] = []
        for key, roles in (
            (chat_key(sitting.case_room_chat_id) if sitting.case_room_chat_id else None, CASE_ROOM_ROLES),
            (
                meeting_key(sitting.waiting_room_meeting_id) if sitting.waiting_room_meeting_id else None,
                frozenset(Role),
            ),
        ):
            members = await self._messenger.members(key) if key else None
            for member, teams_id in members or []:
                if member.aad_object_id and teams_id:
                    self.views.learn_teams_id(member.aad_object_id, teams_id)
            results.append(outsiders([m for m, _ in members], roster, roles) if members is not None else None)
        logger.info(
            "sitting.rooms_checked case_room=%s waiting_room=%s",
            "unknown" if results[0] is None else len(results[0]),
            "unknown" if results[1] is None else len(results[1]),
        )
        return await live_notes.note_room_check(self._deps, sitting.sitting_id, results[0], results[1])

    # --- keeping the case-room chat current -------------------------------------------------

    async def refresh(self, sitting: Sitting) -> None:
        """Update the control card in place (the summary, once the sitting has ended), and every
        copy of it in people's own chats."""
        copies = await self._copies.of(sitting.sitting_id)
        # Teams fetches each person's own view only when the message is edited, so the card is
        # edited whenever any view of it would change (who is waiting, time left), not only the
        # chat's own text: the fullest view, the chair's, stands for them all. Every view comes
        # from one read of the roster and the cases.
        content, fullest, *own = await self.views.sitting_cards(
            sitting, [None, VIEW_PROBE], owners=[copy["aad"] for copy in copies]
        )
        await asyncio.gather(
            self._copies.update(copies, own, self._shown), self._update_control(sitting, content, fullest)
        )

    async def _update_control(
        self, sitting: Sitting, content: dict[str, Any], fullest: dict[str, Any]
    ) -> None:
        """The control card in the case-room chat, edited when any view of it would change."""
        if not sitting.case_room_chat_id or not sitting.control_message_id:
            return
        rendered = json.dumps([content, fullest], sort_keys=True)
        if self._shown.get(sitting.control_message_id) == rendered:
            return  # the timer ticks often; only send what changed
        chat = chat_key(sitting.case_room_chat_id)
        if await self._messenger.update(chat, sitting.control_message_id, card_message(content)):
            self._shown[sitting.control_message_id] = rendered
        elif self._messenger.gone(sitting.control_message_id):
            # The chat no longer has the card (deleted, or the client lost its history): the panel
            # must still see the sitting, so it is posted again and the new one kept up to date.
            reposted = await self._post_control(sitting, chat, content)
            if reposted is not None and reposted.control_message_id:
                self._shown[reposted.control_message_id] = rendered
                logger.info("sitting.control_reposted sitting=%s", sitting.sitting_id)

    async def _post_control(self, sitting: Sitting, chat: str, content: dict[str, Any]) -> Sitting | None:
        """Post the sitting card anew in the case-room chat and keep the new one as the card that is
        updated in place; None if it could not be posted."""
        message_id = await self._messenger.post(chat, card_message(content))
        if message_id is None:
            return None
        return await live_notes.note_messages(self._deps, sitting.sitting_id, control_message_id=message_id)

    async def presence(
        self,
        meeting_id: str,
        joined: list[str],
        left: list[str],
        teams_ids: dict[str, str],
        everyone_left: bool = False,
    ) -> None:
        """Teams says people joined or left the waiting room: remember their Teams ids, update the card."""
        async with self._deps.uow() as uow:
            for aad, teams_id in teams_ids.items():
                uow.addresses.put(teams_id_key(aad), {"id": teams_id})
            await uow.commit()
        sitting = await live_notes.record_presence(self._deps, meeting_id, joined, left, everyone_left)
        if sitting is not None:
            await self.refresh(sitting)

    async def case_room_presence(
        self,
        meeting_id: str | None,
        chat_id: str | None,
        joined: list[str],
        left: list[str],
        everyone_left: bool = False,
    ) -> None:
        """Teams says people joined or left the case-room meeting: keep who is in the room, and
        tell the chat (without a name) the moment it stops, or starts again, being right."""
        before = await live.live_sitting(self._deps)
        if before is None:
            return
        was = await live.case_room_now(self._deps, before)
        sitting = await live.record_case_room_presence(
            self._deps, meeting_id, chat_id, joined, left, everyone_left
        )
        if sitting is None:
            return
        now = await live.case_room_now(self._deps, sitting)
        if sitting.case_room_chat_id and now.clear != was.clear:
            chat = chat_key(sitting.case_room_chat_id)
            if not now.clear:
                text = f"{now.in_words()} The chair's view says who. Do not continue until they have left."
            elif sitting.current is None and sitting.next_waiting() is not None:
                text = "The case room is clear again: say **next** to call the next case."
            else:
                text = "The case room is clear again."
            await self._messenger.post(chat, text_message(text))
        await self.refresh(sitting)

    async def tick(self) -> None:
        """Every few seconds: warn the chair as a slot ends or overruns, keep time-left current."""
        sitting = await live.live_sitting(self._deps)
        if sitting is None or not sitting.case_room_chat_id:
            return
        chat = chat_key(sitting.case_room_chat_id)
        sitting, alerts = await live.take_timer_alerts(self._deps, sitting.sitting_id)
        for alert in alerts:
            await self._messenger.post(chat, text_message(alert.text))
        await self.refresh(sitting)
        now = self._deps.clock.now()
        if self._soos_synced_at is None or now - self._soos_synced_at >= SOO_SYNC_EVERY:
            # Overruns move the expected times; a SOO's card follows, at most once a minute.
            self._soos_synced_at = now
            await self.soos.sync(sitting)
        await self._remind_to_leave(sitting)

    async def refresh_case_card(self, case: Case) -> None:
        """Show a change to the case being heard (a new action, one done) on its card, in place."""
        sitting = await live.live_sitting(self._deps)
        slot = sitting.slot_for_case(case.case_id) if sitting else None
        if sitting is None or slot is None or not slot.case_card_message_id or not sitting.case_room_chat_id:
            return
        # The chat's card does not change, but editing it makes Teams fetch every person's own
        # view again, so the panel sees the new action at once.
        content = await self.views.case_card_for(sitting, slot, case, None)
        await self._messenger.update(
            chat_key(sitting.case_room_chat_id), slot.case_card_message_id, card_message(content)
        )

    async def live_case_card(
        self, case: Case, note: str, viewer: Actor | None = None
    ) -> dict[str, Any] | None:
        """The card of a case being heard as `viewer` should see it (no viewer: as the chat holds
        it), with a note for the one person who pressed it; None if it is not on a live sitting."""
        sitting = await live.live_sitting(self._deps)
        slot = sitting.slot_for_case(case.case_id) if sitting else None
        if sitting is None or slot is None:
            return None
        return await self.views.case_card_for(sitting, slot, case, viewer, note)

    # --- the case room's door -------------------------------------------------------------

    async def _remind_to_leave(self, sitting: Sitting) -> None:
        now = self._deps.clock.now()
        for soo, asked in list(sitting.asked_to_leave.items()):
            if (
                soo in sitting.in_case_room
                and soo not in sitting.reminded_to_leave
                and now - asked >= LEAVE_AGAIN_AFTER
            ):
                await CaseCall.leave_card(self._messenger, soo, None)
                await live_notes.note_asked_to_leave(self._deps, sitting.sitting_id, soo, again=True)

    async def _confirm_case_room(self, sitting: Sitting) -> tuple[Sitting, bool]:
        """Before a call, ask Teams who is really in the case room (an event may have been missed
        or delayed); anyone Teams says is not in the meeting is taken out of the room. The flag
        says whether Teams answered for everyone the bot believes is there."""
        if not sitting.in_case_room:
            return sitting, True
        checked = await self._checks.still_in_case_room(sitting)
        if checked is None:
            return sitting, False
        gone, answered = checked
        if not gone:
            return sitting, answered
        recorded = await live.record_case_room_presence(
            self._deps, sitting.case_room_meeting_id, None, [], gone
        )
        return recorded or sitting, answered

    # --- inside ----------------------------------------------------------------------------

    async def _after_move(self, moved: Moved) -> Sitting:
        """Grey out the SOO cards new ones replaced and refresh the chair's card, at once."""
        await asyncio.gather(self.soos.tidy(moved.soos), self.refresh(moved.sitting))
        return moved.sitting

    async def _live(self) -> Sitting:
        sitting = await live.live_sitting(self._deps)
        if sitting is None:
            raise InvalidTransition("No sitting is live. Say **start** in the case-room chat first.")
        return sitting


UNCONFIRMED_ROOM = (
    " (Teams could not be asked who is in the meeting: this is from the joins and leaves the bot has seen.)"
)

# Someone who sees everything a sitting card can show (as the chair does), with no declared
# conflicts: only used to tell whether any view has changed, never shown to anyone.
VIEW_PROBE = Actor("system:view-probe", frozenset({Role.CHAIR}))
