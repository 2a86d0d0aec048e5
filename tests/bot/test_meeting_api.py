"""The meeting REST calls against a local stub that checks the request shape Microsoft documents:
POST {serviceUrl}/v1/meetings/{meetingId}/notification and GET …/participants/{id}?tenantId=…"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.teams.meeting_api import MeetingApi


class Stub:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], Any]] = []
        self.status = 202

    async def notification(self, request: web.Request) -> web.Response:
        # The meeting id must arrive as one path segment, whatever characters it holds.
        self.requests.append(
            (request.method, request.match_info["meeting"], dict(request.headers), await request.json())
        )
        return web.Response(status=self.status)

    async def participant(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path_qs, dict(request.headers), None))
        return web.json_response({"user": {"id": "29:x"}, "meeting": {"role": "Attendee", "inMeeting": True}})


@pytest.fixture
async def stub() -> AsyncIterator[tuple[Stub, str]]:
    fake = Stub()
    app = web.Application()
    app.router.add_post("/v1/meetings/{meeting}/notification", fake.notification)
    app.router.add_get("/v1/meetings/{meeting}/participants/{participant}", fake.participant)
    async with TestServer(app) as server:
        yield fake, str(server.make_url("/"))


async def token() -> str:
    return "bot-token"


async def test_targeted_notification_has_the_documented_shape(stub: tuple[Stub, str]) -> None:
    fake, base = stub
    sent = await MeetingApi(token).notify(
        base, "MCM/xOT==", ["29:soo"], "https://bot.example.org/panel-ready", "Ready"
    )
    assert sent
    ((method, path, headers, body),) = fake.requests
    assert (method, path) == ("POST", "MCM/xOT==")
    assert headers["Authorization"] == "Bearer bot-token"
    assert body["type"] == "targetedMeetingNotification"
    assert body["value"]["recipients"] == ["29:soo"]
    (surface,) = body["value"]["surfaces"]
    assert (surface["surface"], surface["contentType"]) == ("meetingStage", "task")
    assert surface["content"]["value"]["url"] == "https://bot.example.org/panel-ready"


async def test_a_refused_notification_is_reported_not_raised(stub: tuple[Stub, str]) -> None:
    fake, base = stub
    fake.status = 403
    assert not await MeetingApi(token).notify(base, "m", ["29:soo"], "https://x/y", "Ready")
    assert not await MeetingApi(token).notify("http://127.0.0.1:9", "m", ["29:soo"], "https://x/y", "Ready")


async def test_at_most_ten_recipients(stub: tuple[Stub, str]) -> None:
    _, base = stub
    with pytest.raises(ValueError):
        await MeetingApi(token).notify(base, "m", [f"29:{n}" for n in range(11)], "https://x/y", "Ready")


async def test_participant_lookup_has_the_documented_shape(stub: tuple[Stub, str]) -> None:
    fake, base = stub
    found = await MeetingApi(token).participant(
        base, "m1", "00000000-0000-4000-8000-000000000005", "tenant-1"
    )
    assert found is not None and found["meeting"]["inMeeting"] is True
    ((method, path, _, _),) = fake.requests
    assert path == "/v1/meetings/m1/participants/00000000-0000-4000-8000-000000000005?tenantId=tenant-1"
