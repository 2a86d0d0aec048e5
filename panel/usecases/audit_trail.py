"""Reading the audit trail, for those who investigate a suspected breach: who accessed a case, what
a person accessed, in a period; exported as CSV; its chain verified. Reading it is itself audited,
and a refusal is recorded too."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from panel.audit import (
    AuditCategory,
    AuditPurpose,
    ChainEntry,
    ChainReport,
    Witness,
    chain_key,
    verify_chain,
    witness,
)
from panel.clock import london_to_utc
from panel.errors import NotFound, NotPermitted, ValidationFailed
from panel.ports import AuditEntry, AuditQuery
from panel.roles import Actor, Permission
from panel.usecases.access import record_access
from panel.usecases.deps import Deps

PAGE = 20
EXPORT_LIMIT = 10_000
CHAIN_PAGE = 500
MIDNIGHT = time(0, 0)


@dataclass(frozen=True)
class AuditFilter:
    """What a reviewer asks about: a case by its reference, a person, London dates (inclusive)."""

    case_reference: str | None = None
    actor_id: str | None = None
    since: date | None = None
    until: date | None = None
    before_seq: int | None = None

    def words(self) -> str:
        """The filter as ids and dates only, for the trail's record of the reading."""
        parts = [
            f"case={self.case_reference}" if self.case_reference else "",
            f"actor={self.actor_id}" if self.actor_id else "",
            f"from={self.since.isoformat()}" if self.since else "",
            f"to={self.until.isoformat()}" if self.until else "",
        ]
        return " ".join(p for p in parts if p) or "everything"


# Whom a reviewer may ask about: a roster member's Entra object id, an operator's or the bot's own id.
# Anything else (a name typed into a forged card) is refused before it can reach the trail's record.
_PERSON_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|operator:[A-Za-z0-9._-]{1,64}|system:[a-z._-]{1,64}"
)


def check_filter(wanted: AuditFilter) -> None:
    """Refuse a filter whose person is not an id: the filter is written into the trail's record."""
    if wanted.actor_id is not None and not _PERSON_ID.fullmatch(wanted.actor_id):
        raise ValidationFailed("That person is not one of the choices.")


async def read_audit(deps: Deps, actor: Actor, wanted: AuditFilter, limit: int = PAGE) -> list[AuditEntry]:
    """A page of the trail, newest first: refused (and the refusal recorded) without the role."""
    await _require_reader(deps, actor, "audit.read")
    check_filter(wanted)
    entries = await _search(deps, wanted, limit)
    await record_access(
        deps,
        actor,
        "audit.read",
        AuditCategory.CONSULTATION,
        AuditPurpose.BREACH_REVIEW,
        subject_id="audit",
        detail=wanted.words(),
    )
    return entries


async def export_audit(deps: Deps, actor: Actor, wanted: AuditFilter) -> tuple[str, str]:
    """The entries as a CSV file (name, text): up to 10,000, newest first."""
    await _require_reader(deps, actor, "audit.export")
    check_filter(wanted)
    entries = await _search(deps, wanted, EXPORT_LIMIT)
    await record_access(
        deps,
        actor,
        "audit.exported",
        AuditCategory.DISCLOSURE,
        AuditPurpose.BREACH_REVIEW,
        subject_id="audit",
        recipient=actor.actor_id,
        detail=f"{wanted.words()} rows={len(entries)}",
    )
    return f"audit-{deps.today().isoformat()}.csv", entries_csv(entries)


async def check_audit(deps: Deps, actor: Actor, witnesses: Sequence[Witness] = ()) -> ChainReport:
    """A reviewer asks whether the trail is intact (held to the witnesses given): permitted and
    recorded like any reading."""
    await _require_reader(deps, actor, "audit.verify")
    report = await verify_audit(deps, witnesses)
    await record_access(
        deps,
        actor,
        "audit.verified",
        AuditCategory.CONSULTATION,
        AuditPurpose.BREACH_REVIEW,
        subject_id="audit",
        detail=f"intact={report.intact} checked={report.checked} first_bad={report.first_bad or ''}",
    )
    return report


async def head_witness(deps: Deps) -> Witness | None:
    """A sealed witness of how far the trail reaches now (read from its last anchor on, not from
    the start); None while it is empty."""
    async with deps.uow() as uow:
        anchors = await uow.audit.anchors()
        after = max((a.seq for a in anchors), default=0)
        last = None
        while page := await uow.audit.chain(after, CHAIN_PAGE):
            last, after = page[-1], page[-1].sealed.seq
    if last is None:
        return None
    return witness(chain_key(deps.identity_key), last.sealed.seq, last.sealed.hash, deps.clock.now())


async def verify_audit(deps: Deps, witnesses: Sequence[Witness] = ()) -> ChainReport:
    """Walk the whole chain and say whether it is intact, or which entry first is not."""
    async with deps.uow() as uow:
        anchors = await uow.audit.anchors()
        entries: list[ChainEntry] = []
        after = 0
        while True:
            page = await uow.audit.chain(after, CHAIN_PAGE)
            if not page:
                break
            entries += [ChainEntry(e.sealed, e.event.sealed_fields()) for e in page]
            after = page[-1].sealed.seq
    return verify_chain(chain_key(deps.identity_key), entries, anchors, witnesses)


def entries_csv(entries: list[AuditEntry]) -> str:
    """CSV of entries: ids, roles, categories, purposes, references and times; nothing typed."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "seq",
            "at_utc",
            "actor",
            "roles",
            "category",
            "event",
            "case_reference",
            "subject",
            "purpose",
            "recipient",
            "detail",
        ]
    )
    for entry in entries:
        e = entry.event
        writer.writerow(
            [
                entry.sealed.seq,
                e.at.isoformat(),
                e.actor_id,
                e.roles,
                e.category.value,
                e.event,
                e.case_reference,
                e.subject_id,
                e.purpose,
                e.recipient,
                e.detail,
            ]
        )
    return out.getvalue()


async def _require_reader(deps: Deps, actor: Actor, event: str) -> None:
    if actor.on_roster and actor.may(Permission.READ_AUDIT):
        return
    await record_access(
        deps,
        actor,
        f"{event}.refused",
        AuditCategory.CONSULTATION,
        AuditPurpose.BREACH_REVIEW,
        subject_id="audit",
    )
    actor.require(Permission.READ_AUDIT)  # strangers get the roster message
    raise NotPermitted("Only information security can read the audit trail.")


async def _search(deps: Deps, wanted: AuditFilter, limit: int) -> list[AuditEntry]:
    if wanted.since and wanted.until and wanted.until < wanted.since:
        raise ValidationFailed("The end date is before the start date.")
    subjects: tuple[str, ...] = ()
    async with deps.uow() as uow:
        if wanted.case_reference:
            try:
                subjects = ((await uow.cases.by_reference(wanted.case_reference)).case_id,)
            except NotFound:
                subjects = ()  # erased, or never existed: its reference alone still finds its entries
        query = AuditQuery(
            subject_ids=subjects,
            case_reference=wanted.case_reference,
            actor_id=wanted.actor_id,
            since=london_to_utc(wanted.since, MIDNIGHT) if wanted.since else None,
            until=london_to_utc(wanted.until + timedelta(days=1), MIDNIGHT) if wanted.until else None,
            before_seq=wanted.before_seq,
            limit=limit,
        )
        return await uow.audit.search(query)
