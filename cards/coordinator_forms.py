"""The coordinator's forms: register a case, manage it, create a sitting and build its agenda.

Views carry references, choices and counts only. Party names are only ever an input (password
style), never shown: there is no view field that could hold one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import (
    ActionSet,
    ActionShowCard,
    AdaptiveCard,
    Fact,
    FactSet,
    InputDate,
    InputText,
    InputTime,
    InputToggle,
    TextBlock,
)
from adaptive_cards.types import (
    ActionStyle,
    FontWeight,
    Spacing,
    TextInputStyle,
)

from cards import verbs
from cards.case_cards import latest_update_items
from cards.form_parts import Banner, Choice, card, choices, subform
from cards.render import TEAMS_CARD_VERSION, execute
from cards.style import warning
from panel.case_facts import CaseFacts
from panel.force_reference import RECORD_WORDS, ForceRecord
from panel.labels import label

# --- coordinator ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterView:
    """The register-a-case form: the choices it offers."""

    categories: tuple[Choice, ...]
    routes: tuple[Choice, ...]
    risks: tuple[Choice, ...]
    soos: tuple[Choice, ...]
    today: str
    banner: Banner | None = None


def register_card(view: RegisterView) -> dict[str, Any]:
    """Register a case anonymously; party names (optional) go only to the identity guard."""
    body = [
        choices("category", "Category", view.categories),
        choices("route", "Referred by", view.routes, error="Choose how the case was referred."),
        InputDate(
            id="received",
            label="Date received",
            is_required=True,
            max=view.today,
            error_message="Give the date received: today or before.",
        ),
        choices("risk", "Risk", view.risks),
        choices("soo", "Senior oversight officer", view.soos, required=False),
        TextBlock(text="Case conference criteria", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM),
        InputToggle(
            id="both_parties_police",
            title="Both victim and perpetrator are police",
            value_on="true",
            value_off="false",
        ),
        InputToggle(
            id="counter_allegation",
            title="Allegation and counter-allegation",
            value_on="true",
            value_off="false",
        ),
        InputToggle(
            id="serial_or_multiple_victims",
            title="Serial perpetrator or multiple victims",
            value_on="true",
            value_off="false",
        ),
        InputToggle(
            id="position_of_power",
            title="Perpetrator in a particular position of power",
            value_on="true",
            value_off="false",
        ),
        *party_name_inputs(),
        *force_reference_inputs(),
    ]
    return card(
        "Register a case",
        body,
        [execute("Register", verbs.CASE_REGISTER, {}, ActionStyle.POSITIVE)],
        view.banner,
    )


PARTY_FIELDS = 3
FORCE_REF_FIELD = "force_ref_"  # + the record: force_ref_psd, force_ref_crime...


def force_reference_inputs() -> list[Any]:
    """Hidden inputs for the force's own record references for the case."""
    items: list[Any] = [
        TextBlock(
            text="The force's own references for this case (optional). Kept only as keyed hashes: you can "
            "find the case by one (say **find**), and the bot refuses it in any other text.",
            wrap=True,
            spacing=Spacing.MEDIUM,
            is_subtle=True,
        )
    ]
    for record in ForceRecord:
        items.append(
            InputText(
                id=f"{FORCE_REF_FIELD}{record.value}",
                label=RECORD_WORDS[record],
                style=TextInputStyle.PASSWORD,
                max_length=60,
            )
        )
    return items


def party_name_inputs() -> list[Any]:
    """Hidden inputs for parties' names, each with the choice of how its everyday words block."""
    items: list[Any] = [
        TextBlock(
            text="Names of the parties (optional). They are never stored or shown: only kept as keyed hashes "
            "so that the bot refuses any text that names them.",
            wrap=True,
            spacing=Spacing.MEDIUM,
            is_subtle=True,
        ),
        TextBlock(
            text="A part of a name that is also an everyday word (Mark, Will, Rose, Green) is refused on "
            'its own only when written with a capital mid-sentence, so that "PSD will mark it done" still '
            "works. The whole name is always refused.",
            wrap=True,
            is_subtle=True,
        ),
    ]
    for n in range(1, PARTY_FIELDS + 1):
        items += [
            InputText(id=f"party_{n}", label=f"Party {n}", style=TextInputStyle.PASSWORD, max_length=80),
            InputToggle(
                id=f"everyday_{n}",
                title=f"Refuse party {n}'s everyday-word parts however they are written",
                value_on="true",
                value_off="false",
            ),
        ]
    return items


@dataclass(frozen=True)
class ManageView:
    """The coordinator's card for one case: appoint the SOO, list it on a sitting."""

    reference: str
    status: str
    soo: str
    advice: tuple[str, ...]
    soos: tuple[Choice, ...]
    sittings: tuple[Choice, ...]
    banner: Banner | None = None
    has_soo: bool = False
    conflicts: tuple[Choice, ...] = ()  # (staff name, roster id) of each standing declaration
    people: tuple[Choice, ...] = ()  # the roster, to record a declaration made in person
    held: str | None = None  # why the case is held from erasure, if it is
    listed_on: str | None = None  # the sitting whose agenda it waits on
    latest_update: tuple[str, str] | None = None
    closed: bool = False  # listed only as a closed-case review (it stays closed)


def manage_card(view: ManageView) -> dict[str, Any]:
    """What the coordinator can do with a case: the SOO, the agenda, conflicts of interest."""
    facts = [Fact(title="Status", value=view.status), Fact(title="SOO", value=view.soo)]
    if view.listed_on:
        facts.append(Fact(title="On the agenda", value=view.listed_on))
    if view.conflicts:
        facts.append(Fact(title="Conflicts declared", value=", ".join(name for name, _ in view.conflicts)))
    if view.held:
        facts.append(Fact(title="Held from erasure", value=view.held))
    body: list[Any] = [FactSet(facts=facts)]
    if view.advice:
        body.append(warning("Case conference recommended: " + "; ".join(view.advice)))
    body += latest_update_items(view.latest_update)
    ref = {"case": view.reference}
    appoint = subform(
        [choices("soo", "SOO", view.soos)],
        execute("Change SOO" if view.has_soo else "Appoint", verbs.CASE_APPOINT, ref, ActionStyle.POSITIVE),
    )
    actions: list[Any] = [ActionShowCard(title="Change SOO" if view.has_soo else "Appoint SOO", card=appoint)]
    if view.sittings:
        listing = subform(
            [
                choices("sitting", "Sitting", view.sittings),
                choices(
                    "kind",
                    "Slot",
                    (("Closed-case review (15 min)", "closed_review"),)
                    if view.closed
                    else (
                        ("New (15 min)", "new"),
                        ("Update (10 min)", "update"),
                        ("Complex (30 min)", "complex"),
                    ),
                ),
                # A review's length is the force's setting; custom minutes make an ordinary slot.
                *(
                    ()
                    if view.closed
                    else (InputText(id="minutes", label="Or minutes", placeholder="e.g. 20", max_length=3),)
                ),
            ],
            execute("List", verbs.CASE_LIST, ref, ActionStyle.POSITIVE),
        )
        actions.append(ActionShowCard(title="List on a sitting", card=listing))
    actions.append(ActionShowCard(title="Conflicts of interest", card=_conflicts(view)))
    actions.append(execute("More about this case", verbs.CASE_MORE, ref))
    return card(f"Case {view.reference}", body, actions, view.banner)


@dataclass(frozen=True)
class CaseLifeView:
    """The coordinator's second card for a case: its facts, links, names, erasure hold, and its
    life (reopened when closed, the conference's outcome when at one)."""

    reference: str
    facts: CaseFacts
    today: str
    closed: bool = False
    at_conference: bool = False
    held: str | None = None
    linked: tuple[str, ...] = ()
    banner: Banner | None = None
    notes: tuple[tuple[str, str], ...] = ()  # (the hearing's date in words, the note): the latest few


def case_life_card(view: CaseLifeView) -> dict[str, Any]:
    """Facts, links, party names, the erasure hold, and reopening or the conference's outcome."""
    ref = {"case": view.reference}
    body: list[Any] = []
    if view.linked:
        body.append(FactSet(facts=[Fact(title="Linked to", value=", ".join(view.linked))]))
    if view.notes:
        body.append(TextBlock(text="Notes of the discussion", weight=FontWeight.BOLDER, wrap=True))
        body.append(FactSet(facts=[Fact(title=day, value=text) for day, text in view.notes]))
    if view.held:
        body.append(FactSet(facts=[Fact(title="Held from erasure", value=view.held)]))
    if not body:
        body.append(
            TextBlock(text="Facts, links, party names and the case's life.", is_subtle=True, wrap=True)
        )
    link = subform(
        [
            TextBlock(
                text="Join this case up with another the panel should see beside it (for example when "
                "told they may be linked). Each will show the other's reference.",
                wrap=True,
                is_subtle=True,
            ),
            InputText(id="other", label="The other case's reference", placeholder="K7F-2QM", max_length=8),
        ],
        execute("Link them", verbs.CASE_LINK, ref),
    )
    names = subform(
        [*party_name_inputs(), *force_reference_inputs()],
        execute("Register them", verbs.CASE_NAMES, ref, ActionStyle.POSITIVE),
    )
    actions: list[Any] = [
        execute("Case facts", verbs.CASE_FACTS_OPEN, ref),  # a card of their own, for its size
        ActionShowCard(title="Link to another case", card=link),
        ActionShowCard(title="Names and force references", card=names),
    ]
    if view.held:
        actions.append(execute("Release the erasure hold", verbs.RETENTION_RELEASE, ref))
    else:
        hold = subform(
            [
                TextBlock(
                    text="A held case is kept past the retention period until the hold is released.",
                    wrap=True,
                    is_subtle=True,
                ),
                InputText(
                    id="reason",
                    label="Why (no names)",
                    max_length=300,
                    is_required=True,
                    error_message="Say why it is held.",
                ),
            ],
            execute("Hold it", verbs.RETENTION_HOLD, ref),
        )
        actions.append(ActionShowCard(title="Hold from erasure", card=hold))
    if view.closed:
        reopen = subform(
            [InputText(id="reason", label="Why it is reopened (no names)", max_length=300, is_required=True)],
            execute("Reopen it", verbs.CASE_REOPEN, ref, ActionStyle.DESTRUCTIVE),
        )
        actions.append(ActionShowCard(title="Reopen", card=reopen))
    elif view.at_conference:
        held_on = subform(
            [
                InputDate(
                    id="held_on",
                    label="Held on",
                    max=view.today,
                    is_required=True,
                    error_message="Give the date it was held: today or before.",
                ),
                InputText(
                    id="outcome",
                    label="Outcome (no names)",
                    max_length=500,
                    is_multiline=True,
                    is_required=True,
                    error_message="Say what the case conference decided.",
                ),
            ],
            execute("Record the conference", verbs.CONFERENCE_RECORD, ref, ActionStyle.POSITIVE),
        )
        actions.append(ActionShowCard(title="Case conference held", card=held_on))
    return card(f"More about case {view.reference}", body, actions, view.banner)


def _conflicts(view: ManageView) -> AdaptiveCard:
    """Record a declaration made in person, or withdraw one (the coordinator alone may)."""
    items: list[Any] = [
        choices("person", "Who declared it", view.people, required=False, error="Choose who declared it."),
        InputText(id="reason", label="Reason (optional, no names)", max_length=200),
        ActionSet(
            actions=[
                execute(
                    "Record their declaration",
                    verbs.CONFLICT_DECLARE,
                    {"case": view.reference},
                    ActionStyle.DESTRUCTIVE,
                )
            ]
        ),
    ]
    if view.conflicts:
        items += [
            TextBlock(text="Withdraw a declaration", weight=FontWeight.BOLDER, spacing=Spacing.LARGE),
            choices("withdraw", "Declaration", view.conflicts, required=False),
            ActionSet(actions=[execute("Withdraw it", verbs.CONFLICT_WITHDRAW, {"case": view.reference})]),
        ]
    return AdaptiveCard.new().version(TEAMS_CARD_VERSION).add_items(items).create()


@dataclass(frozen=True)
class AgendaLine:
    """One slot on the agenda builder."""

    slot_id: str
    reference: str
    kind: str
    minutes: int
    starts: str  # "10:40", or "" for a case the sitting did not reach
    state: str  # the code: waiting, live, heard, not_reached


@dataclass(frozen=True)
class AgendaView:
    """The coordinator's agenda builder for one sitting."""

    sitting_id: str
    title: str
    lines: tuple[AgendaLine, ...]
    finish: str  # "Projected finish 12:44", or "Ended at 11:42"
    warning: str | None
    later_sittings: tuple[Choice, ...] = ()
    not_reached: int = 0
    banner: Banner | None = None


def agenda_card(view: AgendaView) -> dict[str, Any]:
    """The agenda with times as they change: move up, remove (triage with a reason), carry forward."""
    body: list[Any] = []
    for line in view.lines:
        body.append(
            TextBlock(
                text=f"{line.starts or '—'}  {line.reference} · {label(line.kind)} · {line.minutes} min · "
                f"{label(line.state)}",
                wrap=True,
            )
        )
    if not view.lines:
        body.append(TextBlock(text="No cases yet: list one from its case card.", is_subtle=True))
    body.append(TextBlock(text=view.finish, weight=FontWeight.BOLDER))
    if view.warning:
        body.append(warning(view.warning))
    sitting = {"sitting": view.sitting_id}
    actions: list[Any] = []
    waiting = [line for line in view.lines if line.state == "waiting"]
    if waiting:
        move = subform(
            [choices("slot", "Case", [(line.reference, line.slot_id) for line in waiting])],
            execute("Move up", verbs.AGENDA_UP, sitting),
        )
        remove = subform(
            [
                choices("slot", "Case", [(line.reference, line.slot_id) for line in waiting]),
                InputText(id="reason", label="Triage reason (no names)", max_length=300, is_multiline=True),
            ],
            execute("Take off the agenda", verbs.AGENDA_REMOVE, sitting, ActionStyle.DESTRUCTIVE),
        )
        actions += [
            ActionShowCard(title="Reorder", card=move),
            ActionShowCard(title="Triage / remove", card=remove),
        ]
    if view.not_reached and view.later_sittings:
        carry = subform(
            [choices("to", "Next sitting", view.later_sittings)],
            execute("Offer them", verbs.AGENDA_CARRY, sitting, ActionStyle.POSITIVE),
        )
        actions.append(
            ActionShowCard(
                title=f"Offer {view.not_reached} unheard case{'s' if view.not_reached != 1 else ''} "
                "for the next sitting",
                card=carry,
            )
        )
    return card(view.title, body, actions, view.banner)


@dataclass(frozen=True)
class SittingFormView:
    """The create-a-sitting form."""

    today: str
    banner: Banner | None = None


def sitting_form_card(view: SittingFormView) -> dict[str, Any]:
    """Create a sitting: date, start (London), length, the two meetings."""
    body = [
        InputDate(id="date", label="Date", is_required=True, error_message="Choose the date."),
        InputTime(
            id="start",
            label="Start (London time)",
            value="10:00",
            is_required=True,
            error_message="Choose the start time.",
        ),
        InputText(id="length", label="Length in minutes", value="180", max_length=3),
        InputText(
            id="link",
            label="Case-room meeting link",
            placeholder="https://teams.microsoft.com/l/meetup-join/…",
            max_length=2000,
        ),
        InputText(id="meeting", label="Waiting-room meeting id", max_length=500),
    ]
    return card(
        "New sitting",
        body,
        [execute("Create sitting", verbs.SITTING_CREATE, {}, ActionStyle.POSITIVE)],
        view.banner,
    )
