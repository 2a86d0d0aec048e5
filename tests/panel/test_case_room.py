"""The case room's door: who should not be in the room for a case, and the decision to call."""

from __future__ import annotations

import pytest

from cli.demo_data import CHAIR, COORDINATOR, MEMBER, SOO_ONE, SOO_TWO
from panel.case_room import Intruder
from panel.errors import RoomNotClear
from panel.sitting import same_meeting
from panel.usecases import conflicts, live
from panel.usecases.deps import Deps
from tests.conftest import actor
from tests.panel.helpers import listed, new_case, new_sitting

STRANGER = "0f0f0f0f-0000-4000-8000-00000000dead"


async def _three_cases(deps: Deps):  # type: ignore[no-untyped-def]
    first, second, third = [await new_case(deps, soo) for soo in (SOO_ONE, SOO_TWO, SOO_ONE)]
    sitting = await new_sitting(deps)
    for case in (first, second, third):
        sitting = await listed(deps, sitting, case)
    await live.start_sitting(deps, actor(CHAIR), sitting.sitting_id, "case-room-chat")
    return sitting, (first, second, third)


async def _enter(deps: Deps, sitting_id: str, *people: str) -> None:
    sitting = await live.live_sitting(deps)
    assert sitting is not None and sitting.sitting_id == sitting_id
    await live.record_case_room_presence(
        deps, "case-room-meeting", sitting.case_room_chat_id, list(people), []
    )


async def test_who_should_not_be_in_the_room_for_the_case_being_heard(deps: Deps) -> None:
    sitting, (first, second, _) = await _three_cases(deps)
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    await conflicts.declare_conflict(deps, actor(MEMBER), first.reference, None)
    await _enter(deps, sitting.sitting_id, CHAIR.aad_object_id, SOO_ONE.aad_object_id, SOO_TWO.aad_object_id)
    await _enter(deps, sitting.sitting_id, MEMBER.aad_object_id, STRANGER, COORDINATOR.aad_object_id)
    now = await live.live_sitting(deps)
    assert now is not None
    check = await live.case_room_now(deps, now)
    assert {(p.person_id, p.kind) for p in check.problems} == {
        (SOO_TWO.aad_object_id, Intruder.EARLY),
        (MEMBER.aad_object_id, Intruder.CONFLICTED),
        (STRANGER, Intruder.STRANGER),
    }
    assert "3 people in the case room are not entitled to case" in check.in_words()
    assert all(name not in check.in_words() for name in ("Sam", "Jesse", "Ortega"))


async def test_next_waits_for_the_previous_soo_to_leave_unless_the_chair_calls_anyway(deps: Deps) -> None:
    sitting, (first, second, _) = await _three_cases(deps)
    chair = actor(CHAIR)
    await live.next_case(deps, chair, sitting.sitting_id)
    await _enter(deps, sitting.sitting_id, SOO_ONE.aad_object_id)  # the SOO of the case being heard
    held = await live.next_case(deps, chair, sitting.sitting_id)
    assert held.closed is not None and held.closed.case_reference == first.reference
    assert held.opened is None and held.held is not None
    assert [p.kind for p in held.held.problems] == [Intruder.LINGERING]
    with pytest.raises(RoomNotClear, match="previous case's SOO"):
        await live.next_case(deps, chair, sitting.sitting_id)
    called = await live.next_case(deps, chair, sitting.sitting_id, anyway=True)
    assert called.opened is not None and called.opened.case_reference == second.reference


async def test_a_soo_with_a_later_case_still_lingers_after_their_first(deps: Deps) -> None:
    sitting, (first, second, third) = await _three_cases(deps)  # SOO_ONE has the first and the third
    chair = actor(CHAIR)
    await live.next_case(deps, chair, sitting.sitting_id)
    await _enter(deps, sitting.sitting_id, SOO_ONE.aad_object_id)
    held = await live.next_case(deps, chair, sitting.sitting_id)
    assert held.held is not None and [p.kind for p in held.held.problems] == [Intruder.LINGERING]


def test_the_two_rooms_must_be_different_meetings() -> None:
    thread = "19:meeting_ZGVtby1jYXNlLXJvb20@thread.v2"
    link = f"https://teams.microsoft.com/l/meetup-join/{thread.replace(':', '%3a').replace('@', '%40')}/0"
    import base64

    same = base64.b64encode(f"0#{thread}#0".encode()).decode()
    other = base64.b64encode(b"0#19:meeting_b3RoZXItcm9vbQ@thread.v2#0").decode()
    assert same_meeting(link, same)
    assert not same_meeting(link, other)
    assert not same_meeting(link, "not-a-meeting-id")
