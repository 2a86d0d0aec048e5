"""Roles, permissions and the actor: one table says which role may do what."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from panel.errors import NotOnRoster, NotPermitted


class Role(StrEnum):
    """A panel role; a roster member may hold several."""

    CHAIR = "chair"
    DEPUTY_CHAIR = "deputy_chair"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"
    MEMBER = "member"
    PARTNER = "partner"
    LEARNING_ANALYST = "learning_analyst"
    SOO = "soo"
    INFORMATION_SECURITY = "information_security"
    # Professional standards' lead for these cases: reads any case as the coordinator does and finds
    # one by the force's own reference; runs nothing, sits in no room.
    PSD_LEAD = "psd_lead"


class Permission(StrEnum):
    """Something a use case does that not everyone may do."""

    MANAGE_ROSTER = "manage_roster"
    REGISTER_CASE = "register_case"
    REGISTER_PARTY_NAMES = "register_party_names"
    APPOINT_SOO = "appoint_soo"
    TRIAGE_CASE = "triage_case"
    CREATE_SITTING = "create_sitting"
    MANAGE_AGENDA = "manage_agenda"
    RUN_SITTING = "run_sitting"
    VIEW_LIVE_CASE = "view_live_case"
    VIEW_CASE = "view_case"
    RECORD_ACTION = "record_action"
    PROPOSE_ACTION = "propose_action"
    RECORD_THEME = "record_theme"
    UPDATE_OWN_CASE = "update_own_case"
    REQUEST_CLOSURE = "request_closure"
    APPROVE_CLOSURE = "approve_closure"
    READ_THEMES = "read_themes"
    VIEW_SITTING = "view_sitting"
    LIST_CASES = "list_cases"
    DECLARE_CONFLICT = "declare_conflict"
    MANAGE_CONFLICTS = "manage_conflicts"
    READ_AUDIT = "read_audit"
    HOLD_FROM_ERASURE = "hold_from_erasure"
    RUN_RETENTION = "run_retention"
    RECORD_CASE_FACTS = "record_case_facts"
    ROUTE_CASE_CONFERENCE = "route_case_conference"
    REOPEN_CASE = "reopen_case"
    LINK_CASES = "link_cases"
    READ_REPORTS = "read_reports"
    EXPORT_CASE_FACTS = "export_case_facts"
    RECORD_LEARNING = "record_learning"
    MARK_ATTENDANCE = "mark_attendance"
    CHECK_RECORDING = "check_recording"
    FIND_BY_FORCE_REFERENCE = "find_by_force_reference"
    RECORD_NOTES = "record_notes"


_R = Role
# Why deputies run sittings: the chair delegates to the named deputy when absent, and a sitting
# must not stall. Closure approval stays with the chair, as the accountable senior officer.
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_ROSTER: frozenset({_R.COORDINATOR, _R.CHAIR}),
    Permission.REGISTER_CASE: frozenset({_R.COORDINATOR}),
    Permission.REGISTER_PARTY_NAMES: frozenset({_R.COORDINATOR}),
    Permission.APPOINT_SOO: frozenset({_R.COORDINATOR}),
    Permission.TRIAGE_CASE: frozenset({_R.COORDINATOR, _R.CHAIR, _R.DEPUTY_CHAIR}),
    Permission.CREATE_SITTING: frozenset({_R.COORDINATOR, _R.ADMINISTRATOR}),
    Permission.MANAGE_AGENDA: frozenset({_R.COORDINATOR, _R.CHAIR, _R.DEPUTY_CHAIR}),
    Permission.RUN_SITTING: frozenset({_R.CHAIR, _R.DEPUTY_CHAIR}),
    # The case being heard, in the case-room chat's user-specific view: partners too, but only while
    # it is being heard (panel.need_to_know decides each view).
    Permission.VIEW_LIVE_CASE: frozenset(
        {
            _R.CHAIR,
            _R.DEPUTY_CHAIR,
            _R.COORDINATOR,
            _R.ADMINISTRATOR,
            _R.MEMBER,
            _R.PARTNER,
            _R.LEARNING_ANALYST,
        }
    ),
    # The whole agenda and who is waiting: the panel itself, not partners or SOOs.
    Permission.VIEW_SITTING: frozenset(
        {_R.CHAIR, _R.DEPUTY_CHAIR, _R.COORDINATOR, _R.ADMINISTRATOR, _R.MEMBER}
    ),
    # Any case, at any time, read-only outside the sitting: those who run the panel, and professional
    # standards, who answer for the misconduct side of the same cases. SOOs see their own cases only.
    Permission.VIEW_CASE: frozenset(
        {_R.CHAIR, _R.DEPUTY_CHAIR, _R.COORDINATOR, _R.ADMINISTRATOR, _R.PSD_LEAD}
    ),
    Permission.LIST_CASES: frozenset(
        {_R.CHAIR, _R.DEPUTY_CHAIR, _R.COORDINATOR, _R.ADMINISTRATOR, _R.SOO, _R.PSD_LEAD}
    ),
    Permission.DECLARE_CONFLICT: frozenset(_R),
    Permission.MANAGE_CONFLICTS: frozenset({_R.COORDINATOR}),
    # Those who investigate a suspected breach read who accessed what: never the case details.
    Permission.READ_AUDIT: frozenset({_R.INFORMATION_SECURITY}),
    Permission.HOLD_FROM_ERASURE: frozenset({_R.COORDINATOR}),
    # The retention run is an operator's job on the server (the operator acts as coordinator).
    Permission.RUN_RETENTION: frozenset({_R.COORDINATOR}),
    Permission.RECORD_ACTION: frozenset({_R.ADMINISTRATOR, _R.CHAIR, _R.DEPUTY_CHAIR}),
    # During a hearing, from their own view of the case: members and partners propose actions,
    # directions and themes; organisational learning themes only (checked by the use case).
    Permission.PROPOSE_ACTION: frozenset({_R.MEMBER, _R.PARTNER, _R.LEARNING_ANALYST}),
    Permission.RECORD_THEME: frozenset({_R.ADMINISTRATOR, _R.CHAIR, _R.DEPUTY_CHAIR}),
    # A SOO may change only the cases they oversee (checked by the use case against the case).
    Permission.UPDATE_OWN_CASE: frozenset({_R.SOO}),
    Permission.REQUEST_CLOSURE: frozenset({_R.SOO}),
    Permission.APPROVE_CLOSURE: frozenset({_R.CHAIR}),
    Permission.READ_THEMES: frozenset({_R.LEARNING_ANALYST, _R.CHAIR, _R.DEPUTY_CHAIR, _R.COORDINATOR}),
    # The facts: the SOO for their own cases (checked against the case), the coordinator for any.
    Permission.RECORD_CASE_FACTS: frozenset({_R.SOO, _R.COORDINATOR}),
    # The panel (through its chair) or the coordinator at registration send a case to conference.
    Permission.ROUTE_CASE_CONFERENCE: frozenset(
        {_R.COORDINATOR, _R.CHAIR, _R.DEPUTY_CHAIR, _R.ADMINISTRATOR}
    ),
    Permission.REOPEN_CASE: frozenset({_R.COORDINATOR}),
    # Only the coordinator is told of possible links and may join cases up.
    Permission.LINK_CASES: frozenset({_R.COORDINATOR}),
    # How the panel is doing: those who run it and the analyst who studies it.
    Permission.READ_REPORTS: frozenset({_R.CHAIR, _R.DEPUTY_CHAIR, _R.COORDINATOR, _R.LEARNING_ANALYST}),
    # Row-level data (each case's facts by reference), for the force's own audits and HMICFRS: the
    # coordinator, who keeps the cases, and the chair, who answers for the panel. The analyst reads
    # the aggregate report and the commissioner's view, never a case.
    Permission.EXPORT_CASE_FACTS: frozenset({_R.CHAIR, _R.COORDINATOR}),
    Permission.RECORD_LEARNING: frozenset({_R.LEARNING_ANALYST, _R.CHAIR}),
    Permission.MARK_ATTENDANCE: frozenset({_R.ADMINISTRATOR, _R.CHAIR, _R.DEPUTY_CHAIR}),
    # Which open cases lack which facts, by reference: the coordinator, who keeps the records.
    Permission.CHECK_RECORDING: frozenset({_R.COORDINATOR}),
    # Turning a force's record reference into the panel's: the coordinator, who registered it, and
    # professional standards, whose own records those references mostly are.
    Permission.FIND_BY_FORCE_REFERENCE: frozenset({_R.COORDINATOR, _R.PSD_LEAD}),
    # Notes of the discussion (the meeting is not recorded): whoever records for the panel.
    Permission.RECORD_NOTES: frozenset({_R.ADMINISTRATOR, _R.CHAIR, _R.DEPUTY_CHAIR}),
}


@dataclass(frozen=True)
class Actor:
    """Someone acting on the panel: a roster member seen through Teams, or an operator's CLI."""

    actor_id: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    on_roster: bool = True

    @classmethod
    def stranger(cls, actor_id: str) -> Actor:
        """A person the roster does not know: may ask for help, may do nothing else."""
        return cls(actor_id=actor_id, roles=frozenset(), on_roster=False)

    @classmethod
    def operator(cls, name: str = "cli") -> Actor:
        """Whoever runs `panelbot` on the server: acts as coordinator and recorded as such."""
        return cls(
            actor_id=f"operator:{name}",
            roles=frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
        )

    @classmethod
    def system(cls, source: str) -> Actor:
        """An event from outside (e.g. Teams saying someone joined a meeting): no roles at all."""
        return cls(actor_id=f"system:{source}", roles=frozenset())

    def may(self, permission: Permission) -> bool:
        """Whether any of the actor's roles grants the permission."""
        return bool(self.roles & PERMISSIONS[permission])

    def require(self, permission: Permission) -> None:
        """Raise a domain error unless the actor may do this."""
        if not self.on_roster:
            raise NotOnRoster("You are not on this panel's roster. Ask the case coordinator to add you.")
        if not self.may(permission):
            raise NotPermitted(f"Only {who_may(permission)} can do that.")


ROLE_WORDS: dict[Role, str] = {
    Role.CHAIR: "the chair",
    Role.DEPUTY_CHAIR: "the deputy chair",
    Role.COORDINATOR: "the case coordinator",
    Role.ADMINISTRATOR: "the panel administrator",
    Role.MEMBER: "panel members",
    Role.PARTNER: "partner representatives",
    Role.LEARNING_ANALYST: "the organisational learning analyst",
    Role.SOO: "senior oversight officers",
    Role.INFORMATION_SECURITY: "information security",
    Role.PSD_LEAD: "the professional standards lead",
}


def who_may(permission: Permission) -> str:
    """The roles that may do something, as a phrase: "the chair or the deputy chair"."""
    names = [ROLE_WORDS[role] for role in Role if role in PERMISSIONS[permission]]
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


def roles_of(actor: Actor) -> str:
    """The roles an actor holds, as the audit trail records them: "chair", "coordinator;soo",
    "operator" for the command line, "system" for the bot's own work."""
    if actor.actor_id.startswith("operator:"):
        return "operator"
    if actor.actor_id.startswith("system:"):
        return "system"
    if not actor.on_roster:
        return "stranger"
    return ";".join(sorted(role.value for role in actor.roles)) or "none"


def check_permission_table_is_complete() -> None:
    """Fail at start-up, not on the first message, if a permission has no row."""
    missing = [p for p in Permission if p not in PERMISSIONS]
    if missing:
        raise RuntimeError(f"permissions without a row: {missing}")
