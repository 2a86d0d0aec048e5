"""What every use case receives: storage, clock, notifier, the force's settings."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from panel.agenda import SlotLengths
from panel.audit import AuditCategory, RetentionPolicy, category_of
from panel.case import Case
from panel.clock import Clock, london_today
from panel.confidence import ConfidenceThresholds
from panel.errors import AlreadyProcessed, ConcurrencyConflict, Superseded
from panel.identity_guard import IdentityGuard
from panel.ports import AuditEvent, Notifier, UnitOfWork, UnitOfWorkFactory
from panel.reference import ReferenceSource, random_reference
from panel.reminders import ReminderPolicy
from panel.roles import Actor, Role, roles_of
from panel.sitting import Sitting
from panel.themes import DEFAULT_TAXONOMY


async def once(uow: UnitOfWork, request_key: str | None) -> None:
    """Refuse a request already acted on, and stage its key with this change."""
    if request_key is None:
        return
    if await uow.processed.seen(request_key):
        raise AlreadyProcessed("That request was already handled.")
    uow.processed.mark(request_key)


CONFLICT_RETRIES = 5
T = TypeVar("T")


def _uuid() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class PanelConfig:
    """A force's own settings for its panel."""

    slot_lengths: SlotLengths = field(default_factory=SlotLengths)
    taxonomy: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TAXONOMY))
    closure_needs_chair_approval: bool = False
    confidence: ConfidenceThresholds = field(default_factory=ConfidenceThresholds)
    # Counts from 1 to this less one are hidden ("<5") in anything handed on outside the panel.
    small_numbers: int = 5
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    retention: RetentionPolicy = field(default_factory=lambda: RetentionPolicy())
    # The roles that audit cases (the force's choice; the coordinator and the chair by default).
    audit_roles: frozenset[Role] = frozenset({Role.COORDINATOR, Role.CHAIR})


@dataclass(frozen=True)
class Deps:
    """The use cases' dependencies, passed in rather than imported, so tests can substitute them."""

    uow: UnitOfWorkFactory
    clock: Clock
    notifier: Notifier
    identity_key: bytes
    config: PanelConfig = field(default_factory=PanelConfig)
    new_reference: ReferenceSource = random_reference
    new_id: Callable[[], str] = _uuid
    _guards: dict[str, tuple[int, IdentityGuard]] = field(default_factory=dict, repr=False, compare=False)

    def today(self) -> date:
        """Today's date in London."""
        return london_today(self.clock.now())

    async def guard(self, uow: UnitOfWork) -> IdentityGuard:
        """An identity guard that knows every name registered for a party; rebuilt only when a name
        has been registered since."""
        token = await uow.party_names.change_token()
        cached = self._guards.get("current")
        if cached is None or cached[0] != token:
            cached = (token, IdentityGuard(self.identity_key, await uow.party_names.all_hashes()))
            self._guards["current"] = cached
        return cached[1]

    def audit(
        self,
        uow: UnitOfWork,
        actor: Actor,
        event: str,
        subject_id: str,
        detail: str = "",
        *,
        case: Case | None = None,
        category: AuditCategory | None = None,
        purpose: str = "",
        recipient: str = "",
        reference: str = "",
    ) -> None:
        """Stage an audit event for this change (or access), stamped now, with the role the actor
        held and the case's reference, so "who touched K7F-2QM" has an answer."""
        uow.audit.record(
            AuditEvent(
                self.clock.now(),
                actor.actor_id,
                event,
                subject_id,
                detail,
                category or category_of(event),
                roles_of(actor),
                purpose,
                case.reference if case is not None else reference,
                recipient,
            )
        )

    async def change_sitting(
        self,
        actor: Actor,
        sitting_id: str,
        event: str,
        change: Callable[[Sitting], str],
        request_key: str | None = None,
        applies_while: Callable[[Sitting], bool] | None = None,
    ) -> Sitting:
        """Load a sitting, apply a change that needs nothing else, audit it (the change returns the
        audit detail), and commit: the shape of every simple agenda and live command. With a
        request key, a request already acted on raises AlreadyProcessed and changes nothing. When
        someone else saved first, it is tried again on the fresh sitting. With `applies_while`, the
        change is made, first time or again, only while that holds for the sitting as read (e.g.
        the case on the chair's card is still the one being heard); without it, never twice."""

        async def attempt(number: int) -> Sitting:
            async with self.uow() as uow:
                await once(uow, request_key)
                sitting = await uow.sittings.get(sitting_id)
                if applies_while is not None and not applies_while(sitting):
                    raise Superseded("Someone else moved the sitting on at the same moment.")
                detail = change(sitting)
                uow.sittings.save(sitting)
                self.audit(uow, actor, event, sitting_id, detail)
                await uow.commit()
            return sitting

        return await retry_on_conflict(attempt, CONFLICT_RETRIES if applies_while else 1)

    async def note_on_sitting(
        self,
        sitting_id: str,
        notes: Sequence[SittingNote],
        also: Callable[[UnitOfWork], None] | None = None,
    ) -> Sitting:
        """Several changes that commute with anything (presence, message ids, calls), each audited
        as its own event, and `also` (further writes), in one commit: a turn that records what it
        sent pays for one write, not one per fact. Tried again on the fresh sitting if someone else
        saved first."""

        async def attempt(number: int) -> Sitting:
            async with self.uow() as uow:
                sitting = await uow.sittings.get(sitting_id)
                for note in notes:
                    self.audit(uow, note.actor, note.event, sitting_id, note.change(sitting))
                if notes:
                    uow.sittings.save(sitting)
                if also is not None:
                    also(uow)
                await uow.commit()
            return sitting

        return await retry_on_conflict(attempt)


@dataclass(frozen=True)
class SittingNote:
    """One fact recorded on a sitting by the bot or Teams: who, the audited event, and the change
    (which returns the audit detail)."""

    actor: Actor
    event: str
    change: Callable[[Sitting], str]


async def retry_on_conflict(attempt: Callable[[int], Awaitable[T]], tries: int = CONFLICT_RETRIES) -> T:
    """Run an attempt again when someone else saved first; each attempt re-reads, so it decides
    afresh. A change that no longer applies (Superseded) is never retried."""
    for number in range(1, tries + 1):
        try:
            return await attempt(number)
        except Superseded:
            raise
        except ConcurrencyConflict:
            if number == tries:
                raise
    raise AssertionError("tries must be at least 1")


def always(_: Sitting) -> bool:
    """The condition for changes that commute with anything (presence, message ids): always apply."""
    return True
