"""Asking Teams who is really in the panel's meetings, and notifying a SOO inside one: each a
best effort beside what the bot has heard from the meetings' own events."""

from __future__ import annotations

import asyncio

from bot.meeting_events import field
from bot.outgoing import meeting_key, teams_id_key
from bot.teams.meeting_api import MeetingApi
from bot.teams.messenger import Messenger
from panel.sitting import Sitting

PANEL_READY_PATH = "/panel-ready"


class MeetingChecks:
    """Teams' participant API and in-meeting notification, for one sitting's meetings."""

    def __init__(self, messenger: Messenger, meetings: MeetingApi, public_url: str) -> None:
        self._messenger, self._meetings = messenger, meetings
        self._public_url = public_url.rstrip("/")

    async def still_in_case_room(self, sitting: Sitting) -> tuple[list[str], bool] | None:
        """Who Teams says has left the case room of those the bot believes are there (asked all at
        once), and whether Teams answered for everyone; None when Teams cannot be asked."""
        if not sitting.case_room_meeting_id:
            return None
        reachable = await self._participant_api(sitting.case_room_meeting_id)
        if reachable is None:
            return None
        service_url, tenant = reachable
        people = list(sitting.in_case_room)
        answers = await asyncio.gather(
            *(
                self._meetings.participant(service_url, sitting.case_room_meeting_id, person, tenant)
                for person in people
            )
        )
        gone, answered = [], True
        for person, found in zip(people, answers, strict=True):
            in_meeting = field(field(found, "meeting"), "inMeeting")
            answered = answered and isinstance(in_meeting, bool)
            if in_meeting is False:
                gone.append(person)
        return gone, answered

    async def in_waiting_room(self, sitting: Sitting, soo_id: str) -> bool:
        """Ask Teams directly, in case a join event was missed (e.g. while the bot restarted)."""
        if not sitting.waiting_room_meeting_id:
            return False
        reachable = await self._participant_api(sitting.waiting_room_meeting_id)
        if reachable is None:
            return False
        service_url, tenant = reachable
        found = await self._meetings.participant(service_url, sitting.waiting_room_meeting_id, soo_id, tenant)
        return field(field(found, "meeting"), "inMeeting") is True

    async def notify(self, sitting: Sitting, soo_id: str) -> bool | None:
        """Teams' in-meeting notification to a SOO in the waiting room: True or False for an
        attempt made; None when there is no waiting-room meeting to use."""
        if not sitting.waiting_room_meeting_id:
            return None
        meeting = await self._messenger.address(meeting_key(sitting.waiting_room_meeting_id))
        teams_id = await self._messenger.address(teams_id_key(soo_id))
        if not meeting or not teams_id or not meeting.get("serviceUrl"):
            return None if not meeting else False
        return await self._meetings.notify(
            str(meeting["serviceUrl"]),
            sitting.waiting_room_meeting_id,
            [str(teams_id["id"])],
            f"{self._public_url}{PANEL_READY_PATH}",
            "The panel is ready for you",
        )

    async def _participant_api(self, meeting_id: str) -> tuple[str, str] | None:
        """The service address and tenant Teams' participant API is asked with for a meeting, from
        its remembered address; None when the bot has not yet heard from that meeting."""
        meeting = await self._messenger.address(meeting_key(meeting_id))
        conversation = meeting.get("conversation") if meeting else None
        tenant = conversation.get("tenantId") if isinstance(conversation, dict) else None
        if not meeting or not meeting.get("serviceUrl") or not tenant:
            return None
        return str(meeting["serviceUrl"]), str(tenant)
