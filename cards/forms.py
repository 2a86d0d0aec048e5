"""Form cards: register a case, manage it, build an agenda, record actions and themes, the SOO's
case list and update form, the chair's closure approval, and notices.

Views carry references, choices and counts only. Party names are only ever an input (password
style), never shown: there is no view field that could hold one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from adaptive_cards.card import (
    ActionExecute,
    ActionShowCard,
    AdaptiveCard,
    Container,
    Fact,
    FactSet,
    InputChoice,
    InputChoiceSet,
    InputDate,
    InputText,
    InputToggle,
    TextBlock,
)
from adaptive_cards.types import (
    ActionStyle,
    Colors,
    ContainerStyle,
    FontSize,
    FontWeight,
    Spacing,
    TextInputStyle,
)

from cards import verbs
from cards.live import ActionLine
from cards.render import CONFIDENTIALITY_NOTE, TEAMS_CARD_VERSION, execute, to_dict

Choice = tuple[str, str]  # (shown, value)


@dataclass(frozen=True)
class Banner:
    """A line at the top of a form: what just happened, or why it did not."""

    text: str
    ok: bool


def _card(title: str, body: Sequence[Any], actions: Sequence[Any], banner: Banner | None) -> dict[str, Any]:
    items: list[Any] = [TextBlock(text=title, size=FontSize.MEDIUM, weight=FontWeight.BOLDER, wrap=True)]
    if banner is not None:
        items.append(
            Container(
                style=ContainerStyle.GOOD if banner.ok else ContainerStyle.ATTENTION,
                items=[TextBlock(text=banner.text, wrap=True)],
            )
        )
    items += list(body)
    builder = AdaptiveCard.new().version(TEAMS_CARD_VERSION).fallback_text(title).add_items(items)
    if actions:
        builder = builder.add_actions(list(actions))
    return to_dict(builder.create())


def _subform(inputs: Sequence[Any], action: ActionExecute) -> AdaptiveCard:
    """The card inside an Action.ShowCard: some inputs and the one button that submits them."""
    return AdaptiveCard.new().version(TEAMS_CARD_VERSION).add_items(list(inputs)).add_action(action).create()


def _choices(
    id_: str, label: str, options: Sequence[Choice], required: bool = True, value: str | None = None
) -> InputChoiceSet:
    return InputChoiceSet(
        id=id_,
        label=label,
        is_required=required,
        error_message=f"Choose the {label.lower()}.",
        value=value,
        choices=[InputChoice(title=shown, value=val) for shown, val in options],
    )


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
        _choices("category", "Category", view.categories),
        _choices("route", "Referred by", view.routes),
        InputDate(
            id="received",
            label="Date received",
            is_required=True,
            max=view.today,
            error_message="Give the date received.",
        ),
        _choices("risk", "Risk", view.risks),
        _choices("soo", "Senior oversight officer", view.soos, required=False),
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
        TextBlock(
            text="Names of the parties (optional). They are never stored or shown: only kept as keyed hashes "
            "so that the bot refuses any text that names them.",
            wrap=True,
            spacing=Spacing.MEDIUM,
            is_subtle=True,
        ),
        InputText(id="party_1", label="Party", style=TextInputStyle.PASSWORD, max_length=80),
        InputText(id="party_2", label="Party", style=TextInputStyle.PASSWORD, max_length=80),
        InputText(id="party_3", label="Party", style=TextInputStyle.PASSWORD, max_length=80),
    ]
    return _card(
        "Register a case",
        body,
        [execute("Register", verbs.CASE_REGISTER, {}, ActionStyle.POSITIVE)],
        view.banner,
    )


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


def manage_card(view: ManageView) -> dict[str, Any]:
    """What the coordinator can do with a case."""
    body: list[Any] = [
        FactSet(facts=[Fact(title="Status", value=view.status), Fact(title="SOO", value=view.soo)])
    ]
    if view.advice:
        body.append(
            TextBlock(
                text="Case conference recommended: " + "; ".join(view.advice), wrap=True, color=Colors.WARNING
            )
        )
    ref = {"case": view.reference}
    appoint = _subform(
        [_choices("soo", "SOO", view.soos)],
        execute("Appoint", verbs.CASE_APPOINT, ref, ActionStyle.POSITIVE),
    )
    actions: list[Any] = [ActionShowCard(title="Appoint SOO", card=appoint)]
    if view.sittings:
        listing = _subform(
            [
                _choices("sitting", "Sitting", view.sittings),
                _choices(
                    "kind",
                    "Slot",
                    (
                        ("New (15 min)", "new"),
                        ("Update (10 min)", "update"),
                        ("Complex (30 min)", "complex"),
                    ),
                ),
                InputText(id="minutes", label="Or minutes", placeholder="e.g. 20", max_length=3),
            ],
            execute("List", verbs.CASE_LIST, ref, ActionStyle.POSITIVE),
        )
        actions.append(ActionShowCard(title="List on a sitting", card=listing))
    return _card(f"Case {view.reference}", body, actions, view.banner)


@dataclass(frozen=True)
class AgendaLine:
    """One slot on the agenda builder."""

    slot_id: str
    reference: str
    kind: str
    minutes: int
    starts: str
    state: str


@dataclass(frozen=True)
class AgendaView:
    """The coordinator's agenda builder for one sitting."""

    sitting_id: str
    title: str
    lines: tuple[AgendaLine, ...]
    projected_finish: str
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
                text=f"{line.starts}  {line.reference} · {line.kind} · {line.minutes} min · {line.state}",
                wrap=True,
            )
        )
    if not view.lines:
        body.append(TextBlock(text="No cases yet: list one from its case card.", is_subtle=True))
    body.append(TextBlock(text=f"Projected finish {view.projected_finish}", weight=FontWeight.BOLDER))
    if view.warning:
        body.append(TextBlock(text=view.warning, wrap=True, color=Colors.WARNING))
    sitting = {"sitting": view.sitting_id}
    actions: list[Any] = []
    waiting = [line for line in view.lines if line.state == "waiting"]
    if waiting:
        move = _subform(
            [_choices("slot", "Case", [(line.reference, line.slot_id) for line in waiting])],
            execute("Move up", verbs.AGENDA_UP, sitting),
        )
        remove = _subform(
            [
                _choices("slot", "Case", [(line.reference, line.slot_id) for line in waiting]),
                InputText(id="reason", label="Triage reason (no names)", max_length=300, is_multiline=True),
            ],
            execute("Take off the agenda", verbs.AGENDA_REMOVE, sitting, ActionStyle.DESTRUCTIVE),
        )
        actions += [
            ActionShowCard(title="Reorder", card=move),
            ActionShowCard(title="Triage / remove", card=remove),
        ]
    if view.not_reached and view.later_sittings:
        carry = _subform(
            [_choices("to", "Next sitting", view.later_sittings)],
            execute("Offer them", verbs.AGENDA_CARRY, sitting, ActionStyle.POSITIVE),
        )
        actions.append(
            ActionShowCard(title=f"Offer {view.not_reached} unheard case(s) for the next sitting", card=carry)
        )
    return _card(view.title, body, actions, view.banner)


@dataclass(frozen=True)
class SittingFormView:
    """The create-a-sitting form."""

    today: str
    banner: Banner | None = None


def sitting_form_card(view: SittingFormView) -> dict[str, Any]:
    """Create a sitting: date, start (London), length, the two meetings."""
    body = [
        InputDate(id="date", label="Date", is_required=True, error_message="Choose the date."),
        InputText(
            id="start",
            label="Start (HH:MM, London)",
            placeholder="10:00",
            is_required=True,
            max_length=5,
            regex=r"^\d{1,2}:\d{2}$",
            error_message="Write the start as HH:MM.",
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
    return _card(
        "New sitting",
        body,
        [execute("Create sitting", verbs.SITTING_CREATE, {}, ActionStyle.POSITIVE)],
        view.banner,
    )


# --- administrator -------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordView:
    """The administrator's form for the case being heard."""

    reference: str
    owners: tuple[Choice, ...]
    themes: tuple[Choice, ...]
    today: str
    banner: Banner | None = None


def record_card(view: RecordView) -> dict[str, Any]:
    """Record an action (description, owner role, due date) or a theme for the case being heard."""
    ref = {"case": view.reference}
    action = _subform(
        [
            InputText(
                id="description",
                label="Action (no names)",
                is_multiline=True,
                max_length=500,
                is_required=True,
                error_message="Describe the action.",
            ),
            _choices("owner", "Owner", view.owners),
            InputDate(id="due", label="Due", is_required=True, error_message="Give a due date."),
        ],
        execute("Record action", verbs.ACTION_RECORD, ref, ActionStyle.POSITIVE),
    )
    theme = _subform(
        [
            _choices("theme", "Theme", view.themes, required=False),
            InputText(id="tag", label="Or a short tag", max_length=40),
        ],
        execute("Record theme", verbs.THEME_RECORD, ref),
    )
    body = [TextBlock(text=CONFIDENTIALITY_NOTE, wrap=True, size=FontSize.SMALL, is_subtle=True)]
    return _card(
        f"Record for case {view.reference}",
        body,
        [ActionShowCard(title="Action", card=action), ActionShowCard(title="Theme", card=theme)],
        view.banner,
    )


# --- SOO -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLine:
    """One of the SOO's cases in their list."""

    reference: str
    status: str
    open_actions: int
    since_update: str
    investigator_changes: int
    age_days: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class CaseListView:
    """The SOO's own open cases."""

    lines: tuple[CaseLine, ...]


def case_list_card(view: CaseListView) -> dict[str, Any]:
    """Each case with the early-warning measures, and a button to its update form."""
    body: list[Any] = []
    for line in view.lines:
        facts = [
            Fact(title="Status", value=line.status),
            Fact(title="Open actions", value=str(line.open_actions)),
            Fact(title="Victim last updated", value=line.since_update),
            Fact(title="Investigator changes", value=str(line.investigator_changes)),
            Fact(title="Investigation age", value=f"{line.age_days} days"),
        ]
        items: list[Any] = [
            TextBlock(text=f"Case {line.reference}", weight=FontWeight.BOLDER),
            FactSet(facts=facts),
        ]
        if line.flags:
            items.append(TextBlock(text="⚠ " + "; ".join(line.flags), wrap=True, color=Colors.ATTENTION))
        body.append(Container(items=items, separator=True, spacing=Spacing.MEDIUM))
    if not view.lines:
        body.append(TextBlock(text="You have no open cases.", is_subtle=True))
    actions = [
        execute(f"Open {line.reference}", verbs.CASE_OPEN, {"case": line.reference})
        for line in view.lines[:6]
    ]
    return _card("Your cases", body, actions, None)


@dataclass(frozen=True)
class CaseFormView:
    """The SOO's case update form."""

    reference: str
    status: str
    actions: tuple[ActionLine, ...]
    signals: tuple[tuple[str, str], ...]
    flags: tuple[str, ...]
    today: str
    closed: bool = False
    outstanding: tuple[str, ...] = field(default_factory=tuple)
    banner: Banner | None = None


def case_form_card(view: CaseFormView) -> dict[str, Any]:
    """Progress update, each action with Mark done, and Request closure."""
    ref = {"case": view.reference}
    body: list[Any] = [
        FactSet(
            facts=[
                Fact(title="Status", value=view.status),
                *(Fact(title=k, value=v) for k, v in view.signals),
            ]
        )
    ]
    if view.flags:
        body.append(TextBlock(text="⚠ " + "; ".join(view.flags), wrap=True, color=Colors.ATTENTION))
    if view.outstanding:
        body.append(
            TextBlock(
                text="Still outstanding before closure:", weight=FontWeight.BOLDER, color=Colors.ATTENTION
            )
        )
        body += [TextBlock(text=f"• {line}", wrap=True) for line in view.outstanding]
    body.append(TextBlock(text="Agreed actions", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    for action in view.actions:
        body.append(
            TextBlock(
                text=f"{action.action_id} · {action.status} · {action.description} "
                f"({action.owner}, due {action.due})",
                wrap=True,
            )
        )
    if not view.actions:
        body.append(TextBlock(text="No actions agreed yet.", is_subtle=True))
    if view.closed:
        return _card(f"Case {view.reference}", body, [], view.banner)
    update = _subform(
        [
            InputText(id="progress", label="Progress (no names)", is_multiline=True, max_length=1000),
            InputDate(id="victim_updated", label="Victim last updated on", max=view.today),
            InputToggle(
                id="investigator_changed",
                title="The investigator has changed",
                value_on="true",
                value_off="false",
            ),
        ],
        execute("Save update", verbs.CASE_UPDATE, ref, ActionStyle.POSITIVE),
    )
    actions: list[Any] = [ActionShowCard(title="Update", card=update)]
    open_actions = [a for a in view.actions if a.status == "open"]
    if open_actions:
        done = _subform(
            [
                _choices(
                    "action",
                    "Action",
                    [(f"{a.action_id}: {a.description[:60]}", a.action_id) for a in open_actions],
                ),
                InputText(id="note", label="Completion note (no names)", max_length=300),
            ],
            execute("Mark done", verbs.ACTION_DONE, ref, ActionStyle.POSITIVE),
        )
        actions.append(ActionShowCard(title="Mark an action done", card=done))
    actions.append(execute("Request closure", verbs.CLOSURE_REQUEST, ref))
    return _card(f"Case {view.reference}", body, actions, view.banner)


# --- chair and everyone ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalView:
    """A closure waiting for the chair."""

    reference: str
    actions_done: int
    actions_cancelled: int
    banner: Banner | None = None
    decided: bool = False


def approval_card(view: ApprovalView) -> dict[str, Any]:
    """Approve the closure, or return it with a reason."""
    body = [
        TextBlock(text="Every agreed action is settled and the SOO asks to close the case.", wrap=True),
        FactSet(
            facts=[
                Fact(title="Done", value=str(view.actions_done)),
                Fact(title="Cancelled with reason", value=str(view.actions_cancelled)),
            ]
        ),
    ]
    if view.decided:
        return _card(f"Closure of case {view.reference}", body, [], view.banner)
    ref = {"case": view.reference}
    ret = _subform(
        [
            InputText(
                id="reason",
                label="Reason (no names)",
                is_multiline=True,
                max_length=300,
                is_required=True,
                error_message="Give a reason.",
            )
        ],
        execute("Return to the SOO", verbs.CLOSURE_RETURN, ref, ActionStyle.DESTRUCTIVE),
    )
    return _card(
        f"Closure of case {view.reference}",
        body,
        [
            execute("Approve closure", verbs.CLOSURE_APPROVE, ref, ActionStyle.POSITIVE),
            ActionShowCard(title="Return", card=ret),
        ],
        view.banner,
    )


@dataclass(frozen=True)
class NoticeView:
    """A 1:1 notice: a title, facts, and optionally a button to open the case."""

    title: str
    facts: tuple[tuple[str, str], ...]
    open_case: str | None = None


def notice_card(view: NoticeView) -> dict[str, Any]:
    """A short notice about one case, by reference only."""
    body = [FactSet(facts=[Fact(title=k, value=v) for k, v in view.facts])] if view.facts else []
    actions = [execute("Open the case", verbs.CASE_OPEN, {"case": view.open_case})] if view.open_case else []
    return _card(view.title, body, actions, None)


@dataclass(frozen=True)
class ReminderView:
    """A reminder: title, facts, and the buttons that make sense for it."""

    key: str
    title: str
    facts: tuple[tuple[str, str], ...]
    open_case: str | None
    sitting_id: str | None


def reminder_card(view: ReminderView) -> dict[str, Any]:
    """A reminder by case reference only, with Open the case form and Snooze."""
    body = [FactSet(facts=[Fact(title=k, value=v) for k, v in view.facts])] if view.facts else []
    actions: list[Any] = []
    if view.open_case:
        actions.append(
            execute("Open the case form", verbs.CASE_OPEN, {"case": view.open_case}, ActionStyle.POSITIVE)
        )
    actions.append(execute("Snooze 1 day", verbs.REMINDER_SNOOZE, {"key": view.key, "for": "day"}))
    if view.sitting_id:
        actions.append(
            execute(
                "Snooze until the sitting",
                verbs.REMINDER_SNOOZE,
                {"key": view.key, "for": "sitting", "sitting": view.sitting_id},
            )
        )
    return _card(view.title, body, actions, None)
