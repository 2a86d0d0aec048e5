"""The SOO's update form, the early warning on the victim's confidence, and closure with approval."""

from __future__ import annotations

from datetime import date

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, SOO_ONE, SOO_TWO
from panel.actions import OwnerRole
from panel.case import CaseStatus
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.errors import IdentifyingDetail, InvalidTransition, NotPermitted, ValidationFailed
from panel.ports import NoticeKind
from panel.usecases import actions, case_life, closure, live
from panel.usecases.actions import ActionForm
from panel.usecases.closure import UpdateForm
from panel.usecases.deps import Deps, PanelConfig
from tests.conftest import RecordingNotifier, actor
from tests.panel.helpers import listed, new_case, new_sitting

DUE = date(2026, 12, 7)


async def heard_with_actions(deps: Deps, count: int = 2) -> str:
    case = await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await new_sitting(deps), case)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id)
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    for n in range(count):
        await actions.record_action(
            deps, actor(ADMINISTRATOR), case.reference, ActionForm(f"Step {n}", OwnerRole.SOO, DUE)
        )
    await live.end_sitting(deps, actor(CHAIR), sitting.sitting_id)
    return case.reference


async def test_an_update_records_progress_the_victims_last_update_and_an_investigator_change(
    deps: Deps,
) -> None:
    reference = (await new_case(deps, SOO_ONE)).reference
    form = UpdateForm("Victim updated by phone; charging advice sought", date(2026, 11, 20), True)
    case = await closure.submit_update(deps, actor(SOO_ONE), reference, form)
    assert case.victim_last_updated == date(2026, 11, 20) and case.investigator_changes == 1
    assert case.updates[-1].by == SOO_ONE.aad_object_id
    older = await closure.submit_update(
        deps, actor(SOO_ONE), reference, UpdateForm(None, date(2026, 11, 10), False)
    )
    assert older.victim_last_updated == date(2026, 11, 20)  # an older date never winds it back


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (UpdateForm(None, None, False), ValidationFailed),
        (UpdateForm("Spoke to her on 07700 900123", None, False), IdentifyingDetail),
        (UpdateForm(None, date(2026, 12, 25), False), ValidationFailed),
        (UpdateForm(None, date(2026, 1, 1), False), ValidationFailed),
        (UpdateForm("x" * 1001, None, False), ValidationFailed),
    ],
)
async def test_bad_updates_are_refused_and_change_nothing(
    deps: Deps, form: UpdateForm, error: type[Exception]
) -> None:
    reference = (await new_case(deps, SOO_ONE)).reference
    with pytest.raises(error):
        await closure.submit_update(deps, actor(SOO_ONE), reference, form)
    assert (await closure.own_case(deps, actor(SOO_ONE), reference)).updates == []


async def test_a_soo_sees_and_changes_only_their_own_cases(deps: Deps) -> None:
    mine = await new_case(deps, SOO_ONE)
    await new_case(deps, SOO_TWO)
    assert [c.reference for c in await closure.my_cases(deps, actor(SOO_ONE))] == [mine.reference]
    with pytest.raises(NotPermitted, match="no case with the reference"):
        await closure.submit_update(deps, actor(SOO_TWO), mine.reference, UpdateForm("Checked", None, False))
    with pytest.raises(NotPermitted):
        await closure.my_cases(deps, actor(COORDINATOR))


def test_confidence_flags_past_the_forces_limits() -> None:
    from tests.panel.test_case_rules import a_case

    case = a_case()  # received 1 Nov 2026
    limits = ConfidenceThresholds(
        days_without_victim_update=14, investigator_changes=2, investigation_days=90
    )
    calm = confidence_signals(case, date(2026, 11, 10), limits)
    assert calm.flags == () and calm.days_since_victim_update is None and calm.investigation_days == 9
    case.victim_last_updated, case.investigator_changes = date(2026, 11, 2), 2
    worried = confidence_signals(case, date(2027, 2, 15), limits)
    assert worried.flags == (
        "victim not updated for 105 days",
        "investigator changed 2 times",
        "investigation 106 days old",
        "risk not reassessed for 106 days",  # never reassessed since it was received
    )


async def test_closure_with_approval_tells_the_chair_then_the_soo_and_coordinator(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    strict = Deps(
        deps.uow, deps.clock, deps.notifier, deps.identity_key, PanelConfig(closure_needs_chair_approval=True)
    )
    reference = await heard_with_actions(strict)
    for action_id in ("A1", "A2"):
        await actions.mark_action_done(strict, actor(SOO_ONE), reference, action_id)
    requested = await closure.request_closure(strict, actor(SOO_ONE), reference)
    assert requested.case.status is CaseStatus.CLOSURE_REQUESTED
    assert [(n.kind, n.recipient_id) for n in notifier.sent[-1:]] == [
        (NoticeKind.CLOSURE_TO_APPROVE, CHAIR.aad_object_id)
    ]
    with pytest.raises(NotPermitted):
        await closure.approve_closure(strict, actor(COORDINATOR), reference)
    approved = await closure.approve_closure(strict, actor(CHAIR), reference)
    assert approved.status is CaseStatus.CLOSED and approved.reviews[-1].approved
    assert {(n.kind, n.recipient_id) for n in notifier.sent[-2:]} == {
        (NoticeKind.CLOSURE_APPROVED, SOO_ONE.aad_object_id),
        (NoticeKind.CASE_CLOSED, COORDINATOR.aad_object_id),
    }
    with pytest.raises(InvalidTransition, match="no closure request waiting"):
        await closure.approve_closure(strict, actor(CHAIR), reference)


async def test_a_returned_closure_goes_back_to_the_soo_with_a_clean_reason(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    strict = Deps(
        deps.uow, deps.clock, deps.notifier, deps.identity_key, PanelConfig(closure_needs_chair_approval=True)
    )
    reference = await heard_with_actions(strict, count=0)
    await case_life.no_actions_needed(strict, actor(ADMINISTRATOR), reference)
    await closure.request_closure(strict, actor(SOO_ONE), reference)
    with pytest.raises(IdentifyingDetail):
        await closure.return_closure(strict, actor(CHAIR), reference, "speak to DC 4521 first")
    returned = await closure.return_closure(
        strict, actor(CHAIR), reference, "Victim care plan not yet agreed"
    )
    assert returned.status is CaseStatus.AWAITING_ACTIONS and not returned.reviews[-1].approved
    assert notifier.sent[-1].kind is NoticeKind.CLOSURE_RETURNED
    assert notifier.sent[-1].facts == (("Reason", "Victim care plan not yet agreed"),)


async def test_closing_without_approval_tells_the_chair_and_coordinator(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    reference = await heard_with_actions(deps, count=0)
    refused = await closure.request_closure(deps, actor(SOO_ONE), reference)
    assert not refused.decision.allowed and "The panel set no actions" in refused.decision.reasons[0]
    await case_life.no_actions_needed(deps, actor(ADMINISTRATOR), reference)
    outcome = await closure.request_closure(deps, actor(SOO_ONE), reference)
    assert outcome.case.status is CaseStatus.CLOSED
    assert {n.recipient_id for n in notifier.sent if n.kind is NoticeKind.CASE_CLOSED} == {
        CHAIR.aad_object_id,
        COORDINATOR.aad_object_id,
    }
