"""The SQLite store's logs and small tables: party-name hashes, processed keys, addresses, reminder
claims and one-time exports. Each stages plain writes on the unit of work, applied with the rest."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from panel.ports import ReminderState
from storage.records import moment
from storage.sqlite_staging import SqliteStaging
from storage.sqlite_writes import Write


class SqlitePartyNames:
    """Keyed hashes of party names in SQLite."""

    def __init__(self, uow: SqliteStaging) -> None:
        self._uow = uow

    async def all_hashes(self) -> frozenset[str]:
        """Every registered hash."""
        rows = await self._uow.store.fetch("SELECT hash FROM party_name_hashes", ())
        return frozenset(str(r[0]) for r in rows)

    async def change_token(self) -> int:
        """A counter moved with every addition and erasure (row ids can be reused once rows are
        erased, so they cannot tell a new name from an old one)."""
        rows = await self._uow.store.fetch("SELECT count FROM names_token WHERE id = 1", ())
        return int(next(iter(rows))[0]) if rows else 0

    async def count_for_case(self, case_id: str) -> int:
        """How many hashes a case has."""
        rows = await self._uow.store.fetch(
            "SELECT COUNT(*) FROM party_name_hashes WHERE case_id = ?", (case_id,)
        )
        return int(next(iter(rows))[0])

    async def cases_with(self, hashes: Collection[str]) -> frozenset[str]:
        """The ids of cases that have any of these hashes."""
        wanted = sorted(hashes)[:500]
        if not wanted:
            return frozenset()
        marks = ", ".join("?" * len(wanted))
        rows = await self._uow.store.fetch(
            f"SELECT DISTINCT case_id FROM party_name_hashes WHERE hash IN ({marks})", tuple(wanted)
        )
        return frozenset(str(r[0]) for r in rows)

    def add(self, case_id: str, hashes: Collection[str]) -> None:
        """Stage hashes for a case; a hash already there is kept once, and the change token moves
        only when something new was added."""
        values = sorted(hashes)

        def add(conn: sqlite3.Connection) -> None:
            added = 0
            for value in values:
                cursor = conn.execute(
                    "INSERT OR IGNORE INTO party_name_hashes (case_id, hash) VALUES (?, ?)", (case_id, value)
                )
                added += cursor.rowcount
            if added:
                conn.execute("UPDATE names_token SET count = count + ? WHERE id = 1", (added,))

        self._uow.stage_step(add)

    async def erase_for_case(self, case_id: str) -> None:
        """Stage the erasure of a case's hashes (the retention policy)."""
        self._uow.stage(Write("DELETE FROM party_name_hashes WHERE case_id = ?", (case_id,), False))
        self._uow.stage(Write(TOKEN_MOVES, (), expect_one_row=True))


TOKEN_MOVES = "UPDATE names_token SET count = count + 1 WHERE id = 1"


class SqliteProcessed:
    """Keys of requests already acted on, in SQLite."""

    def __init__(self, uow: SqliteStaging) -> None:
        self._uow = uow

    async def seen(self, key: str) -> bool:
        """Whether this key was processed."""
        rows = await self._uow.store.fetch("SELECT 1 FROM processed WHERE key = ?", (key,))
        return bool(rows)

    def mark(self, key: str) -> None:
        """Stage the key; a second insert of it fails the whole commit as a conflict."""
        stamp = datetime.now(UTC).isoformat()
        self._uow.stage(Write("INSERT INTO processed (key, at) VALUES (?, ?)", (key, stamp), True))


class SqliteAddresses:
    """Delivery addresses in SQLite."""

    def __init__(self, uow: SqliteStaging) -> None:
        self._uow = uow

    async def get(self, key: str) -> dict[str, object] | None:
        """The stored address, if any."""
        rows = await self._uow.store.fetch("SELECT doc FROM addresses WHERE key = ?", (key,))
        if not rows:
            return None
        doc: dict[str, object] = json.loads(next(iter(rows))[0])
        return doc

    async def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, object]]:
        """The stored addresses among these keys."""
        wanted = sorted(set(keys))
        found: dict[str, dict[str, object]] = {}
        for start in range(0, len(wanted), 500):  # well inside SQLite's limit on parameters
            part = wanted[start : start + 500]
            marks = ", ".join("?" * len(part))
            rows = await self._uow.store.fetch(
                f"SELECT key, doc FROM addresses WHERE key IN ({marks})", tuple(part)
            )
            for key, doc in rows:
                found[str(key)] = json.loads(doc)
        return found

    def put(self, key: str, address: dict[str, object]) -> None:
        """Stage an address, replacing any before it."""
        self._uow.stage(
            Write(
                "INSERT INTO addresses (key, doc, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at",
                (key, json.dumps(address, sort_keys=True), datetime.now(UTC).isoformat()),
                expect_one_row=False,
            )
        )


class SqliteReminders:
    """Reminder claims and deliveries in SQLite."""

    def __init__(self, uow: SqliteStaging) -> None:
        self._uow = uow

    async def states(self, keys: Collection[str]) -> dict[str, ReminderState]:
        """The known state of each key."""
        known: dict[str, ReminderState] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), 500):  # keep under SQLite's parameter limit
            chunk = ordered[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self._uow.store.fetch(
                f"SELECT key, sent_at, snoozed_until, recipient FROM reminders WHERE key IN ({marks})",
                tuple(chunk),
            )
            for key, sent, snoozed, recipient in rows:
                known[str(key)] = ReminderState(moment(sent), moment(snoozed), recipient)
        return known

    def claim(self, key: str, owner: str, until: datetime, now: datetime, recipient: str = "") -> None:
        """Stage a claim that succeeds only for an unsent reminder whose last claim has expired."""
        self._uow.stage(
            Write(
                "INSERT INTO reminders (key, claimed_by, claimed_until, recipient) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET claimed_by = excluded.claimed_by, "
                "claimed_until = excluded.claimed_until, recipient = excluded.recipient "
                "WHERE reminders.sent_at IS NULL AND reminders.claimed_until <= ?",
                (key, owner, until.isoformat(), recipient, now.isoformat()),
                expect_one_row=True,
            )
        )

    def mark_sent(self, key: str, owner: str, at: datetime) -> None:
        """Stage the delivery; only the claim's owner may mark it."""
        self._uow.stage(
            Write(
                "UPDATE reminders SET sent_at = ? WHERE key = ? AND claimed_by = ? AND sent_at IS NULL",
                (at.isoformat(), key, owner),
                expect_one_row=True,
            )
        )

    def snooze(self, key: str, until: datetime) -> None:
        """Stage a snooze of a reminder already claimed (the commit is refused if there is none)."""
        self._uow.stage(
            # Snoozed means "remind me later": unsent again, and not claimable before `until`.
            Write(
                "UPDATE reminders SET snoozed_until = ?, claimed_until = ?, sent_at = NULL WHERE key = ?",
                (until.isoformat(), until.isoformat(), key),
                True,
            )
        )

    async def erase_for_case(self, case_id: str) -> None:
        """Stage the erasure of every reminder about a case (their keys name it)."""
        self._uow.stage(
            Write("DELETE FROM reminders WHERE instr(key, ?) > 0", (f":{case_id}",), expect_one_row=False)
        )


class SqliteExports:
    """One-time exports (a CSV a reviewer downloads once, within minutes), in SQLite."""

    def __init__(self, uow: SqliteStaging) -> None:
        self._uow = uow

    def put(self, token: str, name: str, content: str, expires: datetime) -> None:
        """Stage an export under a token nobody can guess."""
        self._uow.stage(
            Write(
                "INSERT INTO exports (token, name, content, expires_at) VALUES (?, ?, ?, ?)",
                (token, name, content, expires.astimezone(UTC).isoformat()),
                expect_one_row=True,
            )
        )

    def take(self, token: str, now: datetime, found: list[tuple[str, str]]) -> None:
        """Stage taking an export: it is removed as it is read, so it can be had once; what was
        found (if still in time) is put in `found` when the commit runs."""

        def take(conn: sqlite3.Connection) -> None:
            cursor = conn.execute(
                "DELETE FROM exports WHERE token = ? RETURNING name, content, expires_at", (token,)
            )
            row = cursor.fetchone()
            cursor.close()  # a statement left open would hold the deletion back
            conn.execute("DELETE FROM exports WHERE expires_at < ?", (now.astimezone(UTC).isoformat(),))
            if row is not None and str(row[2]) >= now.astimezone(UTC).isoformat():
                found.append((str(row[0]), str(row[1])))

        self._uow.stage_step(take)

    def purge(self, now: datetime) -> None:
        """Stage removing every export whose time has passed."""

        def purge(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM exports WHERE expires_at < ?", (now.astimezone(UTC).isoformat(),))

        self._uow.stage_step(purge)
