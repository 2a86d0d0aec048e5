"""The 12-month report does not read cases that closed long before it, and says exactly what it
said when it read every case: a national service's history is mostly cases closed years ago."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cli.demo_data import CHAIR, COORDINATOR, SOO_ONE
from panel.case import Case, CaseStatus, Category, ReferralRoute, RiskLevel
from panel.clock import FixedClock
from panel.report import OutputsTally, counts_from, last_twelve_months
from panel.usecases import reporting
from panel.usecases.cases import CaseRegistration, register_case
from panel.usecases.deps import Deps
from tests.conftest import MONDAY_MORNING, actor


async def received(deps: Deps, clock: FixedClock) -> Case:
    """A case registered by the coordinator, received the day before the clock's."""
    form = CaseRegistration(
        Category.POLICE_VICTIM,
        ReferralRoute.LINE_MANAGER,
        clock.now().date() - timedelta(days=1),
        RiskLevel.MEDIUM,
        soo_id=SOO_ONE.aad_object_id,
    )
    return (await register_case(deps, actor(COORDINATOR), form)).case


async def closed_on(deps: Deps, clock: FixedClock, day: date) -> Case:
    """A case registered a few weeks before `day` and closed on it."""
    clock.set(datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC) - timedelta(days=40))
    case = await received(deps, clock)
    at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)
    async with deps.uow() as uow:
        case = await uow.cases.get(case.case_id)
        for status in (CaseStatus.LISTED, CaseStatus.HEARD, CaseStatus.CLOSED):
            case.move_to(status, by="test", at=at)
        uow.cases.save(case)
        await uow.commit()
    return case


@pytest.mark.asyncio
async def test_cases_closed_before_the_report_counts_from_are_not_read(deps: Deps, clock: FixedClock) -> None:
    period = last_twelve_months(MONDAY_MORNING.date())
    long_ago = await closed_on(deps, clock, counts_from(period) - timedelta(days=30))
    within = await closed_on(deps, clock, period.end - timedelta(days=200))
    clock.set(MONDAY_MORNING)
    open_case = await received(deps, clock)
    since = datetime.combine(counts_from(period), datetime.min.time(), tzinfo=UTC)
    async with deps.uow() as uow:
        read = {c.case_id async for page in uow.cases.pages(closed_since=since) for c in page}
        every = {c.case_id async for page in uow.cases.pages() for c in page}
    assert within.case_id in read and open_case.case_id in read
    assert long_ago.case_id not in read and long_ago.case_id in every


@pytest.mark.asyncio
async def test_the_report_is_the_same_as_one_that_reads_every_case(deps: Deps, clock: FixedClock) -> None:
    period = last_twelve_months(MONDAY_MORNING.date())
    for day in (
        counts_from(period) - timedelta(days=400),  # years before: in nothing
        counts_from(period) + timedelta(days=2),  # in the period compared with
        period.end - timedelta(days=100),  # closed in the period
    ):
        await closed_on(deps, clock, day)
    clock.set(MONDAY_MORNING - timedelta(days=30))
    await received(deps, clock)
    clock.set(MONDAY_MORNING)
    read = await reporting.read_outputs(deps, actor(CHAIR), period)
    everything = OutputsTally(period, deps.config.confidence)
    async with deps.uow() as uow:
        async for page in uow.cases.pages():
            everything.add(page)
        sittings = await uow.sittings.find(on_or_after=period.previous().start)
        roster = await uow.roster.all()
    assert read.report == everything.report(sittings, roster)
    # And it is a report with something in it: a closure in the period, the audit list.
    assert read.report.closure_days_median is not None and len(read.report.audit_list) == 2
