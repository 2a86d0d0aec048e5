"""What telemetry costs a turn. OpenTelemetry's providers are set once per process, so each setting
runs in a process of its own: "off" (the API's no-op, as with nothing configured) and "on" (the SDK
recording every span and metric into memory, as an exporter would be fed). Each process times the
panel's turns and a bare echo bot's, interleaved; the figure is the panel's median as a ratio to
its own echo, on against off, so the machine's noise cancels out."""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TURNS = 150


def _sdk_on() -> None:
    from opentelemetry import metrics, trace
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(InMemorySpanExporter()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))


async def _timed(directory: Path) -> dict[str, float]:
    from aiohttp.test_utils import TestServer

    from app import create_echo_app
    from bot.limits import EdgeLimits
    from cli.demo_data import CHAIR, SOO_ONE
    from settings import Settings
    from tests.bot.world import running_world
    from tests.conftest import TEST_KEY
    from tests.fake_teams import CASE_ROOM, fake_teams, personal

    settings = Settings(sqlite_path=directory / "echo.db", identity_hash_key=TEST_KEY)
    echo = TestServer(create_echo_app(settings, EdgeLimits.unlimited()))
    await echo.start_server()
    panel_ms, echo_ms = [], []
    try:
        async with (
            running_world(None, None, directory / "panel", limits=EdgeLimits.unlimited()) as world,
            fake_teams(str(echo.make_url("/api/messages"))) as echo_teams,
        ):
            await world.teams.say(CHAIR, CASE_ROOM, "start")
            for n in range(TURNS):
                person, chat, text = (
                    (SOO_ONE, personal(SOO_ONE), "help") if n % 2 else (CHAIR, CASE_ROOM, "agenda")
                )
                began = time.perf_counter()
                await world.teams.say(person, chat, text)
                panel_ms.append((time.perf_counter() - began) * 1000)
                began = time.perf_counter()
                await echo_teams.say(person, personal(person), "hello")
                echo_ms.append((time.perf_counter() - began) * 1000)
    finally:
        await echo.close()
    skip = TURNS // 10  # warm-up
    return {"panel": statistics.median(panel_ms[skip:]), "echo": statistics.median(echo_ms[skip:])}


def run_one(mode: str) -> dict[str, float]:
    """Time turns in a fresh process with telemetry `mode` ("off" or "on")."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'benchmarks'}", "PATH": "/usr/bin:/bin"},
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def telemetry_ratio() -> tuple[float, float, float]:
    """Panel turn / echo turn with telemetry off and on (two runs of each, interleaved), and on/off."""
    ratios: dict[str, list[float]] = {"off": [], "on": []}
    for mode in ("off", "on", "off", "on"):
        figures = run_one(mode)
        ratios[mode].append(figures["panel"] / figures["echo"])
    off, on = statistics.median(ratios["off"]), statistics.median(ratios["on"])
    return off, on, on / off


if __name__ == "__main__":
    if sys.argv[1:] == ["on"]:
        _sdk_on()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(asyncio.run(_timed(Path(tmp)))))
