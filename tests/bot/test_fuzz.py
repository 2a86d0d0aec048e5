"""Hostile payloads: a bounded, property-based fuzz of every card verb and activity shape, sent to
the running app as Teams would send them. Whatever arrives: no 5xx, no failed turn, the store
intact, and the sitting still answers."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cards import verbs
from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
from panel.roles import Actor
from panel.usecases import live
from tests.bot.world import World, running_world, seeded_template
from tests.fake_teams import CASE_ROOM, personal, text_of

FIELDS = [
    "case",
    "sitting",
    "slot",
    "verb",
    "reminder",
    "minutes",
    "due",
    "description",
    "owner",
    "person",
    "for",
]
VERBS = sorted(verbs.FORM_VERBS | verbs.LIVE_VERBS | verbs.VIEW_VERBS)
JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=60),
    st.sampled_from(["²", "٣", "", " ", "K7F-2QM", "2026-13-45", "25:99", "true", "A1", "\u202e"]),
)
JSON = st.recursive(
    JSON_LEAF,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
DATA = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON, max_size=6),
    JSON,
)
PEOPLE = st.sampled_from([CHAIR, COORDINATOR, SOO_ONE, None])


class Running:
    """The app on a loop of its own, so Hypothesis' synchronous examples can talk to it."""

    def __init__(self, world: World, loop: asyncio.AbstractEventLoop) -> None:
        self.world, self.loop = world, loop

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=30)

    def post_raw(self, body: str) -> int:
        async def send() -> int:
            async with self.world.teams.session.post(
                self.world.teams.bot_url, data=body, headers={"Content-Type": "application/json"}
            ) as response:
                await response.read()
                return response.status

        status: int = self.run(send())
        return status


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    directory = tmp_path_factory.mktemp("fuzz")
    seeded = asyncio.run(seeded_template(directory / "template"))
    loop = asyncio.new_event_loop()
    ready: dict[str, Any] = {}
    stop = asyncio.Event()

    async def serve() -> None:
        async with running_world(directory / "template", seeded, directory / "world") as world:
            await world.teams.say(CHAIR, CASE_ROOM, "help")
            await live.start_sitting(
                world.deps, Actor(CHAIR.aad_object_id, CHAIR.roles), seeded.sitting.sitting_id, CASE_ROOM
            )
            ready["world"] = world
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    while "world" not in ready:
        threading.Event().wait(0.05)
    yield Running(ready["world"], loop)
    loop.call_soon_threadsafe(stop.set)
    thread.join(timeout=10)
    loop.close()


def activity(running: Running, person: Any, chat: str, **fields: Any) -> dict[str, Any]:
    return running.world.teams.activity(person, chat, **fields)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@FUZZ
@given(verb=st.sampled_from(VERBS) | JSON, data=DATA, person=PEOPLE, private=st.booleans())
def test_forged_button_presses_get_an_answer_never_a_failure(
    running: Running, caplog: pytest.LogCaptureFixture, verb: Any, data: Any, person: Any, private: bool
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()  # Hypothesis runs every example in one call: judge each on its own records
    chat = personal(person) if private and person else CASE_ROOM
    value = {"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"}
    invoke = activity(running, person, chat, type="invoke", name="adaptiveCard/action", value=value)
    submit = activity(
        running,
        person,
        chat,
        type="message",
        value={"verb": verb, **data} if isinstance(data, dict) else data,
    )
    for body in (invoke, submit):
        status = running.post_raw(json.dumps(body))
        assert status < 500
    assert not [r for r in caplog.records if "turn.failed" in r.getMessage()]


@FUZZ
@given(
    shape=st.dictionaries(
        st.sampled_from(
            ["type", "name", "text", "value", "from", "conversation", "channelData", "id", "entities"]
        ),
        JSON,
        max_size=7,
    ),
    person=PEOPLE,
)
def test_any_activity_shape_gets_a_clear_answer(
    running: Running, caplog: pytest.LogCaptureFixture, shape: dict[str, Any], person: Any
) -> None:
    caplog.set_level(logging.INFO)
    caplog.clear()
    body = {**activity(running, person, CASE_ROOM, type="message", text="help"), **shape}
    status = running.post_raw(json.dumps(body))
    assert status < 500
    assert not [r for r in caplog.records if "turn.failed" in r.getMessage()]


_ENVELOPE = (
    '"id": "x1", "from": {"id": "29:x"}, "conversation": {"id": "c"}, "serviceUrl": "http://127.0.0.1:9/"'
)
SURROGATE_TEXT = '{"type": "message", "text": "case \\ud800", ' + _ENVELOPE + "}"
SURROGATE_DATA = (
    '{"type": "invoke", "name": "adaptiveCard/action", '
    + _ENVELOPE
    + ', "value": {"action": {"verb": "case.open", "data": {"case": "\\udfff"}}}}'
)


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"type": "message", "text": "help", "value": ' + '{"a":' * 5000 + "1" + "}" * 5000 + "}",
        # A lone surrogate, as JSON can carry one, in a text and in a card's data.
        SURROGATE_TEXT,
        SURROGATE_DATA,
    ],
)
def test_pathological_bodies_get_a_4xx_or_a_plain_answer(running: Running, body: str) -> None:
    assert running.post_raw(body) < 500


def test_after_the_fuzz_the_store_is_intact_and_the_sitting_answers(running: Running) -> None:
    world = running.world
    with sqlite3.connect(world.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    replies = running.run(world.teams.say(CHAIR, personal(CHAIR), "agenda"))
    assert "Panel sitting" in text_of(replies)  # whatever the fuzz pressed, the sitting's card answers
