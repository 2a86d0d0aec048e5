"""The audit trail on every store: entries sealed in a keyed hash chain as they are written; a
changed, removed, inserted or reordered entry is each caught and named; two writers at once never
fork the chain; erasing old entries by policy leaves it verifiable."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from panel.audit import AuditCategory
from panel.clock import FixedClock
from panel.ports import AuditEvent, AuditQuery
from panel.usecases.audit_trail import head_witness, verify_audit
from panel.usecases.deps import Deps
from storage.cosmos import CosmosStore
from storage.sqlite import SqliteStore
from storage.store import Store
from tests.conftest import TEST_AUDIT_KEY, TEST_KEY, RecordingNotifier

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def event(n: int, actor: str = "coord", subject: str = "c1", reference: str = "K7F-2QM") -> AuditEvent:
    return AuditEvent(
        NOW + timedelta(minutes=n),
        actor,
        "case.viewed",
        subject,
        f"n={n}",
        AuditCategory.CONSULTATION,
        "coordinator",
        "coordinator review",
        reference,
    )


def deps_for(store: Store) -> Deps:
    return Deps(
        uow=store.unit_of_work, clock=FixedClock(NOW), notifier=RecordingNotifier(), identity_key=TEST_KEY
    )


async def write(store: Store, *batches: list[AuditEvent]) -> None:
    for batch in batches:
        async with store.unit_of_work() as uow:
            for e in batch:
                uow.audit.record(e)
            await uow.commit()


async def eight_entries(store: Store) -> None:
    await write(
        store, [event(1)], [event(2), event(3)], [event(4)], [event(5), event(6), event(7)], [event(8)]
    )


# --- reading and rewriting the stored trail, as someone with access to the store would --------


async def stored(store: Store) -> list[dict[str, Any]]:
    if isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                "SELECT * FROM audit WHERE chain_seq IS NOT NULL ORDER BY chain_seq"
            ).fetchall()
            return [dict(r) for r in rows]
    assert isinstance(store, CosmosStore)
    blocks = await store.query("c.kind = @kind", {"@kind": "audit"})
    return sorted((e for b in blocks for e in b["events"]), key=lambda e: int(e["seq"]))


async def rewrite(store: Store, entries: list[dict[str, Any]]) -> None:
    """Replace the whole trail with these entries (triggers and conventions set aside)."""
    if isinstance(store, SqliteStore):
        with sqlite3.connect(store.path) as conn:
            conn.execute("DROP TRIGGER audit_no_update")
            conn.execute("UPDATE audit_gate SET open = 1")
            conn.execute("DELETE FROM audit WHERE chain_seq IS NOT NULL")
            for row in entries:
                row = {k: v for k, v in row.items() if k != "seq"}
                names = ", ".join(row)
                conn.execute(
                    f"INSERT INTO audit ({names}) VALUES ({', '.join('?' * len(row))})", tuple(row.values())
                )
        return
    assert isinstance(store, CosmosStore)
    container = await store.container()
    for block in await store.query("c.kind = @kind", {"@kind": "audit"}):
        await container.delete_item(block["id"], partition_key=store.partition)
    for raw in entries:
        await container.create_item(
            {
                "id": f"audit:{int(raw['seq']):012d}:{raw['hash'][:6]}",
                "pk": store.partition,
                "kind": "audit",
                "seq_first": int(raw["seq"]),
                "seq_last": int(raw["seq"]),
                "subjects": [raw["subject_id"]],
                "case_refs": [],
                "actors": [raw["actor_id"]],
                "at_first": raw["at"],
                "at_last": raw["at"],
                "events": [raw],
            }
        )


def seq_key(store: Store) -> str:
    return "chain_seq" if isinstance(store, SqliteStore) else "seq"


def change(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    entries[2] = {**entries[2], "detail": "n=999"}
    return entries


def remove(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    del entries[2]
    return entries


def remove_and_renumber(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    del entries[2]
    return [{**e, key: i} for i, e in enumerate(entries, start=1)]


def insert(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    forged = {**entries[2], "detail": "n=forged", "hash": "f" * 64, "prev_hash": entries[1]["hash"]}
    entries.insert(2, forged)
    return [{**e, key: i} for i, e in enumerate(entries, start=1)]


def reorder(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    entries[2], entries[3] = {**entries[3], key: 3}, {**entries[2], key: 4}
    return entries


async def test_a_written_trail_verifies_and_reads_back_newest_first(store: Store) -> None:
    await eight_entries(store)
    report = await verify_audit(deps_for(store))
    assert report.intact and report.checked == 8
    async with store.unit_of_work() as uow:
        page = await uow.audit.search(AuditQuery(case_reference="K7F-2QM", limit=3))
        older = await uow.audit.search(
            AuditQuery(case_reference="K7F-2QM", limit=10, before_seq=page[-1].sealed.seq)
        )
        window = await uow.audit.search(
            AuditQuery(since=NOW + timedelta(minutes=3), until=NOW + timedelta(minutes=5), limit=10)
        )
    assert [e.sealed.seq for e in page] == [8, 7, 6]
    assert [e.sealed.seq for e in older] == [5, 4, 3, 2, 1]
    assert [e.event.detail for e in window] == ["n=4", "n=3"]
    assert page[0].event == event(8)


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (change, "changed"),
        (remove, "removed"),
        (remove_and_renumber, "removed"),
        (insert, "inserted"),
        (reorder, "moved"),
    ],
)
async def test_tampering_is_caught_and_the_first_bad_entry_named(
    store: Store, tamper: Any, says: str
) -> None:
    await eight_entries(store)
    await rewrite(store, tamper(await stored(store), seq_key(store)))
    report = await verify_audit(deps_for(store))
    assert not report.intact
    assert report.first_bad == 3, report.problem
    assert says in report.problem, report.problem


async def test_an_append_that_fails_fails_the_change_it_records(store: Store) -> None:
    from panel.errors import ConcurrencyConflict
    from tests.storage.test_contract import a_case

    async with store.unit_of_work() as uow:
        uow.cases.add(a_case("c1", "AAA-AAA"))
        uow.audit.record(event(1))
        await uow.commit()
    async with store.unit_of_work() as uow:
        uow.cases.add(a_case("c2", "AAA-AAA"))  # a duplicate reference: the commit is refused
        uow.audit.record(event(2))
        with pytest.raises(ConcurrencyConflict):
            await uow.commit()
    assert len(await stored(store)) == 1
    assert (await verify_audit(deps_for(store))).intact


async def test_two_writers_at_once_never_fork_the_chain(store: Store, request: pytest.FixtureRequest) -> None:
    if isinstance(store, SqliteStore):
        other: Store = SqliteStore(store.path, audit_key=TEST_AUDIT_KEY)
    else:
        other = CosmosStore(store.config, audit_key=TEST_AUDIT_KEY)
    await other.open()
    try:

        async def writer(target: Store, who: str) -> None:
            for n in range(12):
                await write(target, [event(n, actor=who), event(n + 100, actor=who)])

        await asyncio.gather(writer(store, "instance-a"), writer(other, "instance-b"))
    finally:
        await other.close()
    entries = await stored(store)
    assert [int(e[seq_key(store)]) for e in entries] == list(range(1, 49))
    report = await verify_audit(deps_for(store))
    assert report.intact and report.checked == 48


async def test_nothing_in_the_trail_is_text_anyone_typed(store: Store) -> None:
    await eight_entries(store)
    text = json.dumps(await stored(store), default=str)
    assert "K7F-2QM" in text and "coordinator review" in text  # references and purposes only


@pytest.mark.parametrize("cut", [1, 3, 8])
async def test_entries_removed_from_the_end_are_caught_against_a_witness(store: Store, cut: int) -> None:
    await eight_entries(store)
    deps = deps_for(store)
    seen = await head_witness(deps)
    assert seen is not None and seen.seq == 8
    entries = await stored(store)
    await rewrite(store, entries[: len(entries) - cut])
    assert (await verify_audit(deps)).intact  # the chain alone cannot tell: a witness can
    report = await verify_audit(deps, [seen])
    assert not report.intact
    assert f"{cut} entr{'y is' if cut == 1 else 'ies are'} missing from the end" in report.problem
