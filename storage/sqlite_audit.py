"""The audit trail in SQLite: one row per entry, sealed in a keyed hash chain inside the very
transaction that makes the change it records, so two writers (even two processes) never fork it:
SQLite's write lock gives each commit the chain's head in turn."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from panel.audit import CHECKPOINT_EVERY, GENESIS, Anchor, AuditCategory, Sealed, anchor_seal, entry_seal
from panel.ports import AuditEntry, AuditEvent, AuditQuery
from storage.sqlite_staging import SqliteStaging

COLUMNS = "at, actor_id, event, subject_id, detail, category, roles, purpose, case_ref, recipient"


def utc(moment: datetime) -> str:
    """A moment as stored: UTC ISO text, so stored moments compare as text."""
    return moment.astimezone(UTC).isoformat()


class SqliteAudit:
    """Entries staged with the change they record; sealed and appended at commit."""

    def __init__(self, uow: SqliteStaging) -> None:
        self._uow = uow

    def record(self, event: AuditEvent) -> None:
        """Stage an audit event with the change it records."""
        self._uow.stage_audit(event)

    async def for_subject(self, subject_id: str) -> list[AuditEvent]:
        """One record's trail, oldest first."""
        rows = await self._uow.store.fetch(
            f"SELECT {COLUMNS} FROM audit WHERE subject_id = ? ORDER BY seq", (subject_id,)
        )
        return [_event(r) for r in rows]

    async def search(self, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching every filter, newest first, one page."""
        clauses, params = ["chain_seq IS NOT NULL"], list[Any]()
        about = []
        if query.subject_ids:
            about.append(f"subject_id IN ({', '.join('?' * len(query.subject_ids))})")
            params.extend(query.subject_ids)
        if query.case_reference:
            about.append("case_ref = ?")
            params.append(query.case_reference)
        if about:
            clauses.append("(" + " OR ".join(about) + ")")
        if query.actor_id:
            clauses.append("actor_id = ?")
            params.append(query.actor_id)
        if query.since:
            clauses.append("at >= ?")
            params.append(utc(query.since))
        if query.until:
            clauses.append("at < ?")
            params.append(utc(query.until))
        if query.before_seq:
            clauses.append("chain_seq < ?")
            params.append(query.before_seq)
        rows = await self._uow.store.fetch(
            f"SELECT {COLUMNS}, chain_seq, prev_hash, hash FROM audit WHERE {' AND '.join(clauses)} "
            "ORDER BY chain_seq DESC LIMIT ?",
            (*params, query.limit),
        )
        return [_entry(r) for r in rows]

    async def chain(self, after_seq: int, limit: int) -> list[AuditEntry]:
        """Entries in chain order after `after_seq`."""
        rows = await self._uow.store.fetch(
            f"SELECT {COLUMNS}, chain_seq, prev_hash, hash FROM audit "
            "WHERE chain_seq > ? ORDER BY chain_seq LIMIT ?",
            (after_seq, limit),
        )
        return [_entry(r) for r in rows]

    async def anchors(self) -> list[Anchor]:
        """Checkpoints and erasure anchors, in chain order."""
        rows = await self._uow.store.fetch(
            "SELECT seq, hash, at, reason, seal FROM audit_anchors ORDER BY seq", ()
        )
        return [
            Anchor(int(r[0]), str(r[1]), datetime.fromisoformat(r[2]), str(r[3]), str(r[4])) for r in rows
        ]

    def erase_through(self, seq: int, anchor: Anchor) -> None:
        """Stage the erasure of the oldest entries, through `seq`, under an erasure anchor."""

        def erase(conn: sqlite3.Connection) -> None:
            # The trail refuses deletes unless this gate is open, and only inside this transaction.
            conn.execute("UPDATE audit_gate SET open = 1")
            conn.execute("DELETE FROM audit WHERE chain_seq <= ? OR chain_seq IS NULL", (seq,))
            conn.execute("UPDATE audit_gate SET open = 0")
            conn.execute("DELETE FROM audit_anchors WHERE seq < ? AND reason = 'checkpoint'", (seq,))
            conn.execute(
                "INSERT OR REPLACE INTO audit_anchors (seq, hash, at, reason, seal) VALUES (?, ?, ?, ?, ?)",
                (anchor.seq, anchor.hash, utc(anchor.at), anchor.reason, anchor.seal),
            )

        self._uow.stage_step(erase)


def appender(key: bytes, events: list[AuditEvent]) -> Any:
    """The step that seals and appends a commit's entries after the chain's current head."""

    def append(conn: sqlite3.Connection) -> None:
        head = conn.execute(
            "SELECT chain_seq, hash FROM audit WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1"
        ).fetchone()
        anchor = conn.execute("SELECT seq, hash FROM audit_anchors ORDER BY seq DESC LIMIT 1").fetchone()
        seq, previous = 0, GENESIS
        for candidate in (anchor, head):  # the head, or (all entries erased) the last anchor
            if candidate is not None and int(candidate[0]) >= seq:
                seq, previous = int(candidate[0]), str(candidate[1])
        for event in events:
            seq += 1
            sealed = entry_seal(key, seq, previous, event.sealed_fields())
            conn.execute(
                f"INSERT INTO audit ({COLUMNS}, chain_seq, prev_hash, hash) VALUES ({', '.join('?' * 13)})",
                (*_row(event), seq, previous, sealed),
            )
            if seq % CHECKPOINT_EVERY == 0:
                conn.execute(
                    "INSERT INTO audit_anchors (seq, hash, at, reason, seal) VALUES (?, ?, ?, ?, ?)",
                    (
                        seq,
                        sealed,
                        utc(event.at),
                        "checkpoint",
                        anchor_seal(key, seq, sealed, event.at, "checkpoint"),
                    ),
                )
            previous = sealed

    return append


def _row(event: AuditEvent) -> tuple[str, ...]:
    return (
        utc(event.at),
        event.actor_id,
        event.event,
        event.subject_id,
        event.detail,
        event.category.value,
        event.roles,
        event.purpose,
        event.case_reference,
        event.recipient,
    )


def _event(row: Any) -> AuditEvent:
    at, actor, name, subject, detail, category, roles, purpose, case_ref, recipient = tuple(row)[:10]
    return AuditEvent(
        datetime.fromisoformat(at),
        str(actor),
        str(name),
        str(subject),
        str(detail),
        AuditCategory(category),
        str(roles),
        str(purpose),
        str(case_ref),
        str(recipient),
    )


def _entry(row: Any) -> AuditEntry:
    values = tuple(row)
    return AuditEntry(_event(values), Sealed(int(values[10]), str(values[11]), str(values[12])))
