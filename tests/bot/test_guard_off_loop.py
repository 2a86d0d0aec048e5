"""A large form is scanned off the event loop, so one person's long paste cannot hold every other
turn; a small one is scanned in place (a thread costs more than the scan)."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

import bot.guard_first
from bot.guard_first import OFF_LOOP_CHARS, refused_fields
from panel.identity_guard import IdentityGuard


class _Deps:
    """Just what refused_fields needs: a unit of work and the guard."""

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[None]:
        yield None

    async def guard(self, _: Any) -> IdentityGuard:
        return IdentityGuard(b"off-loop-test-key-0123456789", [])


@pytest.mark.parametrize(("size", "off_loop"), [(OFF_LOOP_CHARS // 2, False), (OFF_LOOP_CHARS * 2, True)])
async def test_only_a_large_form_is_scanned_on_another_thread(
    size: int, off_loop: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    real = bot.guard_first._findings

    def noting(*args: Any) -> Any:
        threads.append(threading.get_ident())
        return real(*args)

    monkeypatch.setattr(bot.guard_first, "_findings", noting)
    found = await refused_fields(_Deps(), {"note": ("review due " * size)[:size]})  # type: ignore[arg-type]
    assert found == {}
    assert (threads[0] != threading.get_ident()) is off_loop
