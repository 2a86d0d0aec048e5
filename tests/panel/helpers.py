"""Small builders for use-case tests, in the demo's made-up world."""

from __future__ import annotations

from datetime import date, time

from cli.demo_data import COORDINATOR, DemoPerson
from panel.agenda import SlotKind
from panel.case import Case, CaseConferenceFlags, Category, ReferralRoute, RiskLevel
from panel.sitting import Sitting
from panel.usecases.agenda import SittingForm, create_sitting, list_case
from panel.usecases.cases import CaseRegistration, register_case
from panel.usecases.deps import Deps
from tests.conftest import actor


async def new_case(
    deps: Deps, soo: DemoPerson | None, flags: CaseConferenceFlags = CaseConferenceFlags()
) -> Case:
    """Register a case as the coordinator."""
    form = CaseRegistration(
        Category.POLICE_VICTIM,
        ReferralRoute.LINE_MANAGER,
        date(2026, 11, 2),
        RiskLevel.HIGH,
        flags,
        soo_id=soo.aad_object_id if soo else None,
    )
    return (await register_case(deps, actor(COORDINATOR), form)).case


async def new_sitting(deps: Deps, day: date = date(2026, 11, 23), start: time = time(10, 0)) -> Sitting:
    """Create a sitting as the coordinator."""
    return await create_sitting(
        deps,
        actor(COORDINATOR),
        SittingForm(day, start, case_room_link="https://teams.microsoft.com/meet/2345678901?p=AbCd1234"),
    )


async def listed(deps: Deps, sitting: Sitting, case: Case, kind: SlotKind = SlotKind.UPDATE) -> Sitting:
    """Put a case on the sitting's agenda as the coordinator."""
    return (await list_case(deps, actor(COORDINATOR), sitting.sitting_id, case.reference, kind)).sitting
