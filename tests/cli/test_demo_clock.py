"""One clock for the demo: `reminders run --now` moves the running demo's clock too, forward only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli.demo_clock import ENV, DemoClock, move_demo_clock


def test_running_the_reminders_later_moves_the_demos_clock_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "clock"
    monkeypatch.setenv(ENV, str(path))
    demo = DemoClock(path)
    assert abs(demo.now() - datetime.now(UTC)) < timedelta(seconds=5)
    later = datetime.now(UTC) + timedelta(days=21)
    assert move_demo_clock(later) is None
    assert abs(demo.now() - later) < timedelta(seconds=5)  # the running demo sees the same moment
    refused = move_demo_clock(later - timedelta(days=1))
    assert refused is not None and "only moves forward" in refused
    assert abs(demo.now() - later) < timedelta(seconds=5)


def test_without_the_demo_nothing_is_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert move_demo_clock(datetime.now(UTC) + timedelta(days=3)) is None
    assert not any(tmp_path.iterdir())


def test_the_command_line_refuses_to_take_the_demo_back_in_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import main

    monkeypatch.setenv("STORAGE", f"sqlite:///{tmp_path}/panel.db")
    assert main(["init"]) == 0
    monkeypatch.setenv(ENV, str(tmp_path / "clock"))
    ahead = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    assert main(["reminders", "run", "--now", ahead]) == 0
    behind = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
    assert main(["reminders", "run", "--now", behind]) == 2
    assert "only moves forward" in capsys.readouterr().err


def test_a_command_run_without_now_reads_the_demos_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cli.operations import _clock

    monkeypatch.setenv(ENV, str(tmp_path / "clock"))
    later = datetime.now(UTC) + timedelta(days=21)
    assert move_demo_clock(later) is None
    assert abs(_clock(None).now() - later) < timedelta(seconds=5)  # one clock, not two


def test_the_demos_reminder_commands_are_printed_in_an_order_that_can_be_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    from types import SimpleNamespace

    from cli.demo import _print_reminder_hint

    _print_reminder_hint({}, SimpleNamespace(clock=SimpleNamespace(now=lambda: datetime.now(UTC))))  # type: ignore[arg-type]
    moments = [datetime.fromisoformat(m) for m in re.findall(r"--now (\S+)", capsys.readouterr().out)]
    assert len(moments) == 2 and moments == sorted(moments)  # the clock only moves forward
