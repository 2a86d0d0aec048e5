"""The sitting flow's calls, with hand-written fakes for our own messenger and meeting API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from botbuilder.schema import Activity

from bot.outgoing import Outgoing, meeting_key, teams_id_key, user_key
from bot.sitting_flow import SittingFlow
from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
from panel.agenda import CallStatus
from panel.usecases import live
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.panel.helpers import listed, new_case, new_sitting


class FakeMessenger:
    def __init__(self, addresses: dict[str, dict[str, Any]]) -> None:
        self.addresses = addresses
        self.sent: list[tuple[str, Activity]] = []

    async def address(self, key: str) -> dict[str, Any] | None:
        return self.addresses.get(key)

    async def post(self, key: str, activity: Activity) -> str | None:
        if key not in self.addresses:
            return None
        self.sent.append((key, activity))
        return f"m{len(self.sent)}"

    async def update(self, key: str, message_id: str, activity: Activity) -> bool:
        return True

    async def members(self, key: str) -> None:
        return None


class FakeMeetings:
    def __init__(self, in_meeting: bool, notify_ok: bool) -> None:
        self.in_meeting, self.notify_ok = in_meeting, notify_ok
        self.notified: list[tuple[str, list[str]]] = []

    async def participant(
        self, service_url: str, meeting_id: str, aad: str, tenant: str
    ) -> dict[str, Any] | None:
        return {"meeting": {"inMeeting": self.in_meeting}}

    async def notify(
        self, service_url: str, meeting_id: str, recipients: list[str], url: str, title: str
    ) -> bool:
        self.notified.append((meeting_id, recipients))
        return self.notify_ok


async def flow_with(
    deps: Deps, in_meeting: bool, notify_ok: bool
) -> tuple[SittingFlow, FakeMessenger, FakeMeetings, str]:
    case = await new_case(deps, SOO_ONE)
    sitting = await new_sitting(deps)
    async with deps.uow() as uow:
        stored = await uow.sittings.get(sitting.sitting_id)
        stored.waiting_room_meeting_id = "waiting-room-meeting-1"
        uow.sittings.save(stored)
        await uow.commit()
    await listed(deps, stored, case)
    messenger = FakeMessenger(
        {
            user_key(SOO_ONE.aad_object_id): {},
            teams_id_key(SOO_ONE.aad_object_id): {"id": "29:soo-one"},
            meeting_key("waiting-room-meeting-1"): {
                "serviceUrl": "https://smba.example",
                "conversation": {"tenantId": "t"},
            },
            "chat:case-room": {},
        }
    )
    meetings = FakeMeetings(in_meeting, notify_ok)
    flow = SittingFlow(deps, messenger, meetings, "https://bot.example.org")  # type: ignore[arg-type]
    await flow.start(actor(CHAIR), "case-room", True, None)
    return flow, messenger, meetings, case.reference


async def test_a_soo_teams_says_is_in_the_meeting_counts_as_waiting_even_if_the_join_was_missed(
    deps: Deps,
) -> None:
    flow, messenger, meetings, reference = await flow_with(deps, in_meeting=True, notify_ok=True)
    await flow.next(actor(CHAIR), None)
    sitting = await live.live_sitting(deps)
    assert sitting is not None
    slot = sitting.slots[0]
    assert (slot.call, slot.soo_was_waiting, slot.notification_failed) == (CallStatus.CALLED, True, False)
    assert meetings.notified == [("waiting-room-meeting-1", ["29:soo-one"])]
    assert any(key == user_key(SOO_ONE.aad_object_id) for key, _ in messenger.sent)


async def test_a_failed_in_meeting_alert_is_recorded_but_the_call_still_stands(deps: Deps) -> None:
    flow, _, _, _ = await flow_with(deps, in_meeting=False, notify_ok=False)
    await flow.next(actor(CHAIR), None)
    sitting = await live.live_sitting(deps)
    assert sitting is not None
    slot = sitting.slots[0]
    assert (slot.call, slot.soo_was_waiting, slot.notification_failed) == (CallStatus.CALLED, False, True)
    assert COORDINATOR.aad_object_id not in sitting.waiting


class RecordingMessenger(FakeMessenger):
    """Also keeps each message's latest content, as the SOO would see their chat."""

    def __init__(self, addresses: dict[str, dict[str, Any]]) -> None:
        super().__init__(addresses)
        self.chat: dict[str, list[tuple[str, str]]] = {}  # address -> [(message id, text)]

    async def post(self, key: str, activity: Activity) -> str | None:
        message_id = await super().post(key, activity)
        if message_id:
            self.chat.setdefault(key, []).append((message_id, _text(activity)))
        return message_id

    async def update(self, key: str, message_id: str, activity: Activity) -> bool:
        self.chat[key] = [(m, _text(activity) if m == message_id else t) for m, t in self.chat.get(key, [])]
        return True


def _text(message: Outgoing) -> str:
    return str(message.card) if message.card is not None else str(message.text)


async def test_each_soo_has_one_up_to_date_message_that_follows_the_plan(deps: Deps) -> None:
    from cli.demo_data import SOO_TWO

    sitting = await new_sitting(deps)
    first, second, third = (
        await new_case(deps, SOO_ONE),
        await new_case(deps, SOO_TWO),
        await new_case(deps, SOO_ONE),
    )
    for case in (first, second, third):
        sitting = await listed(deps, sitting, case)
    one, two = user_key(SOO_ONE.aad_object_id), user_key(SOO_TWO.aad_object_id)
    messenger = RecordingMessenger({one: {}, two: {}, "chat:case-room": {}})
    flow = SittingFlow(deps, messenger, FakeMeetings(False, True), "https://bot.example.org")  # type: ignore[arg-type]
    chair = actor(CHAIR)
    await flow.start(chair, "case-room", True, "k1")
    # One message each at the start, the first SOO's listing both cases in slot order.
    assert len(messenger.chat[one]) == 1 and len(messenger.chat[two]) == 1
    latest = messenger.chat[one][-1][1]
    assert latest.index(first.reference) < latest.index(third.reference)

    await flow.next(chair, "k2")
    assert "The panel is ready for case " + first.reference in messenger.chat[one][-1][1]
    assert "You are next: case " + second.reference in messenger.chat[two][-1][1]
    assert len(messenger.chat[two]) == 2  # no crossed "in 15 minutes" message beside it

    await flow.defer(chair, "k3")  # the first case goes to the end: its SOO is told, the call withdrawn
    calls = [t for _, t in messenger.chat[one] if "Join the case room" in t]
    assert calls == [], "a stale 'join now' button is left in the SOO's chat"
    assert "moved later in the sitting" in messenger.chat[one][-1][1]

    await flow.end(chair, "k4")
    for soo in (one, two):
        assert "Today's sitting has ended" in messenger.chat[soo][-1][1]
    assert "not reached today" in messenger.chat[one][-1][1]


async def test_before_a_call_teams_is_asked_who_is_really_in_the_case_room(deps: Deps) -> None:
    from cli.demo_data import SOO_TWO

    sitting = await new_sitting(deps)
    first, second = await new_case(deps, SOO_ONE), await new_case(deps, SOO_TWO)
    for case in (first, second):
        sitting = await listed(deps, sitting, case)
    messenger = RecordingMessenger(
        {
            user_key(SOO_ONE.aad_object_id): {},
            user_key(SOO_TWO.aad_object_id): {},
            "chat:case-room": {},
            meeting_key("case-room-meeting"): {
                "serviceUrl": "https://smba.example",
                "conversation": {"tenantId": "t"},
            },
        }
    )

    class LeftAlready(FakeMeetings):
        """Teams says the first SOO is no longer in the meeting (their leave event was missed)."""

        asked: list[tuple[str, str, str, str]] = []

        async def participant(
            self, service_url: str, meeting_id: str, aad: str, tenant: str
        ) -> dict[str, Any] | None:
            self.asked.append((service_url, meeting_id, aad, tenant))
            return {"meeting": {"inMeeting": False}}

    meetings = LeftAlready(False, True)
    flow = SittingFlow(deps, messenger, meetings, "https://bot.example.org")  # type: ignore[arg-type]
    chair = actor(CHAIR)
    await flow.start(chair, "case-room", True, "k1", "case-room-meeting")
    await flow.next(chair, "k2")
    await live.record_case_room_presence(deps, "case-room-meeting", None, [SOO_ONE.aad_object_id], [])
    outcome = await flow.next(chair, "k3")
    assert outcome.reply is None  # called: the room was right after all
    assert ("https://smba.example", "case-room-meeting", SOO_ONE.aad_object_id, "t") in meetings.asked
    assert (
        "The panel is ready for case " + second.reference
        in messenger.chat[user_key(SOO_TWO.aad_object_id)][-1][1]
    )


async def test_a_control_card_gone_from_the_chat_is_posted_again_not_updated_forever(tmp_path: Path) -> None:
    """A chat that lost the sitting card (deleted, or a client without its history) gets it again;
    the lost one is not tried every tick, and the new one is kept up to date."""
    from cli.demo_data import CHAIR
    from tests.bot.world import running_world
    from tests.fake_teams import CASE_ROOM

    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        async with world.deps.uow() as uow:
            first = (await uow.sittings.get(world.seeded.sitting.sitting_id)).control_message_id
        assert first
        world.teams.connector.gone.add(first)
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        tried = world.teams.connector.update_tries.count(first)
        await world.teams.say(CHAIR, CASE_ROOM, "extend 5")
        await world.teams.say(CHAIR, CASE_ROOM, "defer")
        async with world.deps.uow() as uow:
            now = (await uow.sittings.get(world.seeded.sitting.sitting_id)).control_message_id
        assert now and now != first
        # Known gone after the first 404 (two edits may have been in flight together): never again.
        assert 1 <= tried <= 2 and world.teams.connector.update_tries.count(first) == tried
        assert now in world.teams.connector.update_tries  # the new card is the one kept current
        reposted = [m for m in world.teams.connector.in_chat(CASE_ROOM) if m["id"] == now]
        assert reposted and reposted[0]["action"] == "create"


async def test_every_copy_of_the_sitting_card_is_brought_up_to_date(tmp_path: Path) -> None:
    """The chair's own copy of the sitting card (asked for with `agenda`) follows the sitting: it
    does not stay "Live" with a Next button after the sitting has ended."""
    from cli.demo_data import CHAIR
    from tests.bot.world import running_world
    from tests.fake_teams import CASE_ROOM, personal, text_of

    async with running_world(None, None, tmp_path) as world:
        (copy,) = await world.teams.say(CHAIR, personal(CHAIR), "agenda")
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        live_edits = [
            m for m in world.teams.connector.sent if m["id"] == copy["id"] and m["action"] == "update"
        ]
        assert (
            live_edits and "· Live" in text_of(live_edits[-1]) and "sitting.next" in text_of(live_edits[-1])
        )
        await world.teams.say(CHAIR, CASE_ROOM, "end")
        edits = [m for m in world.teams.connector.sent if m["id"] == copy["id"] and m["action"] == "update"]
        last = text_of(edits[-1])
        assert "· Ended" in last and "sitting.next" not in last and "· Live" not in last


async def test_deferring_an_extended_case_says_its_extra_minutes_are_not_carried(tmp_path: Path) -> None:
    from cli.demo_data import CHAIR
    from tests.bot.world import running_world
    from tests.fake_teams import CASE_ROOM

    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        await world.teams.say(CHAIR, CASE_ROOM, "extend 5")
        said = " ".join(str(m.get("text") or "") for m in await world.teams.say(CHAIR, CASE_ROOM, "defer"))
        first = world.seeded.references[0]
        assert f"Case {first} moved to the end of the agenda. Its extra 5 min were for this hearing" in said
        assert "it will have its 15 min slot when it is called again" in said


async def test_the_card_is_edited_when_only_a_persons_view_of_it_changes(tmp_path: Path) -> None:
    """A SOO joining the waiting room changes the chair's view, not the chat's text: the card is
    edited all the same, or Teams would never fetch the chair's new view."""
    from cli.demo import DEMO_WAITING_ROOM
    from cli.demo_data import CHAIR, SOO_ONE
    from tests.bot.world import running_world
    from tests.fake_teams import CASE_ROOM

    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        async with world.deps.uow() as uow:
            control = (await uow.sittings.get(world.seeded.sitting.sitting_id)).control_message_id
        before = world.teams.connector.update_tries.count(control)
        join = world.teams.activity(
            None,
            "waiting-room-chat",
            type="event",
            name="application/vnd.microsoft.meetingParticipantJoin",
            value={"members": [{"user": {"aadObjectId": SOO_ONE.aad_object_id, "id": SOO_ONE.teams_id}}]},
        )
        join["channelData"]["meeting"] = {"id": DEMO_WAITING_ROOM}
        status, _ = await world.teams.post(join)
        assert status in (200, 201)
        assert world.teams.connector.update_tries.count(control) == before + 1


async def test_sitting_posts_the_cards_again_at_the_bottom_of_the_case_room(tmp_path: Path) -> None:
    """A member who joined late (or whose client lost the chat's history) says `sitting`: the
    sitting card and the case being heard are posted again; the old copies say where they went."""
    from cli.demo_data import CHAIR, MEMBER, PARTNER
    from tests.bot.world import running_world
    from tests.fake_teams import CASE_ROOM

    async with running_world(None, None, tmp_path) as world:
        early = " ".join(
            str(m.get("text") or "") for m in await world.teams.say(MEMBER, CASE_ROOM, "sitting")
        )
        assert "when the chair says **start**" in early
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        async with world.deps.uow() as uow:
            before = await uow.sittings.get(world.seeded.sitting.sitting_id)
        sent = await world.teams.say(PARTNER, CASE_ROOM, "sitting")
        async with world.deps.uow() as uow:
            after = await uow.sittings.get(world.seeded.sitting.sitting_id)
        assert after.control_message_id != before.control_message_id
        assert after.current is not None and before.current is not None
        assert after.current.case_card_message_id != before.current.case_card_message_id
        created = [m for m in sent if m["action"] == "create"]
        assert [m["id"] for m in created[:2]] == [
            after.control_message_id,
            after.current.case_card_message_id,
        ]
        moved = [m for m in sent if m["action"] == "update"]
        assert {m["id"] for m in moved} == {before.control_message_id, before.current.case_card_message_id}
        assert all("This card has moved" in str(m) for m in moved)
        # The new case card carries no detail: each person's own view is fetched as before.
        assert "Past hearings" not in str(created[1])
