"""Audits of cases: what a force's own audit of a live or recently closed case found, area by
area, and what was done about each finding. Choices only: an audit never holds free text, so it can
never hold a name. (Which cases are to be audited: panel.audit_list.)"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from panel.errors import ValidationFailed
from panel.roles import Role


class AuditArea(StrEnum):
    """What an audit looks at in a case."""

    RECORDING = "recording_classification"
    RISK = "risk_assessment"
    SAFEGUARDING = "safeguarding_measures"
    VICTIM_UPDATES = "victim_updates_code"
    INVESTIGATION = "investigation_quality"
    MISCONDUCT = "misconduct_restrictions"
    SUPPORT = "support_to_parties"


class AuditAction(StrEnum):
    """What was done about a finding."""

    LEARNING_ACTION = "learning_action_created"
    REFERRED_TO_CHAIR = "referred_to_chair"
    RETURNED_TO_SOO = "returned_to_soo"
    NONE_NEEDED = "no_action_needed"


AREA_WORDS: dict[AuditArea, str] = {
    AuditArea.RECORDING: "Recording and classification",
    AuditArea.RISK: "Risk assessment",
    AuditArea.SAFEGUARDING: "Safeguarding",
    AuditArea.VICTIM_UPDATES: "Victim updates and the Victims' Code",
    AuditArea.INVESTIGATION: "Investigation quality and independence",
    AuditArea.MISCONDUCT: "Misconduct handling and restrictions",
    AuditArea.SUPPORT: "Support",
}
ACTION_WORDS: dict[AuditAction, str] = {
    AuditAction.LEARNING_ACTION: "Learning action created",
    AuditAction.REFERRED_TO_CHAIR: "Referred to the chair",
    AuditAction.RETURNED_TO_SOO: "Returned to the SOO",
    AuditAction.NONE_NEEDED: "No action needed",
}
NO_CONCERNS = "No concerns"


class AuditKind(StrEnum):
    """Why the case was audited: from the list of cases to audit, or reviewed by the panel after it
    closed (a closed-case review slot)."""

    AUDIT = "audit"
    CLOSED_CASE_REVIEW = "closed_case_review"


@dataclass(frozen=True, slots=True)
class AuditFinding:
    """A concern in one area, what was done about it, and the learning action made for it."""

    area: AuditArea
    action: AuditAction
    learning_id: str | None = None


@dataclass(frozen=True, slots=True)
class CaseAudit:
    """One audit of a case: when, by which role (shown), by whom (an id, kept for accountability
    and never shown on a card), and its findings (none: no concerns)."""

    on: date
    by_role: Role
    by: str
    findings: tuple[AuditFinding, ...] = ()
    kind: AuditKind = AuditKind.AUDIT

    @property
    def concerns(self) -> bool:
        """Whether the audit found anything."""
        return bool(self.findings)


def findings_from(chosen: Mapping[AuditArea, AuditAction], *, has_soo: bool) -> tuple[AuditFinding, ...]:
    """The findings an audit records, in the order of the areas; refused if a finding would be
    returned to a SOO the case does not have."""
    if AuditAction.RETURNED_TO_SOO in chosen.values() and not has_soo:
        raise ValidationFailed("This case has no SOO to return a finding to: choose another action.")
    return tuple(AuditFinding(area, chosen[area]) for area in AuditArea if area in chosen)


def finding_lines(audit: CaseAudit) -> tuple[str, ...]:
    """An audit's findings in words: "Risk assessment: referred to the chair"."""
    if not audit.findings:
        return (NO_CONCERNS,)
    return tuple(
        f"{AREA_WORDS[f.area]}: {ACTION_WORDS[f.action][:1].lower()}{ACTION_WORDS[f.action][1:]}"
        + (f" ({f.learning_id})" if f.learning_id else "")
        for f in audit.findings
    )
