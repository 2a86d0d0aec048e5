"""`make demo` starts from a fresh clone on either store: nothing it needs is left for an earlier
run to have made (the demo's folder, its log)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

import cli.demo
from cli.demo import run_demo
from cli.playground import free_port

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("store", ["sqlite", pytest.param("cosmos", marks=pytest.mark.cosmos)])
def test_the_demo_starts_from_an_empty_folder(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def stop_at_once() -> None:  # as if the newcomer pressed Ctrl-C once it was up
        await asyncio.sleep(0)

    monkeypatch.setattr(cli.demo, "_until_interrupted", stop_at_once)
    # As in a fresh process, logging is not configured yet: the demo's own log file is opened.
    handlers: list[logging.Handler] = []
    monkeypatch.setattr(logging.root, "handlers", handlers)
    monkeypatch.chdir(tmp_path)
    for name in ("COSMOS_ENDPOINT", "IDENTITY_HASH_KEY", "PUBLIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STORAGE", "cosmos" if store == "cosmos" else f"sqlite:///{tmp_path}/x.db")
    if store == "sqlite":
        monkeypatch.delenv("STORAGE")
    data = tmp_path / "fresh" / "demo"
    assert not data.exists()
    try:
        code = run_demo(free_port(), free_port(), str(data))
    finally:
        # Closed even when the demo fails, or the open log file is reported under a later test.
        for handler in handlers:
            handler.close()
    out = capsys.readouterr()
    assert code == 0, out.err[-2000:]
    assert "Seeded the demo" in out.out and "Traceback" not in out.err
    assert (data / "demo.log").exists()
    assert data.stat().st_mode & 0o077 == 0  # the demo's folder is the user's alone
