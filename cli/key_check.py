"""A keyed check value for IDENTITY_HASH_KEY, recorded at `panelbot init` and compared by
`panelbot doctor`: a deployment pointed at another key is the most damaging misconfiguration there
is (every registered name invisible to the guard, the audit trail unverifiable), and this finds it
before the first sitting. The value is an HMAC of a fixed label: it tells nothing of the key."""

from __future__ import annotations

import hashlib
import hmac

from panel.audit import entry_seal
from panel.ports import UnitOfWork

# Kept in the store's address book, its one place for small documents of the edge's own.
KEY_CHECK = "install:identity-key-check"
LABEL = b"scrutiny panel: the identity-hash key this store was written with"


def check_value(key: bytes) -> str:
    """The check value of a key."""
    return hmac.new(key, LABEL, hashlib.sha256).hexdigest()


def record(uow: UnitOfWork, key: bytes) -> None:
    """Stage the check value of the key a new store is written with."""
    uow.addresses.put(KEY_CHECK, {"check": check_value(key)})


async def matches(uow: UnitOfWork, key: bytes) -> bool | None:
    """Whether the store was written with this key; None when no check value was recorded."""
    found = await uow.addresses.get(KEY_CHECK)
    recorded = found.get("check") if found else None
    if not isinstance(recorded, str):
        return None
    return hmac.compare_digest(recorded, check_value(key))


async def seals_match(uow: UnitOfWork, audit_key: bytes) -> bool | None:
    """For a store without a check value: whether its oldest audit entry was sealed with this key;
    None when the trail is empty."""
    oldest = await uow.audit.chain(0, 1)
    if not oldest:
        return None
    entry = oldest[0]
    expected = entry_seal(audit_key, entry.sealed.seq, entry.sealed.prev_hash, entry.event.sealed_fields())
    return hmac.compare_digest(entry.sealed.hash, expected)
