"""Conflicts of interest: declared by anyone on the roster, enforced everywhere, withdrawn only by
the coordinator; on both stores."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cli.demo_data import (
    ADMINISTRATOR,
    CHAIR,
    COORDINATOR,
    MEMBER,
    PARTNER,
    SOO_ONE,
    SOO_TWO,
)
from panel.actions import OwnerRole
from panel.clock import FixedClock
from panel.errors import IdentifyingDetail, NotFound, NotOnRoster, NotPermitted, ValidationFailed
from panel.ports import NoticeKind
from panel.reminders import ReminderKind, due_reminders
from panel.roles import Actor
from panel.usecases import actions, cases, closure, conflicts, live
from panel.usecases.actions import ActionForm
from panel.usecases.deps import Deps
from tests.conftest import RecordingNotifier, actor
from tests.panel.helpers import listed, new_case, new_sitting


async def test_declaring_a_conflict_is_recorded_audited_and_the_coordinator_told(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    case = await new_case(deps, SOO_ONE)
    declared = await conflicts.declare_conflict(deps, actor(MEMBER), case.reference, "knows the family")
    assert not declared.already and not declared.is_soo
    async with deps.uow() as uow:
        stored = await uow.cases.by_reference(case.reference)
        trail = await uow.audit.for_subject(case.case_id)
    assert stored.conflicted(MEMBER.aad_object_id)
    assert ("conflict.declared", MEMBER.aad_object_id, MEMBER.aad_object_id) in [
        (e.event, e.actor_id, e.detail) for e in trail
    ]
    told = [n for n in notifier.sent if n.kind is NoticeKind.CONFLICT_DECLARED]
    assert [n.recipient_id for n in told] == [COORDINATOR.aad_object_id]
    assert dict(told[0].facts)["Declared by"] == MEMBER.display_name

    again = await conflicts.declare_conflict(deps, actor(MEMBER), case.reference)
    assert again.already


async def test_a_reason_that_names_someone_is_refused_and_nothing_is_stored(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    with pytest.raises(IdentifyingDetail):
        await conflicts.declare_conflict(deps, actor(MEMBER), case.reference, "rang me on 07700 900123")
    async with deps.uow() as uow:
        assert not (await uow.cases.by_reference(case.reference)).conflicts


async def test_unknown_references_and_strangers_are_refused(deps: Deps) -> None:
    with pytest.raises(NotFound, match="No case has the reference"):
        await conflicts.declare_conflict(deps, actor(MEMBER), "ABC-DEF")
    case = await new_case(deps, SOO_ONE)
    with pytest.raises(NotOnRoster):
        await conflicts.declare_conflict(deps, Actor.stranger("aad-x"), case.reference)


async def test_only_the_coordinator_records_a_declaration_for_someone_else_or_withdraws_one(
    deps: Deps,
) -> None:
    case = await new_case(deps, SOO_ONE)
    with pytest.raises(NotPermitted):
        await conflicts.declare_conflict(
            deps, actor(CHAIR), case.reference, on_behalf_of=MEMBER.aad_object_id
        )
    await conflicts.declare_conflict(
        deps, actor(COORDINATOR), case.reference, "told me in person", on_behalf_of=MEMBER.aad_object_id
    )
    with pytest.raises(NotPermitted):
        await conflicts.withdraw_conflict(deps, actor(MEMBER), case.reference, MEMBER.aad_object_id)
    withdrawn = await conflicts.withdraw_conflict(
        deps, actor(COORDINATOR), case.reference, MEMBER.aad_object_id
    )
    assert not withdrawn.conflicted(MEMBER.aad_object_id)
    assert withdrawn.conflicts[0].withdrawn_by == COORDINATOR.aad_object_id  # kept on the record


async def test_a_soo_cannot_be_appointed_to_a_case_they_declared_a_conflict_for(deps: Deps) -> None:
    case = await new_case(deps, None)
    await conflicts.declare_conflict(deps, actor(SOO_TWO), case.reference)
    with pytest.raises(ValidationFailed, match="declared a conflict"):
        await cases.appoint_soo(deps, actor(COORDINATOR), case.reference, SOO_TWO.aad_object_id)
    await cases.appoint_soo(deps, actor(COORDINATOR), case.reference, SOO_ONE.aad_object_id)


async def test_a_conflicted_person_is_refused_every_form_about_the_case(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    for person in (ADMINISTRATOR, SOO_ONE, COORDINATOR, CHAIR):
        await conflicts.declare_conflict(deps, actor(person), case.reference)
    form = ActionForm("Review the decision", OwnerRole.PSD, date(2026, 12, 7))
    with pytest.raises(NotPermitted, match="declared a conflict"):
        await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)
    with pytest.raises(NotPermitted, match="declared a conflict"):
        await closure.own_case(deps, actor(SOO_ONE), case.reference)
    with pytest.raises(NotPermitted, match="declared a conflict"):
        await cases.appoint_soo(deps, actor(COORDINATOR), case.reference, SOO_TWO.aad_object_id)
    with pytest.raises(NotPermitted, match="declared a conflict"):
        await actions.record_theme(deps, actor(CHAIR), case.reference, code="over_empathy_police_victim")


async def test_conflicted_people_get_no_reminders_about_the_case_and_the_agenda_asks_the_panel(
    deps: Deps, clock: FixedClock
) -> None:
    case = await new_case(deps, SOO_ONE)
    other = await new_case(deps, SOO_TWO)
    sitting = await new_sitting(deps, day=date(2026, 12, 14))
    sitting = await listed(deps, sitting, case)
    sitting = await listed(deps, sitting, other)
    await conflicts.declare_conflict(deps, actor(MEMBER), case.reference)
    await conflicts.declare_conflict(deps, actor(SOO_ONE), case.reference)
    async with deps.uow() as uow:
        stored = [await uow.cases.get(case.case_id), await uow.cases.get(other.case_id)]
        roster = await uow.roster.all()
        sittings = await uow.sittings.find()
    week_before = datetime(2026, 12, 7, 10, 5, tzinfo=clock.now().tzinfo)
    due = due_reminders(week_before, stored, sittings, roster, deps.config.reminders)
    agenda_out = {r.recipient_id: r.references for r in due if r.kind is ReminderKind.AGENDA_OUT}
    assert agenda_out[MEMBER.aad_object_id] == (other.reference,)
    assert agenda_out[PARTNER.aad_object_id] == (case.reference, other.reference)
    assert SOO_ONE.aad_object_id not in agenda_out  # SOOs are not on the panel
    soo_reminders = [r for r in due if r.kind is ReminderKind.SITTING_WEEK]
    assert [(r.recipient_id, r.case_reference) for r in soo_reminders] == [
        (SOO_TWO.aad_object_id, other.reference)
    ]
    assert all(r.case_reference != case.reference for r in due if r.recipient_id == SOO_ONE.aad_object_id)


async def test_the_administrators_record_form_is_refused_for_a_case_they_declared(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await new_sitting(deps), case)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id, "chat")
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    await conflicts.declare_conflict(deps, actor(ADMINISTRATOR), case.reference)
    form = ActionForm("Review the decision", OwnerRole.PSD, date(2026, 12, 7))
    with pytest.raises(NotPermitted):
        await actions.record_action(deps, actor(ADMINISTRATOR), case.reference, form)
