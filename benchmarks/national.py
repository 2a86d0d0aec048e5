"""The national data set the benchmarks run over, built by the benchmark itself from made-up
records, so anyone can rebuild it: 10,000 cases registered through the use cases, as a national
service would hold after some years (two in three since closed), and 1,000 past sittings of 40
heard slots each.

Closing a case needs its hearings and the panel's decision; the past sittings stand for those, so
the closures and the sittings are written through the repositories (as a migration from an earlier
system would), with the domain's own status transition."""

from __future__ import annotations

from datetime import date, timedelta
from datetime import time as clock_time

from cli.demo_data import SOO_ONE, SOO_TWO
from panel.agenda import Slot, SlotKind, SlotState
from panel.case import CaseStatus, Category, ReferralRoute, RiskLevel
from panel.clock import london_to_utc
from panel.roles import Actor
from panel.sitting import Sitting, SittingStatus
from panel.usecases.cases import CaseRegistration, register_cases
from panel.usecases.deps import Deps

NATIONAL_CASES, PAST_SITTINGS, SLOTS_PER_SITTING = 10_000, 1_000, 40
FIRST_DAY = date(2021, 1, 4)
CASE_LENGTH = timedelta(days=90)  # from referral to closure, for the cases since closed
BATCH = 25  # cases registered in one transaction (Cosmos DB saves at most 100 operations together)
ROUTES = tuple(ReferralRoute)
CATEGORIES = tuple(Category)


async def national_history(deps: Deps, cases: int = NATIONAL_CASES) -> list[str]:
    """Register the cases, close two in three, and write a sitting of 40 heard slots for every ten
    cases; the case ids."""
    operator = Actor.operator("bench")
    soos = (SOO_ONE.aad_object_id, SOO_TWO.aad_object_id)
    ids: list[str] = []
    for first in range(0, cases, BATCH):
        forms = [
            CaseRegistration(
                CATEGORIES[n % len(CATEGORIES)],
                ROUTES[n % len(ROUTES)],
                FIRST_DAY + timedelta(days=n % 1_700),
                RiskLevel.MEDIUM,
                soo_id=soos[n % 2],
            )
            for n in range(first, min(first + BATCH, cases))
        ]
        registered = await register_cases(deps, operator, forms)
        async with deps.uow() as uow:
            for n, result in enumerate(registered, start=first):
                ids.append(result.case.case_id)
                if n % 3:
                    # Heard and closed about three months after it was received, as the years went
                    # by (never later than today).
                    done = min(
                        deps.clock.now(), london_to_utc(result.case.received + CASE_LENGTH, clock_time(10))
                    )
                    for status in (CaseStatus.LISTED, CaseStatus.HEARD, CaseStatus.CLOSED):
                        result.case.move_to(status, by="bench", at=done)
                    uow.cases.save(result.case)
            await uow.commit()
    await past_sittings(deps, ids, cases * PAST_SITTINGS // NATIONAL_CASES)
    return ids


async def past_sittings(deps: Deps, case_ids: list[str], count: int) -> None:
    """Ended sittings, every other day from 2021, each of 40 heard slots."""
    for first in range(0, count, 50):
        async with deps.uow() as uow:
            for s in range(first, min(first + 50, count)):
                day = FIRST_DAY + timedelta(days=2 * s)
                sitting = Sitting(
                    f"past-{s}", day, clock_time(10), london_to_utc(day, clock_time(10)), 480, "bench"
                )
                for k in range(SLOTS_PER_SITTING):
                    case_id = case_ids[(s * SLOTS_PER_SITTING + k) % len(case_ids)]
                    slot = Slot(f"past-{s}-{k}", case_id, "REF", SlotKind.UPDATE, 10)
                    slot.state = SlotState.HEARD
                    sitting.slots.append(slot)
                sitting.status = SittingStatus.ENDED
                uow.sittings.add(sitting)
            await uow.commit()
