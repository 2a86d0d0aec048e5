"""Versioned schema migrations for the SQLite store, applied in order at start-up."""

from __future__ import annotations

# Each entry runs once, in one transaction; never edit an entry that has shipped, add a new one.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE roster (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            soo_id TEXT,
            status TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX cases_by_soo ON cases (soo_id);
        CREATE INDEX cases_by_status ON cases (status);
        CREATE TABLE sittings (
            id TEXT PRIMARY KEY,
            sitting_date TEXT NOT NULL,
            status TEXT NOT NULL,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        CREATE INDEX sittings_by_date ON sittings (sitting_date);
        CREATE TABLE party_name_hashes (
            case_id TEXT NOT NULL REFERENCES cases (id),
            hash TEXT NOT NULL,
            PRIMARY KEY (case_id, hash)
        );
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            event TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            detail TEXT NOT NULL
        );
        CREATE INDEX audit_by_subject ON audit (subject_id);
        -- The audit trail is evidence in a misconduct investigation: it can only grow.
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """,
    ),
    (
        2,
        """
        CREATE TABLE processed (
            key TEXT PRIMARY KEY,
            at TEXT NOT NULL
        );
        CREATE TABLE addresses (
            key TEXT PRIMARY KEY,
            doc TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        3,
        """
        CREATE TABLE reminders (
            key TEXT PRIMARY KEY,
            claimed_by TEXT NOT NULL,
            claimed_until TEXT NOT NULL,
            sent_at TEXT,
            snoozed_until TEXT
        );
        """,
    ),
    (
        4,
        """
        -- Who each reminder is for: a snooze is accepted from them alone.
        ALTER TABLE reminders ADD COLUMN recipient TEXT;
        """,
    ),
    (
        5,
        """
        -- The audit trail becomes a keyed hash chain: every entry numbered and sealed, with what
        -- kind of processing it records, why, in what role, and to whom.
        ALTER TABLE audit ADD COLUMN chain_seq INTEGER;
        ALTER TABLE audit ADD COLUMN category TEXT NOT NULL DEFAULT 'alteration';
        ALTER TABLE audit ADD COLUMN roles TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN case_ref TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit ADD COLUMN prev_hash TEXT;
        ALTER TABLE audit ADD COLUMN hash TEXT;
        CREATE UNIQUE INDEX audit_by_chain ON audit (chain_seq);
        CREATE INDEX audit_by_actor ON audit (actor_id, chain_seq);
        CREATE INDEX audit_by_case_ref ON audit (case_ref, chain_seq);
        CREATE INDEX audit_by_at ON audit (at);
        CREATE TABLE audit_anchors (
            seq INTEGER PRIMARY KEY,
            hash TEXT NOT NULL,
            at TEXT NOT NULL,
            reason TEXT NOT NULL,
            seal TEXT NOT NULL
        );
        -- Only the retention policy may remove old entries, and only with this gate open inside
        -- its own transaction; the chain shows any other removal.
        CREATE TABLE audit_gate (open INTEGER NOT NULL);
        INSERT INTO audit_gate VALUES (0);
        DROP TRIGGER audit_no_delete;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit WHEN (SELECT open FROM audit_gate) = 0
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
            BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only'); END;
        -- The identity guard's change token: moved by every addition and erasure of a hash.
        CREATE TABLE names_token (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL);
        INSERT INTO names_token VALUES (1, (SELECT COALESCE(MAX(rowid), 0) FROM party_name_hashes));
        -- Exports a reviewer downloads once, within minutes.
        CREATE TABLE exports (
            token TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            content TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        """,
    ),
    (
        6,
        """
        -- Force-wide learning actions arising from the panel's themes.
        CREATE TABLE learning (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            doc TEXT NOT NULL
        );
        """,
    ),
    (
        7,
        """
        -- When the reminder round next needs to look at each case (UTC, ISO 8601); NULL when the
        -- case changed since it last looked, so every existing case is looked at once.
        ALTER TABLE cases ADD COLUMN wake_at TEXT;
        CREATE INDEX cases_by_wake ON cases (wake_at);
        -- "Which sitting is live?" is asked in most turns: not a scan of every past sitting.
        CREATE INDEX sittings_by_status ON sittings (status);
        """,
    ),
    (
        8,
        """
        -- When a closed case last closed (UTC, ISO 8601): a 12-month report need not read the
        -- thousands closed years before. NULL for cases stored before it was kept, which are read.
        ALTER TABLE cases ADD COLUMN closed_at TEXT;
        """,
    ),
)
