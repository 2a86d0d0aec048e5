"""How the force assures itself: audits of the cases to audit (live, or closed in the last twelve
months), and what is missing from the open cases' recorded facts."""

from __future__ import annotations

import csv
import io
import random
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from panel.actions import OwnerRole
from panel.agenda import SlotKind
from panel.audit import AuditCategory, AuditPurpose
from panel.audit_list import check_audit_day, may_be_listed_since, to_audit
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
from panel.case_facts import CriminalStatus
from panel.errors import NotOnRoster, NotPermitted, ValidationFailed
from panel.learning import LearningAction
from panel.ports import Notice, NoticeKind, UnitOfWork
from panel.recording_gaps import GapTally, RecordingGaps, gaps_csv_rows
from panel.roles import ROLE_WORDS, Actor, Permission, Role
from panel.usecases.access import record_access
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once
from panel.usecases.live import heard_now, the_case_heard

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
        async for cases in uow.cases.pages(closed_since=may_be_listed_since(deps.clock.now())):
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
        audit, notices = await _keep(deps, uow, actor, case, on, chosen, role, AuditKind.AUDIT)
        await uow.commit()
    for notice in notices:
        await deps.notifier.send(notice)
    return audit


# Who records a closed-case review for the panel, in the order a role is named on it.
REVIEW_ROLES = (Role.CHAIR, Role.DEPUTY_CHAIR, Role.ADMINISTRATOR)


async def record_review(
    deps: Deps,
    actor: Actor,
    reference: str,
    chosen: Mapping[AuditArea, AuditAction],
    request_key: str | None = None,
) -> CaseAudit:
    """The panel's findings on a closed case it is reviewing now (a closed-case review slot), as
    an audit of its own kind; the case stays closed unless the panel reopens it."""
    actor.require(Permission.RECORD_ACTION)
    role = next(r for r in REVIEW_ROLES if r in actor.roles)
    heard = await heard_now(deps)
    refusal = f"Case {reference} is not being reviewed now: a review's findings are recorded in its slot."
    if heard is not None and heard[1].kind is not SlotKind.CLOSED_REVIEW:
        heard = None  # a case heard in an ordinary slot is not under review
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await the_case_heard(uow, actor, reference, heard, refusal)
        audit, notices = await _keep(
            deps, uow, actor, case, deps.today(), chosen, role, AuditKind.CLOSED_CASE_REVIEW
        )
        await uow.commit()
    for notice in notices:
        await deps.notifier.send(notice)
    return audit


async def _keep(
    deps: Deps,
    uow: UnitOfWork,
    actor: Actor,
    case: Case,
    on: date,
    chosen: Mapping[AuditArea, AuditAction],
    role: Role,
    kind: AuditKind,
) -> tuple[CaseAudit, list[Notice]]:
    """Stage an audit or review on the case, its learning actions, and the notices it calls for."""
    findings = list(findings_from(chosen, has_soo=case.soo_id is not None))
    wanted = any(f.action is AuditAction.LEARNING_ACTION for f in findings)
    learning = len(await uow.learning.all()) if wanted else 0
    what = "a case audit" if kind is AuditKind.AUDIT else "a closed-case review"
    for n, finding in enumerate(findings):
        if finding.action is AuditAction.LEARNING_ACTION:
            learning += 1
            action_id = f"L{learning}"
            uow.learning.add(
                LearningAction(
                    action_id,
                    f"Learning from {what}: {AREA_WORDS[finding.area].lower()}",
                    OwnerRole.ORGANISATIONAL_LEARNING,
                    deps.today() + LEARNING_DUE,
                    None,
                    actor.actor_id,
                    deps.clock.now(),
                )
            )
            findings[n] = AuditFinding(finding.area, finding.action, action_id)
    audit = CaseAudit(on, role, actor.actor_id, tuple(findings), kind)
    case.audits.append(audit)
    uow.cases.save(case)
    areas = ",".join(f"{f.area.value}:{f.action.value}" for f in findings) or "no_concerns"
    event = "case.audited" if kind is AuditKind.AUDIT else "case.reviewed_closed"
    deps.audit(uow, actor, event, case.case_id, areas, case=case)
    return audit, await _notices(uow, case, audit, actor)


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


# --- choosing closed cases to review -------------------------------------------------------------


class SampleRule(StrEnum):
    """How closed cases are chosen for review, each rule said in words with its result."""

    NFA = "nfa"  # every case whose criminal investigation ended in no further action
    RANDOM = "random"  # a fraction at random, from a seed the coordinator sees and can give again


@dataclass(frozen=True)
class Sample:
    """The closed cases a rule chose, and the rule in words, so the choice can be shown and repeated."""

    references: tuple[str, ...]
    rule: str


async def sample_closed(
    deps: Deps, actor: Actor, rule: SampleRule, percent: int = 10, seed: int | None = None
) -> Sample:
    """Choose closed cases (closed in the last twelve months) for closed-case review slots."""
    actor.require(Permission.MANAGE_AGENDA)
    if not 1 <= percent <= 100:
        raise ValidationFailed("Choose a share from 1 to 100 per cent.")
    today = deps.today()
    closed: list[Case] = []
    async with deps.uow() as uow:
        async for cases in uow.cases.pages(closed_since=may_be_listed_since(deps.clock.now())):
            closed += [
                c
                for c in cases
                if c.status is CaseStatus.CLOSED and to_audit(c, today) and not c.conflicted(actor.actor_id)
            ]
    closed.sort(key=lambda c: c.reference)
    if rule is SampleRule.NFA:
        chosen = [c for c in closed if c.facts.facts.criminal_status is CriminalStatus.NO_FURTHER_ACTION]
        words = (
            f"every case closed in the last twelve months whose criminal investigation ended in no further "
            f"action: {len(chosen)} of {len(closed)}"
        )
    else:
        seed = secrets.randbelow(10_000) if seed is None else seed
        count = max(1, round(len(closed) * percent / 100)) if closed else 0
        chosen = random.Random(seed).sample(closed, count)  # noqa: S311 - a sample, not a secret
        words = (
            f"{percent}% at random (seed {seed}) of the {len(closed)} case{'s' if len(closed) != 1 else ''} "
            "closed in the last twelve months"
        )
    references = tuple(sorted(c.reference for c in chosen))
    await record_access(
        deps,
        actor,
        "assurance.closed_sampled",
        AuditCategory.CONSULTATION,
        AuditPurpose.CASE_MANAGEMENT,
        references=references,
        detail=rule.value,
    )
    return Sample(references, words)
