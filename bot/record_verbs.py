"""The record form's verbs, during a hearing: whoever records for the panel keeps its actions,
themes, directions, decisions, notes, attendance and the findings of a closed-case review. Each
calls one use case and answers with the record form again, its banner saying what was kept."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot import form_values as fv
from bot.form_cards import FormCards
from bot.sitting_flow import SittingFlow
from cards import form_parts as forms
from cards import verbs
from cards.assurance_cards import NO_CONCERN
from panel.actions import OwnerRole
from panel.case import DirectionKind
from panel.case_audit import AREA_WORDS, AuditAction, AuditArea, finding_lines
from panel.errors import ValidationFailed
from panel.reference import parse_reference
from panel.roles import Actor, Permission
from panel.usecases import actions, assurance, case_life, hearing_notes, live
from panel.usecases.deps import Deps

Card = dict[str, Any]
Handler = Callable[[Actor, Any, str | None], Awaitable[Card]]


class RecordVerbs:
    """The verbs of the record form of whoever records for the panel."""

    def __init__(self, deps: Deps, cards: FormCards, sittings: SittingFlow) -> None:
        self._deps, self.cards, self._sittings = deps, cards, sittings

    def handlers(self) -> dict[str, Handler]:
        """Each record-form verb and what runs it."""
        return {
            verbs.ACTION_RECORD: self._record_action,
            verbs.THEME_RECORD: self._record_theme,
            verbs.NOTE_RECORD: self._note,
            verbs.REVIEW_RECORD: self._review,
            verbs.ATTENDANCE_RECORD: self._attendance,
            verbs.DIRECTION_RECORD: self._direction,
            verbs.CASE_DECISION: self._decision,
        }

    async def _record_action(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        sitting = await live.live_sitting(self._deps)
        form = actions.ActionForm(
            description=fv.required(data, "description", "action"),
            owner_role=fv.choice(data, "owner", OwnerRole, "owner"),
            due=fv.day(data, "due", "due date") or self._deps.today(),
            sitting_id=sitting.sitting_id if sitting else None,
        )
        case = await actions.record_action(self._deps, actor, reference, form, key)
        await self._sittings.refresh_case_card(case)
        return await self.cards.record_form(
            actor, forms.Banner(f"Action {case.actions[-1].action_id} recorded on case {reference}.", ok=True)
        )

    async def _record_theme(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        sitting = await live.live_sitting(self._deps)
        code, tag = fv.text(data, "theme"), fv.text(data, "tag")
        await actions.record_theme(
            self._deps,
            actor,
            reference,
            code=code,
            tag=None if code else tag,
            sitting_id=sitting.sitting_id if sitting else None,
            request_key=key,
        )
        return await self.cards.record_form(
            actor, forms.Banner(f"Theme recorded on case {reference}.", ok=True)
        )

    async def _note(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await hearing_notes.record_note(self._deps, actor, reference, fv.required(data, "note", "note"), key)
        return await self.cards.record_form(
            actor, forms.Banner(f"Added to the notes of case {reference}'s hearing.", ok=True)
        )

    async def _review(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        chosen = {
            area: fv.choice(data, area.value, AuditAction, AREA_WORDS[area])
            for area in AuditArea
            if (fv.text(data, area.value) or NO_CONCERN) != NO_CONCERN
        }
        review = await assurance.record_review(self._deps, actor, reference, chosen, key)
        said = f"Review of closed case {reference} recorded: " + "; ".join(finding_lines(review)) + "."
        return await self.cards.record_form(actor, forms.Banner(said, ok=True))

    async def _attendance(self, actor: Actor, data: Any, key: str | None) -> Card:
        actor.require(Permission.MARK_ATTENDANCE)
        sitting = await live.live_sitting(self._deps)
        if sitting is None:
            raise ValidationFailed("No sitting is live: attendance is recorded during one.")
        people = [p for p in (fv.text(data, "people") or "").split(",") if p]
        if not people:
            raise ValidationFailed("Tick who attended.")
        await live.mark_attendance(self._deps, actor, sitting.sitting_id, people, key)
        return await self.cards.record_form(
            actor,
            forms.Banner(f"Attendance saved: {len(set(people))} people attended this sitting.", ok=True),
        )

    async def _direction(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        sitting = await live.live_sitting(self._deps)
        kind = fv.choice(data, "kind", DirectionKind, "what the direction is about")
        await case_life.record_direction(
            self._deps,
            actor,
            reference,
            kind,
            fv.required(data, "text", "direction"),
            sitting.sitting_id if sitting else None,
            key,
        )
        said = "Good practice noted" if kind is DirectionKind.GOOD_PRACTICE else "Direction recorded"
        return await self.cards.record_form(actor, forms.Banner(f"{said} on case {reference}.", ok=True))

    async def _decision(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        decision = fv.required(data, "decision", "decision")
        if decision == "no_actions":
            await case_life.no_actions_needed(self._deps, actor, reference, key)
            said = f"Recorded: no actions needed on case {reference}; its SOO may ask to close it."
        elif decision == "ask_back":
            weeks = fv.number(data, "weeks", "number of weeks")
            if weeks is None:
                raise ValidationFailed("Say in how many weeks the panel wants the case back.")
            case = await case_life.ask_back(self._deps, actor, reference, weeks, key)
            back = case.asked_back_for
            said = (
                f"Case {reference} is asked back around {back:%A %d %B %Y}; the coordinator will be reminded "
                "to list it."
                if back
                else f"Case {reference} is asked back."
            )
        elif decision == "conference":
            await case_life.route_to_case_conference(
                self._deps,
                actor,
                reference,
                fv.required(data, "reason", "reason for the case conference"),
                key,
            )
            said = (
                f"Case {reference} goes to a case conference; it leaves the panel's agendas until it returns."
            )
        else:
            raise ValidationFailed("That decision is not one of the choices.")
        return await self.cards.record_form(actor, forms.Banner(said, ok=True))
