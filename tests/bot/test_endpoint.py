"""The HTTP edge: malformed requests get a clear 4xx, tokens are enforced with an app id, health."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import STORE, create_app
from settings import Settings
from tests.conftest import TEST_KEY


def local_settings(tmp_path: Path, **overrides: str) -> Settings:
    return Settings(  # type: ignore[arg-type]
        sqlite_path=tmp_path / "panel.db", identity_hash_key=TEST_KEY, create_store=True, **overrides
    )


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(local_settings(tmp_path)))) as test_client:
        yield test_client


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        ("not json at all", "application/json", 400, "not valid JSON"),
        ("[1, 2, 3]", "application/json", 400, "no type"),
        ('{"text": "help"}', "application/json", 400, "no type"),
        ('{"type": ""}', "application/json", 400, "no type"),
        ('{"type": 5, "conversation": {"id": "c"}}', "application/json", 400, "no type"),
        ('{"type": "message"}', "text/plain", 415, "application/json"),
        (
            '{"type": "message", "from": "not an account", "conversation": 7,'
            ' "serviceUrl": "http://127.0.0.1:1/"}',
            "application/json",
            400,
            "could not",
        ),
    ],
)
async def test_malformed_activities_get_a_clear_client_error(
    client: TestClient, body: str, content_type: str, status: int, says: str
) -> None:
    response = await client.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == status
    payload = await response.json()
    assert says in payload["error"]
    assert "Traceback" not in await response.text()


async def test_a_message_body_is_never_echoed_in_an_error(client: TestClient) -> None:
    response = await client.post(
        "/api/messages",
        data='{"type": "message", "text": "Jordan Blackwood 07700 900123", "from": 5}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 400
    assert "Blackwood" not in await response.text() and "07700" not in await response.text()


async def test_health_reports_the_store_and_the_version(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "storage": "up", "version": "0.1.0"}
    await client.app[STORE].close()
    down = await client.get("/healthz")
    assert down.status == 503
    assert (await down.json())["storage"] == "down"


async def test_with_an_app_id_a_request_without_a_token_is_refused(tmp_path: Path) -> None:
    settings = local_settings(
        tmp_path, app_id="11111111-2222-4333-8444-555555555555", app_password="placeholder-secret"
    )
    async with TestClient(TestServer(create_app(settings))) as secured:
        response = await secured.post(
            "/api/messages",
            json={
                "type": "message",
                "text": "help",
                "channelId": "msteams",
                "serviceUrl": "http://127.0.0.1:9/",
                "from": {"id": "29:x"},
                "conversation": {"id": "c"},
                "recipient": {"id": "28:bot"},
            },
        )
    assert response.status == 401


def test_libraries_that_log_payloads_are_kept_quiet_even_at_debug(tmp_path: Path) -> None:
    import logging

    from app import CHATTY_LIBRARIES

    logging.getLogger().setLevel(logging.DEBUG)
    try:
        create_app(local_settings(tmp_path))
        for name in CHATTY_LIBRARIES:
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
    finally:
        logging.getLogger().setLevel(logging.WARNING)
