"""A case: its pseudonymous reference, category, route, status table, hearings, actions and themes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from panel.actions import PanelAction
from panel.case_audit import CaseAudit
from panel.case_facts import CaseFacts, FactRecord
from panel.case_facts import RiskLevel as RiskLevel  # where it has always been imported from
from panel.errors import InvalidTransition, NotFound
from panel.proposals import Proposal
from panel.themes import ThemeRecord


class Category(StrEnum):
    """Who in the case is police."""

    POLICE_VICTIM = "police_victim"
    POLICE_PERPETRATOR = "police_perpetrator"
    BOTH_POLICE = "both_police"


class ReferralRoute(StrEnum):
    """How the case reached the force's attention."""

    EMERGENCY_OR_101_CALL = "999_101_call"
    LINE_MANAGER = "line_manager"
    COLLEAGUE = "colleague"
    PROFESSIONAL_STANDARDS = "psd"
    ANTI_CORRUPTION_UNIT = "anti_corruption_unit"
    MASH = "mash"
    IDVA_REFERRAL = "idva_referral"
    OTHER_FORCE_TRANSFER = "other_force_transfer"
    IOPC_REFERRAL = "iopc_referral"


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    REGISTERED = "registered"
    LISTED = "listed"
    HEARD = "heard"
    AWAITING_ACTIONS = "awaiting_actions"
    CLOSURE_REQUESTED = "closure_requested"
    CLOSED = "closed"
    CASE_CONFERENCE = "case_conference"
    REOPENED = "reopened"


_S = CaseStatus
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    _S.REGISTERED: frozenset({_S.LISTED, _S.CASE_CONFERENCE}),
    # Back to registered when taken off an agenda or triaged out of a sitting.
    _S.LISTED: frozenset({_S.HEARD, _S.REGISTERED, _S.CASE_CONFERENCE}),
    _S.HEARD: frozenset(
        {_S.AWAITING_ACTIONS, _S.LISTED, _S.CLOSURE_REQUESTED, _S.CLOSED, _S.CASE_CONFERENCE}
    ),
    _S.AWAITING_ACTIONS: frozenset({_S.LISTED, _S.CLOSURE_REQUESTED, _S.CLOSED, _S.CASE_CONFERENCE}),
    # Returned by the chair, or still waiting on actions.
    _S.CLOSURE_REQUESTED: frozenset({_S.CLOSED, _S.AWAITING_ACTIONS}),
    _S.CLOSED: frozenset({_S.REOPENED}),
    _S.REOPENED: frozenset({_S.LISTED, _S.AWAITING_ACTIONS, _S.CLOSURE_REQUESTED, _S.CASE_CONFERENCE}),
    _S.CASE_CONFERENCE: frozenset({_S.LISTED, _S.AWAITING_ACTIONS, _S.CLOSURE_REQUESTED}),
}

# A case on an agenda must be in one of these.
LISTABLE: frozenset[CaseStatus] = frozenset(s for s, nxt in TRANSITIONS.items() if _S.LISTED in nxt)


@dataclass(frozen=True, slots=True)
class CaseConferenceFlags:
    """The four circumstances in which a case goes to its own case conference instead of panel."""

    both_parties_police: bool = False
    counter_allegation: bool = False
    serial_or_multiple_victims: bool = False
    position_of_power: bool = False

    def reasons(self) -> tuple[str, ...]:
        """Why a case conference is recommended, in words for a card; empty when it is not."""
        found = []
        if self.both_parties_police:
            found.append("both victim and perpetrator are police")
        if self.counter_allegation:
            found.append("allegation and counter-allegation: the primary perpetrator is unclear")
        if self.serial_or_multiple_victims:
            found.append("serial perpetrator or multiple victims")
        if self.position_of_power:
            found.append("perpetrator holds a particular position of power")
        return tuple(found)


@dataclass(frozen=True, slots=True)
class CaseConferenceAdvice:
    """The rule's answer: recommend a case conference, and why."""

    recommended: bool
    reasons: tuple[str, ...]


def recommend_case_conference(category: Category, flags: CaseConferenceFlags) -> CaseConferenceAdvice:
    """Recommend a case conference when any of the four criteria applies."""
    if category is Category.BOTH_POLICE and not flags.both_parties_police:
        flags = CaseConferenceFlags(
            both_parties_police=True,
            counter_allegation=flags.counter_allegation,
            serial_or_multiple_victims=flags.serial_or_multiple_victims,
            position_of_power=flags.position_of_power,
        )
    reasons = flags.reasons()
    return CaseConferenceAdvice(recommended=bool(reasons), reasons=reasons)


class HearingOutcome(StrEnum):
    """What came of a case's slot at a sitting."""

    HEARD = "heard"
    ASKED_BACK = "asked_back"
    DEFERRED = "deferred"
    NOT_REACHED = "not_reached"


@dataclass(frozen=True, slots=True)
class Hearing:
    """One slot a case had at a sitting: how a returning case is recognised without identities."""

    sitting_id: str
    sitting_date: date
    slot_kind: str
    minutes_allotted: int
    minutes_used: int
    outcome: HearingOutcome


@dataclass(frozen=True, slots=True)
class StatusChange:
    """Who moved the case to which status, and when."""

    status: CaseStatus
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ProgressUpdate:
    """A SOO's update on the case form (its text has passed the identity guard)."""

    text: str
    victim_last_updated: date | None
    investigator_changed: bool
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ClosureReview:
    """The chair's decision on a closure request: approved, or returned with a reason."""

    approved: bool
    reason: str | None
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class ConflictDeclaration:
    """Someone on the roster knows a party to the case: they see, hear and are told nothing of it.

    Only the coordinator may withdraw a declaration; a withdrawn one stays on record."""

    person_id: str
    reason: str  # passed the identity guard; may be empty
    declared_by: str  # the person, or the coordinator recording it on their behalf
    declared_at: datetime
    withdrawn_by: str | None = None
    withdrawn_at: datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the declaration still stands."""
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class RetentionHold:
    """The coordinator holds a closed case from erasure (a review, a complaint) with a reason."""

    reason: str  # passed the identity guard
    by: str
    at: datetime


class DirectionKind(StrEnum):
    """What the panel's direction to the force is about."""

    VICTIM_CARE = "victim_care"
    SAFEGUARDING = "safeguarding"
    LINES_OF_ENQUIRY = "lines_of_enquiry"
    GOOD_PRACTICE = "good_practice"


@dataclass(frozen=True, slots=True)
class Direction:
    """The panel's direction, or good practice it noted (its text passed the identity guard)."""

    kind: DirectionKind
    text: str
    sitting_id: str | None
    by: str
    at: datetime
    source: str | None = None  # where an accepted proposal came from, by role


@dataclass(frozen=True, slots=True)
class ConferenceRecord:
    """A case conference: why the case went to one, and, once held, when and with what outcome
    (the reason and the outcome passed the identity guard)."""

    reason: str
    routed_by: str
    routed_at: datetime
    held_on: date | None = None
    outcome: str | None = None
    recorded_by: str | None = None


@dataclass(frozen=True, slots=True)
class Reopening:
    """A closed case reopened, with the coordinator's reason (through the identity guard)."""

    reason: str
    by: str
    at: datetime


@dataclass(frozen=True, slots=True)
class HearingNote:
    """A short note of the panel's discussion at a hearing (its text passed the identity guard):
    shown only in the panel's own views of the case, never in a group chat or a CSV."""

    on: date
    text: str
    by: str
    sitting_id: str | None = None


@dataclass(slots=True)
class Case:
    """A case as the panel knows it: anonymous by construction, it has no field for a name."""

    case_id: str
    reference: str
    category: Category
    referral_route: ReferralRoute
    received: date
    risk: RiskLevel
    flags: CaseConferenceFlags
    registered_at: datetime
    registered_by: str
    soo_id: str | None = None
    status: CaseStatus = CaseStatus.REGISTERED
    history: list[StatusChange] = field(default_factory=list)
    hearings: list[Hearing] = field(default_factory=list)
    actions: list[PanelAction] = field(default_factory=list)
    themes: list[ThemeRecord] = field(default_factory=list)
    triage_note: str | None = None
    updates: list[ProgressUpdate] = field(default_factory=list)
    victim_last_updated: date | None = None
    investigator_changes: int = 0
    reviews: list[ClosureReview] = field(default_factory=list)
    conflicts: list[ConflictDeclaration] = field(default_factory=list)
    retention_hold: RetentionHold | None = None
    facts: FactRecord = field(default_factory=FactRecord)
    conferences: list[ConferenceRecord] = field(default_factory=list)
    directions: list[Direction] = field(default_factory=list)
    asked_back_for: date | None = None  # the panel asked to see it again around this date
    may_close_without_actions: bool = False  # the panel heard it and set no actions on purpose
    linked: list[str] = field(default_factory=list)  # other cases' ids, joined up by the coordinator
    reopenings: list[Reopening] = field(default_factory=list)
    audits: list[CaseAudit] = field(default_factory=list)  # the force's own audits of it, oldest first
    notes: list[HearingNote] = field(default_factory=list)  # notes of the discussion, by hearing
    proposals: list[Proposal] = field(default_factory=list)  # from members, partners and learning
    version: int = 0

    @property
    def current_risk(self) -> RiskLevel:
        """The risk as last assessed: the registered risk until a reassessment is recorded."""
        return self.risk_in(self.facts.facts)

    def risk_in(self, facts: CaseFacts) -> RiskLevel:
        """The risk as last assessed by these facts (as they stand, or stood on some day)."""
        return facts.risk_level or self.risk

    def move_to(self, status: CaseStatus, *, by: str, at: datetime) -> None:
        """Change status along the transition table, or refuse with the reason."""
        if status is self.status:
            return
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"Case {self.reference} is {_words(self.status)} and cannot become {_words(status)}."
            )
        self.status = status
        self.history.append(StatusChange(status=status, by=by, at=at))

    def action(self, action_id: str) -> PanelAction:
        """Find one of this case's actions, or say it is not this case's."""
        for candidate in self.actions:
            if candidate.action_id == action_id:
                return candidate
        raise NotFound(f"Case {self.reference} has no such action.")

    def conflicted(self, person_id: str) -> bool:
        """Whether this person has declared a conflict of interest for the case that still stands."""
        return any(c.active and c.person_id == person_id for c in self.conflicts)

    @property
    def declared_conflicts(self) -> tuple[ConflictDeclaration, ...]:
        """The declarations that still stand."""
        return tuple(c for c in self.conflicts if c.active)

    @property
    def closed_at(self) -> datetime | None:
        """When the case last closed, if it is closed."""
        if self.status is not CaseStatus.CLOSED:
            return None
        return next(
            (h.at for h in reversed(self.history) if h.status is CaseStatus.CLOSED), self.registered_at
        )

    @property
    def first_heard(self) -> date | None:
        """When the panel first heard the case, if it has."""
        heard = [h.sitting_date for h in self.hearings if h.outcome in _HEARD_OUTCOMES]
        return min(heard) if heard else None


_HEARD_OUTCOMES = frozenset({HearingOutcome.HEARD, HearingOutcome.ASKED_BACK})


def _words(status: CaseStatus) -> str:
    return status.value.replace("_", " ")
