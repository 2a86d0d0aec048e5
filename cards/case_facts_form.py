"""The case facts as form inputs and as lines on the panel's view: every one a choice, a yes/no or a
date, never free text, so no fact can carry an identity."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from adaptive_cards.card import InputChoice, InputChoiceSet, InputDate, InputToggle, TextBlock
from adaptive_cards.types import ActionStyle, Colors, FontWeight, Spacing

from cards import verbs
from cards.form_parts import Banner
from cards.form_parts import card as form_card
from cards.render import execute
from panel.case_fact_choices import RETIRED, AssessedBy
from panel.case_facts import (
    ABUSE_KINDS,
    COUNTS_ONLY,
    FACT_GROUPS,
    FACT_LABELS,
    FACT_NAMES,
    FUTURE_DATES,
    SAFEGUARDING_MEASURES,
    SUPPORT_KINDS,
    SUPPORT_WORDS,
    CaseFacts,
)
from panel.labels import label

NOT_RECORDED = "Not recorded"
_HINTS = typing.get_type_hints(CaseFacts)


def fact_kind(name: str) -> type:
    """The type a fact holds: an enum, bool or date (Optional unwrapped)."""
    (kind,) = [a for a in typing.get_args(_HINTS[name]) if a is not type(None)]
    return typing.cast(type, kind)


def fact_inputs(facts: CaseFacts, names: Sequence[str] = FACT_NAMES, today: str | None = None) -> list[Any]:
    """An input per fact, showing what is recorded now; "Not recorded" clears one."""
    inputs: list[Any] = []
    for name in names:
        if name in FACT_GROUPS:
            inputs.append(
                TextBlock(text=FACT_GROUPS[name], weight=FontWeight.BOLDER, wrap=True, spacing=Spacing.MEDIUM)
            )
        kind, current = fact_kind(name), getattr(facts, name)
        if kind is date:
            inputs.append(
                InputDate(
                    id=name,
                    label=FACT_LABELS[name],
                    value=current.isoformat() if current else None,
                    max=None if name in FUTURE_DATES else today,
                    error_message=f"{FACT_LABELS[name]}: a date."
                    if name in FUTURE_DATES
                    else f"{FACT_LABELS[name]}: a date today or before.",
                )
            )
            continue
        if name in ABUSE_KINDS:  # several may apply: a tick each, unticked is "not recorded"
            inputs.append(
                InputToggle(
                    id=name,
                    title=FACT_LABELS[name],
                    value="yes" if current else "no",
                    value_on="yes",
                    value_off="no",  # read as "not recorded": unticked says nothing either way
                )
            )
            continue
        if kind is bool:
            options = [("Yes", "yes"), ("No", "no")]
            value = None if current is None else ("yes" if current else "no")
        else:
            members = typing.cast(type[StrEnum], kind)
            offered = [m for m in members if m.value not in RETIRED or m == current]
            options = [(label(member.value), member.value) for member in offered]
            value = current.value if current is not None else None
        inputs.append(
            InputChoiceSet(
                id=name,
                label=FACT_LABELS[name],
                value=value or "",
                choices=[
                    InputChoice(title=NOT_RECORDED, value=""),
                    *(InputChoice(title=t, value=v) for t, v in options),
                ],
            )
        )
    return inputs


def fact_lines(facts: CaseFacts, names: Sequence[str] = FACT_NAMES) -> tuple[tuple[str, str], ...]:
    """The recorded facts in words, for the panel's view of the case: unrecorded ones left out, the
    kinds of abuse, the safeguarding measures and the support by kind each on one line (so every
    fact fits on a case card), and nothing counted only."""
    lines = []
    compact = {
        RISK[0]: _risk_line,
        ABUSE_KINDS[0]: _abuse_line,
        SAFEGUARDING_MEASURES[0]: _measures_line,
        SUPPORT[0]: _support_line,
    }
    for name in names:
        if name in compact and (line := compact[name](facts)) is not None:
            lines.append(line)
        value = getattr(facts, name)
        if value is not None and name not in _NOT_ALONE:
            lines.append((FACT_LABELS[name], _shown(value)))
    return tuple(lines)


SUPPORT = tuple(f"support_{kind}_{step}" for kind in SUPPORT_KINDS for step in ("offered", "accepted"))
RISK = ("risk_level", "risk_assessed_on", "risk_assessed_by", "risk_supervisor_reviewed")
# Facts never shown on a line of their own: counted only, or folded into their group's one line.
_NOT_ALONE = COUNTS_ONLY | frozenset((*RISK, *ABUSE_KINDS, *SAFEGUARDING_MEASURES, *SUPPORT))


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"  # as a choice's words are capitalised
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    return label(typing.cast(StrEnum, value))


def _risk_line(facts: CaseFacts) -> tuple[str, str] | None:
    level, on, by, reviewed = (getattr(facts, name) for name in RISK)
    said = [_shown(level)] if level else []
    said += [f"on {_shown(on)}"] if on else []
    said += [f"by {_shown(by).lower() if by is not AssessedBy.MASH else 'MASH'}"] if by else []
    said += (
        []
        if reviewed is None
        else ["reviewed by a supervisor" if reviewed else "not reviewed by a supervisor"]
    )
    return ("Risk as last assessed", ", ".join(said)) if said else None


def _abuse_line(facts: CaseFacts) -> tuple[str, str] | None:
    kinds = [FACT_LABELS[k].lower() for k in ABUSE_KINDS if getattr(facts, k)]
    return ("Kinds of abuse alleged", "; ".join(kinds).capitalize()) if kinds else None


def _measures_line(facts: CaseFacts) -> tuple[str, str] | None:
    done = [
        f"{FACT_LABELS[m]} {_shown(getattr(facts, m))}" for m in SAFEGUARDING_MEASURES if getattr(facts, m)
    ]
    return ("Safeguarding measures", "; ".join(done)) if done else None


def _support_line(facts: CaseFacts) -> tuple[str, str] | None:
    parts = []
    for kind, words in SUPPORT_WORDS.items():
        offered, accepted = (getattr(facts, f"support_{kind}_{step}") for step in ("offered", "accepted"))
        if offered or accepted:
            said = [f"offered {_shown(offered)}"] if offered else []
            said += [f"accepted {_shown(accepted)}"] if accepted else []
            parts.append(f"{words} {', '.join(said)}")
    return ("Support by kind", "; ".join(parts)) if parts else None


def facts_changed(facts: CaseFacts) -> dict[str, Any]:
    """The facts as a plain mapping (for tests and the import)."""
    return {f.name: getattr(facts, f.name) for f in dataclasses.fields(facts)}


@dataclass(frozen=True)
class FactsCardView:
    """The facts of one case, as its SOO or the coordinator records them: choices and dates only."""

    reference: str
    facts: CaseFacts
    today: str
    back: str  # the verb of the card the person came from
    banner: Banner | None = None


def facts_card(view: FactsCardView) -> dict[str, Any]:
    """A card of its own for a case's facts, so that every fact fits within Teams' size limit
    beside a case's actions and life: each group under its heading, one Save, and Back."""
    ref = {"case": view.reference}
    body = [
        TextBlock(
            text="How the force is handling the case, as the panel will see it. Choices and dates only: "
            "no fact can carry a name. Each change is kept with its date.",
            wrap=True,
            is_subtle=True,
        ),
        *fact_inputs(view.facts, today=view.today),
    ]
    if view.banner is not None and not view.banner.ok:
        # The card is long: say why it was not saved beside the button too, not only at the top.
        body.append(
            TextBlock(text=view.banner.text, wrap=True, color=Colors.ATTENTION, weight=FontWeight.BOLDER)
        )
    actions = [
        execute("Save the facts", verbs.CASE_FACTS, ref, ActionStyle.POSITIVE),
        execute("Back", view.back, ref),
    ]
    return form_card(f"Case {view.reference} · the facts", body, actions, view.banner)
