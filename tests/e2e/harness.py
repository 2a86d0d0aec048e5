"""Driving the bot through the Agents Playground as Teams users would, over its HTTP and WebSocket API."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from app import DEPS, create_app
from bot.meeting_events import PARTICIPANT_JOIN
from bot.replies import WELCOME
from cli.demo import DEMO_WAITING_ROOM, Seeded, seed_demo
from cli.demo_data import CHAIR, DemoPerson, playground_users
from cli.playground import (
    BOT_ID,
    BOT_NAME,
    CASE_ROOM_CHAT,
    TENANT_ID,
    free_port,
    running_playground,
)
from panel.clock import FixedClock
from panel.usecases.deps import PanelConfig
from settings import Settings
from storage.cosmos_config import CosmosConfig

REPLY_TIMEOUT_S = 15
CASE_ROOM_MEETING = "MCMxOTptZWV0aW5nX2Nhc2Vyb29tZGVtb0B0aHJlYWQudjIjMA=="
# A Monday morning in December (GMT), so the demo's sitting is booked for today.
E2E_MORNING = datetime(2026, 12, 7, 9, 58, tzinfo=UTC)


@dataclass
class TeamsClient:
    """One Playground: send as its user (or anyone, by custom activity), collect what the bot posts."""

    url: str
    session: aiohttp.ClientSession
    user: DemoPerson
    posted: list[dict[str, Any]] = field(default_factory=list)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def say(self, chat: str, text: str, *, group: bool = False) -> dict[str, Any]:
        """The Playground's own user types a message; returns the bot's reply."""
        body: dict[str, Any] = {"from": {"id": self.user.teams_id}, "text": text, "textFormat": "plain"}
        if group:
            body["text"] = f"<at>{BOT_NAME}</at> {text}"
            body["mentions"] = [{"mentioned": {"id": BOT_ID}, "text": f"<at>{BOT_NAME}</at>"}]
        return await self.expect(
            chat, lambda: self._post(f"/_conversation/v1/conversations/{chat}/messages", body)
        )

    async def say_as(
        self, person: DemoPerson | dict[str, str], chat: str, text: str, *, group: bool = False
    ) -> dict[str, Any]:
        """Someone other than the Playground's user sends a message (a custom activity)."""
        activity = await self.template(chat)
        activity["type"] = "message"
        activity["from"] = sender(person)
        activity["text"] = f"<at>{BOT_NAME}</at> {text}" if group else text
        if group:  # as Teams sends a mention: the text and an entity naming the bot
            activity["entities"] = [
                {
                    "type": "mention",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                    "text": f"<at>{BOT_NAME}</at>",
                }
            ]
        return await self.expect(chat, lambda: self._post("/_internal/v1/customActivities", activity))

    async def press(
        self,
        chat: str,
        card_message_id: str,
        verb: str,
        data: dict[str, str],
        person: DemoPerson | None = None,
    ) -> dict[str, Any]:
        """Someone presses an Action.Execute button (inputs go in `data`, as Teams sends them);
        returns the card the bot answers with."""
        body = {
            "name": "adaptiveCard/action",
            "conversation": {"id": chat},
            "from": {"id": (person or self.user).teams_id},
            "replyToId": card_message_id,
            "value": {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        }
        async with self._post("/_conversation/v1/invoke", body) as response:
            assert response.status == 200, await response.text()
            answer: dict[str, Any] = await response.json()
        return answer

    async def template(self, chat: str) -> dict[str, Any]:
        """A filled-in activity for this chat, from the Playground."""
        async with self.session.get(
            f"{self.url}/_internal/v1/customActivities/template?conversationId={chat}"
        ) as response:
            result: dict[str, Any] = await response.json()
            return result

    async def meeting_event(
        self, name: str, people: list[DemoPerson], meeting_id: str = DEMO_WAITING_ROOM
    ) -> None:
        """Teams tells the bot that people joined or left a meeting (by default the waiting room;
        CASE_ROOM_MEETING for the case room, whose chat is the case-room chat), in the payload shape
        Teams sends: channelData.meeting.id, and value.members[].user with its aadObjectId."""
        activity = await self.template(CASE_ROOM_CHAT)
        activity.update(
            type="event",
            name=name,
            channelData={
                "tenant": {"id": "00000000-0000-4000-8000-0000000000aa"},
                "meeting": {"id": meeting_id},
            },
            value={
                "members": [
                    {
                        "user": {"id": p.teams_id, "aadObjectId": p.aad_object_id},
                        "meeting": {"inMeeting": name == PARTICIPANT_JOIN, "role": "Attendee"},
                    }
                    for p in people
                ]
            },
        )
        async with self._post("/_internal/v1/customActivities", activity) as response:
            assert response.status == 200, await response.text()

    async def collect(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Keep every message the bot creates or updates."""
        async for frame in ws:
            if frame.type is not aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(frame.data)
            message = data.get("message") or {}
            action = data.get("action")
            from_bot = (message.get("from") or {}).get("id") == BOT_ID
            if action == "updateMessage" or (action == "createMessage" and from_bot):
                async with self._arrived:
                    self.posted.append(
                        {"chat": data.get("actionConversationId"), "action": data["action"], **message}
                    )
                    self._arrived.notify_all()

    async def wait_for(self, predicate: Callable[[dict[str, Any]], bool], since: int = 0) -> dict[str, Any]:
        """The first message (new or updated) after index `since` that matches."""

        def found() -> dict[str, Any] | None:
            return next((m for m in self.posted[since:] if predicate(m)), None)

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: found() is not None), REPLY_TIMEOUT_S)
        result = found()
        assert result is not None
        return result

    async def expect(self, chat: str, send: Callable[[], Any]) -> dict[str, Any]:
        """Send, then return the bot's first new message in that chat."""
        before = len(self.posted)
        async with send() as response:
            assert response.status == 200, await response.text()
        return await self.wait_for(
            lambda m: m["chat"] == chat and m["action"] == "createMessage" and m.get("text") != WELCOME,
            before,
        )

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        return self.session.post(f"{self.url}{path}", json=body)


async def view_as(client: TeamsClient, message: dict[str, Any], person: DemoPerson) -> dict[str, Any]:
    """What Teams shows `person` for a card with a user-specific view: it asks the bot with the
    card's own refresh action, as that person (the Playground cannot show these views itself)."""
    action = message["attachments"][0]["content"]["refresh"]["action"]
    return await client.press(message["chat"], message["messageId"], action["verb"], action["data"], person)


async def press_directly(
    panel: Panel, client: TeamsClient, chat: str, verb: str, data: dict[str, Any], person: DemoPerson
) -> dict[str, Any]:
    """Someone the chat does not have in it sends a press (a forged one, as Teams never would): it
    goes straight to the bot, with the chat's own service address, and the bot's answer comes back."""
    activity = await client.template(chat)
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        **{"from": sender(person)},
    )
    async with panel.chair.session.post(panel.bot_url, json=activity) as response:
        assert response.status == 200, await response.text()
        answer: dict[str, Any] = await response.json()
    return answer


async def view_directly(panel: Panel, message: dict[str, Any], person: DemoPerson) -> dict[str, Any]:
    """`view_as` for someone the Playground does not know (it knows only five users): the refresh
    invoke goes straight to the bot, as Teams would send it, and the bot's answer comes back."""
    action = message["attachments"][0]["content"]["refresh"]["action"]
    activity = await panel.chair.template(message["chat"])
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        replyToId=message["messageId"],
        value={"action": {**action, "type": "Action.Execute"}, "trigger": "automatic"},
        **{"from": sender(person)},
    )
    async with panel.chair.session.post(panel.bot_url, json=activity) as response:
        assert response.status == 200, await response.text()
        answer: dict[str, Any] = await response.json()
    return answer


def sender(person: DemoPerson | dict[str, str]) -> dict[str, str]:
    """The `from` of an activity sent by this person."""
    if isinstance(person, DemoPerson):
        return {"id": person.teams_id, "name": person.display_name, "aadObjectId": person.aad_object_id}
    return person


def card_text(message: dict[str, Any]) -> str:
    """All the text a message shows: its text and every string in its cards."""
    parts = [message.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            parts.append(node)

    walk(message.get("attachments") or [])
    return "\n".join(parts)


@dataclass
class Panel:
    """The running bot, its store and clock, and a Playground per person who needs one."""

    chair: TeamsClient
    people: dict[str, TeamsClient]
    seeded: Seeded
    clock: FixedClock
    bot_url: str
    db: Path
    restart: Callable[[], Any]
    _state: dict[str, Any]
    other_bot_urls: tuple[str, ...] = ()  # more app instances on the same store, behind no Playground

    @property
    def app(self) -> web.Application:
        """The app as it is now (a restart replaces it)."""
        app: web.Application = self._state["app"]
        return app

    @property
    def other_apps(self) -> list[web.Application]:
        """The other app instances."""
        return [runner.app for runner in self._state["others"]]


@asynccontextmanager
async def panel_in_playgrounds(
    workdir: Path,
    key: bytes,
    extra: tuple[DemoPerson, ...] = (),
    config: PanelConfig | None = None,
    *,
    cosmos: CosmosConfig | None = None,
    instances: int = 1,
    room_holder: DemoPerson = CHAIR,
) -> AsyncIterator[Panel]:
    """The real app on a free port with the demo seeded, the chair's Playground in front of it, and
    one more Playground for each person in `extra` (so their 1:1 chat with the bot can be seen).
    With `cosmos`, the store is that Cosmos DB database, and `instances` apps may share it. The case
    room's chat is in `room_holder`'s Playground (one of `extra`, to see the room as they do)."""
    bot_port = free_port()
    clock = FixedClock(E2E_MORNING)
    settings = Settings(
        sqlite_path=workdir / "panel.db",
        identity_hash_key=key,
        create_store=True,
        public_base_url=f"http://127.0.0.1:{bot_port}",
        panel=config or PanelConfig(),
        cosmos=cosmos,
        # As a force's deployment would: only the (Playground's made-up) tenant is answered.
        allowed_tenant_id=TENANT_ID,
    )
    state: dict[str, Any] = {"others": []}
    other_ports = [free_port() for _ in range(instances - 1)]

    async def serve(port: int) -> web.AppRunner:
        app = create_app(settings, clock=clock, tick_seconds=0.2, reminder_seconds=0.3)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    async def start_app() -> web.Application:
        state["runner"] = await serve(bot_port)
        app: web.Application = state["runner"].app
        return app

    async def restart() -> web.Application:
        await state["runner"].cleanup()
        state["app"] = await start_app()
        return state["app"]

    state["app"] = await start_app()
    try:
        seeded = await seed_demo(state["app"][DEPS])
        for port in other_ports:  # started after seeding, as a second instance joins a running store
            state["others"].append(await serve(port))
        endpoint = f"http://127.0.0.1:{bot_port}/api/messages"
        async with AsyncExitStack() as stack:
            session = await stack.enter_async_context(aiohttp.ClientSession())
            clients: dict[str, TeamsClient] = {}
            for person in (CHAIR, *extra):
                others = playground_users(person)
                playground = await stack.enter_async_context(
                    running_playground(
                        endpoint,
                        free_port(),
                        person,
                        others,
                        workdir / f"pg-{person.key}",
                        main=person is room_holder,
                    )
                )
                ws = await stack.enter_async_context(
                    session.ws_connect(f"{playground.url}/_ws_conversation/v1/conversations/stream")
                )
                client = TeamsClient(playground.url, session, person)
                task = asyncio.create_task(client.collect(ws))
                stack.callback(task.cancel)
                clients[person.key] = client
            yield Panel(
                clients[CHAIR.key],
                clients,
                seeded,
                clock,
                endpoint,
                workdir / "panel.db",
                restart,
                state,
                tuple(f"http://127.0.0.1:{port}/api/messages" for port in other_ports),
            )
    finally:
        for runner in state["others"]:
            await runner.cleanup()
        await state["runner"].cleanup()


async def next_press(panel: Panel, card_id: str, seen_slot: str) -> dict[str, Any]:
    """The chair's press on the control card's Next button, as Teams sends it to the bot."""
    activity = await panel.chair.template(CASE_ROOM_CHAT)
    data = {"sitting": panel.seeded.sitting.sitting_id, "slot": seen_slot}
    activity.update(
        # Each press is its own activity with its own id, as Teams sends it: the Playground's
        # template can give two presses made in the same millisecond the same id, which the bot
        # rightly takes as one press redelivered.
        id=f"press-{uuid.uuid4().hex}",
        type="invoke",
        name="adaptiveCard/action",
        replyToId=card_id,
        value={
            "action": {"type": "Action.Execute", "verb": "sitting.next", "data": data},
            "trigger": "manual",
        },
        **{"from": {"id": panel.chair.user.teams_id, "aadObjectId": panel.chair.user.aad_object_id}},
    )
    return activity
