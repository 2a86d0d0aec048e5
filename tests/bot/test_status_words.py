"""Status words as the coordinator reads them: a case being heard says so, and listing a case
from its own card leaves the coordinator on that card."""

from __future__ import annotations

from pathlib import Path

from cards import verbs
from cli.demo_data import CHAIR, COORDINATOR, MEMBER
from panel.roles import Actor
from panel.usecases import conflicts
from tests.bot.world import running_world
from tests.fake_teams import CASE_ROOM, personal, text_of


async def test_the_case_being_heard_is_not_called_listed(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        before = text_of(await world.teams.say(COORDINATOR, personal(COORDINATOR), "cases"))
        await world.teams.say(CHAIR, CASE_ROOM, "start")
        await world.teams.say(CHAIR, CASE_ROOM, "next")
        during = text_of(await world.teams.say(COORDINATOR, personal(COORDINATOR), "cases"))
        assert "Being heard now" not in before
        assert during.count("Being heard now") == 1
        assert during.count("Listed") == before.count("Listed") - 1


async def test_listing_a_case_from_its_card_keeps_the_coordinator_on_that_card(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        unlisted = world.seeded.unlisted
        assert unlisted is not None and world.seeded.next_sitting is not None
        member = Actor(MEMBER.aad_object_id, MEMBER.roles)
        await conflicts.declare_conflict(world.deps, member, unlisted)
        data = {"case": unlisted, "sitting": world.seeded.next_sitting.sitting_id, "kind": "update"}
        answer = text_of(await world.teams.press(COORDINATOR, personal(COORDINATOR), verbs.CASE_LIST, data))
        assert f"Case {unlisted} listed on the sitting of" in answer
        assert MEMBER.display_name in answer  # the conflicts section is still on the card
        assert verbs.CASE_APPOINT in answer  # the case's own card, not the agenda builder


async def test_a_refused_listing_leaves_the_coordinator_on_the_cases_own_card(tmp_path: Path) -> None:
    async with running_world(None, None, tmp_path) as world:
        unlisted = world.seeded.unlisted
        assert unlisted is not None and world.seeded.next_sitting is not None
        member = Actor(MEMBER.aad_object_id, MEMBER.roles)
        await conflicts.declare_conflict(world.deps, member, unlisted)
        sitting = world.seeded.next_sitting.sitting_id
        no_such_kind = {"case": unlisted, "sitting": sitting, "kind": "tea-break"}
        answer = text_of(
            await world.teams.press(COORDINATOR, personal(COORDINATOR), verbs.CASE_LIST, no_such_kind)
        )
        assert "listed on the sitting of" not in answer  # refused, and said why
        assert MEMBER.display_name in answer  # the conflicts section is still there
        assert verbs.CASE_APPOINT in answer  # the case's own card, not the agenda


def test_every_kind_of_notice_has_its_card() -> None:
    from bot.notifier import notice_content
    from panel.ports import Notice, NoticeKind

    for kind in NoticeKind:
        content = notice_content(Notice(kind, "someone", "K7F-2QM", (("Areas", "Risk assessment"),)))
        assert "K7F-2QM" in str(content), kind
