"""What is missing from the open cases' recorded facts, fact by fact, so the force can dip-sample
its own recording. Only facts that every case should have an answer to count: a choice or a
yes/no that applies to the case. A date of something that may never happen (a MARAC referral, a
DVPN) is not missing when it is empty, and neither is an outcome before there is one."""

from __future__ import annotations

import dataclasses
import typing
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from panel.case import Case
from panel.case_facts import ABUSE_KINDS, FACT_LABELS, CaseFacts, MisconductStatus, Restriction
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.report import flag_kind

ABUSE = "abuse_kinds"  # the kinds of abuse, ticked on the form, count as one fact: any recorded
_LABELS = {**FACT_LABELS, ABUSE: "Kind of abuse alleged (at least one)"}

# Facts that follow from another: they apply only once it says so.
APPLIES_WHEN: dict[str, Callable[[CaseFacts], bool]] = {
    "misconduct_outcome": lambda f: f.misconduct_status is MisconductStatus.OUTCOME,
    "misconduct_pause_authorised_by": lambda f: (
        f.misconduct_status is MisconductStatus.PAUSED_SPECIFIC_PREJUDICE
    ),
    "restriction_decided_by": lambda f: f.restriction not in (None, Restriction.NONE),
    "right_to_review_outcome": lambda f: f.right_to_review_requested is True,
    "right_to_review_by": lambda f: f.right_to_review_requested is True,
    "vetting_review_result": lambda f: f.vetting_review_requested is not None,
    "risk_assessed_by": lambda f: f.risk_level is not None,
    "risk_supervisor_reviewed": lambda f: f.risk_level is not None,
    "support_accepted": lambda f: f.support_offered is not None,
}


def _answered(field: dataclasses.Field[typing.Any]) -> bool:
    """A choice or a yes/no: something every case it applies to should have an answer to."""
    hint = typing.get_type_hints(CaseFacts)[field.name]
    return date not in typing.get_args(hint) and field.name not in ABUSE_KINDS


CHECKED: tuple[str, ...] = (
    *(f.name for f in dataclasses.fields(CaseFacts) if _answered(f)),
    ABUSE,
)


@dataclass(frozen=True)
class FactGap:
    """One fact across the open cases it applies to: in how many it is recorded, which lack it."""

    name: str
    label: str
    recorded: int
    lacking: tuple[str, ...]  # references

    @property
    def applies_to(self) -> int:
        """The open cases the fact applies to."""
        return self.recorded + len(self.lacking)

    @property
    def share(self) -> float:
        """The share of those where it is recorded (1.0 where it applies to none)."""
        return self.recorded / self.applies_to if self.applies_to else 1.0


@dataclass(frozen=True)
class RecordingGaps:
    """What is missing from the open cases' facts, least recorded first, and the early warnings."""

    open_cases: int
    gaps: tuple[FactGap, ...]
    warnings: tuple[tuple[str, int], ...]  # kind, open cases with it, most first
    withheld: int  # cases the reader declared a conflict for: left out


class GapTally:
    """The open cases counted in one at a time, so a long list is never held whole."""

    def __init__(self, today: date, limits: ConfidenceThresholds) -> None:
        self._today, self._limits = today, limits
        self._recorded: Counter[str] = Counter()
        self._lacking: dict[str, list[str]] = {name: [] for name in CHECKED}
        self._warnings: Counter[str] = Counter()
        self._open = 0

    def add(self, cases: Iterable[Case]) -> None:
        """Count in some open cases."""
        for case in cases:
            self._open += 1
            facts = case.facts.facts
            for name in CHECKED:
                if name == ABUSE:
                    known = any(getattr(facts, kind) for kind in ABUSE_KINDS)
                else:
                    when = APPLIES_WHEN.get(name)
                    if when is not None and not when(facts):
                        continue
                    known = getattr(facts, name) is not None
                if known:
                    self._recorded[name] += 1
                else:
                    self._lacking[name].append(case.reference)
            signals = confidence_signals(case, self._today, self._limits, facts)
            self._warnings.update({flag_kind(flag) for flag in signals.flags})

    def gaps(self, withheld: int) -> RecordingGaps:
        """The gaps, least recorded first (facts that apply to no open case last)."""
        gaps = [
            FactGap(name, _LABELS[name], self._recorded[name], tuple(sorted(self._lacking[name])))
            for name in CHECKED
        ]
        gaps.sort(key=lambda g: (g.applies_to == 0, g.share, CHECKED.index(g.name)))
        warnings = sorted(self._warnings.items(), key=lambda w: (-w[1], w[0]))
        return RecordingGaps(self._open, tuple(gaps), tuple(warnings), withheld)


def gaps_csv_rows(gaps: RecordingGaps) -> list[list[str]]:
    """One row per fact (references only), then the early warnings by kind."""
    rows = [["fact", "recorded in", "open cases it applies to", "share recorded", "cases lacking it"]]
    for gap in gaps.gaps:
        rows.append(
            [gap.label, str(gap.recorded), str(gap.applies_to), f"{gap.share:.0%}", " ".join(gap.lacking)]
        )
    rows += [[], ["early warning", "open cases with it"]]
    rows += [[kind, str(count)] for kind, count in gaps.warnings]
    return rows
