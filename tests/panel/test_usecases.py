"""Use cases end to end over a real SQLite file: what each role can do and what they are told."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from datetime import time as time_of_day

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, PARTNER, SOO_ONE, SOO_TWO
from panel.actions import OwnerRole
from panel.agenda import SlotState
from panel.case import CaseConferenceFlags, CaseStatus, Hearing, HearingOutcome
from panel.clock import FixedClock
from panel.errors import (
    ConcurrencyConflict,
    IdentifyingDetail,
    InvalidTransition,
    NotFound,
    NotOnRoster,
    NotPermitted,
    Superseded,
    ValidationFailed,
)
from panel.ports import NoticeKind
from panel.roles import Actor
from panel.sitting import SittingStatus
from panel.usecases import actions, agenda, cases, closure, live, live_notes
from panel.usecases.actions import ActionForm
from panel.usecases.deps import Deps, PanelConfig
from storage.store import Store
from tests.conftest import RecordingNotifier, actor, everything_stored
from tests.panel.helpers import listed, new_case, new_sitting

DUE = date(2026, 12, 7)


async def test_registering_a_case_gives_a_fresh_reference_and_tells_the_soo(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    first = await new_case(deps, SOO_ONE)
    second = await new_case(deps, SOO_ONE)
    assert first.reference != second.reference
    assert notifier.sent[-1].kind is NoticeKind.SOO_APPOINTED
    assert notifier.sent[-1].recipient_id == SOO_ONE.aad_object_id
    async with deps.uow() as uow:
        stored = await uow.cases.by_reference(first.reference)
        trail = await uow.audit.for_subject(first.case_id)
    assert stored.status is CaseStatus.REGISTERED
    assert [(e.event, e.actor_id) for e in trail] == [("case.registered", COORDINATOR.aad_object_id)]


async def test_registration_recommends_a_case_conference_when_a_criterion_applies(deps: Deps) -> None:
    form = cases.CaseRegistration(*_basic_form_fields(), flags=CaseConferenceFlags(counter_allegation=True))
    result = await cases.register_case(deps, actor(COORDINATOR), form)
    assert result.advice.recommended
    assert "counter-allegation" in result.advice.reasons[0]


async def test_only_the_coordinator_registers_and_strangers_are_pointed_to_them(deps: Deps) -> None:
    form = cases.CaseRegistration(*_basic_form_fields())
    with pytest.raises(NotPermitted):
        await cases.register_case(deps, actor(CHAIR), form)
    with pytest.raises(NotOnRoster):
        await cases.register_case(deps, Actor.stranger("x"), form)
    async with deps.uow() as uow:
        assert await uow.cases.find() == []


async def test_appointing_someone_who_is_not_a_soo_is_refused(deps: Deps) -> None:
    case = await new_case(deps, None)
    with pytest.raises(NotFound, match="not a SOO"):
        await cases.appoint_soo(deps, actor(COORDINATOR), case.reference, PARTNER.aad_object_id)
    changed = await cases.appoint_soo(deps, actor(COORDINATOR), case.reference, SOO_TWO.aad_object_id)
    assert changed.soo_id == SOO_TWO.aad_object_id


async def test_party_names_are_stored_only_as_hashes_and_then_caught(deps: Deps, store: Store) -> None:
    case = await new_case(deps, SOO_ONE)
    await cases.register_party_names(deps, actor(COORDINATOR), case.reference, ["Jordan Blackwood"])
    with pytest.raises(IdentifyingDetail):
        await actions.record_action(
            deps,
            actor(ADMINISTRATOR),
            case.reference,
            ActionForm("Blackwood to be re-interviewed", OwnerRole.PSD, DUE),
        )
    stored = await everything_stored(store)
    assert case.reference in stored  # the dump really holds the case...
    assert "blackwood" not in stored.lower()  # ...and never the name


async def test_a_full_sitting_records_hearings_and_offers_the_unreached(
    deps: Deps, clock: FixedClock
) -> None:
    a, b, c = [await new_case(deps, soo) for soo in (SOO_ONE, SOO_TWO, SOO_ONE)]
    sitting = await new_sitting(deps)
    for case in (a, b, c):
        sitting = await listed(deps, sitting, case)
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id)
    first = await live.next_case(deps, chair, sitting.sitting_id)
    assert first.opened is not None and first.opened.case_reference == a.reference
    await actions.record_action(
        deps,
        actor(ADMINISTRATOR),
        a.reference,
        ActionForm("SOO to update the victim weekly", OwnerRole.SOO, DUE),
    )
    clock.advance(timedelta(minutes=12))
    second = await live.next_case(deps, chair, sitting.sitting_id)
    assert second.closed is not None and second.closed.minutes_used == 12
    clock.advance(timedelta(minutes=8))
    ended = await live.end_sitting(deps, chair, sitting.sitting_id)
    assert ended.sitting.status is SittingStatus.ENDED
    assert [s.case_reference for s in ended.sitting.not_reached()] == [c.reference]
    async with deps.uow() as uow:
        heard_a = await uow.cases.get(a.case_id)
        heard_b = await uow.cases.get(b.case_id)
        unreached = await uow.cases.get(c.case_id)
    assert heard_a.status is CaseStatus.AWAITING_ACTIONS  # it has an open action
    assert heard_b.status is CaseStatus.HEARD
    assert [(h.outcome, h.minutes_used) for h in heard_a.hearings] == [(HearingOutcome.HEARD, 12)]
    assert unreached.hearings[0].outcome is HearingOutcome.NOT_REACHED
    assert heard_a.first_heard == date(2026, 11, 23)

    later = await new_sitting(deps, day=date(2026, 12, 21))
    carried = await agenda.carry_forward(deps, actor(COORDINATOR), sitting.sitting_id, later.sitting_id)
    assert [s.case_reference for s in carried.sitting.slots] == [c.reference]


async def test_only_the_chair_or_deputy_runs_a_sitting(deps: Deps) -> None:
    sitting = await new_sitting(deps)
    with pytest.raises(NotPermitted):
        await live.start_sitting(deps, actor(COORDINATOR), sitting.sitting_id)
    async with deps.uow() as uow:
        assert (await uow.sittings.get(sitting.sitting_id)).status is SittingStatus.SCHEDULED


async def test_next_with_nothing_left_says_to_end(deps: Deps) -> None:
    sitting = await new_sitting(deps)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id)
    with pytest.raises(InvalidTransition, match="no more cases"):
        await live.next_case(deps, actor(CHAIR), sitting.sitting_id)


async def test_two_nexts_at_the_same_moment_advance_exactly_one_slot(deps: Deps) -> None:
    sitting = await new_sitting(deps)
    for soo in (SOO_ONE, SOO_TWO, SOO_ONE):
        sitting = await listed(deps, sitting, await new_case(deps, soo))
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id)
    results = await asyncio.gather(
        live.next_case(deps, actor(CHAIR), sitting.sitting_id),
        live.next_case(deps, actor(CHAIR), sitting.sitting_id),
        return_exceptions=True,
    )
    assert sum(isinstance(r, ConcurrencyConflict) for r in results) == 1
    async with deps.uow() as uow:
        stored = await uow.sittings.get(sitting.sitting_id)
    assert [s.state for s in stored.slots] == [SlotState.LIVE, SlotState.WAITING, SlotState.WAITING]


async def test_a_next_that_read_the_sitting_before_another_closed_its_case_is_told_it_moved_on(
    deps: Deps,
) -> None:
    """Two instances: one press closes the hearing and saves; the other read the sitting just before
    that save but reads the case just after. It is told the sitting moved on, not that the case
    "cannot become heard" (seen on a loaded machine with two app instances on Cosmos DB)."""
    sitting = await new_sitting(deps)
    for soo in (SOO_ONE, SOO_TWO):
        sitting = await listed(deps, sitting, await new_case(deps, soo))
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id)
    opened = (await live.next_case(deps, chair, sitting.sitting_id)).opened
    assert opened is not None
    await actions.record_action(
        deps, actor(ADMINISTRATOR), opened.case_reference, ActionForm("Review the file", OwnerRole.SOO, DUE)
    )
    # What the other instance's save left on the case (heard, awaiting its action), while this
    # instance still sees the sitting as it was before.
    async with deps.uow() as uow:
        case = await uow.cases.get(opened.case_id)
        case.hearings.append(
            Hearing(sitting.sitting_id, sitting.sitting_date, "update", 10, 1, HearingOutcome.HEARD)
        )
        case.move_to(CaseStatus.HEARD, by="other", at=deps.clock.now())
        case.move_to(CaseStatus.AWAITING_ACTIONS, by="other", at=deps.clock.now())
        uow.cases.save(case)
        await uow.commit()
    with pytest.raises(Superseded):
        await live.next_case(deps, chair, sitting.sitting_id, seen_slot=opened.slot_id)


async def test_presses_on_a_card_the_sitting_has_moved_past_change_nothing(deps: Deps) -> None:
    sitting = await new_sitting(deps)
    for soo in (SOO_ONE, SOO_TWO, SOO_ONE):
        sitting = await listed(deps, sitting, await new_case(deps, soo))
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id)
    first = (await live.next_case(deps, chair, sitting.sitting_id, seen_slot="")).opened
    assert first is not None
    # The chair double-clicks Next on a card showing the first case: one after the other, not at once.
    await live.next_case(deps, chair, sitting.sitting_id, seen_slot=first.slot_id)
    with pytest.raises(Superseded):
        await live.next_case(deps, chair, sitting.sitting_id, seen_slot=first.slot_id)
    with pytest.raises(Superseded):  # nor do Extend and Defer pressed on that old card
        await live.extend_slot(deps, chair, sitting.sitting_id, 5, seen_slot=first.slot_id)
    with pytest.raises(Superseded):
        await live.defer_current(deps, chair, sitting.sitting_id, seen_slot=first.slot_id)
    async with deps.uow() as uow:
        stored = await uow.sittings.get(sitting.sitting_id)
    assert [s.state for s in stored.slots] == [SlotState.HEARD, SlotState.LIVE, SlotState.WAITING]
    assert stored.current is not None and stored.current.minutes == stored.slots[1].minutes
    # A typed `next` has no card: it moves on from wherever the sitting is.
    await live.next_case(deps, chair, sitting.sitting_id)
    async with deps.uow() as uow:
        assert (await uow.sittings.get(sitting.sitting_id)).slots[2].state is SlotState.LIVE


async def test_closure_refused_with_what_is_outstanding_then_allowed(deps: Deps) -> None:
    case = await _heard_case_with_two_actions(deps)
    soo = actor(SOO_ONE)
    refused = await closure.request_closure(deps, soo, case.reference)
    assert not refused.decision.allowed
    assert [o.action_id for o in refused.decision.outstanding] == ["A1", "A2"]
    assert refused.case.status is CaseStatus.AWAITING_ACTIONS
    await actions.mark_action_done(deps, soo, case.reference, "A1", note="victim updated in person")
    await actions.cancel_action(deps, actor(ADMINISTRATOR), case.reference, "A2", "overtaken by the hearing")
    closed = await closure.request_closure(deps, soo, case.reference)
    assert closed.decision.allowed and closed.case.status is CaseStatus.CLOSED


async def test_closure_waits_for_the_chair_when_the_force_requires_approval(deps: Deps) -> None:
    strict = Deps(
        deps.uow, deps.clock, deps.notifier, deps.identity_key, PanelConfig(closure_needs_chair_approval=True)
    )
    case = await _heard_case_with_two_actions(strict)
    for action_id in ("A1", "A2"):
        await actions.mark_action_done(strict, actor(SOO_ONE), case.reference, action_id)
    result = await closure.request_closure(strict, actor(SOO_ONE), case.reference)
    assert result.case.status is CaseStatus.CLOSURE_REQUESTED


async def test_a_soo_cannot_touch_another_soos_case(deps: Deps) -> None:
    case = await _heard_case_with_two_actions(deps)
    with pytest.raises(NotPermitted, match="no case with the reference"):
        await actions.mark_action_done(deps, actor(SOO_TWO), case.reference, "A1")
    with pytest.raises(NotPermitted, match="no case with the reference"):
        await closure.request_closure(deps, actor(SOO_TWO), case.reference)
    async with deps.uow() as uow:
        assert (await uow.cases.get(case.case_id)).action("A1").status.value == "open"


async def test_an_action_from_another_case_is_not_found(deps: Deps) -> None:
    case = await _heard_case_with_two_actions(deps)
    other = await new_case(deps, SOO_ONE)
    with pytest.raises(NotFound):
        await actions.mark_action_done(deps, actor(SOO_ONE), other.reference, "A1")
    async with deps.uow() as uow:
        assert (await uow.cases.get(case.case_id)).action("A1").status.value == "open"


async def test_identifying_free_text_is_refused_and_nothing_is_stored(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    with pytest.raises(IdentifyingDetail, match="a phone number"):
        await actions.record_action(
            deps,
            actor(ADMINISTRATOR),
            case.reference,
            ActionForm("Call victim on 07700 900123", OwnerRole.SOO, DUE),
        )
    with pytest.raises(IdentifyingDetail):
        await actions.record_theme(deps, actor(ADMINISTRATOR), case.reference, tag="pc 4521 conduct")
    async with deps.uow() as uow:
        stored = await uow.cases.get(case.case_id)
    assert stored.actions == [] and stored.themes == []


async def test_bad_action_input_is_refused(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    admin = actor(ADMINISTRATOR)
    with pytest.raises(ValidationFailed, match="past"):
        await actions.record_action(
            deps, admin, case.reference, ActionForm("Review", OwnerRole.PSD, date(2026, 11, 1))
        )
    with pytest.raises(ValidationFailed, match="longer than"):
        await actions.record_action(deps, admin, case.reference, ActionForm("x" * 501, OwnerRole.PSD, DUE))
    with pytest.raises(ValidationFailed, match="taxonomy"):
        await actions.record_theme(deps, admin, case.reference, code="not_a_theme")
    themed = await actions.record_theme(deps, admin, case.reference, code="delayed_victim_updates")
    assert [t.code for t in themed.themes] == ["delayed_victim_updates"]


async def test_triage_takes_a_case_off_the_agenda_with_a_clean_reason(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await new_sitting(deps), case)
    slot_id = sitting.slots[0].slot_id
    with pytest.raises(IdentifyingDetail):
        await agenda.remove_slot(deps, actor(COORDINATOR), sitting.sitting_id, slot_id, "see PSD/2026/0142")
    result = await agenda.remove_slot(
        deps, actor(COORDINATOR), sitting.sitting_id, slot_id, "no change since last month"
    )
    assert result.sitting.slots == []
    async with deps.uow() as uow:
        assert (await uow.cases.get(case.case_id)).status is CaseStatus.REGISTERED


async def test_a_case_without_a_soo_cannot_be_listed(deps: Deps) -> None:
    case = await new_case(deps, None)
    sitting = await new_sitting(deps)
    with pytest.raises(ValidationFailed, match="no SOO"):
        await listed(deps, sitting, case)


async def test_a_sitting_in_the_past_or_with_a_bad_link_is_refused(deps: Deps) -> None:
    from datetime import time

    from panel.usecases.agenda import SittingForm, create_sitting

    with pytest.raises(ValidationFailed, match="past"):
        await create_sitting(deps, actor(COORDINATOR), SittingForm(date(2026, 11, 1), time(10, 0)))
    with pytest.raises(ValidationFailed, match="join link"):
        await create_sitting(
            deps,
            actor(COORDINATOR),
            SittingForm(date(2026, 12, 1), time(10, 0), case_room_link="javascript:alert(1)"),
        )
    first = await new_sitting(deps)
    second = await new_sitting(deps)
    # Two sittings on one day have different ids, each the day and eight random characters: a
    # sitting's id cannot be walked from its date.
    assert first.sitting_id != second.sitting_id
    for sitting in (first, second):
        assert re.fullmatch(r"2026-11-23-[A-Z2-9]{8}", sitting.sitting_id)
    assert len({(await new_sitting(deps)).sitting_id[-8:] for _ in range(5)}) == 5


async def _heard_case_with_two_actions(deps: Deps) -> object:
    case = await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await new_sitting(deps), case)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id)
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    for text in ("SOO to update the victim weekly", "PSD to review the suspension decision"):
        await actions.record_action(
            deps, actor(ADMINISTRATOR), case.reference, ActionForm(text, OwnerRole.SOO, DUE)
        )
    await live.end_sitting(deps, actor(CHAIR), sitting.sitting_id)
    return case


def _basic_form_fields() -> tuple[object, ...]:
    from panel.case import Category, ReferralRoute, RiskLevel

    return (Category.POLICE_PERPETRATOR, ReferralRoute.MASH, date(2026, 11, 20), RiskLevel.MEDIUM)


async def test_chair_extends_and_defers_and_coordinator_reorders_all_stored_and_audited(deps: Deps) -> None:
    refs = [(await new_case(deps, soo)).reference for soo in (SOO_ONE, SOO_TWO, SOO_ONE)]
    sitting = await new_sitting(deps)
    for ref in refs:
        async with deps.uow() as uow:
            case = await uow.cases.by_reference(ref)
        sitting = await listed(deps, sitting, case)
    coordinator, chair = actor(COORDINATOR), actor(CHAIR)
    moved = await agenda.move_slot(deps, coordinator, sitting.sitting_id, sitting.slots[2].slot_id, 1)
    assert [s.case_reference for s in moved.sitting.slots] == [refs[2], refs[0], refs[1]]
    to_end = await agenda.defer_slot(deps, coordinator, sitting.sitting_id, moved.sitting.slots[0].slot_id)
    assert [s.case_reference for s in to_end.sitting.slots] == [refs[0], refs[1], refs[2]]
    await live.start_sitting(deps, chair, sitting.sitting_id)
    with pytest.raises(InvalidTransition, match="nothing to defer"):
        await live.defer_current(deps, chair, sitting.sitting_id)
    await live.next_case(deps, chair, sitting.sitting_id)
    extended = await live.extend_slot(deps, chair, sitting.sitting_id, 5)
    assert extended.sitting.slots[0].minutes == 15  # a 10-minute update slot, plus 5
    deferred = await live.defer_current(deps, chair, sitting.sitting_id)
    assert deferred.closed is not None and deferred.closed.case_reference == refs[0]
    with pytest.raises(NotPermitted):
        await live.extend_slot(deps, coordinator, sitting.sitting_id, 5)
    async with deps.uow() as uow:
        stored = await uow.sittings.get(sitting.sitting_id)
        trail = [e.event for e in await uow.audit.for_subject(sitting.sitting_id)]
    assert [s.case_reference for s in stored.slots] == [refs[1], refs[2], refs[0]]
    assert stored.slots[-1].deferrals == 1
    assert trail[-5:] == [
        "agenda.slot_deferred",
        "sitting.started",
        "sitting.next_case",
        "sitting.slot_extended",
        "sitting.case_deferred",
    ]


async def test_presence_records_roster_members_only_and_a_meeting_end_empties_the_room(deps: Deps) -> None:
    from panel.usecases.agenda import SittingForm, create_sitting

    sitting = await create_sitting(
        deps,
        actor(COORDINATOR),
        SittingForm(date(2026, 11, 23), time_of_day(10, 0), waiting_room_meeting_id="waiting-room-meeting-1"),
    )
    stranger = "00000000-0000-4000-8000-000000000099"
    seen = await live_notes.record_presence(
        deps, "waiting-room-meeting-1", [SOO_ONE.aad_object_id, SOO_TWO.aad_object_id, stranger], []
    )
    assert seen is not None and seen.waiting == [SOO_ONE.aad_object_id, SOO_TWO.aad_object_id]
    assert await live_notes.record_presence(deps, "another-meeting-id", [SOO_ONE.aad_object_id], []) is None
    ended = await live_notes.record_presence(deps, "waiting-room-meeting-1", [], [], everyone_left=True)
    assert ended is not None and ended.waiting == [] and len(ended.attendance) == 2
    assert all(a.left_at is not None for a in ended.attendance)
    assert sitting.sitting_id == ended.sitting_id


async def test_the_guard_catches_a_name_registered_after_it_was_first_used(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    form = ActionForm("Re-interview Thistlewood", OwnerRole.PSD, DUE)
    await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)  # not yet a registered name
    await cases.register_party_names(deps, actor(COORDINATOR), case.reference, ["Rowan Thistlewood"])
    with pytest.raises(IdentifyingDetail):
        await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)


async def test_attendance_ticked_again_replaces_the_panels_list_and_keeps_soos_seen_joining(
    deps: Deps,
) -> None:
    from cli.demo_data import ADMINISTRATOR, CHAIR, MEMBER, SOO_ONE
    from panel.errors import ValidationFailed
    from panel.usecases import live
    from tests.panel.helpers import new_sitting

    sitting = await new_sitting(deps)
    async with deps.uow() as uow:
        stored = await uow.sittings.get(sitting.sitting_id)
        stored.attended.append(SOO_ONE.aad_object_id)  # seen joining the case room
        uow.sittings.save(stored)
        await uow.commit()
    admin = actor(ADMINISTRATOR)
    await live.mark_attendance(deps, admin, sitting.sitting_id, [CHAIR.aad_object_id, MEMBER.aad_object_id])
    fixed = await live.mark_attendance(deps, admin, sitting.sitting_id, [CHAIR.aad_object_id])
    assert set(fixed.attended) == {CHAIR.aad_object_id, SOO_ONE.aad_object_id}  # the wrong tick is gone
    with pytest.raises(ValidationFailed):
        await live.mark_attendance(deps, admin, sitting.sitting_id, ["00000000-0000-4000-8000-00000000dead"])
