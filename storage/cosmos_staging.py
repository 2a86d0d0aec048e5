"""What the Cosmos DB repositories need of the unit of work they belong to: reads of this panel's
documents, and somewhere to stage writes until the commit's one transactional batch. The unit of
work (storage/cosmos.py) provides it; the repositories import only this, so the folder reads one
way."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from panel.audit import Anchor
from panel.ports import AuditEvent

T = TypeVar("T")
# A change worked out at commit from the document as it then is (None: not there).
Change = Callable[[dict[str, Any] | None], dict[str, Any]]


class CosmosReads(Protocol):
    """Reads of this panel's documents."""

    chain_head: dict[str, Any] | None

    @property
    def partition(self) -> str:
        """This panel's partition key value."""
        ...

    async def point_read(self, doc_id: str) -> dict[str, Any] | None:
        """One document by id, or None."""
        ...

    async def query(
        self, where: str, parameters: dict[str, Any], *, order_by: str | None = None, top: int | None = None
    ) -> list[dict[str, Any]]:
        """Every document matching a parameterised filter."""
        ...

    def query_pages(
        self, where: str, parameters: dict[str, Any], *, order_by: str | None = None, top: int | None = None
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The same documents, a page at a time."""
        ...

    async def patch_where(self, doc_id: str, operations: list[dict[str, Any]], condition: str) -> bool:
        """Patch one document only where a condition holds."""
        ...


class CosmosStaging(Protocol):
    """A unit of work, as its repositories see it."""

    @property
    def store(self) -> CosmosReads:
        """Where this panel's documents are read."""
        ...

    @property
    def audit_events(self) -> list[AuditEvent]:
        """Audit events staged with this commit."""
        ...

    @property
    def token_moves(self) -> int:
        """How often the identity guard's change token moves with this commit."""
        ...

    @token_moves.setter
    def token_moves(self, value: int) -> None: ...

    def loaded(self, cls: type[T], item: dict[str, Any]) -> T:
        """A record from its document, remembering the etag it was read at."""
        ...

    def stage_record(
        self, kind: str, doc_id: str, record: Any, fields: Callable[[], dict[str, Any]], new: bool
    ) -> None:
        """Hold a record until commit."""
        ...

    def stage_delete(self, doc_id: str, version: int) -> None:
        """Hold the deletion of a record."""
        ...

    def stage_change(self, doc_id: str, change: Change) -> None:
        """Hold a change worked out at commit."""
        ...

    def stage_op(self, op: tuple[Any, ...]) -> None:
        """Hold a plain batch operation."""
        ...

    def stage_erasure(self, seq: int, anchor: Anchor) -> None:
        """Hold the erasure of the audit trail's oldest entries."""
        ...

    def stage_take(self, doc_id: str, now: datetime, found: list[tuple[str, str]]) -> None:
        """Hold taking a one-time export."""
        ...
