"""Registering cases, appointing SOOs, and registering party names for the identity guard."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from panel.case import (
    Case,
    CaseConferenceAdvice,
    CaseConferenceFlags,
    CaseStatus,
    Category,
    ReferralRoute,
    RiskLevel,
    recommend_case_conference,
)
from panel.case_facts import RecordedBy, refuse_future
from panel.errors import NotFound, ValidationFailed
from panel.identity_guard import everyday_parts, hashes_for_party_name, name_hash, normalise_name
from panel.ports import Notice, NoticeKind, UnitOfWork
from panel.roles import Actor, Permission, Role
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once

MAX_REFERENCE_ATTEMPTS = 20


@dataclass(frozen=True)
class CaseRegistration:
    """What the coordinator enters to register a case: no field can hold a name."""

    category: Category
    referral_route: ReferralRoute
    received: date
    risk: RiskLevel
    flags: CaseConferenceFlags = CaseConferenceFlags()
    soo_id: str | None = None
    reference: str | None = None  # only when importing cases that already have one of ours
    # Facts the panel scrutinises, when a caseload is brought in from a spreadsheet.
    facts: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Registered:
    """The new case and whether a case conference is recommended instead of panel."""

    case: Case
    advice: CaseConferenceAdvice


async def register_case(
    deps: Deps, actor: Actor, form: CaseRegistration, request_key: str | None = None
) -> Registered:
    """Register a case anonymously under a fresh pseudonymous reference."""
    (registered,) = await register_cases(deps, actor, [form], request_key)
    return registered


async def register_cases(
    deps: Deps, actor: Actor, forms: Sequence[CaseRegistration], request_key: str | None = None
) -> list[Registered]:
    """Register several cases in one transaction: all of them, or none."""
    actor.require(Permission.REGISTER_CASE)
    now = deps.clock.now()
    if any(form.received > deps.today() for form in forms):
        raise ValidationFailed("The date received cannot be in the future.")
    created: list[Case] = []
    async with deps.uow() as uow:
        await once(uow, request_key)
        taken: set[str] = set()
        for form in forms:
            if form.soo_id is not None:
                await _require_soo(uow, form.soo_id)
            if form.reference and (
                form.reference in taken or await uow.cases.reference_taken(form.reference)
            ):
                raise ValidationFailed(f"Reference {form.reference} is already in use.")
            reference = form.reference or await _fresh_reference(deps, uow, taken)
            taken.add(reference)
            case = Case(
                case_id=deps.new_id(),
                reference=reference,
                category=form.category,
                referral_route=form.referral_route,
                received=form.received,
                risk=form.risk,
                flags=form.flags,
                registered_at=now,
                registered_by=actor.actor_id,
                soo_id=form.soo_id,
            )
            if form.facts:
                refuse_future(dict(form.facts), deps.today())
                # A file says what is true of a case, not since when: its facts count from the date
                # the case was received, so a report on a past period counts an imported caseload.
                case.facts.apply(dict(form.facts), form.received, RecordedBy.IMPORT)
            uow.cases.add(case)
            deps.audit(uow, actor, "case.registered", case.case_id, case=case)
            created.append(case)
        await uow.commit()
    for case in created:
        if case.soo_id:
            await deps.notifier.send(_appointed_notice(case))
    return [Registered(c, recommend_case_conference(c.category, c.flags)) for c in created]


async def appoint_soo(
    deps: Deps, actor: Actor, reference: str, soo_id: str, request_key: str | None = None
) -> Case:
    """Appoint or change a case's SOO; the SOO is told."""
    actor.require(Permission.APPOINT_SOO)
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        if case.status is CaseStatus.CLOSED:
            raise ValidationFailed(f"Case {case.reference} is closed.")
        await _require_soo(uow, soo_id)
        if case.conflicted(soo_id):
            raise ValidationFailed(
                f"That SOO has declared a conflict of interest for case {case.reference}; "
                "appoint someone else."
            )
        case.soo_id = soo_id
        uow.cases.save(case)
        deps.audit(uow, actor, "case.soo_appointed", case.case_id, soo_id, case=case)
        await uow.commit()
    await deps.notifier.send(_appointed_notice(case))
    return case


@dataclass(frozen=True)
class PartyName:
    """A party's name as the coordinator typed it, and whether its everyday-word parts ("Mark",
    "Green") should be refused alone however they are written, not only with a capital."""

    name: str
    everyday_parts_alone: bool = False


@dataclass(frozen=True)
class EverydayWords:
    """Which words of one registered name are everyday words: by position, never the words."""

    party: int  # 1 for the first name given
    positions: tuple[int, ...]
    blocked_alone: bool


@dataclass(frozen=True)
class NamesRegistered:
    """How many names were registered, and which of them have everyday-word parts."""

    count: int
    everyday: tuple[EverydayWords, ...] = ()
    # Other cases with a party of the same whole name: told to the coordinator alone, as references.
    possible_links: tuple[str, ...] = ()


async def register_party_names(
    deps: Deps,
    actor: Actor,
    reference: str,
    names: Sequence[str | PartyName],
    request_key: str | None = None,
) -> NamesRegistered:
    """Register parties' names for the identity guard: kept only as keyed hashes, never in clear."""
    actor.require(Permission.REGISTER_PARTY_NAMES)
    hashes: set[str] = set()
    everyday: list[EverydayWords] = []
    for party, given in enumerate(names, 1):
        entry = given if isinstance(given, PartyName) else PartyName(given)
        hashes |= hashes_for_party_name(
            deps.identity_key, entry.name, everyday_parts_alone=entry.everyday_parts_alone
        )
        if positions := everyday_parts(entry.name):
            everyday.append(EverydayWords(party, positions, entry.everyday_parts_alone))
    if not hashes:
        raise ValidationFailed("No name was given.")
    whole = {
        name_hash(deps.identity_key, normalise_name(e.name if isinstance(e, PartyName) else e)) for e in names
    }
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        # A coordinator who declared a conflict keeps out of the case: registering its names would
        # also tell them which other cases those names are registered for.
        require_no_conflict(actor, case)
        links = []
        for other_id in sorted(await uow.party_names.cases_with(whole) - {case.case_id}):
            other = await uow.cases.get(other_id)
            if not other.conflicted(actor.actor_id) and other_id not in case.linked:
                links.append(other.reference)
        uow.party_names.add(case.case_id, hashes)
        deps.audit(uow, actor, "case.party_names_registered", case.case_id, str(len(names)), case=case)
        await uow.commit()
    return NamesRegistered(len(names), tuple(everyday), tuple(sorted(links)))


async def _fresh_reference(deps: Deps, uow: UnitOfWork, taken: set[str]) -> str:
    for _ in range(MAX_REFERENCE_ATTEMPTS):
        candidate = deps.new_reference()
        if candidate not in taken and not await uow.cases.reference_taken(candidate):
            return candidate
    raise RuntimeError("could not find an unused case reference")


async def _require_soo(uow: UnitOfWork, soo_id: str) -> None:
    member = await uow.roster.get(soo_id)
    if member is None or not member.active or Role.SOO not in member.roles:
        raise NotFound("That person is not a SOO on the roster.")


def _appointed_notice(case: Case) -> Notice:
    assert case.soo_id is not None
    return Notice(
        kind=NoticeKind.SOO_APPOINTED,
        recipient_id=case.soo_id,
        case_reference=case.reference,
        facts=(("Category", case.category.value), ("Risk", case.current_risk.value)),
    )
