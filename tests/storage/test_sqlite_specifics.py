"""What only the SQLite store promises: a real file, WAL, migrations once, an append-only audit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.sqlite import SqliteStore
from storage.sqlite_connection import OwnThreadConnection
from storage.sqlite_schema import MIGRATIONS
from tests.conftest import TEST_AUDIT_KEY


async def test_the_file_is_created_in_wal_mode_and_migrated_once(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "panel.db"
    for _ in range(2):  # reopening must not re-run migrations
        store = SqliteStore(path, audit_key=TEST_AUDIT_KEY, create=True)
        await store.open()
        assert await store.ping()
        await store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _ in MIGRATIONS]


async def test_the_audit_trail_cannot_be_rewritten(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "panel.db", audit_key=TEST_AUDIT_KEY, create=True)
    await store.open()
    await store.close()
    with sqlite3.connect(tmp_path / "panel.db") as conn:
        conn.execute(
            "INSERT INTO audit (at, actor_id, event, subject_id, detail) VALUES ('t', 'a', 'e', 's', '')"
        )
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit SET actor_id = 'someone else'")


async def test_a_closed_store_reports_itself_down(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "panel.db", audit_key=TEST_AUDIT_KEY, create=True)
    await store.open()
    await store.close()
    assert not await store.ping()


async def test_no_statement_leaves_its_connections_thread_half_read(tmp_path: Path) -> None:
    """A cursor handed back from the connection's thread keeps its statement in progress until the
    garbage collector takes it, and a commit before then fails: a store failed to open that way,
    now and then. Such work is refused, and the connection stays usable."""
    conn = await OwnThreadConnection.open(f"file:{tmp_path / 'panel.db'}", ())
    try:
        with pytest.raises(TypeError):
            await conn.run(lambda c: c.execute("PRAGMA journal_mode=WAL"))
        await conn.run(lambda c: c.executescript("BEGIN IMMEDIATE; CREATE TABLE t (x); COMMIT;").close())
        assert await conn.fetchall("SELECT count(*) FROM t", ()) == [(0,)]
    finally:
        await conn.close()
