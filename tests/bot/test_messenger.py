"""Delivery honours Teams' rate limits: 429 and 5xx are retried (Retry-After first), others are not.
Teams itself cannot be run here, so the adapter is faked at the SDK edge only."""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.outgoing import chat_key, meeting_key, text_message, user_key
from bot.teams.messenger import MAX_ATTEMPTS, Messenger
from panel.usecases.deps import Deps


class FakeResponse:
    def __init__(self, status: int, retry_after: str | None = None) -> None:
        self.status_code = status
        self.headers = {"Retry-After": retry_after} if retry_after else {}


class ChannelError(Exception):
    def __init__(self, status: int, retry_after: str | None = None) -> None:
        super().__init__(f"status {status}")
        self.response = FakeResponse(status, retry_after)


class FakeTurn:
    def __init__(self, failures: list[ChannelError]) -> None:
        self.failures = failures

    def on_send_activities(self, handler: Any) -> None:
        """Handlers a real turn runs before sending; none of these tests depends on them."""

    async def send_activity(self, activity: Activity) -> Any:
        if self.failures:
            raise self.failures.pop(0)
        return type("Sent", (), {"id": "m-1"})()


class FakeAdapter:
    def __init__(self, failures: list[ChannelError]) -> None:
        self.turn = FakeTurn(failures)
        self.calls = 0

    async def continue_conversation(
        self, reference: Any, callback: Callable[[Any], Awaitable[None]], app_id: str
    ) -> None:
        self.calls += 1
        await callback(self.turn)


async def messenger_with(
    deps: Deps, failures: list[ChannelError]
) -> tuple[Messenger, FakeAdapter, list[float]]:
    adapter = FakeAdapter(failures)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    messenger = Messenger(adapter, "", deps, sleep=sleep)  # type: ignore[arg-type]
    async with deps.uow() as uow:
        uow.addresses.put(chat_key("c"), {"conversation": {"id": "c"}, "serviceUrl": "http://127.0.0.1:9"})
        await uow.commit()
    return messenger, adapter, waits


async def test_a_429_waits_as_long_as_teams_asks_then_delivers(deps: Deps) -> None:
    messenger, adapter, waits = await messenger_with(deps, [ChannelError(429, "3")])
    assert await messenger.post(chat_key("c"), text_message("x")) == "m-1"
    assert adapter.calls == 2 and 3.0 <= waits[0] <= 3.75


async def test_server_errors_back_off_and_give_up_after_the_limit(deps: Deps) -> None:
    messenger, adapter, waits = await messenger_with(deps, [ChannelError(503)] * MAX_ATTEMPTS)
    assert await messenger.post(chat_key("c"), text_message("x")) is None
    assert adapter.calls == MAX_ATTEMPTS and waits == sorted(waits) and len(waits) == MAX_ATTEMPTS - 1


async def test_a_refusal_is_not_retried(deps: Deps) -> None:
    messenger, adapter, waits = await messenger_with(deps, [ChannelError(403)])
    assert await messenger.post(chat_key("c"), text_message("x")) is None
    assert adapter.calls == 1 and waits == []


async def test_an_unknown_address_is_not_attempted(deps: Deps) -> None:
    messenger, adapter, _ = await messenger_with(deps, [])
    assert await messenger.post(chat_key("nobody"), text_message("x")) is None
    assert adapter.calls == 0


async def test_someone_with_no_address_is_logged_once_not_at_every_try(
    deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    """The timer and the reminder round try each minute: the log says so once, not 60 times an hour."""
    caplog.set_level(logging.INFO)
    messenger, adapter, _ = await messenger_with(deps, [])
    for _ in range(5):
        assert await messenger.post(user_key("never-wrote"), text_message("x")) is None
    assert await messenger.post(chat_key("c"), text_message("x")) == "m-1"
    assert [r.getMessage() for r in caplog.records if "no_address" in r.getMessage()] == [
        "deliver.no_address key=user"
    ]
    assert adapter.calls == 1


async def test_someone_who_installs_the_app_through_another_instance_is_reached_at_once(deps: Deps) -> None:
    """A reminder this instance claims must reach them: "no address" is never held for a person."""
    messenger, adapter, _ = await messenger_with(deps, [])
    assert await messenger.post(user_key("new-soo"), text_message("x")) is None
    async with deps.uow() as uow:  # another instance heard from them and stored their address
        uow.addresses.put(
            user_key("new-soo"), {"conversation": {"id": "p"}, "serviceUrl": "http://127.0.0.1:9"}
        )
        await uow.commit()
    assert await messenger.post(user_key("new-soo"), text_message("x")) == "m-1"
    assert adapter.calls == 1


async def test_a_meeting_the_bot_has_not_heard_from_is_asked_for_once_in_half_a_minute(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def counting() -> Any:
        asked.append("read")
        return deps.uow()

    messenger, _, _ = await messenger_with(dataclasses.replace(deps, uow=counting), [])
    asked.clear()
    assert await messenger.address(meeting_key("waiting-room")) is None
    assert await messenger.address(meeting_key("waiting-room")) is None  # the same turn's check
    assert asked == ["read"]
    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + 31.0)
    assert await messenger.address(meeting_key("waiting-room")) is None
    assert asked == ["read", "read"]
