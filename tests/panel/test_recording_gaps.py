"""What is missing from the open cases' facts: a fact counts only where it applies, the kinds of
abuse count as one, closed cases and a declared conflict's case are left out, the coordinator alone
reads it, and its CSV leaves a disclosure in the trail; on both stores."""

from __future__ import annotations

import pytest

from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
from panel.case import CaseStatus, StatusChange
from panel.case_facts import MisconductStatus, RiskLevel
from panel.errors import NotPermitted
from panel.ports import AuditQuery
from panel.recording_gaps import ABUSE
from panel.usecases import assurance, case_life, conflicts
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.panel.helpers import new_case


async def test_a_fact_is_missing_only_where_it_applies(deps: Deps) -> None:
    first, second, third = [await new_case(deps, SOO_ONE) for _ in range(3)]
    coordinator = actor(COORDINATOR)
    await case_life.record_facts(
        deps,
        coordinator,
        first.reference,
        {"risk_level": RiskLevel.HIGH, "misconduct_status": MisconductStatus.OUTCOME, "abuse_stalking": True},
    )
    await case_life.record_facts(
        deps, coordinator, second.reference, {"misconduct_status": MisconductStatus.ASSESSING}
    )
    gaps = {g.name: g for g in (await assurance.recording_gaps(deps, coordinator)).gaps}
    assert gaps["risk_level"].recorded == 1
    assert set(gaps["risk_level"].lacking) == {second.reference, third.reference}
    # Who assessed the risk applies once there is a risk recorded; an outcome once the process has one.
    assert gaps["risk_assessed_by"].lacking == (first.reference,)
    assert (
        gaps["misconduct_outcome"].lacking == (first.reference,)
        and gaps["misconduct_outcome"].applies_to == 1
    )
    # The kinds of abuse are one fact: any ticked.
    assert gaps[ABUSE].recorded == 1 and len(gaps[ABUSE].lacking) == 2
    # A date of something that may never happen is not a gap at all.
    assert "marac_referred" not in gaps and "abuse_stalking" not in gaps
    ordered = list((await assurance.recording_gaps(deps, coordinator)).gaps)
    shares = [g.share for g in ordered if g.applies_to]
    assert shares == sorted(shares)  # least recorded first


async def test_closed_cases_and_a_declared_conflict_are_left_out(deps: Deps) -> None:
    open_case, closed, declared = [await new_case(deps, SOO_ONE) for _ in range(3)]
    async with deps.uow() as uow:
        stored = await uow.cases.get(closed.case_id)
        stored.status = CaseStatus.CLOSED
        stored.history.append(StatusChange(CaseStatus.CLOSED, "soo", deps.clock.now()))
        uow.cases.save(stored)
        await uow.commit()
    await conflicts.declare_conflict(deps, actor(COORDINATOR), declared.reference)
    gaps = await assurance.recording_gaps(deps, actor(COORDINATOR))
    assert gaps.open_cases == 1 and gaps.withheld == 1
    everyone_lacking = {ref for g in gaps.gaps for ref in g.lacking}
    assert everyone_lacking == {open_case.reference}
    assert dict(gaps.warnings)  # the early warnings by kind, for the open case


async def test_only_the_coordinator_reads_the_gaps_and_the_csv_is_a_disclosure(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    for person in (CHAIR, SOO_ONE):
        with pytest.raises(NotPermitted):
            await assurance.recording_gaps(deps, actor(person))
    name, content = await assurance.export_recording_gaps(deps, actor(COORDINATOR))
    assert name.endswith(".csv") and case.reference in content
    assert (
        content.splitlines()[0] == "fact,recorded in,open cases it applies to,share recorded,cases lacking it"
    )
    async with deps.uow() as uow:
        trail = await uow.audit.search(AuditQuery(limit=200))
    exported = [e for e in trail if e.event.event == "assurance.gaps_exported"]
    assert len(exported) == 1 and exported[0].event.recipient == COORDINATOR.aad_object_id
