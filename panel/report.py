"""The panel's outputs for a period: what the force counts (cases referred, panels held, cases heard,
SOOs involved, agencies attending, actions set and completed, time to closure, victim updates,
early-warning flags, outcomes, support) and the national audit list of cases live or closed in the
last twelve months, by reference only. Pure: computed from the records, with the period's edges in
London time.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from panel.actions import ActionStatus, PanelAction
from panel.case import Case, CaseStatus
from panel.clock import to_london
from panel.confidence import ConfidenceThresholds, confidence_signals
from panel.labels import label
from panel.roles import Role
from panel.roster import RosterMember
from panel.sitting import Sitting, SittingStatus


@dataclass(frozen=True)
class Period:
    """A span of London calendar days, both ends included."""

    start: date
    end: date

    def __contains__(self, moment: date | datetime) -> bool:
        day = to_london(moment).date() if isinstance(moment, datetime) else moment
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one, to compare with."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def words(self) -> str:
        """ "1 Sep 2026 to 30 Nov 2026"."""
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


def last_quarter(today: date) -> Period:
    """The last complete calendar quarter before today."""
    this_quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter_start - timedelta(days=1)
    return Period(date(end.year, 3 * ((end.month - 1) // 3) + 1, 1), end)


def last_twelve_months(today: date) -> Period:
    """The 365 days to yesterday."""
    end = today - timedelta(days=1)
    return Period(end - timedelta(days=364), end)


@dataclass(frozen=True)
class Breakdown:
    """A count split by category: "by route", "by rank band"."""

    title: str
    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        """The sum of the parts."""
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class Report:
    """The outputs for one period (and, to compare, the figures for the period before)."""

    period: Period
    figures: tuple[tuple[str, int], ...]  # the headline counts
    breakdowns: tuple[Breakdown, ...]
    closure_days_median: float | None
    closure_days_longest: int | None
    audit_list: tuple[str, ...]  # references live, or closed in the last 12 months
    previous: tuple[tuple[str, int], ...] = field(default_factory=tuple)

    def figure(self, name: str) -> int:
        """One headline figure by its name."""
        return dict(self.figures)[name]


# The headline figures, in the order they are shown.
REFERRED = "Cases referred"
PANELS = "Panels held"
HEARD = "Cases heard"
SOOS = "SOOs involved"
AGENCIES = "Partner agencies attending"
ACTIONS_SET = "Actions set"
ACTIONS_DONE = "Actions completed"
ACTIONS_CANCELLED = "Actions cancelled"
ACTIONS_OVERDUE = "Actions overdue at the end"
CLOSED = "Cases closed"
UPDATED_ON_TIME = "Open cases with the victim updated within the limit"
SUPPORT_OFFERED = "Cases with support offered"
SUPPORT_ACCEPTED = "Cases with support accepted"


def outputs_report(
    cases: Sequence[Case],
    sittings: Sequence[Sitting],
    roster: Sequence[RosterMember],
    period: Period,
    limits: ConfidenceThresholds,
    *,
    compare: bool = True,
) -> Report:
    """The outputs for the period, computed from the records as they stand."""
    figures, breakdowns, median, longest = _figures(cases, sittings, roster, period, limits)
    previous = _figures(cases, sittings, roster, period.previous(), limits)[0] if compare else ()
    return Report(period, figures, breakdowns, median, longest, audit_references(cases, period), previous)


def audit_references(cases: Sequence[Case], period: Period) -> tuple[str, ...]:
    """The national audit list: references of cases received by the period's end and live then or
    closed in the twelve months to it."""
    twelve_months_ago = period.end - timedelta(days=365)
    return tuple(
        sorted(
            c.reference
            for c in cases
            if c.received <= period.end
            and (
                c.status is not CaseStatus.CLOSED
                or ((closed := c.closed_at) is not None and to_london(closed).date() >= twelve_months_ago)
            )
        )
    )


def _figures(
    cases: Sequence[Case],
    sittings: Sequence[Sitting],
    roster: Sequence[RosterMember],
    period: Period,
    limits: ConfidenceThresholds,
) -> tuple[tuple[tuple[str, int], ...], tuple[Breakdown, ...], float | None, int | None]:
    referred = [c for c in cases if c.received in period]
    held = [s for s in sittings if s.status is SittingStatus.ENDED and s.sitting_date in period]
    heard_slots = [(s, slot) for s in held for slot in s.slots if slot.state.value == "heard"]
    by_id = {c.case_id: c for c in cases}
    soos = {by_id[slot.case_id].soo_id for _, slot in heard_slots if slot.case_id in by_id}
    agencies = _agencies(held, roster)
    actions = [a for c in cases for a in c.actions]
    set_in = [a for a in actions if a.set_at in period]
    done_in = [a for a in actions if _settled_in(a, ActionStatus.DONE, period)]
    cancelled_in = [a for a in actions if _settled_in(a, ActionStatus.CANCELLED, period)]
    # Overdue at the period's end: set by then, due before it, and not settled by then.
    overdue = [
        a
        for a in actions
        if to_london(a.set_at).date() <= period.end and a.due < period.end and not _settled_by(a, period.end)
    ]
    closed = [c for c in cases if (at := c.closed_at) is not None and at in period]
    closure_days = [(to_london(c.closed_at).date() - c.received).days for c in closed if c.closed_at]
    open_at_end = [c for c in cases if c.received <= period.end and c.status is not CaseStatus.CLOSED]
    signals = {c.case_id: confidence_signals(c, period.end, limits) for c in open_at_end}
    on_time = [c for c in open_at_end if not any("victim not updated" in f for f in signals[c.case_id].flags)]
    figures = (
        (REFERRED, len(referred)),
        (PANELS, len(held)),
        (HEARD, len(heard_slots)),
        (SOOS, len(soos - {None})),
        (AGENCIES, len(agencies)),
        (ACTIONS_SET, len(set_in)),
        (ACTIONS_DONE, len(done_in)),
        (ACTIONS_CANCELLED, len(cancelled_in)),
        (ACTIONS_OVERDUE, len(overdue)),
        (CLOSED, len(closed)),
        (UPDATED_ON_TIME, len(on_time)),
        (SUPPORT_OFFERED, sum(1 for c in open_at_end if c.facts.facts.support_offered is not None)),
        (SUPPORT_ACCEPTED, sum(1 for c in open_at_end if c.facts.facts.support_accepted)),
    )
    flags: Counter[str] = Counter()
    for case_signals in signals.values():
        for flag in case_signals.flags:
            flags[flag_kind(flag)] += 1
    breakdowns = (
        _breakdown("Referred, by route", (label(c.referral_route) for c in referred)),
        _breakdown("Referred, by category", (label(c.category) for c in referred)),
        _breakdown("Referred, by rank band", (_fact(c, "rank_band") for c in referred)),
        _breakdown("Heard, by slot", (label(slot.kind) for _, slot in heard_slots)),
        _breakdown("Open cases, by early-warning flag", flags.elements()),
        _breakdown("Open cases, by conduct matter", (_fact(c, "conduct_matter") for c in open_at_end)),
        _breakdown(
            "Open cases, by criminal investigation", (_fact(c, "criminal_status") for c in open_at_end)
        ),
        _breakdown("Partner agencies attending", (a for a in agencies)),
    )
    median = statistics.median(closure_days) if closure_days else None
    return figures, breakdowns, median, max(closure_days) if closure_days else None


def _breakdown(title: str, values: Iterable[str]) -> Breakdown:
    counted = Counter(values)
    return Breakdown(title, tuple(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))))


def _fact(case: Case, name: str) -> str:
    value = getattr(case.facts.facts, name)
    return label(value) if value is not None else "Not recorded"


def flag_kind(flag: str) -> str:
    """ "victim not updated for 21 days" -> "victim not updated": the kind, without its number."""
    words = [w for w in flag.split() if not w.isdigit()]
    if words[:1] == ["investigation"] and "old" in words:
        return "Investigation older than the limit"
    for cut in ("for", "times", "days"):
        if cut in words:
            words = words[: words.index(cut)]
    return label("_".join(words))  # a sentence, acronyms kept: "No IDVA or specialist support…"


def _agencies(held: Sequence[Sitting], roster: Sequence[RosterMember]) -> list[str]:
    """The partner agencies whose representatives attended a case room in the period (one entry
    per agency per sitting)."""
    agency_of: Mapping[str, str] = {
        m.aad_object_id: (m.agency or "Partner agency") for m in roster if Role.PARTNER in m.roles
    }
    found = []
    for sitting in held:
        seen = {agency_of[p] for p in sitting.attended if p in agency_of}
        found += sorted(seen)
    return found


def _settled_in(action: PanelAction, status: ActionStatus, period: Period) -> bool:
    """Whether the action became done (or cancelled) within the period."""
    return any(change.status is status and change.at in period for change in action.changes)


def _settled_by(action: PanelAction, day: date) -> bool:
    return any(
        change.status is not ActionStatus.OPEN and to_london(change.at).date() <= day
        for change in action.changes
    )


def monthly(
    cases: Sequence[Case], sittings: Sequence[Sitting], period: Period
) -> tuple[tuple[str, int, int], ...]:
    """Month by month in the period: (month, cases referred, cases heard)."""
    months: list[date] = []
    month = period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    referred: Counter[date] = Counter(c.received.replace(day=1) for c in cases if c.received in period)
    heard: Counter[date] = Counter(
        s.sitting_date.replace(day=1)
        for s in sittings
        if s.status is SittingStatus.ENDED and s.sitting_date in period
        for slot in s.slots
        if slot.state.value == "heard"
    )
    return tuple((f"{m:%b %Y}", referred[m], heard[m]) for m in months)
