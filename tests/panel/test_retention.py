"""Retention by policy, on both stores: a closed case past its time is erased with everything
attached and leaves only an erasure entry; a held one is kept; old audit entries are erased under
an anchor and the trail still verifies; a dry run changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, SOO_ONE
from panel.audit import AuditCategory
from panel.case import Case
from panel.clock import FixedClock
from panel.errors import NotFound, NotPermitted
from panel.ports import AuditQuery
from panel.roles import Actor
from panel.usecases import case_life, cases, closure, live, retention
from panel.usecases.audit_trail import verify_audit
from panel.usecases.deps import Deps
from storage.cosmos import CosmosStore
from storage.sqlite import SqliteStore
from storage.store import Store
from tests.conftest import actor
from tests.panel.helpers import listed, new_case, new_sitting

OPERATOR = Actor.operator("retention-test")
YEARS_7 = timedelta(days=round(365.25 * 7) + 1)


async def closed_case(deps: Deps, with_name: str = "Quentin Ashgrove") -> Case:
    """A case registered (with a party's made-up name), heard, and closed by its SOO."""
    case = await new_case(deps, SOO_ONE)
    await cases.register_party_names(deps, actor(COORDINATOR), case.reference, [with_name])
    sitting = await listed(deps, await new_sitting(deps), case)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id, "chat")
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    await live.end_sitting(deps, actor(CHAIR), sitting.sitting_id)
    await case_life.no_actions_needed(deps, actor(ADMINISTRATOR), case.reference)
    outcome = await closure.request_closure(deps, actor(SOO_ONE), case.reference)
    assert outcome.decision.allowed, outcome.decision.reasons
    async with deps.uow() as uow:
        uow.reminders.claim(
            f"action_due:{case.case_id}:A1", "test", deps.clock.now(), deps.clock.now(), "soo"
        )
        await uow.commit()
    return outcome.case


async def outside_the_trail(store: Store) -> str:
    """Everything the store holds except the audit trail (which keeps ids by design)."""
    if isinstance(store, SqliteStore):
        import sqlite3

        with sqlite3.connect(store.path) as conn:
            tables = ("cases", "sittings", "party_name_hashes", "reminders", "processed", "addresses")
            return repr([conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables])
    assert isinstance(store, CosmosStore)
    docs = await store.query(
        "NOT ARRAY_CONTAINS(@trail, c.kind)", {"@trail": ["audit", "anchor", "audit-head"]}
    )
    return repr(docs)


async def test_a_closed_case_past_its_time_is_erased_with_everything_attached(
    deps: Deps, clock: FixedClock, store: Store
) -> None:
    case = await closed_case(deps)
    kept = await closed_case(deps, "Imogen Farthingale")
    await retention.hold_from_erasure(deps, actor(COORDINATOR), kept.reference, "A complaint is under review")
    clock.advance(YEARS_7)

    dry = await retention.run_retention(deps, OPERATOR, dry_run=True)
    assert dry.erased == (case.reference,) and dry.held == (kept.reference,)
    async with deps.uow() as uow:
        assert (await uow.cases.by_reference(case.reference)).case_id == case.case_id  # nothing yet

    report = await retention.run_retention(deps, OPERATOR)
    assert report.erased == (case.reference,) and report.held == (kept.reference,)
    async with deps.uow() as uow:
        with pytest.raises(NotFound):
            await uow.cases.by_reference(case.reference)
        assert await uow.party_names.count_for_case(case.case_id) == 0
        assert await uow.party_names.count_for_case(kept.case_id) > 0
        assert (await uow.cases.by_reference(kept.reference)).retention_hold is not None
        erased = await uow.audit.search(AuditQuery(case_reference=case.reference, limit=100))
    rest = await outside_the_trail(store)
    assert case.case_id not in rest and case.reference not in rest
    assert kept.case_id in rest
    erasure = [e.event for e in erased if e.event.event == "case.erased"]
    assert len(erasure) == 1 and erasure[0].category is AuditCategory.ERASURE
    assert "closed=" in erasure[0].detail and "Quentin" not in erasure[0].detail
    assert (await verify_audit(deps)).intact


async def test_the_guard_forgets_an_erased_cases_names(deps: Deps, clock: FixedClock) -> None:
    case = await closed_case(deps)
    async with deps.uow() as uow:
        assert (await deps.guard(uow)).scan("the Ashgrove file is closed")
    clock.advance(YEARS_7)
    await retention.run_retention(deps, OPERATOR)
    async with deps.uow() as uow:
        assert not (await deps.guard(uow)).scan("the Ashgrove file is closed")  # the change token moved
    assert case.reference


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # about the SQLite file itself
async def test_erased_rows_leave_no_bytes_in_the_sqlite_file(
    deps: Deps, clock: FixedClock, store: Store
) -> None:
    assert isinstance(store, SqliteStore)
    from panel.identity_guard import hashes_for_party_name
    from tests.conftest import TEST_KEY

    await closed_case(deps)
    hashes = hashes_for_party_name(TEST_KEY, "Quentin Ashgrove")
    clock.advance(YEARS_7)
    await retention.run_retention(deps, OPERATOR)
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))
    assert not any(h.encode() in raw for h in hashes)


async def test_old_audit_entries_are_erased_under_an_anchor_and_the_trail_still_verifies(
    deps: Deps, clock: FixedClock
) -> None:
    await new_case(deps, SOO_ONE)
    await new_case(deps, SOO_ONE)
    clock.advance(timedelta(days=round(365.25 * 8)))
    await new_case(deps, SOO_ONE)  # a recent entry, kept
    report = await retention.run_retention(deps, OPERATOR)
    assert report.audit_entries > 0
    verdict = await verify_audit(deps)
    assert verdict.intact and verdict.erased_before == report.audit_through + 1
    async with deps.uow() as uow:
        remaining = await uow.audit.chain(0, 1000)
    assert remaining[0].sealed.seq == report.audit_through + 1
    assert any(e.event.event == "audit.erased" for e in remaining)


async def test_only_the_coordinator_holds_a_case_and_a_hold_reason_is_guarded(deps: Deps) -> None:
    from panel.errors import IdentifyingDetail

    case = await new_case(deps, SOO_ONE)
    with pytest.raises(NotPermitted):
        await retention.hold_from_erasure(deps, actor(CHAIR), case.reference, "Under review")
    with pytest.raises(IdentifyingDetail):
        await retention.hold_from_erasure(deps, actor(COORDINATOR), case.reference, "call 07700 900123")
    held = await retention.hold_from_erasure(deps, actor(COORDINATOR), case.reference, "Under review")
    assert held.retention_hold is not None
    released = await retention.release_hold(deps, actor(COORDINATOR), case.reference)
    assert released.retention_hold is None
