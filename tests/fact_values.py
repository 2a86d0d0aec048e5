"""Every case fact filled in, each with its longest wording: what a card must still carry within
Teams' size limit."""

from __future__ import annotations

import dataclasses
from datetime import date
from enum import StrEnum
from typing import Any

from cards.case_facts_form import fact_kind
from panel.case_facts import FACT_NAMES, CaseFacts
from panel.labels import label


def every_fact_filled() -> CaseFacts:
    """A CaseFacts with every fact recorded, choices at their longest label."""
    values: dict[str, Any] = {}
    for name in FACT_NAMES:
        kind = fact_kind(name)
        if kind is bool:
            values[name] = True
        elif kind is date:
            values[name] = date(2026, 12, 7)
        else:
            values[name] = max(list(kind), key=lambda m: len(label(m)))  # type: ignore[arg-type]
    return dataclasses.replace(CaseFacts(), **values)


def longest(kind: type[StrEnum]) -> StrEnum:
    """The member of a choice with the longest label."""
    return max(list(kind), key=lambda m: len(label(m)))
