"""Upgrades lose nothing: a store written by each earlier release (tests/upgrades/<version>/, made
with tests/upgrades/make_store.py at that release) is opened by today's code, migrated, every
record read back, and its audit trail verified, on SQLite and on Cosmos DB."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from cli.local_cosmos import LocalCosmos
from panel.audit import chain_key
from panel.clock import FixedClock
from panel.usecases.audit_trail import verify_audit
from panel.usecases.deps import Deps
from storage.cosmos import CosmosStore
from storage.sqlite import SqliteStore
from storage.sqlite_schema import MIGRATIONS
from storage.store import Store
from tests.bot.world import MORNING
from tests.conftest import TEST_KEY, RecordingNotifier, fresh_database

RELEASES = sorted(
    p for p in (Path(__file__).resolve().parents[1] / "upgrades").iterdir() if p.name.startswith("v")
)


async def everything_reads_back(store: Store) -> None:
    """Every kind of record the release wrote is there and reads as today's code expects."""
    deps = Deps(
        uow=store.unit_of_work, clock=FixedClock(MORNING), notifier=RecordingNotifier(), identity_key=TEST_KEY
    )
    async with store.unit_of_work() as uow:
        roster = await uow.roster.all()
        cases = await uow.cases.find()
        sittings = await uow.sittings.find()
        hashes = await uow.party_names.all_hashes()
        for case in cases:  # each case in full, and by its reference
            assert (await uow.cases.get(case.case_id)).reference == case.reference
            assert (await uow.cases.by_reference(case.reference)).case_id == case.case_id
        for sitting in sittings:
            assert (await uow.sittings.get(sitting.sitting_id)).sitting_id == sitting.sitting_id
        anchors = await uow.audit.anchors()
    assert len(roster) == 10 and len(cases) == 5 and len(sittings) == 2 and hashes
    assert any(s.status.value == "ended" for s in sittings)
    assert any(a.reason == "checkpoint" for a in anchors)
    # Facts recorded before each change was kept read as they stood from the day they last changed.
    with_facts = [c for c in cases if c.facts.changed]
    assert with_facts
    for case in with_facts:
        assert not case.facts.history
        for change in case.facts.changed:
            value = getattr(case.facts.facts, change.name)
            assert getattr(case.facts.as_at(change.on), change.name) == value
            assert getattr(case.facts.as_at(change.on - timedelta(days=1)), change.name) is None
    report = await verify_audit(deps)
    assert report.intact and report.checked > 1100, report.problem


@pytest.mark.parametrize("release", RELEASES, ids=lambda p: p.name)
async def test_a_sqlite_store_from_an_earlier_release_opens_migrates_and_reads(
    release: Path, tmp_path: Path
) -> None:
    for name in ("panel.db", "panel.db-wal"):
        if (release / name).exists():
            shutil.copy(release / name, tmp_path / name)
    store = SqliteStore(tmp_path / "panel.db", audit_key=chain_key(TEST_KEY))
    await store.open()
    try:
        assert await store.ping()  # at today's schema version
        await everything_reads_back(store)
        rows = await store.fetch("SELECT MAX(version) FROM schema_migrations", ())
        assert next(iter(rows))[0] == MIGRATIONS[-1][0]
    finally:
        await store.close()


@pytest.mark.cosmos
@pytest.mark.parametrize("release", RELEASES, ids=lambda p: p.name)
async def test_cosmos_documents_from_an_earlier_release_read_back(
    release: Path, cosmos_server: LocalCosmos
) -> None:
    store = CosmosStore(cosmos_server.config(fresh_database()), audit_key=chain_key(TEST_KEY))
    await store.open()
    try:
        container = await store.container()
        for doc in json.loads((release / "cosmos.json").read_text(encoding="utf-8")):
            await container.create_item(doc)
        await everything_reads_back(store)
    finally:
        await store.close()
