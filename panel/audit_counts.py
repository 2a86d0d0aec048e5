"""The audits of cases in a period, as the outputs report counts them: audits done, those with
findings, closed cases the panel reviewed, and the findings by area and by the action taken."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from panel.case import Case
from panel.case_audit import ACTION_WORDS, AREA_WORDS, AuditKind

AUDITS_DONE = "Case audits done"
AUDITS_WITH_FINDINGS = "Case audits with findings"
CLOSED_REVIEWS = "Closed cases reviewed by the panel"
BY_AREA = "Audit findings, by area"
BY_ACTION = "Audit findings, by action taken"
# Figures given for the period alone: the period before would need cases closed a year earlier
# still read in, for every report, to count its audits.
NOT_COMPARED = frozenset({AUDITS_DONE, AUDITS_WITH_FINDINGS, CLOSED_REVIEWS})


class _Period(Protocol):
    def __contains__(self, day: date, /) -> bool: ...


@dataclass
class AuditCounts:
    """One period's audits, counted a case at a time."""

    done: int = 0
    with_findings: int = 0
    reviews: int = 0
    areas: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)

    def add(self, case: Case, period: _Period) -> None:
        """Count in the case's audits dated in the period."""
        for audit in case.audits:
            if audit.on not in period:
                continue
            if audit.kind is AuditKind.CLOSED_CASE_REVIEW:
                self.reviews += 1
            else:
                self.done += 1
                self.with_findings += audit.concerns
            self.areas.update(AREA_WORDS[f.area] for f in audit.findings)
            self.actions.update(ACTION_WORDS[f.action] for f in audit.findings)

    def figures(self) -> tuple[tuple[str, int], ...]:
        """The headline counts."""
        return (
            (AUDITS_DONE, self.done),
            (AUDITS_WITH_FINDINGS, self.with_findings),
            (CLOSED_REVIEWS, self.reviews),
        )

    def breakdowns(self) -> tuple[tuple[str, Iterable[str]], ...]:
        """The findings by area and by action, as values to count."""
        return ((BY_AREA, self.areas.elements()), (BY_ACTION, self.actions.elements()))
