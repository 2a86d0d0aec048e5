"""Cases by card: each form verb calls one use case and answers with the refreshed card, whose
banner says what happened or, for refused input, why; nothing changes on a refusal."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot import form_values as fv
from bot import replies
from bot.case_life_verbs import CaseLifeVerbs
from bot.case_work_verbs import CaseWorkVerbs
from bot.form_cards import FormCards
from bot.guard_first import guard_first, refused_fields
from bot.record_verbs import RecordVerbs
from bot.sitting_flow import SittingFlow
from cards import form_parts as forms
from cards import verbs
from cards.coordinator_forms import FORCE_REF_FIELD, PARTY_FIELDS
from cards.form_refill import accepts, input_labels, refill, text_inputs
from cards.notices import NoticeView, notice_card
from panel.agenda import SlotKind, SlotState
from panel.case import (
    Case,
    CaseConferenceFlags,
    Category,
    ReferralRoute,
    RiskLevel,
)
from panel.clock import to_london
from panel.errors import (
    IdentifyingDetail,
    NotFound,
    NotPermitted,
    PanelError,
    StorageUnavailable,
    ValidationFailed,
)
from panel.force_reference import ForceRecord, checked_reference
from panel.reference import parse_reference
from panel.roles import Actor, Permission
from panel.usecases import (
    agenda,
    cases,
    conflicts,
    force_references,
    live,
    retention,
)
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]


class FormsFlow:
    """The coordinator's, administrator's, SOO's and chair's forms."""

    def __init__(self, deps: Deps, sitting_flow: SittingFlow) -> None:
        self._deps, self._sittings = deps, sitting_flow
        self.cards = FormCards(deps)
        self._handlers: dict[str, Callable[[Actor, Any, str | None], Awaitable[Card]]] = {
            verbs.CASE_REGISTER: self._register,
            verbs.CASE_APPOINT: self._appoint,
            verbs.CASES_BACK: self._back_to_list,
            verbs.CASE_NAMES: self._names,
            verbs.CASE_LIST: self._list,
            verbs.SITTING_CREATE: self._create_sitting,
            verbs.AGENDA_UP: self._move_up,
            verbs.AGENDA_REMOVE: self._remove,
            verbs.AGENDA_CARRY: self._carry,
            verbs.CASE_OPEN: self._open,
            verbs.CONFLICT_DECLARE: self._declare,
            verbs.CONFLICT_WITHDRAW: self._withdraw,
            verbs.RETENTION_HOLD: self._hold,
            verbs.RETENTION_RELEASE: self._release,
            **RecordVerbs(deps, self.cards, sitting_flow).handlers(),
            **CaseLifeVerbs(deps, self.cards).handlers(),
            **CaseWorkVerbs(deps, self.cards, sitting_flow).handlers(),
        }
        if set(self._handlers) != verbs.FORM_VERBS:  # fail at start-up, not on the first press
            raise RuntimeError("every form verb needs exactly one handler")

    async def handle(self, actor: Actor, verb: str, data: Any, key: str | None = None) -> Card:
        """Run a form verb; a domain refusal comes back as the same form with the reason on it. With
        the activity's key, a redelivered press changes nothing the second time."""
        logger.info("form.%s actor=%s", verb, actor.actor_id)
        try:
            await guard_first(self._deps, verb, data)
            return await self._handlers[verb](actor, data, key)
        except StorageUnavailable:
            raise  # answered plainly by the bot, whatever the verb
        except PanelError as error:
            logger.info("form.refused verb=%s actor=%s error=%s", verb, actor.actor_id, type(error).__name__)
            if isinstance(error, NotPermitted):
                # Not theirs to do (or to see): the reason alone, never a card built for someone else.
                return _reason_alone(error.message)
            try:
                return await self._refused(actor, verb, data, error)
            except StorageUnavailable:
                raise
            except PanelError:
                return _reason_alone(error.message)

    async def _refused(self, actor: Actor, verb: str, data: Any, error: PanelError) -> Card:
        """The form again, as the person left it, with the reason; rebuilt only through the same
        permission- and conflict-checked builders as a fresh request. Only the form's own text
        inputs are read back, each only after the identity guard has passed it: a field it refuses
        is cleared and named (its text is never sent back)."""
        probe = await self._again(actor, verb, data, forms.Banner(error.message, ok=False))
        # Only the verb's own free-text fields, which the guard read before anything else
        # (guard_first): after any other refusal, every one of them passed it.
        typed = {k: v for k, v in _typed_values(probe, data).items() if k in verbs.FREE_TEXT.get(verb, ())}
        if not isinstance(error, IdentifyingDetail):
            return refill(probe, verb, {**_choices(probe, data), **typed})
        cleared = set(await refused_fields(self._deps, typed))  # which of them it was
        passed = {k: v for k, v in typed.items() if k not in cleared}
        labels = input_labels(probe)
        # "Action (no names)" is named "Action": the bracketed reminder is not the field's name.
        named = sorted(_mid_sentence(labels[k].split(" (")[0]) for k in cleared if k in labels)
        if not named:
            return refill(probe, verb, {**_choices(probe, data), **passed})
        fields = f"{_join_words(named)} field{'s' if len(named) > 1 else ''}"
        said = f"{error.message} Change the {fields}."
        again = await self._again(actor, verb, data, forms.Banner(said, ok=False))
        return refill(again, verb, {**_choices(again, data), **passed})

    # --- cards to open (the forms are built by FormCards) ----------------------------------

    async def register_form(self, actor: Actor) -> Card:
        """The coordinator's register-a-case form."""
        return await self.cards.register_form(actor)

    async def case_list(self, actor: Actor) -> Card:
        """Open cases as this person may see them."""
        return await self.cards.case_list(actor)

    async def open_case(self, actor: Actor, reference: str) -> Card:
        """One case, as this person may see it."""
        return await self.cards.open_case(actor, reference)

    async def sitting_cards(self, actor: Actor) -> list[Card]:
        """The new-sitting form and the agenda builders."""
        return await self.cards.sitting_cards(actor)

    async def record_form(self, actor: Actor) -> Card:
        """The administrator's form for the case being heard."""
        return await self.cards.record_form(actor)

    # --- coordinator -----------------------------------------------------------------------

    async def _register(self, actor: Actor, data: Any, key: str | None) -> Card:
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
        names = _party_names(data)
        force_refs = _force_references(data)  # refused before the case is registered, never half-done
        registered = await cases.register_case(self._deps, actor, form, key)
        reference = registered.case.reference
        said = f"Registered as case {reference}."
        if names:
            result = await cases.register_party_names(
                self._deps, actor, reference, names, f"{key}:names" if key else None
            )
            said += " " + replies.names_registered(result)
        if force_refs:
            count = await force_references.register_force_references(
                self._deps, actor, reference, force_refs, f"{key}:refs" if key else None
            )
            said += f" {count} force reference{'s' if count != 1 else ''} kept as keyed hashes."
        if registered.advice.recommended:
            said += " A case conference is recommended instead of the panel."
        return await self.cards.manage(actor, reference, forms.Banner(said, ok=True))

    async def _appoint(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await cases.appoint_soo(self._deps, actor, reference, fv.required(data, "soo", "SOO"), key)
        return await self.cards.manage(
            actor, reference, forms.Banner("SOO appointed; they have been told by a 1:1 card.", ok=True)
        )

    async def _back_to_list(self, actor: Actor, data: Any, key: str | None) -> Card:
        return await self.cards.case_list(actor)

    async def _names(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        names = _party_names(data)
        force_refs = _force_references(data)
        if not names and not force_refs:
            raise ValidationFailed("Give at least one name or force reference to register.")
        said = []
        if names:
            result = await cases.register_party_names(self._deps, actor, reference, names, key)
            said.append(replies.names_registered(result))
        if force_refs:
            count = await force_references.register_force_references(
                self._deps, actor, reference, force_refs, f"{key}:refs" if key else None
            )
            said.append(f"{count} force reference{'s' if count != 1 else ''} kept as keyed hashes.")
        return await self.cards.manage(actor, reference, forms.Banner(" ".join(said), ok=True))

    async def _list(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        minutes = fv.number(data, "minutes", "minutes")
        kind = SlotKind.CUSTOM if minutes is not None else fv.choice(data, "kind", SlotKind, "slot")
        sitting_id = fv.required(data, "sitting", "sitting")
        listed = await agenda.list_case(self._deps, actor, sitting_id, reference, kind, minutes, key)
        start = to_london(listed.sitting.starts_at)
        said = forms.Banner(
            f"Case {reference} listed on the sitting of {start:%A %d %B %Y}; its SOO has been told the "
            "slot time.",
            ok=True,
        )
        if actor.may(Permission.APPOINT_SOO):
            # The coordinator stays on the case they were working on (its conflicts and SOO in
            # view); the agenda is one `sittings` away.
            return await self.cards.manage(actor, reference, said)
        return await self.cards.agenda(actor, sitting_id, said)

    async def _create_sitting(self, actor: Actor, data: Any, key: str | None) -> Card:
        form = agenda.SittingForm(
            sitting_date=fv.day(data, "date", "date") or self._deps.today(),
            start=fv.clock_time(data, "start", "start"),
            length_minutes=fv.number(data, "length", "length") or 180,
            case_room_link=fv.text(data, "link"),
            waiting_room_meeting_id=fv.text(data, "meeting"),
        )
        sitting = await agenda.create_sitting(self._deps, actor, form, key)
        start = to_london(sitting.starts_at)
        return await self.cards.agenda(
            actor,
            sitting.sitting_id,
            forms.Banner(f"Sitting booked for {start:%A %d %B %Y} at {start:%H:%M}.", ok=True),
        )

    async def _move_up(self, actor: Actor, data: Any, key: str | None) -> Card:
        actor.require(Permission.MANAGE_AGENDA)  # before the agenda is read: it is not theirs to probe
        sitting_id, slot_id = fv.required(data, "sitting", "sitting"), fv.required(data, "slot", "case")
        async with self._deps.uow() as uow:
            waiting = [
                s.slot_id for s in (await uow.sittings.get(sitting_id)).slots if s.state is SlotState.WAITING
            ]
        if slot_id not in waiting:
            raise NotFound("That case is no longer waiting on this agenda.")
        await agenda.move_slot(self._deps, actor, sitting_id, slot_id, max(1, waiting.index(slot_id)), key)
        return await self.cards.agenda(actor, sitting_id, forms.Banner("Moved up.", ok=True))

    async def _remove(self, actor: Actor, data: Any, key: str | None) -> Card:
        sitting_id = fv.required(data, "sitting", "sitting")
        reason = fv.text(data, "reason")
        await agenda.remove_slot(
            self._deps, actor, sitting_id, fv.required(data, "slot", "case"), reason, key
        )
        return await self.cards.agenda(
            actor,
            sitting_id,
            forms.Banner("Taken off the agenda." + (" Reason noted." if reason else ""), ok=True),
        )

    async def _carry(self, actor: Actor, data: Any, key: str | None) -> Card:
        target = fv.required(data, "to", "next sitting")
        source = fv.required(data, "sitting", "sitting")
        result = await agenda.carry_forward(self._deps, actor, source, target, key)
        # The ended sitting's card stays where it is, saying what happened: showing the next
        # agenda here would leave two versions of it in the chat.
        said = (
            f"{result.added} unheard case{'s' if result.added != 1 else ''} added to the agenda of the "
            f"sitting on {to_london(result.sitting.starts_at):%A %d %B %Y}."
            if result.added
            else "No case was added: each unheard case is already on that agenda or another."
        )
        return await self.cards.agenda(actor, source, forms.Banner(said, ok=True))

    # --- SOO and chair ---------------------------------------------------------------------

    async def _open(self, actor: Actor, data: Any, key: str | None) -> Card:
        return await self.open_case(actor, fv.required(data, "case", "case"))

    # --- conflicts of interest ---------------------------------------------------------------

    async def _declare(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        person = fv.text(data, "person")
        if person is not None and person != actor.actor_id:
            await conflicts.declare_conflict(
                self._deps, actor, reference, fv.text(data, "reason"), on_behalf_of=person, request_key=key
            )
            return await self.cards.manage(
                actor, reference, forms.Banner("Their declaration is recorded.", ok=True)
            )
        declared, said = await declare(self._deps, actor, reference, fv.text(data, "reason"), key)
        if declared is not None and fv.text(data, "from") == "case_card":
            # Pressed on the case card in the case-room chat: their own view of it collapses at once.
            card = await self._sittings.live_case_card(declared.case, said)
            if card is not None:
                return card
        return notice_card(NoticeView("Conflict of interest", (("Declared", said),)))

    async def _withdraw(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await conflicts.withdraw_conflict(
            self._deps, actor, reference, fv.required(data, "withdraw", "declaration"), key
        )
        return await self.cards.manage(actor, reference, forms.Banner("Declaration withdrawn.", ok=True))

    # --- retention ------------------------------------------------------------------------------

    async def _hold(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await retention.hold_from_erasure(
            self._deps, actor, reference, fv.required(data, "reason", "reason"), key
        )
        return await self.cards.manage(actor, reference, forms.Banner("Held from erasure.", ok=True))

    async def _release(self, actor: Actor, data: Any, key: str | None) -> Card:
        reference = parse_reference(fv.required(data, "case", "case"))
        await retention.release_hold(self._deps, actor, reference, key)
        return await self.cards.manage(
            actor, reference, forms.Banner("The erasure hold is released.", ok=True)
        )

    # --- refusals ----------------------------------------------------------------------------

    async def _again(self, actor: Actor, verb: str, data: Any, banner: forms.Banner) -> Card:
        """The form that was submitted, shown again with the reason it was refused."""
        reference = fv.text(data, "case") if isinstance(data, dict) else None
        try:
            if verb == verbs.CASE_REGISTER:
                return await self.cards.register_form(actor, banner)
            if verb in {verbs.SITTING_CREATE}:
                return self.cards.sitting_form(actor, banner)
            if verb == verbs.CASE_LIST and reference and actor.may(Permission.APPOINT_SOO):
                return await self.cards.manage(actor, parse_reference(reference), banner)
            if verb in {
                verbs.CASE_LIST,
                verbs.AGENDA_UP,
                verbs.AGENDA_REMOVE,
                verbs.AGENDA_CARRY,
            } and fv.text(data, "sitting"):
                return await self.cards.agenda(actor, fv.text(data, "sitting") or "", banner)
            if reference and verb == verbs.CASE_FACTS:
                # The facts card again, with what was chosen (only values the form offers).
                return await self.cards.facts(actor, parse_reference(reference), banner, data)
            if reference and verb in {verbs.CASE_LINK, verbs.CONFERENCE_RECORD}:
                return await self.cards.case_life(actor, parse_reference(reference), banner)
            if verb in {
                verbs.ACTION_RECORD,
                verbs.THEME_RECORD,
                verbs.DIRECTION_RECORD,
                verbs.CASE_DECISION,
                verbs.ATTENDANCE_RECORD,
            }:
                return await self.cards.record_form(actor, banner)
            if (
                reference
                and verb in {verbs.CLOSURE_APPROVE, verbs.CLOSURE_RETURN}
                and actor.may(Permission.APPROVE_CLOSURE)
            ):
                return notice_card(
                    NoticeView(f"Closure of case {parse_reference(reference)}", (("Not done", banner.text),))
                )
            if reference and verb == verbs.CASE_NAMES:
                return await self.cards.manage(actor, parse_reference(reference), banner)
            if reference:
                # A declaration refused (its reason named someone) was not recorded: the case card
                # comes back, with the form as it was left.
                return await self.cards.open_case(actor, reference, banner)
        except PanelError as error:
            banner = forms.Banner(error.message, ok=False)
        return _reason_alone(banner.text)


async def declare(
    deps: Deps, actor: Actor, reference: str, reason: str | None, key: str | None
) -> tuple[conflicts.Declared | None, str]:
    """Declare one's own conflict for a case, and what to say. Someone who may not see every case
    is told the same whether or not the reference is a case (nothing about which ones exist); the
    declaration is recorded only where there is a case to record it on."""
    try:
        declared = await conflicts.declare_conflict(deps, actor, reference, reason, request_key=key)
    except NotFound:
        if actor.may(Permission.VIEW_CASE):
            raise
        return None, replies.conflict_noted(reference)
    if not await _may_know_of(deps, actor, declared.case):
        return declared, replies.conflict_noted(reference)
    return declared, replies.conflict_declared(reference, already=declared.already)


async def _may_know_of(deps: Deps, actor: Actor, case: Case) -> bool:
    """Whether this person may know the case exists: those who run the panel, its SOO, and the
    panel while it is being heard (its card is in front of them)."""
    if actor.may(Permission.VIEW_CASE) or case.soo_id == actor.actor_id:
        return True
    sitting = await live.live_sitting(deps)
    heard = sitting.current if sitting else None
    return heard is not None and heard.case_id == case.case_id and actor.may(Permission.VIEW_LIVE_CASE)


def _mid_sentence(label: str) -> str:
    """A field's label as it reads inside a sentence: "the waiting-room meeting id field" (an
    abbreviation such as "SOO" keeps its capitals)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _reason_alone(reason: str) -> Card:
    """A refusal that shows nothing but why."""
    return notice_card(NoticeView("That could not be done", (("Why", reason),)))


# Beyond this many characters in a refused form's text inputs, none is read back: no form of
# ours holds that much, and reading it would cost the guard's time for nothing.
MAX_REFILL_CHARS = 16_000


def _typed_values(card: Card, data: Any) -> dict[str, str]:
    """What was typed into the card's own free-text inputs (never a field the card does not have,
    never a password-style input); nothing when the total is more than any form of ours holds."""
    if not isinstance(data, dict):
        return {}
    typed = {
        name: value
        for name in text_inputs(card)
        if isinstance(value := data.get(name), str) and value.strip() and len(value) <= fv.MAX_VALUE
    }
    return typed if sum(map(len, typed.values())) <= MAX_REFILL_CHARS else {}


def _choices(card: Card, data: Any) -> dict[str, str]:
    """The card's other inputs (choices, dates, toggles) as submitted, where each value is one the
    input itself could have sent: a forged value is never shown back."""
    if not isinstance(data, dict):
        return {}
    return {
        name: value for name, value in data.items() if isinstance(value, str) and accepts(card, name, value)
    }


def _party_names(data: Any) -> list[cases.PartyName]:
    """The party names typed into a form, each with the coordinator's choice for everyday words."""
    return [
        cases.PartyName(name, everyday_parts_alone=fv.toggle(data, f"everyday_{n}"))
        for n in range(1, PARTY_FIELDS + 1)
        if (name := fv.text(data, f"party_{n}"))
    ]


def _force_references(data: Any) -> dict[ForceRecord, str]:
    """The force references typed into a form, by record (read only to be hashed), each checked as
    it is read, so a bad one is refused before anything is stored."""
    typed = {record: t for record in ForceRecord if (t := fv.text(data, f"{FORCE_REF_FIELD}{record.value}"))}
    for text in typed.values():
        checked_reference(text)
    return typed


def _join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
