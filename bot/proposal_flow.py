"""Proposals by card: a member, partner or organisational learning proposes for the case being
heard; whoever records for the panel accepts or sets it aside on their record form."""

from __future__ import annotations

import logging
import re
from typing import Any

from bot import form_values as fv
from bot.form_cards import FormCards
from bot.guard_first import guard_first
from bot.sitting_flow import SittingFlow
from bot.views import propose_view
from cards import verbs
from cards.form_parts import Banner
from cards.notices import NoticeView, notice_card
from cards.proposal_cards import propose_card
from panel.actions import OwnerRole
from panel.audit import AuditPurpose
from panel.case import Case, DirectionKind
from panel.errors import AlreadyProcessed, NotPermitted, PanelError, StorageUnavailable, ValidationFailed
from panel.proposals import ProposalKind
from panel.reference import parse_reference
from panel.roles import Actor, Permission
from panel.usecases import proposals
from panel.usecases.access import consulted
from panel.usecases.deps import Deps

logger = logging.getLogger(__name__)
Card = dict[str, Any]
_PROPOSAL_ID = re.compile(r"P\d{1,4}")


class ProposalFlow:
    """The proposal form and the decision buttons."""

    def __init__(self, deps: Deps, cards: FormCards, sittings: SittingFlow) -> None:
        self._deps, self._cards, self._sittings = deps, cards, sittings

    async def form(self, actor: Actor, banner: Banner | None = None) -> Card:
        """The proposal form for the case being heard now."""
        actor.require(Permission.PROPOSE_ACTION)
        case = await proposals.case_being_heard(self._deps, actor)
        await consulted(self._deps, actor, "case.proposal_form", AuditPurpose.LIVE_SITTING, case)
        return propose_card(propose_view(actor, case, self._deps.config.taxonomy, banner))

    async def handle(self, actor: Actor, verb: str, data: Any, key: str | None) -> Card:
        """A proposal made, or decided."""
        data = data if isinstance(data, dict) else {}
        # Pressed on the case card in the case-room chat: the answer is the person's own view of it.
        on_card = fv.text(data, "from") == "case_card"
        try:
            await guard_first(self._deps, verb, data)
            if verb == verbs.PROPOSAL_MAKE:
                reference = parse_reference(fv.required(data, "case", "case"))
                kind = fv.choice(data, "kind", ProposalKind, "what is proposed")
                form = proposals.ProposalForm(
                    kind,
                    text=fv.text(data, "text"),
                    owner_role=fv.choice(data, "owner", OwnerRole, "owner")
                    if kind is ProposalKind.ACTION
                    else None,
                    direction_kind=fv.choice(data, "direction", DirectionKind, "what it is about")
                    if kind is ProposalKind.DIRECTION
                    else None,
                    theme_code=fv.text(data, "theme") if kind is ProposalKind.THEME else None,
                )
                made = await proposals.propose(self._deps, actor, reference, form, key)
                said = f"Proposal {made.proposal_id} is with the chair for case {reference}."
                # The chair's own view of the case card lists it at once.
                case = await proposals.case_being_heard(self._deps, actor)
                await self._sittings.refresh_case_card(case)
                if on_card:
                    return await self._case_card(actor, said, case)
                return await self.form(actor, Banner(said, ok=True))
            if verb == verbs.PROPOSAL_DECIDE:
                reference = parse_reference(fv.required(data, "case", "case"))
                proposal_id = fv.required(data, "proposal", "proposal")
                if not _PROPOSAL_ID.fullmatch(proposal_id):
                    raise ValidationFailed("That is not one of the case's proposals.")
                accept = fv.text(data, "accept") == "yes"
                case, decided = await proposals.decide(
                    self._deps, actor, reference, proposal_id, accept, None, key
                )
                # Every recorder's view of the case card drops it from the proposals waiting.
                await self._sittings.refresh_case_card(case)
                said = (
                    f"Proposal {proposal_id} accepted"
                    + (f" as action {decided.became}" if decided.became else "")
                    if accept
                    else f"Proposal {proposal_id} set aside"
                ) + "."
                if on_card:
                    return await self._case_card(actor, said, case)
                return await self._cards.record_form(actor, Banner(said, ok=True))
            raise ValidationFailed("That button is not one of this card's.")
        except StorageUnavailable:
            raise
        except AlreadyProcessed:
            return notice_card(
                NoticeView("That was already done", (("What", "Nothing changed a second time."),))
            )
        except PanelError as error:
            logger.info(
                "proposal.refused verb=%s actor=%s error=%s", verb, actor.actor_id, type(error).__name__
            )
            banner = Banner(error.message, ok=False)
            if isinstance(error, NotPermitted):
                return notice_card(NoticeView("That could not be done", (("Why", error.message),)))
            try:  # the form again, its typed text never sent back
                if on_card:
                    return await self._case_card(actor, error.message)
                if verb == verbs.PROPOSAL_MAKE:
                    return await self.form(actor, banner)
                return await self._cards.record_form(actor, banner)
            except PanelError:
                return notice_card(NoticeView("That could not be done", (("Why", error.message),)))

    async def _case_card(self, actor: Actor, said: str, case: Case | None = None) -> Card:
        """This person's own view of the case being heard (`case`, if it has just been read), saying
        what came of their press; once the hearing is over, the card every view collapses to."""
        case = case or await proposals.case_being_heard(self._deps, actor)
        card = await self._sittings.live_case_card(case, said, actor)
        if card is None:
            raise ValidationFailed("No case is being heard right now.")
        # Their view of the case is shown again: recorded as every view Teams asks for is.
        await consulted(self._deps, actor, "case.viewed", AuditPurpose.LIVE_SITTING, case, detail="view=full")
        return card
