"""Work over every open case (the first reminder round after a roster change, the `cases` list,
reading the store a chunk at a time) lets other turns run in between: nationally that is thousands
of cases, and no chair's `next` may wait behind it. Judged by how many cases one stretch of work
gets through before another task runs, never by timing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cli.demo_data import DEMO_ROSTER, SOO_ONE
from panel.case import Category, ReferralRoute, RiskLevel
from panel.clock import FixedClock
from panel.roles import Actor
from panel.usecases import reminders
from panel.usecases.cases import CaseRegistration, register_cases
from panel.usecases.deps import Deps
from panel.usecases.roster import import_roster
from storage import sqlite
from storage.sqlite import SqliteStore
from tests.conftest import MONDAY_MORNING, TEST_AUDIT_KEY, TEST_KEY, RecordingNotifier, member

OPEN_CASES = 650
# Nationally a case's reminders take about 0.1 ms to work out and a record about as long to
# decode: a few hundred in a row is well inside the 100 ms no other turn may wait.
MOST_CASES_IN_A_ROW = 250
MOST_RECORDS_DECODED_IN_A_ROW = 100


@pytest.fixture
async def many_open(tmp_path: Path) -> AsyncIterator[Deps]:
    store = SqliteStore(tmp_path / "panel.db", audit_key=TEST_AUDIT_KEY, create=True)
    await store.open()
    deps = Deps(store.unit_of_work, FixedClock(MONDAY_MORNING), RecordingNotifier(), TEST_KEY)
    operator = Actor.operator("test")
    await import_roster(deps, operator, [member(p) for p in DEMO_ROSTER])
    form = CaseRegistration(
        Category.POLICE_VICTIM,
        ReferralRoute.LINE_MANAGER,
        date(2026, 9, 1),
        RiskLevel.MEDIUM,
        soo_id=SOO_ONE.aad_object_id,
    )
    for _ in range(0, OPEN_CASES, 50):
        await register_cases(deps, operator, [form] * 50)
    yield deps
    await store.close()


async def most_calls_without_a_break(module: object, name: str, work: Callable[[], Awaitable[object]]) -> int:
    """The most calls of `module.name` made in a row while `work` ran, with no other task running
    between them: how much work one stretch holds the event loop for."""
    in_a_row = most = 0
    done = asyncio.Event()
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal in_a_row, most
        in_a_row += 1
        most = max(most, in_a_row)
        return original(*args, **kwargs)

    async def other_turn() -> None:
        nonlocal in_a_row
        while not done.is_set():
            in_a_row = 0
            await asyncio.sleep(0)

    other = asyncio.create_task(other_turn())
    setattr(module, name, counted)
    try:
        await work()
    finally:
        setattr(module, name, original)
        done.set()
        await other
    return most


@pytest.mark.asyncio
async def test_the_first_reminder_round_after_a_roster_change_lets_other_turns_in(many_open: Deps) -> None:
    async with many_open.uow() as uow:
        uow.addresses.put(reminders.SWEPT_UNDER, {"key": "an earlier roster"})
        await uow.commit()
    worked_out: list[object] = []

    async def round_() -> None:
        worked_out.extend(await reminders.due_now(many_open))

    most = await most_calls_without_a_break(reminders, "case_reminders", round_)
    assert 0 < most <= MOST_CASES_IN_A_ROW  # every case looked at, a slice at a time


@pytest.mark.asyncio
async def test_reading_every_open_case_lets_other_turns_in_while_decoding(many_open: Deps) -> None:
    found: list[object] = []

    async def read_all() -> None:
        async with many_open.uow() as uow:
            found.extend(await uow.cases.find())

    most = await most_calls_without_a_break(sqlite, "_load", read_all)
    assert len(found) == OPEN_CASES
    assert 0 < most <= MOST_RECORDS_DECODED_IN_A_ROW
