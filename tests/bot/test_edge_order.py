# ruff: noqa: F811 (the `edge` fixture is imported, and named as a parameter)
"""What the edge checks, and in what order (README, "What the edge checks"): the cheap checks and
the token come before the body is read or parsed, an address that keeps failing is turned away
before its token is looked at, only the force's own tenant is answered, and a local bot answers
only requests addressed to this machine."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

import bot.teams.endpoint
from app import RouteAccessLogger, create_app
from bot.limits import EdgeLimits, RateLimiter
from settings import Settings
from tests.bot.test_endpoint import local_settings
from tests.bot.test_tokens import TENANT, Edge, activity, edge, token  # noqa: F401 (edge is a fixture)


async def served_as_serve(settings: Settings) -> TestServer:
    """The app behind a test server that logs requests as `panelbot serve` does."""
    server = TestServer(create_app(settings, background=False))
    await server.start_server(access_log_class=RouteAccessLogger)
    return server


OTHER_TENANT = "0b0b0b0b-0000-4000-8000-00000000beef"


async def send(edge: Edge, body: Any, bearer: str | None = None, **headers: str) -> int:
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    headers.setdefault("Content-Type", "application/json")
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    response = await edge.client.post("/api/messages", data=data, headers=headers)
    return response.status


def good(edge: Edge) -> str:
    return token(claims={"serviceurl": edge.service_url})


async def test_a_large_body_without_a_token_is_refused_before_it_is_parsed(
    edge: Edge, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[int] = []

    def counting(raw: bytes) -> Any:
        parsed.append(len(raw))
        return json.loads(raw)

    monkeypatch.setattr(
        bot.teams.endpoint, "json", SimpleNamespace(loads=counting, JSONDecodeError=json.JSONDecodeError)
    )
    huge = json.dumps({**activity(edge.service_url), "text": "x" * 660_000})
    assert await send(edge, huge) == 401
    assert await send(edge, huge, "not.a.token") == 401
    assert await send(edge, huge, **{"Authorization": "Basic dXNlcjpwYXNz"}) == 401
    assert parsed == []  # the body was never parsed (nor read) for any of them
    # With a good token, a body larger than any Teams activity is refused unparsed too.
    assert await send(edge, huge, good(edge)) == 413
    assert parsed == []
    assert not edge.processed_anything()


async def test_an_address_that_keeps_failing_is_turned_away_before_its_token_is_judged(edge: Edge) -> None:
    statuses = [
        await send(edge, activity(edge.service_url), "bad", **{"X-Forwarded-For": "203.0.113.7"})
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    # Another address, and Teams with a good token from it, are not held back.
    assert await send(edge, activity(edge.service_url), "bad", **{"X-Forwarded-For": "198.51.100.9"}) == 401
    assert (
        await send(edge, activity(edge.service_url), good(edge), **{"X-Forwarded-For": "198.51.100.9"}) == 200
    )


@pytest.mark.parametrize(
    ("where", "tenant", "status"),
    [
        ("channel data", TENANT, 200),
        ("channel data, in capitals", TENANT.upper(), 200),
        ("channel data", OTHER_TENANT, 403),
        ("conversation only", TENANT, 200),
        ("conversation only", OTHER_TENANT, 403),
        ("nowhere", None, 403),
    ],
)
async def test_only_the_forces_own_tenant_is_answered(
    edge: Edge, where: str, tenant: str | None, status: int
) -> None:
    sent = activity(edge.service_url)
    sent.pop("channelData")
    sent["conversation"].pop("tenantId")
    if where.startswith("channel data"):
        sent["channelData"] = {"tenant": {"id": tenant}}
    elif where == "conversation only":
        sent["conversation"]["tenantId"] = tenant
    assert await send(edge, sent, good(edge)) == status, where
    assert edge.processed_anything() is (status == 200)


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json", 200),
        ("application/json; charset=utf-8", 200),
        ("text/plain;x=application/json", 415),  # a browser may send this without asking first
        ("text/plain", 415),
        ("application/jsonp", 415),
    ],
)
async def test_only_json_is_taken(tmp_path: Path, content_type: str, status: int) -> None:
    settings = local_settings(tmp_path)
    async with TestClient(TestServer(create_app(settings, background=False))) as client:
        response = await client.post(
            "/api/messages",
            data=json.dumps(activity("http://127.0.0.1:9/")),
            headers={"Content-Type": content_type},
        )
        assert response.status == status


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:3978", "192.168.1.5:3978", "127.0.0.1.nip.io"]
)
async def test_a_local_bot_answers_only_requests_addressed_to_this_machine(tmp_path: Path, host: str) -> None:
    settings = local_settings(tmp_path)
    async with TestClient(TestServer(create_app(settings, background=False))) as client:
        for method, path in (("POST", "/api/messages"), ("GET", "/exports/" + "a" * 32), ("GET", "/healthz")):
            response = await client.request(
                method, path, data=json.dumps(activity("http://127.0.0.1:9/")), headers={"Host": host}
            )
            assert response.status == 421, (host, path)
        for name in ("127.0.0.1", "localhost", "[::1]:3978"):
            response = await client.get("/healthz", headers={"Host": name})
            assert response.status == 200, name


async def test_the_access_log_names_the_route_never_the_download_token(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = local_settings(tmp_path)
    secret = "tok" + "Z" * 40
    server = await served_as_serve(settings)
    with caplog.at_level(logging.INFO):
        async with TestClient(server) as client:
            await client.post(f"/exports/{secret}")
            await client.post(f"/exports/{secret}?x=1")
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("aiohttp.access")]
    assert any("route=/exports/{token} status=404" in line for line in lines), lines
    assert secret not in caplog.text


def test_a_flood_of_refusals_is_one_line_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    from bot.errors import log_once_a_minute

    with caplog.at_level(logging.WARNING):
        for _ in range(105):
            log_once_a_minute(logging.getLogger("bot.teams.endpoint"), "activity.rate_limited.test")
    assert len([r for r in caplog.records if "activity.rate_limited.test" in r.getMessage()]) == 1


async def test_rate_limited_requests_write_one_warning_not_one_each(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = local_settings(tmp_path)
    limits = EdgeLimits(RateLimiter(1, 0.001), RateLimiter(1000, 1000))
    app = create_app(settings, background=False, limits=limits)
    with caplog.at_level(logging.WARNING):
        async with TestClient(TestServer(app)) as client:
            statuses = [
                (await client.post("/api/messages", json=activity("http://127.0.0.1:9/"))).status
                for _ in range(40)
            ]
    assert statuses.count(429) == 39
    assert len([r for r in caplog.records if "rate_limited" in r.getMessage()]) <= 1


async def test_a_failing_download_logs_its_route_not_its_token(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from app import STORE

    settings = local_settings(tmp_path)
    secret = "tok" + "Q" * 40
    server = await served_as_serve(settings)
    with caplog.at_level(logging.INFO):
        async with TestClient(server) as client:
            await client.app[STORE].close()  # the store fails under the download
            response = await client.post(f"/exports/{secret}")
    assert response.status >= 500
    assert secret not in caplog.text
    assert "route=/exports/{token}" in caplog.text


async def test_a_flood_from_another_tenant_is_one_log_line(
    edge: Edge, caplog: pytest.LogCaptureFixture
) -> None:
    sent = activity(edge.service_url)
    sent["channelData"] = {"tenant": {"id": "00000000-0000-4000-8000-0000000000ff"}}
    with caplog.at_level("INFO"):
        for _ in range(20):
            assert await send(edge, sent, good(edge)) == 403
    assert sum("activity.other_tenant" in r.getMessage() for r in caplog.records) <= 1


async def test_another_tenants_activity_is_refused_before_it_is_deserialised(
    edge: Edge, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[int] = []
    real = bot.teams.endpoint.Activity

    def counting() -> Any:  # the endpoint makes an Activity only to deserialise into it
        made.append(1)
        return real()

    monkeypatch.setattr(bot.teams.endpoint, "Activity", counting)
    other = activity(edge.service_url)
    other["channelData"] = {"tenant": {"id": "00000000-0000-4000-8000-0000000000fe"}}
    assert await send(edge, other, good(edge)) == 403
    assert made == []  # msrest never saw it
    assert await send(edge, activity(edge.service_url), good(edge)) == 200
    assert made == [1]  # the check is not simply stopping everything
