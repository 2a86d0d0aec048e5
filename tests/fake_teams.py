"""A small stand-in for Teams, for tests that drive the real app over HTTP without a Playground:
a Bot Connector that records what the bot sends and lists chat members, and a client that posts
activities to the bot as Teams would (messages, button presses, refreshes, meeting events).

The Agents Playground is the real client for end-to-end tests; this is for tests that need many
people, roles and requests quickly (the permission matrix, hostile payloads, benchmarks)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

from cli.demo_data import DemoPerson
from cli.playground import BOT_ID, BOT_NAME, TENANT_ID

CASE_ROOM = "case-room-chat"


def personal(person: DemoPerson) -> str:
    """A person's 1:1 chat with the bot."""
    return f"personal-{person.key}"


@dataclass
class Connector:
    """What the bot sent, and who each chat has in it."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    members: dict[str, list[DemoPerson]] = field(default_factory=dict)
    meeting_calls: list[dict[str, Any]] = field(default_factory=list)
    connections: set[Any] = field(default_factory=set)  # the bot's client ends of the TCP links used
    gone: set[str] = field(default_factory=set)  # messages deleted from their chat: updates get 404
    update_tries: list[str] = field(default_factory=list)
    participant_calls: list[dict[str, Any]] = field(default_factory=list)
    # Who Teams' participant API says is in each meeting: meeting id -> Entra ids.
    in_meeting: dict[str, set[str]] = field(default_factory=dict)
    unanswered: set[str] = field(default_factory=set)  # meetings Teams' participant API answers 404 for
    # How long each call takes to answer, as Teams' connector far from the app would (`make bench`).
    delay_s: float = 0.0
    # When each call arrived (monotonic seconds), with its method and path: what left when.
    arrivals: list[tuple[float, str, str]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        """The connector's routes, as the Bot Framework exposes them."""

        @web.middleware
        async def far_away(request: web.Request, handler: Any) -> web.StreamResponse:
            self.arrivals.append((time.monotonic(), request.method, request.path))
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            response: web.StreamResponse = await handler(request)
            return response

        app = web.Application(middlewares=[far_away])
        app.router.add_post("/v3/conversations/{chat}/activities", self._send)
        app.router.add_post("/v3/conversations/{chat}/activities/{reply_to}", self._send)
        app.router.add_put("/v3/conversations/{chat}/activities/{message}", self._update)
        app.router.add_get("/v3/conversations/{chat}/pagedmembers", self._paged_members)
        app.router.add_post("/v1/meetings/{meeting}/notification", self._notify)
        app.router.add_get("/v1/meetings/{meeting}/participants/{aad}", self._participant)
        return app

    def in_chat(self, chat: str) -> list[dict[str, Any]]:
        """Everything the bot created or updated in one chat, in order."""
        return [s for s in self.sent if s["chat"] == chat]

    async def _send(self, request: web.Request) -> web.Response:
        if request.transport is not None:
            self.connections.add(request.transport.get_extra_info("peername"))
        body = await request.json()
        message_id = f"m{next(self._ids)}"
        record = {"chat": request.match_info["chat"], "action": "create", "id": message_id, **body}
        if "reply_to" in request.match_info:  # POST .../activities/{id}: a reply to that activity
            record["replied_to"] = request.match_info["reply_to"]
        self.sent.append(record)
        return web.json_response({"id": message_id})

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        message_id = request.match_info["message"]
        self.update_tries.append(message_id)
        if message_id in self.gone:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        self.sent.append({"chat": request.match_info["chat"], "action": "update", "id": message_id, **body})
        return web.json_response({"id": message_id})

    async def _paged_members(self, request: web.Request) -> web.Response:
        people = self.members.get(request.match_info["chat"], [])
        members = [{"id": p.teams_id, "name": p.display_name, "aadObjectId": p.aad_object_id} for p in people]
        return web.json_response({"members": members})

    async def _notify(self, request: web.Request) -> web.Response:
        self.meeting_calls.append({"meeting": request.match_info["meeting"], **(await request.json())})
        return web.Response(status=202)

    async def _participant(self, request: web.Request) -> web.Response:
        self.participant_calls.append(
            {
                "meeting": request.match_info["meeting"],
                "aad": request.match_info["aad"],
                "tenantId": request.query.get("tenantId"),
            }
        )
        if request.match_info["meeting"] in self.unanswered:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        present = request.match_info["aad"] in self.in_meeting.get(request.match_info["meeting"], set())
        return web.json_response({"meeting": {"inMeeting": present}})


@dataclass
class FakeTeams:
    """Posts activities to the bot as Teams would, with the connector above as their service URL."""

    bot_url: str
    service_url: str
    connector: Connector
    session: aiohttp.ClientSession
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    last: dict[str, Any] = field(default_factory=dict)

    def activity(self, person: DemoPerson | None, chat: str, **fields: Any) -> dict[str, Any]:
        """An activity from `person` (None: someone Teams knows but the roster does not) in `chat`."""
        sender = (
            {"id": person.teams_id, "name": person.display_name, "aadObjectId": person.aad_object_id}
            if person
            else {
                "id": "29:stranger",
                "name": "Someone",
                "aadObjectId": "99999999-0000-4000-8000-000000000099",
            }
        )
        group = not chat.startswith("personal-")
        return {
            "id": f"activity-{next(self._ids)}",
            "channelId": "msteams",
            "serviceUrl": self.service_url,
            "from": sender,
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "conversation": {
                "id": chat,
                "conversationType": "groupChat" if group else "personal",
                "tenantId": TENANT_ID,
            },
            "channelData": {"tenant": {"id": TENANT_ID}},
            **fields,
        }

    async def post(self, activity: dict[str, Any]) -> tuple[int, Any]:
        """Send an activity; the HTTP status and body (an invoke's answer)."""
        self.last = activity
        async with self.session.post(self.bot_url, json=activity) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body

    async def say(
        self, person: DemoPerson | None, chat: str, text: str, *, mention: bool = True
    ) -> list[dict[str, Any]]:
        """A person types; what the bot sent in reply (anywhere) while handling it. In a group chat
        the bot is @mentioned unless `mention` is False (a message people send each other, which
        Teams delivers to a bot holding ChatMessage.Read.Chat)."""
        group = not chat.startswith("personal-")
        mentioned = group and mention
        fields: dict[str, Any] = {
            "type": "message",
            "text": f"<at>{BOT_NAME}</at> {text}" if mentioned else text,
        }
        if mentioned:
            fields["entities"] = [
                {
                    "type": "mention",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                    "text": f"<at>{BOT_NAME}</at>",
                }
            ]
        before = len(self.connector.sent)
        status, _ = await self.post(self.activity(person, chat, **fields))
        assert status in (200, 201), status
        return self.connector.sent[before:]

    async def press(
        self, person: DemoPerson | None, chat: str, verb: str, data: dict[str, Any], trigger: str = "manual"
    ) -> Any:
        """A person presses an Action.Execute button (or Teams refreshes a card for them)."""
        value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": trigger}
        status, body = await self.post(
            self.activity(person, chat, type="invoke", name="adaptiveCard/action", value=value)
        )
        assert status == 200, status
        return body


@asynccontextmanager
async def fake_teams(bot_url: str) -> AsyncIterator[FakeTeams]:
    """A connector on a free port, and a client that posts to the bot at `bot_url`."""
    connector = Connector()
    server = TestServer(connector.app())
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as session:
            yield FakeTeams(bot_url, str(server.make_url("/")), connector, session)
    finally:
        await server.close()


def text_of(node: Any) -> str:
    """Every string in an activity or card, joined: what a person could read."""
    parts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            parts.append(value)

    walk(node)
    return "\n".join(parts)
