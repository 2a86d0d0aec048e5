"""The proposal form (members, partners, organisational learning) and the pending proposals on the
form of whoever records for the panel."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adaptive_cards.card import ActionSet, ActionShowCard, Column, ColumnSet, InputText, TextBlock
from adaptive_cards.types import ActionStyle, FontWeight, Spacing

from cards import verbs
from cards.form_parts import Banner, Choice, card, choices, subform
from cards.render import execute

DIRECTION_KINDS: tuple[Choice, ...] = (
    ("Victim care", "victim_care"),
    ("Safeguarding", "safeguarding"),
    ("Lines of enquiry", "lines_of_enquiry"),
    ("Good practice noted", "good_practice"),
)


@dataclass(frozen=True)
class ProposeView:
    """The case being heard, and what this person may propose."""

    reference: str
    owners: tuple[Choice, ...]
    themes: tuple[Choice, ...]
    themes_only: bool = False  # organisational learning proposes themes alone
    actions: bool = True  # not for a closed case under review: an action needs it reopened first
    banner: Banner | None = None


@dataclass(frozen=True)
class PendingLine:
    """A proposal waiting for a decision: its id, its words and where it came from (by role)."""

    proposal_id: str
    summary: str
    source: str


def propose_card(view: ProposeView) -> dict[str, Any]:
    """Propose an action, a direction or a theme for the case being heard: the chair decides."""
    body = [
        TextBlock(
            text="Whoever records for the panel (the chair, the deputy chair or the administrator) accepts "
            "your proposal or sets it aside. If accepted, it is kept as proposed by your role, never by "
            "your name.",
            wrap=True,
            is_subtle=True,
        )
    ]
    return card(f"Propose for case {view.reference}", body, propose_actions(view), view.banner)


def propose_actions(view: ProposeView, origin: Mapping[str, str] | None = None) -> list[ActionShowCard]:
    """The three ways to propose, each opening its own small form in the card. `origin` goes back
    with the press, so the answer can be the card it was pressed on."""
    ref = {"case": view.reference, **(origin or {})}
    action = subform(
        [
            InputText(
                id="text",
                label="Action (no names)",
                is_multiline=True,
                max_length=500,
                is_required=True,
                error_message="Describe the action.",
            ),
            choices("owner", "Who would own it", view.owners),
        ],
        execute("Propose this action", verbs.PROPOSAL_MAKE, {**ref, "kind": "action"}, ActionStyle.POSITIVE),
    )
    direction = subform(
        [
            choices("direction", "About", DIRECTION_KINDS),
            InputText(
                id="text",
                label="Direction (no names)",
                is_multiline=True,
                max_length=500,
                is_required=True,
                error_message="Write the direction.",
            ),
        ],
        execute("Propose this direction", verbs.PROPOSAL_MAKE, {**ref, "kind": "direction"}),
    )
    theme = subform(
        [choices("theme", "Theme", view.themes)],
        execute("Propose this theme", verbs.PROPOSAL_MAKE, {**ref, "kind": "theme"}),
    )
    actions = [ActionShowCard(title="Propose a theme", card=theme)]
    if not view.themes_only:
        actions = [ActionShowCard(title="Propose a direction", card=direction), *actions]
        if view.actions:
            actions = [ActionShowCard(title="Propose an action", card=action), *actions]
    return actions


def pending_items(
    reference: str,
    pending: tuple[PendingLine, ...],
    origin: Mapping[str, str] | None = None,
    *,
    decides: bool = True,
) -> list[Any]:
    """The proposals waiting for a decision, each with Accept and Set aside (`origin`: as above);
    without `decides`, for those who propose: what is waiting, and nothing to press."""
    if not pending:
        return []
    heading = TextBlock(
        text="Proposals waiting for a decision" if decides else "Proposals waiting for the chair",
        weight=FontWeight.BOLDER,
        wrap=True,
        spacing=Spacing.MEDIUM,
    )
    if not decides:
        return [heading, *(_pending_text(line) for line in pending)]
    items: list[Any] = [heading]
    for line in pending:
        data = {"case": reference, "proposal": line.proposal_id, **(origin or {})}
        items.append(
            ColumnSet(
                columns=[
                    Column(
                        width="stretch",
                        items=[_pending_text(line)],
                    ),
                    Column(
                        width="auto",
                        items=[
                            ActionSet(
                                actions=[
                                    execute(
                                        f"Accept {line.proposal_id}",
                                        verbs.PROPOSAL_DECIDE,
                                        {**data, "accept": "yes"},
                                    ),
                                    execute(
                                        f"Set aside {line.proposal_id}",
                                        verbs.PROPOSAL_DECIDE,
                                        {**data, "accept": "no"},
                                    ),
                                ]
                            )
                        ],
                    ),
                ]
            )
        )
    return items


def _pending_text(line: PendingLine) -> TextBlock:
    """A waiting proposal in one line: "**P1** Action for SOO: … (proposed by a partner agency)"."""
    return TextBlock(text=f"**{line.proposal_id}** {line.summary} ({line.source})", wrap=True)
