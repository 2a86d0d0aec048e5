"""Shared fixtures: a real SQLite file, a fixed clock, a recording notifier, the demo roster."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cli.demo_data import DEMO_ROSTER, DemoPerson
from cli.local_cosmos import LocalCosmos, local_cosmos
from panel.audit import chain_key
from panel.clock import FixedClock
from panel.ports import Notice
from panel.roles import Actor
from panel.roster import RosterMember
from panel.usecases.deps import Deps
from panel.usecases.roster import import_roster
from storage.cosmos import CosmosStore
from storage.sqlite import SqliteStore
from storage.store import Store

TEST_KEY = b"test-identity-key-not-for-production"
TEST_AUDIT_KEY = chain_key(TEST_KEY)
# Monday 23 November 2026, 09:00 in London (GMT, so also 09:00 UTC).
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class RecordingNotifier:
    """A notifier that keeps what it was asked to send, for assertions."""

    def __init__(self) -> None:
        self.sent: list[Notice] = []

    async def send(self, notice: Notice) -> None:
        """Keep the notice."""
        self.sent.append(notice)


@pytest.fixture(scope="session")
def cosmos_server() -> Iterator[LocalCosmos]:
    """One local Cosmos DB server for the whole run (each test uses a database of its own); if it
    cannot start, the tests that need it fail loudly rather than skip."""
    with local_cosmos() as server:
        yield server


def fresh_database() -> str:
    """A database name no other test uses, so tests on one Cosmos DB server never meet."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=["sqlite", pytest.param("cosmos", marks=pytest.mark.cosmos)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """A fresh store of each backend: a migrated SQLite file, and a database of its own on the
    local Cosmos DB server; every use-case test runs on both."""
    db: Store
    if request.param == "sqlite":
        db = SqliteStore(tmp_path / "panel.db", audit_key=TEST_AUDIT_KEY, create=True)
    else:
        server: LocalCosmos = request.getfixturevalue("cosmos_server")
        db = CosmosStore(server.config(fresh_database()), audit_key=TEST_AUDIT_KEY)
    await db.open()
    yield db
    await db.close()


async def everything_stored(store: Store) -> str:
    """Every byte a store holds, as text: the SQLite file and its log, or every Cosmos DB document
    of the panel, so a test can prove a name never reached storage."""
    if isinstance(store, SqliteStore):
        files = [store.path, store.path.with_name(store.path.name + "-wal")]
        return "".join(f.read_bytes().decode("latin-1") for f in files if f.exists())
    assert isinstance(store, CosmosStore)
    return json.dumps(await store.query("true", {}))


@pytest.fixture
def clock() -> FixedClock:
    """A clock fixed at Monday morning; tests move it on."""
    return FixedClock(MONDAY_MORNING)


@pytest.fixture
def notifier() -> RecordingNotifier:
    """Notices sent during the test."""
    return RecordingNotifier()


@pytest.fixture
async def deps(store: Store, clock: FixedClock, notifier: RecordingNotifier) -> Deps:
    """Use-case dependencies over the real store, with the demo roster loaded."""
    d = Deps(uow=store.unit_of_work, clock=clock, notifier=notifier, identity_key=TEST_KEY)
    await import_roster(d, Actor.operator("test"), [member(p) for p in DEMO_ROSTER])
    return d


def member(person: DemoPerson) -> RosterMember:
    """A demo person as a roster member."""
    return RosterMember(person.aad_object_id, person.display_name, person.roles)


def actor(person: DemoPerson) -> Actor:
    """A demo person as the actor they become at the edge."""
    return member(person).as_actor()
