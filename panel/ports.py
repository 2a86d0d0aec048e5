"""The ports the use cases need: repositories in a unit of work, a clock, a notifier.

Writes are staged on the repositories and applied together by `commit()`, in one transaction,
each record checked against the version it was read at; a stale write raises ConcurrencyConflict.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self

from panel.audit import Anchor, AuditCategory, Sealed
from panel.case import Case, CaseStatus
from panel.learning import LearningAction
from panel.roster import RosterMember
from panel.sitting import Sitting


class CaseRepository(Protocol):
    """Cases by id, reference, SOO or status."""

    async def get(self, case_id: str) -> Case:
        """The case, or NotFound."""
        ...

    async def by_reference(self, reference: str) -> Case:
        """The case with this pseudonymous reference, or NotFound."""
        ...

    async def reference_taken(self, reference: str) -> bool:
        """Whether a case already has this reference."""
        ...

    async def find(
        self, *, soo_id: str | None = None, statuses: Collection[CaseStatus] | None = None
    ) -> list[Case]:
        """Cases matching every filter given, oldest registration first."""
        ...

    async def with_ids(self, case_ids: Collection[str]) -> list[Case]:
        """The cases with these ids that exist (for a sitting's agenda)."""
        ...

    def pages(self, *, closed_since: datetime | None = None) -> AsyncIterator[list[Case]]:
        """Every case, a page at a time in no promised order: for figures over the whole history,
        which need never hold every case at once. With `closed_since`, a case that closed before
        that moment and is still closed may be left out (one stored before closing dates were kept
        may still come)."""
        ...

    async def waking(self, now: datetime) -> list[Case]:
        """The cases the reminder round must look at: changed since it last did (every save marks
        a case so), or whose next reminder moment has come. What is read is proportional to what
        is due, not to how many cases are stored."""
        ...

    async def set_wakes(self, wakes: Collection[tuple[Case, datetime | None]]) -> None:
        """Record, at once, when each case next needs looking at (None: never, until it changes).
        Bookkeeping, not a change to the case: its version stays, and a case changed since it was
        read keeps its mark, so nothing is missed."""
        ...

    def add(self, case: Case) -> None:
        """Stage a new case."""
        ...

    def save(self, case: Case) -> None:
        """Stage a change to a case read in this unit of work."""
        ...

    def erase(self, case: Case) -> None:
        """Stage the erasure of a case read in this unit of work (the retention policy)."""
        ...


class SittingRepository(Protocol):
    """Sittings by id, date or status."""

    async def get(self, sitting_id: str) -> Sitting:
        """The sitting, or NotFound."""
        ...

    async def exists(self, sitting_id: str) -> bool:
        """Whether a sitting has this id."""
        ...

    async def find(self, *, on_or_after: date | None = None, live: bool | None = None) -> list[Sitting]:
        """Sittings in date order, filtered."""
        ...

    def add(self, sitting: Sitting) -> None:
        """Stage a new sitting."""
        ...

    def save(self, sitting: Sitting) -> None:
        """Stage a change to a sitting read in this unit of work."""
        ...


class RosterRepository(Protocol):
    """The panel's own people."""

    async def get(self, aad_object_id: str) -> RosterMember | None:
        """The member with this Entra object id, if on the roster."""
        ...

    async def all(self) -> list[RosterMember]:
        """Everyone on the roster."""
        ...

    def add(self, member: RosterMember) -> None:
        """Stage a new member."""
        ...

    def save(self, member: RosterMember) -> None:
        """Stage a change to a member read in this unit of work."""
        ...


class LearningRepository(Protocol):
    """Force-wide learning actions."""

    async def all(self) -> list[LearningAction]:
        """Every learning action, oldest first."""
        ...

    def add(self, action: LearningAction) -> None:
        """Stage a new learning action."""
        ...

    def save(self, action: LearningAction) -> None:
        """Stage a change to one."""
        ...


class PartyNameRepository(Protocol):
    """Keyed hashes of names registered for parties to cases; never the names."""

    async def all_hashes(self) -> frozenset[str]:
        """Every registered hash, for the identity guard."""
        ...

    async def change_token(self) -> int:
        """A number that grows whenever a hash is added (hashes are never removed), cheap to read."""
        ...

    async def count_for_case(self, case_id: str) -> int:
        """How many hashes a case has (so a card can say names are registered)."""
        ...

    async def cases_with(self, hashes: Collection[str]) -> frozenset[str]:
        """The ids of cases that have any of these hashes (a possible link, never a name)."""
        ...

    def add(self, case_id: str, hashes: Collection[str]) -> None:
        """Stage hashes for a case."""
        ...

    async def erase_for_case(self, case_id: str) -> None:
        """Stage the erasure of a case's hashes (the change token moves)."""
        ...


@dataclass(frozen=True)
class AuditEvent:
    """Who did what to which record, when, in what role and why: ids, categories and event names,
    never text a user typed."""

    at: datetime
    actor_id: str
    event: str
    subject_id: str
    detail: str = ""
    category: AuditCategory = AuditCategory.ALTERATION
    roles: str = ""  # the roles the actor held at the time, e.g. "chair" or "coordinator;soo"
    purpose: str = ""
    case_reference: str = ""
    recipient: str = ""  # for a disclosure: to whom (a roster id, or a chat)

    def sealed_fields(self) -> dict[str, str]:
        """Every field, as the chain's seal covers it."""
        return {
            "at": self.at.astimezone(UTC).isoformat(),
            "actor": self.actor_id,
            "event": self.event,
            "subject": self.subject_id,
            "detail": self.detail,
            "category": self.category.value,
            "roles": self.roles,
            "purpose": self.purpose,
            "case": self.case_reference,
            "recipient": self.recipient,
        }


@dataclass(frozen=True)
class AuditEntry:
    """An event as the trail holds it: with its place and seal in the chain."""

    event: AuditEvent
    sealed: Sealed


@dataclass(frozen=True)
class AuditQuery:
    """Which entries a reviewer asks for; newest first, a page at a time."""

    subject_ids: tuple[str, ...] = ()  # a case's id (its entries name it as subject or by reference)
    case_reference: str | None = None
    actor_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before_seq: int | None = None  # for the next page: entries older than this one
    limit: int = 20


class AuditLog(Protocol):
    """Append-only trail, sealed in a keyed hash chain, written in the same transaction as the
    change it records (an append that fails fails the change)."""

    def record(self, event: AuditEvent) -> None:
        """Stage an audit event."""
        ...

    async def for_subject(self, subject_id: str) -> list[AuditEvent]:
        """The trail of one record, oldest first."""
        ...

    async def search(self, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching every filter given, newest first."""
        ...

    async def chain(self, after_seq: int, limit: int) -> list[AuditEntry]:
        """Entries in chain order after `after_seq`, for verification."""
        ...

    async def anchors(self) -> list[Anchor]:
        """The chain's anchors: checkpoints, and where old entries were erased."""
        ...

    def erase_through(self, seq: int, anchor: Anchor) -> None:
        """Stage the erasure of every entry up to `seq` (the retention policy), leaving `anchor`."""
        ...


class ProcessedLog(Protocol):
    """Keys of requests already acted on, so a redelivered activity changes state once."""

    async def seen(self, key: str) -> bool:
        """Whether this key was processed."""
        ...

    def mark(self, key: str) -> None:
        """Stage the key with the change it caused; a second commit with it is a conflict."""
        ...


class AddressBook(Protocol):
    """How to reach a person or a chat again later: an opaque address kept by the edge."""

    async def get(self, key: str) -> dict[str, object] | None:
        """The stored address, if any."""
        ...

    async def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, object]]:
        """The stored addresses among these keys (the others have none)."""
        ...

    def put(self, key: str, address: dict[str, object]) -> None:
        """Stage an address (replacing any before it)."""
        ...


@dataclass(frozen=True)
class ReminderState:
    """What the store knows of one reminder."""

    sent_at: datetime | None
    snoozed_until: datetime | None
    recipient: str | None = None  # who it is for: only they may snooze it


class ReminderLog(Protocol):
    """Claims and deliveries of reminders, so each is sent once even with several app instances."""

    async def states(self, keys: Collection[str]) -> dict[str, ReminderState]:
        """The known state of each key (absent keys were never claimed)."""
        ...

    def claim(self, key: str, owner: str, until: datetime, now: datetime, recipient: str = "") -> None:
        """Stage a claim for the reminder to `recipient`: it commits only if the reminder is unsent
        and unclaimed (or its claim has expired); otherwise the commit raises ConcurrencyConflict."""
        ...

    def mark_sent(self, key: str, owner: str, at: datetime) -> None:
        """Stage the delivery, by the claim's owner."""
        ...

    def snooze(self, key: str, until: datetime) -> None:
        """Stage a snooze of a reminder already claimed: it becomes unsent, due again at `until`."""
        ...

    async def erase_for_case(self, case_id: str) -> None:
        """Stage the erasure of every reminder about a case."""
        ...


class ExportLog(Protocol):
    """One-time exports: a file a reviewer downloads once, within minutes, by a token."""

    def put(self, token: str, name: str, content: str, expires: datetime) -> None:
        """Stage an export."""
        ...

    def take(self, token: str, now: datetime, found: list[tuple[str, str]]) -> None:
        """Stage taking an export (it is gone once taken); after the commit, `found` holds its
        name and content if it was there and still in time."""
        ...

    def purge(self, now: datetime) -> None:
        """Stage removing every export whose time has passed, taken or not."""
        ...


class UnitOfWork(Protocol):
    """One transaction's worth of repositories."""

    @property
    def cases(self) -> CaseRepository:
        """Cases."""
        ...

    @property
    def sittings(self) -> SittingRepository:
        """Sittings."""
        ...

    @property
    def roster(self) -> RosterRepository:
        """The roster."""
        ...

    @property
    def party_names(self) -> PartyNameRepository:
        """Party-name hashes."""
        ...

    @property
    def learning(self) -> LearningRepository:
        """Force-wide learning actions."""
        ...

    @property
    def audit(self) -> AuditLog:
        """The audit trail."""
        ...

    @property
    def processed(self) -> ProcessedLog:
        """Requests already acted on."""
        ...

    @property
    def addresses(self) -> AddressBook:
        """Where people and chats can be reached."""
        ...

    @property
    def reminders(self) -> ReminderLog:
        """Reminder claims and deliveries."""
        ...

    @property
    def exports(self) -> ExportLog:
        """One-time exports."""
        ...

    async def __aenter__(self) -> Self:
        """Begin: nothing is staged yet."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """End: anything staged and not committed is dropped."""
        ...

    async def commit(self) -> None:
        """Apply every staged write atomically, or none (ConcurrencyConflict if one is stale)."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class NoticeKind(StrEnum):
    """Kinds of message the domain asks to be sent to a person."""

    SOO_APPOINTED = "soo_appointed"
    SLOT_BOOKED = "slot_booked"
    CLOSURE_TO_APPROVE = "closure_to_approve"
    CLOSURE_APPROVED = "closure_approved"
    CLOSURE_RETURNED = "closure_returned"
    CASE_CLOSED = "case_closed"
    CONFLICT_DECLARED = "conflict_declared"
    AUDIT_REFERRED = "audit_referred"
    AUDIT_RETURNED = "audit_returned"
    FEEDBACK_ASKED = "feedback_asked"


@dataclass(frozen=True)
class Notice:
    """A message for one roster member about one case: the pseudonymous reference and facts only."""

    kind: NoticeKind
    recipient_id: str
    case_reference: str
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)


class Notifier(Protocol):
    """Delivers notices to people (a 1:1 Teams message in production)."""

    async def send(self, notice: Notice) -> None:
        """Deliver the notice, or record that its recipient could not be reached."""
        ...
