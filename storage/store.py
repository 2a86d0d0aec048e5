"""What the app needs of any store: open it, close it, ask whether it is up, begin a unit of work."""

from __future__ import annotations

from typing import Protocol

from panel.ports import UnitOfWork


class Store(Protocol):
    """A backend the app can run on (SQLite file or Cosmos DB account)."""

    async def open(self) -> None:
        """Get ready to serve; a store that cannot be reached yet may still open and report down."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...

    async def ping(self) -> bool:
        """Whether the store answers right now."""
        ...

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work over this store."""
        ...
