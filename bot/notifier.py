"""Delivery of notices to people. Until proactive 1:1 delivery exists, notices are logged by id and
kind so that none is silently dropped; they carry no identities, so the log line is safe."""

from __future__ import annotations

import logging

from panel.ports import Notice

logger = logging.getLogger(__name__)


class LoggingNotifier:
    """Records that a notice was due for a recipient; proactive delivery replaces it."""

    async def send(self, notice: Notice) -> None:
        """Log the notice's kind, recipient id and case reference."""
        logger.info(
            "notice.pending_delivery kind=%s recipient=%s case=%s",
            notice.kind.value,
            notice.recipient_id,
            notice.case_reference,
        )
