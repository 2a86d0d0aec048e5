"""The facts the panel scrutinises about how the force is handling a case: conduct and complaints,
the criminal and misconduct investigations, restrictions, independence, victim care, the rank
band of the officer suspected, the primary perpetrator, the risk to the victim as it is reassessed,
and the safeguarding measures in place. None identifies anyone: every one is a choice, a yes/no or
a date, never free text.

Every fact is optional. Each change is kept with its date and the role of whoever recorded it, so
a past period can be counted as it stood (the audit trail says who, by id).
"""

from __future__ import annotations

import dataclasses
import logging
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from panel.case_fact_choices import (
    RETIRED,
    RISK_ORDER,
    AssessedBy,
    ContactChannel,
    CriminalStatus,
    DecidedBy,
    IopcReferral,
    MisconductOutcome,
    MisconductStatus,
    OtherForce,
    RankBand,
    Restriction,
    Reviewer,
    ReviewOutcome,
    RiskLevel,
    Sex,
    UpdatesBy,
    VettingResult,
    YesNoNotApplicable,
    YesNoPending,
)
from panel.errors import ValidationFailed

logger = logging.getLogger(__name__)

# The choices are imported from here wherever a fact is used.
__all__ = [
    "VettingResult",
    "Sex",
    "MisconductOutcome",
    "ReviewOutcome",
    "Reviewer",
    "RiskLevel",
    "RISK_ORDER",
    "AssessedBy",
    "DecidedBy",
    "UpdatesBy",
    "YesNoPending",
    "IopcReferral",
    "OtherForce",
    "CriminalStatus",
    "MisconductStatus",
    "Restriction",
    "ContactChannel",
    "RankBand",
    "YesNoNotApplicable",
]


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
    # The risk as reassessed since registration (the case's registered risk until one is recorded).
    risk_level: RiskLevel | None = None
    risk_assessed_on: date | None = None
    risk_assessed_by: AssessedBy | None = None
    risk_supervisor_reviewed: bool | None = None
    # Safeguarding measures in place, each by the date it was put in place.
    marac_referred: date | None = None
    dvpn_issued: date | None = None
    dvpo_granted: date | None = None
    dapn_issued: date | None = None
    dapo_granted: date | None = None
    dvds_disclosed: date | None = None
    bail_conditions_set: date | None = None
    safety_plan_agreed: date | None = None
    # Misconduct and restrictions that fall overdue.
    misconduct_pause_authorised_by: DecidedBy | None = None
    restriction_decided_by: DecidedBy | None = None
    restriction_review_due: date | None = None
    # The victim's updates on each investigation, and who gives them.
    victim_updated_criminal: date | None = None
    victim_updated_misconduct: date | None = None
    victim_updates_by: UpdatesBy | None = None
    # The offence, for referrals and the figures: the kinds of abuse alleged (several may apply).
    abuse_coercive_control: bool | None = None
    abuse_stalking: bool | None = None
    abuse_physical: bool | None = None
    abuse_sexual: bool | None = None
    abuse_threats_to_kill: bool | None = None
    abuse_criminal_damage: bool | None = None
    abuse_economic: bool | None = None
    abuse_online: bool | None = None
    abuse_other: bool | None = None
    abuse_of_position: bool | None = None  # for a sexual purpose
    abuse_sex_discrimination: bool | None = None  # aggravated by discrimination on the basis of sex
    # For the force's violence against women and girls figures: counted only, never on a case card.
    victim_sex: Sex | None = None
    suspect_sex: Sex | None = None
    # Outcomes.
    misconduct_outcome: MisconductOutcome | None = None
    resigned_or_retired: date | None = None  # before the outcome
    barred_list: date | None = None
    vetting_review_requested: date | None = None
    vetting_review_result: VettingResult | None = None
    # The Right to Review, after no further action.
    right_to_review_requested: bool | None = None
    right_to_review_outcome: ReviewOutcome | None = None
    right_to_review_by: Reviewer | None = None
    # Support by kind, each the date it was offered and the date it was accepted.
    support_idva_offered: date | None = None
    support_idva_accepted: date | None = None
    support_isva_offered: date | None = None
    support_isva_accepted: date | None = None
    support_welfare_offered: date | None = None
    support_welfare_accepted: date | None = None
    support_peer_offered: date | None = None
    support_peer_accepted: date | None = None
    support_eap_offered: date | None = None
    support_eap_accepted: date | None = None
    support_occupational_health_offered: date | None = None
    support_occupational_health_accepted: date | None = None
    workplace_adjustments_agreed: date | None = None  # for a police victim
    perpetrator_programme_referred: date | None = None  # for the officer or staff member suspected


# Support by kind, each kind's code and the words for it.
SUPPORT_WORDS: Mapping[str, str] = {
    "idva": "IDVA",
    "isva": "ISVA",
    "welfare": "The force's welfare officer",
    "peer": "Peer support",
    "eap": "Employee assistance programme",
    "occupational_health": "Occupational health",
}
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
    "risk_level": "Risk as last assessed",
    "risk_assessed_on": "Risk last assessed on",
    "risk_assessed_by": "Risk assessed by",
    "risk_supervisor_reviewed": "Assessment reviewed by a supervisor",
    "marac_referred": "MARAC referral made",
    "dvpn_issued": "Domestic Violence Protection Notice issued",
    "dvpo_granted": "Domestic Violence Protection Order granted",
    "dapn_issued": "Domestic Abuse Protection Notice issued",
    "dapo_granted": "Domestic Abuse Protection Order granted",
    "dvds_disclosed": "Disclosure under the DV Disclosure Scheme (Clare's Law)",
    "bail_conditions_set": "Bail conditions set",
    "safety_plan_agreed": "Safety plan agreed with the victim",
    "misconduct_pause_authorised_by": "Misconduct pause authorised by",
    "restriction_decided_by": "Restriction decided by",
    "restriction_review_due": "Restriction next reviewed",
    "victim_updated_criminal": "Victim last updated on the criminal investigation",
    "victim_updated_misconduct": "Victim last updated on the misconduct investigation",
    "victim_updates_by": "Victim's updates given by",
    "abuse_coercive_control": "Controlling or coercive behaviour",
    "abuse_stalking": "Stalking or harassment",
    "abuse_physical": "Physical assault",
    "abuse_sexual": "Sexual offence",
    "abuse_threats_to_kill": "Threats to kill",
    "abuse_criminal_damage": "Criminal damage",
    "abuse_economic": "Economic abuse",
    "abuse_online": "Online abuse",
    "abuse_other": "Other abuse",
    "abuse_of_position": "Abuse of position for a sexual purpose",
    "abuse_sex_discrimination": "Aggravated by discrimination on the basis of sex",
    "victim_sex": "Sex of the victim",
    "suspect_sex": "Sex of the officer or staff member suspected",
    "misconduct_outcome": "Misconduct outcome",
    "resigned_or_retired": "Resigned or retired before the outcome",
    "barred_list": "Added to the barred list",
    "vetting_review_requested": "Vetting review requested",
    "vetting_review_result": "Vetting review result",
    "right_to_review_requested": "Right to Review requested",
    "right_to_review_outcome": "Right to Review outcome",
    "right_to_review_by": "Decision reviewed by",
    **{
        f"support_{kind}_{step}": f"{words}: {step}"
        for kind, words in SUPPORT_WORDS.items()
        for step in ("offered", "accepted")
    },
    "workplace_adjustments_agreed": "Workplace adjustments agreed (police victim)",
    "perpetrator_programme_referred": "Referred to a perpetrator programme (suspect)",
}
# Support by kind: each kind's dates offered and accepted.
SUPPORT_KINDS: tuple[str, ...] = tuple(SUPPORT_WORDS)
# The kinds of abuse alleged, each a yes (ticked) or not recorded: shown as one line.
ABUSE_KINDS: tuple[str, ...] = (
    "abuse_coercive_control",
    "abuse_stalking",
    "abuse_physical",
    "abuse_sexual",
    "abuse_threats_to_kill",
    "abuse_criminal_damage",
    "abuse_economic",
    "abuse_online",
    "abuse_other",
    "abuse_of_position",
    "abuse_sex_discrimination",
)
# What the IOPC must be referred (abuse of position for a sexual purpose, serious sexual offences,
# serious assaults, serious stalking, offences aggravated by sex discrimination): where any is
# alleged and no referral is recorded, the case may need one.
MANDATORY_REFERRAL_KINDS = frozenset(
    {"abuse_stalking", "abuse_physical", "abuse_sexual", "abuse_of_position", "abuse_sex_discrimination"}
)
# Counted in the figures only: never on a card that carries a reference, nor in the per-case file.
COUNTS_ONLY = frozenset({"victim_sex", "suspect_sex"})
# Dates that are planned, so may lie ahead: every other date is of something already done.
FUTURE_DATES = frozenset({"misconduct_review_date", "restriction_review_due"})
# Where the form and the panel's view start a new group of facts, and its heading.
FACT_GROUPS: Mapping[str, str] = {
    "conduct_matter": "The investigations, restrictions and the victim's care",
    "risk_level": "The risk, as last assessed",
    "marac_referred": "Safeguarding measures in place (the date each was put in place)",
    "misconduct_pause_authorised_by": "Decisions on the officer or staff member, and their review",
    "victim_updated_criminal": "The victim's updates",
    "abuse_coercive_control": "The kinds of abuse alleged (tick each that applies)",
    "victim_sex": "For the force's violence against women and girls figures (counted; never on a case "
    "card or in the per-case file)",
    "misconduct_outcome": "Outcomes",
    "right_to_review_requested": "The Right to Review (after no further action)",
    "support_idva_offered": "Support by kind (the date each was offered, and accepted)",
}
# The safeguarding measures, each a date it was put in place.
SAFEGUARDING_MEASURES: tuple[str, ...] = (
    "marac_referred",
    "dvpn_issued",
    "dvpo_granted",
    "dapn_issued",
    "dapo_granted",
    "dvds_disclosed",
    "bail_conditions_set",
    "safety_plan_agreed",
)


@dataclass(frozen=True, slots=True)
class FactChange:
    """When a fact was last changed (who changed it is in the audit trail)."""

    name: str
    on: date


class RecordedBy(StrEnum):
    """The role in which a fact was recorded."""

    SOO = "soo"
    COORDINATOR = "coordinator"
    IMPORT = "import"
    BEFORE_HISTORY = ""  # recorded before changes were kept one by one


@dataclass(frozen=True, slots=True)
class FactEntry:
    """One change to one fact: its value as a file writes it ("" when cleared), the day it was
    recorded, and the role of whoever recorded it."""

    name: str
    value: str
    on: date
    by: RecordedBy = RecordedBy.BEFORE_HISTORY


# Facts are immutable, so every case with none recorded can share one empty set of them (most cases
# of a long history: making a fresh one of seventy-odd fields for each costs a report a tenth of its
# time).
NO_FACTS = CaseFacts()


@dataclass(slots=True)
class FactRecord:
    """A case's facts as they stand, when each last changed, and every change in order."""

    facts: CaseFacts = NO_FACTS
    changed: list[FactChange] = field(default_factory=list)
    history: list[FactEntry] = field(default_factory=list)

    def apply(
        self, changes: Mapping[str, object], on: date, by: RecordedBy = RecordedBy.COORDINATOR
    ) -> tuple[str, ...]:
        """Set the given facts (a value of None clears one); returns the names that changed."""
        unknown = set(changes) - set(FACT_NAMES)
        if unknown:
            raise ValidationFailed("That is not one of the case facts.")
        different = {k: v for k, v in changes.items() if getattr(self.facts, k) != v}
        if "risk_level" in different and changes.get("risk_supervisor_reviewed") is not None:
            # Whether a supervisor reviewed it is answered afresh for each new assessment, so the
            # answer is kept for this one even where it is the same as for the last.
            different["risk_supervisor_reviewed"] = changes["risk_supervisor_reviewed"]
        if not different:
            return ()
        candidate = dataclasses.replace(self.facts, **different)  # type: ignore[arg-type]
        _check(candidate, different)
        kept = {e.name for e in self.history}
        for name in sorted(different, key=FACT_NAMES.index):
            before = getattr(self.facts, name)
            if name not in kept and before is not None:
                # Recorded before changes were kept: keep what it was, from when it was set.
                self.history.append(FactEntry(name, fact_text(before), self.changed_on(name) or date.min))
            self.history.append(FactEntry(name, fact_text(different[name]), on, by))
        self.facts = candidate
        dated = {c.name: c for c in self.changed}
        for name in different:
            dated[name] = FactChange(name, on)
        self.changed = sorted(dated.values(), key=lambda c: FACT_NAMES.index(c.name))
        return tuple(sorted(different, key=FACT_NAMES.index))

    def changed_on(self, name: str) -> date | None:
        """When a fact was last changed, if it ever was."""
        return next((c.on for c in self.changed if c.name == name), None)

    def as_at(self, day: date) -> CaseFacts:
        """The facts as they stood at the end of a day: for a report on a past period. A fact
        changed on the same day several times counts as last recorded."""
        if not self.changed:
            return self.facts
        values: dict[str, object] = {}
        by_name: dict[str, list[FactEntry]] = {}
        for entry in self.history:  # read once, not once per fact
            by_name.setdefault(entry.name, []).append(entry)
        for name in FACT_NAMES:
            if entries := by_name.get(name):
                known = [e for e in entries if e.on <= day]
                values[name] = stored_value(name, known[-1].value) if known else None
            else:  # never changed since changes were kept one by one
                changed = self.changed_on(name)
                values[name] = getattr(self.facts, name) if changed is None or changed <= day else None
        for name, value in values.items():
            if isinstance(value, date) and name not in FUTURE_DATES and value > day:
                values[name] = None  # a measure put in place on a later day was not in place yet
        return CaseFacts(**values)  # type: ignore[arg-type]

    def entries(self, name: str) -> list[FactEntry]:
        """Every change to one fact, in the order recorded."""
        return [e for e in self.history if e.name == name]


def refuse_retired(changes: Mapping[str, object], facts: CaseFacts) -> None:
    """A choice retired by a split ("court outcome") still reads where it was recorded, but is never
    newly recorded: a card no longer offers it, so only a forged press could send it."""
    for name, value in changes.items():
        if isinstance(value, StrEnum) and value.value in RETIRED and value != getattr(facts, name):
            raise ValidationFailed(f"{FACT_LABELS[name]}: not one of the choices.")


def refuse_future(changes: Mapping[str, object], today: date) -> None:
    """A date of something done cannot lie ahead (a planned review's can): refused by the fact's name."""
    for name, value in changes.items():
        if isinstance(value, date) and name not in FUTURE_DATES and value > today:
            raise ValidationFailed(f"{FACT_LABELS.get(name, name)}: a date today or before.")


# A Domestic Violence (or Abuse) Protection Notice lasts 48 hours: it is in place only that long.
NOTICES = frozenset({"dvpn_issued", "dapn_issued"})
NOTICE_DAYS = 2


def safeguarded(facts: CaseFacts, day: date) -> bool:
    """Whether any safeguarding measure is in place on the day: recorded by then, and for a notice,
    issued within its 48 hours."""
    for name in SAFEGUARDING_MEASURES:
        put_in_place = getattr(facts, name)
        if put_in_place is None or put_in_place > day:
            continue
        if name in NOTICES and (day - put_in_place).days > NOTICE_DAYS:
            continue
        return True
    return False


def stored_value(name: str, text: str) -> object:
    """A value as kept in a fact's history, read tolerantly: one no longer understood (a choice
    since removed) reads as not recorded, so one old entry never stops a report or a card."""
    try:
        return parse_fact(name, text)
    except ValidationFailed:
        logger.warning("facts.unreadable_value fact=%s", name)
        return None


def fact_text(value: object) -> str:
    """A fact's value as a file writes it: a choice's code, yes or no, a date, "" for none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value.value if isinstance(value, StrEnum) else value)


def _check(facts: CaseFacts, changing: Mapping[str, object]) -> None:
    """Rules across facts, for what is being set: a Right to Review follows no further action; the
    support offered is recorded before whether it was accepted."""
    nfa = facts.criminal_status is CriminalStatus.NO_FURTHER_ACTION
    if changing.get("right_to_review_told") is not None and not nfa:
        raise ValidationFailed("The Right to Review applies after no further action: record that first.")
    if changing.get("support_accepted") is not None and facts.support_offered is None:
        raise ValidationFailed("Record when support was offered before whether it was accepted.")
    for kind in SUPPORT_KINDS:
        offered = getattr(facts, f"support_{kind}_offered")
        accepted = getattr(facts, f"support_{kind}_accepted")
        touched = {f"support_{kind}_offered", f"support_{kind}_accepted"} & set(changing)
        if touched and accepted is not None and (offered is None or accepted < offered):
            what = SUPPORT_WORDS[kind]
            raise ValidationFailed(f"{what}: record when it was offered, on or before when it was accepted.")
    if changing.get("right_to_review_outcome") is not None and facts.right_to_review_requested is not True:
        raise ValidationFailed("Record that the Right to Review was requested before its outcome.")


def parse_fact(name: str, text: str) -> object:
    """A fact's value from what a form or a file gives: "" (or "not recorded") clears it; a
    choice's code or its words; yes/no; a date as YYYY-MM-DD. Refused with the fact's name."""
    if name not in FACT_NAMES:
        raise ValidationFailed("That is not one of the case facts.")
    value = text.strip()
    if not value or value.lower() in {"not recorded", "none recorded", "-"}:
        return None
    kind = _kinds()[name]
    if name in ABUSE_KINDS and value.lower() in {"no", "n", "false"}:
        return None  # a kind of abuse is ticked or not recorded: unticked says nothing either way
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
