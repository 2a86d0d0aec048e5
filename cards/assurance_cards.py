"""The force's assurance cards: the cases to audit, a case's audit form, and what is missing from the
open cases' facts. Built from views of references, dates, counts and fixed words only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adaptive_cards.card import (
    ActionSet,
    ActionShowCard,
    Column,
    ColumnSet,
    Fact,
    FactSet,
    InputDate,
    InputText,
    TextBlock,
)
from adaptive_cards.types import ActionStyle, FontWeight, Spacing, TextInputStyle

from cards import verbs
from cards.form_parts import Banner, Choice, card, choices, subform
from cards.render import execute
from panel.audit_list import LIST_NAME
from panel.case_audit import ACTION_WORDS, AREA_WORDS, AuditAction, AuditArea

NO_CONCERN = "none"
# Rows with their own button: enough to work down the list, few enough to keep the card small.
ROWS_SHOWN = 10
GAPS_SHOWN = 12
REFERENCES_PER_GAP = 8


@dataclass(frozen=True)
class AuditRow:
    """A case on the list: its reference and, in fixed words, where its audits stand."""

    reference: str
    standing: str  # "Never audited", "Audited 3 March 2026: findings"


@dataclass(frozen=True)
class AuditListView:
    """The cases to audit, as the person may see them."""

    rows: tuple[AuditRow, ...]
    total: int
    never: int
    withheld: int
    can_check_recording: bool
    banner: Banner | None = None
    can_sample: bool = False  # choose closed cases for review (who manages agendas)


@dataclass(frozen=True)
class EarlierAudit:
    """An earlier audit of the case: when, by which role, and its findings in fixed words."""

    heading: str
    findings: tuple[str, ...]


@dataclass(frozen=True)
class AuditFormView:
    """A case's audit form: its reference, earlier audits, and the choices as the person left them."""

    reference: str
    closed: bool
    earlier: tuple[EarlierAudit, ...]
    today: str
    has_soo: bool
    banner: Banner | None = None
    chosen: Mapping[str, str] = field(default_factory=dict)  # area -> action code, as last submitted
    on: str | None = None


@dataclass(frozen=True)
class GapLine:
    """One fact across the open cases it applies to."""

    label: str
    recorded: str  # "12 of 40 (30%)"
    lacking: tuple[str, ...]  # references, at most REFERENCES_PER_GAP
    more: int  # references not shown


@dataclass(frozen=True)
class GapsView:
    """What is missing from the open cases' facts."""

    open_cases: int
    lines: tuple[GapLine, ...]
    complete: int  # facts recorded in every open case they apply to
    more_gaps: int  # facts with gaps not shown on the card (all are in the CSV)
    warnings: tuple[tuple[str, int], ...]
    withheld: int
    download: str | None = None
    banner: Banner | None = None


def audit_list_card(view: AuditListView) -> dict[str, Any]:
    """The cases to audit: never audited first, each with its own button; any other by reference."""
    body: list[Any] = [
        TextBlock(
            text=f"{view.total} cases on the list; {view.never} never audited."
            + (f" {view.withheld} you declared a conflict for are left off." if view.withheld else ""),
            wrap=True,
        )
    ]
    for row in view.rows[:ROWS_SHOWN]:
        body.append(
            ColumnSet(
                columns=[
                    Column(
                        width="stretch",
                        items=[TextBlock(text=f"**{row.reference}** — {row.standing}", wrap=True)],
                    ),
                    Column(
                        width="auto",
                        items=[
                            ActionSet(
                                actions=[
                                    execute(
                                        f"Audit {row.reference}",
                                        verbs.AUDIT_CASE_OPEN,
                                        {"reference": row.reference},
                                    )
                                ]
                            )
                        ],
                    ),
                ],
                spacing=Spacing.SMALL,
            )
        )
    if view.total > ROWS_SHOWN:
        body.append(
            TextBlock(
                text=f"And {view.total - ROWS_SHOWN} more: audit any by its reference.",
                wrap=True,
                is_subtle=True,
            )
        )
    body.append(
        InputText(id="reference", label="Audit a case by its reference", placeholder="K7F-2QM", max_length=20)
    )
    actions: list[Any] = [execute("Open its audit", verbs.AUDIT_CASE_OPEN, {}, ActionStyle.POSITIVE)]
    if view.can_check_recording:
        actions.append(execute("What is missing", verbs.GAPS_SHOW, {}))
    if view.can_sample:
        actions.append(ActionShowCard(title="Closed cases to review", card=sample_form()))
    return card(LIST_NAME, body, actions, view.banner)


def _area_choices() -> list[Choice]:
    return [("No concern", NO_CONCERN)] + [
        (f"Concern: {ACTION_WORDS[a][:1].lower()}{ACTION_WORDS[a][1:]}", a.value) for a in AuditAction
    ]


def audit_form_card(view: AuditFormView) -> dict[str, Any]:
    """One case's audit: a date and, for each area, no concern or a concern and what was done."""
    body: list[Any] = []
    if view.closed:
        body.append(TextBlock(text="Closed in the last twelve months.", wrap=True, is_subtle=True))
    if view.earlier:
        body.append(TextBlock(text="Earlier audits", weight=FontWeight.BOLDER, wrap=True))
        for audit in view.earlier:
            body.append(FactSet(facts=[Fact(title=audit.heading, value="; ".join(audit.findings))]))
    else:
        body.append(TextBlock(text="Not audited before.", wrap=True, is_subtle=True))
    body.append(
        InputDate(
            id="on",
            label="Audited on",
            value=view.on or view.today,
            max=view.today,
            is_required=True,
            error_message="Give the date of the audit: today or before.",
        )
    )
    options = _area_choices()
    if not view.has_soo:
        options = [o for o in options if o[1] != AuditAction.RETURNED_TO_SOO.value]
    for area in AuditArea:
        chosen = view.chosen.get(area.value, NO_CONCERN)
        value = chosen if chosen in {v for _, v in options} else NO_CONCERN
        body.append(choices(area.value, AREA_WORDS[area], options, required=True, value=value))
    body.append(
        TextBlock(
            text="A concern's learning action goes to organisational learning; one referred to the chair "
            "or returned to the SOO tells them by the reference and the area only.",
            wrap=True,
            is_subtle=True,
        )
    )
    ref = {"reference": view.reference}
    actions = [
        execute("Record the audit", verbs.AUDIT_CASE_RECORD, ref, ActionStyle.POSITIVE),
        execute("Back to the list", verbs.ASSURANCE_OPEN, {}),
    ]
    return card(f"Audit of {view.reference}", body, actions, view.banner)


def gaps_card(view: GapsView) -> dict[str, Any]:
    """What is missing: the least recorded facts and the open cases lacking each; the warnings."""
    body: list[Any] = [
        TextBlock(
            text=f"{view.open_cases} open cases. A fact counts where it applies: an outcome once there "
            "is one, never a date of something that may not have happened."
            + (f" {view.withheld} you declared a conflict for are left out." if view.withheld else ""),
            wrap=True,
        )
    ]
    for line in view.lines:
        lacking = ", ".join(line.lacking) + (f" and {line.more} more" if line.more else "")
        body.append(
            FactSet(
                facts=[Fact(title=line.label, value=line.recorded)]
                + ([Fact(title="Lacking", value=lacking)] if lacking else []),
                spacing=Spacing.SMALL,
            )
        )
    if view.more_gaps:
        body.append(
            TextBlock(
                text=f"{view.more_gaps} more facts have gaps: the CSV lists them all.",
                wrap=True,
                is_subtle=True,
            )
        )
    if view.complete:
        body.append(
            TextBlock(
                text=f"{view.complete} more facts are recorded in every open case.", wrap=True, is_subtle=True
            )
        )
    if view.warnings:
        body.append(
            TextBlock(text="Early warnings", weight=FontWeight.BOLDER, wrap=True, spacing=Spacing.MEDIUM)
        )
        body.append(
            FactSet(
                facts=[
                    Fact(title=kind, value=f"{count} open case{'s' if count != 1 else ''}")
                    for kind, count in view.warnings
                ]
            )
        )
    if view.download:
        body.append(
            TextBlock(
                text=f"[Download the recording gaps CSV]({view.download}) — the link works once, "
                "for ten minutes.",
                wrap=True,
            )
        )
    actions = [
        execute("Download as CSV", verbs.GAPS_EXPORT, {}),
        execute("Back to the list", verbs.ASSURANCE_OPEN, {}),
    ]
    return card("What is missing from the open cases", body, actions, view.banner)


@dataclass(frozen=True)
class FindView:
    """The find form, and what the last search found: the panel's reference only."""

    found: str | None = None
    banner: Banner | None = None


def find_card(view: FindView) -> dict[str, Any]:
    """Find a case by the force's own reference: typed hidden, answered by the panel's reference."""
    body: list[Any] = [
        TextBlock(
            text="Type a professional standards, crime, IOPC or HR reference registered for a case. It is "
            "hidden as you type, hashed, and never shown, stored or logged.",
            wrap=True,
            is_subtle=True,
        ),
        InputText(
            id="force_reference",
            label="The force's reference",
            style=TextInputStyle.PASSWORD,
            max_length=60,
        ),
    ]
    actions = [execute("Find", verbs.FORCE_REF_FIND, {}, ActionStyle.POSITIVE)]
    if view.found:
        for reference in view.found.split(", ")[:3]:
            # The case as the person may see it: the coordinator's card to manage it, or
            # professional standards' read-only view.
            actions.append(execute(f"Open {reference}", verbs.CASE_OPEN, {"case": reference}))
    return card("Find a case by the force's own reference", body, actions, view.banner)


def review_findings(ref: dict[str, str]) -> Any:
    """The panel's findings on a closed case it is reviewing: the audit's areas and actions."""
    options = _area_choices()
    inputs: list[Any] = [
        TextBlock(
            text="The case stays closed unless the panel reopens it (the coordinator's card).",
            wrap=True,
            is_subtle=True,
        )
    ]
    inputs += [
        choices(area.value, AREA_WORDS[area], options, required=True, value=NO_CONCERN) for area in AuditArea
    ]
    return subform(inputs, execute("Record the review", verbs.REVIEW_RECORD, ref, ActionStyle.POSITIVE))


def sample_form() -> Any:
    """Choose closed cases for review by a documented rule: the rule and its result are shown."""
    return subform(
        [
            choices(
                "rule",
                "Which closed cases (closed in the last twelve months)",
                [
                    ("Every one whose criminal investigation ended in no further action", "nfa"),
                    ("A share at random", "random"),
                ],
                value="nfa",
            ),
            choices(
                "percent", "Share, if at random", [(f"{p}%", str(p)) for p in (5, 10, 20, 25, 50)], value="10"
            ),
            InputText(id="seed", label="Seed, to repeat an earlier sample (digits)", max_length=6),
        ],
        execute("Choose them", verbs.REVIEW_SAMPLE, {}),
    )
