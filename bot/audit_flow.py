"""The audit card in Teams, for information security: search the trail, page back, export a CSV
(a one-time link), verify the chain. Every step is checked and recorded by the use cases."""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot import form_values as fv
from bot.audit_witness import keep_witness, witnesses_in
from bot.guard_first import guard_first
from cards import verbs
from cards.audit_cards import AuditFilterView, AuditLine, AuditView, audit_card
from cards.form_parts import Banner
from cards.notices import NoticeView, notice_card
from panel.audit import ChainReport, Witness
from panel.clock import to_london
from panel.errors import PanelError, StorageUnavailable
from panel.ports import AuditEntry
from panel.reference import parse_reference
from panel.roles import Actor, Permission
from panel.roster import RosterMember
from panel.usecases.audit_trail import PAGE, AuditFilter, check_audit, export_audit, read_audit
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]
EXPORT_LIFETIME = timedelta(minutes=10)
EXPORTS_PATH = "/exports"
EVENT_WORDS = {
    "export.downloaded": "downloaded a one-time export",
    "case.viewed": "saw the case card",
    "case.opened": "opened the case",
    "case.listed": "saw it in a case list",
    "case.form": "opened the case form",
    "case.facts_opened": "opened the case's facts",
    "case.record_form": "opened the record form",
    "sitting.viewed": "saw the sitting card",
    # Disclosures are made by the bot, to the person or chat in the "to" column.
    "notice.sent": "sent a notice",
    "reminder.sent": "sent a reminder",
    "case.called": "called the SOO into the case room",
    "case.posted": "posted the case card",
    "soo.status_sent": "sent the SOO their sitting update",
    "audit.read": "read the audit trail",
    "audit.exported": "exported the audit trail",
    "audit.verified": "verified the audit trail",
    # Changes.
    "case.registered": "registered the case",
    "case.party_names_registered": "registered party names (kept as hashes)",
    "case.soo_appointed": "appointed the SOO",
    "case.updated": "saved a progress update",
    "case.closure_requested": "asked to close the case",
    "case.closed": "closed the case",
    "case.closure_approved": "approved the closure",
    "case.closure_returned": "returned the closure request",
    "case.held_from_erasure": "held the case from erasure",
    "case.hold_released": "released the erasure hold",
    "agenda.case_listed": "listed the case on a sitting",
    "agenda.carried_forward": "offered unheard cases to the next sitting",
    "action.recorded": "recorded an action",
    "action.done": "marked an action done",
    "action.cancelled": "cancelled an action",
    "theme.recorded": "recorded a theme",
    "conflict.declared": "declared a conflict of interest",
    "conflict.withdrawn": "withdrew a conflict of interest",
    "reminder.snoozed": "snoozed a reminder",
    "roster.member_saved": "changed the roster",
    "sitting.created": "booked a sitting",
    "sitting.started": "started the sitting",
    "sitting.ended": "ended the sitting",
}


class AuditFlow:
    """The information-security reviewer's card."""

    def __init__(self, deps: Deps, public_url: str, witness_file: Path | None = None) -> None:
        self._deps, self._public_url = deps, public_url.rstrip("/")
        self._witness_file = witness_file

    async def _witnesses(self) -> list[Witness]:
        """The witnesses kept in the force's witness file, if it has one that can be read."""
        file = self._witness_file
        if file is None:
            return []
        try:
            return await asyncio.to_thread(witnesses_in, [file])
        except OSError:
            return []

    async def open(self, actor: Actor) -> Card:
        """The card as first opened: the most recent entries (a refusal, recorded, without the role)."""
        return await self.handle(actor, verbs.AUDIT_SEARCH, {})

    async def handle(self, actor: Actor, verb: str, data: dict[str, str]) -> Card:
        """Search, export or verify; a refusal or bad filter comes back on the card."""
        try:
            # The guard first, as on every field: a name typed as a case is refused, never read as one.
            await guard_first(self._deps, verb, data)
            wanted, shown = _filter(data)
            if verb == verbs.AUDIT_EXPORT:
                return await self._export(actor, wanted, shown)
            if verb == verbs.AUDIT_VERIFY:
                report = await check_audit(self._deps, actor, await self._witnesses())
                if report.intact:
                    await keep_witness(self._deps, self._witness_file)
                return await self._card(actor, wanted, shown, verified=_verdict(report))
            return await self._card(actor, wanted, shown)
        except StorageUnavailable:
            raise
        except PanelError as error:
            logger.info("audit.refused verb=%s actor=%s error=%s", verb, actor.actor_id, type(error).__name__)
            if not actor.may(Permission.READ_AUDIT):
                # Not theirs to search: the reason alone, not even an empty search form.
                return notice_card(NoticeView("That could not be done", (("Why", error.message),)))
            return await self._card(
                actor, AuditFilter(), AuditFilterView(), banner=Banner(error.message, ok=False)
            )

    async def _export(self, actor: Actor, wanted: AuditFilter, shown: AuditFilterView) -> Card:
        name, content = await export_audit(self._deps, actor, wanted)
        token = secrets.token_urlsafe(24)
        async with self._deps.uow() as uow:
            uow.exports.put(token, name, content, self._deps.clock.now() + EXPORT_LIFETIME)
            await uow.commit()
        return await self._card(actor, wanted, shown, download=f"{self._public_url}{EXPORTS_PATH}/{token}")

    async def _card(
        self,
        actor: Actor,
        wanted: AuditFilter,
        shown: AuditFilterView,
        *,
        banner: Banner | None = None,
        download: str | None = None,
        verified: str | None = None,
    ) -> Card:
        entries = await read_audit(self._deps, actor, wanted, PAGE + 1)
        async with self._deps.uow() as uow:
            roster = await uow.roster.all()
        names = {m.aad_object_id: m for m in roster}
        page = entries[:PAGE]
        older = page[-1].sealed.seq if len(entries) > PAGE else None
        return audit_card(
            AuditView(
                filters=shown,
                people=tuple((m.display_name, m.aad_object_id) for m in roster),
                lines=tuple(_line(e, names) for e in page),
                older=older,
                banner=banner,
                download=download,
                verified=verified,
            )
        )


def _filter(data: dict[str, str]) -> tuple[AuditFilter, AuditFilterView]:
    case = fv.text(data, "case")
    reference = parse_reference(case) if case else None
    person = fv.text(data, "person")
    since = fv.day(data, "since", "start date", optional=True)
    until = fv.day(data, "until", "end date", optional=True)
    before = fv.number(data, "before", "page")
    wanted = AuditFilter(reference, person, since, until, before)
    shown = AuditFilterView(
        reference or "", person or "", since.isoformat() if since else "", until.isoformat() if until else ""
    )
    return wanted, shown


def _line(entry: AuditEntry, names: dict[str, RosterMember]) -> AuditLine:
    e = entry.event
    member = names.get(e.actor_id)
    if member is not None:
        who = f"{member.display_name} ({e.roles.replace('_', ' ')})"
    elif e.actor_id == "system:link-holder":
        who = "whoever held the download link"
    elif e.roles == "system":
        who = "the bot"
    elif e.roles == "operator":
        who = f"an operator ({e.actor_id.removeprefix('operator:')})"
    else:
        who = "someone not on the roster"
    recipient = names.get(e.recipient)
    to = (
        recipient.display_name
        if recipient
        else ("a chat" if e.recipient.startswith("chat:") else e.recipient)
    )
    what = f"{EVENT_WORDS.get(e.event) or e.event.replace('.', ': ').replace('_', ' ')} [{e.category.value}]"
    when = f"{to_london(e.at):%d %b %Y %H:%M}"
    return AuditLine(entry.sealed.seq, when, who, what, e.case_reference, e.purpose, to)


def _verdict(report: ChainReport) -> str:
    if report.intact:
        erased = (
            f" (entries before {report.erased_before} were erased by the retention policy)"
            if report.erased_before
            else ""
        )
        return f"The trail is intact: {report.checked} entries verified{erased}."
    return f"The trail is not intact: {report.problem}. Keep it as it is and report it: nothing is repaired."
