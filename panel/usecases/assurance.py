"""How the force assures itself: audits of the cases to audit (live, or closed in the last twelve
months), and what is missing from the open cases' recorded facts."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from panel.actions import OwnerRole
from panel.audit import AuditCategory, AuditPurpose
from panel.audit_list import check_audit_day, to_audit
from panel.case import Case, CaseStatus
from panel.case_audit import (
    AREA_WORDS,
    AuditAction,
    AuditArea,
    AuditFinding,
    AuditKind,
    CaseAudit,
    findings_from,
)
from panel.errors import NotOnRoster, NotPermitted, ValidationFailed
from panel.learning import LearningAction
from panel.ports import Notice, NoticeKind, UnitOfWork
from panel.recording_gaps import GapTally, RecordingGaps, gaps_csv_rows
from panel.roles import ROLE_WORDS, Actor, Permission, Role
from panel.usecases.access import record_access
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once

# A learning action made from an audit finding is due this long after the audit.
LEARNING_DUE = timedelta(days=28)


@dataclass(frozen=True)
class ToAudit:
    """A case on the list, by reference only: whether and when it was last audited."""

    reference: str
    closed: bool
    audits: int
    last_audited: date | None
    last_had_concerns: bool


@dataclass(frozen=True)
class AuditList:
    """The cases to audit today, never audited first, then the longest since their last audit."""

    cases: tuple[ToAudit, ...]
    withheld: int  # cases the person declared a conflict for: left off their list


def require_auditor(deps: Deps, actor: Actor) -> Role:
    """The role in which this person audits cases (the force names which roles may), or refuse."""
    if not actor.on_roster:
        raise NotOnRoster("You are not on this panel's roster. Ask the case coordinator to add you.")
    for role in Role:
        if role in deps.config.audit_roles and role in actor.roles:
            return role
    names = [ROLE_WORDS[r] for r in Role if r in deps.config.audit_roles]
    said = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    raise NotPermitted(f"Only {said} can audit cases.")


async def cases_to_audit(deps: Deps, actor: Actor) -> AuditList:
    """The list of cases to audit, as this person may see it."""
    require_auditor(deps, actor)
    today = deps.today()
    listed: list[ToAudit] = []
    withheld = 0
    async with deps.uow() as uow:
        async for cases in uow.cases.pages():
            for case in cases:
                if not to_audit(case, today):
                    continue
                if case.conflicted(actor.actor_id):
                    withheld += 1
                    continue
                last = case.audits[-1] if case.audits else None
                listed.append(
                    ToAudit(
                        case.reference,
                        case.status is CaseStatus.CLOSED,
                        len(case.audits),
                        last.on if last else None,
                        bool(last and last.concerns),
                    )
                )
    listed.sort(key=lambda c: (c.last_audited is not None, c.last_audited or date.min, c.reference))
    return AuditList(tuple(listed), withheld)


async def case_for_audit(deps: Deps, actor: Actor, reference: str) -> Case:
    """A case on the list, for its audit form (with its earlier audits)."""
    require_auditor(deps, actor)
    async with deps.uow() as uow:
        return await _listed_case(uow, actor, reference, deps.today())


async def record_audit(
    deps: Deps,
    actor: Actor,
    reference: str,
    on: date,
    chosen: Mapping[AuditArea, AuditAction],
    request_key: str | None = None,
) -> CaseAudit:
    """Record an audit of a case on the list: its findings by area and what was done about each
    (no finding: no concerns). A finding whose action is a learning action gets one, linked; one
    referred to the chair or returned to the SOO tells them, by the case's reference and the area."""
    role = require_auditor(deps, actor)
    today = deps.today()
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await _listed_case(uow, actor, reference, today)
        check_audit_day(case, on, today)
        findings = list(findings_from(chosen, has_soo=case.soo_id is not None))
        learning = (
            len(await uow.learning.all())
            if any(f.action is AuditAction.LEARNING_ACTION for f in findings)
            else 0
        )
        for n, finding in enumerate(findings):
            if finding.action is AuditAction.LEARNING_ACTION:
                learning += 1
                action_id = f"L{learning}"
                uow.learning.add(
                    LearningAction(
                        action_id,
                        f"Learning from a case audit: {AREA_WORDS[finding.area].lower()}",
                        OwnerRole.ORGANISATIONAL_LEARNING,
                        today + LEARNING_DUE,
                        None,
                        actor.actor_id,
                        deps.clock.now(),
                    )
                )
                findings[n] = AuditFinding(finding.area, finding.action, action_id)
        audit = CaseAudit(on, role, actor.actor_id, tuple(findings), AuditKind.AUDIT)
        case.audits.append(audit)
        uow.cases.save(case)
        areas = ",".join(f"{f.area.value}:{f.action.value}" for f in findings) or "no_concerns"
        deps.audit(uow, actor, "case.audited", case.case_id, areas, case=case)
        notices = await _notices(uow, case, audit, actor)
        await uow.commit()
    for notice in notices:
        await deps.notifier.send(notice)
    return audit


async def _listed_case(uow: UnitOfWork, actor: Actor, reference: str, today: date) -> Case:
    case = await uow.cases.by_reference(reference)
    require_no_conflict(actor, case)
    if not to_audit(case, today):
        raise ValidationFailed(
            f"Case {reference} is not on the list of cases to audit: it closed more than twelve months ago "
            "(the panel can still review it in a closed-case review slot)."
        )
    return case


async def _notices(uow: UnitOfWork, case: Case, audit: CaseAudit, actor: Actor) -> list[Notice]:
    """Who an audit's findings go to: the chairs for those referred, the case's SOO for those
    returned; never the auditor themself, never anyone conflicted."""
    notices: list[Notice] = []
    referred = [f for f in audit.findings if f.action is AuditAction.REFERRED_TO_CHAIR]
    returned = [f for f in audit.findings if f.action is AuditAction.RETURNED_TO_SOO]
    if referred:
        areas = (("Areas", "; ".join(AREA_WORDS[f.area] for f in referred)),)
        for member in await uow.roster.all():
            if (
                member.active
                and Role.CHAIR in member.roles
                and member.aad_object_id != actor.actor_id
                and not case.conflicted(member.aad_object_id)
            ):
                notices.append(Notice(NoticeKind.AUDIT_REFERRED, member.aad_object_id, case.reference, areas))
    if returned and case.soo_id and case.soo_id != actor.actor_id and not case.conflicted(case.soo_id):
        areas = (("Areas", "; ".join(AREA_WORDS[f.area] for f in returned)),)
        notices.append(Notice(NoticeKind.AUDIT_RETURNED, case.soo_id, case.reference, areas))
    return notices


# --- what is missing -----------------------------------------------------------------------------


async def recording_gaps(deps: Deps, actor: Actor) -> RecordingGaps:
    """For each fact, how many of the open cases have it recorded and which do not; the early
    warnings by kind. The coordinator's alone: it names cases by reference."""
    actor.require(Permission.CHECK_RECORDING)
    tally = GapTally(deps.today(), deps.config.confidence)
    withheld = 0
    async with deps.uow() as uow:
        # Closed cases are not read at all: only those still open now.
        async for cases in uow.cases.pages(closed_since=deps.clock.now()):
            live = [c for c in cases if c.status is not CaseStatus.CLOSED]
            withheld += sum(1 for c in live if c.conflicted(actor.actor_id))
            tally.add(c for c in live if not c.conflicted(actor.actor_id))
    return tally.gaps(withheld)


async def export_recording_gaps(deps: Deps, actor: Actor) -> tuple[str, str]:
    """The gaps as CSV, recorded as a disclosure (it leaves the bot with references in it)."""
    gaps = await recording_gaps(deps, actor)
    await record_access(
        deps,
        actor,
        "assurance.gaps_exported",
        AuditCategory.DISCLOSURE,
        AuditPurpose.CASE_MANAGEMENT,
        subject_id="recording_gaps",
        recipient=actor.actor_id,
        detail=f"{gaps.open_cases} open cases"
        + (f"; {gaps.withheld} withheld (conflict)" if gaps.withheld else ""),
    )
    out = io.StringIO()
    csv.writer(out).writerows(gaps_csv_rows(gaps))
    return f"panel-recording-gaps-{deps.today()}.csv", out.getvalue()
