"""The facts the panel scrutinises and a case's whole life: each rule and transition, on both stores."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, COORDINATOR, SOO_ONE, SOO_TWO
from panel.case import CaseStatus, DirectionKind
from panel.case_facts import CriminalStatus, MisconductStatus, YesNoPending
from panel.clock import FixedClock
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.errors import IdentifyingDetail, InvalidTransition, NotPermitted, ValidationFailed
from panel.ports import AuditQuery
from panel.reminders import ReminderKind, ReminderPolicy, due_reminders
from panel.usecases import case_life, cases, closure, live
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.panel.helpers import listed, new_case, new_sitting


async def _heard(deps: Deps, soo=SOO_ONE):  # type: ignore[no-untyped-def]
    case = await new_case(deps, soo)
    sitting = await listed(deps, await new_sitting(deps), case)
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id, "chat")
    await live.next_case(deps, chair, sitting.sitting_id)
    await live.end_sitting(deps, chair, sitting.sitting_id)
    return case


async def test_facts_are_recorded_by_the_soo_for_their_own_case_dated_and_checked(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    soo = actor(SOO_ONE)
    changed = await case_life.record_facts(
        deps,
        soo,
        case.reference,
        {"conduct_matter": YesNoPending.PENDING, "criminal_status": CriminalStatus.ONGOING},
    )
    assert changed == ("conduct_matter", "criminal_status")
    assert (
        await case_life.record_facts(deps, soo, case.reference, {"conduct_matter": YesNoPending.PENDING})
        == ()
    )
    with pytest.raises(ValidationFailed, match="Right to Review"):
        await case_life.record_facts(deps, soo, case.reference, {"right_to_review_told": True})
    with pytest.raises(ValidationFailed, match="offered"):
        await case_life.record_facts(deps, soo, case.reference, {"support_accepted": True})
    with pytest.raises(NotPermitted):  # another SOO's case
        await case_life.record_facts(
            deps, actor(SOO_TWO), case.reference, {"conduct_matter": YesNoPending.NO}
        )
    await case_life.record_facts(
        deps, actor(COORDINATOR), case.reference, {"conduct_matter": YesNoPending.YES}
    )
    async with deps.uow() as uow:
        stored = await uow.cases.get(case.case_id)
        trail = [
            e.event.event for e in await uow.audit.search(AuditQuery(subject_ids=(case.case_id,), limit=50))
        ]
    assert stored.facts.facts.conduct_matter is YesNoPending.YES
    assert stored.facts.changed_on("criminal_status") == deps.today()
    assert trail.count("case.facts_recorded") == 2


async def test_the_early_warning_flags_what_the_force_cannot_yet_show(deps: Deps) -> None:
    case = await _heard(deps)
    async with deps.uow() as uow:
        heard = await uow.cases.get(case.case_id)
    flags = confidence_signals(heard, deps.today(), ConfidenceThresholds()).flags
    assert "no declaration of the investigator's independence" in flags
    assert "no IDVA or specialist support recorded as offered" in flags
    heard.facts.apply(
        {
            "independence_declared": True,
            "support_offered": deps.today(),
            "misconduct_status": MisconductStatus.PAUSED_SPECIFIC_PREJUDICE,
        },
        deps.today(),
    )
    flags = confidence_signals(heard, deps.today(), ConfidenceThresholds()).flags
    assert "misconduct paused with no review date" in flags
    assert not any("independence" in f or "support" in f for f in flags)


async def test_a_case_conference_takes_the_case_off_the_agenda_until_it_is_held(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await new_sitting(deps, day=date(2026, 12, 21)), case)
    coordinator = actor(COORDINATOR)
    with pytest.raises(IdentifyingDetail):
        await case_life.route_to_case_conference(deps, coordinator, case.reference, "Mrs Pearce asked")
    routed = await case_life.route_to_case_conference(
        deps, actor(ADMINISTRATOR), case.reference, "Serial perpetrator"
    )
    assert routed.status is CaseStatus.CASE_CONFERENCE
    async with deps.uow() as uow:
        assert (await uow.sittings.get(sitting.sitting_id)).slot_for_case(case.case_id) is None
    back = await case_life.record_case_conference(
        deps, coordinator, case.reference, deps.today(), "Safety plan agreed with MARAC"
    )
    assert back.status is CaseStatus.AWAITING_ACTIONS and back.conferences[-1].held_on == deps.today()
    with pytest.raises(InvalidTransition):
        await case_life.record_case_conference(deps, coordinator, case.reference, deps.today(), "Again")


async def test_a_case_asked_back_reminds_the_coordinator_with_the_nearest_sitting(
    deps: Deps, clock: FixedClock
) -> None:
    case = await _heard(deps)
    await new_sitting(deps, day=date(2027, 1, 11))
    await new_sitting(deps, day=date(2027, 2, 8))
    asked = await case_life.ask_back(deps, actor(ADMINISTRATOR), case.reference, 8)
    assert asked.asked_back_for == deps.today() + timedelta(weeks=8)  # 18 January 2027
    async with deps.uow() as uow:
        all_cases, sittings, roster = (
            await uow.cases.find(),
            await uow.sittings.find(),
            await uow.roster.all(),
        )
    due = due_reminders(
        datetime(2026, 12, 28, 9, 30, tzinfo=clock.now().tzinfo),
        all_cases,
        sittings,
        roster,
        ReminderPolicy(),
    )
    (reminder,) = [r for r in due if r.kind is ReminderKind.ASKED_BACK]
    assert reminder.recipient_id == COORDINATOR.aad_object_id and reminder.case_reference == case.reference
    assert dict(reminder.facts)["Nearest sitting"] == "Monday 11 January 2027"


async def test_closing_is_the_panels_decision_and_a_closed_case_can_be_reopened(deps: Deps) -> None:
    case = await _heard(deps)
    soo = actor(SOO_ONE)
    assert not (await closure.request_closure(deps, soo, case.reference)).decision.allowed
    await case_life.no_actions_needed(deps, actor(ADMINISTRATOR), case.reference)
    await case_life.record_direction(
        deps, actor(ADMINISTRATOR), case.reference, DirectionKind.GOOD_PRACTICE, "Early IDVA referral"
    )
    assert (await closure.request_closure(deps, soo, case.reference)).case.status is CaseStatus.CLOSED
    with pytest.raises(NotPermitted):
        await case_life.reopen(deps, actor(ADMINISTRATOR), case.reference, "A new allegation")
    reopened = await case_life.reopen(deps, actor(COORDINATOR), case.reference, "A new allegation")
    assert reopened.status is CaseStatus.REOPENED and reopened.reference == case.reference
    assert reopened.hearings and reopened.reopenings[-1].reason == "A new allegation"
    assert not reopened.may_close_without_actions  # the panel decides again


async def test_a_name_registered_on_two_cases_tells_the_coordinator_they_may_be_linked(deps: Deps) -> None:
    coordinator = actor(COORDINATOR)
    first, second = await new_case(deps, SOO_ONE), await new_case(deps, SOO_TWO)
    await cases.register_party_names(deps, coordinator, first.reference, ["Rowan Thistlewood"])
    told = await cases.register_party_names(
        deps, coordinator, second.reference, ["rowan THISTLEWOOD", "Ash Pemberly"]
    )
    assert told.possible_links == (first.reference,)
    unrelated = await new_case(deps, SOO_TWO)
    assert (
        await cases.register_party_names(deps, coordinator, unrelated.reference, ["Rowan Other"])
    ).possible_links == ()
    one, other = await case_life.link_cases(deps, coordinator, second.reference, first.reference)
    assert one.linked == [first.case_id] and other.linked == [second.case_id]
    with pytest.raises(NotPermitted):
        await case_life.link_cases(deps, actor(CHAIR), second.reference, unrelated.reference)
