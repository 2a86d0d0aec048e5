"""What only the Cosmos DB store promises: its partition, its batches, its limits, and how it fails."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp import web
from azure.cosmos.aio import CosmosClient

from cli.local_cosmos import LocalCosmos
from panel.case import RiskLevel
from panel.errors import ConcurrencyConflict, StorageUnavailable, ValidationFailed
from panel.ports import AuditEvent
from storage.cosmos import CosmosStore
from storage.cosmos_config import CosmosConfig
from storage.cosmos_repos import PROCESSED_TTL_SECONDS
from tests.conftest import TEST_AUDIT_KEY, fresh_database
from tests.storage.test_contract import NOW, a_case

pytestmark = pytest.mark.cosmos


@pytest.fixture
async def store(cosmos_server: LocalCosmos) -> AsyncIterator[CosmosStore]:
    cosmos = CosmosStore(cosmos_server.config(fresh_database()), audit_key=TEST_AUDIT_KEY)
    await cosmos.open()
    yield cosmos
    await cosmos.close()


async def assert_reported_down(cosmos: CosmosStore) -> None:
    """The store says it is down, and a read fails with the plain answer a user would get."""
    assert not await cosmos.ping()
    with pytest.raises(StorageUnavailable, match="try again in a moment"):
        await cosmos.point_read("case:c1")


async def test_a_write_made_stale_after_reading_is_refused_by_the_server_and_changes_nothing(
    store: CosmosStore,
) -> None:
    async with store.unit_of_work() as uow:
        uow.cases.add(a_case())
        await uow.commit()
    async with store.unit_of_work() as first, store.unit_of_work() as second:
        mine, theirs = await first.cases.get("c1"), await second.cases.get("c1")
        mine.risk = RiskLevel.STANDARD
        first.cases.save(mine)
        await first.commit()
        # The second unit of work sends the etag it read: only Cosmos DB can see it is stale now,
        # so the audit event in the same batch must be rolled back with the refused replace.
        theirs.risk = RiskLevel.MEDIUM
        second.cases.save(theirs)
        second.audit.record(AuditEvent(NOW, "coord", "case.risk_changed", "c1"))
        with pytest.raises(ConcurrencyConflict):
            await second.commit()
    async with store.unit_of_work() as uow:
        assert (await uow.cases.get("c1")).risk is RiskLevel.STANDARD
        assert await uow.audit.for_subject("c1") == []


async def test_long_lists_come_back_whole_across_pages(cosmos_server: LocalCosmos) -> None:
    cosmos = CosmosStore(cosmos_server.config(fresh_database(), page_size=3), audit_key=TEST_AUDIT_KEY)
    await cosmos.open()
    try:
        async with cosmos.unit_of_work() as uow:
            for n in range(8):
                uow.cases.add(replace(a_case(f"c{n}", f"AAA-AA{n}"), registered_at=NOW.replace(minute=n)))
            await uow.commit()
        async with cosmos.unit_of_work() as uow:
            found = await uow.cases.find(soo_id="soo-1")
    finally:
        await cosmos.close()
    assert [c.case_id for c in found] == [f"c{n}" for n in range(8)]


async def test_too_many_changes_for_one_batch_are_refused_clearly_and_nothing_is_written(
    store: CosmosStore,
) -> None:
    async with store.unit_of_work() as uow:
        for n in range(60):  # each case is its document and its reference marker: 120 operations
            uow.cases.add(a_case(f"c{n}", f"BBB-{n:03d}"))
        with pytest.raises(ValidationFailed, match="at most 100"):
            await uow.commit()
    async with store.unit_of_work() as uow:
        assert await uow.cases.find() == []


async def test_two_panels_in_one_container_never_see_each_others_records(cosmos_server: LocalCosmos) -> None:
    database = fresh_database()
    north = CosmosStore(cosmos_server.config(database, panel_id="north"), audit_key=TEST_AUDIT_KEY)
    south = CosmosStore(cosmos_server.config(database, panel_id="south"), audit_key=TEST_AUDIT_KEY)
    await north.open()
    await south.open()
    try:
        async with north.unit_of_work() as uow:
            uow.cases.add(a_case())
            uow.party_names.add("c1", {"h1"})
            await uow.commit()
        async with south.unit_of_work() as uow:
            assert await uow.cases.find() == []
            assert not await uow.cases.reference_taken("K7F-2QM")
            assert await uow.party_names.all_hashes() == frozenset()
            uow.cases.add(a_case())  # the same reference is free in another panel
            await uow.commit()
    finally:
        await north.close()
        await south.close()


async def test_the_container_is_made_once_with_the_panel_partition_and_expiring_keys(
    cosmos_server: LocalCosmos,
) -> None:
    database = fresh_database()
    stores = [CosmosStore(cosmos_server.config(database), audit_key=TEST_AUDIT_KEY) for _ in range(2)]
    for cosmos in stores:
        await cosmos.open()
    try:
        # Two instances' first requests at once: one creates, the other uses what was created.
        containers = await asyncio.gather(*(cosmos.container() for cosmos in stores for _ in range(3)))
        properties = await containers[0].read()
        async with stores[1].unit_of_work() as uow:
            uow.processed.mark("activity-1")
            await uow.commit()
        (processed,) = await stores[0].query("c.kind = @kind", {"@kind": "processed"})
    finally:
        for cosmos in stores:
            await cosmos.close()
    assert properties["partitionKey"]["paths"] == ["/pk"]
    assert properties["defaultTtl"] == -1
    assert processed["ttl"] == PROCESSED_TTL_SECONDS and "activity-1" not in json.dumps(processed)


async def test_an_unreachable_account_is_reported_down_and_refuses_clearly(unused_tcp_port: int) -> None:
    cosmos = CosmosStore(
        CosmosConfig(
            endpoint=f"https://127.0.0.1:{unused_tcp_port}",
            database="panel",
            key="a2V5",
            verify_tls=False,
            timeout_seconds=1,
        ),
        audit_key=TEST_AUDIT_KEY,
    )
    await cosmos.open()
    try:
        await assert_reported_down(cosmos)
        async with cosmos.unit_of_work() as uow:
            with pytest.raises(StorageUnavailable, match="try again in a moment"):
                await uow.cases.find()
            uow.cases.add(a_case())
            with pytest.raises(StorageUnavailable):
                await uow.commit()
    finally:
        await cosmos.close()


async def test_throttling_beyond_the_configured_retries_is_unavailable_not_a_crash(
    unused_tcp_port: int,
) -> None:
    """No local server throttles on demand, so this one edge is a stand-in that answers 429 the way
    Cosmos DB documents it (status 429, x-ms-retry-after-ms); the SDK's own retry policy runs."""
    requests: list[str] = []

    async def throttled(request: web.Request) -> web.Response:
        requests.append(request.path)
        if request.method == "GET" and request.path == "/":
            return web.json_response({"id": "local", "writableLocations": [], "readableLocations": []})
        return web.json_response(
            {"code": "TooManyRequests", "message": "Request rate is large."},
            status=429,
            headers={"x-ms-retry-after-ms": "10", "x-ms-substatus": "3200"},
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", throttled)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", unused_tcp_port).start()
    cosmos = CosmosStore(
        CosmosConfig(
            endpoint=f"http://127.0.0.1:{unused_tcp_port}",
            database="panel",
            key="a2V5",
            throttle_retries=2,
            throttle_wait_seconds=1,
        ),
        audit_key=TEST_AUDIT_KEY,
    )
    await cosmos.open()
    try:
        await assert_reported_down(cosmos)
    finally:
        await cosmos.close()
        await runner.cleanup()
    container_reads = [p for p in requests if p.rstrip("/").endswith("/colls/panel")]
    # Each of the two calls tried once and retried twice, as configured, then gave up; the SDK's
    # default of nine retries would keep a user waiting far longer than Teams does.
    assert len(container_reads) == 2 * (1 + 2)


async def test_without_a_key_the_managed_identity_is_used_and_its_absence_reported_down(
    cosmos_server: LocalCosmos,
) -> None:
    config = replace(cosmos_server.config("managed"), key="")
    cosmos = CosmosStore(config, audit_key=TEST_AUDIT_KEY)
    await cosmos.open()
    try:
        # No managed identity, az login or environment credential on this machine: the store says
        # it is down (and a user would be told to try again), it does not crash the app.
        await assert_reported_down(cosmos)
    finally:
        await cosmos.close()
    assert type(cosmos._credential).__name__ == "DefaultAzureCredential"


async def test_a_container_deleted_under_a_running_app_is_reported_down_then_made_again(
    store: CosmosStore,
) -> None:
    async with store.unit_of_work() as uow:
        uow.cases.add(a_case())
        await uow.commit()
    config = store.config
    async with CosmosClient(config.endpoint, config.key, connection_verify=False) as admin:
        await admin.get_database_client(config.database).delete_container(config.container)
    async with store.unit_of_work() as uow:
        with pytest.raises(StorageUnavailable):  # never a crash, never "no cases" as if all were well
            await uow.cases.find()
    assert await store.ping()  # checked again on the next request: created anew, empty
    async with store.unit_of_work() as uow:
        assert await uow.cases.find() == []


async def test_the_forces_proxy_from_the_environment_carries_requests_unless_no_proxy_names_the_account(
    cosmos_server: LocalCosmos, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A force's network may reach Azure only through its proxy: the environment's HTTPS_PROXY is
    used for the account (read once when the store opens), and NO_PROXY still exempts it."""
    asked: list[bytes] = []

    async def refusing_proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        asked.append(await reader.readline())
        writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    proxy = await asyncio.start_server(refusing_proxy, "127.0.0.1", 0)
    account = urlsplit(cosmos_server.endpoint)
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.sockets[0].getsockname()[1]}")
    try:
        behind = CosmosStore(cosmos_server.config(fresh_database()), audit_key=TEST_AUDIT_KEY)
        await behind.open()
        try:
            await assert_reported_down(behind)
        finally:
            await behind.close()
        assert asked and asked[0].startswith(f"CONNECT {account.hostname}:{account.port} ".encode())

        asked.clear()
        monkeypatch.setenv("NO_PROXY", account.hostname or "")
        direct = CosmosStore(cosmos_server.config(fresh_database()), audit_key=TEST_AUDIT_KEY)
        await direct.open()
        try:
            assert await direct.ping()
        finally:
            await direct.close()
        assert asked == []
    finally:
        proxy.close()
        await proxy.wait_closed()


async def test_queries_by_kind_see_exactly_what_stands_after_replaces_and_a_batch_undone(
    store: CosmosStore,
) -> None:
    """The local server answers "c.kind = @kind" from a per-kind index (as Cosmos DB serves it from
    its own): a document that changed kind, or whose batch failed, must not be answered."""
    pk = store.partition

    def doc(doc_id: str, kind: str, n: int) -> dict[str, Any]:
        return {"id": doc_id, "pk": pk, "kind": kind, "n": n}

    await store.run_batch([("create", (doc("a", "left", 1),)), ("create", (doc("b", "left", 2),))])
    await store.run_batch([("upsert", (doc("a", "right", 3),))])  # a moves to another kind
    # b would move to the other kind, then the batch fails (a exists): b must still be answered
    # where it was, and c, created and undone, nowhere.
    failed = [
        ("replace", ("b", doc("b", "right", 5))),
        ("create", (doc("c", "left", 4),)),
        ("create", (doc("a", "right", 6),)),
    ]
    with pytest.raises((ConcurrencyConflict, StorageUnavailable)):
        await store.run_batch(failed)
    left = await store.query("c.kind = @kind", {"@kind": "left"})
    right = await store.query("c.kind = @kind AND c.n > @n", {"@kind": "right", "@n": 0})
    assert [(d["id"], d["n"]) for d in left] == [("b", 2)]
    assert [(d["id"], d["n"]) for d in right] == [("a", 3)]
    # With an OR outside brackets the index cannot answer; the full read still does.
    either = await store.query("c.kind = @kind OR c.pk = @pk AND c.n = @n", {"@kind": "left", "@n": 3})
    assert sorted(d["id"] for d in either) == ["a", "b"]
