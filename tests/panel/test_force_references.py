"""The force's own record references: kept as keyed hashes only, found again by the coordinator
however they are written, refused by the guard in any other text, and never stored, shown or
logged in clear; on both stores."""

from __future__ import annotations

import logging

import pytest

from cli.demo_data import CHAIR, COORDINATOR, PSD_LEAD, SOO_ONE
from panel.audit import AuditPurpose
from panel.errors import NotPermitted, ValidationFailed
from panel.force_reference import ForceRecord
from panel.ports import AuditQuery
from panel.roles import Permission
from panel.usecases import conflicts
from panel.usecases.deps import Deps
from panel.usecases.force_references import find_by_force_reference, register_force_references
from storage.store import Store
from tests.conftest import actor, everything_stored
from tests.panel.helpers import new_case

# Made up for the tests: no force issues references in these series.
PSD = "PSD/2099/0412"
CRIME = "ZZ-99-004417"


async def test_a_force_reference_finds_its_case_however_it_is_written(
    deps: Deps, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    case = await new_case(deps, SOO_ONE)
    other = await new_case(deps, SOO_ONE)
    coordinator = actor(COORDINATOR)
    assert (
        await register_force_references(
            deps, coordinator, case.reference, {ForceRecord.PSD: PSD, ForceRecord.CRIME: CRIME}
        )
        == 2
    )
    for typed in ("psd 2099 0412", "PSD20990412", " psd-2099-0412 ", "zz99004417"):
        assert (await find_by_force_reference(deps, coordinator, typed)).reference == case.reference
    assert (await find_by_force_reference(deps, coordinator, "PSD/2099/0413")).reference is None
    # Never in clear: not in the store, not in the trail, not in a log line.
    stored = await everything_stored(store)
    async with deps.uow() as uow:
        trail = await uow.audit.search(AuditQuery(limit=200))
    # Long enough that no random id or hash holds one by chance (a short run of digits can).
    for needle in ("PSD/2099", "20990412", "ZZ-99", "99004417"):
        assert needle not in stored and needle not in caplog.text
        assert not any(needle in e.event.detail for e in trail)
    found = [e for e in trail if e.event.event == "case.found_by_force_reference"]
    assert {e.event.subject_id for e in found} == {case.case_id, "force_reference"}
    assert other.reference  # a second case, never returned


async def test_whether_a_reference_is_refused_never_depends_on_its_registration(deps: Deps) -> None:
    texts = [
        f"it was {shape} I think"
        for shape in (
            "0412/26",
            "2099-0412",
            "12345678",
            "AB123456",
            "E12345/26",
            "PSD/2099/0412",
            "HRC 2099 77810",
        )
    ]
    async with deps.uow() as uow:
        before = [(await deps.guard(uow)).scan(t) for t in texts]
    case = await new_case(deps, SOO_ONE)
    for n, shape in enumerate(
        ("0412/26", "2099-0412", "12345678", "AB123456", "E12345/26", "HRC 2099 77810")
    ):
        await register_force_references(
            deps, actor(COORDINATOR), case.reference, {ForceRecord.HR: shape + str(n)}
        )
        await register_force_references(deps, actor(COORDINATOR), case.reference, {ForceRecord.CRIME: shape})
    async with deps.uow() as uow:
        after = [(await deps.guard(uow)).scan(t) for t in texts]
    assert after == before  # the same answer, registered or not
    assert all(before), [t for t, found in zip(texts, before, strict=True) if not found]  # and refused
    async with deps.uow() as uow:
        guard = await deps.guard(uow)
    for ordinary in (
        "the 2025/26 budget",
        "from 2025-2026",
        "at 10:00-11:30",
        "on 12/03/2026",
        "June 2026 100 cases",
    ):
        assert not guard.scan(ordinary), ordinary


async def test_a_bad_force_reference_is_refused_without_repeating_it_and_stores_nothing(
    deps: Deps, store: Store
) -> None:
    case = await new_case(deps, SOO_ONE)
    for typed in ("PSD", "12", "PSD-ABC-DEF", "9" * 50):
        with pytest.raises(ValidationFailed) as refused:
            await register_force_references(
                deps, actor(COORDINATOR), case.reference, {ForceRecord.PSD: typed}
            )
        assert typed not in refused.value.message
    with pytest.raises(ValidationFailed):  # one bad reference stores none of them
        await register_force_references(
            deps, actor(COORDINATOR), case.reference, {ForceRecord.PSD: PSD, ForceRecord.IOPC: "x1"}
        )
    assert (await find_by_force_reference(deps, actor(COORDINATOR), PSD)).reference is None


async def test_only_the_coordinator_finds_and_a_conflict_is_answered_as_no_case(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    await register_force_references(deps, actor(COORDINATOR), case.reference, {ForceRecord.PSD: PSD})
    for person in (CHAIR, SOO_ONE):
        with pytest.raises(NotPermitted):
            await find_by_force_reference(deps, actor(person), PSD)
    await conflicts.declare_conflict(deps, actor(COORDINATOR), case.reference)
    assert (await find_by_force_reference(deps, actor(COORDINATOR), PSD)).reference is None
    with pytest.raises(NotPermitted, match="conflict of interest"):
        await register_force_references(
            deps, actor(COORDINATOR), case.reference, {ForceRecord.HR: "HR-2099-001"}
        )


async def test_two_cases_with_one_force_reference_are_both_found(deps: Deps) -> None:
    first, second = [await new_case(deps, SOO_ONE) for _ in range(2)]
    for case in (first, second):
        await register_force_references(deps, actor(COORDINATOR), case.reference, {ForceRecord.CRIME: CRIME})
    found = (await find_by_force_reference(deps, actor(COORDINATOR), CRIME)).reference
    assert found is not None and set(found.split(", ")) == {first.reference, second.reference}


async def test_professional_standards_lead_finds_a_case_for_their_own_purpose_and_runs_nothing(
    deps: Deps,
) -> None:
    case = await new_case(deps, SOO_ONE)
    await register_force_references(deps, actor(COORDINATOR), case.reference, {ForceRecord.PSD: PSD})
    psd = actor(PSD_LEAD)
    assert (await find_by_force_reference(deps, psd, "psd 2099 0412")).reference == case.reference
    async with deps.uow() as uow:
        trail = await uow.audit.search(AuditQuery(actor_id=PSD_LEAD.aad_object_id))
    assert [(e.event.event, e.event.purpose) for e in trail] == [
        ("case.found_by_force_reference", AuditPurpose.PROFESSIONAL_STANDARDS.value)
    ]
    # Reads cases as the coordinator does; registers, manages, runs and sits in nothing.
    assert psd.may(Permission.VIEW_CASE) and psd.may(Permission.LIST_CASES)
    for permission in Permission:
        if permission not in {
            Permission.VIEW_CASE,
            Permission.LIST_CASES,
            Permission.FIND_BY_FORCE_REFERENCE,
            Permission.DECLARE_CONFLICT,
        }:
            assert not psd.may(permission), permission
    with pytest.raises(NotPermitted):
        await register_force_references(deps, psd, case.reference, {ForceRecord.HR: "HR-2099-001"})
    # A conflict they declare is answered as no case, as for the coordinator.
    await conflicts.declare_conflict(deps, psd, case.reference)
    assert (await find_by_force_reference(deps, psd, PSD)).reference is None
