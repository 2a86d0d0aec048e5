"""Every message in the sitting's chats is screened, not only those said to the bot. A message people
send each other is never answered or acted on as a command and never stored; one the identity guard
refuses gets its sender a private request to delete it, the chat a notice that names neither the
words nor the sender, and the chair, in their own view, who should delete which message by time.

Teams delivers such messages to a bot that holds ChatMessage.Read.Chat; the Agents Playground
delivers only @mentions, so this is tested through the stand-in Teams."""

from __future__ import annotations

from pathlib import Path

from bot.payloads import MAX_MESSAGE
from cards import verbs
from cli.demo_data import CHAIR, MEMBER, SOO_TWO
from tests.bot.world import running_world
from tests.fake_teams import CASE_ROOM, personal, text_of


async def test_talk_between_people_is_left_alone(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        before = await world.state()
        for said in ("shall we take five minutes?", "next", "help", "end"):
            assert await world.teams.say(MEMBER, CASE_ROOM, said, mention=False) == []
            assert await world.teams.say(CHAIR, CASE_ROOM, said, mention=False) == []
        assert await world.state() == before  # "next" and "end" unmentioned did nothing
        # A guest not on the roster, talking in the chat, is not answered either.
        assert await world.teams.say(None, CASE_ROOM, "hello all", mention=False) == []


async def test_an_identifying_message_is_flagged_without_repeating_it_or_naming_its_sender(
    tmp_path: Path,
) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(SOO_TWO, personal(SOO_TWO), "help")  # so the bot can reach them
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        sent = await world.teams.say(SOO_TWO, CASE_ROOM, "Casey Marlowe rang me again", mention=False)
        in_chat = [m for m in sent if m["chat"] == CASE_ROOM and m["action"] == "create"]
        privately = [m for m in sent if m["chat"] == personal(SOO_TWO)]
        assert len(in_chat) == 1 and "should be deleted" in in_chat[0]["text"]
        assert "Marlowe" not in text_of(sent) and SOO_TWO.display_name not in in_chat[0]["text"]
        assert privately and "Please delete it now" in privately[0]["text"]
        assert "a person's name" in privately[0]["text"] and "Marlowe" not in privately[0]["text"]
        async with world.deps.uow() as uow:
            sitting = await uow.sittings.get(world.seeded.sitting.sitting_id)
        data = {"sitting": sitting.sitting_id}
        chair_view = text_of(await world.teams.press(CHAIR, CASE_ROOM, verbs.REFRESH_CONTROL, data))
        assert f"Ask {SOO_TWO.display_name} to delete their message of" in chair_view
        member_view = text_of(await world.teams.press(MEMBER, CASE_ROOM, verbs.REFRESH_CONTROL, data))
        assert SOO_TWO.display_name not in member_view
        # Nothing of what was typed is stored anywhere.
        assert "Marlowe" not in str(await world.state())


def test_the_app_package_asks_to_receive_every_chat_message() -> None:
    import json

    manifest = json.loads((Path(__file__).resolve().parents[2] / "manifest" / "manifest.json").read_text())
    names = {p["name"] for p in manifest["authorization"]["permissions"]["resourceSpecific"]}
    assert "ChatMessage.Read.Chat" in names


async def test_the_waiting_room_chat_is_screened_too(tmp_path: Path) -> None:
    from cli.demo import DEMO_WAITING_ROOM

    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(SOO_TWO, personal(SOO_TWO), "help")  # so the bot can reach them
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        waiting = "waiting-room-chat"
        before = len(world.teams.connector.sent)
        typed = world.teams.activity(SOO_TWO, waiting, type="message", text="Casey Marlowe rang me again")
        typed["channelData"]["meeting"] = {"id": DEMO_WAITING_ROOM}
        status, _ = await world.teams.post(typed)
        assert status in (200, 201)
        sent = world.teams.connector.sent[before:]
        in_chat = [m for m in sent if m["chat"] == waiting and m["action"] == "create"]
        privately = [m for m in sent if m["chat"] == personal(SOO_TWO)]
        assert len(in_chat) == 1 and "should be deleted" in in_chat[0]["text"]
        assert SOO_TWO.display_name not in in_chat[0]["text"] and "Marlowe" not in text_of(sent)
        assert privately and "Please delete it now" in privately[0]["text"]
        data = {"sitting": world.seeded.sitting.sitting_id}
        chair_view = text_of(await world.teams.press(CHAIR, CASE_ROOM, verbs.REFRESH_CONTROL, data))
        assert f"Ask {SOO_TWO.display_name} to delete their message of" in chair_view
        assert "waiting-room" in chair_view
        assert "Marlowe" not in str(await world.state())


async def test_a_stranger_in_the_chat_learns_nothing_from_the_screen(tmp_path: Path) -> None:
    """Someone not on the roster hears nothing back, so they cannot type a word to learn whether it
    is a registered name; the chair's view still asks for the message to be deleted."""
    import dataclasses

    from cli.demo_data import ALL_PARTY_NAMES

    stranger = dataclasses.replace(
        MEMBER, key="stranger", aad_object_id="99999999-0000-4000-8000-000000000078"
    )
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        registered = ALL_PARTY_NAMES[0].split()[-1]
        for typed in (f"{registered} rang", "Quennellby rang", "hello all"):
            sent = await world.teams.say(stranger, CASE_ROOM, typed, mention=False)
            # No notice in the chat, nothing sent to them; at most the chair's card is edited.
            assert [m["action"] for m in sent if m["action"] != "update"] == []
        data = {"sitting": world.seeded.sitting.sitting_id}
        chair_view = text_of(await world.teams.press(CHAIR, CASE_ROOM, verbs.REFRESH_CONTROL, data))
        assert "Ask someone not on the roster to delete their message of" in chair_view
        assert registered not in str(await world.state())


async def test_a_character_nobody_can_see_does_not_hide_a_name(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        sent = await world.teams.say(SOO_TWO, CASE_ROOM, "Casey Marlowe\ue000 rang me again", mention=False)
        in_chat = [m for m in sent if m["chat"] == CASE_ROOM and m["action"] == "create"]
        assert len(in_chat) == 1 and "should be deleted" in in_chat[0]["text"]


async def test_a_name_at_the_end_of_a_long_paste_is_still_flagged(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        paste = "The review went well and the notes are attached. " * 200 + "Casey Marlowe rang me again"
        assert len(paste) > MAX_MESSAGE  # longer than any command the bot reads
        sent = await world.teams.say(SOO_TWO, CASE_ROOM, paste, mention=False)
        in_chat = [m for m in sent if m["chat"] == CASE_ROOM and m["action"] == "create"]
        assert len(in_chat) == 1 and "should be deleted" in in_chat[0]["text"]
