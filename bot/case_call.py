"""Moving the sitting on in Teams once the agenda has moved: the called SOO's card first, then
everything else that does not depend on it at once, then one record of what was sent.

Where Teams' Bot Connector is far away, each send is a round trip. The sends of one `next` are in
three steps, so the chair waits about two round trips whatever the agenda holds:
1. the disclosures are audited (one commit), then every SOO's card, the case card, the collapsed
   card, the leave card and the in-meeting notification go at once (the SOO's card first);
2. the sitting records it all, and every SOO's card state, in one commit;
3. earlier SOO cards are greyed out and the chair's card refreshed, at once (in the flow).
New messages to one chat keep their order (`bot.send_pace`); chats are independent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot import telemetry
from bot.errors import log_exception
from bot.live_views import LiveViews
from bot.meeting_checks import MeetingChecks
from bot.outgoing import card_message, chat_key, text_message, user_key
from bot.soo_updates import SooDelivery, SooUpdates
from bot.teams.messenger import Messenger
from cards.notices import NoticeView, notice_card
from panel.agenda import CallStatus, Slot
from panel.audit import AuditPurpose
from panel.case import Case
from panel.need_to_know import CASE_ROOM_ROLES
from panel.roster import RosterMember
from panel.sitting import Sitting
from panel.usecases import live_notes
from panel.usecases.access import Disclosure, disclosed_together
from panel.usecases.deps import Deps, SittingNote

logger = logging.getLogger(__name__)


@dataclass
class Moved:
    """The sitting once the turn's sends are recorded, and what is left to tidy."""

    sitting: Sitting
    soos: SooDelivery = field(default_factory=SooDelivery)


class CaseCall:
    """The sends that follow the agenda moving on: call, case card, collapse, leave."""

    def __init__(
        self, deps: Deps, messenger: Messenger, views: LiveViews, soos: SooUpdates, checks: MeetingChecks
    ) -> None:
        self._deps, self._messenger, self._views = deps, messenger, views
        self._soos, self._checks = soos, checks

    async def moved_on(
        self,
        sitting: Sitting,
        closed: Slot | None,
        opened: Slot | None,
        also_collapse: Sequence[Slot] = (),
    ) -> Moved:
        """Send everything the move calls for, the called SOO's card first, and record it: the
        case just closed (and `also_collapse`) shown closed, its SOO asked to leave, the opened
        case's card posted and its SOO called."""
        deps = self._deps
        plan = await self._soos.plan(sitting)
        async with deps.uow() as uow:
            roster = await uow.roster.all()
        cases = plan.cases
        chat = chat_key(sitting.case_room_chat_id) if sitting.case_room_chat_id else None
        case = cases.get(opened.case_id) if opened is not None else None
        soo = case.soo_id if case is not None else None
        # A SOO whose next case is being called stays: never "please leave" after "join now".
        leaving = leaving_soo(sitting, closed, cases, staying=soo)
        disclosures = plan.disclosures()
        if chat and case is not None:
            disclosures.append(Disclosure("case.posted", AuditPurpose.LIVE_SITTING, chat, (case.reference,)))
        if soo is not None and case is not None:
            disclosures.append(Disclosure("case.called", AuditPurpose.LIVE_SITTING, soo, (case.reference,)))
        await disclosed_together(deps, disclosures)

        soo_sends = self._soos.start(sitting, plan)  # the call is on its way before anything else
        lanes: dict[str, Any] = {}
        if closed is not None and chat and closed.case_card_message_id:
            lanes["collapsed"] = self._collapse(sitting, closed, cases.get(closed.case_id), chat)
        for number, slot in enumerate(also_collapse if chat else ()):
            lanes[f"collapsed-{number}"] = self._collapse(sitting, slot, cases.get(slot.case_id), str(chat))
        if leaving is not None and closed is not None:
            lanes["leave"] = self._leave_card(leaving, closed.case_reference)
        if opened is not None and case is not None and chat:
            lanes["case_card"] = self._post_case(sitting, opened, case, chat, roster)
        if soo is not None and opened is not None:
            if soo not in sitting.waiting:
                lanes["waiting"] = self._checks.in_waiting_room(sitting, soo)
            lanes["notified"] = self._checks.notify(sitting, soo)
        try:
            results = dict(zip(lanes, await asyncio.gather(*lanes.values()), strict=True))
        except BaseException:
            await self._keep_what_was_sent(await soo_sends)
            raise
        delivery = await soo_sends

        notes: list[SittingNote] = []
        if results.get("case_card") and opened is not None:
            notes.append(live_notes.messages_note(case_card=(opened.slot_id, results["case_card"])))
        if results.get("leave") and leaving is not None:
            notes.append(live_notes.asked_to_leave_note(leaving, deps.clock.now(), again=False))
        if results.get("waiting") and soo is not None:
            active = {m.aad_object_id for m in roster if m.active}
            notes.append(live_notes.presence_note(active, [soo], [], deps.clock.now()))
        if soo is not None and opened is not None:
            notes.append(self._call(opened, soo, delivery, results.get("notified")))
        if not notes and not delivery.states:
            return Moved(sitting, delivery)
        try:
            recorded = await deps.note_on_sitting(sitting.sitting_id, notes, delivery.remember)
        except Exception:
            await self._keep_what_was_sent(delivery)
            raise
        return Moved(recorded, delivery)

    async def _keep_what_was_sent(self, delivery: SooDelivery) -> None:
        """The turn failed after its sends: each SOO's new card is still remembered and the ones it
        replaced greyed out, so the next sync neither notifies them again nor leaves a stale "join
        now" button (the failure itself is the caller's to report)."""
        try:
            if delivery.states:
                async with self._deps.uow() as uow:
                    delivery.remember(uow)
                    await uow.commit()
            await self._soos.tidy(delivery)
        except Exception as error:  # the store or Teams is failing too: the turn's error stands
            log_exception("soo.states_not_kept", error)

    def _call(self, slot: Slot, soo: str, delivery: SooDelivery, notified: bool | None) -> SittingNote:
        """The 1:1 card is the call; the in-meeting notification is a best-effort extra."""
        delivered = delivery.delivered.get(soo, False)
        if delivered and (waited := telemetry.since_turn_ms()) is not None:
            telemetry.CALL_MS.record(waited)  # from the chair's next to the SOO's call sent
        logger.info("soo.called slot=%s delivered=%s notified=%s", slot.slot_id, delivered, notified)
        status = CallStatus.CALLED if delivered else CallStatus.UNREACHABLE
        return live_notes.call_note(slot.slot_id, soo, status, notification_failed=notified is False)

    async def _collapse(self, sitting: Sitting, slot: Slot, case: Case | None, chat: str) -> bool:
        """The finished case's card, shown closed."""
        if case is None or not slot.case_card_message_id:
            return False
        content = await self._views.case_card_for(sitting, slot, case, None)
        return await self._messenger.update(chat, slot.case_card_message_id, card_message(content))

    async def _post_case(
        self, sitting: Sitting, slot: Slot, case: Case, chat: str, roster: list[RosterMember]
    ) -> str | None:
        """The case card in the case-room chat, then (after it) how many on the panel declared a
        conflict: how many, never who, as the chat is read by everyone in it."""
        message_id = await self._messenger.post(
            chat, card_message(await self._views.case_card_for(sitting, slot, case, None))
        )
        in_room = {m.aad_object_id for m in roster if m.active and m.roles & CASE_ROOM_ROLES}
        declared = sum(1 for d in case.declared_conflicts if d.person_id in in_room)
        if declared:
            people = "1 person on the panel has" if declared == 1 else f"{declared} people on the panel have"
            await self._messenger.post(
                chat,
                text_message(
                    f"{people} declared a conflict of interest for case {case.reference}. "
                    "The chair's view of the sitting card says who; they should step out now."
                ),
            )
        return message_id

    async def _leave_card(self, soo: str, reference: str | None) -> str | None:
        """Ask a SOO whose case is over to leave the case room (1:1)."""
        return await self.leave_card(self._messenger, soo, reference)

    @staticmethod
    async def leave_card(messenger: Messenger, soo: str, reference: str | None) -> str | None:
        """The 1:1 card asking a SOO to leave the case room now (again, without a reference)."""
        what = f"with case {reference}" if reference else "with your case"
        return await messenger.post(
            user_key(soo),
            card_message(
                notice_card(
                    NoticeView(
                        f"The panel has finished {what}: please leave the case room now",
                        (("Why", "the next case is confidential to the panel and its own SOO"),),
                    )
                )
            ),
        )


def leaving_soo(
    sitting: Sitting, closed: Slot | None, cases: dict[str, Case], *, staying: str | None
) -> str | None:
    """The SOO of the case just finished, if they are still in the case room and are not the SOO
    of the case now called (their own next case: they stay)."""
    case = cases.get(closed.case_id) if closed is not None else None
    soo = case.soo_id if case is not None else None
    if soo is None or soo == staying or soo not in sitting.in_case_room:
        return None
    return soo
