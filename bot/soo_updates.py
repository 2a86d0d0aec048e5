"""Keeps one message per SOO per live sitting in step with the agenda: a new message (Teams
notifies) when there is news for them, the same message edited when only times move, and the
earlier message greyed out so no stale "join now" button is left to press.

A turn that calls a SOO in does this in steps (`plan`, then `deliver` beside its other sends, then
`tidy`), so the called SOO's card leaves first and nothing waits on anything it does not need."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from bot.outgoing import card_message, user_key
from bot.teams.messenger import Messenger
from cards.soo_card import SooCardView, soo_card, superseded_card
from panel.audit import AuditPurpose
from panel.case import Case
from panel.ports import UnitOfWork
from panel.sitting import Sitting, SittingStatus
from panel.soo_status import SooStatus, Urgency, soo_statuses
from panel.usecases.access import Disclosure, disclosed_together
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)


def _state_key(sitting_id: str, soo_id: str) -> str:
    return f"soo-card:{sitting_id}:{soo_id}"


@dataclass(frozen=True)
class SooSend:
    """One SOO's card as it should now be, and what they were shown before."""

    status: SooStatus
    content: dict[str, Any]
    digest: str
    news: bool  # a new message (Teams notifies), not an edit
    shown_id: str | None  # the message they have now
    shown_headline: str


@dataclass
class SooPlan:
    """The SOOs whose card changes, and every case on the agenda (read once for the turn)."""

    sitting_id: str
    sends: list[SooSend]
    cases: dict[str, Case]

    def disclosures(self) -> list[Disclosure]:
        """A new card names the SOO's cases to them: audited before it goes."""
        return [
            Disclosure(
                "soo.status_sent",
                AuditPurpose.LIVE_SITTING,
                send.status.soo_id,
                tuple(line.reference for line in send.status.lines),
            )
            for send in self.sends
            if send.news or send.shown_id is None
        ]


@dataclass
class SooDelivery:
    """What reached whom; the state to remember; earlier messages still to grey out."""

    delivered: dict[str, bool] = field(default_factory=dict)
    states: dict[str, dict[str, object]] = field(default_factory=dict)
    superseded: list[tuple[str, str, str]] = field(default_factory=list)  # address, message, headline

    def remember(self, uow: UnitOfWork) -> None:
        """Stage the message each SOO now has, with what it showed."""
        for key, state in self.states.items():
            uow.addresses.put(key, state)


class SooUpdates:
    """Each SOO's card for the live sitting."""

    def __init__(self, deps: Deps, messenger: Messenger) -> None:
        self._deps, self._messenger = deps, messenger

    async def sync(self, sitting: Sitting) -> dict[str, bool]:
        """Bring every SOO's card for this sitting up to date; for each SOO whose card changed,
        whether it reached them."""
        plan = await self.plan(sitting)
        await disclosed_together(self._deps, plan.disclosures())
        delivery = await self.deliver(sitting, plan)
        if delivery.states:
            async with self._deps.uow() as uow:
                delivery.remember(uow)
                await uow.commit()
        await self.tidy(delivery)
        return delivery.delivered

    async def plan(self, sitting: Sitting) -> SooPlan:
        """Each SOO's card as it should be now, against what they were last shown."""
        now = self._deps.clock.now()
        async with self._deps.uow() as uow:
            # One read for the agenda's cases (each a request on Cosmos DB if read one by one).
            cases: dict[str, Case] = {
                c.case_id: c for c in await uow.cases.with_ids({s.case_id for s in sitting.slots})
            }
            statuses = soo_statuses(sitting, cases, now)
            states = await uow.addresses.get_many(_state_key(sitting.sitting_id, soo) for soo in statuses)
        shown = {soo: states.get(_state_key(sitting.sitting_id, soo)) for soo in statuses}
        sends = [
            send
            for soo, status in statuses.items()
            if (send := _send_for(sitting, status, shown.get(soo))) is not None
        ]
        sends.sort(key=lambda send: -send.status.urgency)  # the called SOO's card goes first
        return SooPlan(sitting.sitting_id, sends, cases)

    async def deliver(self, sitting: Sitting, plan: SooPlan) -> SooDelivery:
        """Send every planned card at once (each SOO's own chat); nothing is written here."""
        return await self.start(sitting, plan)

    def start(self, sitting: Sitting, plan: SooPlan) -> asyncio.Future[SooDelivery]:
        """Start every planned send now, the most urgent first, before the caller starts anything
        else: each task reaches Teams' connector before yielding, in the order started."""
        delivery = SooDelivery()
        sends = [asyncio.ensure_future(self._deliver_one(sitting, send, delivery)) for send in plan.sends]

        async def delivered() -> SooDelivery:
            await asyncio.gather(*sends)
            return delivery

        return asyncio.ensure_future(delivered())

    async def tidy(self, delivery: SooDelivery) -> None:
        """Grey out the messages new ones replaced, all at once."""
        await asyncio.gather(
            *(
                self._messenger.update(address, message_id, card_message(superseded_card(headline)))
                for address, message_id, headline in delivery.superseded
            )
        )

    async def _deliver_one(self, sitting: Sitting, send: SooSend, delivery: SooDelivery) -> None:
        status = send.status
        address = user_key(status.soo_id)
        message_id = send.shown_id
        if send.news or message_id is None:
            new_id = await self._messenger.post(address, card_message(send.content))
            if new_id is None:
                delivery.delivered[status.soo_id] = False
                return
            if message_id is not None:
                delivery.superseded.append((address, message_id, send.shown_headline))
            message_id = new_id
        elif not await self._messenger.update(address, message_id, card_message(send.content)):
            delivery.delivered[status.soo_id] = False
            return
        delivery.delivered[status.soo_id] = True
        delivery.states[_state_key(sitting.sitting_id, status.soo_id)] = {
            "id": message_id,
            "urgency": int(status.urgency),
            "headline": status.headline,
            "shown": send.digest,
        }
        logger.info(
            "soo.status sitting=%s soo=%s urgency=%s new=%s",
            sitting.sitting_id,
            status.soo_id,
            int(status.urgency),
            send.news,
        )


def _send_for(sitting: Sitting, status: SooStatus, before: dict[str, object] | None) -> SooSend | None:
    """The card this SOO should have, or None when what they were shown already says it."""
    view = SooCardView(
        status.headline,
        tuple((line.reference, line.status) for line in status.lines),
        status.called_reference,
        status.called_minutes,
        sitting.case_room_link,
    )
    content = soo_card(view)
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    if before is not None and before.get("shown") == digest:
        return None
    old_urgency = int(str(before.get("urgency", 0))) if before else -1
    old_headline = str(before.get("headline", "")) if before else ""
    news = (
        before is None
        or status.urgency > old_urgency
        # Called, then sent back to wait (deferred), or the sitting ended: tell them.
        or (old_urgency == Urgency.CALLED and status.headline != old_headline)
        or (sitting.status is SittingStatus.ENDED and status.headline != old_headline)
    )
    shown_id = str(before["id"]) if before and before.get("id") else None
    return SooSend(status, content, digest, news, shown_id, old_headline)
