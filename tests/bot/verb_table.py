"""Every typed command and every card verb, as a table: who may, how Teams sends it, and the state it
needs first. The permission matrix and the redelivery tests both run down it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from cards import verbs
from cli.demo_data import (
    ADMINISTRATOR,
    ANALYST,
    CHAIR,
    COORDINATOR,
    DEPUTY,
    INFOSEC,
    MEMBER,
    PARTNER,
    PSD_LEAD,
    SOO_ONE,
    SOO_TWO,
    DemoPerson,
)
from panel.roles import Actor, Role
from panel.usecases import actions, case_life, closure, conflicts, live, retention
from panel.usecases.deps import PanelConfig
from tests.bot.world import World
from tests.fake_teams import CASE_ROOM, personal, text_of

PEOPLE: dict[str, DemoPerson | None] = {
    "chair": CHAIR,
    "deputy": DEPUTY,
    "coordinator": COORDINATOR,
    "administrator": ADMINISTRATOR,
    "member": MEMBER,
    "partner": PARTNER,
    "analyst": ANALYST,
    "soo": SOO_ONE,  # the SOO of the first case, which is the one every request is about
    "infosec": INFOSEC,
    "psd": PSD_LEAD,
    "stranger": None,
}
EVERYONE = frozenset(PEOPLE)
ROSTER = EVERYONE - {"stranger"}
CHAIRS = frozenset({"chair", "deputy"})
RUN_PANEL = frozenset({"chair", "deputy", "coordinator", "administrator"})
RECORDERS = frozenset({"chair", "deputy", "administrator"})
REPORTERS = frozenset({"chair", "deputy", "coordinator", "analyst"})
# Those who read cases outside the sitting: the panel's runners and professional standards read any,
# a SOO their own.
CASE_READERS = RUN_PANEL | {"soo", "psd"}
AUDITORS = frozenset({"chair", "coordinator"})  # the force's choice (CASE_AUDIT_ROLES); the default
REFUSAL = re.compile(
    r"This app is for the scrutiny panel; ask the case coordinator"
    r"|Only [a-z ,]+ can (do that|read the audit trail|audit cases|give it|propose)"
    r"|not on this panel's roster"
    r"|You have no case with the reference"
    r"|not one of yours"
)

Setup = Callable[[World], Awaitable[None]]
Request = Callable[[World, DemoPerson | None], Awaitable[str]]


@dataclass(frozen=True)
class Row:
    """One line of the matrix: who may, how it is asked, and the state it needs first."""

    allowed: frozenset[str]
    request: Request
    changes_state: bool = True
    setup: tuple[Setup, ...] = ()
    config: PanelConfig = field(default_factory=PanelConfig)


def ref(world: World, n: int = 0) -> str:
    return world.seeded.references[n]


THE_CHAIR = Actor(CHAIR.aad_object_id, CHAIR.roles)


async def live_sitting(world: World) -> None:
    """The chair has started today's sitting and the first case is being heard."""
    sitting_id = world.seeded.sitting.sitting_id
    await world.teams.say(CHAIR, CASE_ROOM, "help")  # so the bot knows the case-room chat
    await live.start_sitting(world.deps, THE_CHAIR, sitting_id, CASE_ROOM)
    await live.next_case(world.deps, THE_CHAIR, sitting_id)


async def ended_sitting(world: World) -> None:
    """Today's sitting ended after one case: the rest were not reached."""
    await live_sitting(world)
    await live.end_sitting(world.deps, THE_CHAIR, world.seeded.sitting.sitting_id)


async def actions_done(world: World) -> None:
    """The first case has been heard and every action on it is done, so its SOO may close it."""
    await live_sitting(world)
    await live.next_case(world.deps, THE_CHAIR, world.seeded.sitting.sitting_id)
    await actions.mark_action_done(world.deps, Actor.operator("test"), ref(world), "A1")


async def closure_requested(world: World) -> None:
    """The first case's SOO has asked to close it; the chair must approve."""
    await actions_done(world)
    soo = Actor(SOO_ONE.aad_object_id, SOO_ONE.roles)
    await closure.request_closure(world.deps, soo, ref(world))


async def held(world: World) -> None:
    """The coordinator holds the first case from erasure."""
    coordinator = Actor(COORDINATOR.aad_object_id, COORDINATOR.roles)
    await retention.hold_from_erasure(world.deps, coordinator, ref(world), "A complaint is under review")


async def member_declared(world: World) -> None:
    """The panel member has declared a conflict for the second case."""
    member = Actor(MEMBER.aad_object_id, MEMBER.roles)
    await conflicts.declare_conflict(world.deps, member, ref(world, 1))


async def case_closed(world: World) -> None:
    """The first case has been heard, its action done, and its SOO has closed it."""
    await actions_done(world)
    await closure.request_closure(world.deps, Actor(SOO_ONE.aad_object_id, SOO_ONE.roles), ref(world))


async def at_conference(world: World) -> None:
    """The coordinator sent the second case to a case conference."""
    coordinator = Actor(COORDINATOR.aad_object_id, COORDINATOR.roles)
    await case_life.route_to_case_conference(world.deps, coordinator, ref(world, 1), "Serial perpetrator")


async def proposed(world: World) -> None:
    """During the hearing of the first case, the panel member has proposed an action, P1."""
    from panel.actions import OwnerRole
    from panel.proposals import ProposalKind
    from panel.usecases.proposals import ProposalForm, propose

    await live_sitting(world)
    form = ProposalForm(ProposalKind.ACTION, "Refer the victim to the IDVA service", OwnerRole.SOO)
    await propose(world.deps, Actor(MEMBER.aad_object_id, MEMBER.roles), ref(world), form)


async def review_live(world: World) -> None:
    """The case registered but on no agenda, closed, is first on today's agenda as a closed-case
    review, and is being reviewed."""
    from datetime import timedelta

    from panel.agenda import SlotKind
    from panel.case import CaseStatus, StatusChange
    from panel.usecases import agenda

    reference = unlisted(world)
    async with world.deps.uow() as uow:
        case = await uow.cases.by_reference(reference)
        case.status = CaseStatus.CLOSED
        case.history.append(
            StatusChange(CaseStatus.CLOSED, "soo", world.deps.clock.now() - timedelta(days=30))
        )
        uow.cases.save(case)
        await uow.commit()
    coordinator = Actor(COORDINATOR.aad_object_id, COORDINATOR.roles)
    sitting_id = world.seeded.sitting.sitting_id
    listed = await agenda.list_case(world.deps, coordinator, sitting_id, reference, SlotKind.CLOSED_REVIEW)
    slot = listed.sitting.slot_for_case(case.case_id)
    assert slot is not None
    await agenda.move_slot(world.deps, coordinator, sitting_id, slot.slot_id, 1)
    await live_sitting(world)


async def learning_recorded(world: World) -> None:
    """The learning analyst has recorded a learning action, L1."""
    from cli.demo_data import ANALYST
    from panel.actions import OwnerRole
    from panel.usecases import reporting

    analyst = Actor(ANALYST.aad_object_id, ANALYST.roles)
    await reporting.record_learning_action(
        world.deps, analyst, "Brief supervisors", OwnerRole.ORGANISATIONAL_LEARNING, date(2027, 1, 31)
    )


SOO_REMINDER = "action_due:demo:A1"


async def reminder_sent(world: World) -> None:
    """A reminder has gone to the first case's SOO (only they may snooze it)."""
    async with world.deps.uow() as uow:
        uow.reminders.claim(SOO_REMINDER, "test", world.clock.now(), world.clock.now(), SOO_ONE.aad_object_id)
        await uow.commit()
    async with world.deps.uow() as uow:
        uow.reminders.mark_sent(SOO_REMINDER, "test", world.clock.now())
        await uow.commit()


def typed(text: str | Callable[[World], str], chat: str = "personal") -> Request:
    async def request(world: World, person: DemoPerson | None) -> str:
        said = text(world) if callable(text) else text
        where = CASE_ROOM if chat == "group" or person is None else personal(person)
        return text_of(await world.teams.say(person, where, said))

    return request


# Each card verb's valid data, as the matrix presses it (the outsider test reuses it).
VALID_DATA: dict[str, Callable[[World], dict[str, Any]]] = {}


def pressed(verb: str, data: Callable[[World], dict[str, Any]]) -> Request:
    VALID_DATA.setdefault(verb, data)

    async def request(world: World, person: DemoPerson | None) -> str:
        where = personal(person) if person else CASE_ROOM
        before = len(world.teams.connector.sent)
        answer = await world.teams.press(person, where, verb, data(world))
        return text_of(answer) + text_of(world.teams.connector.sent[before:])

    return request


def an_audit(world: World) -> dict[str, str]:
    """An audit of the first case today: a risk-assessment concern referred to the chair."""
    return {
        "reference": ref(world),
        "on": world.deps.today().isoformat(),
        "risk_assessment": "referred_to_chair",
    }


def current_slot(world: World) -> dict[str, str]:
    return {"sitting": world.seeded.sitting.sitting_id, "slot": world.seeded.sitting.slots[0].slot_id}


def unlisted(world: World) -> str:
    assert world.seeded.unlisted is not None
    return world.seeded.unlisted


def later(world: World) -> str:
    assert world.seeded.next_sitting is not None
    return world.seeded.next_sitting.sitting_id


def last_slot(world: World) -> dict[str, str]:
    return {"sitting": world.seeded.sitting.sitting_id, "slot": world.seeded.sitting.slots[-1].slot_id}


MATRIX: dict[str, Row] = {
    "help": Row(ROSTER, typed("help"), changes_state=False),
    "agenda": Row(RUN_PANEL | {"member", "partner", "analyst"}, typed("agenda"), changes_state=False),
    "sitting": Row(
        RUN_PANEL | {"member", "partner", "analyst"}, typed("sitting", "group"), changes_state=False
    ),
    "start": Row(CHAIRS, typed("start", "group")),
    "next": Row(CHAIRS, typed("next"), setup=(live_sitting,)),
    "extend 5": Row(CHAIRS, typed("extend 5"), setup=(live_sitting,)),
    "defer": Row(CHAIRS, typed("defer"), setup=(live_sitting,)),
    "end": Row(CHAIRS, typed("end"), setup=(live_sitting,)),
    "cases": Row(CASE_READERS, typed("cases"), changes_state=False),
    "case REF": Row(CASE_READERS, typed(lambda w: f"case {ref(w)}"), changes_state=False),
    "conflict REF": Row(ROSTER, typed(lambda w: f"conflict {ref(w)}")),
    "register": Row(frozenset({"coordinator"}), typed("register"), changes_state=False),
    "audit": Row(frozenset({"infosec"}), typed("audit"), changes_state=False),
    "report": Row(REPORTERS, typed("report"), changes_state=False),
    "assurance": Row(AUDITORS, typed("assurance"), changes_state=False),
    "find": Row(frozenset({"coordinator", "psd"}), typed("find"), changes_state=False),
    "propose": Row(
        frozenset({"member", "partner", "analyst"}),
        typed("propose"),
        changes_state=False,
        setup=(live_sitting,),
    ),
    "themes": Row(REPORTERS, typed("themes"), changes_state=False),
    "sittings": Row(frozenset({"coordinator", "administrator"}), typed("sittings"), changes_state=False),
    "record": Row(CHAIRS | {"administrator"}, typed("record"), changes_state=False, setup=(live_sitting,)),
    verbs.CASE_REGISTER: Row(
        frozenset({"coordinator"}),
        pressed(
            verbs.CASE_REGISTER,
            lambda w: {
                "category": "police_victim",
                "route": "colleague",
                "received": "2026-12-01",
                "risk": "high",
            },
        ),
    ),
    verbs.CASE_APPOINT: Row(
        frozenset({"coordinator"}),
        pressed(verbs.CASE_APPOINT, lambda w: {"case": ref(w), "soo": SOO_TWO.aad_object_id}),
    ),
    verbs.CASE_NAMES: Row(
        frozenset({"coordinator"}),
        pressed(verbs.CASE_NAMES, lambda w: {"case": ref(w), "party_1": "Rowan Thistlewood"}),
    ),
    verbs.CASE_LIST: Row(
        CHAIRS | {"coordinator"},
        pressed(verbs.CASE_LIST, lambda w: {"case": unlisted(w), "sitting": later(w), "kind": "update"}),
    ),
    verbs.SITTING_CREATE: Row(
        frozenset({"coordinator", "administrator"}),
        pressed(verbs.SITTING_CREATE, lambda w: {"date": "2026-12-09", "start": "10:00"}),
    ),
    verbs.AGENDA_UP: Row(CHAIRS | {"coordinator"}, pressed(verbs.AGENDA_UP, last_slot)),
    verbs.AGENDA_REMOVE: Row(CHAIRS | {"coordinator"}, pressed(verbs.AGENDA_REMOVE, last_slot)),
    verbs.AGENDA_CARRY: Row(
        CHAIRS | {"coordinator"},
        pressed(verbs.AGENDA_CARRY, lambda w: {"sitting": w.seeded.sitting.sitting_id, "to": later(w)}),
        setup=(ended_sitting,),
    ),
    verbs.ACTION_RECORD: Row(
        CHAIRS | {"administrator"},
        pressed(
            verbs.ACTION_RECORD,
            lambda w: {
                "case": ref(w),
                "description": "Review the decision",
                "owner": "psd",
                "due": "2026-12-20",
            },
        ),
        setup=(live_sitting,),
    ),
    verbs.THEME_RECORD: Row(
        CHAIRS | {"administrator"},
        pressed(verbs.THEME_RECORD, lambda w: {"case": ref(w), "theme": "delayed_victim_updates"}),
        setup=(live_sitting,),
    ),
    verbs.CASE_OPEN: Row(CASE_READERS, pressed(verbs.CASE_OPEN, lambda w: {"case": ref(w)}), False),
    verbs.DIRECTION_RECORD: Row(
        RECORDERS,
        pressed(
            verbs.DIRECTION_RECORD, lambda w: {"case": ref(w), "kind": "victim_care", "text": "Offer an IDVA"}
        ),
        setup=(live_sitting,),
    ),
    verbs.CASE_DECISION: Row(
        RECORDERS,
        pressed(verbs.CASE_DECISION, lambda w: {"case": ref(w, 1), "decision": "ask_back", "weeks": "6"}),
        setup=(live_sitting,),
    ),
    verbs.CASE_FACTS: Row(
        frozenset({"soo", "coordinator"}),
        pressed(verbs.CASE_FACTS, lambda w: {"case": ref(w), "conduct_matter": "pending"}),
    ),
    verbs.CASE_FACTS_OPEN: Row(
        frozenset({"soo", "coordinator"}), pressed(verbs.CASE_FACTS_OPEN, lambda w: {"case": ref(w)}), False
    ),
    verbs.CASE_MORE: Row(
        frozenset({"coordinator"}), pressed(verbs.CASE_MORE, lambda w: {"case": ref(w)}), False
    ),
    verbs.CONFERENCE_RECORD: Row(
        frozenset({"coordinator"}),
        pressed(
            verbs.CONFERENCE_RECORD,
            lambda w: {"case": ref(w, 1), "held_on": "2026-12-01", "outcome": "Safety plan agreed"},
        ),
        setup=(at_conference,),
    ),
    verbs.CASE_REOPEN: Row(
        frozenset({"coordinator"}),
        pressed(verbs.CASE_REOPEN, lambda w: {"case": ref(w), "reason": "A new allegation"}),
        setup=(case_closed,),
    ),
    verbs.CASE_LINK: Row(
        frozenset({"coordinator"}), pressed(verbs.CASE_LINK, lambda w: {"case": ref(w), "other": ref(w, 1)})
    ),
    verbs.CASES_BACK: Row(CASE_READERS, pressed(verbs.CASES_BACK, lambda w: {}), False),
    verbs.CASE_UPDATE: Row(
        frozenset({"soo"}),
        pressed(verbs.CASE_UPDATE, lambda w: {"case": ref(w), "progress": "Victim updated"}),
    ),
    verbs.ACTION_DONE: Row(
        CHAIRS | {"administrator", "soo"},
        pressed(verbs.ACTION_DONE, lambda w: {"case": ref(w), "action": "A1", "note": "done"}),
    ),
    verbs.CLOSURE_REQUEST: Row(
        frozenset({"soo"}), pressed(verbs.CLOSURE_REQUEST, lambda w: {"case": ref(w)}), setup=(actions_done,)
    ),
    verbs.CLOSURE_APPROVE: Row(
        frozenset({"chair"}),
        pressed(verbs.CLOSURE_APPROVE, lambda w: {"case": ref(w)}),
        setup=(closure_requested,),
        config=PanelConfig(closure_needs_chair_approval=True),
    ),
    verbs.CLOSURE_RETURN: Row(
        frozenset({"chair"}),
        pressed(verbs.CLOSURE_RETURN, lambda w: {"case": ref(w), "reason": "One more update first"}),
        setup=(closure_requested,),
        config=PanelConfig(closure_needs_chair_approval=True),
    ),
    verbs.REMINDER_SNOOZE: Row(
        frozenset({"soo"}),
        pressed(verbs.REMINDER_SNOOZE, lambda w: {"reminder": SOO_REMINDER, "for": "tomorrow"}),
        setup=(reminder_sent,),
    ),
    verbs.CONFLICT_DECLARE: Row(ROSTER, pressed(verbs.CONFLICT_DECLARE, lambda w: {"case": ref(w, 2)})),
    "conflict.declare for someone else": Row(
        frozenset({"coordinator"}),
        pressed(verbs.CONFLICT_DECLARE, lambda w: {"case": ref(w, 2), "person": SOO_TWO.aad_object_id}),
    ),
    verbs.CONFLICT_WITHDRAW: Row(
        frozenset({"coordinator"}),
        pressed(verbs.CONFLICT_WITHDRAW, lambda w: {"case": ref(w, 1), "withdraw": MEMBER.aad_object_id}),
        setup=(member_declared,),
    ),
    verbs.RETENTION_HOLD: Row(
        frozenset({"coordinator"}),
        pressed(verbs.RETENTION_HOLD, lambda w: {"case": ref(w), "reason": "A complaint is under review"}),
    ),
    verbs.RETENTION_RELEASE: Row(
        frozenset({"coordinator"}),
        pressed(verbs.RETENTION_RELEASE, lambda w: {"case": ref(w)}),
        setup=(held,),
    ),
    # Reading the audit trail changes no record (it adds entries to the trail itself).
    verbs.REPORT_SHOW: Row(REPORTERS, pressed(verbs.REPORT_SHOW, lambda w: {"period": "year"}), False),
    verbs.REPORT_EXPORT: Row(
        REPORTERS, pressed(verbs.REPORT_EXPORT, lambda w: {"from": "2026-09-01", "to": "2026-11-30"}), False
    ),
    # Row-level data: the coordinator and the chair only (the analyst has the aggregate report).
    verbs.REPORT_CASE_FACTS: Row(
        frozenset({"chair", "coordinator"}),
        pressed(verbs.REPORT_CASE_FACTS, lambda w: {"from": "2026-09-01", "to": "2026-11-30"}),
        False,
    ),
    verbs.LEARNING_RECORD: Row(
        frozenset({"analyst", "chair"}),
        pressed(
            verbs.LEARNING_RECORD,
            lambda w: {
                "text": "Brief supervisors on colleague victims",
                "owner": "organisational_learning",
                "due": "2027-01-31",
            },
        ),
    ),
    verbs.LEARNING_DONE: Row(
        frozenset({"analyst", "chair"}),
        pressed(verbs.LEARNING_DONE, lambda w: {"action": "L1"}),
        setup=(learning_recorded,),
    ),
    verbs.NOTE_RECORD: Row(
        RECORDERS,
        pressed(verbs.NOTE_RECORD, lambda w: {"case": ref(w), "note": "Discussed the delay in updates"}),
        setup=(live_sitting,),
    ),
    verbs.ATTENDANCE_RECORD: Row(
        CHAIRS | {"administrator"},
        pressed(verbs.ATTENDANCE_RECORD, lambda w: {"people": CHAIR.aad_object_id}),
        setup=(live_sitting,),
    ),
    verbs.ASSURANCE_OPEN: Row(AUDITORS, pressed(verbs.ASSURANCE_OPEN, lambda w: {}), False),
    verbs.AUDIT_CASE_OPEN: Row(
        AUDITORS, pressed(verbs.AUDIT_CASE_OPEN, lambda w: {"reference": ref(w)}), False
    ),
    verbs.AUDIT_CASE_RECORD: Row(AUDITORS, pressed(verbs.AUDIT_CASE_RECORD, an_audit)),
    # A force that names its deputy chair as its auditor: the deputy may, the coordinator no longer.
    f"{verbs.AUDIT_CASE_RECORD} (the force names the deputy)": Row(
        frozenset({"deputy"}),
        pressed(verbs.AUDIT_CASE_RECORD, an_audit),
        config=PanelConfig(audit_roles=frozenset({Role.DEPUTY_CHAIR})),
    ),
    # Which open cases lack which facts, by reference: the coordinator alone.
    # A force reference nobody registered: answered "no case", as any that cannot be seen would be.
    verbs.FORCE_REF_FIND: Row(
        frozenset({"coordinator", "psd"}),
        pressed(verbs.FORCE_REF_FIND, lambda w: {"force_reference": "PSD/2099/0412"}),
        False,
    ),
    # After the sitting, the SOO of the case heard answers the feedback card (anonymously).
    verbs.FEEDBACK_ANSWER: Row(
        frozenset({"soo"}),
        pressed(
            verbs.FEEDBACK_ANSWER,
            lambda w: {
                "sitting": w.seeded.sitting.sitting_id,
                "as": "soo",
                "useful": "4",
                "fair": "yes",
                "clear": "partly",
            },
        ),
        setup=(ended_sitting,),
    ),
    verbs.PROPOSAL_MAKE: Row(
        frozenset({"member", "partner"}),
        pressed(
            verbs.PROPOSAL_MAKE,
            lambda w: {"case": ref(w), "kind": "action", "text": "Offer an IDVA again", "owner": "soo"},
        ),
        setup=(live_sitting,),
    ),
    # Organisational learning proposes themes (and nothing else).
    f"{verbs.PROPOSAL_MAKE} (a theme)": Row(
        frozenset({"member", "partner", "analyst"}),
        pressed(
            verbs.PROPOSAL_MAKE,
            lambda w: {"case": ref(w), "kind": "theme", "theme": next(iter(w.deps.config.taxonomy))},
        ),
        setup=(live_sitting,),
    ),
    verbs.PROPOSAL_DECIDE: Row(
        RECORDERS,
        pressed(verbs.PROPOSAL_DECIDE, lambda w: {"case": ref(w), "proposal": "P1", "accept": "yes"}),
        setup=(proposed,),
    ),
    verbs.REVIEW_RECORD: Row(
        RECORDERS,
        pressed(verbs.REVIEW_RECORD, lambda w: {"case": unlisted(w), "risk_assessment": "no_action_needed"}),
        setup=(review_live,),
    ),
    verbs.REVIEW_SAMPLE: Row(AUDITORS, pressed(verbs.REVIEW_SAMPLE, lambda w: {"rule": "nfa"}), False),
    verbs.GAPS_SHOW: Row(frozenset({"coordinator"}), pressed(verbs.GAPS_SHOW, lambda w: {}), False),
    verbs.GAPS_EXPORT: Row(frozenset({"coordinator"}), pressed(verbs.GAPS_EXPORT, lambda w: {}), False),
    verbs.AUDIT_SEARCH: Row(frozenset({"infosec"}), pressed(verbs.AUDIT_SEARCH, lambda w: {}), False),
    verbs.AUDIT_EXPORT: Row(frozenset({"infosec"}), pressed(verbs.AUDIT_EXPORT, lambda w: {}), False),
    verbs.AUDIT_VERIFY: Row(frozenset({"infosec"}), pressed(verbs.AUDIT_VERIFY, lambda w: {}), False),
    verbs.NEXT: Row(CHAIRS, pressed(verbs.NEXT, current_slot), setup=(live_sitting,)),
    verbs.NEXT_ANYWAY: Row(CHAIRS, pressed(verbs.NEXT_ANYWAY, current_slot), setup=(live_sitting,)),
    verbs.EXTEND: Row(CHAIRS, pressed(verbs.EXTEND, current_slot), setup=(live_sitting,)),
    verbs.DEFER: Row(CHAIRS, pressed(verbs.DEFER, current_slot), setup=(live_sitting,)),
    verbs.END: Row(CHAIRS, pressed(verbs.END, current_slot), setup=(live_sitting,)),
    # Views are never refused to the roster: need-to-know decides what each person is shown (tested
    # on their own). Someone not on the roster gets the one short answer.
    verbs.REFRESH_CONTROL: Row(ROSTER, pressed(verbs.REFRESH_CONTROL, current_slot), False, (live_sitting,)),
    verbs.CASE_REFRESH: Row(ROSTER, pressed(verbs.CASE_REFRESH, current_slot), False, (live_sitting,)),
}
