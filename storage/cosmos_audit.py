"""The audit trail in Cosmos DB: each commit's entries are one block document, numbered and sealed
in the panel's keyed hash chain. The chain's head is a document moved with an etag in the same
transactional batch as the change, so two app instances never fork the chain: the second to commit
finds the head moved, and its commit is sealed again after the new head and retried."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from panel.audit import CHECKPOINT_EVERY, GENESIS, Anchor, AuditCategory, Sealed, anchor_seal, entry_seal
from panel.ports import AuditEntry, AuditEvent, AuditQuery
from storage.codec import to_document
from storage.cosmos_staging import CosmosStaging

HEAD_ID = "audit-head"
ROUND = 40  # blocks read per query round when paging through the trail


def block_id(first_seq: int) -> str:
    """A block's document id: ordered by its first entry's number."""
    return f"audit:{first_seq:012d}"


class CosmosAudit:
    """Entries staged with the change they record; sealed into a block at commit."""

    def __init__(self, uow: CosmosStaging) -> None:
        self._uow = uow

    def record(self, event: AuditEvent) -> None:
        """Stage an audit event with the change it records."""
        self._uow.audit_events.append(event)

    async def for_subject(self, subject_id: str) -> list[AuditEvent]:
        """One record's trail, oldest first (blocks from before the chain began included)."""
        items = await self._uow.store.query(
            "c.kind = @kind AND ARRAY_CONTAINS(c.subjects, @subject)",
            {"@kind": "audit", "@subject": subject_id},
        )
        ordered = sorted(items, key=lambda item: (item.get("seq_first", 0), str(item.get("written", ""))))
        return [_event(e) for item in ordered for e in item["events"] if e["subject_id"] == subject_id]

    async def search(self, query: AuditQuery) -> list[AuditEntry]:
        """Entries matching every filter, newest first, one page (read a round of blocks at a time)."""
        clauses, params = ["c.kind = @kind", "IS_DEFINED(c.seq_first)"], dict[str, Any]({"@kind": "audit"})
        about = []
        for n, subject in enumerate(query.subject_ids):
            about.append(f"ARRAY_CONTAINS(c.subjects, @s{n})")
            params[f"@s{n}"] = subject
        if query.case_reference:
            about.append("ARRAY_CONTAINS(c.case_refs, @ref)")
            params["@ref"] = query.case_reference
        if about:
            clauses.append("(" + " OR ".join(about) + ")")
        if query.actor_id:
            clauses.append("ARRAY_CONTAINS(c.actors, @actor)")
            params["@actor"] = query.actor_id
        if query.since:
            clauses.append("c.at_last >= @since")
            params["@since"] = _utc(query.since)
        if query.until:
            clauses.append("c.at_first < @until")
            params["@until"] = _utc(query.until)
        found: list[AuditEntry] = []
        before = query.before_seq
        while len(found) < query.limit:
            round_params = dict(params)
            where = " AND ".join(clauses)
            if before is not None:
                where += " AND c.seq_first < @before"
                round_params["@before"] = before
            blocks = await self._uow.store.query(where, round_params, order_by="c.seq_first DESC", top=ROUND)
            if not blocks:
                break
            for block in blocks:
                for raw in reversed(block["events"]):
                    entry = _entry(raw)
                    if _matches(entry, query) and (
                        query.before_seq is None or entry.sealed.seq < query.before_seq
                    ):
                        found.append(entry)
            before = min(int(b["seq_first"]) for b in blocks)
        return found[: query.limit]

    async def chain(self, after_seq: int, limit: int) -> list[AuditEntry]:
        """Entries in chain order after `after_seq`."""
        blocks = await self._uow.store.query(
            "c.kind = @kind AND IS_DEFINED(c.seq_first) AND c.seq_last > @after",
            {"@kind": "audit", "@after": after_seq},
            order_by="c.seq_first",
            top=limit,
        )
        entries = [_entry(raw) for block in blocks for raw in block["events"]]
        return [e for e in entries if e.sealed.seq > after_seq][:limit]

    async def anchors(self) -> list[Anchor]:
        """Checkpoints and erasure anchors, in chain order."""
        items = await self._uow.store.query("c.kind = @kind", {"@kind": "anchor"})
        anchors = [
            Anchor(
                int(i["seq"]),
                str(i["hash"]),
                datetime.fromisoformat(i["at"]),
                str(i["reason"]),
                str(i["seal"]),
            )
            for i in items
        ]
        return sorted(anchors, key=lambda a: a.seq)

    def erase_through(self, seq: int, anchor: Anchor) -> None:
        """Stage the erasure of the oldest entries, through `seq`, under an erasure anchor."""
        self._uow.stage_erasure(seq, anchor)


async def erasure_ops(uow: CosmosStaging, seq: int, anchor: Anchor) -> list[tuple[Any, ...]]:
    """Delete the blocks wholly at or before `seq`, trim one that straddles it, keep the anchor."""
    blocks = await uow.store.query(
        "c.kind = @kind AND (NOT IS_DEFINED(c.seq_first) OR c.seq_first <= @seq)",
        {"@kind": "audit", "@seq": seq},
    )
    ops: list[tuple[Any, ...]] = []
    for block in blocks:
        if "seq_first" not in block or int(block["seq_last"]) <= seq:
            ops.append(("delete", (block["id"],), {"if_match_etag": block["_etag"]}))
        else:
            kept = [e for e in block["events"] if int(e["seq"]) > seq]
            ops.append(("delete", (block["id"],), {"if_match_etag": block["_etag"]}))
            ops.append(("create", (_block(uow.store.partition, kept),)))
    stale = await uow.store.query(
        "c.kind = @kind AND c.seq < @seq AND c.reason = @checkpoint",
        {"@kind": "anchor", "@seq": seq, "@checkpoint": "checkpoint"},
    )
    ops += [("delete", (item["id"],)) for item in stale]
    ops.append(("upsert", (_anchor_doc(uow.store.partition, anchor),)))
    return ops


async def append_ops(uow: CosmosStaging, key: bytes, events: list[AuditEvent]) -> list[tuple[Any, ...]]:
    """Seal a commit's entries after the chain's head, as of now: the block, any checkpoint
    anchors, and the head moved on (with the etag it was read at, so a second writer is refused)."""
    partition = uow.store.partition
    head = uow.store.chain_head or await uow.store.point_read(HEAD_ID)
    seq, previous = (int(head["seq"]), str(head["hash"])) if head else (0, GENESIS)
    sealed_events: list[dict[str, Any]] = []
    ops: list[tuple[Any, ...]] = []
    for event in events:
        seq += 1
        seal = entry_seal(key, seq, previous, event.sealed_fields())
        sealed_events.append({**to_document(event), "seq": seq, "prev_hash": previous, "hash": seal})
        if seq % CHECKPOINT_EVERY == 0:
            at = event.at.astimezone(UTC)
            anchor = Anchor(seq, seal, at, "checkpoint", anchor_seal(key, seq, seal, at, "checkpoint"))
            ops.append(("upsert", (_anchor_doc(partition, anchor),)))
        previous = seal
    ops.insert(0, ("create", (_block(partition, sealed_events),)))
    moved = {"id": HEAD_ID, "pk": partition, "kind": "audit-head", "seq": seq, "hash": previous}
    if head is None:
        ops.append(("create", (moved,)))
    else:
        ops.append(("replace", (HEAD_ID, moved), {"if_match_etag": head["_etag"]}))
    return ops


def _block(partition: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    first, last = events[0], events[-1]
    return {
        "id": block_id(int(first["seq"])),
        "pk": partition,
        "kind": "audit",
        "seq_first": int(first["seq"]),
        "seq_last": int(last["seq"]),
        "at_first": _utc(datetime.fromisoformat(first["at"])),
        "at_last": _utc(datetime.fromisoformat(last["at"])),
        "subjects": sorted({e["subject_id"] for e in events}),
        "case_refs": sorted({e["case_reference"] for e in events if e.get("case_reference")}),
        "actors": sorted({e["actor_id"] for e in events}),
        "events": events,
    }


def _anchor_doc(partition: str, anchor: Anchor) -> dict[str, Any]:
    return {
        "id": f"anchor:{anchor.seq:012d}",
        "pk": partition,
        "kind": "anchor",
        "seq": anchor.seq,
        "hash": anchor.hash,
        "at": _utc(anchor.at),
        "reason": anchor.reason,
        "seal": anchor.seal,
    }


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _event(raw: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        datetime.fromisoformat(raw["at"]),
        str(raw["actor_id"]),
        str(raw["event"]),
        str(raw["subject_id"]),
        str(raw.get("detail", "")),
        AuditCategory(raw.get("category", "alteration")),
        str(raw.get("roles", "")),
        str(raw.get("purpose", "")),
        str(raw.get("case_reference", "")),
        str(raw.get("recipient", "")),
    )


def _entry(raw: dict[str, Any]) -> AuditEntry:
    return AuditEntry(_event(raw), Sealed(int(raw["seq"]), str(raw["prev_hash"]), str(raw["hash"])))


def _matches(entry: AuditEntry, query: AuditQuery) -> bool:
    event = entry.event
    if (query.subject_ids or query.case_reference) and not (
        event.subject_id in query.subject_ids
        or (query.case_reference is not None and event.case_reference == query.case_reference)
    ):
        return False
    if query.actor_id and event.actor_id != query.actor_id:
        return False
    if query.since and event.at < query.since:
        return False
    return not (query.until and event.at >= query.until)
