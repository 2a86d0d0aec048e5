"""What the SQLite repositories need of the unit of work they belong to: reads of committed data,
and somewhere to stage writes until commit. The unit of work (storage/sqlite.py) provides it; the
repositories import only this, so the folder reads one way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from panel.ports import AuditEvent
from storage.sqlite_writes import Step, Write


class SqliteReads(Protocol):
    """Reads of committed data."""

    async def fetch(self, sql: str, params: tuple[Any, ...]) -> Iterable[Any]:
        """Rows of a read."""
        ...


class SqliteStaging(Protocol):
    """A unit of work, as its repositories see it."""

    @property
    def store(self) -> SqliteReads:
        """Where committed data is read."""
        ...

    def stage(self, write: Write) -> None:
        """Hold a plain write until commit."""
        ...

    def stage_step(self, step: Step) -> None:
        """Hold a step that reads and writes inside the commit's transaction."""
        ...

    def stage_audit(self, event: AuditEvent) -> None:
        """Hold an audit event, sealed and appended at commit."""
        ...
