"""The choices a case fact can hold: each a short code a file or form gives, worded for cards by
panel.labels. None can carry an identity."""

from __future__ import annotations

from enum import StrEnum


class RiskLevel(StrEnum):
    """The assessed risk to the victim."""

    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"


RISK_ORDER = (RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH)


class AssessedBy(StrEnum):
    """Who assessed the risk, by role."""

    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    MASH = "mash"
    SPECIALIST = "specialist"


class DecidedBy(StrEnum):
    """Who made a decision on the officer or staff member suspected, by role."""

    APPROPRIATE_AUTHORITY = "appropriate_authority"
    PSD = "psd"
    IOPC = "iopc"
    HR = "hr"


class UpdatesBy(StrEnum):
    """Who gives the victim their updates, by role."""

    SOO = "soo"
    INVESTIGATOR = "investigator"
    IDVA = "idva"
    OTHER = "other"


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
    TRUST_AND_CONFIDENCE = "trust_and_confidence"  # the victim's trust and confidence
    OUTSIDE_FORCE_AREA = "outside_force_area"  # the incident happened outside the force's area


class CriminalStatus(StrEnum):
    """Where the criminal investigation stands."""

    ONGOING = "ongoing"
    NO_FURTHER_ACTION = "no_further_action"
    OUT_OF_COURT = "out_of_court_resolution"
    CHARGED = "charged"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    COURT_OUTCOME = "court_outcome"  # recorded before convicted and acquitted were told apart


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
    CHIEF_INSPECTOR = "chief_inspector"
    SUPERINTENDENT_AND_ABOVE = "superintendent_and_above"  # some forces send these to another force
    CHIEF_INSPECTOR_AND_ABOVE = "chief_inspector_and_above"  # recorded before the band was split
    STAFF = "staff"
    NOT_POLICE = "not_police"


class YesNoNotApplicable(StrEnum):
    """Primary perpetrator determined, for allegation and counter-allegation."""

    YES = "yes"
    NO = "no"
    NOT_APPLICABLE = "not_applicable"


class Sex(StrEnum):
    """For the force's violence against women and girls figures: counted, never shown by case."""

    FEMALE = "female"
    MALE = "male"
    ANOTHER = "another"
    NOT_RECORDED = "sex_not_recorded"


class MisconductOutcome(StrEnum):
    """How the misconduct proceedings ended."""

    NO_CASE_TO_ANSWER = "no_case_to_answer"
    REFLECTIVE_PRACTICE = "reflective_practice"
    MANAGEMENT_ADVICE = "management_advice"
    WRITTEN_WARNING = "written_warning"
    FINAL_WRITTEN_WARNING = "final_written_warning"
    DISMISSAL = "dismissal"
    WOULD_HAVE_BEEN_DISMISSED = "would_have_been_dismissed"


class ReviewOutcome(StrEnum):
    """The outcome of the victim's Right to Review."""

    UPHELD = "upheld"
    NOT_UPHELD = "not_upheld"


class Reviewer(StrEnum):
    """Who reviewed the decision under the Right to Review."""

    THIS_FORCE = "this_force"
    ANOTHER_FORCE = "another_force"
    CPS = "cps"


class VettingResult(StrEnum):
    """What a vetting review decided."""

    CLEARANCE_KEPT = "clearance_kept"
    CLEARANCE_WITHDRAWN = "clearance_withdrawn"
    CLEARANCE_RESTRICTED = "clearance_restricted"


# Choices kept so that what was recorded before still reads, but no longer offered on a form.
RETIRED = frozenset({RankBand.CHIEF_INSPECTOR_AND_ABOVE.value, CriminalStatus.COURT_OUTCOME.value})
