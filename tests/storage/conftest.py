"""Backends the storage contract runs against: a SQLite file and a Cosmos DB protocol server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from cli.local_cosmos import LocalCosmos
from panel.ports import UnitOfWorkFactory
from storage.cosmos import CosmosStore
from storage.sqlite import SqliteStore

BACKENDS = ["sqlite", pytest.param("cosmos", marks=pytest.mark.cosmos)]


@pytest.fixture
async def cosmos_store(cosmos_server: LocalCosmos) -> AsyncIterator[CosmosStore]:
    """A store over a fresh database of its own, so tests never see each other's documents."""
    store = CosmosStore(cosmos_server.config(f"test-{uuid.uuid4().hex[:12]}"))
    await store.open()
    yield store
    await store.close()


@pytest.fixture(params=BACKENDS)
async def uow_factory(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[UnitOfWorkFactory]:
    """A unit-of-work factory over a fresh, empty store of each backend."""
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "contract.db")
        await store.open()
        yield store.unit_of_work
        await store.close()
    elif request.param == "cosmos":
        server: LocalCosmos = request.getfixturevalue("cosmos_server")
        cosmos = CosmosStore(server.config(f"test-{uuid.uuid4().hex[:12]}"))
        await cosmos.open()
        yield cosmos.unit_of_work
        await cosmos.close()
    else:  # pragma: no cover - a backend listed without a fixture is a wiring bug
        raise AssertionError(f"no fixture for backend {request.param}")
