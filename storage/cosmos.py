"""The Azure Cosmos DB store: every record of one panel in one logical partition of one container.

Keeping a panel together makes every read on the hot paths (Next, the control card, a SOO's own
cases) a point read or a single-partition query, and lets every unit of work commit as one
transactional batch, which Cosmos DB runs atomically only within a partition. The README explains
the design. Concurrency is optimistic through `_etag`; a stale write becomes ConcurrencyConflict.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp
from azure.core.exceptions import AzureError
from azure.cosmos import PartitionKey
from azure.cosmos.aio import ContainerProxy, CosmosClient
from azure.cosmos.exceptions import (
    CosmosAccessConditionFailedError,
    CosmosBatchOperationError,
    CosmosHttpResponseError,
    CosmosResourceExistsError,
    CosmosResourceNotFoundError,
)

from panel.case import Case, CaseStatus
from panel.errors import ConcurrencyConflict, StorageUnavailable, ValidationFailed
from panel.ports import AuditEvent, ReminderState
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus
from storage.codec import from_document, to_document
from storage.cosmos_config import MAX_BATCH_OPERATIONS, CosmosConfig
from storage.records import StagedRecord, case_fields, found, moment, restage, sitting_fields

logger = logging.getLogger(__name__)
T = TypeVar("T")
PARTITION_KEY_PATH = "/pk"
# Only the fields queries filter on are indexed: the record bodies are never searched, so leaving
# them out of the index makes every write cheaper.
INDEXING_POLICY: dict[str, Any] = {
    "indexingMode": "consistent",
    "includedPaths": [{"path": "/*"}],
    "excludedPaths": [{"path": "/doc/*"}, {"path": "/address/*"}, {"path": '/"_etag"/?'}],
}
# Redelivered Teams activities arrive within minutes; a month of keys is ample and then they expire.
PROCESSED_TTL_SECONDS = 30 * 24 * 3600
CONFLICT = "Someone else changed this a moment ago. Please try again."
NAMES_TOKEN_ID = "names-token"
CREATE_ATTEMPTS = 5
CLOSE_GRACE_SECONDS = 0.05
CONTAINER_MISSING = 1003  # Cosmos DB's sub-status for a 404 whose container (owner) does not exist


class CosmosStore:
    """One panel in a Cosmos DB container: the client, lazy creation of what is missing, units of work."""

    def __init__(self, config: CosmosConfig, *, credential: Any = None) -> None:
        self.config = config
        self._credential = credential
        self._owns_credential = False
        self._client: CosmosClient | None = None
        self._container: ContainerProxy | None = None
        self._creating = asyncio.Lock()

    async def open(self) -> None:
        """Make the client; the database and container are checked (and made) on first use, so an
        app can start while Cosmos DB is unreachable and report itself down until it is back."""
        credential = self._credential or self.config.key
        if not credential:
            # No key: the deployed app's managed identity (or a developer's az login).
            from azure.identity.aio import DefaultAzureCredential

            credential = self._credential = DefaultAzureCredential()
            self._owns_credential = True
        self._client = CosmosClient(
            self.config.endpoint,
            credential,
            connection_verify=self.config.verify_tls,
            connection_timeout=self.config.timeout_seconds,
            read_timeout=self.config.timeout_seconds,
            retry_throttle_total=self.config.throttle_retries,
            retry_throttle_backoff_max=self.config.throttle_wait_seconds,
            retry_connect=1,
            retry_read=1,
            enable_endpoint_discovery=False,
        )

    async def close(self) -> None:
        """Close the client (and the credential, if this store made it)."""
        if self._client is not None:
            await self._client.close()
            # Closing only starts each TLS connection's shutdown handshake (the SDK's background
            # account refresh may have one open); let the loop finish them, or their sockets are
            # left open if the loop stops straight after, as it does at shutdown.
            await asyncio.sleep(CLOSE_GRACE_SECONDS)
        if self._owns_credential and self._credential is not None:
            await self._credential.close()
        self._client = self._container = None

    async def ping(self) -> bool:
        """Whether the container answers a read of its own properties."""
        try:
            container = await self.container()
            with self._call("ping"):
                await container.read()
        except (StorageUnavailable, RuntimeError):
            return False
        return True

    @contextlib.contextmanager
    def _call(self, operation: str) -> Iterator[None]:
        """One request to the container, its failures in the domain's words. A 404 that escapes
        means the container itself is gone (deleted, or a local server restarted): the store
        reports itself down and checks again, creating it if allowed, on the next request."""
        try:
            with _translated(operation):
                yield
        except CosmosResourceNotFoundError as error:
            logger.error(
                "storage.container_missing operation=%s container=%s", operation, self.config.container
            )
            self._container = None
            raise StorageUnavailable() from error

    def unit_of_work(self) -> CosmosUnitOfWork:
        """A new unit of work over this store."""
        return CosmosUnitOfWork(self)

    @property
    def partition(self) -> str:
        """This panel's partition key value."""
        return self.config.panel_id

    async def container(self) -> ContainerProxy:
        """The container, created with its database on first use if missing (once, under a lock)."""
        if self._container is not None:
            return self._container
        if self._client is None:
            raise RuntimeError("the store is not open")
        async with self._creating:
            if self._container is None:
                self._container = await self._ensure_container(self._client)
        return self._container

    async def _ensure_container(self, client: CosmosClient) -> ContainerProxy:
        container = client.get_database_client(self.config.database).get_container_client(
            self.config.container
        )
        with _translated("open"):
            for _ in range(CREATE_ATTEMPTS):
                try:
                    await container.read()
                    return container
                except CosmosResourceNotFoundError:
                    pass
                # Creating needs the account key: a managed identity's data-plane role cannot
                # create databases or containers, so a deployment provisions them first (README).
                try:
                    database = await client.create_database_if_not_exists(self.config.database)
                    created = await database.create_container_if_not_exists(
                        self.config.container,
                        partition_key=PartitionKey(path=PARTITION_KEY_PATH),
                        indexing_policy=INDEXING_POLICY,
                        default_ttl=-1,  # time-to-live on, per item: only processed keys expire
                    )
                except CosmosResourceExistsError:
                    continue  # another app instance is creating them too: read what it made
                logger.info("storage.container_ready container=%s", self.config.container)
                return created
        raise StorageUnavailable()

    async def point_read(self, doc_id: str) -> dict[str, Any] | None:
        """One document of this panel by id, or None."""
        container = await self.container()
        with self._call("read"):
            try:
                item: dict[str, Any] = await container.read_item(doc_id, partition_key=self.partition)
            except CosmosResourceNotFoundError as error:
                if error.sub_status == CONTAINER_MISSING:
                    raise
                return None
        return item

    async def query(self, where: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        """Every document of this panel matching a parameterised filter, page by page.

        The partition key is always named in the WHERE clause as well as passed to the SDK: Cosmos
        DB accepts either, and the local protocol server needs the clause."""
        container = await self.container()
        params = [{"name": "@pk", "value": self.partition}] + [
            {"name": name, "value": value} for name, value in parameters.items()
        ]
        items: list[dict[str, Any]] = []
        with self._call("query"):
            pages = container.query_items(
                f"SELECT * FROM c WHERE c.pk = @pk AND {where}",
                parameters=params,
                partition_key=self.partition,
                max_item_count=self.config.page_size,
            ).by_page()
            async for page in pages:  # each page follows the last one's continuation token
                items.extend([item async for item in page])
        return items

    async def run_batch(self, operations: list[tuple[Any, ...]]) -> None:
        """Run operations as one transactional batch in this panel's partition: all or none."""
        if not operations:
            return
        if len(operations) > MAX_BATCH_OPERATIONS:
            raise ValidationFailed(
                f"That is {len(operations)} changes at once; the panel's store saves at most "
                f"{MAX_BATCH_OPERATIONS} together. Please do it in smaller parts (e.g. a shorter file)."
            )
        container = await self.container()
        with self._call("commit"):
            await container.execute_item_batch(operations, partition_key=self.partition)


@contextlib.contextmanager
def _translated(operation: str) -> Iterator[None]:
    """Cosmos DB's failures in the domain's words: a stale or duplicate write is a conflict; an
    unreachable, throttled or refusing service is unavailable. Logs carry the status code only."""
    try:
        yield
    except CosmosResourceNotFoundError:
        raise
    except (CosmosAccessConditionFailedError, CosmosResourceExistsError) as error:
        raise ConcurrencyConflict(CONFLICT) from error
    except CosmosBatchOperationError as error:
        if error.status_code in (409, 412):
            raise ConcurrencyConflict(CONFLICT) from error
        logger.warning("storage.batch_failed status=%s index=%s", error.status_code, error.error_index)
        raise StorageUnavailable() from error
    except CosmosHttpResponseError as error:
        logger.warning("storage.unavailable operation=%s status=%s", operation, error.status_code)
        raise StorageUnavailable() from error
    except (AzureError, aiohttp.ClientError, TimeoutError, OSError) as error:
        logger.warning("storage.unavailable operation=%s error=%s", operation, type(error).__name__)
        raise StorageUnavailable() from error


def _key_id(kind: str, key: str) -> str:
    """A document id for a free-form key: ids may not hold '/', '\\', '?' or '#' and are at most
    255 bytes, and the key (a conversation or activity id) need not be readable in the id."""
    return f"{kind}:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"


class _Records:
    """Versioned domain records of one kind, staged on the unit of work."""

    def __init__(self, uow: CosmosUnitOfWork, kind: str) -> None:
        self._uow, self._kind = uow, kind

    def _id(self, key: str) -> str:
        return f"{self._kind}:{key}"

    async def _get(self, cls: type[T], key: str) -> T | None:
        item = await self._uow.store.point_read(self._id(key))
        return self._uow.loaded(cls, item) if item else None

    async def _find(self, cls: type[T], where: str, parameters: dict[str, Any]) -> list[T]:
        items = await self._uow.store.query(
            f"c.kind = @kind AND {where}", {"@kind": self._kind, **parameters}
        )
        return [self._uow.loaded(cls, item) for item in items]

    def _stage(self, record: Any, key: str, fields: Callable[[], dict[str, Any]], new: bool) -> None:
        self._uow.stage_record(self._kind, self._id(key), record, fields, new)


class CosmosCases(_Records):
    """Cases in Cosmos DB; a reference marker document makes references unique within the panel."""

    async def get(self, case_id: str) -> Case:
        """The case, or NotFound."""
        return found(await self._get(Case, case_id))

    async def by_reference(self, reference: str) -> Case:
        """The case with this reference, or NotFound."""
        matches = await self._find(Case, "c.reference = @reference", {"@reference": reference})
        return found(matches[0] if matches else None)

    async def reference_taken(self, reference: str) -> bool:
        """Whether any case has this reference (one point read of its marker)."""
        return await self._uow.store.point_read(_reference_id(reference)) is not None

    async def find(
        self, *, soo_id: str | None = None, statuses: Collection[CaseStatus] | None = None
    ) -> list[Case]:
        """Cases matching the filters, oldest registration first."""
        clauses, params = ["true"], dict[str, Any]()
        if soo_id is not None:
            clauses.append("c.soo_id = @soo")
            params["@soo"] = soo_id
        if statuses is not None:
            clauses.append("ARRAY_CONTAINS(@statuses, c.status)")
            params["@statuses"] = [s.value for s in statuses]
        cases = await self._find(Case, " AND ".join(clauses), params)
        # Sorted here: ordering by two fields would need a composite index for nothing, as a
        # panel's cases are at most a few hundred documents.
        return sorted(cases, key=lambda c: (c.registered_at, c.case_id))

    def add(self, case: Case) -> None:
        """Stage a new case and its reference marker."""
        self._stage(case, case.case_id, lambda: case_fields(case), new=True)
        self._uow.stage_op(("create", ({"id": _reference_id(case.reference), "kind": "reference"},)))

    def save(self, case: Case) -> None:
        """Stage a change to a case."""
        self._stage(case, case.case_id, lambda: case_fields(case), new=False)


class CosmosSittings(_Records):
    """Sittings in Cosmos DB."""

    async def get(self, sitting_id: str) -> Sitting:
        """The sitting, or NotFound."""
        return found(await self._get(Sitting, sitting_id))

    async def exists(self, sitting_id: str) -> bool:
        """Whether a sitting has this id."""
        return await self._uow.store.point_read(self._id(sitting_id)) is not None

    async def find(self, *, on_or_after: date | None = None, live: bool | None = None) -> list[Sitting]:
        """Sittings in date order, filtered."""
        clauses, params = ["true"], dict[str, Any]()
        if on_or_after is not None:
            clauses.append("c.sitting_date >= @from")
            params["@from"] = on_or_after.isoformat()
        if live is not None:
            clauses.append("c.status = @live" if live else "c.status != @live")
            params["@live"] = SittingStatus.LIVE.value
        sittings = await self._find(Sitting, " AND ".join(clauses), params)
        return sorted(sittings, key=lambda s: (s.sitting_date, s.sitting_id))

    def add(self, sitting: Sitting) -> None:
        """Stage a new sitting."""
        self._stage(sitting, sitting.sitting_id, lambda: sitting_fields(sitting), new=True)

    def save(self, sitting: Sitting) -> None:
        """Stage a change to a sitting."""
        self._stage(sitting, sitting.sitting_id, lambda: sitting_fields(sitting), new=False)


class CosmosRoster(_Records):
    """The roster in Cosmos DB."""

    async def get(self, aad_object_id: str) -> RosterMember | None:
        """The member, if on the roster."""
        return await self._get(RosterMember, aad_object_id)

    async def all(self) -> list[RosterMember]:
        """Everyone on the roster."""
        members = await self._find(RosterMember, "true", {})
        return sorted(members, key=lambda m: m.aad_object_id)

    def add(self, member: RosterMember) -> None:
        """Stage a new member."""
        self._stage(member, member.aad_object_id, dict, new=True)

    def save(self, member: RosterMember) -> None:
        """Stage a change to a member."""
        self._stage(member, member.aad_object_id, dict, new=False)


class CosmosPartyNames:
    """Party-name hashes in one document per case, and a counter document as the change token."""

    def __init__(self, uow: CosmosUnitOfWork) -> None:
        self._uow = uow

    async def all_hashes(self) -> frozenset[str]:
        """Every registered hash."""
        items = await self._uow.store.query("c.kind = @kind", {"@kind": "names"})
        return frozenset(h for item in items for h in item["hashes"])

    async def change_token(self) -> int:
        """How many hashes have ever been added: one point read."""
        token = await self._uow.store.point_read(NAMES_TOKEN_ID)
        return int(token["count"]) if token else 0

    async def count_for_case(self, case_id: str) -> int:
        """How many hashes a case has."""
        item = await self._uow.store.point_read(_names_id(case_id))
        return len(item["hashes"]) if item else 0

    def add(self, case_id: str, hashes: Collection[str]) -> None:
        """Stage hashes for a case; a hash already there is kept once."""
        wanted = frozenset(hashes)

        def merge(current: dict[str, Any] | None) -> dict[str, Any]:
            return {
                "kind": "names",
                "case_id": case_id,
                "hashes": sorted(set((current or {}).get("hashes", [])) | wanted),
            }

        self._uow.stage_change(_names_id(case_id), merge)


class CosmosAudit:
    """The audit trail: one append-only document per committed unit of work."""

    def __init__(self, uow: CosmosUnitOfWork) -> None:
        self._uow = uow

    def record(self, event: AuditEvent) -> None:
        """Stage an audit event with the change it records."""
        self._uow.audit_events.append(event)

    async def for_subject(self, subject_id: str) -> list[AuditEvent]:
        """One record's trail, oldest first."""
        items = await self._uow.store.query(
            "c.kind = @kind AND ARRAY_CONTAINS(c.subjects, @subject)",
            {"@kind": "audit", "@subject": subject_id},
        )
        ordered = sorted(items, key=lambda item: str(item["written"]))
        return [
            from_document(AuditEvent, e)
            for item in ordered
            for e in item["events"]
            if e["subject_id"] == subject_id
        ]


class CosmosProcessed:
    """Keys of requests already acted on; each expires after a month."""

    def __init__(self, uow: CosmosUnitOfWork) -> None:
        self._uow = uow

    async def seen(self, key: str) -> bool:
        """Whether this key was processed."""
        return await self._uow.store.point_read(_key_id("processed", key)) is not None

    def mark(self, key: str) -> None:
        """Stage the key; a second create of it fails the whole batch as a conflict."""
        doc = {"id": _key_id("processed", key), "kind": "processed", "ttl": PROCESSED_TTL_SECONDS}
        self._uow.stage_op(("create", (doc,)))


class CosmosAddresses:
    """Delivery addresses in Cosmos DB."""

    def __init__(self, uow: CosmosUnitOfWork) -> None:
        self._uow = uow

    async def get(self, key: str) -> dict[str, object] | None:
        """The stored address, if any."""
        item = await self._uow.store.point_read(_key_id("address", key))
        return dict(item["address"]) if item else None

    def put(self, key: str, address: dict[str, object]) -> None:
        """Stage an address, replacing any before it (last writer wins)."""
        doc = {"id": _key_id("address", key), "kind": "address", "address": address}
        self._uow.stage_op(("upsert", (doc,)))


class CosmosReminders:
    """Reminder claims and deliveries, each a document changed only if it is as it was read."""

    def __init__(self, uow: CosmosUnitOfWork) -> None:
        self._uow = uow

    async def states(self, keys: Collection[str]) -> dict[str, ReminderState]:
        """The known state of each key."""
        by_id = {_key_id("reminder", key): key for key in keys}
        ids = sorted(by_id)
        known: dict[str, ReminderState] = {}
        for start in range(0, len(ids), 100):  # keep each query's text and parameters small
            items = await self._uow.store.query(
                "c.kind = @kind AND ARRAY_CONTAINS(@ids, c.id)",
                {"@kind": "reminder", "@ids": ids[start : start + 100]},
            )
            for item in items:
                known[by_id[item["id"]]] = ReminderState(
                    moment(item["sent_at"]), moment(item["snoozed_until"]), item.get("recipient")
                )
        return known

    def claim(self, key: str, owner: str, until: datetime, now: datetime, recipient: str = "") -> None:
        """Stage a claim that succeeds only for an unsent reminder whose last claim has expired."""

        def claimed(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is not None and (
                current["sent_at"] is not None or datetime.fromisoformat(current["claimed_until"]) > now
            ):
                raise ConcurrencyConflict(CONFLICT)
            base = current or _reminder(key)
            return {**base, "claimed_by": owner, "claimed_until": until.isoformat(), "recipient": recipient}

        self._uow.stage_change(_key_id("reminder", key), claimed)

    def mark_sent(self, key: str, owner: str, at: datetime) -> None:
        """Stage the delivery; only the claim's owner may mark it."""

        def sent(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is None or current["claimed_by"] != owner or current["sent_at"] is not None:
                raise ConcurrencyConflict(CONFLICT)
            return {**current, "sent_at": at.isoformat()}

        self._uow.stage_change(_key_id("reminder", key), sent)

    def snooze(self, key: str, until: datetime) -> None:
        """Stage a snooze of a reminder already claimed (the commit is refused if there is none)."""

        def snoozed(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is None:
                raise ConcurrencyConflict(CONFLICT)
            # Snoozed means "remind me later": unsent again, and not claimable before `until`.
            stamp = until.isoformat()
            return {**current, "snoozed_until": stamp, "claimed_until": stamp, "sent_at": None}

        self._uow.stage_change(_key_id("reminder", key), snoozed)


def _reminder(key: str) -> dict[str, Any]:
    return {
        "kind": "reminder",
        "key": key,
        "claimed_by": "",
        "claimed_until": "",
        "sent_at": None,
        "snoozed_until": None,
    }


@dataclass
class _Seen:
    version: int
    etag: str


Change = Callable[[dict[str, Any] | None], dict[str, Any]]


@dataclass
class _Pending:
    """What one commit will send: records, read-modify-write changes, and plain operations."""

    records: dict[str, StagedRecord] = field(default_factory=dict)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    ops: list[tuple[Any, ...]] = field(default_factory=list)
    audit_events: list[AuditEvent] = field(default_factory=list)


class CosmosUnitOfWork:
    """Repositories whose writes are staged until `commit()` sends them as one transactional batch."""

    def __init__(self, store: CosmosStore) -> None:
        self.store = store
        self._pending = _Pending()
        self._seen: dict[str, _Seen] = {}
        self.cases = CosmosCases(self, "case")
        self.sittings = CosmosSittings(self, "sitting")
        self.roster = CosmosRoster(self, "roster")
        self.party_names = CosmosPartyNames(self)
        self.audit = CosmosAudit(self)
        self.processed = CosmosProcessed(self)
        self.addresses = CosmosAddresses(self)
        self.reminders = CosmosReminders(self)

    @property
    def audit_events(self) -> list[AuditEvent]:
        """Audit events staged in this unit of work."""
        return self._pending.audit_events

    def loaded(self, cls: type[T], item: dict[str, Any]) -> T:
        """A record from its document, remembering the etag it was read at for a later save."""
        version = int(item["version"])
        self._seen[item["id"]] = _Seen(version, item["_etag"])
        return from_document(cls, {**item["doc"], "version": version})

    def stage_record(
        self, kind: str, doc_id: str, record: Any, fields: Callable[[], dict[str, Any]], new: bool
    ) -> None:
        """Hold a record until commit; saving it again here is one write of its latest state."""
        staged = StagedRecord(kind, doc_id, record, fields, new, record.version)
        self._pending.records[doc_id] = restage(self._pending.records.get(doc_id), staged)

    def stage_change(self, doc_id: str, change: Change) -> None:
        """Hold a change worked out at commit from the document as it then is."""
        self._pending.changes.setdefault(doc_id, []).append(change)

    def stage_op(self, op: tuple[Any, ...]) -> None:
        """Hold a plain batch operation (its document gets this panel's partition key)."""
        self._pending.ops.append(op)

    async def __aenter__(self) -> Self:
        self._pending = _Pending()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pending = _Pending()

    async def commit(self) -> None:
        """Send every staged write as one transactional batch, or none of them."""
        pending, self._pending = self._pending, _Pending()
        operations: list[tuple[Any, ...]] = []
        for staged in pending.records.values():
            operations.append(await self._record_op(staged))
        hashes_added = 0
        for doc_id, changes in pending.changes.items():
            current = await self.store.point_read(doc_id)
            op, new = self._change_op(doc_id, current, changes)
            if op is not None:
                operations.append(op)
            if new.get("kind") == "names":
                hashes_added += len(new["hashes"]) - len((current or {}).get("hashes", []))
        operations.extend(_with_partition(op, self.store.partition) for op in pending.ops)
        if hashes_added:
            operations.append(await self._token_op(hashes_added))
        if pending.audit_events:
            operations.append(("create", (self._audit_doc(pending.audit_events),)))
        await self.store.run_batch(operations)
        for staged in pending.records.values():
            staged.record.version = staged.next_version

    async def _record_op(self, staged: StagedRecord) -> tuple[Any, ...]:
        body = to_document(staged.record)
        body.pop("version", None)
        doc = {
            "id": staged.key,
            "pk": self.store.partition,
            "kind": staged.kind,
            "version": staged.next_version,
            "doc": body,
            **staged.fields(),
        }
        if staged.new:
            return ("create", (doc,))
        return ("replace", (staged.key, doc), {"if_match_etag": await self._etag_at(staged)})

    async def _etag_at(self, staged: StagedRecord) -> str:
        """The etag of the version this record was read at: remembered from the read, or read now
        and checked (a record read in another unit of work carries only its version)."""
        seen = self._seen.get(staged.key)
        if seen is not None and seen.version == staged.read_at:
            return seen.etag
        current = await self.store.point_read(staged.key)
        if current is None or int(current["version"]) != staged.read_at:
            raise ConcurrencyConflict(CONFLICT)
        return str(current["_etag"])

    def _change_op(
        self, doc_id: str, current: dict[str, Any] | None, changes: list[Change]
    ) -> tuple[tuple[Any, ...] | None, dict[str, Any]]:
        """The operation that takes a document from how it is now to how the staged changes leave
        it (None when they change nothing), and that new state."""
        doc = current
        for change in changes:
            doc = change(doc)
        assert doc is not None, "a change always returns a document"
        body = {**_without_system_fields(doc), "id": doc_id, "pk": self.store.partition}
        if current is None:
            return ("create", (body,)), body
        if _without_system_fields(current) == body:
            return None, body
        return ("replace", (doc_id, body), {"if_match_etag": current["_etag"]}), body

    async def _token_op(self, added: int) -> tuple[Any, ...]:
        """The change token counts hashes ever added; it moves in the same batch as the hashes, and
        its etag makes two registrations at once take turns."""
        token = await self.store.point_read(NAMES_TOKEN_ID)
        doc = {"id": NAMES_TOKEN_ID, "pk": self.store.partition, "kind": "token", "count": added}
        if token is None:
            return ("create", (doc,))
        doc["count"] = int(token["count"]) + added
        return ("replace", (NAMES_TOKEN_ID, doc), {"if_match_etag": token["_etag"]})

    def _audit_doc(self, events: list[AuditEvent]) -> dict[str, Any]:
        written = datetime.now(UTC).isoformat()
        return {
            "id": f"audit:{uuid.uuid4().hex}",
            "pk": self.store.partition,
            "kind": "audit",
            "written": f"{min(e.at for e in events).astimezone(UTC).isoformat()}|{written}",
            "subjects": sorted({e.subject_id for e in events}),
            "events": [to_document(e) for e in events],
        }


SYSTEM_FIELDS = {"_etag", "_rid", "_self", "_ts", "_attachments"}


def _without_system_fields(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in SYSTEM_FIELDS}


def _with_partition(op: tuple[Any, ...], partition: str) -> tuple[Any, ...]:
    kind, args, *options = op
    doc = {**args[-1], "pk": partition}
    return (kind, (*args[:-1], doc), *options)


def _reference_id(reference: str) -> str:
    return f"reference:{reference}"


def _names_id(case_id: str) -> str:
    return f"names:{case_id}"
