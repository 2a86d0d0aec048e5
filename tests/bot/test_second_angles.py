"""Promises that rested on a single test, each from a second angle, through the real app and store:
a member with a declared conflict cannot open that case by card outside a sitting any more than
by command; a SOO's view of the sitting card shows nobody else's cases; and a reminder that falls
due in quiet hours is held on the store and goes at the first allowed hour."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cards import verbs
from cli.demo_data import CHAIR, MEMBER, SOO_ONE, SOO_TWO
from panel.clock import to_london
from panel.usecases import live, reminders
from tests.bot.world import running_world
from tests.fake_teams import CASE_ROOM, personal, text_of


async def test_a_conflicted_member_cannot_open_the_case_by_card_outside_a_sitting(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        reference = world.seeded.references[0]
        await world.teams.say(MEMBER, personal(MEMBER), f"conflict {reference}")
        before = len(world.teams.connector.sent)
        answer = await world.teams.press(MEMBER, personal(MEMBER), verbs.CASE_OPEN, {"case": reference})
        shown = text_of(answer) + text_of(world.teams.connector.sent[before:])
        assert "Referred by" not in shown and "Risk" not in shown  # none of the case's details
        async with world.deps.uow() as uow:
            opened = [
                e
                for e in await uow.audit.for_subject((await uow.cases.by_reference(reference)).case_id)
                if e.event == "case.opened" and e.actor_id == MEMBER.aad_object_id
            ]
        assert opened == []


async def test_a_soos_view_of_the_sitting_card_shows_their_own_cases_only(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        await world.teams.say(SOO_TWO, personal(SOO_TWO), "help")
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        sitting = await live.live_sitting(world.deps)
        assert sitting is not None
        by_soo: dict[str, list[str]] = {}
        async with world.deps.uow() as uow:
            for reference in world.seeded.references:
                case = await uow.cases.by_reference(reference)
                by_soo.setdefault(case.soo_id or "", []).append(reference)
        answer = await world.teams.press(
            SOO_TWO, CASE_ROOM, verbs.REFRESH_CONTROL, {"sitting": sitting.sitting_id}, trigger="automatic"
        )
        view = text_of(answer)
        assert by_soo[SOO_TWO.aad_object_id] and by_soo[SOO_ONE.aad_object_id]
        assert "Panel sitting" in view
        assert all(ref not in view for ref in by_soo[SOO_ONE.aad_object_id])  # another SOO's cases


async def test_a_reminder_due_in_quiet_hours_is_held_on_the_store_and_goes_at_the_first_allowed_hour(
    tmp_path: Path,
) -> None:
    async with running_world(None, None, tmp_path / "probe") as probe:
        day = None
        for offset in range(1, 40):  # the first weekday morning something falls due
            probe.clock.advance(timedelta(days=1))
            if to_london(probe.clock.now()).weekday() < 4 and await reminders.due_now(probe.deps):
                day = offset
                break
        assert day is not None, "no reminder fell due on a Monday to Thursday in forty days"
    async with running_world(None, None, tmp_path / "held") as world:
        # The same store, first looked at late that evening: nothing goes out in quiet hours...
        world.clock.set(world.clock.now().replace(hour=22, minute=30) + timedelta(days=day))
        assert await reminders.due_now(world.deps) == []
        # ...and hour by hour after, the first round with work is outside them, the next morning.
        for _ in range(24):
            world.clock.advance(timedelta(hours=1))
            if due := await reminders.due_now(world.deps):
                break
        assert due, "the reminder held overnight never came back"
        local = to_london(world.clock.now())
        assert local.weekday() < 5 and 7 <= local.hour < 20, local
