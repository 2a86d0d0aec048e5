"""Backends the storage contract runs against. The Cosmos DB issue adds its server here."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from panel.ports import UnitOfWorkFactory
from storage.sqlite import SqliteStore

BACKENDS = ["sqlite"]


@pytest.fixture(params=BACKENDS)
async def uow_factory(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    """A unit-of-work factory over a fresh, empty store of each backend."""
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "contract.db")
        await store.open()
        yield store.unit_of_work
        await store.close()
    else:  # pragma: no cover - a backend listed without a fixture is a wiring bug
        raise AssertionError(f"no fixture for backend {request.param}")
