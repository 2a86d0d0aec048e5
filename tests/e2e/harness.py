"""Driving the bot through the Agents Playground as Teams users would, over its HTTP and WebSocket API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from app import DEPS, create_app
from bot.replies import WELCOME
from cli.demo import Seeded, seed_demo
from cli.demo_data import CHAIR, DEMO_ROSTER, DemoPerson
from cli.playground import BOT_ID, BOT_NAME, free_port, running_playground
from settings import Settings

REPLY_TIMEOUT_S = 15


@dataclass
class TeamsClient:
    """One Playground session: send as any demo person, collect what the bot posts."""

    url: str
    session: aiohttp.ClientSession
    seeded: Seeded
    app: web.Application
    posted: list[dict[str, Any]] = field(default_factory=list)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def say(self, chat: str, text: str, *, group: bool = False) -> dict[str, Any]:
        """The Playground's own user types a message; returns the bot's reply."""
        body: dict[str, Any] = {"from": {"id": CHAIR.teams_id}, "text": text, "textFormat": "plain"}
        if group:
            body["text"] = f"<at>{BOT_NAME}</at> {text}"
            body["mentions"] = [{"mentioned": {"id": BOT_ID}, "text": f"<at>{BOT_NAME}</at>"}]
        return await self._expect_reply(
            chat,
            lambda: self.session.post(
                f"{self.url}/_conversation/v1/conversations/{chat}/messages", json=body
            ),
        )

    async def say_as(
        self, person: DemoPerson | dict[str, str], chat: str, text: str, *, group: bool = False
    ) -> dict[str, Any]:
        """Someone other than the Playground's user sends a message (a custom activity)."""
        template_url = f"{self.url}/_internal/v1/customActivities/template?conversationId={chat}"
        async with self.session.get(template_url) as response:
            activity = await response.json()
        sender = (
            {"id": person.teams_id, "name": person.display_name, "aadObjectId": person.aad_object_id}
            if isinstance(person, DemoPerson)
            else person
        )
        activity.update(type="message", from_=None, text=f"<at>{BOT_NAME}</at> {text}" if group else text)
        activity.pop("from_")
        activity["from"] = sender
        if group:
            activity["entities"] = [
                {
                    "type": "mention",
                    "mentioned": {"id": BOT_ID, "name": BOT_NAME},
                    "text": f"<at>{BOT_NAME}</at>",
                }
            ]
        return await self._expect_reply(
            chat, lambda: self.session.post(f"{self.url}/_internal/v1/customActivities", json=activity)
        )

    async def collect(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Keep every message the bot creates."""
        async for frame in ws:
            if frame.type is not aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(frame.data)
            message = data.get("message") or {}
            if data.get("action") == "createMessage" and (message.get("from") or {}).get("id") == BOT_ID:
                async with self._arrived:
                    self.posted.append({"chat": data.get("actionConversationId"), **message})
                    self._arrived.notify_all()

    async def _expect_reply(self, chat: str, send: Callable[[], Any]) -> dict[str, Any]:
        before = len(self.posted)
        async with send() as response:
            assert response.status == 200, await response.text()

        def reply() -> dict[str, Any] | None:
            return next(
                (m for m in self.posted[before:] if m["chat"] == chat and m.get("text") != WELCOME), None
            )

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: reply() is not None), REPLY_TIMEOUT_S)
        found = reply()
        assert found is not None
        return found


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


@asynccontextmanager
async def bot_in_playground(workdir: Path, key: bytes) -> AsyncIterator[TeamsClient]:
    """The real app on a free port with the demo seeded, and the Playground in front of it."""
    bot_port, playground_port = free_port(), free_port()
    app = create_app(Settings(sqlite_path=workdir / "panel.db", identity_hash_key=key))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", bot_port).start()
    try:
        seeded = await seed_demo(app[DEPS])
        others = [p for p in DEMO_ROSTER if p is not CHAIR]
        async with (
            running_playground(
                f"http://127.0.0.1:{bot_port}/api/messages", playground_port, CHAIR, others, workdir / "pg"
            ) as playground,
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{playground.url}/_ws_conversation/v1/conversations/stream") as ws,
        ):
            client = TeamsClient(playground.url, session, seeded, app)
            collector = asyncio.create_task(client.collect(ws))
            try:
                yield client
            finally:
                collector.cancel()
    finally:
        await runner.cleanup()
