"""Refused text is neither stored nor repeated, form by form: a name typed into any free-text field
of any card is refused by the identity guard before anything else is checked (a past date beside
it does not get answered first), it is not sent back on the card, and nothing changes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from cards import verbs
from cli.demo import Seeded
from tests.bot.verb_table import MATRIX, PEOPLE, VALID_DATA
from tests.bot.world import running_world, seeded_template
from tests.fake_teams import personal, text_of

GOLDEN = Path(__file__).resolve().parent.parent / "cards" / "golden"
NAME = "Kerry Hodgson rang about it"
# The same, dressed to slip past: a zero-width joiner inside a registered party's surname (the demo
# registers Casey Marlowe), Cyrillic look-alike letters, mathematical bold letters.
DISGUISED = (NAME, "Casey Marl\u200dowe rang about it", "Кerry Hоdgson rang about it", "𝐊𝐞𝐫𝐫𝐲 𝐇𝐨𝐝𝐠𝐬𝐨𝐧 rang")


def test_every_free_text_input_on_a_card_is_known_to_the_guard() -> None:
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Input.Text" and node.get("style") != "password":
                found.add(str(node["id"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for golden in GOLDEN.glob("*.json"):
        walk(json.loads(golden.read_text(encoding="utf-8")))
    assert found, "the goldens must have been read"
    known = set().union(*verbs.FREE_TEXT.values())
    assert found <= known, found - known


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    directory = tmp_path_factory.mktemp("seeded")
    return directory, asyncio.run(seeded_template(directory))


FIELDS = [(verb, field) for verb, fields in sorted(verbs.FREE_TEXT.items()) for field in sorted(fields)]


@pytest.mark.parametrize("typed", DISGUISED, ids=["plain", "joiner", "cyrillic", "bold"])
@pytest.mark.parametrize(("verb", "field"), FIELDS)
async def test_a_name_in_any_field_is_refused_first_and_never_sent_back(
    verb: str, field: str, typed: str, template: tuple[Path, Seeded], tmp_path: Path
) -> None:
    row = MATRIX[verb]
    person = PEOPLE[sorted(row.allowed)[0]]
    directory, seeded = template
    async with running_world(directory, seeded, tmp_path, row.config) as world:
        for step in row.setup:
            await step(world)
        data = {**VALID_DATA[verb](world), field: typed}
        # Something else wrong too, where the form has a date: the guard still answers first.
        for date_field in ("due", "date", "held_on"):
            if date_field in data:
                data[date_field] = "2001-01-01"
        before = await world.state()
        assert person is not None
        sent_before = len(world.teams.connector.sent)
        answer = text_of(await world.teams.press(person, personal(person), verb, data))
        answer += text_of(world.teams.connector.sent[sent_before:])
        assert "a person's name" in answer, answer[:400]
        assert not any(word in answer for word in typed.split()[:2])  # not even disguised
        assert "in the past" not in answer
        assert await world.state() == before


def test_no_input_the_client_checks_refuses_silently() -> None:
    """An input the client itself checks (required, a date's max) must say why it refused: without
    an error message Teams does nothing when the button is pressed, and the person is left guessing."""
    silent: list[str] = []

    def walk(node: object, card: str) -> None:
        if isinstance(node, dict):
            checked = node.get("isRequired") or any(k in node for k in ("max", "min", "regex"))
            if str(node.get("type", "")).startswith("Input.") and checked and not node.get("errorMessage"):
                silent.append(f"{card}: {node.get('id')}")
            for value in node.values():
                walk(value, card)
        elif isinstance(node, list):
            for item in node:
                walk(item, card)

    for golden in sorted(GOLDEN.glob("*.json")):
        walk(json.loads(golden.read_text(encoding="utf-8")), golden.stem)
    assert not silent, silent
