"""The SOO's and the chair's verbs between sittings: a progress update, an action done, closure
asked for, approved or returned, and a reminder snoozed; each answers with the card it was pressed
on, its banner saying what happened."""

from __future__ import annotations

from typing import Any

from bot import form_values as fv
from bot import telemetry
from bot.form_cards import FormCards
from bot.record_verbs import Card, Handler
from bot.sitting_flow import SittingFlow
from bot.views import words
from cards import form_parts as forms
from cards import verbs
from cards.notices import NoticeView, notice_card
from panel.case import CaseStatus
from panel.clock import to_london
from panel.reference import parse_reference
from panel.roles import Actor
from panel.usecases import actions, closure, reminders
from panel.usecases.deps import Deps


class CaseWorkVerbs:
    """A case's work between sittings, by its SOO and the chair."""

    def __init__(self, deps: Deps, cards: FormCards, sittings: SittingFlow) -> None:
        self._deps, self.cards, self._sittings = deps, cards, sittings

    def handlers(self) -> dict[str, Handler]:
        """Each verb and what runs it."""
        return {
            verbs.CASE_UPDATE: self._update,
            verbs.ACTION_DONE: self._done,
            verbs.CLOSURE_REQUEST: self._request_closure,
            verbs.CLOSURE_APPROVE: self._approve,
            verbs.CLOSURE_RETURN: self._return,
            verbs.REMINDER_SNOOZE: self._snooze,
        }

    async def _update(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        form = closure.UpdateForm(
            progress=fv.text(data, "progress"),
            victim_last_updated=fv.day(
                data, "victim_updated", "date the victim was last updated", optional=True
            ),
            investigator_changed=fv.toggle(data, "investigator_changed"),
        )
        await closure.submit_update(self._deps, actor, reference, form, key)
        return await self.cards.case_form(actor, reference, forms.Banner("Update saved.", ok=True))

    async def _done(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        action_id = fv.required(data, "action", "action")
        case = await actions.mark_action_done(
            self._deps, actor, reference, action_id, fv.text(data, "note"), key
        )
        await self._sittings.refresh_case_card(case)
        return await self.cards.open_case(
            actor, reference, forms.Banner(f"Action {action_id} marked done.", ok=True)
        )

    async def _request_closure(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        outcome = await closure.request_closure(self._deps, actor, reference, key)
        if not outcome.decision.allowed:
            outstanding = tuple(
                f"{o.action_id} ({words(o.owner_role.value)}, due {o.due:%d %b}"
                + (", overdue)" if o.overdue else ")")
                for o in outcome.decision.outstanding
            )
            banner = forms.Banner("Not closed yet. " + " ".join(outcome.decision.reasons), ok=False)
            return await self.cards.case_form(actor, reference, banner, outstanding)
        if outcome.case.status is CaseStatus.CLOSED:
            said = "Case closed. The chair and the coordinator have been told."
        else:
            said = "Every action is settled: the closure request has gone to the chair for approval."
        return await self.cards.case_form(actor, reference, forms.Banner(said, ok=True))

    async def _approve(self, actor: Actor, data: Any, key: str | None) -> Card:
        case = await closure.approve_closure(
            self._deps, actor, parse_reference(fv.required(data, "case", "case")), key
        )
        return self.cards.approval(
            case, forms.Banner("Approved: the case is closed and the SOO has been told.", ok=True)
        )

    async def _return(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        case = await closure.return_closure(
            self._deps, actor, reference, fv.required(data, "reason", "reason"), key
        )
        return self.cards.approval(case, forms.Banner("Returned to the SOO with your reason.", ok=True))

    async def _snooze(self, actor: Actor, data: Any, key: str | None) -> Card:
        reminder = fv.required(data, "reminder", "reminder")
        until = await reminders.snooze(self._deps, actor, reminder, fv.required(data, "for", "when"), key)
        telemetry.REMINDERS.add(1, {"outcome": "snoozed"})
        return notice_card(
            NoticeView("Reminder snoozed", (("Until", f"{to_london(until):%A %d %B, %H:%M}"),))
        )
