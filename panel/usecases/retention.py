"""Retention and erasure by policy: closed cases are erased, with everything attached, once the
force's retention period has passed (unless the coordinator holds one for a review), and the audit
trail's oldest entries once theirs has. Each erasure leaves an entry with metadata only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from panel.actions import validate_description
from panel.audit import Anchor, AuditCategory, AuditPurpose, anchor_seal, chain_key
from panel.case import Case, CaseStatus, RetentionHold
from panel.errors import InvalidTransition, ValidationFailed
from panel.roles import Actor, Permission
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once

MAX_HOLD_REASON = 300
ERASED = "erased"
AUDIT_SLICE = 50  # entries erased per commit (a Cosmos DB batch holds 100 operations)


@dataclass(frozen=True)
class RetentionReport:
    """What a retention run erased (or, on a dry run, would erase)."""

    dry_run: bool
    erased: tuple[str, ...] = ()  # case references
    held: tuple[str, ...] = ()
    audit_entries: int = 0
    audit_through: int = 0
    kept: tuple[str, ...] = field(default_factory=tuple)  # closed but not yet due


async def hold_from_erasure(
    deps: Deps, actor: Actor, reference: str, reason: str, request_key: str | None = None
) -> Case:
    """Hold a case from erasure while it is under review (the reason passes the identity guard)."""
    actor.require(Permission.HOLD_FROM_ERASURE)
    reason = validate_description(reason, limit=MAX_HOLD_REASON, what="reason")
    async with deps.uow() as uow:
        await once(uow, request_key)
        (await deps.guard(uow)).check(reason)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        case.retention_hold = RetentionHold(reason, actor.actor_id, deps.clock.now())
        uow.cases.save(case)
        deps.audit(uow, actor, "case.held_from_erasure", case.case_id, case=case)
        await uow.commit()
    return case


async def release_hold(deps: Deps, actor: Actor, reference: str, request_key: str | None = None) -> Case:
    """Let a held case be erased again when its time comes."""
    actor.require(Permission.HOLD_FROM_ERASURE)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        if case.retention_hold is None:
            raise InvalidTransition(f"Case {reference} is not held from erasure.")
        case.retention_hold = None
        uow.cases.save(case)
        deps.audit(uow, actor, "case.hold_released", case.case_id, case=case)
        await uow.commit()
    return case


async def run_retention(deps: Deps, actor: Actor, *, dry_run: bool = False) -> RetentionReport:
    """Erase what the policy says is due; with `dry_run`, only say what that would be."""
    actor.require(Permission.RUN_RETENTION)
    policy = deps.config.retention
    now = deps.clock.now()
    case_cutoff = now - timedelta(days=round(365.25 * policy.closed_case_years))
    async with deps.uow() as uow:
        closed = await uow.cases.find(statuses=[CaseStatus.CLOSED])
    due = [c for c in closed if c.closed_at is not None and c.closed_at < case_cutoff]
    held = tuple(c.reference for c in due if c.retention_hold is not None)
    erasable = [c for c in due if c.retention_hold is None]
    kept = tuple(c.reference for c in closed if c not in due)
    audit_count, through = await _audit_due(deps, now - timedelta(days=round(365.25 * policy.audit_years)))
    if dry_run:
        return RetentionReport(True, tuple(c.reference for c in erasable), held, audit_count, through, kept)
    for case in erasable:
        await _erase_case(deps, actor, case)
    erased_entries = await _erase_audit(deps, actor, through) if through else 0
    return RetentionReport(False, tuple(c.reference for c in erasable), held, erased_entries, through, kept)


async def _erase_case(deps: Deps, actor: Actor, case: Case) -> None:
    """The case, its party-name hashes, its reminder claims, and its place on past agendas go; the
    trail keeps one entry saying so (reference, dates, counts: metadata only)."""
    async with deps.uow() as uow:
        current = await uow.cases.get(case.case_id)
        if current.status is not CaseStatus.CLOSED or current.retention_hold is not None:
            return  # reopened or held since the run began
        for sitting in await uow.sittings.find():
            touched = False
            for slot in sitting.slots:
                if slot.case_id == case.case_id:
                    slot.case_id, slot.case_reference = f"{ERASED}:{slot.slot_id}", ERASED
                    touched = True
            if touched:
                uow.sittings.save(sitting)
        # What hangs off the case goes first: its hashes name the case they belong to.
        await uow.party_names.erase_for_case(case.case_id)
        await uow.reminders.erase_for_case(case.case_id)
        uow.cases.erase(current)
        closed = current.closed_at
        detail = (
            f"closed={closed.date().isoformat() if closed else ''} hearings={len(current.hearings)} "
            f"actions={len(current.actions)}"
        )
        deps.audit(
            uow,
            actor,
            "case.erased",
            case.case_id,
            detail,
            case=current,
            category=AuditCategory.ERASURE,
            purpose=AuditPurpose.RETENTION.value,
        )
        await uow.commit()


async def _audit_due(deps: Deps, cutoff: datetime) -> tuple[int, int]:
    """How many of the oldest entries are past the audit retention period, and the last one's number."""
    count, through, after = 0, 0, 0
    async with deps.uow() as uow:
        while True:
            page = await uow.audit.chain(after, 500)
            old = [e for e in page if e.event.at < cutoff]
            count += len(old)
            if old:
                through = old[-1].sealed.seq
            if len(old) < len(page) or not page:
                return count, through
            after = page[-1].sealed.seq


async def _erase_audit(deps: Deps, actor: Actor, through: int) -> int:
    """Erase the oldest entries through `through`, a slice per commit, each leaving a sealed anchor
    so the chain still verifies, and an entry recording the erasure."""
    key = chain_key(deps.identity_key)
    erased = 0
    while True:
        async with deps.uow() as uow:
            page = [e for e in await uow.audit.chain(0, AUDIT_SLICE) if e.sealed.seq <= through]
            if not page:
                return erased
            last = page[-1]
            now = deps.clock.now()
            anchor = Anchor(
                last.sealed.seq,
                last.sealed.hash,
                now,
                "erasure",
                anchor_seal(key, last.sealed.seq, last.sealed.hash, now, "erasure"),
            )
            uow.audit.erase_through(last.sealed.seq, anchor)
            deps.audit(
                uow,
                actor,
                "audit.erased",
                "audit",
                f"first={page[0].sealed.seq} through={last.sealed.seq} count={len(page)}",
                category=AuditCategory.ERASURE,
                purpose=AuditPurpose.RETENTION.value,
            )
            await uow.commit()
            erased += len(page)


def check_policy(years: int) -> int:
    """A retention period the settings accept: 1 to 100 years."""
    if not 1 <= years <= 100:
        raise ValidationFailed("A retention period is 1 to 100 years.")
    return years


async def purge_expired_exports(deps: Deps) -> None:
    """Remove one-time downloads nobody took in time: a CSV of case facts or of the audit trail is
    not kept a minute longer than its link could be used."""
    async with deps.uow() as uow:
        uow.exports.purge(deps.clock.now())
        await uow.commit()
