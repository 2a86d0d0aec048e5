"""Members and partners (and organisational learning, for themes) propose; the chair, deputy or
administrator decides. A proposal is for the case being heard now, by whoever may see it now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from panel.actions import OwnerRole, PanelAction, validate_description
from panel.case import Case, CaseStatus, Direction, DirectionKind
from panel.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from panel.proposals import (
    SOURCE_WORDS,
    Proposal,
    ProposalKind,
    ProposalState,
    ProposedBy,
    fits_case,
    source_for,
)
from panel.roles import Actor, Permission
from panel.themes import ThemeRecord, require_known_theme
from panel.usecases.conflicts import require_no_conflict
from panel.usecases.deps import Deps, once
from panel.usecases.live import Heard, heard_now

# An accepted action is due this long after it is accepted, unless the chair says otherwise.
ACTION_DUE = timedelta(days=28)
MAX_TEXT = 500


@dataclass(frozen=True)
class ProposalForm:
    """What is proposed: an action (words, owner), a direction (kind, words) or a theme (code)."""

    kind: ProposalKind
    text: str | None = None
    owner_role: OwnerRole | None = None
    direction_kind: DirectionKind | None = None
    theme_code: str | None = None


def proposer(actor: Actor, kind: ProposalKind) -> ProposedBy:
    """The role a person proposes in: members and partners anything, organisational learning only
    themes; refused otherwise."""
    source = source_for(actor.roles, kind)
    if source is not None:
        return source
    if not actor.on_roster:
        raise NotPermitted("You are not on this panel's roster.")
    raise NotPermitted(
        "Only panel members and partner representatives can propose actions and directions; "
        "organisational learning can propose themes."
    )


async def case_being_heard(deps: Deps, actor: Actor) -> Case:
    """The case being heard now, for someone who may propose about it."""
    _, slot = await _heard(deps)
    async with deps.uow() as uow:
        case = await uow.cases.get(slot.case_id)
    require_no_conflict(actor, case)
    return case


async def _heard(deps: Deps) -> Heard:
    heard = await heard_now(deps)
    if heard is None:
        raise ValidationFailed("No case is being heard right now: proposals are made during a hearing.")
    return heard


async def propose(
    deps: Deps, actor: Actor, reference: str, form: ProposalForm, request_key: str | None = None
) -> Proposal:
    """Propose something for the case being heard (its words read by the guard first)."""
    source = proposer(actor, form.kind)
    text = _checked(form)
    if form.kind is ProposalKind.THEME:
        require_known_theme(form.theme_code or "", deps.config.taxonomy)
    async with deps.uow() as uow:
        if text is not None:
            (await deps.guard(uow)).check(text)
    sitting, slot = await _heard(deps)
    async with deps.uow() as uow:
        await once(uow, request_key)
        # Compared with the case being heard by its id, never looked up by the reference given: a
        # reference that exists elsewhere and one that does not get the same answer.
        case = await uow.cases.get(slot.case_id)
        require_no_conflict(actor, case)
        if case.reference != reference:
            raise ValidationFailed(f"Case {reference} is not the one being heard now.")
        if not fits_case(form.kind, closed=case.status is CaseStatus.CLOSED):
            raise InvalidTransition(
                f"Case {reference} is closed and being reviewed: propose a direction or a theme, or ask "
                "the chair to have it reopened first."
            )
        proposal = Proposal(
            f"P{len(case.proposals) + 1}",
            form.kind,
            source,
            sitting.sitting_id,
            deps.clock.now(),
            text=text,
            owner_role=form.owner_role if form.kind is ProposalKind.ACTION else None,
            direction_kind=form.direction_kind.value
            if form.kind is ProposalKind.DIRECTION and form.direction_kind
            else None,
            theme_code=form.theme_code if form.kind is ProposalKind.THEME else None,
        )
        case.proposals.append(proposal)
        uow.cases.save(case)
        deps.audit(
            uow,
            actor,
            "case.proposal_made",
            case.case_id,
            f"{proposal.proposal_id}:{form.kind.value}",
            case=case,
        )
        await uow.commit()
    return proposal


def _checked(form: ProposalForm) -> str | None:
    """The proposal's words, tidied, or a refusal saying what is missing."""
    if form.kind is ProposalKind.THEME:
        if not form.theme_code:
            raise ValidationFailed("Choose the theme to propose.")
        return None
    if form.kind is ProposalKind.ACTION:
        if form.owner_role is None:
            raise ValidationFailed("Choose who would own the action.")
        return validate_description(form.text or "")
    if form.direction_kind is None:
        raise ValidationFailed("Choose what the direction is about.")
    text = " ".join((form.text or "").split())
    if not text or len(text) > MAX_TEXT:
        raise ValidationFailed(f"Write the direction in 1 to {MAX_TEXT} characters.")
    return text


def pending(case: Case) -> tuple[Proposal, ...]:
    """The proposals still waiting for a decision, oldest first."""
    return tuple(p for p in case.proposals if p.state is ProposalState.PENDING)


async def decide(
    deps: Deps,
    actor: Actor,
    reference: str,
    proposal_id: str,
    accept: bool,
    due: date | None = None,
    request_key: str | None = None,
) -> tuple[Case, Proposal]:
    """Accept a proposal (it becomes the action, direction or theme, its source kept by role) or
    set it aside; only whoever records for the panel, never someone conflicted."""
    actor.require(Permission.RECORD_ACTION)
    now = deps.clock.now()
    if due is not None and due < deps.today():
        raise ValidationFailed("The due date is in the past.")
    async with deps.uow() as uow:
        await once(uow, request_key)
        case = await uow.cases.by_reference(reference)
        require_no_conflict(actor, case)
        proposal = next((p for p in case.proposals if p.proposal_id == proposal_id), None)
        if proposal is None:
            raise NotFound(f"Case {reference} has no proposal {proposal_id}.")
        if proposal.state is not ProposalState.PENDING:
            raise InvalidTransition(
                f"Proposal {proposal_id} was already {proposal.state.value.replace('_', ' ')}."
            )
        proposal.state = ProposalState.ACCEPTED if accept else ProposalState.SET_ASIDE
        proposal.decided_at = now
        if accept:
            proposal.became = _accept(deps, actor, case, proposal, due or deps.today() + ACTION_DUE)
        uow.cases.save(case)
        deps.audit(
            uow,
            actor,
            "case.proposal_decided",
            case.case_id,
            f"{proposal_id}:{proposal.state.value}",
            case=case,
        )
        await uow.commit()
    return case, proposal


def _accept(deps: Deps, actor: Actor, case: Case, proposal: Proposal, due: date) -> str | None:
    """Make the accepted proposal what it proposed; returns the new action's id, if it is one."""
    now, source = deps.clock.now(), SOURCE_WORDS[proposal.source]
    if proposal.kind is ProposalKind.ACTION:
        if case.status is CaseStatus.CLOSED:
            raise InvalidTransition(f"Case {case.reference} is closed.")
        action = PanelAction(
            action_id=f"A{len(case.actions) + 1}",
            description=proposal.text or "",
            owner_role=proposal.owner_role or OwnerRole.SOO,
            due=due,
            set_by=actor.actor_id,
            set_at=now,
            sitting_id=proposal.sitting_id,
            source=source,
        )
        case.actions.append(action)
        if case.status in (CaseStatus.HEARD, CaseStatus.CLOSURE_REQUESTED):
            case.move_to(CaseStatus.AWAITING_ACTIONS, by=actor.actor_id, at=now)
        return action.action_id
    if proposal.kind is ProposalKind.DIRECTION:
        kind = DirectionKind(proposal.direction_kind or DirectionKind.VICTIM_CARE.value)
        case.directions.append(
            Direction(kind, proposal.text or "", proposal.sitting_id, actor.actor_id, now, source)
        )
        return None
    code = require_known_theme(proposal.theme_code or "", deps.config.taxonomy)
    case.themes.append(ThemeRecord(code, None, proposal.sitting_id, actor.actor_id, now, source))
    return None
