"""Per-case facts by reference only, for the cases to audit (live, or closed in the last
twelve months): one row a case, choices and months, never text anyone typed and never a day."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from panel.actions import ActionStatus, PanelAction
from panel.case import Case
from panel.case_facts import COUNTS_ONLY, FACT_LABELS, FACT_NAMES
from panel.clock import to_london
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.labels import label
from panel.report import Period, flag_kind

COLUMNS = (
    "reference",
    "status",
    "referral route",
    "category",
    "received (month)",
    "closed (month)",
    "times heard",
    "actions set",
    "actions done",
    "actions open",
    "actions overdue",
    "reopened",
    "linked cases",
    "early-warning flags",
)


# Every fact but those counted only (the sex of victim and suspect), which no file by case carries.
BY_CASE = tuple(name for name in FACT_NAMES if name not in COUNTS_ONLY)


def case_facts_csv(
    cases: Sequence[Case], audit_list: Sequence[str], period: Period, limits: ConfidenceThresholds
) -> str:
    """One row per case on the audit list, as it stood at the period's end."""
    wanted = set(audit_list)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*COLUMNS, *(FACT_LABELS[name] for name in BY_CASE)])
    for case in sorted((c for c in cases if c.reference in wanted), key=lambda c: c.reference):
        facts = case.facts.as_at(period.end)
        writer.writerow([*_case_columns(case, period, limits), *(_cell(getattr(facts, n)) for n in BY_CASE)])
    return out.getvalue()


def _case_columns(case: Case, period: Period, limits: ConfidenceThresholds) -> list[str]:
    end = period.end
    # As the period ended: actions set by then, and how each stood then.
    actions = [a for a in case.actions if to_london(a.set_at).date() <= end]

    def stood(action: PanelAction) -> ActionStatus:
        changes = [c for c in action.changes if to_london(c.at).date() <= end]
        return changes[-1].status if changes else ActionStatus.OPEN

    flags = (
        sorted({flag_kind(f) for f in confidence_signals(case, end, limits).flags})
        if case.closed_at is None
        else []
    )
    return [
        case.reference,
        label(case.status),
        label(case.referral_route),
        label(case.category),
        _month(case.received),
        _month(case.closed_at) if case.closed_at else "",
        str(len(case.hearings)),
        str(len(actions)),
        str(sum(1 for a in actions if stood(a) is ActionStatus.DONE)),
        str(sum(1 for a in actions if stood(a) is ActionStatus.OPEN)),
        str(sum(1 for a in actions if stood(a) is ActionStatus.OPEN and a.due < end)),
        str(len(case.reopenings)),
        str(len(case.linked)),
        "; ".join(flags),
    ]


def _month(moment: date | datetime) -> str:
    day = to_london(moment).date() if isinstance(moment, datetime) else moment
    return f"{day:%Y-%m}"


def _cell(value: object) -> str:
    """A fact as the CSV shows it: a choice in words, yes/no, a month; blank when not recorded."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return _month(value)
    return label(str(value))
