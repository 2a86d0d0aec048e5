"""Whether a word is refused must not tell anyone whether it is a registered party's name.

The oracle is a pair: the same sentence with a registered surname and with one nobody registered
gets the same answer, across the sentence shapes people type about a person ("X rang", "X is off
sick", "spoke to X"…). A registered name is still refused everywhere; a word in a person's place is
now refused whatever the word, so the two answers agree. Talk in the same shapes about things,
teams and roles ("Control rang", "Nobody said") still passes. All names here are made up."""

from __future__ import annotations

import pytest

from panel.errors import describe_findings
from panel.identity_guard import IdentityGuard, hashes_for_party_name

KEY = b"k" * 32
REGISTERED = ("Taylor Quennell", "Avery Stanbridge", "Jordan Blackwood")
# (registered word, a made-up or real word nobody registered, written the same way)
PAIRS = (
    ("Quennell", "Penhaligon"),
    ("Stanbridge", "Thrandlewick"),
    ("jordan", "kerry"),
    ("Quennell", "Hodgson"),
)
SHAPES = (
    "{} rang",
    "{} is off sick",
    "{} said it was fine",
    "{} came round again last night",
    "{} told the SOO she wanted to withdraw",
    "Spoke to {} this morning",
    "{} was there when it happened",
    "{} has been moved to another team",
    "I think {} called the control room",
    "according to {} it stopped in May",
    "{}'s account was ignored",
    "{} wants to withdraw the complaint",
    "ask {} about the bail conditions",
    "apparently {} came to her house again",
)
ORDINARY = (
    "Control rang",
    "Nobody said it was fine",
    "Someone came round again last night",
    "Custody is off sick? no, short-staffed",
    "Everyone was there when it happened",
    "Management wants to withdraw the complaint",
    "Spoke to the victim this morning",
    "ask the IDVA about the bail conditions",
    "according to the report it stopped in May",
    "PSD rang",
    "HR said it was fine",
    "The SOO rang",
    "She said it was fine",
    "Legal said it was fine",
    "The sergeant rang",
    "Niche was down all morning",
    "Portsmouth said the custody suite reopens in March",
    "The report's findings were accepted",
    "Control's log shows the call",
)


@pytest.fixture(scope="module")
def guard() -> IdentityGuard:
    hashes: set[str] = set()
    for name in REGISTERED:
        hashes |= hashes_for_party_name(KEY, name)
    return IdentityGuard(KEY, hashes)


def answer(guard: IdentityGuard, text: str) -> str:
    found = guard.scan(text)
    return describe_findings(found) if found else "passed"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("registered", "unregistered"), PAIRS)
def test_the_same_sentence_gets_the_same_answer_whether_or_not_the_name_is_registered(
    guard: IdentityGuard, shape: str, registered: str, unregistered: str
) -> None:
    with_registered = answer(guard, shape.format(registered))
    with_unregistered = answer(guard, shape.format(unregistered))
    assert with_registered == with_unregistered == "a person's name", (with_registered, with_unregistered)


@pytest.mark.parametrize("text", ORDINARY)
def test_the_same_shapes_about_things_and_roles_pass(guard: IdentityGuard, text: str) -> None:
    assert answer(guard, text) == "passed"
