"""Last month in the demo: a sitting that heard one case, whose action was done and which has closed.

It is made through the same use cases as everything else, on a clock set to the days it happened,
so the case reads as a real one does (its hearing, its action, its closure and the audit trail of
each) and a newcomer can audit it or bring it back to a sitting as a closed-case review.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta

from cli.demo_data import CHAIR, CLOSED_CASE
from panel.actions import OwnerRole
from panel.agenda import SlotKind
from panel.case import CaseStatus
from panel.clock import FixedClock, london_to_utc
from panel.ports import Notice
from panel.roles import Actor
from panel.usecases import actions, agenda, closure, live
from panel.usecases.cases import CaseRegistration, register_cases, register_party_names
from panel.usecases.deps import Deps

# How long ago last month's sitting was, and when after it the action was done and the case closed.
SITTING_DAYS_AGO = 35
DONE_AFTER = timedelta(days=9)
CLOSED_AFTER = timedelta(days=12)


class _AlreadyDelivered:
    """The notices of a month ago were read at the time: the demo does not send them today."""

    async def send(self, notice: Notice) -> None:
        """Send nothing."""


async def seed_closed_case(deps: Deps, operator: Actor) -> str:
    """Register the demo's closed case, hear it at a sitting a month ago, set and complete its
    action and close it; return its reference."""
    today = deps.today()
    day = today - timedelta(days=SITTING_DAYS_AGO)
    clock = FixedClock(london_to_utc(day, time(9, 0)))
    past = dataclasses.replace(deps, clock=clock, notifier=_AlreadyDelivered())
    demo = CLOSED_CASE
    received = min(demo.received, day - timedelta(days=21))
    (registered,) = await register_cases(
        past,
        operator,
        [
            CaseRegistration(
                demo.category,
                demo.route,
                received,
                demo.risk,
                soo_id=demo.soo.aad_object_id,
                facts=demo.facts,
            )
        ],
    )
    reference = registered.case.reference
    await register_party_names(past, operator, reference, list(demo.party_names))
    sitting = await agenda.create_sitting(past, operator, agenda.SittingForm(day, time(10, 0)))
    await agenda.list_case(past, operator, sitting.sitting_id, reference, SlotKind(demo.kind))
    chair = CHAIR.as_actor()
    _at(clock, day, time(10, 0))
    await live.start_sitting(past, chair, sitting.sitting_id)
    await live.next_case(past, chair, sitting.sitting_id, anyway=True)
    _at(clock, day, time(10, 5))
    await actions.record_action(
        past,
        chair,
        reference,
        actions.ActionForm(
            "SOO to confirm the welfare referral was offered", OwnerRole.SOO, day + timedelta(days=14)
        ),
    )
    _at(clock, day, time(10, 14))
    await live.end_sitting(past, chair, sitting.sitting_id)
    soo = demo.soo.as_actor()
    _at(clock, day + DONE_AFTER, time(11, 0))
    await actions.mark_action_done(past, soo, reference, "A1", "Offered and taken up")
    _at(clock, day + CLOSED_AFTER, time(15, 0))
    outcome = await closure.request_closure(past, soo, reference)
    if not outcome.decision.allowed:  # a force setting the demo cannot close: say why, loudly
        raise RuntimeError("the demo's closed case could not close: " + " ".join(outcome.decision.reasons))
    if outcome.case.status is not CaseStatus.CLOSED:  # the force's setting sends closure to the chair
        await closure.approve_closure(past, chair, reference)
    return reference


def _at(clock: FixedClock, day: date, at: time) -> None:
    """Put the seeding clock at a London wall-clock time on a day."""
    clock.set(london_to_utc(day, at))
