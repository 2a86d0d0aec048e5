"""The facts the panel scrutinises about how the force is handling a case: conduct and complaints,
the criminal and misconduct investigations, restrictions, independence, victim care, the rank
band of the officer suspected, and the primary perpetrator. None identifies anyone: every one is
a choice, a yes/no or a date, never free text.

Every fact is optional, and dated when it changes (the audit trail says who changed it).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from panel.errors import ValidationFailed


class YesNoPending(StrEnum):
    """Recorded as a conduct matter or complaint."""

    YES = "yes"
    NO = "no"
    PENDING = "pending"


class IopcReferral(StrEnum):
    """Whether, and how, the IOPC took the case."""

    NOT_REFERRED = "not_referred"
    INDEPENDENT = "independent"
    DIRECTED = "directed"
    LOCAL = "local"
    RETURNED = "returned"


class OtherForce(StrEnum):
    """Whether another force investigates, and why."""

    NO = "no"
    CONFLICT = "conflict"
    SENIORITY = "seniority"
    CAPACITY = "capacity"


class CriminalStatus(StrEnum):
    """Where the criminal investigation stands."""

    ONGOING = "ongoing"
    NO_FURTHER_ACTION = "no_further_action"
    OUT_OF_COURT = "out_of_court_resolution"
    CHARGED = "charged"
    COURT_OUTCOME = "court_outcome"


class MisconductStatus(StrEnum):
    """Where the misconduct process stands; paused only for "specific prejudice"."""

    ASSESSING = "assessing"
    NO_CASE_TO_ANSWER = "no_case_to_answer"
    MISCONDUCT_MEETING = "misconduct_meeting"
    GROSS_MISCONDUCT_HEARING = "gross_misconduct_hearing"
    OUTCOME = "outcome"
    PAUSED_SPECIFIC_PREJUDICE = "paused_specific_prejudice"


class Restriction(StrEnum):
    """What was done about the officer or staff member suspected while the case runs."""

    SUSPENDED = "suspended"
    RESTRICTED_DUTIES = "restricted_duties"
    MOVED = "moved"
    NONE = "none"


class ContactChannel(StrEnum):
    """How the victim agreed to be contacted: a choice, never free text. Work e-mail or the line
    manager only with the victim's consent."""

    PERSONAL_PHONE = "personal_phone"
    PERSONAL_EMAIL = "personal_email"
    THROUGH_IDVA = "through_idva"
    IN_PERSON = "in_person"
    WORK_EMAIL_WITH_CONSENT = "work_email_with_consent"
    LINE_MANAGER_WITH_CONSENT = "line_manager_with_consent"


class RankBand(StrEnum):
    """The rank band of the officer suspected: bands only, never rank and station together."""

    CONSTABLE = "constable"
    SERGEANT_TO_INSPECTOR = "sergeant_to_inspector"
    CHIEF_INSPECTOR_AND_ABOVE = "chief_inspector_and_above"
    STAFF = "staff"
    NOT_POLICE = "not_police"


class YesNoNotApplicable(StrEnum):
    """Primary perpetrator determined, for allegation and counter-allegation."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """How the force is handling the case, as last recorded; None is "not recorded"."""

    conduct_matter: YesNoPending | None = None
    iopc_referral: IopcReferral | None = None
    other_force: OtherForce | None = None
    criminal_status: CriminalStatus | None = None
    right_to_review_told: bool | None = None
    misconduct_status: MisconductStatus | None = None
    misconduct_review_date: date | None = None  # when a paused misconduct case is next reviewed
    restriction: Restriction | None = None
    restriction_decided: date | None = None
    restriction_reviewed: date | None = None
    independence_declared: bool | None = None
    independence_date: date | None = None
    support_offered: date | None = None
    support_accepted: bool | None = None
    contact_channel: ContactChannel | None = None
    victims_code_on_time: bool | None = None
    rank_band: RankBand | None = None
    primary_perpetrator_determined: YesNoNotApplicable | None = None


FACT_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(CaseFacts))

# How each fact is named on cards and forms.
FACT_LABELS: Mapping[str, str] = {
    "conduct_matter": "Recorded as a conduct matter or complaint",
    "iopc_referral": "IOPC referral",
    "other_force": "Investigated by another force",
    "criminal_status": "Criminal investigation",
    "right_to_review_told": "Victim told of the Right to Review",
    "misconduct_status": "Misconduct",
    "misconduct_review_date": "Paused misconduct next reviewed",
    "restriction": "Restriction",
    "restriction_decided": "Restriction decided",
    "restriction_reviewed": "Restriction reviewed",
    "independence_declared": "Investigator's independence declared",
    "independence_date": "Independence declared on",
    "support_offered": "IDVA or specialist support offered",
    "support_accepted": "Support accepted",
    "contact_channel": "Agreed way to contact the victim",
    "victims_code_on_time": "Victims' Code updates on time",
    "rank_band": "Rank band of the officer suspected",
    "primary_perpetrator_determined": "Primary perpetrator determined",
}


@dataclass(frozen=True, slots=True)
class FactChange:
    """When a fact was last changed (who changed it is in the audit trail)."""

    name: str
    on: date


@dataclass(slots=True)
class FactRecord:
    """A case's facts and when each last changed."""

    facts: CaseFacts = field(default_factory=CaseFacts)
    changed: list[FactChange] = field(default_factory=list)

    def apply(self, changes: Mapping[str, object], on: date) -> tuple[str, ...]:
        """Set the given facts (a value of None clears one); returns the names that changed."""
        unknown = set(changes) - set(FACT_NAMES)
        if unknown:
            raise ValidationFailed("That is not one of the case facts.")
        different = {k: v for k, v in changes.items() if getattr(self.facts, k) != v}
        if not different:
            return ()
        candidate = dataclasses.replace(self.facts, **different)  # type: ignore[arg-type]
        _check(candidate, different)
        self.facts = candidate
        dated = {c.name: c for c in self.changed}
        for name in different:
            dated[name] = FactChange(name, on)
        self.changed = sorted(dated.values(), key=lambda c: FACT_NAMES.index(c.name))
        return tuple(sorted(different, key=FACT_NAMES.index))

    def changed_on(self, name: str) -> date | None:
        """When a fact was last changed, if it ever was."""
        return next((c.on for c in self.changed if c.name == name), None)


def _check(facts: CaseFacts, changing: Mapping[str, object]) -> None:
    """Rules across facts, for what is being set: a Right to Review follows no further action; the
    support offered is recorded before whether it was accepted."""
    nfa = facts.criminal_status is CriminalStatus.NO_FURTHER_ACTION
    if changing.get("right_to_review_told") is not None and not nfa:
        raise ValidationFailed("The Right to Review applies after no further action: record that first.")
    if changing.get("support_accepted") is not None and facts.support_offered is None:
        raise ValidationFailed("Record when support was offered before whether it was accepted.")


def parse_fact(name: str, text: str) -> object:
    """A fact's value from what a form or a file gives: "" (or "not recorded") clears it; a
    choice's code or its words; yes/no; a date as YYYY-MM-DD. Refused with the fact's name."""
    if name not in FACT_NAMES:
        raise ValidationFailed("That is not one of the case facts.")
    value = text.strip()
    if not value or value.lower() in {"not recorded", "none recorded", "-"}:
        return None
    kind = _kinds()[name]
    if kind is bool:
        lowered = value.lower()
        if lowered in {"yes", "y", "true"}:
            return True
        if lowered in {"no", "n", "false"}:
            return False
        raise ValidationFailed(f"{FACT_LABELS[name]}: answer yes or no.")
    if kind is date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationFailed(f"{FACT_LABELS[name]}: give a date as YYYY-MM-DD.") from None
    normal = value.lower().replace(" ", "_").replace("-", "_")
    for member in kind:
        if normal in {member.value, member.name.lower()}:
            return member
    raise ValidationFailed(f"{FACT_LABELS[name]}: not one of the choices.")


@cache
def _kinds() -> dict[str, Any]:
    hints = typing.get_type_hints(CaseFacts)
    return {name: next(a for a in typing.get_args(hints[name]) if a is not type(None)) for name in FACT_NAMES}
