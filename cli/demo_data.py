"""The demo's made-up people and cases. Every name here is invented; none belongs to anyone real.

Tests use these too, so that no fixture ever carries a real person's details.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from panel.case import CaseConferenceFlags, Category, ReferralRoute, RiskLevel
from panel.case_facts import (
    AssessedBy,
    ContactChannel,
    CriminalStatus,
    IopcReferral,
    MisconductStatus,
    RankBand,
    Restriction,
    YesNoPending,
)
from panel.roles import Actor, Role


@dataclass(frozen=True)
class DemoPerson:
    """A made-up roster member with the fields the Agents Playground needs."""

    key: str
    aad_object_id: str
    display_name: str
    given_name: str
    surname: str
    roles: frozenset[Role]
    agency: str | None = None  # a partner representative's agency

    @property
    def teams_id(self) -> str:
        """The Teams user id the Playground gives this person."""
        return f"29:demo-{self.key}"

    def as_actor(self) -> Actor:
        """This person as the actor they become when the bot hears from them."""
        return Actor(self.aad_object_id, self.roles)

    @property
    def email(self) -> str:
        """A made-up address on the reserved example domain."""
        return f"{self.given_name.lower()}.{self.surname.lower()}@example.org"


def _person(key: str, n: int, given: str, surname: str, *roles: Role) -> DemoPerson:
    return DemoPerson(
        key=key,
        aad_object_id=f"00000000-0000-4000-8000-{n:012d}",
        display_name=f"{given} {surname}",
        given_name=given,
        surname=surname,
        roles=frozenset(roles),
    )


CHAIR = _person("chair", 1, "Morgan", "Hale", Role.CHAIR)
COORDINATOR = _person("coordinator", 2, "Priya", "Okafor", Role.COORDINATOR)
ADMINISTRATOR = _person("administrator", 3, "Dana", "Whitlock", Role.ADMINISTRATOR)
PARTNER = dataclasses.replace(_person("partner", 4, "Robin", "Achebe", Role.PARTNER), agency="IDVA service")
SOO_ONE = _person("soo1", 5, "Alex", "Renshaw", Role.SOO)
SOO_TWO = _person("soo2", 6, "Sam", "Ortega", Role.SOO)
MEMBER = _person("member", 7, "Jesse", "Carrow", Role.MEMBER)
DEPUTY = _person("deputy", 8, "Kit", "Farrow", Role.DEPUTY_CHAIR)
ANALYST = _person("analyst", 9, "Noor", "Haddad", Role.LEARNING_ANALYST)
INFOSEC = _person("infosec", 10, "Tamsin", "Reeve", Role.INFORMATION_SECURITY)
PSD_LEAD = _person("psd", 11, "Ellis", "Varga", Role.PSD_LEAD)

DEMO_ROSTER: tuple[DemoPerson, ...] = (
    CHAIR,
    COORDINATOR,
    ADMINISTRATOR,
    PARTNER,
    SOO_ONE,
    SOO_TWO,
    MEMBER,
    DEPUTY,
    ANALYST,
    INFOSEC,
    PSD_LEAD,
)


def playground_users(person: DemoPerson) -> list[DemoPerson]:
    """The five other people a Playground for `person` knows (it takes exactly five): the roster in
    its order, so the chair's Playground has the coordinator, administrator, partner and both SOOs."""
    return [p for p in DEMO_ROSTER if p is not person][:5]


@dataclass(frozen=True)
class DemoCase:
    """An anonymised demo case, and the made-up party names registered for the identity guard."""

    category: Category
    route: ReferralRoute
    received: date
    risk: RiskLevel
    soo: DemoPerson
    kind: str
    party_names: tuple[str, ...]
    flags: CaseConferenceFlags = CaseConferenceFlags()
    facts: tuple[tuple[str, object], ...] = ()  # made-up facts the panel scrutinises


DEMO_CASES: tuple[DemoCase, ...] = (
    DemoCase(
        Category.POLICE_VICTIM,
        ReferralRoute.LINE_MANAGER,
        date(2026, 10, 2),
        RiskLevel.HIGH,
        SOO_ONE,
        "new",
        ("Jordan Blackwood", "Casey Marlowe"),
        facts=(
            ("conduct_matter", YesNoPending.YES),
            ("criminal_status", CriminalStatus.ONGOING),
            ("restriction", Restriction.RESTRICTED_DUTIES),
            ("rank_band", RankBand.CONSTABLE),
            ("contact_channel", ContactChannel.THROUGH_IDVA),
            ("risk_level", RiskLevel.HIGH),
            ("risk_assessed_on", date(2026, 11, 20)),
            ("risk_assessed_by", AssessedBy.SUPERVISOR),
            ("marac_referred", date(2026, 10, 5)),
            ("safety_plan_agreed", date(2026, 10, 9)),
        ),
    ),
    DemoCase(
        Category.POLICE_PERPETRATOR,
        ReferralRoute.EMERGENCY_OR_101_CALL,
        date(2026, 9, 14),
        RiskLevel.MEDIUM,
        SOO_TWO,
        "update",
        ("Taylor Quennell", "Avery Stanbridge"),
        facts=(
            ("conduct_matter", YesNoPending.YES),
            ("iopc_referral", IopcReferral.LOCAL),
            ("criminal_status", CriminalStatus.NO_FURTHER_ACTION),
            ("right_to_review_told", True),
            ("misconduct_status", MisconductStatus.PAUSED_SPECIFIC_PREJUDICE),
            ("independence_declared", True),
            ("support_offered", date(2026, 9, 20)),
            ("support_accepted", True),
            ("rank_band", RankBand.SERGEANT_TO_INSPECTOR),
            # Lowered from the medium it was registered at, and no supervisor's review recorded.
            ("risk_level", RiskLevel.STANDARD),
            ("risk_assessed_on", date(2026, 11, 25)),
            ("risk_assessed_by", AssessedBy.INVESTIGATOR),
        ),
    ),
    DemoCase(
        Category.POLICE_PERPETRATOR,
        ReferralRoute.IDVA_REFERRAL,
        date(2026, 8, 30),
        RiskLevel.HIGH,
        SOO_ONE,
        "complex",
        ("Rowan Thistlewood",),
        CaseConferenceFlags(serial_or_multiple_victims=True),
    ),
    DemoCase(
        Category.POLICE_VICTIM,
        ReferralRoute.PROFESSIONAL_STANDARDS,
        date(2026, 10, 20),
        RiskLevel.STANDARD,
        SOO_TWO,
        "new",
        ("Emery Gallowglass",),
    ),
)

# Registered but not yet listed: the coordinator's next job, and a case for next month's sitting.
UNLISTED_CASE = DemoCase(
    Category.BOTH_POLICE,
    ReferralRoute.COLLEAGUE,
    date(2026, 11, 16),
    RiskLevel.MEDIUM,
    SOO_TWO,
    "update",
    ("Quinn Halloway",),
)

# Heard at last month's sitting, its action done, and closed since: a case the coordinator can audit
# or bring back for a closed-case review (its criminal outcome, no further action, is one of the
# documented samples). Its dates are set when the demo is seeded, relative to that day.
CLOSED_CASE = DemoCase(
    Category.POLICE_PERPETRATOR,
    ReferralRoute.LINE_MANAGER,
    date(2026, 8, 1),
    RiskLevel.MEDIUM,
    SOO_ONE,
    "new",
    ("Harlow Penderville",),
    facts=(
        ("conduct_matter", YesNoPending.YES),
        ("criminal_status", CriminalStatus.NO_FURTHER_ACTION),
        ("right_to_review_told", True),
        ("misconduct_status", MisconductStatus.OUTCOME),
        ("rank_band", RankBand.CONSTABLE),
    ),
)

ALL_PARTY_NAMES: tuple[str, ...] = tuple(
    n for c in (*DEMO_CASES, UNLISTED_CASE, CLOSED_CASE) for n in c.party_names
)

# A made-up professional standards reference, registered for the first demo case (no force issues
# references in the 2099 series).
DEMO_FORCE_REFERENCE = "PSD/2099/0412"
