"""Through the bot: every command and card verb leaves the audit entries the law asks for: what it
collected, altered, consulted, disclosed or erased; reading the trail and being refused it too."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from cards import verbs
from cli.demo import Seeded
from cli.demo_data import MEMBER
from tests.bot.verb_table import MATRIX, PEOPLE
from tests.bot.world import World, running_world, seeded_template
from tests.fake_teams import personal, text_of

C, A, V, D = "collection", "alteration", "consultation", "disclosure"
COMBINATION = "combination"
# What each command and verb processes, category by category, compared exactly: a form opened on a
# case is a consultation; a card or notice naming a case sent to someone is a disclosure (the SOOs'
# own sitting cards included, which every change of the sitting updates); a change is an
# alteration; registering a case or its party names is a collection; linking cases is a combination.
EXPECTED: dict[str, set[str]] = {
    "help": set(),  # nothing about any case
    "register": set(),  # a blank form
    "sitting": set(),  # the chat's own card: progress only, no case
    "sittings": set(),  # dates and counts only
    "agenda": {V},
    "start": {A, D},
    "next": {A, D},
    "extend 5": {A, D},
    "defer": {A, D},
    "end": {A, D},
    "cases": {V},
    "case REF": {V},
    "conflict REF": {A, D},
    "record": {V},
    "audit": {V},
    "report": {V},
    "themes": {V},
    verbs.CASE_REGISTER: {C, V},
    verbs.CASE_NAMES: {C, V},
    verbs.CASE_APPOINT: {A, D, V},
    verbs.CASE_LIST: {A, D},
    verbs.CASE_MORE: {V},
    verbs.CASE_FACTS_OPEN: {V},
    verbs.CASE_FACTS: {A, V},
    verbs.CASE_LINK: {COMBINATION, V},
    verbs.CASE_REOPEN: {A, V},
    verbs.CASE_DECISION: {A, V},
    verbs.CASES_BACK: {V},
    verbs.SITTING_CREATE: {A},
    verbs.AGENDA_UP: {A},
    verbs.AGENDA_REMOVE: {A},
    verbs.AGENDA_CARRY: {A},
    verbs.ACTION_RECORD: {A, V},
    verbs.THEME_RECORD: {A, V},
    verbs.DIRECTION_RECORD: {A, V},
    verbs.CONFERENCE_RECORD: {A, V},
    verbs.ATTENDANCE_RECORD: {A, V},
    verbs.NOTE_RECORD: {A, V},
    verbs.LEARNING_RECORD: {A, V},
    verbs.LEARNING_DONE: {A, V},
    verbs.CASE_OPEN: {V},
    verbs.CASE_UPDATE: {A, V},
    verbs.ACTION_DONE: {A, V},
    verbs.CLOSURE_REQUEST: {A, D, V},
    verbs.CLOSURE_APPROVE: {A, D},
    verbs.CLOSURE_RETURN: {A, D},
    verbs.REMINDER_SNOOZE: {A},
    verbs.CONFLICT_DECLARE: {A, D},
    "conflict.declare for someone else": {A, D, V},
    verbs.CONFLICT_WITHDRAW: {A, V},
    verbs.RETENTION_HOLD: {A, V},
    verbs.RETENTION_RELEASE: {A, V},
    verbs.AUDIT_SEARCH: {V},
    verbs.AUDIT_EXPORT: {V, D},
    verbs.AUDIT_VERIFY: {V},
    "assurance": {V},
    "find": set(),  # a blank form
    "propose": {V},  # the case being heard, named on the form
    verbs.PROPOSAL_MAKE: {A, V},
    f"{verbs.PROPOSAL_MAKE} (a theme)": {A, V},
    verbs.PROPOSAL_DECIDE: {A, V},
    verbs.FORCE_REF_FIND: {V},  # the search itself, even when it finds nothing
    verbs.ASSURANCE_OPEN: {V},
    verbs.AUDIT_CASE_OPEN: {V},
    # The chair audits: nobody else is told (a chair is never told of their own referral).
    verbs.AUDIT_CASE_RECORD: {A, V},
    # The deputy audits and refers to the chair: the chair's notice is a disclosure.
    f"{verbs.AUDIT_CASE_RECORD} (the force names the deputy)": {A, D, V},
    verbs.GAPS_SHOW: {V},
    verbs.REVIEW_RECORD: {A, V},
    verbs.REVIEW_SAMPLE: {V},  # the list of cases to audit it answers on
    verbs.FEEDBACK_ANSWER: {A},  # that an answer came; never what it said
    verbs.GAPS_EXPORT: {V, D},
    verbs.REPORT_SHOW: {V},
    verbs.REPORT_EXPORT: {V, D},
    verbs.REPORT_CASE_FACTS: {V, D},
    verbs.NEXT: {A, D, V},
    verbs.NEXT_ANYWAY: {A, D, V},
    verbs.EXTEND: {A, D, V},
    verbs.DEFER: {A, D, V},
    verbs.END: {A, D, V},
    verbs.REFRESH_CONTROL: {V},
    verbs.CASE_REFRESH: {V},
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


def trail(world: World) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(world.db) as conn:
        rows = conn.execute(
            "SELECT category, event, actor_id, roles FROM audit "
            "WHERE chain_seq IS NOT NULL ORDER BY chain_seq"
        ).fetchall()
    return [tuple(r) for r in rows]


def test_every_command_and_verb_has_its_expected_categories() -> None:
    assert set(EXPECTED) == set(MATRIX)


@pytest.mark.parametrize("name", sorted(EXPECTED))
async def test_each_verb_leaves_the_entries_its_processing_calls_for(
    name: str, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    row = MATRIX[name]
    role = sorted(row.allowed)[0]
    async with running_world(*template, tmp_path, row.config) as world:
        for person in PEOPLE.values():
            if person is not None:
                await world.teams.say(person, personal(person), "help")  # so notices can be delivered
        for step in row.setup:
            await step(world)
        before = len(trail(world))
        await row.request(world, PEOPLE[role])
        written = trail(world)[before:]
    categories = {category for category, _, _, _ in written}
    assert categories == EXPECTED[name], (name, written)
    person = PEOPLE[role]
    if written:
        assert any(actor == person.aad_object_id for _, _, actor, _ in written if person is not None)


async def test_asking_for_the_audit_without_the_role_is_refused_and_recorded(
    template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    async with running_world(*template, tmp_path) as world:
        answer = text_of(await world.teams.say(MEMBER, personal(MEMBER), "audit"))
        assert "Only information security" in answer
        pressed = text_of(await world.teams.press(MEMBER, personal(MEMBER), verbs.AUDIT_EXPORT, {}))
        assert "Only information security" in pressed and "exports/" not in pressed
        refused = [r for r in trail(world) if r[1].endswith(".refused")]
        assert len(refused) == 2 and all(actor == MEMBER.aad_object_id for _, _, actor, _ in refused)


# The free text each of these verbs carries in tests/bot/verb_table.py: kept on the record it
# belongs to, never in the trail.
TYPED = {
    verbs.ACTION_RECORD: "Review the decision",
    verbs.DIRECTION_RECORD: "Offer an IDVA",
    verbs.CASE_REOPEN: "A new allegation",
    verbs.CLOSURE_RETURN: "One more update first",
    verbs.RETENTION_HOLD: "A complaint is under review",
    verbs.LEARNING_RECORD: "Brief supervisors on colleague victims",
    verbs.CASE_UPDATE: "Victim updated",
    verbs.NOTE_RECORD: "Discussed the delay in updates",
    verbs.PROPOSAL_MAKE: "Offer an IDVA again",
}


@pytest.mark.parametrize("name", sorted(TYPED))
async def test_text_typed_into_a_form_is_kept_on_its_record_and_never_in_the_trail(
    name: str, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    row = MATRIX[name]
    role = sorted(row.allowed)[0]
    async with running_world(*template, tmp_path, row.config) as world:
        for step in row.setup:
            await step(world)
        await row.request(world, PEOPLE[role])
        with sqlite3.connect(world.db) as conn:
            audit = " ".join(str(v) for r in conn.execute("SELECT * FROM audit").fetchall() for v in r)
    stored = world.db.read_bytes().decode("latin-1") + (
        world.db.with_name(world.db.name + "-wal").read_bytes().decode("latin-1")
        if world.db.with_name(world.db.name + "-wal").exists()
        else ""
    )
    assert TYPED[name] in stored, "the text was not written at all: this test could not fail"
    assert TYPED[name] not in audit
