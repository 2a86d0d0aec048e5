"""The form cards each person opens, built from the store as that person may see them: a SOO their
own cases, those who run the panel every case, nobody a case they declared a conflict for."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

from bot.views import (
    case_view,
    clip_for_card,
    confidence_facts,
    latest_update,
    pending_lines,
    theme_choices,
    words,
)
from cards import verbs
from cards.case_cards import ActionLine, case_card
from cards.case_facts_form import FactsCardView, facts_card
from cards.case_forms import (
    ApprovalView,
    CaseFormView,
    CaseLine,
    CaseListView,
    RecordView,
    approval_card,
    case_form_card,
    case_list_card,
    record_card,
)
from cards.coordinator_forms import (
    AgendaLine,
    AgendaView,
    CaseLifeView,
    ManageView,
    RegisterView,
    SittingFormView,
    agenda_card,
    case_life_card,
    manage_card,
    register_card,
    sitting_form_card,
)
from cards.form_parts import Banner, Choice, with_back_to_list
from panel.actions import ActionStatus, OwnerRole
from panel.agenda import SlotKind, SlotState
from panel.audit import AuditPurpose
from panel.case import Case, CaseStatus, Category, ReferralRoute, RiskLevel, recommend_case_conference
from panel.case_facts import FACT_NAMES, parse_fact, refuse_retired
from panel.clock import to_london
from panel.confidence import ConfidenceSignals, confidence_signals
from panel.errors import NotFound, NotPermitted, ValidationFailed
from panel.need_to_know import CASE_ROOM_ROLES, may_open_case, reading_purpose
from panel.reference import parse_reference
from panel.roles import Actor, Permission, Role
from panel.sitting import Sitting, SittingStatus
from panel.usecases import case_life, closure, live
from panel.usecases.access import consulted
from panel.usecases.case_life import linked_references
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps
from panel.usecases.hearing_notes import notes_of_today

Card = dict[str, Any]


def options(kind: Any) -> tuple[Choice, ...]:
    """An enum's members as (shown, value) choices."""
    return tuple((words(member.value), member.value) for member in kind)


# The most cases one list card shows.
MAX_LISTED = 20
LINE_SLICE = 250  # open cases worked out between chances for other turns to run
NOTES_SHOWN = 6  # the latest notes of the discussion on the coordinator's card


class FormCards:
    """Opens and re-opens the forms, from the store, for the person asking."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def register_form(self, actor: Actor, banner: Banner | None = None) -> Card:
        """The coordinator's register-a-case form."""
        actor.require(Permission.REGISTER_CASE)
        return register_card(
            RegisterView(
                options(Category),
                options(ReferralRoute),
                options(RiskLevel),
                await self.soo_choices(),
                self._deps.today().isoformat(),
                banner,
            )
        )

    async def case_list(self, actor: Actor) -> Card:
        """Every open case for those who run the panel; a SOO's own; never a conflicted case."""
        actor.require(Permission.LIST_CASES)
        if actor.may(Permission.VIEW_CASE):
            async with self._deps.uow() as uow:
                found = await uow.cases.find(statuses=frozenset(CaseStatus) - {CaseStatus.CLOSED})
            title = "Open cases"
        else:
            found = await closure.my_cases(self._deps, actor)
            title = "Your cases"
        sitting = await live.live_sitting(self._deps)
        heard = sitting.current.case_id if sitting and sitting.current else None
        # Nationally thousands are open: each case's line is worked out a slice at a time, letting
        # other turns in between.
        lines = []
        for start in range(0, len(found), LINE_SLICE):
            if start:
                await asyncio.sleep(0)
            lines += [
                self._case_line(c, c.case_id == heard)
                for c in found[start : start + LINE_SLICE]
                if not c.conflicted(actor.actor_id)
            ]
        lines.sort(key=lambda line: (-len(line.flags), -line.age_days, line.reference))
        # A card has room for a few dozen cases at most (Teams refuses one over 28 KB): those most
        # in need of attention first; every other case is one `case REF` away.
        listed = {line.reference for line in lines[:MAX_LISTED]}
        shown = [c for c in found if c.reference in listed]
        card = case_list_card(CaseListView(tuple(lines[:MAX_LISTED]), title, total=len(lines)))
        purpose = (
            reading_purpose(actor, AuditPurpose.PANEL_OVERSIGHT)
            if actor.may(Permission.VIEW_CASE)
            else AuditPurpose.OWN_CASE
        )
        await consulted(self._deps, actor, "case.listed", purpose, *shown)
        return card

    async def open_case(self, actor: Actor, reference: str, banner: Banner | None = None) -> Card:
        """A case as this person may see it, with the way back to the list it was opened from."""
        return with_back_to_list(await self._open_case(actor, reference, banner))

    async def _open_case(self, actor: Actor, reference: str, banner: Banner | None = None) -> Card:
        """A SOO's update form for their own case; the coordinator's card for managing any case;
        the read-only panel view for the chair, deputy and administrator."""
        reference = parse_reference(reference)
        actor.require(Permission.LIST_CASES)
        try:
            async with self._deps.uow() as uow:
                case = await uow.cases.by_reference(reference)
        except NotFound:
            case = None
        if case is not None and case.soo_id == actor.actor_id and actor.may(Permission.UPDATE_OWN_CASE):
            return await self.case_form(actor, reference, banner)
        if not actor.may(Permission.VIEW_CASE):
            # Unknown and not-yours get the same answer: a SOO learns nothing about other cases.
            raise NotPermitted(f"You have no case with the reference {reference}.")
        if case is None:
            raise NotFound(f"No case has the reference {reference}.")
        require_no_conflict(actor, case)
        if not may_open_case(actor, case):
            raise NotPermitted(f"You have no case with the reference {reference}.")
        if actor.may(Permission.APPOINT_SOO):
            return await self.manage(actor, reference, banner)
        async with self._deps.uow() as uow:
            linked = await linked_references(uow, case)
        # Opened while it is being heard, the case reads as the case room's does ("first heard: now").
        heard = await live.heard_now(self._deps)
        slot = heard[1] if heard is not None and heard[1].case_id == case.case_id else None
        closed = case.status is CaseStatus.CLOSED  # its early warnings no longer warn of anything
        view = case_view(case, slot, None if closed else self._signals(case), linked)
        status = words(case.status.value)
        if slot is not None:  # a closed case in a closed-case review slot is still closed
            status = "Closed, under review now" if closed else "Being heard now"
        card = case_card(dataclasses.replace(view, status=status), banner=banner.text if banner else None)
        purpose = reading_purpose(actor, AuditPurpose.PANEL_OVERSIGHT)
        await consulted(self._deps, actor, "case.opened", purpose, case)
        return card

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
        cards = [sitting_form_card(SittingFormView(self._deps.today().isoformat()))]
        cards += [await self.agenda(actor, s.sitting_id) for s in [*recent[-1:], *upcoming]]
        return cards

    def sitting_form(self, actor: Actor, banner: Banner | None = None) -> Card:
        """The new-sitting form."""
        actor.require(Permission.CREATE_SITTING)
        return sitting_form_card(SittingFormView(self._deps.today().isoformat(), banner))

    async def record_form(self, actor: Actor, banner: Banner | None = None) -> Card:
        """The administrator's form for the case being heard now."""
        actor.require(Permission.RECORD_ACTION)
        sitting = await live.live_sitting(self._deps)
        current = sitting.current if sitting else None
        if current is None:
            raise ValidationFailed("No case is being heard right now.")
        async with self._deps.uow() as uow:
            case = await uow.cases.get(current.case_id)
        require_no_conflict(actor, case)
        themes = theme_choices(self._deps.config.taxonomy)
        async with self._deps.uow() as uow:
            roster = await uow.roster.all()
        panel = tuple(
            (m.display_name + (f" ({m.agency})" if m.agency else ""), m.aad_object_id)
            for m in roster
            if m.active and m.roles & CASE_ROOM_ROLES
        )
        card = record_card(
            RecordView(
                current.case_reference,
                options(OwnerRole),
                themes,
                self._deps.today().isoformat(),
                banner,
                panel,
                attended=tuple(p for p in sitting.attended if any(p == v for _, v in panel))
                if sitting
                else (),
                notes=notes_of_today(case, self._deps),
                review=current.kind is SlotKind.CLOSED_REVIEW,
                pending=pending_lines(case, self._deps.config.taxonomy),
            )
        )
        await consulted(self._deps, actor, "case.record_form", AuditPurpose.LIVE_SITTING, case)
        return card

    async def case_life(self, actor: Actor, reference: str, banner: Banner | None = None) -> Card:
        """The coordinator's second card for a case: facts, links, names, hold, reopen, conference."""
        actor.require(Permission.REGISTER_CASE)
        async with self._deps.uow() as uow:
            case = await uow.cases.by_reference(reference)
            require_no_conflict(actor, case)
            linked = await linked_references(uow, case)
        view = CaseLifeView(
            reference=case.reference,
            facts=case.facts.facts,
            today=self._deps.today().isoformat(),
            closed=case.status is CaseStatus.CLOSED,
            at_conference=case.status is CaseStatus.CASE_CONFERENCE,
            held=case.retention_hold.reason if case.retention_hold else None,
            linked=linked,
            banner=banner,
            notes=tuple((f"{n.on:%-d %b %Y}", n.text) for n in case.notes[-NOTES_SHOWN:]),
        )
        card = with_back_to_list(case_life_card(view))
        await consulted(self._deps, actor, "case.opened", AuditPurpose.CASE_MANAGEMENT, case)
        return card

    async def facts(
        self, actor: Actor, reference: str, banner: Banner | None = None, typed: dict[str, Any] | None = None
    ) -> Card:
        """A case's facts on a card of their own, for its SOO or the coordinator. After a refusal,
        `typed` refills what was chosen, each value only if it is one the form itself offers."""
        case = await case_life.facts_of(self._deps, actor, reference)
        facts = case.facts.facts
        if typed:
            kept: dict[str, Any] = {}
            for name in FACT_NAMES:
                if name in typed:
                    try:
                        value = parse_fact(name, str(typed[name]))
                        refuse_retired({name: value}, case.facts.facts)  # no longer offered
                    except ValidationFailed:
                        continue  # not one of the choices: never sent back
                    kept[name] = value
            facts = dataclasses.replace(facts, **kept)
        view = FactsCardView(
            reference=case.reference,
            facts=facts,
            today=self._deps.today().isoformat(),
            back=verbs.CASE_MORE if actor.may(Permission.REGISTER_CASE) else verbs.CASE_OPEN,
            banner=banner,
        )
        purpose = (
            AuditPurpose.CASE_MANAGEMENT if actor.may(Permission.REGISTER_CASE) else AuditPurpose.OWN_CASE
        )
        await consulted(self._deps, actor, "case.facts_opened", purpose, case)
        return facts_card(view)

    async def manage(self, actor: Actor, reference: str, banner: Banner | None) -> Card:
        """The coordinator's card for one case: never for anyone else, nor for a coordinator who
        declared a conflict for it (it names the SOO, the conflicts and the roster)."""
        actor.require(Permission.APPOINT_SOO)
        async with self._deps.uow() as uow:
            case = await uow.cases.by_reference(reference)
            require_no_conflict(actor, case)
            roster = await uow.roster.all()
            # Today's sitting may take a case while it is live, as the use case allows (a closed case
            # to review at the end of today's agenda, say); an ended one may not.
            sittings = [
                s
                for s in await uow.sittings.find(on_or_after=self._deps.today())
                if s.status is not SittingStatus.ENDED
            ]
        names = {m.aad_object_id: m.display_name for m in roster}
        soo = names.get(case.soo_id) if case.soo_id else None
        listed_on = next(
            (
                s
                for s in sittings
                if (slot := s.slot_for_case(case.case_id)) and slot.state is SlotState.WAITING
            ),
            None,
        )
        view = ManageView(
            reference=reference,
            status=words(case.status.value),
            soo=soo or "not appointed",
            advice=recommend_case_conference(case.category, case.flags).reasons,
            soos=await self.soo_choices(exclude=case),
            # A case waits on one agenda at a time: offer a sitting only while it is on none.
            sittings=() if listed_on else tuple((sitting_choice(s), s.sitting_id) for s in sittings),
            listed_on=f"{to_london(listed_on.starts_at):%A %d %B %Y, %H:%M}" if listed_on else None,
            latest_update=latest_update(case),
            banner=banner,
            has_soo=soo is not None,
            closed=case.status is CaseStatus.CLOSED,
            conflicts=tuple(
                (names.get(d.person_id, "someone no longer on the roster"), d.person_id)
                for d in case.declared_conflicts
            ),
            people=tuple(
                (m.display_name, m.aad_object_id)
                for m in roster
                if m.active and not case.conflicted(m.aad_object_id)
            ),
            held=case.retention_hold.reason if case.retention_hold else None,
        )
        card = with_back_to_list(manage_card(view))
        await consulted(self._deps, actor, "case.opened", AuditPurpose.CASE_MANAGEMENT, case)
        return card

    async def agenda(self, actor: Actor, sitting_id: str, banner: Banner | None = None) -> Card:
        """The agenda builder for one sitting: for those who book sittings or manage agendas only."""
        if not actor.may(Permission.CREATE_SITTING):
            actor.require(Permission.MANAGE_AGENDA)
        async with self._deps.uow() as uow:
            sitting = await uow.sittings.get(sitting_id)
            later = [
                s
                for s in await uow.sittings.find(on_or_after=sitting.sitting_date)
                if s.status is SittingStatus.SCHEDULED and s.sitting_id != sitting_id
            ]
        schedule = sitting.schedule(self._deps.clock.now())
        lines = tuple(
            AgendaLine(
                t.slot.slot_id,
                t.slot.case_reference,
                t.slot.kind.value,
                t.slot.minutes,
                # An unreached case has no time: projecting one after the sitting ended misleads.
                "" if t.slot.state is SlotState.NOT_REACHED else f"{to_london(t.start):%H:%M}",
                t.slot.state.value,
            )
            for t in schedule.slots
        )
        if sitting.status is SittingStatus.ENDED and sitting.ended_at:
            finish = f"Ended at {to_london(sitting.ended_at):%H:%M}"
        else:
            finish = f"Projected finish {to_london(schedule.projected_finish):%H:%M}"
        return agenda_card(
            AgendaView(
                sitting_id=sitting.sitting_id,
                title=sitting_name(sitting),
                lines=lines,
                finish=finish,
                warning=schedule.warning,
                later_sittings=tuple((sitting_name(s), s.sitting_id) for s in later),
                not_reached=len(sitting.not_reached()),
                banner=banner,
            )
        )

    async def case_form(
        self, actor: Actor, reference: str, banner: Banner | None, outstanding: tuple[str, ...] = ()
    ) -> Card:
        """The SOO's update form for one of their cases."""
        case = await closure.own_case(self._deps, actor, reference)
        signals = self._signals(case)
        view = CaseFormView(
            reference=reference,
            status=words(case.status.value),
            actions=tuple(
                ActionLine(
                    a.action_id,
                    clip_for_card(a.description),
                    words(a.owner_role.value),
                    f"{a.due:%d %b}",
                    a.status.value,
                    clip_for_card(a.note or ""),
                    a.source or "",
                )
                for a in case.actions
            ),
            latest_update=latest_update(case),
            facts=case.facts.facts,
            signals=confidence_facts(signals),
            flags=signals.flags,
            today=self._deps.today().isoformat(),
            closed=case.status in (CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED),
            outstanding=outstanding,
            banner=banner,
        )
        card = with_back_to_list(case_form_card(view))
        await consulted(self._deps, actor, "case.form", AuditPurpose.OWN_CASE, case)
        return card

    def approval(self, case: Case, banner: Banner) -> Card:
        """The chair's approval card once decided."""
        done = sum(1 for a in case.actions if a.status is ActionStatus.DONE)
        cancelled = sum(1 for a in case.actions if a.status is ActionStatus.CANCELLED)
        return approval_card(ApprovalView(case.reference, done, cancelled, banner, decided=True))

    async def soo_choices(self, exclude: Case | None = None) -> tuple[Choice, ...]:
        """The SOOs on the roster (leaving out any with a conflict for the case in hand)."""
        async with self._deps.uow() as uow:
            soos = [m for m in await uow.roster.all() if m.active and Role.SOO in m.roles]
        return tuple(
            (m.display_name, m.aad_object_id)
            for m in soos
            if exclude is None or not exclude.conflicted(m.aad_object_id)
        )

    def _signals(self, case: Case) -> ConfidenceSignals:
        return confidence_signals(case, self._deps.today(), self._deps.config.confidence)

    def _case_line(self, case: Case, being_heard: bool = False) -> CaseLine:
        signals = self._signals(case)
        facts = dict(confidence_facts(signals))
        return CaseLine(
            reference=case.reference,
            # "Listed" while the panel is hearing it would send the coordinator to the agenda.
            status="Being heard now" if being_heard else words(case.status.value),
            open_actions=sum(1 for a in case.actions if not a.settled),
            since_update=facts["Victim last updated"],
            investigator_changes=signals.investigator_changes,
            age_days=signals.investigation_days,
            flags=signals.flags,
        )


def sitting_name(sitting: Sitting) -> str:
    """How a sitting is named on the coordinator's cards."""
    start = to_london(sitting.starts_at)
    return f"Sitting {start:%a %d %b %Y}, {start:%H:%M}"


def sitting_choice(sitting: Sitting) -> str:
    """A sitting as a choice on a form: its day and start, and whether it is live now."""
    live_now = " (live now)" if sitting.status is SittingStatus.LIVE else ""
    return f"{to_london(sitting.starts_at):%a %d %b %Y %H:%M}{live_now}"
