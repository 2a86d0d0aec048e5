"""Delivery of notices to people: 1:1 cards in Teams, or, where there is no Teams connection (the
command line), a log line by id and kind. Notices carry no identities, so the log line is safe."""

from __future__ import annotations

import logging
from typing import Any

from bot.outgoing import card_message, user_key
from bot.teams.messenger import Messenger
from cards.case_forms import ApprovalView, approval_card
from cards.feedback_card import FeedbackView, feedback_card
from cards.notices import NoticeView, notice_card
from panel.audit import AuditPurpose
from panel.feedback import Respondent
from panel.ports import Notice, NoticeKind
from panel.usecases.access import disclosed
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)


class LoggingNotifier:
    """Records that a notice was due, for tools with no Teams connection (the command line)."""

    async def send(self, notice: Notice) -> None:
        """Log the notice's kind, recipient id and case reference."""
        logger.info(
            "notice.pending_delivery kind=%s recipient=%s case=%s",
            notice.kind.value,
            notice.recipient_id,
            notice.case_reference,
        )


class TeamsNotifier:
    """Delivers notices as 1:1 cards; a person the bot cannot reach is logged by id (the app is
    not installed for them), never silently dropped."""

    def __init__(self, messenger: Messenger, deps: Deps) -> None:
        self._messenger, self._deps = messenger, deps

    async def send(self, notice: Notice) -> None:
        """Send the card for this notice to its recipient's 1:1 chat: recorded as a disclosure first
        (nothing is sent that the audit trail does not know of)."""
        content = notice_content(notice)
        await disclosed(
            self._deps,
            "notice.sent",
            AuditPurpose.NOTICE,
            notice.recipient_id,
            [notice.case_reference] if notice.case_reference else [],  # a partner's feedback card names none
            notice.kind.value,
        )
        delivered = await self._messenger.post(user_key(notice.recipient_id), card_message(content))
        event = "notice.sent" if delivered is not None else "notice.undelivered"
        logger.info(
            "%s kind=%s recipient=%s case=%s",
            event,
            notice.kind.value,
            notice.recipient_id,
            notice.case_reference,
        )


def notice_content(notice: Notice) -> dict[str, Any]:
    """The card for a notice: by case reference only."""
    ref = notice.case_reference
    if notice.kind is NoticeKind.FEEDBACK_ASKED:
        respondent = Respondent.SOO if ref else Respondent.PARTNER
        return feedback_card(FeedbackView(dict(notice.facts).get("sitting", ""), respondent, ref or None))
    if notice.kind is NoticeKind.CLOSURE_TO_APPROVE:
        facts = dict(notice.facts)
        details = tuple((k, v) for k, v in notice.facts if k not in {"Done", "Cancelled"})
        return approval_card(
            ApprovalView(ref, int(facts.get("Done", "0")), int(facts.get("Cancelled", "0")), details=details)
        )
    titles = {
        NoticeKind.SOO_APPOINTED: f"You are the senior oversight officer for case {ref}",
        NoticeKind.SLOT_BOOKED: f"Case {ref} is on the agenda",
        NoticeKind.CLOSURE_APPROVED: f"The chair approved the closure of case {ref}",
        NoticeKind.CLOSURE_RETURNED: f"The chair returned the closure of case {ref}",
        NoticeKind.CASE_CLOSED: f"Case {ref} is closed",
        NoticeKind.CONFLICT_DECLARED: f"A conflict of interest was declared for case {ref}",
        NoticeKind.AUDIT_REFERRED: f"A case audit referred case {ref} to you",
        NoticeKind.AUDIT_RETURNED: f"A case audit returned case {ref} to you: please look at these areas",
    }
    opens = notice.kind in {
        NoticeKind.SOO_APPOINTED,
        NoticeKind.SLOT_BOOKED,
        NoticeKind.CLOSURE_RETURNED,
        NoticeKind.CONFLICT_DECLARED,
        NoticeKind.AUDIT_REFERRED,
        NoticeKind.AUDIT_RETURNED,
    }
    return notice_card(NoticeView(titles[notice.kind], notice.facts, ref if opens else None))
