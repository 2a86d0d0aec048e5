"""Action verbs the cards carry; the bot dispatches on exactly these."""

from __future__ import annotations

NEXT = "sitting.next"
NEXT_ANYWAY = "sitting.next_anyway"
EXTEND = "sitting.extend"
DEFER = "sitting.defer"
END = "sitting.end"
REFRESH_CONTROL = "sitting.refresh"
CASE_REFRESH = "case.refresh"

LIVE_VERBS = frozenset({NEXT, NEXT_ANYWAY, EXTEND, DEFER, END, REFRESH_CONTROL})
# A person's own view of a card in the case-room chat: read-only, decided by need-to-know.
VIEW_VERBS = frozenset({REFRESH_CONTROL, CASE_REFRESH})
EXTEND_MINUTES = 5

# Cases by card (coordinator, administrator, SOO, chair).
CASE_REGISTER = "case.register"
CASE_APPOINT = "case.appoint"
CASE_NAMES = "case.names"
CASE_LIST = "case.list"
SITTING_CREATE = "sitting.create"
AGENDA_REMOVE = "agenda.remove"
AGENDA_UP = "agenda.up"
AGENDA_CARRY = "agenda.carry"
ACTION_RECORD = "action.record"
THEME_RECORD = "theme.record"
DIRECTION_RECORD = "direction.record"
CASE_DECISION = "case.decision"
CASE_FACTS = "case.facts"
CASE_FACTS_OPEN = "case.facts.open"
CASE_MORE = "case.more"
CONFERENCE_RECORD = "conference.record"
CASE_REOPEN = "case.reopen"
CASE_LINK = "case.link"
REPORT_SHOW = "report.show"
REPORT_EXPORT = "report.export"
REPORT_CASE_FACTS = "report.case_facts"
LEARNING_RECORD = "learning.record"
LEARNING_DONE = "learning.done"
ATTENDANCE_RECORD = "attendance.record"
NOTE_RECORD = "note.record"
REVIEW_RECORD = "review.record"
CASE_OPEN = "case.open"
CASES_BACK = "cases.back"
CASE_UPDATE = "case.update"
ACTION_DONE = "action.done"
CLOSURE_REQUEST = "closure.request"
CLOSURE_APPROVE = "closure.approve"
CLOSURE_RETURN = "closure.return"
REMINDER_SNOOZE = "reminder.snooze"
CONFLICT_DECLARE = "conflict.declare"
CONFLICT_WITHDRAW = "conflict.withdraw"
RETENTION_HOLD = "retention.hold"
RETENTION_RELEASE = "retention.release"

# Information security: the audit trail.
AUDIT_SEARCH = "audit.search"
AUDIT_EXPORT = "audit.export"
AUDIT_VERIFY = "audit.verify"
AUDIT_VERBS = frozenset({AUDIT_SEARCH, AUDIT_EXPORT, AUDIT_VERIFY})

FORM_VERBS = frozenset(
    {
        CASE_REGISTER,
        CASE_APPOINT,
        CASE_NAMES,
        CASE_LIST,
        SITTING_CREATE,
        AGENDA_REMOVE,
        AGENDA_UP,
        AGENDA_CARRY,
        ACTION_RECORD,
        THEME_RECORD,
        DIRECTION_RECORD,
        CASE_DECISION,
        CASE_FACTS,
        CASE_FACTS_OPEN,
        CASE_MORE,
        CONFERENCE_RECORD,
        CASE_REOPEN,
        CASE_LINK,
        ATTENDANCE_RECORD,
        NOTE_RECORD,
        REVIEW_RECORD,
        CASE_OPEN,
        CASES_BACK,
        CASE_UPDATE,
        ACTION_DONE,
        CLOSURE_REQUEST,
        CLOSURE_APPROVE,
        CLOSURE_RETURN,
        REMINDER_SNOOZE,
        CONFLICT_DECLARE,
        CONFLICT_WITHDRAW,
        RETENTION_HOLD,
        RETENTION_RELEASE,
    }
)

# How the force assures itself: audits of the cases to audit, and what is missing from the records.
ASSURANCE_OPEN = "assurance.open"
AUDIT_CASE_OPEN = "assurance.audit.open"
AUDIT_CASE_RECORD = "assurance.audit.record"
GAPS_SHOW = "assurance.gaps"
GAPS_EXPORT = "assurance.gaps.export"
FORCE_REF_FIND = "assurance.find"
FEEDBACK_ANSWER = "feedback.answer"
REVIEW_SAMPLE = "assurance.sample"
ASSURANCE_VERBS = frozenset(
    {
        ASSURANCE_OPEN,
        AUDIT_CASE_OPEN,
        AUDIT_CASE_RECORD,
        GAPS_SHOW,
        GAPS_EXPORT,
        FORCE_REF_FIND,
        FEEDBACK_ANSWER,
        REVIEW_SAMPLE,
    }
)

# Proposals from members, partners and organisational learning, and the chair's decision.
PROPOSAL_MAKE = "proposal.make"
PROPOSAL_DECIDE = "proposal.decide"
PROPOSAL_VERBS = frozenset({PROPOSAL_MAKE, PROPOSAL_DECIDE})

# How the panel is doing, and what it is learning.
REPORT_VERBS = frozenset({REPORT_SHOW, REPORT_EXPORT, REPORT_CASE_FACTS, LEARNING_RECORD, LEARNING_DONE})

# Each verb's free-text inputs (what a person types, as opposed to choices, dates and the ids a card
# carries): the identity guard reads exactly these first, before anything else is checked. Numbers
# typed into a text box are free text too. A case's party names and the force's own references
# (password-style inputs) are identifiers by intent: they are only ever hashed, never checked by the
# guard, shown, logged or kept in clear, and go to their own handling.
FREE_TEXT: dict[str, frozenset[str]] = {
    AUDIT_CASE_OPEN: frozenset({"reference"}),
    PROPOSAL_MAKE: frozenset({"text"}),
    REVIEW_SAMPLE: frozenset({"seed"}),
    SITTING_CREATE: frozenset({"meeting", "link", "length"}),
    CASE_LIST: frozenset({"minutes"}),
    AGENDA_REMOVE: frozenset({"reason"}),
    ACTION_RECORD: frozenset({"description"}),
    NOTE_RECORD: frozenset({"note"}),
    THEME_RECORD: frozenset({"tag"}),
    DIRECTION_RECORD: frozenset({"text"}),
    CASE_DECISION: frozenset({"reason", "weeks"}),
    CONFERENCE_RECORD: frozenset({"outcome"}),
    CASE_REOPEN: frozenset({"reason"}),
    CASE_LINK: frozenset({"other"}),
    CASE_UPDATE: frozenset({"progress"}),
    ACTION_DONE: frozenset({"note"}),
    CLOSURE_RETURN: frozenset({"reason"}),
    CONFLICT_DECLARE: frozenset({"reason"}),
    RETENTION_HOLD: frozenset({"reason"}),
    LEARNING_RECORD: frozenset({"text"}),
    LEARNING_DONE: frozenset({"note"}),
    AUDIT_SEARCH: frozenset({"case"}),
    AUDIT_EXPORT: frozenset({"case"}),
    AUDIT_VERIFY: frozenset({"case"}),
}
