"""A bounded edge: a runaway client is slowed with 429s while others carry on; the same failure is
logged once a minute with a count, not once per request; every answer carries safe headers."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from bot.errors import RepeatCounter, log_exception
from bot.limits import RateLimiter
from cli.demo import Seeded
from cli.demo_data import CHAIR, MEMBER
from settings import Settings
from tests.bot.world import running_world, seeded_template
from tests.conftest import TEST_KEY
from tests.fake_teams import personal


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


def test_a_bucket_lets_a_burst_through_then_refills_at_its_rate() -> None:
    now = [0.0]
    limiter = RateLimiter(3, 1.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("a") == pytest.approx(1.0)
    assert limiter.allow("b") == 0.0  # someone else is unaffected
    now[0] = 1.0
    assert limiter.allow("a") == 0.0


async def test_a_runaway_client_gets_429_and_others_carry_on(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    async with running_world(*template, tmp_path) as world:
        statuses = []
        for _ in range(30):
            status, _ = await world.teams.post(
                world.teams.activity(CHAIR, personal(CHAIR), type="message", text="help")
            )
            statuses.append(status)
        assert all(s in (200, 201) for s in statuses[:20])
        assert 429 in statuses[20:]
        status, _ = await world.teams.post(
            world.teams.activity(MEMBER, personal(MEMBER), type="message", text="help")
        )
        assert status in (200, 201)


def test_the_same_failure_is_counted_and_logged_once_a_minute(caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    counter = RepeatCounter(clock=lambda: now[0])
    assert counter.note("x") == 0
    assert [counter.note("x") for _ in range(5)] == [None] * 5
    assert counter.note("y") == 0
    now[0] = 61.0
    assert counter.note("x") == 5
    caplog.set_level(logging.ERROR)
    try:
        raise ValueError("Casey Marlowe 07700 900123")
    except ValueError as error:
        for _ in range(10):
            log_exception("edge.test_failure", error)
    lines = [r.getMessage() for r in caplog.records if "edge.test_failure" in r.getMessage()]
    assert len(lines) == 1 and "Marlowe" not in lines[0]


async def test_every_answer_is_uncached_unsniffed_and_the_page_locked_down(tmp_path: Path) -> None:
    settings = Settings(sqlite_path=tmp_path / "panel.db", identity_hash_key=TEST_KEY, create_store=True)
    async with TestClient(TestServer(create_app(settings, background=False))) as client:
        for path in ("/healthz", "/panel-ready", "/no-such-page"):
            response = await client.get(path)
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["Cache-Control"] == "no-store", path
        page = await client.get("/panel-ready")
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors https://teams.microsoft.com" in policy
