"""Notes of the discussion: kept during the case's hearing by whoever records for the panel, read
by the identity guard first, never in the audit trail; on both stores."""

from __future__ import annotations

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, MEMBER, SOO_ONE
from panel.errors import IdentifyingDetail, NotPermitted, ValidationFailed
from panel.ports import AuditQuery
from panel.usecases import live
from panel.usecases.deps import Deps
from panel.usecases.hearing_notes import notes_of_today, record_note
from tests.conftest import actor
from tests.panel.helpers import listed, new_case, new_sitting

NOTE = "Panel concerned at the gap in victim updates; SOO to explain at the next sitting"


async def _hearing(deps: Deps):  # type: ignore[no-untyped-def]
    heard, other = await new_case(deps, SOO_ONE), await new_case(deps, SOO_ONE)
    sitting = await listed(deps, await listed(deps, await new_sitting(deps), heard), other)
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id, "chat")
    await live.next_case(deps, chair, sitting.sitting_id)
    return heard, other


async def test_the_panel_keeps_notes_of_the_case_being_heard(deps: Deps) -> None:
    heard, other = await _hearing(deps)
    await record_note(deps, actor(ADMINISTRATOR), heard.reference, NOTE)
    case = await record_note(deps, actor(CHAIR), heard.reference, "  Chair to   write to PSD  ")
    assert notes_of_today(case, deps) == (NOTE, "Chair to write to PSD")
    async with deps.uow() as uow:
        stored = await uow.cases.get(heard.case_id)
        trail = await uow.audit.search(AuditQuery(subject_ids=(heard.case_id,), limit=50))
    assert [n.text for n in stored.notes] == [NOTE, "Chair to write to PSD"]
    assert not any("victim updates" in e.event.detail for e in trail)
    assert sum(e.event.event == "case.note_recorded" for e in trail) == 2
    with pytest.raises(ValidationFailed, match="not being heard now"):
        await record_note(deps, actor(ADMINISTRATOR), other.reference, NOTE)


async def test_a_note_is_refused_for_an_identity_or_the_wrong_role_and_nothing_is_kept(deps: Deps) -> None:
    heard, _ = await _hearing(deps)
    with pytest.raises(IdentifyingDetail):
        await record_note(
            deps, actor(ADMINISTRATOR), heard.reference, "her sister Kerry Hodgson rang the SOO"
        )
    with pytest.raises(NotPermitted):
        await record_note(deps, actor(MEMBER), heard.reference, NOTE)
    with pytest.raises(ValidationFailed, match="1 to 1000"):
        await record_note(deps, actor(ADMINISTRATOR), heard.reference, "x" * 1001)
    async with deps.uow() as uow:
        assert (await uow.cases.get(heard.case_id)).notes == []
