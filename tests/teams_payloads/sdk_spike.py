"""A measured spike, not part of the product: how the Bot Framework SDK the product uses
(botbuilder 4.17) and the Microsoft 365 Agents SDK (1.9) read the documented Teams payloads beside
this file, and what the Agents SDK does at the points where botbuilder is fenced in
bot/teams/. Run it with either SDK installed; it prints what it measured as JSON.

    .venv/bin/python tests/teams_payloads/sdk_spike.py      # botbuilder, the project's own venv
    <a Python 3.12 venv with microsoft-agents-hosting-aiohttp==1.9.0 and
     microsoft-agents-hosting-teams==1.9.0>/bin/python tests/teams_payloads/sdk_spike.py

The results are in bot/teams/README.md ("The way out")."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

PAYLOADS = Path(__file__).resolve().parent
# What the panel reads from an activity, by where Teams documents it.
FIELDS: dict[str, tuple[str | int, ...]] = {
    "person": ("from", "aadObjectId"),
    "chat": ("conversation", "id"),
    "chat kind": ("conversation", "conversationType"),
    "tenant in conversation": ("conversation", "tenantId"),
    "tenant in channelData": ("channelData", "tenant", "id"),
    "meeting": ("channelData", "meeting", "id"),
    "message event": ("channelData", "eventType"),
    "verb": ("value", "action", "verb"),
    "trigger": ("value", "trigger"),
    "submitted verb": ("value", "verb"),
    "participant": ("value", "members", 0, "user", "aadObjectId"),
    "member added": ("membersAdded", 1, "aadObjectId"),
    "mention": ("entities", 0, "mentioned", "id"),
    "installation": ("action",),
}
# A meeting id as Teams gives them (base64); "/" and "+" must be encoded in a URL path.
MEETING_ID = "MCMxOTptZWV0aW5n/X2Fi+Y2RAdGhyZWFkLnYyIzA="


def at(doc: Any, path: tuple[str | int, ...]) -> Any:
    """The value at a path, or None."""
    for step in path:
        if isinstance(step, int):
            doc = doc[step] if isinstance(doc, list) and len(doc) > step else None
        else:
            doc = doc.get(step) if isinstance(doc, dict) else None
    return doc


def payloads() -> dict[str, dict[str, Any]]:
    """The documented payloads, with placeholder values left as they are."""
    found = {}
    for path in sorted(PAYLOADS.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        body.pop("_source", None)
        found[path.stem] = body
    return found


def fidelity(round_trip: Any) -> dict[str, Any]:
    """Which documented fields survive the SDK reading an activity and writing it out again (as a
    stored conversation reference or a logged activity would be)."""
    kept, dropped = 0, []
    for name, body in payloads().items():
        try:
            again = round_trip(body)
        except Exception as error:  # an SDK that cannot read a documented payload at all
            dropped.append(f"{name}: unreadable ({type(error).__name__})")
            continue
        for label, path in FIELDS.items():
            if at(body, path) is None:
                continue
            if at(again, path) == at(body, path):
                kept += 1
            else:
                dropped.append(f"{name}: {label}")
    return {"fields kept": kept, "fields lost": len(dropped), "lost": dropped}


def botbuilder() -> dict[str, Any]:
    """botbuilder-schema 4.17: Activity().deserialize / serialize."""
    from botbuilder.schema import Activity

    return {"sdk": "botbuilder 4.17", "schema": fidelity(lambda b: Activity().deserialize(b).serialize())}


async def agents() -> dict[str, Any]:
    """Microsoft 365 Agents SDK 1.9: the schema, the meeting calls, and the HTTP edge."""
    from aiohttp import ClientSession, web
    from aiohttp.test_utils import TestServer
    from microsoft_agents.activity import Activity
    from microsoft_agents.activity.teams import MeetingNotification
    from microsoft_agents.activity.teams.meeting_stage_surface import MeetingStageSurface
    from microsoft_agents.hosting.aiohttp import CloudAdapter
    from microsoft_agents.hosting.core.connector.teams.teams_connector_client import TeamsConnectorClient

    result: dict[str, Any] = {"sdk": "microsoft-agents 1.9", "python": sys.version.split()[0]}
    result["schema"] = fidelity(
        lambda b: Activity.model_validate(b).model_dump(by_alias=True, exclude_none=True, mode="json")
    )

    # The participant look-up and the targeted notification, against a stub connector.
    seen: list[dict[str, Any]] = []
    connections: set[Any] = set()

    async def record(request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        seen.append({"raw_path": request.raw_path, "body": body})
        if request.transport is not None:
            connections.add(request.transport.get_extra_info("peername"))
        return web.json_response({"meeting": {"inMeeting": True}} if request.method == "GET" else {})

    stub = web.Application()
    stub.router.add_route("*", "/{tail:.*}", record)
    server = TestServer(stub)
    await server.start_server()
    try:
        client = TeamsConnectorClient(str(server.make_url("/")), "")
        try:
            await client.fetch_meeting_participant(MEETING_ID, "29:someone", "tenant")
        except Exception as error:
            seen.append({"raw_path": f"error {type(error).__name__}", "body": None})
        result["participant look-up path"] = seen[-1]["raw_path"]
        notification = MeetingNotification(
            type="targetedMeetingNotification",
            value={
                "recipients": ["29:someone"],
                "surfaces": [MeetingStageSurface(content={"value": {"url": "https://example.org/p"}})],
            },
        )
        try:
            await client.send_meeting_notification(MEETING_ID, notification)
        except Exception as error:
            seen.append({"raw_path": f"error {type(error).__name__}", "body": None})
        result["notification body sent"] = seen[-1]["body"]
        await client.client.close()

        # The SDK's own way of making this client with a token.
        class Tokens:
            async def get_access_token(self, *_: Any, **__: Any) -> str:
                return "token"

        try:
            made = await TeamsConnectorClient.create_client_with_auth_async(
                str(server.make_url("/")),
                None,
                Tokens(),
                "scope",  # type: ignore[arg-type]
            )
            result["create_client_with_auth_async"] = "works"
            await made.client.close()
        except Exception as error:
            result["create_client_with_auth_async"] = f"fails: {type(error).__name__}: {error}"
    finally:
        await server.close()

    # The HTTP edge: what a malformed body gets.
    class Agent:
        async def on_turn(self, context: Any) -> None:
            return None

    # Malformed bodies are refused before any client is made, so no factory is needed to see how.
    adapter = CloudAdapter(channel_service_client_factory=object())  # type: ignore[arg-type]

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, Agent())  # type: ignore[arg-type,return-value]

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    edge = TestServer(app)
    await edge.start_server()
    statuses = {}
    try:
        async with ClientSession() as session:
            for label, body in {
                "not JSON": b"{",
                "a JSON list": b"[]",
                "type is a number": b'{"type": 5, "conversation": {"id": "c"}}',
                "conversation is a string": b'{"type": "message", "conversation": "c"}',
            }.items():
                url, headers = str(edge.make_url("/api/messages")), {"Content-Type": "application/json"}
                async with session.post(url, data=body, headers=headers) as response:
                    statuses[label] = response.status
    finally:
        await edge.close()
    result["malformed body statuses"] = statuses
    return result


def main() -> None:
    """Measure whichever SDK this interpreter has."""
    try:
        import microsoft_agents.hosting.aiohttp  # noqa: F401
    except ImportError:
        found = botbuilder()
    else:
        found = asyncio.run(agents())
    print(json.dumps(found, indent=2))


if __name__ == "__main__":
    main()
