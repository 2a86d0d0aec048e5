"""Picks the store the settings ask for."""

from __future__ import annotations

from pathlib import Path

from storage.cosmos import CosmosStore
from storage.cosmos_config import CosmosConfig
from storage.sqlite import SqliteStore
from storage.store import Store


def store_for(sqlite_path: Path, cosmos: CosmosConfig | None) -> Store:
    """The Cosmos DB store when it is configured, otherwise the SQLite file."""
    return CosmosStore(cosmos) if cosmos is not None else SqliteStore(sqlite_path)
