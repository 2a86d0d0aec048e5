"""One turn asks Cosmos DB for a document or a small query once, yet never acts on a stale copy: a
change another instance saved meanwhile is kept, and the turn's own writes are seen at once."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cli.demo_data import COORDINATOR, SOO_ONE
from panel.roles import Actor
from panel.sitting import Sitting
from panel.usecases import live_notes
from panel.usecases.deps import Deps
from panel.usecases.roster import import_roster
from storage.cosmos import CosmosStore
from storage.cosmos_reads import turn_reads
from storage.store import Store
from tests.conftest import TEST_AUDIT_KEY, member
from tests.panel.helpers import new_sitting


class AskedCount:
    """Counts what the store asked the server for."""

    def __init__(self, store: CosmosStore) -> None:
        self.reads = self.queries = 0
        read, query = store.read_from_server, store.query_server

        async def counted_read(doc_id: str) -> dict[str, Any] | None:
            self.reads += 1
            return await read(doc_id)

        async def counted_query(
            where: str, parameters: dict[str, Any], **options: Any
        ) -> list[dict[str, Any]]:
            self.queries += 1
            return await query(where, parameters, **options)

        store.read_from_server = counted_read  # type: ignore[method-assign]
        store.query_server = counted_query  # type: ignore[method-assign]


@pytest.mark.asyncio
async def test_addresses_are_read_together_and_only_stored_ones_come_back(deps: Deps) -> None:
    async with deps.uow() as uow:
        uow.addresses.put("soo-card:s1:a", {"id": "m1"})
        uow.addresses.put("soo-card:s1:b", {"id": "m2"})
        await uow.commit()
    async with deps.uow() as uow:
        found = await uow.addresses.get_many(["soo-card:s1:a", "soo-card:s1:b", "soo-card:s1:c"])
    assert found == {"soo-card:s1:a": {"id": "m1"}, "soo-card:s1:b": {"id": "m2"}}


def cosmos_only(store: Store) -> CosmosStore:
    if not isinstance(store, CosmosStore):
        pytest.skip("only Cosmos DB reads cost a request each")
    return store


@pytest.mark.asyncio
async def test_a_turn_asks_for_a_document_and_a_query_once(store: Store, deps: Deps) -> None:
    cosmos = cosmos_only(store)
    sitting = await new_sitting(deps)
    asked = AskedCount(cosmos)
    with turn_reads():
        for _ in range(3):
            async with deps.uow() as uow:
                await uow.sittings.get(sitting.sitting_id)
                await uow.roster.all()
    assert (asked.reads, asked.queries) == (1, 1)
    async with deps.uow() as uow:  # outside a turn, the store is read as it is, every time
        await uow.sittings.get(sitting.sitting_id)
    assert asked.reads == 2


@pytest.mark.asyncio
async def test_a_change_another_instance_saved_during_the_turn_is_kept(
    store: Store, deps: Deps, cosmos_server: Any
) -> None:
    cosmos = cosmos_only(store)
    sitting = await new_sitting(deps)
    other = CosmosStore(cosmos.config, audit_key=TEST_AUDIT_KEY)
    await other.open()
    try:
        elsewhere = Deps(other.unit_of_work, deps.clock, deps.notifier, deps.identity_key)
        with turn_reads():
            async with deps.uow() as uow:
                await uow.sittings.get(sitting.sitting_id)  # held for the turn
            # Another instance records a message id meanwhile.
            await live_notes.note_messages(elsewhere, sitting.sitting_id, control_message_id="m-elsewhere")
            # This turn records its own fact on the sitting it read before that.
            note = live_notes.asked_to_leave_note(SOO_ONE.aad_object_id, deps.clock.now(), again=True)
            await deps.note_on_sitting(sitting.sitting_id, [note])
        async with deps.uow() as uow:
            final: Sitting = await uow.sittings.get(sitting.sitting_id)
    finally:
        await other.close()
    assert final.control_message_id == "m-elsewhere"
    assert SOO_ONE.aad_object_id in final.reminded_to_leave


@pytest.mark.asyncio
async def test_a_turn_sees_its_own_writes_in_a_query_it_asked_before(store: Store, deps: Deps) -> None:
    cosmos_only(store)
    with turn_reads():
        async with deps.uow() as uow:
            before = {m.aad_object_id for m in await uow.roster.all()}
        newcomer_id = "00000000-0000-4000-8000-0000000000aa"
        newcomer = dataclasses.replace(member(COORDINATOR), aad_object_id=newcomer_id)
        await import_roster(deps, Actor.operator("test"), [newcomer])
        async with deps.uow() as uow:
            after = {m.aad_object_id for m in await uow.roster.all()}
    assert newcomer_id not in before and newcomer_id in after
