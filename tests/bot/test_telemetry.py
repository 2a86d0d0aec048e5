"""Telemetry, the hard way: a whole sitting and a run of refused inputs go through the real app
with OpenTelemetry's in-memory exporters in place, and no exported byte (span, attribute, event,
link, metric point, log record) holds any name, id, reference, meeting, link or typed text the run
used. Also: what is exported is what an operator needs (a span per turn with its command or verb
and outcome, the store's and the connector's spans, the counters), and people are pseudonyms."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import metrics, trace
from opentelemetry._logs import set_logger_provider
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from bot import telemetry
from cli.demo import DEMO_CASE_ROOM_LINK, DEMO_WAITING_ROOM
from cli.demo_data import ALL_PARTY_NAMES, CHAIR, COORDINATOR, DEMO_ROSTER, MEMBER, SOO_ONE, SOO_TWO
from tests.bot.test_teams_payloads import CASE_MEETING, WAITING_CHAT, send
from tests.bot.world import running_world
from tests.conftest import TEST_KEY
from tests.fake_teams import CASE_ROOM, personal

ROOT = Path(__file__).resolve().parents[2]

SPANS = InMemorySpanExporter()
METRICS = InMemoryMetricReader()
LOGS = InMemoryLogRecordExporter()
_installed: list[bool] = []

# What people type that the guard refuses: none of it may reach telemetry.
TYPED = (
    "07700 900461",
    "14 Larkspur Crescent",
    "SO23 8QT",
    "rang Marguerite Tollemache about it",
)


@pytest.fixture
def exported() -> Iterator[None]:
    """OpenTelemetry's SDK with in-memory exporters, for this process (set once: OpenTelemetry's
    global providers cannot be replaced), emptied before each test."""
    if not _installed:
        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(SPANS))
        trace.set_tracer_provider(tracer_provider)
        metrics.set_meter_provider(MeterProvider(metric_readers=[METRICS]))
        logs = LoggerProvider()
        logs.add_log_record_processor(SimpleLogRecordProcessor(LOGS))
        set_logger_provider(logs)
        telemetry._export_logs(telemetry.Pseudonyms(TEST_KEY))  # the scrubbed handler, as deployed
        _installed.append(True)
    SPANS.clear()
    LOGS.clear()
    METRICS.collect()  # start each test's counts afresh (cumulative points still carry totals)
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)  # as deployed: INFO lines (a notice that could not be sent…) go out too
    yield
    root.setLevel(level)
    SPANS.clear()
    LOGS.clear()


def everything() -> tuple[list[Any], list[Any], list[Any]]:
    """Every span, metric point and log record exported so far, as plain data."""
    spans = [json.loads(s.to_json()) for s in SPANS.get_finished_spans()]
    data = METRICS.get_metrics_data()
    points = json.loads(data.to_json()) if data is not None else {}
    logs = [json.loads(r.to_json()) for r in LOGS.get_finished_logs()]
    return spans, [points], logs


async def a_sitting_and_refused_inputs(world: Any) -> None:
    """A short sitting as Teams sends it, with presses, people talking, and identifying text."""
    for person in (SOO_ONE, SOO_TWO, MEMBER, COORDINATOR):
        await world.teams.say(person, personal(person), "help")
    case_room = {"CHAT_ID": CASE_ROOM, "MEETING_ID": CASE_MEETING}
    waiting = {"CHAT_ID": WAITING_CHAT, "MEETING_ID": DEMO_WAITING_ROOM}
    await send(world, "meeting_chat_message", CHAIR, TEXT="start", **case_room)
    for person in (SOO_ONE, SOO_TWO):
        await send(world, "participant_join", person, **waiting)
    await send(world, "meeting_chat_message", CHAIR, TEXT="next", **case_room)
    await send(world, "participant_join", SOO_ONE, **case_room)
    await send(world, "meeting_chat_message", CHAIR, TEXT="extend 5 minutes", **case_room)
    await send(world, "meeting_chat_message", CHAIR, TEXT="next anyway", **case_room)
    # Identifying text, typed to the bot, said between people, and put into a form.
    for text in TYPED + ALL_PARTY_NAMES[:3]:
        await world.teams.say(MEMBER, personal(MEMBER), text)
        await world.teams.say(MEMBER, CASE_ROOM, f"fyi {text}", mention=False)
    await world.teams.press(
        COORDINATOR,
        personal(COORDINATOR),
        "conflict.declare",
        {"case": world.seeded.references[0], "reason": TYPED[3]},
    )
    await world.teams.say(None, personal(SOO_ONE), "help")  # a stranger
    await send(world, "meeting_chat_message", CHAIR, TEXT="end", **case_room)


def forbidden(world: Any) -> list[str]:
    """Everything identifying the run used."""
    people = [value for p in DEMO_ROSTER for value in (p.display_name, p.aad_object_id, p.teams_id)]
    surnames = [p.display_name.split()[-1] for p in DEMO_ROSTER]
    return [
        *people,
        *surnames,
        *ALL_PARTY_NAMES,
        *world.seeded.references,
        *TYPED,
        DEMO_WAITING_ROOM,
        CASE_MEETING,
        DEMO_CASE_ROOM_LINK,
        "Tollemache",
        "Larkspur",
        "900461",
    ]


async def test_no_exported_byte_names_anyone_or_anything_typed(exported: None, tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await a_sitting_and_refused_inputs(world)
        logging.getLogger("bot").warning("probe recipient=%s", SOO_ONE.aad_object_id)  # as a log line would
    spans, points, logs = everything()
    dump = json.dumps([spans, points, logs], ensure_ascii=False)
    leaked = [value for value in forbidden(world) if value and value.lower() in dump.lower()]
    assert not leaked, f"telemetry carried: {leaked}"
    # And it is what an operator needs.
    turns = [s for s in spans if s["name"] == "panel.turn"]
    names = {s["attributes"].get("panel.name") for s in turns}
    assert {"command:start", "command:next", "command:help", "chat", "event:meetingParticipantJoin"} <= names
    outcomes = {s["attributes"]["panel.outcome"] for s in turns}
    assert "done" in outcomes and "refused:identifying_detail" in outcomes and "refused:stranger" in outcomes
    span_names = {s["name"] for s in spans}
    assert {"store.unit_of_work", "connector.send", "connector.update", "connector.reply"} <= span_names
    assert any("notice.undelivered" in json.dumps(r) for r in logs)  # the line that once carried a reference
    assert "meeting_api.participant" in span_names or "meeting_api.notify" in span_names
    # A person's deliveries are followed by a pseudonym, the same for the same person.
    recipients = {s["attributes"].get("panel.recipient") for s in spans if s["name"] == "connector.send"}
    soo = telemetry.who(SOO_ONE.aad_object_id)
    assert soo in recipients and soo.startswith("p-") and SOO_ONE.aad_object_id not in soo
    # The log line's id went out as that pseudonym.
    assert any(soo in json.dumps(r) for r in logs)


async def test_the_counters_an_alert_needs_are_exported(exported: None, tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await a_sitting_and_refused_inputs(world)
    dump = json.dumps(everything()[1])
    for metric in (
        "panel.turns",
        "panel.turn.duration",
        "panel.call.latency",
        "panel.connector.calls",
        "panel.guard.refusals",
    ):
        assert f'"name": "{metric}"' in dump, metric


async def test_a_w3c_traceparent_is_continued(exported: None, tmp_path: Path) -> None:
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    async with running_world(None, None, tmp_path) as world:
        activity = world.teams.activity(CHAIR, personal(CHAIR), type="message", text="help")
        async with world.teams.session.post(
            world.teams.bot_url, json=activity, headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
        ) as response:
            assert response.status in (200, 201)
    turns = [s for s in everything()[0] if s["name"] == "panel.turn"]
    assert turns and turns[-1]["context"]["trace_id"] == f"0x{trace_id}"


def test_pseudonyms_are_keyed_and_stable() -> None:
    one, other = telemetry.Pseudonyms(b"a" * 32), telemetry.Pseudonyms(b"b" * 32)
    person = SOO_ONE.aad_object_id
    assert one.of(person) == one.of(person.upper()) != other.of(person)
    assert person not in one.of(person) and len(one.of(person)) == 18


def test_log_lines_are_scrubbed_of_ids_and_addresses() -> None:
    pseudonyms = telemetry.Pseudonyms(b"a" * 32)
    line = f"deliver.failed recipient={SOO_ONE.aad_object_id} chat=19:meeting_abc@thread.v2 at https://x.example/p?q=1"
    clean = telemetry.scrub(line, pseudonyms)
    assert SOO_ONE.aad_object_id not in clean and "19:meeting" not in clean and "x.example" not in clean
    assert pseudonyms.of(SOO_ONE.aad_object_id) in clean and clean.startswith("deliver.failed")


def test_application_insights_is_set_up_without_any_library_instrumentation() -> None:
    # In a process of its own: OpenTelemetry's global providers are set once per process.
    probe = (
        "import logging, requests, urllib.request\n"
        "from bot.telemetry import configure_telemetry\n"
        "cs = 'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/'\n"
        "env = {'APPLICATIONINSIGHTS_CONNECTION_STRING': cs}\n"
        "print(configure_telemetry(env, b'k' * 32, 'c').destination)\n"
        "wrapped = lambda f: hasattr(f, '__wrapped__')\n"
        "print(wrapped(requests.Session.send), wrapped(urllib.request.OpenerDirector.open))\n"
        "print([type(h).__name__ for h in logging.getLogger().handlers])\n"
        "print([type(h).__name__ for h in logging.getLogger('bot').handlers])\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    lines = ran.stdout.strip().splitlines()
    # The product's own lines only, scrubbed: no library's logger is exported.
    assert lines == ["azure-monitor", "False False", "[]", "['ScrubbedHandler']"], ran.stdout
