"""`make demo AS=member` (or partner) shows a case being heard: the made-up chair starts the sitting
and calls its first case, or, when the role is switched while the sitting is live and this
Playground's chat starts empty, posts the sitting's cards again."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

import cli.demo
from cli.demo import _chair_opens_for
from cli.demo_data import CHAIR, MEMBER, PARTNER
from panel.sitting import SittingStatus


async def _said_by_the_chair(
    monkeypatch: pytest.MonkeyPatch, person: Any, status: SittingStatus | None
) -> tuple[bool, list[str]]:
    """What the made-up chair said in the case-room chat of a stand-in Playground."""
    said: list[str] = []

    async def template(_: web.Request) -> web.Response:
        return web.json_response({"conversation": {"id": "case-room"}})

    async def post(request: web.Request) -> web.Response:
        activity = await request.json()
        assert activity["from"]["aadObjectId"] == CHAIR.aad_object_id
        said.append(activity["text"].split("</at>")[-1].strip())
        return web.json_response({}, status=201)

    async def todays_sitting(*_: Any, **__: Any) -> Any:
        return None if status is None else SimpleNamespace(status=status)

    monkeypatch.setattr(cli.demo.live, "todays_sitting", todays_sitting)
    monkeypatch.setattr(cli.demo, "PAUSE_BETWEEN_SAYINGS", 0.0)
    app = web.Application()
    app.router.add_get("/_internal/v1/customActivities/template", template)
    app.router.add_post("/_internal/v1/customActivities", post)
    server = TestServer(app)
    await server.start_server()
    try:
        opened = await _chair_opens_for(str(server.make_url("")).rstrip("/"), person, None)  # type: ignore[arg-type]
    finally:
        await server.close()
    return opened, said


@pytest.mark.parametrize("person", [MEMBER, PARTNER])
async def test_a_scheduled_sitting_is_started_and_its_first_case_called(
    person: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _said_by_the_chair(monkeypatch, person, SittingStatus.SCHEDULED) == (True, ["start", "next"])


@pytest.mark.parametrize("person", [MEMBER, PARTNER])
async def test_switching_role_mid_sitting_posts_its_cards_again(
    person: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _said_by_the_chair(monkeypatch, person, SittingStatus.LIVE) == (True, ["sitting"])


@pytest.mark.parametrize("status", [SittingStatus.ENDED, None])
async def test_nothing_is_said_when_there_is_nothing_to_show(
    status: SittingStatus | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await _said_by_the_chair(monkeypatch, MEMBER, status) == (False, [])


async def test_the_chair_runs_their_own_sitting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert await _said_by_the_chair(monkeypatch, CHAIR, SittingStatus.SCHEDULED) == (False, [])
