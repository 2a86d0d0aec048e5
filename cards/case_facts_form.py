"""The case facts as form inputs and as lines on the panel's view: every one a choice, a yes/no or a
date, never free text, so no fact can carry an identity."""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Any

from adaptive_cards.card import InputChoice, InputChoiceSet, InputDate, InputToggle, TextBlock
from adaptive_cards.types import FontWeight, Spacing

from panel.case_fact_choices import RETIRED
from panel.case_facts import (
    ABUSE_KINDS,
    COUNTS_ONLY,
    FACT_GROUPS,
    FACT_LABELS,
    FACT_NAMES,
    FUTURE_DATES,
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
                    value="yes" if current else "",
                    value_on="yes",
                    value_off="",
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
    """The recorded facts in words, for the panel's view of the case (unrecorded ones left out, the
    kinds of abuse alleged on one line, and nothing counted only)."""
    lines = []
    kinds = [FACT_LABELS[k].lower() for k in ABUSE_KINDS if k in names and getattr(facts, k)]
    for name in names:
        value = getattr(facts, name)
        if name == ABUSE_KINDS[0] and kinds:
            lines.append(("Kinds of abuse alleged", "; ".join(kinds).capitalize()))
        if value is None or name in ABUSE_KINDS or name in COUNTS_ONLY:
            continue
        if isinstance(value, bool):
            shown = "Yes" if value else "No"  # as a choice's words are capitalised
        elif isinstance(value, date):
            shown = f"{value:%d %b %Y}"
        else:
            shown = label(value)
        lines.append((FACT_LABELS[name], shown))
    return tuple(lines)


def facts_changed(facts: CaseFacts) -> dict[str, Any]:
    """The facts as a plain mapping (for tests and the import)."""
    return {f.name: getattr(facts, f.name) for f in dataclasses.fields(facts)}
