"""What the bot reads from Teams, proven against the shapes Teams documents (tests/teams_payloads,
each file citing its page), never against a shape the bot's own code wrote. Each payload goes
through the real app (`create_app`, the stub connector as its service URL), and each test asserts
what the bot must have understood: the person, the chat, the tenant, the meeting, the verb and its
data, the participants. botbuilder 4.17's schema drops the tenantId Teams sends in `conversation`
(it maps it to "tenantID"); the bot takes the tenant from channelData.tenant.id instead."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path
from typing import Any

from aiohttp import ClientSession
from aiohttp.test_utils import TestServer

from app import create_app
from bot.outgoing import chat_key, meeting_key, teams_id_key, user_key
from cli.demo import DEMO_WAITING_ROOM
from cli.demo_data import CHAIR, COORDINATOR, MEMBER, SOO_ONE, SOO_TWO, DemoPerson
from cli.playground import BOT_ID, TENANT_ID
from panel.agenda import CallStatus
from panel.usecases import live
from settings import Settings
from tests.bot.world import World, running_world
from tests.conftest import TEST_KEY
from tests.fake_teams import CASE_ROOM, personal, text_of

PAYLOADS = Path(__file__).resolve().parents[1] / "teams_payloads"
PERSONAL_CHAT = "a:MadeUpPersonalConversation"
# Meeting ids as Teams gives them: base64, with the padding a URL must carry encoded.
CASE_MEETING = "MCMxOTptZWV0aW5nX01hZGVVcENhc2VSb29tQHRocmVhZC52MiMw=="
WAITING_CHAT = "19:meeting_MadeUpWaitingRoom@thread.v2"
_ids = itertools.count(1)


def payload(name: str, **values: str) -> dict[str, Any]:
    """A documented payload with its made-up values filled in."""
    text = (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(key, value)
    body: dict[str, Any] = json.loads(text)
    body.pop("_source", None)
    return body


def filled(
    world: World, name: str, person: DemoPerson, data: dict[str, str] | None = None, **values: str
) -> dict[str, Any]:
    """One documented payload from `person`, a press's `data` put where the payload keeps it."""
    given = {
        "ACTIVITY_ID": f"17182124{next(_ids):05d}",
        "SERVICE_URL": world.teams.service_url,
        "TENANT_ID": TENANT_ID,
        "BOT_ID": BOT_ID,
        "TEAMS_USER_ID": person.teams_id,
        "AAD_OBJECT_ID": person.aad_object_id,
        "ORGANISER_AAD": CHAIR.aad_object_id,
        **values,
    }
    activity = payload(name, **given)
    if data is not None and activity["type"] == "invoke":
        activity["value"]["action"]["data"] = data
    elif data is not None:
        activity["value"].update(data)
    return activity


async def send(
    world: World, name: str, person: DemoPerson, data: dict[str, str] | None = None, **values: str
) -> tuple[int, Any, list[Any]]:
    """Post one documented payload from `person`: the HTTP status, the body, and what the bot sent."""
    before = len(world.teams.connector.sent)
    status, body = await world.teams.post(filled(world, name, person, data, **values))
    return status, body, world.teams.connector.sent[before:]


async def stored(world: World, key: str) -> dict[str, Any] | None:
    """An address the bot remembered."""
    async with world.deps.uow() as uow:
        return await uow.addresses.get(key)


def test_every_payload_says_where_its_shape_comes_from() -> None:
    files = list(PAYLOADS.glob("*.json"))
    assert len(files) >= 15
    for path in files:
        source = json.loads(path.read_text(encoding="utf-8"))["_source"]
        assert "Microsoft" in source and "made up" in source, path.name


async def test_a_message_in_a_personal_chat(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        status, _, sent = await send(world, "personal_message", SOO_ONE, TEXT="help")
        assert status in (200, 201)
        # The person (their help lists what a SOO may do), and the chat the answer goes to.
        assert [s["chat"] for s in sent] == [PERSONAL_CHAT]
        assert "conflict" in text_of(sent) and "start" not in text_of(sent)
        # A 1:1 carries the tenant only in channelData: the address for later keeps it.
        address = await stored(world, user_key(SOO_ONE.aad_object_id))
        assert address is not None and address["conversation"]["id"] == PERSONAL_CHAT
        assert address["conversation"]["tenantId"] == TENANT_ID


async def test_a_message_that_mentions_the_bot_in_a_group_chat(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        status, _, sent = await send(
            world, "group_chat_message_with_mention", CHAIR, CHAT_ID=CASE_ROOM, TEXT="help"
        )
        assert status in (200, 201)
        assert [s["chat"] for s in sent] == [CASE_ROOM]
        assert "start" in text_of(sent)  # the chair's help: the mention is not read as a command
        address = await stored(world, chat_key(CASE_ROOM))
        assert address is not None and address["conversation"]["tenantId"] == TENANT_ID


async def test_a_message_people_send_each_other_is_not_answered(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        body = filled(world, "group_chat_message_with_mention", MEMBER, CHAT_ID=CASE_ROOM, TEXT="help")
        body["text"], body["entities"] = "help, anyone know where the agenda is?", body["entities"][1:]
        before = len(world.teams.connector.sent)
        status, _ = await world.teams.post(body)
        assert status in (200, 201) and world.teams.connector.sent[before:] == []


async def test_a_card_press_and_a_refresh_by_universal_action(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await send(world, "personal_message", MEMBER, TEXT="help")
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None
        card = {"sitting": sitting.sitting_id}
        where = {"CHAT_ID": CASE_ROOM, "REPLY_TO_ID": "m1"}
        _, answer, _ = await send(world, "card_execute_invoke", CHAIR, card, VERB="sitting.refresh", **where)
        # Answered as Universal Actions document: the card to show in place of the one pressed.
        assert answer["statusCode"] == 200 and answer["type"] == "application/vnd.microsoft.card.adaptive"
        assert "Next case" in text_of(answer["value"])  # the chair's own view
        # The same card refreshed automatically for a member: their view, without the chair's controls.
        _, answer, _ = await send(world, "card_refresh_invoke", MEMBER, card, VERB="sitting.refresh", **where)
        assert answer["type"] == "application/vnd.microsoft.card.adaptive"
        assert "Next case" not in text_of(answer["value"]) and "Panel sitting" in text_of(answer["value"])
        # The verb and its data are read from value.action: a member pressing Next is refused.
        _, answer, _ = await send(world, "card_execute_invoke", MEMBER, card, VERB="sitting.next", **where)
        assert answer["type"] == "application/vnd.microsoft.activity.message"
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is None
        _, answer, _ = await send(world, "card_execute_invoke", CHAIR, card, VERB="sitting.next", **where)
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is not None


async def test_a_card_press_by_submit_from_a_client_without_universal_actions(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        status, _, sent = await send(
            world, "card_submit_message", COORDINATOR, REPLY_TO_ID="m1", VERB="cases.back"
        )
        assert status in (200, 201)
        assert [s["chat"] for s in sent] == [PERSONAL_CHAT]
        assert "Open cases" in text_of(sent)


async def test_the_app_added_to_a_persons_chat_greets_them_for_their_role(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        status, _, sent = await send(world, "bot_added_to_personal_chat", SOO_ONE)
        assert status in (200, 201)
        assert [s["chat"] for s in sent] == [PERSONAL_CHAT]
        assert "You oversee cases" in text_of(sent)
        address = await stored(world, user_key(SOO_ONE.aad_object_id))
        assert address is not None and address["conversation"]["tenantId"] == TENANT_ID


async def test_the_app_installed_in_a_meeting_chat_remembers_it_with_its_tenant(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        status, _, _ = await send(world, "installation_update_add", CHAIR, CHAT_ID=CASE_ROOM)
        assert status in (200, 201)
        address = await stored(world, chat_key(CASE_ROOM))
        assert address is not None and address["conversation"]["tenantId"] == TENANT_ID


async def test_someone_invited_to_the_waiting_room_is_not_counted_as_waiting(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        for name in ("member_added_to_meeting", "member_removed_from_meeting"):
            status, _, sent = await send(
                world, name, SOO_ONE, CHAT_ID=WAITING_CHAT, MEETING_ID=DEMO_WAITING_ROOM
            )
            assert status in (200, 201) and sent == []  # nothing said in the meeting's chat
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and SOO_ONE.aad_object_id not in sitting.waiting


async def test_participants_join_and_leave_and_the_meeting_ends(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        where = {"CHAT_ID": WAITING_CHAT, "MEETING_ID": DEMO_WAITING_ROOM}
        # The meeting is named by channelData.meeting.id; value.Id (the chat's thread) is not it.
        await send(world, "meeting_start", CHAIR, **where)
        for person in (SOO_ONE, SOO_TWO):
            status, _, _ = await send(world, "participant_join", person, **where)
            assert status in (200, 201)
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None
        assert {SOO_ONE.aad_object_id, SOO_TWO.aad_object_id} <= set(sitting.waiting)
        # Their Teams ids are kept, for the in-meeting call.
        assert await stored(world, teams_id_key(SOO_ONE.aad_object_id)) == {"id": SOO_ONE.teams_id}
        address = await stored(world, meeting_key(DEMO_WAITING_ROOM))
        assert address is not None and address["conversation"]["tenantId"] == TENANT_ID
        await send(world, "participant_leave", SOO_ONE, **where)
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and SOO_ONE.aad_object_id not in sitting.waiting
        assert SOO_TWO.aad_object_id in sitting.waiting
        await send(world, "meeting_end", CHAIR, **where)
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and not sitting.waiting


async def test_the_waiting_room_is_asked_before_a_call_with_the_tenant_teams_sent(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(SOO_ONE, personal(SOO_ONE), "help")  # the app is installed for them
        # The SOO says something in the waiting-room meeting's chat, as Teams sends it; no join
        # event ever arrives (missed while the bot restarted, say).
        await send(
            world,
            "meeting_chat_message",
            SOO_ONE,
            CHAT_ID=WAITING_CHAT,
            MEETING_ID=DEMO_WAITING_ROOM,
            TEXT="help",
        )
        address = await stored(world, meeting_key(DEMO_WAITING_ROOM))
        assert address is not None and address["conversation"]["tenantId"] == TENANT_ID
        world.teams.connector.in_meeting[DEMO_WAITING_ROOM] = {SOO_ONE.aad_object_id}
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        asked = world.teams.connector.participant_calls
        assert {"meeting": DEMO_WAITING_ROOM, "aad": SOO_ONE.aad_object_id, "tenantId": TENANT_ID} in asked
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is not None
        # Teams said the SOO is in the waiting room, so the call counts them as waiting.
        assert sitting.current.soo_was_waiting is True and sitting.current.call is CallStatus.CALLED


async def test_the_case_rooms_door_is_checked_with_teams_when_a_leave_was_missed(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        for person in (SOO_ONE, SOO_TWO):
            await world.teams.say(person, personal(person), "help")
        case_room = {"CHAT_ID": CASE_ROOM, "MEETING_ID": CASE_MEETING}
        waiting = {"CHAT_ID": WAITING_CHAT, "MEETING_ID": DEMO_WAITING_ROOM}
        # The chair starts the sitting in the case-room meeting's chat, as Teams sends it.
        await send(world, "meeting_chat_message", CHAIR, TEXT="start", **case_room)
        for person in (SOO_ONE, SOO_TWO):
            await send(world, "participant_join", person, **waiting)
        await send(world, "meeting_chat_message", CHAIR, TEXT="next", **case_room)
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is not None
        first = sitting.current.slot_id
        # The called SOO comes into the case room, then leaves it, but the leave event never arrives.
        await send(world, "participant_join", SOO_ONE, **case_room)
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and SOO_ONE.aad_object_id in sitting.in_case_room
        world.teams.connector.in_meeting[CASE_MEETING] = {CHAIR.aad_object_id}
        world.teams.connector.in_meeting[DEMO_WAITING_ROOM] = {SOO_TWO.aad_object_id}
        _, _, sent = await send(world, "meeting_chat_message", CHAIR, TEXT="next", **case_room)
        # Teams' participant API was asked, with the tenant it sent, and the next call went ahead.
        asked = world.teams.connector.participant_calls
        assert {"meeting": CASE_MEETING, "aad": SOO_ONE.aad_object_id, "tenantId": TENANT_ID} in asked
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is not None
        assert sitting.current.slot_id != first and sitting.current.call is CallStatus.CALLED
        assert SOO_ONE.aad_object_id not in sitting.in_case_room
        assert "next anyway" not in text_of(sent)


async def test_a_held_call_says_when_teams_could_not_be_asked_who_is_in_the_room(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        case_room = {"CHAT_ID": CASE_ROOM, "MEETING_ID": CASE_MEETING}
        waiting = {"CHAT_ID": WAITING_CHAT, "MEETING_ID": DEMO_WAITING_ROOM}
        await send(world, "meeting_chat_message", CHAIR, TEXT="start", **case_room)
        for person in (SOO_ONE, SOO_TWO):
            await send(world, "participant_join", person, **waiting)
        await send(world, "meeting_chat_message", CHAIR, TEXT="next", **case_room)
        await send(world, "participant_join", SOO_ONE, **case_room)
        # Teams says the SOO is still there: the hold stands, as Teams confirmed it.
        world.teams.connector.in_meeting[CASE_MEETING] = {SOO_ONE.aad_object_id}
        _, _, sent = await send(world, "meeting_chat_message", CHAIR, TEXT="next", **case_room)
        assert "still in the case room" in text_of(sent) and "could not be asked" not in text_of(sent)
        # Teams cannot be asked: the hold says it rests on the events the bot has seen.
        world.teams.connector.unanswered.add(CASE_MEETING)
        _, _, sent = await send(world, "meeting_chat_message", CHAIR, TEXT="next", **case_room)
        assert "still in the case room" in text_of(sent)
        assert "Teams could not be asked who is in the meeting" in text_of(sent)
        assert "Renshaw" not in text_of(sent) and "Alex" not in text_of(sent)  # the chat names nobody


async def test_an_edit_that_adds_a_name_is_screened_like_a_new_message(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(MEMBER, personal(MEMBER), "help")
        where = {"CHAT_ID": CASE_ROOM, "MEETING_ID": CASE_MEETING}
        _, _, sent = await send(world, "message_edit", MEMBER, TEXT="ok, will do", **where)
        assert sent == []  # an ordinary edit between people: not the bot's business
        _, _, sent = await send(
            world, "message_edit", MEMBER, TEXT="ok, I rang Kerry Hodgson about it", **where
        )
        to_chat = [s for s in sent if s["chat"] == CASE_ROOM]
        assert to_chat and "should be deleted" in text_of(to_chat)
        assert "Hodgson" not in text_of(sent)
        assert any(s["chat"] == personal(MEMBER) and "delete it" in text_of(s) for s in sent)


async def test_an_edited_command_is_not_run_again_and_a_deletion_is_quiet(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        where = {"CHAT_ID": CASE_ROOM, "MEETING_ID": CASE_MEETING}
        edited = filled(world, "message_edit", CHAIR, TEXT="<at>Scrutiny Panel</at> next", **where)
        edited["entities"] = [{"type": "mention", "mentioned": {"id": BOT_ID, "name": "Scrutiny Panel"}}]
        before = len(world.teams.connector.sent)
        status, _ = await world.teams.post(edited)
        assert status in (200, 201) and world.teams.connector.sent[before:] == []
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None and sitting.current is None  # nobody was called by an edit
        status, _, sent = await send(world, "message_soft_delete", CHAIR, **where)
        assert status in (200, 201) and sent == []


async def test_proactive_messages_go_to_the_stored_chat_after_a_restart_and_from_another_instance(
    tmp_path: Path,
) -> None:
    async with running_world(None, None, tmp_path) as world:
        await send(world, "personal_message", SOO_ONE, TEXT="help")
        waiting = {"CHAT_ID": WAITING_CHAT, "MEETING_ID": DEMO_WAITING_ROOM}
        await send(world, "participant_join", SOO_ONE, **waiting)
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        # Another instance over the same store (or this one after a restart) takes the chair's next.
        other = create_app(
            Settings(sqlite_path=world.db, identity_hash_key=TEST_KEY), clock=world.clock, background=False
        )
        server = TestServer(other)
        await server.start_server()
        before = len(world.teams.connector.sent)
        try:
            said = filled(
                world, "meeting_chat_message", CHAIR, TEXT="next", CHAT_ID=CASE_ROOM, MEETING_ID=CASE_MEETING
            )
            async with (
                ClientSession() as session,
                session.post(str(server.make_url("/api/messages")), json=said) as response,
            ):
                assert response.status in (200, 201)
        finally:
            await server.close()
        # The SOO's call: sent to their 1:1 conversation as Teams documents a proactive message
        # (POST /v3/conversations/{id}/activities, not a reply to an activity), at the stored
        # service URL; and the in-meeting alert to the waiting room, with their Teams id.
        to_soo = [s for s in world.teams.connector.sent[before:] if s["chat"] == PERSONAL_CHAT]
        assert to_soo and "The panel is ready for case" in text_of(to_soo)
        assert all("replied_to" not in s and s["serviceUrl"] == world.teams.service_url for s in to_soo)
        assert all(s["conversation"]["id"] == PERSONAL_CHAT for s in to_soo)
        alert = world.teams.connector.meeting_calls[-1]
        assert alert["meeting"] == DEMO_WAITING_ROOM and alert["value"]["recipients"] == [SOO_ONE.teams_id]


async def test_a_strangers_edit_in_their_own_chat_tells_them_nothing_about_names(tmp_path: Path) -> None:
    from cli.demo_data import ALL_PARTY_NAMES

    async with running_world(None, None, tmp_path) as world:
        stranger = dataclasses.replace(
            MEMBER, key="stranger", aad_object_id="99999999-0000-4000-8000-000000000077"
        )
        edit = filled(world, "message_edit", stranger, TEXT=f"I rang {ALL_PARTY_NAMES[0]}")
        edit["conversation"] = {"conversationType": "personal", "id": PERSONAL_CHAT, "tenantId": TENANT_ID}
        before = len(world.teams.connector.sent)
        status, _ = await world.teams.post(edit)
        assert status in (200, 201) and world.teams.connector.sent[before:] == []
