"""Picks the store the settings ask for."""

from __future__ import annotations

from pathlib import Path

from storage.cosmos_config import CosmosConfig
from storage.sqlite import SqliteStore
from storage.store import Store


def store_for(
    sqlite_path: Path, cosmos: CosmosConfig | None, *, audit_key: bytes, create: bool = False
) -> Store:
    """The Cosmos DB store when it is configured, otherwise the SQLite file (created only when
    `create` says so: a database that has gone is never silently replaced by an empty one). The
    audit key seals the audit trail's chain."""
    if cosmos is not None:
        # Imported only when used: the Cosmos DB SDK is a fifth of an instance's memory.
        from storage.cosmos import CosmosStore

        return CosmosStore(cosmos, audit_key=audit_key)
    return SqliteStore(sqlite_path, audit_key=audit_key, create=create)
