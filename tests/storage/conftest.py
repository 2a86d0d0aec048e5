"""Backends the storage contract runs against: the shared `store` fixture gives a fresh SQLite file
and a fresh database on the local Cosmos DB server, so every contract test runs on both."""

from __future__ import annotations

import pytest

from panel.ports import UnitOfWorkFactory
from storage.store import Store


@pytest.fixture
def uow_factory(store: Store) -> UnitOfWorkFactory:
    """A unit-of-work factory over a fresh, empty store of each backend."""
    return store.unit_of_work
