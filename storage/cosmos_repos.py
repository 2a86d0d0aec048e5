"""The Cosmos DB store's repositories: versioned records (cases, sittings, the roster) and the small
documents beside them (party-name hashes, processed keys, addresses, reminder claims, exports)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable, Collection, Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from panel.case import Case, CaseStatus
from panel.errors import ConcurrencyConflict
from panel.learning import LearningAction
from panel.ports import ReminderState
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus
from storage.cosmos_staging import CosmosStaging
from storage.records import case_fields, found, moment, sitting_fields, wake_text

T = TypeVar("T")
# Redelivered Teams activities arrive within minutes; a month of keys is ample and then they expire.
PROCESSED_TTL_SECONDS = 30 * 24 * 3600
DECODE_SLICE = 200  # records decoded between chances for other turns to run
CONFLICT = "Someone else changed this a moment ago. Please try again."
NAMES_TOKEN_ID = "names-token"


def _key_id(kind: str, key: str) -> str:
    """A document id for a free-form key: ids may not hold '/', '\\', '?' or '#' and are at most
    255 bytes, and the key (a conversation or activity id) need not be readable in the id."""
    return f"{kind}:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"


class _Records:
    """Versioned domain records of one kind, staged on the unit of work."""

    def __init__(self, uow: CosmosStaging, kind: str) -> None:
        self._uow, self._kind = uow, kind

    def _id(self, key: str) -> str:
        return f"{self._kind}:{key}"

    async def _get(self, cls: type[T], key: str) -> T | None:
        item = await self._uow.store.point_read(self._id(key))
        return self._uow.loaded(cls, item) if item else None

    async def _find(self, cls: type[T], where: str, parameters: dict[str, Any]) -> list[T]:
        items = await self._uow.store.query(
            f"c.kind = @kind AND {where}", {"@kind": self._kind, **parameters}
        )
        # Thousands of open cases are decoded a slice at a time, letting other turns in between.
        found: list[T] = []
        for start in range(0, len(items), DECODE_SLICE):
            if start:
                await asyncio.sleep(0)
            found += [self._uow.loaded(cls, item) for item in items[start : start + DECODE_SLICE]]
        return found

    def _stage(self, record: Any, key: str, fields: Callable[[], dict[str, Any]], new: bool) -> None:
        self._uow.stage_record(self._kind, self._id(key), record, fields, new)


class CosmosCases(_Records):
    """Cases in Cosmos DB; a reference marker document makes references unique within the panel."""

    async def get(self, case_id: str) -> Case:
        """The case, or NotFound."""
        return found(await self._get(Case, case_id))

    async def by_reference(self, reference: str) -> Case:
        """The case with this reference, or NotFound."""
        matches = await self._find(Case, "c.reference = @reference", {"@reference": reference})
        return found(matches[0] if matches else None)

    async def reference_taken(self, reference: str) -> bool:
        """Whether any case has this reference (one point read of its marker)."""
        return await self._uow.store.point_read(reference_id(reference)) is not None

    async def find(
        self, *, soo_id: str | None = None, statuses: Collection[CaseStatus] | None = None
    ) -> list[Case]:
        """Cases matching the filters, oldest registration first."""
        clauses, params = ["true"], dict[str, Any]()
        if soo_id is not None:
            clauses.append("c.soo_id = @soo")
            params["@soo"] = soo_id
        if statuses is not None:
            clauses.append("ARRAY_CONTAINS(@statuses, c.status)")
            params["@statuses"] = [s.value for s in statuses]
        cases = await self._find(Case, " AND ".join(clauses), params)
        # Sorted here: ordering by two fields would need a composite index for nothing, as a
        # panel's cases are at most a few hundred documents.
        return sorted(cases, key=lambda c: (c.registered_at, c.case_id))

    async def pages(self, *, closed_since: datetime | None = None) -> AsyncIterator[list[Case]]:
        """Every case, a page of the server's at a time (less those closed before `closed_since`)."""
        where, params = "c.kind = @kind", {"@kind": self._kind}
        if closed_since is not None:
            where += (
                " AND (c.status != @closed OR NOT IS_DEFINED(c.closed_at) OR IS_NULL(c.closed_at)"
                " OR c.closed_at >= @since)"
            )
            params |= {"@closed": CaseStatus.CLOSED.value, "@since": wake_text(closed_since)}
        async for items in self._uow.store.query_pages(where, params):
            yield [self._uow.loaded(Case, item) for item in items]

    async def with_ids(self, case_ids: Collection[str]) -> list[Case]:
        """The cases with these ids that exist, in pages of a hundred ids a query."""
        ids = sorted({self._id(case_id) for case_id in case_ids})
        cases: list[Case] = []
        for start in range(0, len(ids), 100):
            cases += await self._find(Case, "ARRAY_CONTAINS(@ids, c.id)", {"@ids": ids[start : start + 100]})
        return sorted(cases, key=lambda c: (c.registered_at, c.case_id))

    async def waking(self, now: datetime) -> list[Case]:
        """Cases changed since the reminder round last looked (or never looked at: stored before
        wake moments were kept), or whose wake moment has come."""
        cases = await self._find(
            Case,
            "(NOT IS_DEFINED(c.wake_at) OR IS_NULL(c.wake_at) OR c.wake_at <= @now)",
            {"@now": wake_text(now)},
        )
        return sorted(cases, key=lambda c: (c.registered_at, c.case_id))

    async def set_wakes(self, wakes: Collection[tuple[Case, datetime | None]]) -> None:
        """Record each case's wake moment where it is still at the version read (a patch each; its
        etag moves but not its version, and a save that meets the moved etag is sent again)."""
        for case, moment_ in wakes:
            await self._uow.store.patch_where(
                self._id(case.case_id),
                [{"op": "set", "path": "/wake_at", "value": wake_text(moment_)}],
                f"c.version = {int(case.version)}",
            )

    def add(self, case: Case) -> None:
        """Stage a new case and its reference marker."""
        self._stage(case, case.case_id, lambda: case_fields(case), new=True)
        self._uow.stage_op(("create", ({"id": reference_id(case.reference), "kind": "reference"},)))

    def save(self, case: Case) -> None:
        """Stage a change to a case."""
        self._stage(case, case.case_id, lambda: case_fields(case), new=False)

    def erase(self, case: Case) -> None:
        """Stage the erasure of a case and its reference marker (the retention policy)."""
        self._uow.stage_delete(self._id(case.case_id), case.version)
        self._uow.stage_op(("delete", (reference_id(case.reference),)))


class CosmosSittings(_Records):
    """Sittings in Cosmos DB."""

    async def get(self, sitting_id: str) -> Sitting:
        """The sitting, or NotFound."""
        return found(await self._get(Sitting, sitting_id))

    async def exists(self, sitting_id: str) -> bool:
        """Whether a sitting has this id."""
        return await self._uow.store.point_read(self._id(sitting_id)) is not None

    async def find(self, *, on_or_after: date | None = None, live: bool | None = None) -> list[Sitting]:
        """Sittings in date order, filtered."""
        clauses, params = ["true"], dict[str, Any]()
        if on_or_after is not None:
            clauses.append("c.sitting_date >= @from")
            params["@from"] = on_or_after.isoformat()
        if live is not None:
            clauses.append("c.status = @live" if live else "c.status != @live")
            params["@live"] = SittingStatus.LIVE.value
        sittings = await self._find(Sitting, " AND ".join(clauses), params)
        return sorted(sittings, key=lambda s: (s.sitting_date, s.sitting_id))

    def add(self, sitting: Sitting) -> None:
        """Stage a new sitting."""
        self._stage(sitting, sitting.sitting_id, lambda: sitting_fields(sitting), new=True)

    def save(self, sitting: Sitting) -> None:
        """Stage a change to a sitting."""
        self._stage(sitting, sitting.sitting_id, lambda: sitting_fields(sitting), new=False)


class CosmosRoster(_Records):
    """The roster in Cosmos DB."""

    async def get(self, aad_object_id: str) -> RosterMember | None:
        """The member, if on the roster."""
        return await self._get(RosterMember, aad_object_id)

    async def all(self) -> list[RosterMember]:
        """Everyone on the roster."""
        members = await self._find(RosterMember, "true", {})
        return sorted(members, key=lambda m: m.aad_object_id)

    def add(self, member: RosterMember) -> None:
        """Stage a new member."""
        self._stage(member, member.aad_object_id, dict, new=True)

    def save(self, member: RosterMember) -> None:
        """Stage a change to a member."""
        self._stage(member, member.aad_object_id, dict, new=False)


class CosmosLearning(_Records):
    """Force-wide learning actions in Cosmos DB."""

    async def all(self) -> list[LearningAction]:
        """Every learning action, oldest first."""
        found = await self._find(LearningAction, "true", {})
        return sorted(found, key=lambda a: (a.set_at, a.action_id))

    def add(self, action: LearningAction) -> None:
        """Stage a new learning action."""
        self._stage(action, action.action_id, dict, new=True)

    def save(self, action: LearningAction) -> None:
        """Stage a change to one."""
        self._stage(action, action.action_id, dict, new=False)


class CosmosPartyNames:
    """Party-name hashes in one document per case, and a counter document as the change token."""

    def __init__(self, uow: CosmosStaging) -> None:
        self._uow = uow

    async def all_hashes(self) -> frozenset[str]:
        """Every registered hash."""
        items = await self._uow.store.query("c.kind = @kind", {"@kind": "names"})
        return frozenset(h for item in items for h in item["hashes"])

    async def change_token(self) -> int:
        """How many hashes have ever been added: one point read."""
        token = await self._uow.store.point_read(NAMES_TOKEN_ID)
        return int(token["count"]) if token else 0

    async def count_for_case(self, case_id: str) -> int:
        """How many hashes a case has."""
        item = await self._uow.store.point_read(names_id(case_id))
        return len(item["hashes"]) if item else 0

    async def cases_with(self, hashes: Collection[str]) -> frozenset[str]:
        """The ids of cases that have any of these hashes."""
        wanted = sorted(hashes)[:10]  # whole names only: a few per registration
        if not wanted:
            return frozenset()
        any_of = " OR ".join(f"ARRAY_CONTAINS(c.hashes, @h{n})" for n in range(len(wanted)))
        items = await self._uow.store.query(
            f"c.kind = @kind AND ({any_of})",
            {"@kind": "names", **{f"@h{n}": h for n, h in enumerate(wanted)}},
        )
        return frozenset(str(item["case_id"]) for item in items)

    def add(self, case_id: str, hashes: Collection[str]) -> None:
        """Stage hashes for a case; a hash already there is kept once."""
        wanted = frozenset(hashes)

        def merge(current: dict[str, Any] | None) -> dict[str, Any]:
            return {
                "kind": "names",
                "case_id": case_id,
                "hashes": sorted(set((current or {}).get("hashes", [])) | wanted),
            }

        self._uow.stage_change(names_id(case_id), merge)

    async def erase_for_case(self, case_id: str) -> None:
        """Stage the erasure of a case's hashes (the retention policy); the change token moves."""
        current = await self._uow.store.point_read(names_id(case_id))
        if current is not None:
            self._uow.stage_op(("delete", (names_id(case_id),), {"if_match_etag": current["_etag"]}))
            self._uow.token_moves += 1


class CosmosProcessed:
    """Keys of requests already acted on; each expires after a month."""

    def __init__(self, uow: CosmosStaging) -> None:
        self._uow = uow

    async def seen(self, key: str) -> bool:
        """Whether this key was processed."""
        return await self._uow.store.point_read(_key_id("processed", key)) is not None

    def mark(self, key: str) -> None:
        """Stage the key; a second create of it fails the whole batch as a conflict."""
        doc = {"id": _key_id("processed", key), "kind": "processed", "ttl": PROCESSED_TTL_SECONDS}
        self._uow.stage_op(("create", (doc,)))


class CosmosAddresses:
    """Delivery addresses in Cosmos DB."""

    def __init__(self, uow: CosmosStaging) -> None:
        self._uow = uow

    async def get(self, key: str) -> dict[str, object] | None:
        """The stored address, if any."""
        item = await self._uow.store.point_read(_key_id("address", key))
        return dict(item["address"]) if item else None

    async def get_many(self, keys: Iterable[str]) -> dict[str, dict[str, object]]:
        """The stored addresses among these keys (one query per hundred, not a read each)."""
        by_id = {_key_id("address", key): key for key in keys}
        ids = sorted(by_id)
        found: dict[str, dict[str, object]] = {}
        for start in range(0, len(ids), 100):
            items = await self._uow.store.query(
                "c.kind = @kind AND ARRAY_CONTAINS(@ids, c.id)",
                {"@kind": "address", "@ids": ids[start : start + 100]},
            )
            for item in items:
                found[by_id[item["id"]]] = dict(item["address"])
        return found

    def put(self, key: str, address: dict[str, object]) -> None:
        """Stage an address, replacing any before it (last writer wins)."""
        doc = {"id": _key_id("address", key), "kind": "address", "address": address}
        self._uow.stage_op(("upsert", (doc,)))


class CosmosReminders:
    """Reminder claims and deliveries, each a document changed only if it is as it was read."""

    def __init__(self, uow: CosmosStaging) -> None:
        self._uow = uow

    async def states(self, keys: Collection[str]) -> dict[str, ReminderState]:
        """The known state of each key."""
        by_id = {_key_id("reminder", key): key for key in keys}
        ids = sorted(by_id)
        known: dict[str, ReminderState] = {}
        for start in range(0, len(ids), 100):  # keep each query's text and parameters small
            items = await self._uow.store.query(
                "c.kind = @kind AND ARRAY_CONTAINS(@ids, c.id)",
                {"@kind": "reminder", "@ids": ids[start : start + 100]},
            )
            for item in items:
                known[by_id[item["id"]]] = ReminderState(
                    moment(item["sent_at"]), moment(item["snoozed_until"]), item.get("recipient")
                )
        return known

    def claim(self, key: str, owner: str, until: datetime, now: datetime, recipient: str = "") -> None:
        """Stage a claim that succeeds only for an unsent reminder whose last claim has expired."""

        def claimed(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is not None and (
                current["sent_at"] is not None or datetime.fromisoformat(current["claimed_until"]) > now
            ):
                raise ConcurrencyConflict(CONFLICT)
            base = current or _reminder(key)
            return {**base, "claimed_by": owner, "claimed_until": until.isoformat(), "recipient": recipient}

        self._uow.stage_change(_key_id("reminder", key), claimed)

    def mark_sent(self, key: str, owner: str, at: datetime) -> None:
        """Stage the delivery; only the claim's owner may mark it."""

        def sent(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is None or current["claimed_by"] != owner or current["sent_at"] is not None:
                raise ConcurrencyConflict(CONFLICT)
            return {**current, "sent_at": at.isoformat()}

        self._uow.stage_change(_key_id("reminder", key), sent)

    def snooze(self, key: str, until: datetime) -> None:
        """Stage a snooze of a reminder already claimed (the commit is refused if there is none)."""

        def snoozed(current: dict[str, Any] | None) -> dict[str, Any]:
            if current is None:
                raise ConcurrencyConflict(CONFLICT)
            # Snoozed means "remind me later": unsent again, and not claimable before `until`.
            stamp = until.isoformat()
            return {**current, "snoozed_until": stamp, "claimed_until": stamp, "sent_at": None}

        self._uow.stage_change(_key_id("reminder", key), snoozed)

    async def erase_for_case(self, case_id: str) -> None:
        """Stage the erasure of every reminder about a case (their keys name it)."""
        items = await self._uow.store.query(
            "c.kind = @kind AND CONTAINS(c.key, @case)", {"@kind": "reminder", "@case": f":{case_id}"}
        )
        for item in items:
            self._uow.stage_op(("delete", (item["id"],), {"if_match_etag": item["_etag"]}))


def _reminder(key: str) -> dict[str, Any]:
    return {
        "kind": "reminder",
        "key": key,
        "claimed_by": "",
        "claimed_until": "",
        "sent_at": None,
        "snoozed_until": None,
    }


class CosmosExports:
    """One-time exports, each a document that expires by itself and is deleted as it is taken."""

    def __init__(self, uow: CosmosStaging) -> None:
        self._uow = uow

    def put(self, token: str, name: str, content: str, expires: datetime) -> None:
        """Stage an export under a token nobody can guess."""
        ttl = max(60, int((expires - datetime.now(UTC)).total_seconds()) + 60)
        doc = {
            "id": _key_id("export", token),
            "kind": "export",
            "name": name,
            "content": content,
            "expires_at": expires.astimezone(UTC).isoformat(),
            "ttl": ttl,
        }
        self._uow.stage_op(("create", (doc,)))

    def take(self, token: str, now: datetime, found: list[tuple[str, str]]) -> None:
        """Stage taking an export (deleted at the etag it was read at, so only one taker has it)."""
        self._uow.stage_take(_key_id("export", token), now, found)

    def purge(self, now: datetime) -> None:
        """Nothing to stage: each export document carries its own time-to-live, after which Cosmos
        DB deletes it, taken or not (a read of one past its time finds it expired)."""


def reference_id(reference: str) -> str:
    """The id of a reference's marker document, which keeps references unique."""
    return f"reference:{reference}"


def names_id(case_id: str) -> str:
    """The id of the document holding a case's party-name hashes."""
    return f"names:{case_id}"
