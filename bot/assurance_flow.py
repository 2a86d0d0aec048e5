"""The assurance cards and their buttons: the cases to audit, a case's audit, and what is missing
from the open cases' facts. A refusal comes back on the card; nothing changes."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import date
from enum import StrEnum
from typing import Any

from bot import form_values as fv
from bot.guard_first import guard_first
from cards import verbs
from cards.assurance_cards import (
    GAPS_SHOWN,
    NO_CONCERN,
    REFERENCES_PER_GAP,
    ROWS_SHOWN,
    AuditFormView,
    AuditListView,
    AuditRow,
    EarlierAudit,
    FindView,
    GapLine,
    GapsView,
    audit_form_card,
    audit_list_card,
    find_card,
    gaps_card,
)
from cards.feedback_card import FeedbackView, feedback_card
from cards.form_parts import Banner
from cards.notices import NoticeView, notice_card
from panel.audit import AuditCategory, AuditPurpose
from panel.case import Case, CaseStatus
from panel.case_audit import AuditAction, AuditArea, finding_lines
from panel.errors import AlreadyProcessed, NotPermitted, PanelError, StorageUnavailable, ValidationFailed
from panel.feedback import Answer, Clear, Fair, Respondent
from panel.recording_gaps import RecordingGaps
from panel.reference import parse_reference
from panel.roles import ROLE_WORDS, Actor, Permission
from panel.usecases import assurance, feedback, force_references
from panel.usecases.access import consulted, record_access
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]
LinkMaker = Callable[[str, str], Awaitable[str]]
_ID = re.compile(r"[0-9a-f]{6,40}")  # the ids the bot gives sittings


class AssuranceFlow:
    """Audits of cases and the recording gaps, in a coordinator's or chair's own chat."""

    def __init__(self, deps: Deps, link: LinkMaker) -> None:
        self._deps, self._link = deps, link

    async def open(self, actor: Actor, banner: Banner | None = None) -> Card:
        """The list of cases to audit."""
        listed = await assurance.cases_to_audit(self._deps, actor)
        rows = tuple(AuditRow(c.reference, _standing(c)) for c in listed.cases)
        await _shown(self._deps, actor, "assurance.listed", [r.reference for r in rows[:ROWS_SHOWN]])
        view = AuditListView(
            rows,
            len(listed.cases),
            sum(1 for c in listed.cases if not c.audits),
            listed.withheld,
            actor.may(Permission.CHECK_RECORDING),
            banner,
            can_sample=actor.may(Permission.MANAGE_AGENDA),
        )
        return audit_list_card(view)

    async def handle(self, actor: Actor, verb: str, data: Any, key: str | None) -> Card:
        """A press on one of the assurance cards."""
        data = data if isinstance(data, dict) else {}
        try:
            await guard_first(self._deps, verb, data)
            if verb == verbs.ASSURANCE_OPEN:
                return await self.open(actor)
            if verb == verbs.AUDIT_CASE_OPEN:
                reference = parse_reference(fv.required(data, "reference", "reference"))
                case = await assurance.case_for_audit(self._deps, actor, reference)
                await consulted(self._deps, actor, "case.audit_form", AuditPurpose.CASE_MANAGEMENT, case)
                return self._form(case)
            if verb == verbs.AUDIT_CASE_RECORD:
                return await self._record(actor, data, key)
            if verb == verbs.FEEDBACK_ANSWER:
                return await self._feedback(actor, data)
            if verb == verbs.REVIEW_SAMPLE:
                return await self._sample(actor, data)
            if verb == verbs.FORCE_REF_FIND:
                found = await force_references.find_by_force_reference(
                    self._deps, actor, fv.required(data, "force_reference", "force reference")
                )
                if found.reference is None:
                    return find_card(FindView(None, Banner(force_references.NO_CASE, ok=False)))
                return find_card(
                    FindView(found.reference, Banner(f"That is case {found.reference}.", ok=True))
                )
            if verb == verbs.GAPS_SHOW:
                return await self._gaps(actor)
            if verb == verbs.GAPS_EXPORT:
                name, content = await assurance.export_recording_gaps(self._deps, actor)
                return await self._gaps(actor, download=await self._link(name, content))
            raise ValidationFailed("That button is not one of this card's.")
        except StorageUnavailable:
            raise
        except AlreadyProcessed:  # a redelivered press: it was done the first time
            return await self.open(actor, Banner("That was already recorded.", ok=True))
        except PanelError as error:
            logger.info(
                "assurance.refused verb=%s actor=%s error=%s", verb, actor.actor_id, type(error).__name__
            )
            if isinstance(error, NotPermitted):  # not theirs: the reason alone, nothing read for them
                return notice_card(NoticeView("That could not be done", (("Why", error.message),)))
            return await self._refused(actor, verb, data, Banner(error.message, ok=False))

    async def _feedback(self, actor: Actor, data: dict[str, Any]) -> Card:
        sitting_id = fv.required(data, "sitting", "sitting")
        given = Answer(
            fv.choice(data, "as", Respondent, "who is answering"),
            int(fv.choice(data, "useful", _Score, "how useful it was").value),
            fv.choice(data, "fair", Fair, "whether it was fair"),
            fv.choice(data, "clear", Clear, "whether the actions were clear"),
        )
        await feedback.answer(self._deps, actor, sitting_id, given)
        thanks = Banner("Thank you: your answers are counted, without your name.", ok=True)
        return feedback_card(FeedbackView(sitting_id, given.respondent, None, thanks, answered=True))

    async def _sample(self, actor: Actor, data: dict[str, Any]) -> Card:
        assurance.require_auditor(self._deps, actor)  # the answer comes on the list of cases to audit
        rule = fv.choice(data, "rule", assurance.SampleRule, "which closed cases")
        seed_text = fv.text(data, "seed")
        if seed_text is not None and not (seed_text.isdigit() and len(seed_text) <= 6):
            raise ValidationFailed("A seed is up to six digits.")
        share = fv.text(data, "percent") or "10"
        if not share.isdigit():
            raise ValidationFailed("Choose the share of closed cases.")
        percent = int(share)
        sample = await assurance.sample_closed(
            self._deps, actor, rule, percent, int(seed_text) if seed_text else None
        )
        chosen = ", ".join(sample.references) or "none"
        said = (
            f"Chosen for closed-case review — {sample.rule}: {chosen}. List each on a sitting from its card "
            "(say case and the reference) as a closed-case review."
        )
        return await self.open(actor, Banner(said, ok=True))

    async def find_form(self, actor: Actor) -> Card:
        """The find form (the coordinator and professional standards' lead)."""
        actor.require(Permission.FIND_BY_FORCE_REFERENCE)
        return find_card(FindView())

    async def _record(self, actor: Actor, data: dict[str, Any], key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "reference", "reference"))
        on = fv.day(data, "on", "audit date")
        assert on is not None
        chosen: dict[AuditArea, AuditAction] = {}
        for area in AuditArea:
            value = fv.text(data, area.value) or NO_CONCERN
            if value != NO_CONCERN:
                chosen[area] = fv.choice(data, area.value, AuditAction, area.value.replace("_", " "))
        audit = await assurance.record_audit(self._deps, actor, reference, on, chosen, key)
        done = f"Audit of {reference} recorded: " + "; ".join(finding_lines(audit)) + "."
        return await self.open(actor, Banner(done, ok=True))

    async def _refused(self, actor: Actor, verb: str, data: dict[str, Any], banner: Banner) -> Card:
        """The card the press came from, again, with the reason; the audit form keeps its choices
        (choices and a date only, never typed text)."""
        try:
            if verb == verbs.AUDIT_CASE_RECORD:
                reference = parse_reference(fv.required(data, "reference", "reference"))
                case = await assurance.case_for_audit(self._deps, actor, reference)
                chosen = {a.value: v for a in AuditArea if isinstance(v := data.get(a.value), str)}
                on = data.get("on") if isinstance(data.get("on"), str) else None
                return self._form(case, banner, chosen, on)
            if verb == verbs.FEEDBACK_ANSWER:
                # Only an id the bot could have made goes back on the card: forged text never does.
                sitting = data.get("sitting")
                sitting_id = sitting if isinstance(sitting, str) and _ID.fullmatch(sitting) else ""
                who = Respondent.SOO if data.get("as") == Respondent.SOO.value else Respondent.PARTNER
                return feedback_card(FeedbackView(sitting_id, who, None, banner))
            if verb == verbs.FORCE_REF_FIND:
                return find_card(FindView(None, banner))  # the typed reference is never sent back
            if verb in (verbs.GAPS_SHOW, verbs.GAPS_EXPORT):
                return await self._gaps(actor, banner=banner)
            return await self.open(actor, banner)
        except StorageUnavailable:
            raise
        except PanelError:
            return notice_card(NoticeView("That could not be done", (("Why", banner.text),)))

    async def _gaps(self, actor: Actor, download: str | None = None, banner: Banner | None = None) -> Card:
        gaps = await assurance.recording_gaps(self._deps, actor)
        lines = _gap_lines(gaps)
        await _shown(self._deps, actor, "assurance.gaps_viewed", [r for line in lines for r in line.lacking])
        complete = sum(1 for g in gaps.gaps if not g.lacking and g.applies_to)
        more = sum(1 for g in gaps.gaps if g.lacking) - len(lines)
        view = GapsView(
            gaps.open_cases, lines, complete, more, gaps.warnings, gaps.withheld, download, banner
        )
        return gaps_card(view)

    def _form(
        self,
        case: Case,
        banner: Banner | None = None,
        chosen: dict[str, str] | None = None,
        on: str | None = None,
    ) -> Card:
        earlier = tuple(
            EarlierAudit(f"{a.on:%-d %B %Y}, by {ROLE_WORDS[a.by_role]}", finding_lines(a))
            for a in case.audits
        )
        view = AuditFormView(
            case.reference,
            case.status is CaseStatus.CLOSED,
            earlier[-5:],  # the latest few: the audit trail has them all
            self._deps.today().isoformat(),
            case.soo_id is not None,
            banner,
            chosen or {},
            on if on and _is_day(on) else None,
        )
        return audit_form_card(view)


class _Score(StrEnum):
    """The usefulness score as a choice, so a forged value is refused like any other."""

    ONE = "1"
    TWO = "2"
    THREE = "3"
    FOUR = "4"
    FIVE = "5"


def _standing(case: assurance.ToAudit) -> str:
    if not case.audits:
        return "Never audited" + (" (closed)" if case.closed else "")
    assert case.last_audited is not None
    found = "findings" if case.last_had_concerns else "no concerns"
    return f"Audited {case.last_audited:%-d %B %Y}: {found}" + (" (closed)" if case.closed else "")


async def _shown(deps: Deps, actor: Actor, event: str, references: list[str]) -> None:
    """The references a card shows, recorded as consulted (each once)."""
    unique = list(dict.fromkeys(references))
    if unique:
        await record_access(
            deps, actor, event, AuditCategory.CONSULTATION, AuditPurpose.CASE_MANAGEMENT, references=unique
        )


def _gap_lines(gaps: RecordingGaps) -> tuple[GapLine, ...]:
    missing = [g for g in gaps.gaps if g.lacking]
    return tuple(
        GapLine(
            g.label,
            f"{g.recorded} of {g.applies_to} ({g.share:.0%})",
            g.lacking[:REFERENCES_PER_GAP],
            max(0, len(g.lacking) - REFERENCES_PER_GAP),
        )
        for g in missing[:GAPS_SHOWN]
    )


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True
