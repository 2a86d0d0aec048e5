"""Closed-case review: a closed case brought back on a sitting in a slot of its own kind, reviewed
by the panel with findings like an audit's, and still closed afterwards; chosen by hand or by a
documented sample; on both stores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, MEMBER, SOO_ONE
from panel.actions import OwnerRole
from panel.agenda import SlotKind
from panel.audit_counts import AUDITS_DONE, CLOSED_REVIEWS
from panel.case import Case, CaseStatus, StatusChange
from panel.case_audit import AuditAction, AuditArea, AuditKind
from panel.case_facts import CriminalStatus
from panel.errors import InvalidTransition, NotPermitted, ValidationFailed
from panel.proposals import ProposalKind
from panel.report import Period, outputs_report
from panel.usecases import agenda, assurance, case_life, live, proposals
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.panel.helpers import new_case, new_sitting


async def _close(deps: Deps, case: Case, days_ago: int = 30) -> None:
    async with deps.uow() as uow:
        stored = await uow.cases.get(case.case_id)
        stored.status = CaseStatus.CLOSED
        stored.history.append(
            StatusChange(CaseStatus.CLOSED, "soo", deps.clock.now() - timedelta(days=days_ago))
        )
        uow.cases.save(stored)
        await uow.commit()


async def _status(deps: Deps, case: Case) -> CaseStatus:
    async with deps.uow() as uow:
        return (await uow.cases.get(case.case_id)).status


async def test_a_closed_case_is_reviewed_in_its_own_slot_and_stays_closed(deps: Deps) -> None:
    closed, live_case = await new_case(deps, SOO_ONE), await new_case(deps, SOO_ONE)
    await _close(deps, closed)
    sitting = await new_sitting(deps)
    coordinator = actor(COORDINATOR)
    with pytest.raises(InvalidTransition, match="List it as a closed-case review"):
        await agenda.list_case(deps, coordinator, sitting.sitting_id, closed.reference, SlotKind.UPDATE)
    with pytest.raises(ValidationFailed, match="not closed"):
        await agenda.list_case(
            deps, coordinator, sitting.sitting_id, live_case.reference, SlotKind.CLOSED_REVIEW
        )
    listed = await agenda.list_case(
        deps, coordinator, sitting.sitting_id, closed.reference, SlotKind.CLOSED_REVIEW
    )
    (slot,) = listed.sitting.slots
    assert slot.kind is SlotKind.CLOSED_REVIEW and slot.minutes == 15
    assert await _status(deps, closed) is CaseStatus.CLOSED

    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id, "chat")
    await live.next_case(deps, chair, sitting.sitting_id)
    # Members propose directions and themes for the review, never an action on the closed case.
    with pytest.raises(InvalidTransition, match="closed and being reviewed"):
        await proposals.propose(
            deps,
            actor(MEMBER),
            closed.reference,
            proposals.ProposalForm(ProposalKind.ACTION, "Re-interview the witness", OwnerRole.SOO),
        )
    theme = proposals.ProposalForm(ProposalKind.THEME, theme_code="delayed_victim_updates")
    themed = await proposals.propose(deps, actor(MEMBER), closed.reference, theme)
    async with deps.uow() as uow:
        reviewed = await uow.cases.get(closed.case_id)
    assert [p.proposal_id for p in reviewed.proposals] == [themed.proposal_id]
    review = await assurance.record_review(
        deps, actor(ADMINISTRATOR), closed.reference, {AuditArea.RISK: AuditAction.LEARNING_ACTION}
    )
    assert review.kind is AuditKind.CLOSED_CASE_REVIEW and review.findings[0].learning_id == "L1"
    await live.end_sitting(deps, chair, sitting.sitting_id)
    async with deps.uow() as uow:
        stored = await uow.cases.get(closed.case_id)
    assert stored.status is CaseStatus.CLOSED and stored.hearings[-1].slot_kind == "closed_review"
    report = outputs_report(
        [stored], [], [], Period(deps.today() - timedelta(days=30), deps.today()), deps.config.confidence
    )
    assert report.figure(CLOSED_REVIEWS) == 1 and report.figure(AUDITS_DONE) == 0
    # The panel can still reopen it (the existing rule), and only then is it open again.
    await case_life.reopen(deps, coordinator, closed.reference, "New information from the review")
    assert await _status(deps, closed) is not CaseStatus.CLOSED


async def test_review_findings_only_in_a_review_slot_and_taking_it_off_leaves_it_closed(deps: Deps) -> None:
    closed = await new_case(deps, SOO_ONE)
    await _close(deps, closed)
    with pytest.raises(ValidationFailed, match="not being reviewed now"):
        await assurance.record_review(deps, actor(CHAIR), closed.reference, {})
    sitting = await new_sitting(deps)
    listed = await agenda.list_case(
        deps, actor(COORDINATOR), sitting.sitting_id, closed.reference, SlotKind.CLOSED_REVIEW
    )
    await agenda.remove_slot(deps, actor(COORDINATOR), sitting.sitting_id, listed.sitting.slots[0].slot_id)
    assert await _status(deps, closed) is CaseStatus.CLOSED


async def test_a_sample_is_documented_and_can_be_repeated(deps: Deps) -> None:
    cases = [await new_case(deps, SOO_ONE) for _ in range(6)]
    await case_life.record_facts(
        deps, actor(COORDINATOR), cases[0].reference, {"criminal_status": CriminalStatus.NO_FURTHER_ACTION}
    )
    for case in cases[:5]:
        await _close(deps, case)
    await _close(deps, cases[5], days_ago=400)  # closed too long ago to be sampled
    nfa = await assurance.sample_closed(deps, actor(COORDINATOR), assurance.SampleRule.NFA)
    assert nfa.references == (cases[0].reference,) and "1 of 5" in nfa.rule
    first = await assurance.sample_closed(
        deps, actor(COORDINATOR), assurance.SampleRule.RANDOM, 40, seed=4711
    )
    again = await assurance.sample_closed(
        deps, actor(COORDINATOR), assurance.SampleRule.RANDOM, 40, seed=4711
    )
    assert first == again and len(first.references) == 2 and "seed 4711" in first.rule
    assert cases[5].reference not in first.references
    with pytest.raises(NotPermitted):
        await assurance.sample_closed(deps, actor(SOO_ONE), assurance.SampleRule.NFA)


async def test_a_case_closed_earlier_on_the_day_a_year_ago_is_still_sampled(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    async with deps.uow() as uow:  # closed a year ago today, an hour earlier in the day than now
        stored = await uow.cases.get(case.case_id)
        stored.status = CaseStatus.CLOSED
        stored.history.append(
            StatusChange(CaseStatus.CLOSED, "soo", deps.clock.now() - timedelta(days=365, hours=1))
        )
        uow.cases.save(stored)
        await uow.commit()
    listed = await assurance.cases_to_audit(deps, actor(COORDINATOR))
    assert case.reference in {c.reference for c in listed.cases}  # on the list, by its London day
    sample = await assurance.sample_closed(deps, actor(COORDINATOR), assurance.SampleRule.RANDOM, 100, seed=1)
    assert case.reference in sample.references  # so a sample from the list can choose it
