"""Forms about one case: the administrator's record form, the SOO's case list and update form, and
the chair's closure approval. Views carry references, choices and counts only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from adaptive_cards.card import (
    ActionShowCard,
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
    FontSize,
    FontWeight,
    Spacing,
)

from cards import verbs
from cards.assurance_cards import review_findings
from cards.case_cards import ActionLine, action_text, latest_update_items
from cards.form_parts import Banner, Choice, card, choices, subform
from cards.proposal_cards import DIRECTION_KINDS, PendingLine, pending_items
from cards.render import CONFIDENTIALITY_NOTE, execute
from cards.style import attention
from panel.case_facts import CaseFacts
from panel.labels import label

# --- administrator -------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordView:
    """The administrator's form for the case being heard."""

    reference: str
    owners: tuple[Choice, ...]
    themes: tuple[Choice, ...]
    today: str
    banner: Banner | None = None
    panel: tuple[Choice, ...] = ()  # the panel's members, to tick who attended
    attended: tuple[str, ...] = ()  # ticked already (from the case room's joins, or ticked before)
    notes: tuple[str, ...] = ()  # notes of the discussion kept at this hearing so far
    pending: tuple[PendingLine, ...] = ()  # proposals waiting for a decision
    review: bool = False  # a closed-case review: findings in place of the panel's decision


def record_card(view: RecordView) -> dict[str, Any]:
    """Record an action (description, owner role, due date) or a theme for the case being heard."""
    ref = {"case": view.reference}
    action = subform(
        [
            InputText(
                id="description",
                label="Action (no names)",
                is_multiline=True,
                max_length=500,
                is_required=True,
                error_message="Describe the action.",
            ),
            choices("owner", "Owner", view.owners),
            InputDate(id="due", label="Due", is_required=True, error_message="Give a due date."),
        ],
        execute("Record action", verbs.ACTION_RECORD, ref, ActionStyle.POSITIVE),
    )
    theme = subform(
        [
            choices("theme", "Theme", view.themes, required=False),
            InputText(id="tag", label="Or a short tag", max_length=40),
        ],
        execute("Record theme", verbs.THEME_RECORD, ref),
    )
    direction = subform(
        [
            choices(
                "kind",
                "About",
                DIRECTION_KINDS,
            ),
            InputText(
                id="text",
                label="Direction (no names)",
                is_multiline=True,
                max_length=500,
                is_required=True,
                error_message="Write the direction.",
            ),
        ],
        execute("Record direction", verbs.DIRECTION_RECORD, ref),
    )
    decision = subform(
        [
            TextBlock(text="What the panel decided about the case as a whole.", wrap=True, is_subtle=True),
            choices(
                "decision",
                "Decision",
                (
                    ("No actions needed: the SOO may ask to close", "no_actions"),
                    ("Asked back", "ask_back"),
                    ("Send to a case conference", "conference"),
                ),
            ),
            InputText(id="weeks", label="Asked back in how many weeks", placeholder="e.g. 6", max_length=2),
            InputText(
                id="reason", label="Why a case conference (no names)", max_length=300, is_multiline=True
            ),
        ],
        execute("Record decision", verbs.CASE_DECISION, ref, ActionStyle.POSITIVE),
    )
    notes = subform(
        [
            *(TextBlock(text=f"• {note}", wrap=True) for note in view.notes),
            InputText(
                id="note",
                label="Notes of the discussion (no names)",
                is_multiline=True,
                max_length=1000,
                is_required=True,
                error_message="Write the note.",
            ),
        ],
        execute("Add to the notes", verbs.NOTE_RECORD, ref),
    )
    body = [TextBlock(text=CONFIDENTIALITY_NOTE, wrap=True, size=FontSize.SMALL, is_subtle=True)]
    body += pending_items(view.reference, view.pending)
    if view.notes:
        kept = (
            f"{len(view.notes)} note{'s' if len(view.notes) != 1 else ''} kept at this hearing (under Notes)."
        )
        body.append(TextBlock(text=kept, wrap=True, is_subtle=True))
    return card(
        f"Record for case {view.reference}",
        body,
        [
            ActionShowCard(title="Action", card=action),
            ActionShowCard(title="Theme", card=theme),
            ActionShowCard(title="Direction", card=direction),
            ActionShowCard(title="Review findings", card=review_findings(ref))
            if view.review
            else ActionShowCard(title="Panel decision", card=decision),
            ActionShowCard(title="Notes", card=notes),
            *(
                [
                    ActionShowCard(
                        title="Attendance",
                        card=subform(
                            [
                                InputChoiceSet(
                                    id="people",
                                    label="Who attended today's case room (the whole sitting)",
                                    is_multi_select=True,
                                    value=",".join(view.attended) or None,
                                    choices=[InputChoice(title=t, value=v) for t, v in view.panel],
                                )
                            ],
                            execute("Save attendance", verbs.ATTENDANCE_RECORD, {}),
                        ),
                    )
                ]
                if view.panel
                else []
            ),
        ],
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
    """Open cases: a SOO's own, or every case for those who run the panel."""

    lines: tuple[CaseLine, ...]
    title: str = "Your cases"
    total: int | None = None  # how many there are, when the card shows only the first of them


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
            items.append(attention("⚠ " + "; ".join(line.flags)))
        body.append(Container(items=items, separator=True, spacing=Spacing.MEDIUM))
    if not view.lines:
        body.append(TextBlock(text="There are no open cases to show.", is_subtle=True))
    if view.total is not None and view.total > len(view.lines):
        body.insert(
            0,
            TextBlock(
                text=f"The {len(view.lines)} of {view.total} open cases most in need of attention "
                "(flags first, then the oldest). Type **case** and a reference to open any other.",
                wrap=True,
                is_subtle=True,
            ),
        )
    actions = [
        execute(f"Open {line.reference}", verbs.CASE_OPEN, {"case": line.reference})
        for line in view.lines[:6]
    ]
    return card(view.title, body, actions, None)


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
    latest_update: tuple[str, str] | None = None
    facts: CaseFacts | None = None  # the facts the panel scrutinises, to record or correct


MAX_SETTLED_SHOWN = 15


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
        body.append(attention("⚠ " + "; ".join(view.flags)))
    if view.outstanding:
        body.append(TextBlock(text="Still outstanding before closure:", weight=FontWeight.BOLDER))
        body += [TextBlock(text=f"• {line}", wrap=True) for line in view.outstanding]
    body += latest_update_items(view.latest_update)
    body.append(TextBlock(text="Agreed actions", weight=FontWeight.BOLDER, spacing=Spacing.MEDIUM))
    # Every open action, and the most recent settled ones: a long-running case must still fit a card.
    open_lines = [a for a in view.actions if a.status == "open"]
    settled = [a for a in view.actions if a.status != "open"]
    shown_settled = settled[-MAX_SETTLED_SHOWN:]
    for action in [a for a in view.actions if a in open_lines or a in shown_settled]:
        body.append(
            TextBlock(text=f"{action.action_id} · {label(action.status)} · {action_text(action)}", wrap=True)
        )
    if len(settled) > len(shown_settled):
        earlier = len(settled) - len(shown_settled)
        body.append(
            TextBlock(text=f"…and {earlier} earlier settled actions, on the panel's record.", is_subtle=True)
        )
    if not view.actions:
        body.append(TextBlock(text="No actions agreed yet.", is_subtle=True))
    if view.closed:
        return card(f"Case {view.reference}", body, [], view.banner)
    update = subform(
        [
            InputText(id="progress", label="Progress (no names)", is_multiline=True, max_length=1000),
            InputDate(
                id="victim_updated",
                label="Victim last updated on",
                max=view.today,
                # Without a message the client refuses a future date silently: nothing seems to happen.
                error_message="The date the victim was last updated cannot be in the future.",
            ),
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
    if view.facts is not None:
        # A card of their own (every fact filled in would not fit beside fifty actions).
        actions.append(execute("Case facts", verbs.CASE_FACTS_OPEN, ref))
    open_actions = [a for a in view.actions if a.status == "open"]
    if open_actions:
        done = subform(
            [
                choices(
                    "action",
                    "Action",
                    [(f"{a.action_id}: {a.description[:60]}", a.action_id) for a in open_actions],
                ),
                InputText(id="note", label="Completion note (no names)", max_length=300),
            ],
            execute("Mark done", verbs.ACTION_DONE, ref, ActionStyle.POSITIVE),
        )
        actions.append(ActionShowCard(title="Mark an action done", card=done))
    # Asking to close is not undone by pressing again: say what it means before it is sent.
    confirm = subform(
        [
            TextBlock(
                text=f"Ask to close case {view.reference}? It closes (or goes to the chair for approval) "
                "only when every agreed action is done or cancelled with a reason; otherwise nothing "
                "changes and you are told what is outstanding.",
                wrap=True,
            )
        ],
        execute("Yes, request closure", verbs.CLOSURE_REQUEST, ref, ActionStyle.POSITIVE),
    )
    actions.append(ActionShowCard(title="Request closure", card=confirm))
    return card(f"Case {view.reference}", body, actions, view.banner)


# --- chair and everyone ----------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalView:
    """A closure waiting for the chair."""

    reference: str
    actions_done: int
    actions_cancelled: int
    banner: Banner | None = None
    decided: bool = False
    details: tuple[tuple[str, str], ...] = ()  # the latest update, each action's note or reason


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
    if view.details:
        body.append(FactSet(facts=[Fact(title=k, value=v) for k, v in view.details]))
    if view.decided:
        return card(f"Closure of case {view.reference}", body, [], view.banner)
    ref = {"case": view.reference}
    ret = subform(
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
    return card(
        f"Closure of case {view.reference}",
        body,
        [
            execute("Approve closure", verbs.CLOSURE_APPROVE, ref, ActionStyle.POSITIVE),
            ActionShowCard(title="Return", card=ret),
        ],
        view.banner,
    )
