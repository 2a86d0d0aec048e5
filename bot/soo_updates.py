"""Keeps one message per SOO per live sitting in step with the agenda: a new message (Teams
notifies) when there is news for them, the same message edited when only times move, and the
earlier message greyed out so no stale "join now" button is left to press."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime

from bot.outgoing import card_message, user_key
from bot.teams.messenger import Messenger
from cards.soo_card import SooCardView, soo_card, superseded_card
from panel.audit import AuditPurpose
from panel.case import Case
from panel.sitting import Sitting, SittingStatus
from panel.soo_status import SooStatus, Urgency, soo_statuses
from panel.usecases.access import disclosed
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)


def _state_key(sitting_id: str, soo_id: str) -> str:
    return f"soo-card:{sitting_id}:{soo_id}"


class SooUpdates:
    """Each SOO's card for the live sitting."""

    def __init__(self, deps: Deps, messenger: Messenger) -> None:
        self._deps, self._messenger = deps, messenger

    async def sync(self, sitting: Sitting) -> dict[str, bool]:
        """Bring every SOO's card for this sitting up to date; for each SOO whose card changed,
        whether it reached them."""
        now = self._deps.clock.now()
        async with self._deps.uow() as uow:
            # One read for the agenda's cases (each a request on Cosmos DB if read one by one).
            cases: dict[str, Case] = {
                c.case_id: c for c in await uow.cases.with_ids({s.case_id for s in sitting.slots})
            }
            statuses = soo_statuses(sitting, cases, now)
            shown = {soo: await uow.addresses.get(_state_key(sitting.sitting_id, soo)) for soo in statuses}
        delivered: dict[str, bool] = {}
        for soo, status in statuses.items():
            delivered_to = await self._show(sitting, status, shown.get(soo), now)
            if delivered_to is not None:
                delivered[soo] = delivered_to
        return delivered

    async def _show(
        self, sitting: Sitting, status: SooStatus, before: dict[str, object] | None, now: datetime
    ) -> bool | None:
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
        address = user_key(status.soo_id)
        old_urgency = int(str(before.get("urgency", 0))) if before else -1
        old_headline = str(before.get("headline", "")) if before else ""
        news = (
            before is None
            or status.urgency > old_urgency
            # Called, then sent back to wait (deferred), or the sitting ended: tell them.
            or (old_urgency == Urgency.CALLED and status.headline != old_headline)
            or (sitting.status is SittingStatus.ENDED and status.headline != old_headline)
        )
        message_id = str(before["id"]) if before and before.get("id") else None
        if news or message_id is None:
            references = [line.reference for line in status.lines]
            new_id = await self._messenger.post(address, card_message(content))
            if new_id is None:
                return False
            await disclosed(
                self._deps, "soo.status_sent", AuditPurpose.LIVE_SITTING, status.soo_id, references
            )
            if message_id is not None:
                await self._messenger.update(address, message_id, card_message(superseded_card(old_headline)))
            message_id = new_id
        elif not await self._messenger.update(address, message_id, card_message(content)):
            return False
        async with self._deps.uow() as uow:
            uow.addresses.put(
                _state_key(sitting.sitting_id, status.soo_id),
                {
                    "id": message_id,
                    "urgency": int(status.urgency),
                    "headline": status.headline,
                    "shown": digest,
                },
            )
            await uow.commit()
        logger.info(
            "soo.status sitting=%s soo=%s urgency=%s new=%s",
            sitting.sitting_id,
            status.soo_id,
            int(status.urgency),
            news,
        )
        return True
