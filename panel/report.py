"""The panel's outputs for a period: what the force counts (cases referred, panels held, cases heard,
SOOs involved, agencies attending, actions set and completed, time to closure, victim updates,
early-warning flags, outcomes, support, audits) and the cases to audit, live or closed in the
last twelve months, by reference only. Pure: computed from the records, with the period's edges in
London time.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from panel.actions import ActionStatus, PanelAction
from panel.agenda import Slot
from panel.audit_counts import NOT_COMPARED, AuditCounts
from panel.audit_list import LOOK_BACK, to_audit
from panel.case import Case, CaseStatus, Category
from panel.case_facts import (
    ABUSE_KINDS,
    FACT_LABELS,
    SUPPORT_WORDS,
    CaseFacts,
    IopcReferral,
    OtherForce,
    Restriction,
    ReviewOutcome,
    RiskLevel,
    Sex,
    fact_text,
    safeguarded,
)
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
RISK_CURRENT = "Open cases with the risk reassessed within the limit"
HIGH_RISK = "Open cases at high risk"
HIGH_RISK_SAFEGUARDED = "Open cases at high risk with a safeguarding measure"
FEMALE_VICTIMS = "Cases referred with a female victim"
IOPC_REFERRED = "Open cases referred to the IOPC"
RTR_REQUESTED = "Right to Review requested"
RTR_UPHELD = "Right to Review upheld"
RESIGNED = "Resigned or retired before the outcome"
THEMES_ARISING = "Themes arising (each noted in the period, counted once)"
RESTRICTION_DECIDED = "Open cases with a police suspect and a restriction decision"
RESTRICTION_ON_TIME = "Open cases with a restriction in place, reviewed on time"
# Figures given only as handed on (small numbers hidden): exact, for a period anyone may choose,
# they could say something of one case ("a female victim" on the one day a case was referred).
HANDED_ON_ONLY = frozenset({FEMALE_VICTIMS})


def outputs_report(
    cases: Iterable[Case],
    sittings: Sequence[Sitting],
    roster: Sequence[RosterMember],
    period: Period,
    limits: ConfidenceThresholds,
    *,
    compare: bool = True,
) -> Report:
    """The outputs for the period, computed from the records as they stand."""
    tally = OutputsTally(period, limits, compare=compare)
    tally.add(cases)
    return tally.report(sittings, roster)


def counts_from(period: Period) -> date:
    """The earliest day a case still closed can have closed on and still count in the report for
    `period`: before both the period it is compared with and the audit list's twelve months, its
    referral, actions, closure and hearings all came before either began (a day's margin)."""
    # A case can be audited up to twelve months after it closed: reading back from the period's
    # start by as much counts every audit in the period (audits are not compared with the period
    # before, which would mean reading a year further back still).
    return min(
        period.previous().start, period.start - LOOK_BACK, period.end - timedelta(days=365)
    ) - timedelta(days=1)


def on_audit_list(case: Case, period: Period) -> bool:
    """Whether a case is among the cases to audit as the period ends: received by its end and live
    then or closed in the twelve months to it (panel.audit_list, as at that day)."""
    return to_audit(case, period.end)


def audit_references(cases: Iterable[Case], period: Period) -> tuple[str, ...]:
    """The cases to audit: references of cases received by the period's end and live then or
    closed in the twelve months to it."""
    return tuple(sorted(c.reference for c in cases if on_audit_list(c, period)))


@dataclass
class _CaseCounts:
    """One period's figures that come from the cases, gathered a case at a time."""

    period: Period
    limits: ConfidenceThresholds
    referred: int = 0
    routes: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    rank_bands: Counter[str] = field(default_factory=Counter)
    actions_set: int = 0
    actions_done: int = 0
    actions_cancelled: int = 0
    actions_overdue: int = 0
    closure_days: list[int] = field(default_factory=list)
    updated_on_time: int = 0
    support_offered: int = 0
    support_accepted: int = 0
    risk_current: int = 0
    high_risk: int = 0
    high_risk_safeguarded: int = 0
    female_victims: int = 0
    iopc_referred: int = 0
    rtr_requested: int = 0
    rtr_upheld: int = 0
    resigned: int = 0
    abuse: Counter[str] = field(default_factory=Counter)
    other_force: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    support: Counter[str] = field(default_factory=Counter)
    themes: set[str] = field(default_factory=set)
    restriction_decided: int = 0
    restriction_on_time: int = 0
    flags: Counter[str] = field(default_factory=Counter)
    conduct: Counter[str] = field(default_factory=Counter)
    criminal: Counter[str] = field(default_factory=Counter)
    audits: AuditCounts = field(default_factory=AuditCounts)

    def add(self, case: Case) -> None:
        """Count one case into the period's figures, its facts as they stood at the period's end."""
        period = self.period
        facts = case.facts.as_at(period.end)
        recorded = bool(case.facts.changed)  # most cases of a long history have no fact at all
        if case.received in period:
            self.referred += 1
            self.routes[label(case.referral_route)] += 1
            self.categories[label(case.category)] += 1
            self.rank_bands[_fact(facts, "rank_band")] += 1
            if recorded:
                self.female_victims += facts.victim_sex is Sex.FEMALE
                self.abuse.update(FACT_LABELS[kind] for kind in ABUSE_KINDS if getattr(facts, kind))
        if case.audits:
            self.audits.add(case, period)
        if case.themes:
            noted = (t for t in case.themes if to_london(t.at).date() in period)
            self.themes.update(t.code or f"tag:{t.tag}" for t in noted if t.code or t.tag)
        if recorded:
            self._recorded(case, period)
        for action in case.actions:
            self.actions_set += action.set_at in period
            self.actions_done += _settled_in(action, ActionStatus.DONE, period)
            self.actions_cancelled += _settled_in(action, ActionStatus.CANCELLED, period)
            # Overdue at the period's end: set by then, due before it, and not settled by then.
            self.actions_overdue += (
                to_london(action.set_at).date() <= period.end
                and action.due < period.end
                and not _settled_by(action, period.end)
            )
        if (closed := case.closed_at) is not None and closed in period:
            self.closure_days.append((to_london(closed).date() - case.received).days)
        if case.received <= period.end and case.status is not CaseStatus.CLOSED:
            signals = confidence_signals(case, period.end, self.limits, facts)
            self.updated_on_time += not any("victim not updated" in f for f in signals.flags)
            self.support_offered += facts.support_offered is not None
            self.support_accepted += bool(facts.support_accepted)
            self.risk_current += not any("risk not reassessed" in f for f in signals.flags)
            if case.risk_in(facts) is RiskLevel.HIGH:
                self.high_risk += 1
                self.high_risk_safeguarded += safeguarded(facts, period.end)
            self.flags.update(flag_kind(flag) for flag in signals.flags)
            self.conduct[_fact(facts, "conduct_matter")] += 1
            self.criminal[_fact(facts, "criminal_status")] += 1
            self.iopc_referred += facts.iopc_referral not in (None, IopcReferral.NOT_REFERRED)
            if case.category is not Category.POLICE_VICTIM:
                self.restriction_decided += facts.restriction is not None
            if facts.restriction not in (None, Restriction.NONE):
                self.restriction_on_time += not any("restriction not reviewed" in f for f in signals.flags)
            for kind, what in SUPPORT_WORDS.items() if recorded else ():
                if getattr(facts, f"support_{kind}_offered") is not None:
                    accepted = getattr(facts, f"support_{kind}_accepted") is not None
                    self.support[f"{what}: {'accepted' if accepted else 'offered, not accepted'}"] += 1
            if facts.other_force not in (None, OtherForce.NO):
                self.other_force[_fact(facts, "other_force")] += 1

    def _recorded(self, case: Case, period: Period) -> None:
        """What was recorded in the period, by each fact's history: outcomes, resignations, reviews."""
        if (outcome := _recorded_in(case, "misconduct_outcome", period)) is not None:
            self.outcomes[label(outcome)] += 1
        self.resigned += _recorded_in(case, "resigned_or_retired", period) is not None
        self.rtr_requested += _recorded_in(case, "right_to_review_requested", period) == "yes"
        self.rtr_upheld += _recorded_in(case, "right_to_review_outcome", period) == ReviewOutcome.UPHELD


class OutputsTally:
    """The outputs report gathered a page of cases at a time, so that a history of thousands of
    cases is never held whole: only counts, and each case's SOO for the heard slots."""

    def __init__(self, period: Period, limits: ConfidenceThresholds, *, compare: bool = True) -> None:
        self.period = period
        self._now = _CaseCounts(period, limits)
        self._before = _CaseCounts(period.previous(), limits) if compare else None
        self._soo_of: dict[str, str | None] = {}
        self._audit_list: list[str] = []
        self._referred_by_month: Counter[date] = Counter()

    def add(self, cases: Iterable[Case]) -> None:
        """Count in some of the cases (each case once, across all the calls)."""
        for case in cases:
            self._now.add(case)
            if self._before is not None:
                self._before.add(case)
            self._soo_of[case.case_id] = case.soo_id
            if on_audit_list(case, self.period):
                self._audit_list.append(case.reference)
            if case.received in self.period:
                self._referred_by_month[case.received.replace(day=1)] += 1

    def report(self, sittings: Sequence[Sitting], roster: Sequence[RosterMember]) -> Report:
        """The report, once every case has been added."""
        figures, breakdowns = self._figures(self._now, sittings, roster)
        previous = self._figures(self._before, sittings, roster)[0] if self._before is not None else ()
        previous = tuple((name, n) for name, n in previous if name not in NOT_COMPARED)
        days = self._now.closure_days
        return Report(
            self.period,
            figures,
            breakdowns,
            statistics.median(days) if days else None,
            max(days) if days else None,
            tuple(sorted(self._audit_list)),
            previous,
        )

    def months(self, sittings: Sequence[Sitting]) -> tuple[tuple[str, int, int], ...]:
        """Month by month in the period: (month, cases referred, cases heard)."""
        months: list[date] = []
        month = self.period.start.replace(day=1)
        while month <= self.period.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        heard: Counter[date] = Counter(
            s.sitting_date.replace(day=1) for s, _ in _heard_slots(sittings, self.period)
        )
        return tuple((f"{m:%b %Y}", self._referred_by_month[m], heard[m]) for m in months)

    def _figures(
        self, counts: _CaseCounts, sittings: Sequence[Sitting], roster: Sequence[RosterMember]
    ) -> tuple[tuple[tuple[str, int], ...], tuple[Breakdown, ...]]:
        period = counts.period
        held = [s for s in sittings if s.status is SittingStatus.ENDED and s.sitting_date in period]
        heard_slots = _heard_slots(held, period)
        soos = {self._soo_of[slot.case_id] for _, slot in heard_slots if slot.case_id in self._soo_of}
        agencies = _agencies(held, roster)
        figures = (
            (REFERRED, counts.referred),
            (PANELS, len(held)),
            (HEARD, len(heard_slots)),
            (SOOS, len(soos - {None})),
            (AGENCIES, len(agencies)),
            (ACTIONS_SET, counts.actions_set),
            (ACTIONS_DONE, counts.actions_done),
            (ACTIONS_CANCELLED, counts.actions_cancelled),
            (ACTIONS_OVERDUE, counts.actions_overdue),
            (CLOSED, len(counts.closure_days)),
            (UPDATED_ON_TIME, counts.updated_on_time),
            (SUPPORT_OFFERED, counts.support_offered),
            (SUPPORT_ACCEPTED, counts.support_accepted),
            (RISK_CURRENT, counts.risk_current),
            (HIGH_RISK, counts.high_risk),
            (HIGH_RISK_SAFEGUARDED, counts.high_risk_safeguarded),
            (FEMALE_VICTIMS, counts.female_victims),
            (IOPC_REFERRED, counts.iopc_referred),
            (RTR_REQUESTED, counts.rtr_requested),
            (RTR_UPHELD, counts.rtr_upheld),
            (RESIGNED, counts.resigned),
            (THEMES_ARISING, len(counts.themes)),
            (RESTRICTION_DECIDED, counts.restriction_decided),
            (RESTRICTION_ON_TIME, counts.restriction_on_time),
            *counts.audits.figures(),
        )
        breakdowns = (
            _breakdown("Referred, by route", counts.routes.elements()),
            _breakdown("Referred, by category", counts.categories.elements()),
            _breakdown("Referred, by rank band", counts.rank_bands.elements()),
            _breakdown("Heard, by slot", (label(slot.kind) for _, slot in heard_slots)),
            _breakdown("Open cases, by early-warning flag", counts.flags.elements()),
            _breakdown("Open cases, by conduct matter", counts.conduct.elements()),
            _breakdown("Open cases, by criminal investigation", counts.criminal.elements()),
            _breakdown("Referred, by kind of abuse alleged", counts.abuse.elements()),
            _breakdown("Open cases investigated by another force, by reason", counts.other_force.elements()),
            _breakdown("Misconduct outcomes recorded", counts.outcomes.elements()),
            _breakdown("Open cases, support by kind", counts.support.elements()),
            _breakdown("Partner agencies attending", (a for a in agencies)),
            *(_breakdown(title, values) for title, values in counts.audits.breakdowns()),
        )
        return figures, breakdowns


def _heard_slots(sittings: Iterable[Sitting], period: Period) -> list[tuple[Sitting, Slot]]:
    """The slots heard at the sittings that ended in the period."""
    return [
        (s, slot)
        for s in sittings
        if s.status is SittingStatus.ENDED and s.sitting_date in period
        for slot in s.slots
        if slot.state.value == "heard"
    ]


def _breakdown(title: str, values: Iterable[str]) -> Breakdown:
    counted = Counter(values)
    return Breakdown(title, tuple(sorted(counted.items(), key=lambda kv: (-kv[1], kv[0]))))


def _recorded_in(case: Case, name: str, period: Period) -> str | None:
    """The value a fact was first given, if that was within the period: an outcome, a resignation or
    a review counts once, in the period it was first recorded; clearing or correcting it later does
    not count it again (a fact from before changes were kept counts on the day it last changed)."""
    if not case.facts.changed:
        return None  # no fact ever recorded: most cases of a long history
    entries = [e for e in case.facts.entries(name) if e.value]
    if entries:
        return entries[0].value if entries[0].on in period else None
    changed = case.facts.changed_on(name)
    value = getattr(case.facts.facts, name)
    if not case.facts.entries(name) and value is not None and changed is not None and changed in period:
        return fact_text(value)
    return None


def _fact(facts: CaseFacts, name: str) -> str:
    value = getattr(facts, name)
    return label(value) if value is not None else "Not recorded"


@lru_cache(maxsize=4096)  # a report reads the same few flags (and day counts) thousands of times
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
