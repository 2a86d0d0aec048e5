"""The force audits its own cases: which cases are on the list, what an audit records and what it
sets moving, who may, and what the outputs report counts of it; on both stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, DEPUTY, SOO_ONE
from panel.audit_counts import AUDITS_DONE, AUDITS_WITH_FINDINGS, BY_ACTION, BY_AREA, CLOSED_REVIEWS
from panel.case import Case, CaseStatus, StatusChange
from panel.case_audit import AuditAction, AuditArea, finding_lines
from panel.errors import NotFound, NotPermitted, ValidationFailed
from panel.handed_on import handed_on
from panel.ports import AuditQuery, NoticeKind
from panel.report import Period, outputs_report
from panel.roles import Role
from panel.usecases import assurance, conflicts
from panel.usecases.deps import Deps
from tests.conftest import RecordingNotifier, actor
from tests.panel.helpers import new_case


async def _closed(deps: Deps, case: Case, days_ago: int) -> None:
    async with deps.uow() as uow:
        stored = await uow.cases.get(case.case_id)
        stored.status = CaseStatus.CLOSED
        at = deps.clock.now() - timedelta(days=days_ago)
        stored.history.append(StatusChange(CaseStatus.CLOSED, "soo", at))
        uow.cases.save(stored)
        await uow.commit()


async def _stored(deps: Deps, case: Case) -> Case:
    async with deps.uow() as uow:
        return await uow.cases.get(case.case_id)


async def test_an_audit_records_its_findings_and_sets_each_action_moving(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    case = await new_case(deps, SOO_ONE)
    notifier.sent.clear()
    audit = await assurance.record_audit(
        deps,
        actor(COORDINATOR),
        case.reference,
        deps.today(),
        {
            AuditArea.RISK: AuditAction.REFERRED_TO_CHAIR,
            AuditArea.VICTIM_UPDATES: AuditAction.RETURNED_TO_SOO,
            AuditArea.SUPPORT: AuditAction.LEARNING_ACTION,
            AuditArea.RECORDING: AuditAction.NONE_NEEDED,
        },
    )
    assert audit.by_role is Role.COORDINATOR
    assert [f.area for f in audit.findings] == [
        AuditArea.RECORDING,
        AuditArea.RISK,
        AuditArea.VICTIM_UPDATES,
        AuditArea.SUPPORT,
    ]
    support = audit.findings[-1]
    assert support.learning_id == "L1"
    async with deps.uow() as uow:
        (learning,) = await uow.learning.all()
        trail = await uow.audit.search(AuditQuery(subject_ids=(case.case_id,), limit=50))
    assert learning.action_id == "L1" and "support" in learning.text
    assert (await _stored(deps, case)).audits == [audit]
    # The chair hears of the referral, the SOO of what was returned: by reference and area only.
    told = {(n.kind, n.recipient_id) for n in notifier.sent}
    assert (NoticeKind.AUDIT_REFERRED, CHAIR.aad_object_id) in told
    assert (NoticeKind.AUDIT_RETURNED, SOO_ONE.aad_object_id) in told
    assert all(n.case_reference == case.reference for n in notifier.sent)
    returned = next(n for n in notifier.sent if n.kind is NoticeKind.AUDIT_RETURNED)
    assert returned.facts == (("Areas", "Victim updates and the Victims' Code"),)
    audited = [e for e in trail if e.event.event == "case.audited"]
    assert len(audited) == 1 and "risk_assessment:referred_to_chair" in audited[0].event.detail
    assert "Support: learning action created (L1)" in finding_lines(audit)


async def test_an_audit_with_nothing_found_says_no_concerns_and_tells_nobody(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    case = await new_case(deps, SOO_ONE)
    notifier.sent.clear()
    audit = await assurance.record_audit(deps, actor(CHAIR), case.reference, deps.today(), {})
    assert audit.by_role is Role.CHAIR and not audit.concerns
    assert finding_lines(audit) == ("No concerns",)
    assert notifier.sent == []


async def test_the_list_holds_live_cases_and_those_closed_in_the_last_twelve_months(deps: Deps) -> None:
    live, recent, old = [await new_case(deps, SOO_ONE) for _ in range(3)]
    await _closed(deps, recent, 200)
    await _closed(deps, old, 400)
    listed = await assurance.cases_to_audit(deps, actor(COORDINATOR))
    references = {c.reference for c in listed.cases}
    assert {live.reference, recent.reference} <= references and old.reference not in references
    with pytest.raises(ValidationFailed, match="not on the list of cases to audit"):
        await assurance.record_audit(deps, actor(COORDINATOR), old.reference, deps.today(), {})
    assert (await _stored(deps, old)).audits == []
    # Never audited first; an audited case goes to the back.
    await assurance.record_audit(deps, actor(COORDINATOR), live.reference, deps.today(), {})
    again = await assurance.cases_to_audit(deps, actor(COORDINATOR))
    assert again.cases[-1].reference == live.reference and again.cases[-1].audits == 1


async def test_a_refused_audit_says_why_and_stores_nothing(deps: Deps, notifier: RecordingNotifier) -> None:
    case = await new_case(deps, SOO_ONE)
    orphan = await new_case(deps, None)
    coordinator = actor(COORDINATOR)
    with pytest.raises(ValidationFailed, match="future"):
        await assurance.record_audit(deps, coordinator, case.reference, deps.today() + timedelta(days=1), {})
    with pytest.raises(ValidationFailed, match="cannot come before it"):
        await assurance.record_audit(deps, coordinator, case.reference, case.received - timedelta(days=1), {})
    with pytest.raises(ValidationFailed, match="no SOO"):
        await assurance.record_audit(
            deps, coordinator, orphan.reference, deps.today(), {AuditArea.RISK: AuditAction.RETURNED_TO_SOO}
        )
    with pytest.raises(NotFound):
        await assurance.record_audit(deps, coordinator, "ZZZ-ZZZ", deps.today(), {})
    assert (await _stored(deps, case)).audits == [] and (await _stored(deps, orphan)).audits == []
    async with deps.uow() as uow:
        assert await uow.learning.all() == []


async def test_only_the_roles_the_force_names_may_audit(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    for person in (ADMINISTRATOR, DEPUTY, SOO_ONE):
        with pytest.raises(NotPermitted, match="Only the chair or the case coordinator can audit cases"):
            await assurance.record_audit(deps, actor(person), case.reference, deps.today(), {})
    deputy_audits = replace(deps, config=replace(deps.config, audit_roles=frozenset({Role.DEPUTY_CHAIR})))
    audit = await assurance.record_audit(deputy_audits, actor(DEPUTY), case.reference, deps.today(), {})
    assert audit.by_role is Role.DEPUTY_CHAIR
    with pytest.raises(NotPermitted, match="Only the deputy chair can audit cases"):
        await assurance.cases_to_audit(deputy_audits, actor(COORDINATOR))


async def test_a_case_the_auditor_declared_a_conflict_for_is_off_their_list(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    await conflicts.declare_conflict(deps, actor(CHAIR), case.reference)
    listed = await assurance.cases_to_audit(deps, actor(CHAIR))
    assert case.reference not in {c.reference for c in listed.cases} and listed.withheld == 1
    with pytest.raises(NotPermitted, match="conflict of interest"):
        await assurance.record_audit(deps, actor(CHAIR), case.reference, deps.today(), {})
    # The chair who declared is not told of the coordinator's referral either.
    audit = await assurance.record_audit(
        deps,
        actor(COORDINATOR),
        case.reference,
        deps.today(),
        {AuditArea.RISK: AuditAction.REFERRED_TO_CHAIR},
    )
    assert audit.concerns


async def test_the_outputs_report_counts_audits_findings_and_actions(deps: Deps) -> None:
    cases = [await new_case(deps, SOO_ONE) for _ in range(6)]
    for n, case in enumerate(cases):
        chosen = {AuditArea.RISK: AuditAction.REFERRED_TO_CHAIR} if n < 2 else {}
        if n == 0:
            chosen[AuditArea.SUPPORT] = AuditAction.LEARNING_ACTION
        await assurance.record_audit(deps, actor(COORDINATOR), case.reference, deps.today(), chosen)
    async with deps.uow() as uow:
        stored = [await uow.cases.get(c.case_id) for c in cases]
    period = Period(deps.today() - timedelta(days=30), deps.today())
    report = outputs_report(stored, [], [], period, deps.config.confidence)
    assert report.figure(AUDITS_DONE) == 6 and report.figure(AUDITS_WITH_FINDINGS) == 2
    assert report.figure(CLOSED_REVIEWS) == 0
    breakdowns = {b.title: dict(b.counts) for b in report.breakdowns}
    assert breakdowns[BY_AREA] == {"Risk assessment": 2, "Support": 1}
    assert breakdowns[BY_ACTION] == {"Referred to the chair": 2, "Learning action created": 1}
    # Handed on, two audits with findings among six is a small number: hidden, and so is the whole
    # it is part of (the rest would give it away).
    safe = handed_on(report, (), 5)
    assert safe.figures[AUDITS_WITH_FINDINGS].hidden and safe.figures[AUDITS_DONE].hidden
    # An audit outside the period does not count in it.
    earlier = Period(deps.today() - timedelta(days=90), deps.today() - timedelta(days=31))
    assert outputs_report(stored, [], [], earlier, deps.config.confidence).figure(AUDITS_DONE) == 0


def test_an_audit_holds_choices_only() -> None:
    from dataclasses import fields

    from panel.case_audit import AuditFinding, CaseAudit

    # The only strings an audit keeps are the auditor's id (for the trail) and a learning action's id:
    # nothing anyone types, so nothing that can carry a name.
    assert {f.name for f in fields(CaseAudit) if "str" in str(f.type)} == {"by"}
    assert {f.name for f in fields(AuditFinding) if "str" in str(f.type)} == {"learning_id"}


async def test_an_audit_late_in_a_case_s_twelve_months_counts_in_its_period(deps: Deps) -> None:
    from panel.report import counts_from

    case = await new_case(deps, SOO_ONE)
    await _closed(deps, case, 360)  # closed almost a year ago: still on the list, audited today
    audited_on = deps.today()
    await assurance.record_audit(deps, actor(COORDINATOR), case.reference, audited_on, {})
    deps.clock.advance(timedelta(days=120))  # type: ignore[attr-defined]
    # The quarter the audit was done in, reported on later: the case closed long before it began.
    quarter = Period(audited_on, audited_on + timedelta(days=89))
    closed_on = (await _stored(deps, case)).closed_at
    assert closed_on is not None and closed_on.date() >= counts_from(quarter)  # the report reads it
    async with deps.uow() as uow:
        stored = [c async for page in uow.cases.pages(closed_since=closed_on) for c in page]
    report = outputs_report(stored, [], [], quarter, deps.config.confidence)
    assert report.figure(AUDITS_DONE) == 1
    assert AUDITS_DONE not in dict(report.previous)  # given for the period alone
