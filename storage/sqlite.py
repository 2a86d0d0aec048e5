"""The embedded default store: one SQLite file in WAL mode.

Reads go through a reader connection and see only committed data; writes are staged by the
repositories and applied by `commit()` on a writer connection in one IMMEDIATE transaction, each
update checked against the version it was read at.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from panel.case import Case, CaseStatus
from panel.errors import ConcurrencyConflict, StorageUnavailable
from panel.learning import LearningAction
from panel.ports import AuditEvent
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus
from storage.codec import collector_paused, from_document, to_document
from storage.records import StagedRecord, case_fields, found, restage, sitting_fields, wake_text
from storage.sqlite_audit import SqliteAudit, appender
from storage.sqlite_connection import OwnThreadConnection, transaction
from storage.sqlite_logs import (
    SqliteAddresses,
    SqliteExports,
    SqlitePartyNames,
    SqliteProcessed,
    SqliteReminders,
)
from storage.sqlite_schema import MIGRATIONS
from storage.sqlite_writes import Step, Write

logger = logging.getLogger(__name__)
T = TypeVar("T")
BUSY_TIMEOUT_MS = 5000


class StoreMissing(StorageUnavailable):
    """The database file is not there: never replaced by a new, empty one behind anyone's back."""


class SqliteStore:
    """One database file: its connections, its migrations, and units of work over it.

    The file is created only when asked (`panelbot init`, the demo, tests): a server whose database
    has gone must stop and say so, not carry on with an empty panel. While open, every unit of work
    checks that the file it opened is still the one at its path, so a database deleted or replaced
    under the running app is reported as down instead of silently taking writes into a lost file."""

    def __init__(self, path: Path, *, audit_key: bytes, create: bool = False) -> None:
        self.path = path
        self.audit_key = audit_key  # seals the audit chain
        self._create = create
        self._reader: OwnThreadConnection | None = None
        self._writer: OwnThreadConnection | None = None
        self._identity: tuple[int, int] | None = None
        self._checkpoint = False

    async def open(self) -> None:
        """Open the file (creating it only if allowed), switch to WAL, and apply pending
        migrations; a missing, unreadable or corrupt file raises StorageUnavailable, saying which."""
        if not self.path.exists() and not self._create:
            raise StoreMissing(
                f"The panel's database {self.path} does not exist. For a new installation run "
                "`panelbot init` once; if it existed, restore it from backup: the bot will not start "
                "on an empty one."
            )
        try:
            if self._create and not self.path.exists():
                create_private_file(self.path)
            wide = wider_than_private(self.path)
            if wide:
                # Not refused (an operator may share the folder on purpose), but never silent.
                logger.warning("storage.file_mode_wide files=%s", len(wide))
            self._writer = await self._connect()
            await self._writer.run(lambda conn: conn.execute("PRAGMA journal_mode=WAL").fetchall())
            await self._writer.run(_migrate)
            self._reader = await self._connect()
            stat = os.stat(self.path)
        except (sqlite3.Error, OSError) as error:
            await self.close()
            logger.error("storage.open_failed error=%s", type(error).__name__)
            raise StorageUnavailable(
                f"The panel's database {self.path} cannot be opened ({_why(error)}). "
                "Check the file and its permissions, or restore it from backup."
            ) from error
        self._identity = (stat.st_dev, stat.st_ino)

    async def close(self) -> None:
        """Close both connections."""
        for conn in (self._reader, self._writer):
            if conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    await conn.close()
        self._reader = self._writer = None

    async def ping(self) -> bool:
        """Whether the database file is still there and answers with its schema version."""
        try:
            rows = await self.fetch("SELECT MAX(version) FROM schema_migrations", ())
        except (StorageUnavailable, RuntimeError):
            return False
        return bool(rows) and next(iter(rows))[0] == MIGRATIONS[-1][0]

    def unit_of_work(self) -> SqliteUnitOfWork:
        """A new unit of work over this store."""
        return SqliteUnitOfWork(self)

    @property
    def reader(self) -> OwnThreadConnection:
        """The read connection (committed data only)."""
        if self._reader is None:
            raise RuntimeError("the store is not open")
        return self._reader

    def check_file(self) -> None:
        """Raise StorageUnavailable unless the file opened is still the one at the path, and this
        account could open it again now: an open handle keeps working after the file is made
        unreadable or removed, and the app must not carry on as if it were healthy."""
        try:
            stat = os.stat(self.path)
        except OSError:
            stat = None
        if stat is None or (stat.st_dev, stat.st_ino) != self._identity:
            logger.error("storage.file_missing")
            raise StorageUnavailable()
        if not os.access(self.path, os.R_OK | os.W_OK):
            logger.error("storage.file_unreadable")
            raise StorageUnavailable()

    async def fetch(self, sql: str, params: tuple[Any, ...]) -> Iterable[Any]:
        """Rows of a read on committed data; I/O, permission and corruption errors become
        StorageUnavailable (logged by type, never with the statement's values)."""
        self.check_file()
        with _translated("read"):
            return await self.reader.fetchall(sql, params)

    async def fetch_chunks(
        self, sql: str, params: tuple[Any, ...], size: int = 100
    ) -> AsyncIterator[list[Any]]:
        """The rows of a read, a chunk at a time, so a large read never holds every row's text
        and every decoded record at once. A hundred rows: the reader's thread holds the
        interpreter while it turns a chunk into Python strings, and five hundred past sittings of
        forty slots each held the event loop for over 100 ms."""
        self.check_file()
        with _translated("read"):
            async for rows in self.reader.chunks(sql, params, size):
                yield rows

    async def apply(self, writes: list[Write | Step]) -> None:
        """Apply staged writes in one transaction, or none of them."""
        if not writes:
            return
        if self._writer is None:
            raise RuntimeError("the store is not open")
        self.check_file()
        checkpoint, self._checkpoint = self._checkpoint, False
        checkpointed: bool | None = None  # None: the commit itself did not happen
        try:
            # The whole transaction runs on the writer's own thread in one go (and so one commit
            # at a time); a failure there has already rolled it back.
            checkpointed = await self._writer.run(transaction(writes, checkpoint))
        except sqlite3.IntegrityError as exc:
            raise ConcurrencyConflict("Someone else saved this a moment ago. Please try again.") from exc
        except sqlite3.Error as exc:
            logger.error("storage.write_failed error=%s", type(exc).__name__)
            raise StorageUnavailable() from exc
        finally:
            if checkpoint and not checkpointed:
                self._checkpoint = True  # asked for again with the next commit
        if checkpointed is False:
            logger.error("storage.checkpoint_failed")
        for write in writes:
            if isinstance(write, Write):
                write.after_commit()

    def checkpoint_soon(self) -> None:
        """Ask for the write-ahead log to be copied into the file and emptied after this commit."""
        self._checkpoint = True

    async def _connect(self) -> OwnThreadConnection:
        # mode=rw refuses to create the file: only `open` with `create` may (the URI form is how
        # sqlite3 is told so).
        mode = "rwc" if self._create else "rw"
        return await OwnThreadConnection.open(
            f"file:{self.path}?mode={mode}",
            (
                f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
                "PRAGMA foreign_keys=ON",
                # Erased rows are overwritten, not just unlinked: an erased case leaves no bytes behind.
                "PRAGMA secure_delete=ON",
            ),
        )


def create_private_file(path: Path) -> None:
    """Create the database's folder (0700, if new) and an empty file (0600) for SQLite to fill: the
    file, and the -wal and -shm files SQLite makes with the same mode beside it, are readable by the
    service account alone, as the key file is."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def wider_than_private(path: Path) -> list[Path]:
    """The database's folder, file, write-ahead log, shared memory and key file that other accounts
    on the machine may read or enter (folder wider than 0700, files wider than 0600)."""
    found: list[Path] = []
    for item, private in (
        (path.parent, 0o700),
        (path, 0o600),
        (path.with_name(path.name + "-wal"), 0o600),
        (path.with_name(path.name + "-shm"), 0o600),
        (path.with_name(path.name + ".identity-key"), 0o600),
    ):
        with contextlib.suppress(OSError):
            if item.stat().st_mode & 0o777 & ~private:
                found.append(item)
    return found


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations this file has not had yet (on the writer's thread)."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    applied = {int(r[0]) for r in conn.execute("SELECT version FROM schema_migrations").fetchall()}
    for version, script in MIGRATIONS:
        if version in applied:
            continue
        # executescript commits as it goes, so each statement runs inside an explicit
        # transaction written into the script itself.
        stamp = datetime.now(UTC).isoformat()
        conn.executescript(
            f"BEGIN IMMEDIATE;\n{script}\n"
            f"INSERT INTO schema_migrations VALUES ({int(version)}, '{stamp}');\nCOMMIT;"
        )
        logger.info("storage.migrated", extra={"schema_version": version})


@contextlib.contextmanager
def _translated(operation: str) -> Iterator[None]:
    """SQLite's own failures (a locked, read-only, full, unreadable or corrupt file) in the domain's
    words: the store is unavailable. Constraint failures stay with the caller (they are conflicts)."""
    try:
        yield
    except sqlite3.IntegrityError:
        raise
    except sqlite3.Error as error:
        logger.error("storage.%s_failed error=%s", operation, type(error).__name__)
        raise StorageUnavailable() from error


def _why(error: BaseException) -> str:
    """A reason in words, from the error's type alone (its message may quote a path or a value)."""
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileExistsError | NotADirectoryError):
        return "its folder is a file, not a folder"
    if isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError):
        return "it is not a readable database: it may be corrupt"
    if isinstance(error, sqlite3.OperationalError):
        return "the file or its folder cannot be read or written"
    return "it cannot be read"


class _Table:
    """Documents with a version column in one table; writes are staged on the unit of work."""

    def __init__(self, uow: SqliteUnitOfWork, table: str) -> None:
        self._uow, self._table = uow, table

    async def _one(self, cls: type[T], where: str, params: tuple[Any, ...]) -> T | None:
        rows = await self._uow.store.fetch(f"SELECT doc, version FROM {self._table} WHERE {where}", params)
        return _load(cls, next(iter(rows))) if rows else None

    async def _many(self, cls: type[T], where: str, params: tuple[Any, ...], order: str) -> list[T]:
        found: list[T] = []
        sql = f"SELECT doc, version FROM {self._table} WHERE {where} ORDER BY {order}"
        async for rows in self._uow.store.fetch_chunks(sql, params):
            found += await _decoded(cls, rows)
        return found

    def _stage(self, record: Any, key: str, columns: Callable[[], dict[str, Any]], new: bool) -> None:
        self._uow.stage_record(self._table, key, record, columns, new)


class SqliteCases(_Table):
    """Cases in SQLite."""

    async def get(self, case_id: str) -> Case:
        """The case, or NotFound."""
        return found(await self._one(Case, "id = ?", (case_id,)))

    async def by_reference(self, reference: str) -> Case:
        """The case with this reference, or NotFound."""
        return found(await self._one(Case, "reference = ?", (reference,)))

    async def reference_taken(self, reference: str) -> bool:
        """Whether any case has this reference."""
        rows = await self._uow.store.fetch("SELECT 1 FROM cases WHERE reference = ?", (reference,))
        return bool(rows)

    async def find(
        self, *, soo_id: str | None = None, statuses: Collection[CaseStatus] | None = None
    ) -> list[Case]:
        """Cases matching the filters, oldest registration first."""
        clauses, params = ["1 = 1"], []
        if soo_id is not None:
            clauses.append("soo_id = ?")
            params.append(soo_id)
        if statuses is not None:
            marks = ", ".join("?" * len(statuses)) or "NULL"
            clauses.append(f"status IN ({marks})")
            params.extend(s.value for s in statuses)
        return await self._many(Case, " AND ".join(clauses), tuple(params), "registered_at, id")

    async def pages(self, *, closed_since: datetime | None = None) -> AsyncIterator[list[Case]]:
        """Every case, a chunk of rows at a time (less those closed before `closed_since`)."""
        sql = f"SELECT doc, version FROM {self._table}"
        params: tuple[str, ...] = ()
        if closed_since is not None:
            sql += " WHERE status != ? OR closed_at IS NULL OR closed_at >= ?"
            params = (CaseStatus.CLOSED.value, wake_text(closed_since))
        async for rows in self._uow.store.fetch_chunks(sql, params):
            yield await _decoded(Case, rows)

    async def with_ids(self, case_ids: Collection[str]) -> list[Case]:
        """The cases with these ids that exist."""
        ids = sorted(set(case_ids))
        found: list[Case] = []
        for start in range(0, len(ids), 500):  # within SQLite's limit on parameters
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            found += await self._many(Case, f"id IN ({marks})", tuple(chunk), "registered_at, id")
        return found

    async def waking(self, now: datetime) -> list[Case]:
        """Cases changed since the reminder round last looked, or whose wake moment has come."""
        return await self._many(
            Case, "wake_at IS NULL OR wake_at <= ?", (wake_text(now),), "registered_at, id"
        )

    async def set_wakes(self, wakes: Collection[tuple[Case, datetime | None]]) -> None:
        """Record each case's wake moment where it is still at the version read (after a roster
        change, every open case: the statements are built a slice at a time, letting other turns in)."""
        writes: list[Write | Step] = []
        for number, (case, moment) in enumerate(wakes):
            if number and not number % DECODE_SLICE:
                await asyncio.sleep(0)
            writes.append(
                Write(
                    "UPDATE cases SET wake_at = ? WHERE id = ? AND version = ?",
                    (wake_text(moment), case.case_id, case.version),
                    expect_one_row=False,
                )
            )
        await self._uow.store.apply(writes)

    def add(self, case: Case) -> None:
        """Stage a new case."""
        self._stage(case, case.case_id, lambda: case_fields(case), new=True)

    def save(self, case: Case) -> None:
        """Stage a change to a case."""
        self._stage(case, case.case_id, lambda: case_fields(case), new=False)

    def erase(self, case: Case) -> None:
        """Stage the erasure of a case (the retention policy): only if it is as it was read; the
        log is then checkpointed, so no earlier copy of its pages stays in the write-ahead log."""
        self._uow.stage(
            Write(
                "DELETE FROM cases WHERE id = ? AND version = ?",
                (case.case_id, case.version),
                True,
                after_commit=self._uow.store.checkpoint_soon,
            )
        )


class SqliteSittings(_Table):
    """Sittings in SQLite."""

    async def get(self, sitting_id: str) -> Sitting:
        """The sitting, or NotFound."""
        return found(await self._one(Sitting, "id = ?", (sitting_id,)))

    async def exists(self, sitting_id: str) -> bool:
        """Whether a sitting has this id."""
        return await self._one(Sitting, "id = ?", (sitting_id,)) is not None

    async def find(self, *, on_or_after: date | None = None, live: bool | None = None) -> list[Sitting]:
        """Sittings in date order, filtered."""
        clauses, params = ["1 = 1"], []
        if on_or_after is not None:
            clauses.append("sitting_date >= ?")
            params.append(on_or_after.isoformat())
        if live is not None:
            clauses.append("status = ?" if live else "status != ?")
            params.append(SittingStatus.LIVE.value)
        return await self._many(Sitting, " AND ".join(clauses), tuple(params), "sitting_date, id")

    def add(self, sitting: Sitting) -> None:
        """Stage a new sitting."""
        self._stage(sitting, sitting.sitting_id, lambda: sitting_fields(sitting), new=True)

    def save(self, sitting: Sitting) -> None:
        """Stage a change to a sitting."""
        self._stage(sitting, sitting.sitting_id, lambda: sitting_fields(sitting), new=False)


class SqliteRoster(_Table):
    """The roster in SQLite."""

    async def get(self, aad_object_id: str) -> RosterMember | None:
        """The member, if on the roster."""
        return await self._one(RosterMember, "id = ?", (aad_object_id,))

    async def all(self) -> list[RosterMember]:
        """Everyone on the roster."""
        return await self._many(RosterMember, "1 = 1", (), "id")

    def add(self, member: RosterMember) -> None:
        """Stage a new member."""
        self._stage(member, member.aad_object_id, dict, new=True)

    def save(self, member: RosterMember) -> None:
        """Stage a change to a member."""
        self._stage(member, member.aad_object_id, dict, new=False)


class SqliteLearning(_Table):
    """Force-wide learning actions in SQLite."""

    async def all(self) -> list[LearningAction]:
        """Every learning action, oldest first."""
        return await self._many(LearningAction, "1 = 1", (), "rowid")

    def add(self, action: LearningAction) -> None:
        """Stage a new learning action."""
        self._stage(action, action.action_id, dict, new=True)

    def save(self, action: LearningAction) -> None:
        """Stage a change to one."""
        self._stage(action, action.action_id, dict, new=False)


class SqliteUnitOfWork:
    """Repositories whose writes are staged until `commit()` applies them together."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self._records: dict[tuple[str, str], StagedRecord] = {}
        self._writes: list[Write | Step] = []
        self._audit: list[AuditEvent] = []
        self.cases = SqliteCases(self, "cases")
        self.sittings = SqliteSittings(self, "sittings")
        self.roster = SqliteRoster(self, "roster")
        self.learning = SqliteLearning(self, "learning")
        self.party_names = SqlitePartyNames(self)
        self.audit = SqliteAudit(self)
        self.processed = SqliteProcessed(self)
        self.addresses = SqliteAddresses(self)
        self.reminders = SqliteReminders(self)
        self.exports = SqliteExports(self)

    def stage(self, write: Write) -> None:
        """Hold a plain write (hashes, keys, claims) until commit; it runs after the records."""
        self._writes.append(write)

    def stage_step(self, step: Step) -> None:
        """Hold a step that reads and writes inside the commit's transaction."""
        self._writes.append(step)

    def stage_audit(self, event: AuditEvent) -> None:
        """Hold an audit event: the commit seals and appends it with the change it records."""
        self._audit.append(event)

    def stage_record(
        self, table: str, key: str, record: Any, columns: Callable[[], dict[str, Any]], new: bool
    ) -> None:
        """Hold a record until commit; saving it again in this unit of work is one write, and
        it is serialised at commit so the latest state is what is stored."""
        staged = StagedRecord(table, key, record, columns, new, record.version)
        self._records[(table, key)] = restage(self._records.get((table, key)), staged)

    async def __aenter__(self) -> Self:
        self._records, self._writes, self._audit = {}, [], []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._records, self._writes, self._audit = {}, [], []

    async def commit(self) -> None:
        """Apply all staged writes, and seal and append their audit entries, in one transaction."""
        writes: list[Write | Step] = [_record_write(r) for r in self._records.values()]
        writes += self._writes
        if self._audit:
            writes.append(appender(self.store.audit_key, self._audit))
        self._records, self._writes, self._audit = {}, [], []
        await self.store.apply(writes)


def _record_write(staged: StagedRecord) -> Write:
    columns = staged.fields()
    record, read_at, version = staged.record, staged.read_at, staged.next_version
    if staged.new:
        names = ["id", "version", "doc", *columns]
        return Write(
            f"INSERT INTO {staged.kind} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            (staged.key, version, _dump(record), *columns.values()),
            expect_one_row=True,
            after_commit=lambda: setattr(record, "version", version),
        )
    sets = ", ".join(["version = version + 1", "doc = ?", *(f"{c} = ?" for c in columns)])
    return Write(
        f"UPDATE {staged.kind} SET {sets} WHERE id = ? AND version = ?",
        (_dump(record), *columns.values(), staged.key, read_at),
        expect_one_row=True,
        after_commit=lambda: setattr(record, "version", version),
    )


def _dump(record: Any) -> str:
    doc = to_document(record)
    doc.pop("version", None)
    return json.dumps(doc, separators=(",", ":"), sort_keys=True)


DECODE_SLICE = 100  # records decoded between chances for other turns to run (a sitting is big)


async def _decoded(cls: type[T], rows: list[Any]) -> list[T]:
    """Records from a chunk of rows, a slice at a time, letting other turns in between: a chunk of
    past sittings with forty slots each takes far longer to decode than a turn may wait."""
    records: list[T] = []
    for start in range(0, len(rows), DECODE_SLICE):
        if start:
            await asyncio.sleep(0)
        with collector_paused():
            records += [_load(cls, row) for row in rows[start : start + DECODE_SLICE]]
    return records


def _load(cls: type[T], row: Iterable[Any]) -> T:
    doc_text, version = tuple(row)
    doc = json.loads(doc_text)
    doc["version"] = int(version)
    return from_document(cls, doc)
