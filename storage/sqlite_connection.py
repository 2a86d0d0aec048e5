"""A SQLite connection with a thread of its own, where each piece of work runs whole.

sqlite3 blocks, so the event loop hands it work on another thread. Handing over one statement at
a time (as a per-statement wrapper does) costs a thread round trip for every BEGIN, SELECT, fetch
and COMMIT: a small commit was seven of them. Here a read, or a whole transaction with the reads
it makes inside, is one round trip."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from panel.errors import ConcurrencyConflict
from storage.sqlite_writes import Step, Write

R = TypeVar("R")


class OwnThreadConnection:
    """One sqlite3 connection, used only from its own single worker thread."""

    def __init__(self, executor: ThreadPoolExecutor, conn: sqlite3.Connection) -> None:
        self._executor, self._conn = executor, conn

    @classmethod
    async def open(cls, uri: str, pragmas: tuple[str, ...]) -> OwnThreadConnection:
        """Connect on a new worker thread and set the pragmas there."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")

        def connect() -> sqlite3.Connection:
            # check_same_thread is off because the connection is made and closed by the same one
            # worker thread that runs everything else on it; nothing else touches it.
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            try:
                for pragma in pragmas:
                    conn.execute(pragma)
            except BaseException:
                conn.close()
                raise
            return conn

        try:
            conn = await asyncio.get_running_loop().run_in_executor(executor, connect)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(executor, conn)

    async def run(self, work: Callable[[sqlite3.Connection], R]) -> R:
        """Run `work` on the connection's thread and return what it returns (or raise what it raised).

        A cursor may not come back: until it is collected, its statement stays in progress on the
        connection and a later commit fails ("SQL statements in progress"), at a moment that depends
        on the garbage collector."""

        def whole(conn: sqlite3.Connection) -> R:
            result = work(conn)
            if isinstance(result, sqlite3.Cursor):
                result.close()
                raise TypeError("fetch a statement's rows on the connection's thread, not its cursor")
            return result

        return await asyncio.get_running_loop().run_in_executor(self._executor, whole, self._conn)

    async def fetchall(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        """Every row of one statement."""
        return await self.run(lambda conn: conn.execute(sql, params).fetchall())

    async def chunks(self, sql: str, params: tuple[Any, ...], size: int) -> AsyncIterator[list[Any]]:
        """The rows of one statement, `size` at a time; a read that fits in one chunk is one round
        trip."""
        cursor: sqlite3.Cursor | None = None

        def first(conn: sqlite3.Connection) -> tuple[sqlite3.Cursor, list[Any]]:
            opened = conn.execute(sql, params)
            return opened, opened.fetchmany(size)

        try:
            cursor, rows = await self.run(first)
            while rows:
                yield rows
                if len(rows) < size:
                    break
                rows = await self.run(lambda _conn: cursor.fetchmany(size) if cursor else [])
        finally:
            if cursor is not None:
                await self.run(lambda _conn: cursor.close() if cursor else None)

    async def close(self) -> None:
        """Close the connection on its thread, then let the thread go."""
        try:
            await self.run(lambda conn: conn.close())
        finally:
            self._executor.shutdown(wait=False)


def transaction(writes: list[Write | Step], checkpoint: bool) -> Callable[[sqlite3.Connection], bool]:
    """The work of one commit: every write in one IMMEDIATE transaction, or none of them (a write
    expected to change one row that changes none refuses the whole commit as a conflict). With
    `checkpoint`, the write-ahead log is then copied into the file and emptied; the work returns
    False if that failed (the commit stands)."""

    def work(conn: sqlite3.Connection) -> bool:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for write in writes:
                if not isinstance(write, Write):
                    write(conn)
                    continue
                cursor = conn.execute(write.sql, write.params)
                if write.expect_one_row and cursor.rowcount != 1:
                    raise ConcurrencyConflict("Someone else changed this a moment ago. Please try again.")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                # The original failure is what the caller needs to hear about.
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        if checkpoint:
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                return False
        return True

    return work
