"""Faults met when the product was used as its users would: each test failed before its fix."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, SOO_ONE, SOO_TWO
from panel.actions import OwnerRole
from panel.agenda import SlotKind
from panel.clock import FixedClock
from panel.errors import InvalidTransition
from panel.labels import label
from panel.usecases import actions, agenda, closure, live
from panel.usecases.actions import ActionForm
from panel.usecases.deps import Deps, PanelConfig
from tests.conftest import RecordingNotifier, actor
from tests.panel.helpers import listed, new_case, new_sitting


def test_coded_values_read_as_forces_write_them() -> None:
    assert [label(v) for v in ("999_101_call", "psd", "mash", "idva_referral", "iopc_referral")] == [
        "999/101 call",
        "PSD",
        "MASH",
        "IDVA referral",
        "IOPC referral",
    ]
    assert (label("high"), label("soo"), label("awaiting_actions")) == ("High", "SOO", "Awaiting actions")


async def test_a_case_is_on_one_agenda_at_a_time(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    first, second = await new_sitting(deps), await new_sitting(deps, day=date(2026, 12, 21))
    await listed(deps, first, case)
    with pytest.raises(InvalidTransition, match="already on the agenda of the sitting on Monday 23 November"):
        await agenda.list_case(deps, actor(COORDINATOR), second.sitting_id, case.reference, SlotKind.UPDATE)


async def test_carrying_unheard_cases_forward_leaves_extensions_behind_and_counts_what_it_added(
    deps: Deps, clock: FixedClock
) -> None:
    heard, extended, unreached = [await new_case(deps, soo) for soo in (SOO_ONE, SOO_TWO, SOO_ONE)]
    sitting = await new_sitting(deps)
    for case in (heard, extended, unreached):
        sitting = await listed(deps, sitting, case, SlotKind.UPDATE)
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id)
    await live.next_case(deps, chair, sitting.sitting_id)
    await live.next_case(deps, chair, sitting.sitting_id)
    await live.extend_slot(deps, chair, sitting.sitting_id, 5)
    await live.defer_current(deps, chair, sitting.sitting_id)  # extended, then sent to the end
    clock.advance(timedelta(minutes=30))
    await live.end_sitting(deps, chair, sitting.sitting_id)
    later = await new_sitting(deps, day=date(2026, 12, 21))
    carried = await agenda.carry_forward(deps, actor(COORDINATOR), sitting.sitting_id, later.sitting_id)
    assert carried.added == 2
    assert {s.case_reference: s.minutes for s in carried.sitting.slots} == {
        extended.reference: 10,  # an update slot again, not 15
        unreached.reference: 10,
    }
    again = await agenda.carry_forward(deps, actor(COORDINATOR), sitting.sitting_id, later.sitting_id)
    assert again.added == 0


async def test_the_chair_deciding_a_closure_sees_the_latest_update_and_each_actions_note(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    deps = dataclasses.replace(deps, config=PanelConfig(closure_needs_chair_approval=True))
    case = await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await new_sitting(deps), case)
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id)
    await live.next_case(deps, chair, sitting.sitting_id)
    due = date(2026, 12, 7)
    await actions.record_action(
        deps, actor(ADMINISTRATOR), case.reference, ActionForm("PSD to review", OwnerRole.PSD, due)
    )
    await live.end_sitting(deps, chair, sitting.sitting_id)
    soo = actor(SOO_ONE)
    await actions.mark_action_done(deps, soo, case.reference, "A1", "suspension upheld")
    await closure.submit_update(
        deps,
        soo,
        case.reference,
        closure.UpdateForm("Victim told of the outcome; IDVA engaged.", None, False),
    )
    await closure.request_closure(deps, soo, case.reference)
    (approval,) = [n for n in notifier.sent if n.kind.value == "closure_to_approve"]
    facts = dict(approval.facts)
    assert any("Victim told of the outcome" in v for k, v in facts.items() if k.startswith("Latest update"))
    assert facts["A1 · done"] == "suspension upheld"
