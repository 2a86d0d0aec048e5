"""Cases by card: each form verb calls one use case and answers with the refreshed card, whose
banner says what happened or, for refused input, why; nothing changes on a refusal."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot import form_values as fv
from bot.sitting_flow import SittingFlow
from bot.views import clip_for_card, confidence_facts, words
from cards import forms, verbs
from cards.live import ActionLine
from panel.actions import ActionStatus, OwnerRole
from panel.agenda import SlotKind, SlotState
from panel.case import (
    Case,
    CaseConferenceFlags,
    CaseStatus,
    Category,
    ReferralRoute,
    RiskLevel,
    recommend_case_conference,
)
from panel.clock import to_london
from panel.confidence import ConfidenceSignals, confidence_signals
from panel.errors import NotFound, NotPermitted, PanelError, ValidationFailed
from panel.reference import parse_reference
from panel.roles import Actor, Permission, Role
from panel.sitting import Sitting, SittingStatus
from panel.usecases import actions, agenda, cases, closure, live, reminders
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]


def _options(kind: Any) -> tuple[forms.Choice, ...]:
    return tuple((words(member.value).capitalize(), member.value) for member in kind)


class FormsFlow:
    """The coordinator's, administrator's, SOO's and chair's forms."""

    def __init__(self, deps: Deps, sitting_flow: SittingFlow) -> None:
        self._deps, self._sittings = deps, sitting_flow
        self._handlers: dict[str, Callable[[Actor, Any], Awaitable[Card]]] = {
            verbs.CASE_REGISTER: self._register,
            verbs.CASE_APPOINT: self._appoint,
            verbs.CASE_LIST: self._list,
            verbs.SITTING_CREATE: self._create_sitting,
            verbs.AGENDA_UP: self._move_up,
            verbs.AGENDA_REMOVE: self._remove,
            verbs.AGENDA_CARRY: self._carry,
            verbs.ACTION_RECORD: self._record_action,
            verbs.THEME_RECORD: self._record_theme,
            verbs.CASE_OPEN: self._open,
            verbs.CASE_UPDATE: self._update,
            verbs.ACTION_DONE: self._done,
            verbs.CLOSURE_REQUEST: self._request_closure,
            verbs.CLOSURE_APPROVE: self._approve,
            verbs.CLOSURE_RETURN: self._return,
            verbs.REMINDER_SNOOZE: self._snooze,
        }
        if set(self._handlers) != verbs.FORM_VERBS:  # fail at start-up, not on the first press
            raise RuntimeError("every form verb needs exactly one handler")

    async def handle(self, actor: Actor, verb: str, data: Any) -> Card:
        """Run a form verb; a domain refusal comes back as the same form with the reason on it."""
        logger.info("form.%s actor=%s", verb, actor.actor_id)
        try:
            return await self._handlers[verb](actor, data)
        except PanelError as error:
            logger.info("form.refused verb=%s actor=%s error=%s", verb, actor.actor_id, type(error).__name__)
            return await self._again(actor, verb, data, forms.Banner(error.message, ok=False))

    # --- cards to open --------------------------------------------------------------------

    async def register_form(self, actor: Actor, banner: forms.Banner | None = None) -> Card:
        """The coordinator's register-a-case form."""
        actor.require(Permission.REGISTER_CASE)
        return forms.register_card(
            forms.RegisterView(
                _options(Category),
                _options(ReferralRoute),
                _options(RiskLevel),
                await self._soo_choices(),
                self._deps.today().isoformat(),
                banner,
            )
        )

    async def case_list(self, actor: Actor) -> Card:
        """A SOO's own open cases; the coordinator's and chair's list of every open case."""
        if actor.may(Permission.UPDATE_OWN_CASE):
            found = await closure.my_cases(self._deps, actor)
        elif actor.may(Permission.REGISTER_CASE) or actor.may(Permission.APPROVE_CLOSURE):
            async with self._deps.uow() as uow:
                found = [c for c in await uow.cases.find() if c.status is not CaseStatus.CLOSED]
        else:
            raise NotPermitted("Only SOOs, the coordinator and the chair have a case list.")
        return forms.case_list_card(forms.CaseListView(tuple(self._case_line(c) for c in found)))

    async def open_case(self, actor: Actor, reference: str, banner: forms.Banner | None = None) -> Card:
        """The SOO's update form for their own case, or the coordinator's card for any case."""
        reference = parse_reference(reference)
        if actor.may(Permission.UPDATE_OWN_CASE):
            return await self._case_form(actor, reference, banner)
        actor.require(Permission.APPOINT_SOO)
        return await self._manage(reference, banner)

    async def sitting_cards(self, actor: Actor) -> list[Card]:
        """The new-sitting form and an agenda builder for each sitting not yet ended."""
        actor.require(Permission.CREATE_SITTING)
        async with self._deps.uow() as uow:
            upcoming = [
                s
                for s in await uow.sittings.find(on_or_after=self._deps.today())
                if s.status is not SittingStatus.ENDED
            ]
            recent = [
                s for s in await uow.sittings.find() if s.status is SittingStatus.ENDED and s.not_reached()
            ]
        cards = [forms.sitting_form_card(forms.SittingFormView(self._deps.today().isoformat()))]
        cards += [await self._agenda(s.sitting_id) for s in [*recent[-1:], *upcoming]]
        return cards

    async def record_form(self, actor: Actor, banner: forms.Banner | None = None) -> Card:
        """The administrator's form for the case being heard now."""
        actor.require(Permission.RECORD_ACTION)
        sitting = await live.live_sitting(self._deps)
        current = sitting.current if sitting else None
        if current is None:
            raise ValidationFailed("No case is being heard right now.")
        themes = tuple((text.split(" (")[0][:60], code) for code, text in self._deps.config.taxonomy.items())
        owners = _options(OwnerRole)
        return forms.record_card(
            forms.RecordView(current.case_reference, owners, themes, self._deps.today().isoformat(), banner)
        )

    # --- coordinator -----------------------------------------------------------------------

    async def _register(self, actor: Actor, data: Any) -> Card:
        flags = CaseConferenceFlags(
            both_parties_police=fv.toggle(data, "both_parties_police"),
            counter_allegation=fv.toggle(data, "counter_allegation"),
            serial_or_multiple_victims=fv.toggle(data, "serial_or_multiple_victims"),
            position_of_power=fv.toggle(data, "position_of_power"),
        )
        form = cases.CaseRegistration(
            category=fv.choice(data, "category", Category, "category"),
            referral_route=fv.choice(data, "route", ReferralRoute, "route"),
            received=fv.day(data, "received", "date received") or self._deps.today(),
            risk=fv.choice(data, "risk", RiskLevel, "risk"),
            flags=flags,
            soo_id=fv.text(data, "soo"),
        )
        names = [n for n in (fv.text(data, f"party_{i}") for i in (1, 2, 3)) if n]
        registered = await cases.register_case(self._deps, actor, form)
        reference = registered.case.reference
        if names:
            await cases.register_party_names(self._deps, actor, reference, names)
        said = f"Registered as case {reference}."
        if names:
            said += f" {len(names)} name(s) registered for the identity guard; they will not be shown again."
        if registered.advice.recommended:
            said += " A case conference is recommended instead of the panel."
        return await self._manage(reference, forms.Banner(said, ok=True))

    async def _appoint(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await cases.appoint_soo(self._deps, actor, reference, fv.required(data, "soo", "SOO"))
        return await self._manage(
            reference, forms.Banner("SOO appointed; they have been told by a 1:1 card.", ok=True)
        )

    async def _list(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        minutes = fv.number(data, "minutes", "minutes")
        kind = SlotKind.CUSTOM if minutes is not None else fv.choice(data, "kind", SlotKind, "slot")
        sitting_id = fv.required(data, "sitting", "sitting")
        await agenda.list_case(self._deps, actor, sitting_id, reference, kind, minutes)
        return await self._agenda(
            sitting_id,
            forms.Banner(f"Case {reference} listed; its SOO has been told the slot time.", ok=True),
        )

    async def _create_sitting(self, actor: Actor, data: Any) -> Card:
        form = agenda.SittingForm(
            sitting_date=fv.day(data, "date", "date") or self._deps.today(),
            start=fv.clock_time(data, "start", "start"),
            length_minutes=fv.number(data, "length", "length") or 180,
            case_room_link=fv.text(data, "link"),
            waiting_room_meeting_id=fv.text(data, "meeting"),
        )
        sitting = await agenda.create_sitting(self._deps, actor, form)
        return await self._agenda(
            sitting.sitting_id, forms.Banner(f"Sitting {sitting.sitting_id} created.", ok=True)
        )

    async def _move_up(self, actor: Actor, data: Any) -> Card:
        sitting_id, slot_id = fv.required(data, "sitting", "sitting"), fv.required(data, "slot", "case")
        async with self._deps.uow() as uow:
            waiting = [
                s.slot_id for s in (await uow.sittings.get(sitting_id)).slots if s.state is SlotState.WAITING
            ]
        if slot_id not in waiting:
            raise NotFound("That case is no longer waiting on this agenda.")
        await agenda.move_slot(self._deps, actor, sitting_id, slot_id, max(1, waiting.index(slot_id)))
        return await self._agenda(sitting_id, forms.Banner("Moved up.", ok=True))

    async def _remove(self, actor: Actor, data: Any) -> Card:
        sitting_id = fv.required(data, "sitting", "sitting")
        reason = fv.text(data, "reason")
        await agenda.remove_slot(self._deps, actor, sitting_id, fv.required(data, "slot", "case"), reason)
        return await self._agenda(
            sitting_id, forms.Banner("Taken off the agenda." + (" Reason noted." if reason else ""), ok=True)
        )

    async def _carry(self, actor: Actor, data: Any) -> Card:
        target = fv.required(data, "to", "next sitting")
        await agenda.carry_forward(self._deps, actor, fv.required(data, "sitting", "sitting"), target)
        return await self._agenda(target, forms.Banner("The unheard cases are on this agenda now.", ok=True))

    # --- administrator ---------------------------------------------------------------------

    async def _record_action(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        sitting = await live.live_sitting(self._deps)
        form = actions.ActionForm(
            description=fv.required(data, "description", "action"),
            owner_role=fv.choice(data, "owner", OwnerRole, "owner"),
            due=fv.day(data, "due", "due date") or self._deps.today(),
            sitting_id=sitting.sitting_id if sitting else None,
        )
        case = await actions.record_action(self._deps, actor, reference, form)
        await self._sittings.refresh_case_card(case)
        return await self.record_form(
            actor, forms.Banner(f"Action {case.actions[-1].action_id} recorded on case {reference}.", ok=True)
        )

    async def _record_theme(self, actor: Actor, data: Any) -> Card:
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
        )
        return await self.record_form(actor, forms.Banner(f"Theme recorded on case {reference}.", ok=True))

    # --- SOO and chair ---------------------------------------------------------------------

    async def _open(self, actor: Actor, data: Any) -> Card:
        return await self.open_case(actor, fv.required(data, "case", "case"))

    async def _update(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        form = closure.UpdateForm(
            progress=fv.text(data, "progress"),
            victim_last_updated=fv.day(
                data, "victim_updated", "date the victim was last updated", optional=True
            ),
            investigator_changed=fv.toggle(data, "investigator_changed"),
        )
        await closure.submit_update(self._deps, actor, reference, form)
        return await self._case_form(actor, reference, forms.Banner("Update saved.", ok=True))

    async def _done(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        action_id = fv.required(data, "action", "action")
        case = await actions.mark_action_done(self._deps, actor, reference, action_id, fv.text(data, "note"))
        await self._sittings.refresh_case_card(case)
        return await self._case_form(
            actor, reference, forms.Banner(f"Action {action_id} marked done.", ok=True)
        )

    async def _request_closure(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        outcome = await closure.request_closure(self._deps, actor, reference)
        if not outcome.decision.allowed:
            outstanding = tuple(
                f"{o.action_id} ({words(o.owner_role.value)}, due {o.due:%d %b}"
                + (", overdue)" if o.overdue else ")")
                for o in outcome.decision.outstanding
            )
            banner = forms.Banner("Not closed yet. " + " ".join(outcome.decision.reasons), ok=False)
            return await self._case_form(actor, reference, banner, outstanding)
        if outcome.case.status is CaseStatus.CLOSED:
            said = "Case closed. The chair and the coordinator have been told."
        else:
            said = "Every action is settled: the closure request has gone to the chair for approval."
        return await self._case_form(actor, reference, forms.Banner(said, ok=True))

    async def _approve(self, actor: Actor, data: Any) -> Card:
        case = await closure.approve_closure(
            self._deps, actor, parse_reference(fv.required(data, "case", "case"))
        )
        return self._approval(
            case, forms.Banner("Approved: the case is closed and the SOO has been told.", ok=True)
        )

    async def _return(self, actor: Actor, data: Any) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        case = await closure.return_closure(
            self._deps, actor, reference, fv.required(data, "reason", "reason")
        )
        return self._approval(case, forms.Banner("Returned to the SOO with your reason.", ok=True))

    async def _snooze(self, actor: Actor, data: Any) -> Card:
        key = fv.required(data, "key", "reminder")
        if fv.text(data, "for") == "sitting":
            async with self._deps.uow() as uow:
                sitting = await uow.sittings.get(fv.required(data, "sitting", "sitting"))
            until = sitting.starts_at
        else:
            until = self._deps.clock.now() + timedelta(days=1)
        until = await reminders.snooze(self._deps, actor, key, until)
        return forms.notice_card(
            forms.NoticeView("Reminder snoozed", (("Until", f"{to_london(until):%A %d %B, %H:%M}"),))
        )

    # --- building cards ----------------------------------------------------------------------

    async def _again(self, actor: Actor, verb: str, data: Any, banner: forms.Banner) -> Card:
        """The form that was submitted, shown again with the reason it was refused."""
        reference = fv.text(data, "case") if isinstance(data, dict) else None
        try:
            if verb == verbs.CASE_REGISTER:
                return await self.register_form(actor, banner)
            if verb in {verbs.SITTING_CREATE}:
                return forms.sitting_form_card(forms.SittingFormView(self._deps.today().isoformat(), banner))
            if verb in {
                verbs.CASE_LIST,
                verbs.AGENDA_UP,
                verbs.AGENDA_REMOVE,
                verbs.AGENDA_CARRY,
            } and fv.text(data, "sitting"):
                return await self._agenda(fv.text(data, "sitting") or "", banner)
            if verb in {verbs.ACTION_RECORD, verbs.THEME_RECORD}:
                return await self.record_form(actor, banner)
            if reference and verb in {verbs.CLOSURE_APPROVE, verbs.CLOSURE_RETURN}:
                return forms.notice_card(
                    forms.NoticeView(
                        f"Closure of case {parse_reference(reference)}", (("Not done", banner.text),)
                    )
                )
            if reference:
                return await self.open_case(actor, reference, banner)
        except PanelError as error:
            banner = forms.Banner(error.message, ok=False)
        return forms.notice_card(forms.NoticeView("That could not be done", (("Why", banner.text),)))

    async def _manage(self, reference: str, banner: forms.Banner | None) -> Card:
        async with self._deps.uow() as uow:
            case = await uow.cases.by_reference(reference)
            soo = await uow.roster.get(case.soo_id) if case.soo_id else None
            sittings = [
                s
                for s in await uow.sittings.find(on_or_after=self._deps.today())
                if s.status is SittingStatus.SCHEDULED
            ]
        view = forms.ManageView(
            reference=reference,
            status=words(case.status.value),
            soo=soo.display_name if soo else "not appointed",
            advice=recommend_case_conference(case.category, case.flags).reasons,
            soos=await self._soo_choices(),
            sittings=tuple((f"{to_london(s.starts_at):%a %d %b %Y %H:%M}", s.sitting_id) for s in sittings),
            banner=banner,
        )
        return forms.manage_card(view)

    async def _agenda(self, sitting_id: str, banner: forms.Banner | None = None) -> Card:
        async with self._deps.uow() as uow:
            sitting = await uow.sittings.get(sitting_id)
            later = [
                s
                for s in await uow.sittings.find(on_or_after=sitting.sitting_date)
                if s.status is SittingStatus.SCHEDULED and s.sitting_id != sitting_id
            ]
        schedule = sitting.schedule(self._deps.clock.now())
        lines = tuple(
            forms.AgendaLine(
                t.slot.slot_id,
                t.slot.case_reference,
                t.slot.kind.value,
                t.slot.minutes,
                f"{to_london(t.start):%H:%M}",
                words(t.slot.state.value),
            )
            for t in schedule.slots
        )
        return forms.agenda_card(
            forms.AgendaView(
                sitting_id=sitting.sitting_id,
                title=_title(sitting),
                lines=lines,
                projected_finish=f"{to_london(schedule.projected_finish):%H:%M}",
                warning=schedule.warning,
                later_sittings=tuple((_title(s), s.sitting_id) for s in later),
                not_reached=len(sitting.not_reached()),
                banner=banner,
            )
        )

    async def _case_form(
        self, actor: Actor, reference: str, banner: forms.Banner | None, outstanding: tuple[str, ...] = ()
    ) -> Card:
        case = await closure.own_case(self._deps, actor, reference)
        signals = self._signals(case)
        view = forms.CaseFormView(
            reference=reference,
            status=words(case.status.value),
            actions=tuple(
                ActionLine(
                    a.action_id,
                    clip_for_card(a.description),
                    words(a.owner_role.value),
                    f"{a.due:%d %b}",
                    a.status.value,
                )
                for a in case.actions
            ),
            signals=confidence_facts(signals),
            flags=signals.flags,
            today=self._deps.today().isoformat(),
            closed=case.status in (CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED),
            outstanding=outstanding,
            banner=banner,
        )
        return forms.case_form_card(view)

    def _approval(self, case: Case, banner: forms.Banner) -> Card:
        done = sum(1 for a in case.actions if a.status is ActionStatus.DONE)
        cancelled = sum(1 for a in case.actions if a.status is ActionStatus.CANCELLED)
        return forms.approval_card(forms.ApprovalView(case.reference, done, cancelled, banner, decided=True))

    def _signals(self, case: Case) -> ConfidenceSignals:
        return confidence_signals(case, self._deps.today(), self._deps.config.confidence)

    def _case_line(self, case: Case) -> forms.CaseLine:
        signals = self._signals(case)
        facts = dict(confidence_facts(signals))
        return forms.CaseLine(
            reference=case.reference,
            status=words(case.status.value),
            open_actions=sum(1 for a in case.actions if not a.settled),
            since_update=facts["Victim last updated"],
            investigator_changes=signals.investigator_changes,
            age_days=signals.investigation_days,
            flags=signals.flags,
        )

    async def _soo_choices(self) -> tuple[forms.Choice, ...]:
        async with self._deps.uow() as uow:
            soos = [m for m in await uow.roster.all() if m.active and Role.SOO in m.roles]
        return tuple((m.display_name, m.aad_object_id) for m in soos)


def _title(sitting: Sitting) -> str:
    start = to_london(sitting.starts_at)
    return f"Sitting {start:%a %d %b %Y}, {start:%H:%M}"
