"""What the demo tells the person at the keyboard: who they are, in words, and what they can do."""

from __future__ import annotations

import pytest

from cli.demo import _print_welcome
from cli.demo_data import DEMO_ROSTER

PEOPLE = {p.key: p for p in DEMO_ROSTER}


def test_the_chair_is_told_how_to_run_the_sitting(capsys: pytest.CaptureFixture[str]) -> None:
    _print_welcome("http://127.0.0.1:1", PEOPLE["chair"], "http://127.0.0.1:2", PEOPLE["soo1"])
    said = capsys.readouterr().out
    assert "(chair)" in said and "`@Scrutiny Panel start`, then `next`" in said


def test_anyone_else_sees_their_role_in_words_and_no_chair_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _print_welcome("http://127.0.0.1:1", PEOPLE["analyst"], "http://127.0.0.1:2", PEOPLE["soo1"])
    said = capsys.readouterr().out
    assert "(learning analyst)" in said and "learning_analyst" not in said
    assert "`@Scrutiny Panel start`" not in said and "The chair runs the sitting" in said
