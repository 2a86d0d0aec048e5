"""The Azure Cosmos DB store: every record of one panel in one logical partition of one container.

Keeping a panel together makes every read on the hot paths (Next, the control card, a SOO's own
cases) a point read or a single-partition query, and lets every unit of work commit as one
transactional batch, which Cosmos DB runs atomically only within a partition. The README explains
the design. Concurrency is optimistic through `_etag`; a stale write becomes ConcurrencyConflict.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import random
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

import aiohttp
from azure.core.exceptions import AzureError
from azure.core.pipeline.transport import AioHttpTransport
from azure.cosmos import PartitionKey
from azure.cosmos.aio import ContainerProxy, CosmosClient
from azure.cosmos.exceptions import (
    CosmosAccessConditionFailedError,
    CosmosBatchOperationError,
    CosmosHttpResponseError,
    CosmosResourceExistsError,
    CosmosResourceNotFoundError,
)

from panel.audit import Anchor
from panel.errors import ConcurrencyConflict, StorageUnavailable, ValidationFailed
from panel.ports import AuditEvent
from storage import cosmos_reads
from storage.codec import from_document, to_document
from storage.cosmos_audit import HEAD_ID, CosmosAudit, append_ops, erasure_ops
from storage.cosmos_config import MAX_BATCH_OPERATIONS, CosmosConfig
from storage.cosmos_repos import (
    CONFLICT,
    NAMES_TOKEN_ID,
    CosmosAddresses,
    CosmosCases,
    CosmosExports,
    CosmosLearning,
    CosmosPartyNames,
    CosmosProcessed,
    CosmosReminders,
    CosmosRoster,
    CosmosSittings,
)
from storage.cosmos_staging import Change
from storage.records import StagedRecord, restage

logger = logging.getLogger(__name__)
T = TypeVar("T")
PARTITION_KEY_PATH = "/pk"
# Only the fields queries filter on are indexed: the record bodies are never searched, so leaving
# them out of the index makes every write cheaper.
INDEXING_POLICY: dict[str, Any] = {
    "indexingMode": "consistent",
    "includedPaths": [{"path": "/*"}],
    "excludedPaths": [
        {"path": "/doc/*"},
        {"path": "/address/*"},
        {"path": "/events/*"},
        {"path": "/content/?"},
        {"path": '/"_etag"/?'},
    ],
}
CREATE_ATTEMPTS = 5
CLOSE_GRACE_SECONDS = 0.05
CONTAINER_MISSING = 1003  # Cosmos DB's sub-status for a 404 whose container (owner) does not exist


def proxies_for(endpoint: str) -> dict[str, str]:
    """The proxy the environment names for the account's address (HTTPS_PROXY, bypassed for the
    hosts NO_PROXY lists), as the HTTP client would have found it; none if there is none."""
    proxies = urllib.request.getproxies()
    host = urlsplit(endpoint).hostname or ""
    if "https" not in proxies or urllib.request.proxy_bypass(host):
        return {}
    return {"https": proxies["https"]}


class CosmosStore:
    """One panel in a Cosmos DB container: the client, lazy creation of what is missing, units of work."""

    def __init__(self, config: CosmosConfig, *, audit_key: bytes, credential: Any = None) -> None:
        self.config = config
        self.audit_key = audit_key  # seals the audit chain
        self._credential = credential
        self._owns_credential = False
        self._client: CosmosClient | None = None
        self._container: ContainerProxy | None = None
        self._creating = asyncio.Lock()
        # The audit chain's head as this instance last moved it: the next commit seals after it
        # without reading it first. Another instance's commit since makes the batch fail on the
        # head's etag, and the head is then read and the commit sealed again.
        self.chain_head: dict[str, Any] | None = None

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
            # The environment's proxy settings are read here, once: left to the HTTP client, they
            # (and a .netrc file) were looked up again, on a worker thread, for every request,
            # which doubled the cost of a point read.
            transport=AioHttpTransport(use_env_settings=False),
            proxies=proxies_for(self.config.endpoint),
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
        """One document of this panel by id, or None (once per turn: `cosmos_reads`)."""
        reads = cosmos_reads.current(self)
        if reads is None:
            return await self.read_from_server(doc_id)
        known, held = reads.doc(doc_id)
        if known:
            return held
        # Two sends of one turn may want the same document at once: it is asked for once.
        asked = reads.asking.get(doc_id)
        if asked is None:
            asked = reads.asking[doc_id] = asyncio.ensure_future(self.read_from_server(doc_id))
            try:
                reads.keep_doc(doc_id, await asyncio.shield(asked))
            finally:
                reads.asking.pop(doc_id, None)
        return cosmos_reads.json_copy(await asyncio.shield(asked))

    async def read_from_server(self, doc_id: str) -> dict[str, Any] | None:
        """One document by id, asked of the server (one request)."""
        container = await self.container()
        with self._call("read"):
            try:
                item: dict[str, Any] = await container.read_item(doc_id, partition_key=self.partition)
            except CosmosResourceNotFoundError as error:
                if error.sub_status == CONTAINER_MISSING:
                    raise
                return None
        return item

    async def query(
        self, where: str, parameters: dict[str, Any], *, order_by: str | None = None, top: int | None = None
    ) -> list[dict[str, Any]]:
        """Every document of this panel matching a parameterised filter (the first `top`, in the
        order given), page by page.

        The partition key is always named in the WHERE clause as well as passed to the SDK: Cosmos
        DB accepts either, and the local protocol server needs the clause. A small answer is kept for
        the rest of the turn (`cosmos_reads`)."""
        reads = cosmos_reads.current(self)
        key = cosmos_reads.query_key(where, parameters, order_by, top)
        if reads is not None and (held := reads.query(key)) is not None:
            return held
        items = await self.query_server(where, parameters, order_by=order_by, top=top)
        if reads is not None:
            kind = parameters.get("@kind")
            reads.keep_query(key, kind if isinstance(kind, str) else None, items)
        return items

    async def query_server(
        self, where: str, parameters: dict[str, Any], *, order_by: str | None = None, top: int | None = None
    ) -> list[dict[str, Any]]:
        """A query's every page, asked of the server."""
        items: list[dict[str, Any]] = []
        async for page in self.query_pages(where, parameters, order_by=order_by, top=top):
            items.extend(page)
        return items

    async def query_pages(
        self, where: str, parameters: dict[str, Any], *, order_by: str | None = None, top: int | None = None
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The documents `query` returns, a page of the server's at a time (each page follows the
        last one's continuation token), for reads too large to hold at once."""
        container = await self.container()
        params = [{"name": "@pk", "value": self.partition}] + [
            {"name": name, "value": value} for name, value in parameters.items()
        ]
        head = f"SELECT TOP {int(top)} *" if top else "SELECT *"
        tail = f" ORDER BY {order_by}" if order_by else ""
        pages = container.query_items(
            f"{head} FROM c WHERE c.pk = @pk AND {where}{tail}",
            parameters=params,
            partition_key=self.partition,
            max_item_count=self.config.page_size,
        ).by_page()
        while True:
            with self._call("query"):
                try:
                    page = await anext(pages)
                except StopAsyncIteration:
                    return
                items = [item async for item in page]
            yield items

    async def patch_where(self, doc_id: str, operations: list[dict[str, Any]], condition: str) -> bool:
        """Patch one document only where `condition` (a filter on `c`) holds: one request; False
        when the condition no longer holds or the document is gone."""
        if (reads := cosmos_reads.current(self)) is not None:
            reads.wrote([("patch", (doc_id,))], [])
        container = await self.container()
        try:
            with self._call("patch"):
                try:
                    await container.patch_item(
                        doc_id,
                        partition_key=self.partition,
                        patch_operations=operations,
                        filter_predicate=f"FROM c WHERE {condition}",
                    )
                except CosmosResourceNotFoundError as error:
                    if error.sub_status == CONTAINER_MISSING:
                        raise
                    return False
        except ConcurrencyConflict:
            return False
        return True

    async def run_batch(self, operations: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """Run operations as one transactional batch in this panel's partition: all or none. Each
        operation's result, in order. The turn's reads learn what it wrote, or forget everything."""
        reads = cosmos_reads.current(self)
        try:
            results = await self.write_to_server(operations)
        except BaseException:
            if reads is not None:
                reads.forget()
            raise
        if reads is not None:
            reads.wrote(operations, results)
        return results

    async def write_to_server(self, operations: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """One transactional batch, sent to the server (one request)."""
        if not operations:
            return []
        if len(operations) > MAX_BATCH_OPERATIONS:
            raise ValidationFailed(
                f"That is {len(operations)} changes at once; the panel's store saves at most "
                f"{MAX_BATCH_OPERATIONS} together. Please do it in smaller parts (e.g. a shorter file)."
            )
        container = await self.container()
        with self._call("commit"):
            return list(await container.execute_item_batch(operations, partition_key=self.partition))
        return []  # not reached: _call raises


class BatchConflict(ConcurrencyConflict):
    """A batch refused because one operation was stale or a duplicate: which one it was."""

    def __init__(self, message: str, failed_operation: int) -> None:
        super().__init__(message)
        self.failed_operation = failed_operation


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
            raise BatchConflict(CONFLICT, int(error.error_index)) from error
        logger.warning("storage.batch_failed status=%s index=%s", error.status_code, error.error_index)
        raise StorageUnavailable() from error
    except CosmosHttpResponseError as error:
        logger.warning("storage.unavailable operation=%s status=%s", operation, error.status_code)
        raise StorageUnavailable() from error
    except (AzureError, aiohttp.ClientError, TimeoutError, OSError) as error:
        logger.warning("storage.unavailable operation=%s error=%s", operation, type(error).__name__)
        raise StorageUnavailable() from error


@dataclass
class _Seen:
    version: int
    etag: str


AUDIT_ATTEMPTS = 10
AUDIT_BACKOFF_S = 0.01


@dataclass
class _Pending:
    """What one commit will send: records, read-modify-write changes, and plain operations."""

    records: dict[str, StagedRecord] = field(default_factory=dict)
    changes: dict[str, list[Change]] = field(default_factory=dict)
    ops: list[tuple[Any, ...]] = field(default_factory=list)
    deletes: dict[str, int] = field(default_factory=dict)  # record id -> version read at
    audit_events: list[AuditEvent] = field(default_factory=list)
    erasure: tuple[int, Anchor] | None = None
    takes: list[tuple[str, datetime, list[tuple[str, str]]]] = field(default_factory=list)
    token_moves: int = 0


class CosmosUnitOfWork:
    """Repositories whose writes are staged until `commit()` sends them as one transactional batch."""

    def __init__(self, store: CosmosStore) -> None:
        self.store = store
        self._pending = _Pending()
        self._seen: dict[str, _Seen] = {}
        self.cases = CosmosCases(self, "case")
        self.sittings = CosmosSittings(self, "sitting")
        self.roster = CosmosRoster(self, "roster")
        self.learning = CosmosLearning(self, "learning")
        self.party_names = CosmosPartyNames(self)
        self.audit = CosmosAudit(self)
        self.processed = CosmosProcessed(self)
        self.addresses = CosmosAddresses(self)
        self.reminders = CosmosReminders(self)
        self.exports = CosmosExports(self)

    @property
    def audit_events(self) -> list[AuditEvent]:
        """Audit events staged in this unit of work."""
        return self._pending.audit_events

    @property
    def token_moves(self) -> int:
        """How often the identity guard's change token moves with this commit (hashes erased)."""
        return self._pending.token_moves

    @token_moves.setter
    def token_moves(self, value: int) -> None:
        self._pending.token_moves = value

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

    def stage_delete(self, doc_id: str, version: int) -> None:
        """Hold the deletion of a record, refused at commit unless it is still at `version`."""
        self._pending.deletes[doc_id] = version

    def stage_change(self, doc_id: str, change: Change) -> None:
        """Hold a change worked out at commit from the document as it then is."""
        self._pending.changes.setdefault(doc_id, []).append(change)

    def stage_op(self, op: tuple[Any, ...]) -> None:
        """Hold a plain batch operation (its document gets this panel's partition key)."""
        self._pending.ops.append(op)

    def stage_erasure(self, seq: int, anchor: Anchor) -> None:
        """Hold the erasure of the audit trail's oldest entries, through `seq`."""
        self._pending.erasure = (seq, anchor)

    def stage_take(self, doc_id: str, now: datetime, found: list[tuple[str, str]]) -> None:
        """Hold taking a one-time export: read and deleted at commit."""
        self._pending.takes.append((doc_id, now, found))

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
        """Send every staged write, with its audit entries sealed into the chain, as one
        transactional batch, or none of them. Only a moved chain head is sealed again and retried;
        any other conflict is the caller's."""
        pending, self._pending = self._pending, _Pending()
        operations = await self._operations(pending)
        taken: list[tuple[list[tuple[str, str]], tuple[str, str]]] = []
        for doc_id, now, found in pending.takes:
            item = await self.store.point_read(doc_id)
            if item is not None:
                operations.append(("delete", (doc_id,), {"if_match_etag": item["_etag"]}))
                if str(item["expires_at"]) >= now.astimezone(UTC).isoformat():
                    taken.append((found, (str(item["name"]), str(item["content"]))))
        for attempt in range(1, AUDIT_ATTEMPTS + 1):
            head_held = self.store.chain_head is not None
            chained = (
                await append_ops(self, self.store.audit_key, pending.audit_events)
                if pending.audit_events
                else []
            )
            try:
                # The SDK consumes each operation's options as it sends them: every attempt sends copies.
                results = await self.store.run_batch(copy.deepcopy(operations) + chained)
                if chained:
                    self.store.chain_head = _moved_head(results)
                break
            except BatchConflict as conflict:
                in_chain = conflict.failed_operation >= len(operations)
                if in_chain:
                    self.store.chain_head = None  # read it afresh
                    if head_held and attempt < AUDIT_ATTEMPTS:
                        continue  # another instance moved it since this one did: seal after it now
                if (
                    not in_chain
                    and attempt < AUDIT_ATTEMPTS
                    and await self._only_bookkeeping_moved(pending, operations, conflict.failed_operation)
                ):
                    continue
                if not in_chain or attempt == AUDIT_ATTEMPTS:
                    raise  # the change itself is stale: the caller's to decide
                # Another instance sealed its entries first: let it finish, then seal after it.
                await asyncio.sleep(random.uniform(0, AUDIT_BACKOFF_S * attempt))
        for staged in pending.records.values():
            staged.record.version = staged.next_version
        for into, export in taken:
            into.append(export)

    async def _only_bookkeeping_moved(
        self, pending: _Pending, operations: list[tuple[Any, ...]], index: int
    ) -> bool:
        """Whether a refused replace met a record that only the reminder round's bookkeeping (its
        wake moment) touched since it was read: same version, new etag. Then the replace is
        pointed at the new etag and the batch sent again; a real change by someone else is not."""
        records = list(pending.records.values())
        if index >= len(records) or records[index].new:
            return False
        staged = records[index]
        current = await self.store.point_read(staged.key)
        if current is None or int(current["version"]) != staged.read_at:
            return False
        kind, args, options = operations[index]
        operations[index] = (kind, args, {**options, "if_match_etag": current["_etag"]})
        self._seen[staged.key] = _Seen(staged.read_at, str(current["_etag"]))
        return True

    async def _operations(self, pending: _Pending) -> list[tuple[Any, ...]]:
        operations: list[tuple[Any, ...]] = []
        for staged in pending.records.values():
            operations.append(await self._record_op(staged))
        for doc_id, version in pending.deletes.items():
            current = await self.store.point_read(doc_id)
            if current is None or int(current["version"]) != version:
                raise ConcurrencyConflict(CONFLICT)
            operations.append(("delete", (doc_id,), {"if_match_etag": current["_etag"]}))
        hashes_added = 0
        for doc_id, changes in pending.changes.items():
            current = await self.store.point_read(doc_id)
            op, new = self._change_op(doc_id, current, changes)
            if op is not None:
                operations.append(op)
            if new.get("kind") == "names":
                hashes_added += len(new["hashes"]) - len((current or {}).get("hashes", []))
        operations.extend(_with_partition(op, self.store.partition) for op in pending.ops)
        if hashes_added or pending.token_moves:
            operations.append(await self._token_op(hashes_added + pending.token_moves))
        if pending.erasure is not None:
            operations.extend(await erasure_ops(self, *pending.erasure))
        return operations

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

    async def _token_op(self, moves: int) -> tuple[Any, ...]:
        """The change token counts every addition and erasure of hashes; it moves in the same batch
        as they do, and its etag makes two registrations at once take turns."""
        token = await self.store.point_read(NAMES_TOKEN_ID)
        doc = {"id": NAMES_TOKEN_ID, "pk": self.store.partition, "kind": "token", "count": moves}
        if token is None:
            return ("create", (doc,))
        doc["count"] = int(token["count"]) + moves
        return ("replace", (NAMES_TOKEN_ID, doc), {"if_match_etag": token["_etag"]})


SYSTEM_FIELDS = {"_etag", "_rid", "_self", "_ts", "_attachments"}


def _moved_head(results: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The chain head as a batch left it (its last operation), with its new etag; None when the
    response does not carry it (it is then read before the next commit)."""
    last = results[-1] if results else {}
    body = last.get("resourceBody")
    etag = last.get("eTag") or (body or {}).get("_etag")
    if not isinstance(body, dict) or not etag or body.get("id") != HEAD_ID:
        return None
    return {**body, "_etag": etag}


def _without_system_fields(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in SYSTEM_FIELDS}


def _with_partition(op: tuple[Any, ...], partition: str) -> tuple[Any, ...]:
    kind, args, *options = op
    if not isinstance(args[-1], dict):
        return op  # a delete names its document by id alone
    doc = {**args[-1], "pk": partition}
    return (kind, (*args[:-1], doc), *options)
