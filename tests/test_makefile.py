"""The README's commands do what it says: `make demo` as the chair unless someone else is asked for."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def demo_command(*args: str, env: dict[str, str] | None = None) -> str:
    """The command `make demo` would run (a dry run: nothing is started)."""
    environment = {k: v for k, v in os.environ.items() if k != "AS"} | (env or {})
    done = subprocess.run(
        ["make", "-n", "demo", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        timeout=60,
    )
    return next(line for line in done.stdout.splitlines() if "panelbot demo" in line)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_names_nobody_unless_asked() -> None:
    # Make's own built-in AS (the assembler, "as") once became "--as as", and the demo refused it.
    assert "--as" not in demo_command()
    assert demo_command("AS=coordinator").endswith("--as coordinator")
    assert demo_command(env={"AS": "analyst"}).endswith("--as analyst")
