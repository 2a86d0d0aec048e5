"""Members, partners and organisational learning propose for the case being heard; whoever records
for the panel accepts or sets it aside; an accepted one keeps its source by role, never the person;
on both stores."""

from __future__ import annotations

import pytest

from cli.demo_data import ADMINISTRATOR, ANALYST, CHAIR, MEMBER, PARTNER, SOO_ONE
from panel.actions import OwnerRole
from panel.case import DirectionKind
from panel.errors import IdentifyingDetail, InvalidTransition, NotPermitted, ValidationFailed
from panel.proposals import ProposalKind, ProposalState
from panel.usecases import conflicts, live
from panel.usecases.deps import Deps
from panel.usecases.proposals import ProposalForm, decide, pending, propose
from tests.conftest import actor
from tests.panel.helpers import listed, new_case, new_sitting

ACTION = ProposalForm(ProposalKind.ACTION, "Refer the victim to the IDVA service", OwnerRole.SOO)


async def _hearing(deps: Deps):  # type: ignore[no-untyped-def]
    heard, other = await new_case(deps, SOO_ONE), await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await listed(deps, await new_sitting(deps), heard), other)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id, "chat")
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    return heard, other


async def test_proposals_become_what_they_propose_with_their_source_by_role(deps: Deps) -> None:
    heard, _ = await _hearing(deps)
    by_member = await propose(deps, actor(MEMBER), heard.reference, ACTION)
    by_partner = await propose(
        deps,
        actor(PARTNER),
        heard.reference,
        ProposalForm(
            ProposalKind.DIRECTION, "Offer a safety plan review", direction_kind=DirectionKind.SAFEGUARDING
        ),
    )
    theme_code = next(iter(deps.config.taxonomy))
    by_learning = await propose(
        deps, actor(ANALYST), heard.reference, ProposalForm(ProposalKind.THEME, theme_code=theme_code)
    )
    assert [p.proposal_id for p in (by_member, by_partner, by_learning)] == ["P1", "P2", "P3"]
    case, _ = await decide(deps, actor(ADMINISTRATOR), heard.reference, "P1", accept=True)
    case, _ = await decide(deps, actor(CHAIR), heard.reference, "P2", accept=True)
    case, decided = await decide(deps, actor(CHAIR), heard.reference, "P3", accept=False)
    assert decided.state is ProposalState.SET_ASIDE and pending(case) == ()
    (action,) = case.actions
    assert action.description == ACTION.text and action.source == "proposed by a panel member"
    assert case.directions[-1].source == "proposed by a partner agency"
    assert not case.themes  # set aside: nothing recorded
    # Where it came from is a role: the proposal holds no one's id.
    assert not {MEMBER.aad_object_id, PARTNER.aad_object_id} & {
        str(v) for p in case.proposals for v in vars_of(p)
    }
    with pytest.raises(InvalidTransition, match="already"):
        await decide(deps, actor(CHAIR), heard.reference, "P1", accept=True)


def vars_of(proposal: object) -> list[object]:
    return [getattr(proposal, name) for name in proposal.__slots__]  # type: ignore[attr-defined]


async def test_who_may_propose_what_and_who_decides(deps: Deps) -> None:
    heard, other = await _hearing(deps)
    with pytest.raises(NotPermitted, match="organisational learning can propose themes"):
        await propose(deps, actor(ANALYST), heard.reference, ACTION)
    for person in (CHAIR, SOO_ONE):
        with pytest.raises(NotPermitted):
            await propose(deps, actor(person), heard.reference, ACTION)
    with pytest.raises(ValidationFailed, match="not the one being heard"):
        await propose(deps, actor(MEMBER), other.reference, ACTION)
    await propose(deps, actor(MEMBER), heard.reference, ACTION)
    with pytest.raises(NotPermitted):
        await decide(deps, actor(MEMBER), heard.reference, "P1", accept=True)


async def test_a_proposal_with_a_name_is_refused_and_nothing_is_kept(deps: Deps) -> None:
    heard, _ = await _hearing(deps)
    with pytest.raises(IdentifyingDetail):
        await propose(
            deps,
            actor(PARTNER),
            heard.reference,
            ProposalForm(ProposalKind.ACTION, "Call Kerry Hodgson on 07700 900123", OwnerRole.SOO),
        )
    await conflicts.declare_conflict(deps, actor(MEMBER), heard.reference)
    with pytest.raises(NotPermitted, match="conflict of interest"):
        await propose(deps, actor(MEMBER), heard.reference, ACTION)
    async with deps.uow() as uow:
        assert (await uow.cases.get(heard.case_id)).proposals == []


async def test_nothing_is_proposed_outside_a_hearing(deps: Deps) -> None:
    case = await new_case(deps, SOO_ONE)
    with pytest.raises(ValidationFailed, match="No case is being heard"):
        await propose(deps, actor(MEMBER), case.reference, ACTION)
