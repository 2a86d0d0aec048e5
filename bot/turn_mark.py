"""A message is answered once: its seen-mark travels with the turn's first commit.

Teams sends a message again when the bot was slow to answer. This instance remembers the messages
it has lately taken up, so a second delivery here is dropped at once without touching the store.
For a delivery that reaches another instance (or this one after a restart), the message's mark is
written to the store in the same commit as the first thing the turn records (a change, or who was
shown what), never in a commit of its own: a second delivery's commit then meets the mark, and the
turn stops before it shows or changes anything. A turn that records nothing (`help`) is remembered
here only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import TracebackType
from typing import Self

from opentelemetry.trace import INVALID_SPAN, Span

from bot import telemetry
from panel.errors import ConcurrencyConflict
from panel.ports import (
    AddressBook,
    AuditLog,
    CaseRepository,
    ExportLog,
    LearningRepository,
    PartyNameRepository,
    ProcessedLog,
    ReminderLog,
    RosterRepository,
    SittingRepository,
    UnitOfWork,
    UnitOfWorkFactory,
)

RECENT = 4096  # messages remembered by this instance (Teams redelivers within seconds)


class Redelivered(Exception):  # noqa: N818 - names what happened, like AlreadyProcessed
    """This message was already taken up (by another instance, or before a restart)."""


@dataclass
class _Mark:
    key: str
    written: bool = False
    open: bool = True


_CURRENT: ContextVar[_Mark | None] = ContextVar("turn_mark", default=None)


class RecentMessages:
    """The messages this instance has lately taken up, oldest forgotten first."""

    def __init__(self, size: int = RECENT) -> None:
        self._size = size
        self._keys: dict[str, None] = {}

    def take(self, key: str) -> bool:
        """Note the message as taken up; False when it already was."""
        if key in self._keys:
            return False
        self._keys[key] = None
        if len(self._keys) > self._size:
            del self._keys[next(iter(self._keys))]
        return True

    def release(self, key: str) -> None:
        """Forget the message: its turn failed, so a redelivery must be taken up again."""
        self._keys.pop(key, None)


@contextmanager
def marked_turn(key: str | None) -> Iterator[None]:
    """Inside this block, the first commit also writes the message's mark (if there is one)."""
    if key is None:
        yield
        return
    mark = _Mark(key)
    token = _CURRENT.set(mark)
    try:
        yield
    finally:
        mark.open = False  # work the turn left running carries nothing once it has ended
        _CURRENT.reset(token)


def carrying_marks(factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """Units of work from `factory` whose first commit inside a turn carries the turn's mark."""

    def make() -> UnitOfWork:
        return MarkCarryingUnitOfWork(factory(), factory)

    return make


class MarkCarryingUnitOfWork:
    """A unit of work that adds the current turn's mark to its commit, once per turn."""

    def __init__(self, inner: UnitOfWork, factory: UnitOfWorkFactory) -> None:
        self._inner, self._factory = inner, factory
        self._span: Span = INVALID_SPAN

    @property
    def cases(self) -> CaseRepository:
        """Cases."""
        return self._inner.cases

    @property
    def sittings(self) -> SittingRepository:
        """Sittings."""
        return self._inner.sittings

    @property
    def roster(self) -> RosterRepository:
        """The roster."""
        return self._inner.roster

    @property
    def party_names(self) -> PartyNameRepository:
        """Party-name hashes."""
        return self._inner.party_names

    @property
    def learning(self) -> LearningRepository:
        """Force-wide learning actions."""
        return self._inner.learning

    @property
    def audit(self) -> AuditLog:
        """The audit trail."""
        return self._inner.audit

    @property
    def processed(self) -> ProcessedLog:
        """Requests already acted on."""
        return self._inner.processed

    @property
    def addresses(self) -> AddressBook:
        """Where the bot can reach people and chats."""
        return self._inner.addresses

    @property
    def reminders(self) -> ReminderLog:
        """Reminders claimed and sent."""
        return self._inner.reminders

    @property
    def exports(self) -> ExportLog:
        """One-time downloads."""
        return self._inner.exports

    async def __aenter__(self) -> Self:
        # Each unit of work is a span of the turn (or round) it serves: how long the store took.
        self._span = telemetry.TRACER.start_span("store.unit_of_work")
        await self._inner.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._inner.__aexit__(exc_type, exc, tb)
        finally:
            if exc_type is not None:
                self._span.set_attribute("panel.error", exc_type.__name__)
            self._span.end()

    async def commit(self) -> None:
        """Commit, with the turn's mark if no commit of this turn has carried it yet; a commit
        refused because the mark is already there means the message was taken up before."""
        self._span.set_attribute("panel.committed", True)
        mark = _CURRENT.get()
        if mark is None or not mark.open or mark.written:
            await self._inner.commit()
            return
        self._inner.processed.mark(mark.key)
        try:
            await self._inner.commit()
        except ConcurrencyConflict:
            if await self._seen(mark.key):
                raise Redelivered() from None
            raise
        mark.written = True

    async def _seen(self, key: str) -> bool:
        async with self._factory() as uow:
            return await uow.processed.seen(key)
