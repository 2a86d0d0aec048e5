"""`panelbot serve` as App Service runs it: on the port it is given (PORT), JSON log lines with
LOG_FORMAT=json, and a clean stop on SIGTERM (App Service's stop) within its grace period."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cli.main import main
from cli.playground import free_port

ROOT = Path(__file__).resolve().parents[2]
GRACE_S = 30  # App Service waits this long after SIGTERM before it kills


def test_serve_listens_on_the_given_port_logs_json_and_stops_cleanly_on_sigterm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "data" / "panel.db"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "COSMOS", "STORAGE"))},
        "STORAGE": f"sqlite:///{db}",
        "IDENTITY_HASH_KEY": "serve-test-key-0123456789-0123456789",
        "LOG_FORMAT": "json",
    }
    with monkeypatch.context() as patched:
        patched.setenv("STORAGE", env["STORAGE"])
        patched.setenv("IDENTITY_HASH_KEY", env["IDENTITY_HASH_KEY"])
        assert main(["init"]) == 0
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve"],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the bot did not answer on PORT"
                time.sleep(0.2)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=GRACE_S)
        assert time.monotonic() - started < GRACE_S
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, err
    lines = [line for line in err.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    events = [r["message"].split()[0] for r in records]
    starting = records[events.index("serve.starting")]["message"]
    assert f"port={port}" in starting and "telemetry=off" in starting
    assert events[-1] == "serve.stopped"
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert "Traceback" not in err


def test_console_telemetry_prints_each_turns_span_and_names_nobody(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "data" / "panel.db"
    key = "serve-test-key-0123456789-0123456789"
    with monkeypatch.context() as patched:
        patched.setenv("STORAGE", f"sqlite:///{db}")
        patched.setenv("IDENTITY_HASH_KEY", key)
        assert main(["init"]) == 0
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("Microsoft", "COSMOS", "STORAGE"))},
        "STORAGE": f"sqlite:///{db}",
        "IDENTITY_HASH_KEY": key,
        "OTEL_TRACES_EXPORTER": "console",
        "PORT": str(port),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    person = "5f1d0c3e-0000-4000-8000-00000000abcd"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        event = {
            "type": "event",
            "name": "application/vnd.microsoft.meetingStart",
            "id": "f:1",
            "serviceUrl": f"http://127.0.0.1:{port}/",
            "channelId": "msteams",
            "from": {"id": "29:someone", "aadObjectId": person},
            "conversation": {"id": "19:meeting_x@thread.v2", "isGroup": True},
            "recipient": {"id": "28:bot"},
            "channelData": {"tenant": {"id": "t"}},
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/messages",
            data=json.dumps(event).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=10).close()
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=GRACE_S)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert "span panel.turn trace=" in out and '"panel.activity.type": "event"' in out
    assert person not in out and "19:meeting_x" not in out
    assert "telemetry=console" in err
