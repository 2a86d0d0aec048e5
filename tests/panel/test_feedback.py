"""Feedback on the panel: who is asked and when, one anonymous answer each, counted by quarter,
and shown only for a whole quarter once five have answered, small numbers hidden; on both stores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cli.demo_data import ADMINISTRATOR, CHAIR, PARTNER, SOO_ONE, SOO_TWO
from panel.errors import NotPermitted, ValidationFailed
from panel.feedback import (
    Answer,
    Clear,
    Fair,
    Respondent,
    feedback_lines,
    last_complete_quarter,
    results,
    tally_keys,
)
from panel.ports import AuditQuery, NoticeKind
from panel.usecases import live
from panel.usecases.deps import Deps
from panel.usecases.feedback import answer, ask_after
from panel.usecases.live import mark_attendance
from tests.conftest import RecordingNotifier, actor
from tests.panel.helpers import listed, new_case, new_sitting

GOOD = Answer(Respondent.SOO, 4, Fair.YES, Clear.PARTLY)


async def _sitting_heard(deps: Deps):  # type: ignore[no-untyped-def]
    first, second = await new_case(deps, SOO_ONE), await new_case(deps, SOO_TWO)
    sitting = await listed(deps, await listed(deps, await new_sitting(deps), first), second)
    chair = actor(CHAIR)
    await live.start_sitting(deps, chair, sitting.sitting_id, "chat")
    await live.next_case(deps, chair, sitting.sitting_id)
    return sitting


async def test_the_soo_is_asked_after_their_slot_and_partners_after_the_sitting(
    deps: Deps, notifier: RecordingNotifier
) -> None:
    sitting = await _sitting_heard(deps)
    await mark_attendance(deps, actor(ADMINISTRATOR), sitting.sitting_id, [PARTNER.aad_object_id])
    notifier.sent.clear()
    moved = await live.next_case(deps, actor(CHAIR), sitting.sitting_id)  # the first case's slot is over
    assert moved.closed is not None
    await ask_after(deps, moved.sitting, moved.closed.case_id, ended=False)
    asked = [n for n in notifier.sent if n.kind is NoticeKind.FEEDBACK_ASKED]
    assert [n.recipient_id for n in asked] == [SOO_ONE.aad_object_id]
    notifier.sent.clear()
    ended = await live.end_sitting(deps, actor(CHAIR), sitting.sitting_id)
    assert ended.closed is not None
    await ask_after(deps, ended.sitting, ended.closed.case_id, ended=True)
    asked = {n.recipient_id: n for n in notifier.sent if n.kind is NoticeKind.FEEDBACK_ASKED}
    assert set(asked) == {SOO_TWO.aad_object_id, PARTNER.aad_object_id}
    assert asked[PARTNER.aad_object_id].case_reference == ""  # a partner's card names no case


async def test_an_answer_is_counted_once_and_never_kept_with_who_gave_it(deps: Deps) -> None:
    sitting = await _sitting_heard(deps)
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    await answer(deps, actor(SOO_ONE), sitting.sitting_id, GOOD)
    with pytest.raises(ValidationFailed, match="already given feedback"):
        await answer(deps, actor(SOO_ONE), sitting.sitting_id, GOOD)
    with pytest.raises(NotPermitted):  # the second case is still being heard: not asked yet
        await answer(deps, actor(SOO_TWO), sitting.sitting_id, GOOD)
    with pytest.raises(NotPermitted):  # did not attend
        await answer(
            deps, actor(PARTNER), sitting.sitting_id, Answer(Respondent.PARTNER, 3, Fair.NO, Clear.NO)
        )
    async with deps.uow() as uow:
        stored = await uow.sittings.get(sitting.sitting_id)
        trail = await uow.audit.search(AuditQuery(subject_ids=(sitting.sitting_id,), limit=100))
    quarter = f"{deps.today().year}Q{(deps.today().month - 1) // 3 + 1}"
    assert stored.feedback == {k: 1 for k in tally_keys(GOOD, deps.today())}
    assert all(quarter in k for k in stored.feedback)
    assert SOO_ONE.aad_object_id not in " ".join([*stored.feedback, *stored.feedback_from])
    answered = [e for e in trail if e.event.event == "feedback.answered"]
    assert len(answered) == 1 and answered[0].event.detail == "soo"  # that it came, never what it said


async def test_feedback_is_taken_for_two_weeks(deps: Deps) -> None:
    sitting = await _sitting_heard(deps)
    await live.next_case(deps, actor(CHAIR), sitting.sitting_id)
    deps.clock.advance(timedelta(days=15))  # type: ignore[attr-defined]
    with pytest.raises(ValidationFailed, match="two weeks"):
        await answer(deps, actor(SOO_ONE), sitting.sitting_id, GOOD)


def test_results_are_by_quarter_and_shown_once_five_have_answered() -> None:
    on = date(2026, 8, 3)
    four = {}
    for given in [GOOD] * 3 + [Answer(Respondent.SOO, 2, Fair.NO, Clear.YES)]:
        for key in tally_keys(given, on):
            four[key] = four.get(key, 0) + 1
    (soos, partners) = results([four], "2026Q3")
    assert soos.answered == 4 and not soos.shown and partners.answered == 0
    assert feedback_lines((soos,), 5) == (("SOOs", "fewer than 5 answered: not shown"),)
    fifth = {k: 1 for k in tally_keys(GOOD, on)}
    later = {k: 1 for k in tally_keys(GOOD, date(2026, 10, 2))}  # another quarter: not counted in Q3
    (soos, _) = results([four, fifth, later], "2026Q3")
    assert soos.answered == 5 and soos.shown and soos.useful_average == pytest.approx(3.6)
    lines = dict(feedback_lines((soos,), 5))
    assert lines["SOOs: answered"] == "5" and lines["SOOs: how useful (1 to 5)"] == "3.6 on average"
    assert "<5" in lines["SOOs: fair"] and "No 1" not in lines["SOOs: fair"]  # small numbers hidden
    assert last_complete_quarter(date(2026, 12, 7)) == ("2026Q3", date(2026, 7, 1), date(2026, 9, 30))
