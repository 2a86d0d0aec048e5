"""The guard's shortcuts change its speed, never its answers: a pattern skipped on text without a
digit is one that cannot match such text, and registered names are found however they are split."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from panel.guard_patterns import NEEDS_A_DIGIT, PATTERNS, needs_a_digit
from panel.identity_guard import IdentityGuard, hashes_for_party_name

CORPUS = Path(__file__).parent / "guard_corpus"
KEY = b"shortcut-test-key-0123456789"


def _lines() -> list[str]:
    return [
        line.split("\t")[0]
        for f in sorted(CORPUS.iterdir())
        for line in f.read_text().splitlines()
        if line.strip()
    ]


def test_a_pattern_said_to_need_a_digit_never_matches_text_without_one() -> None:
    assert len(NEEDS_A_DIGIT) >= len(PATTERNS) // 2  # the shortcut is worth having
    for line in _lines():
        without = re.sub(r"\d", "x", line)
        for n in NEEDS_A_DIGIT:
            assert PATTERNS[n][1].search(without) is None, (n, without)


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\d{2}", True),
        (r"(?:a|\d)\d?", False),
        (r"x(?:\d|[0-9])", True),
        (r"[A-Z0-9]{3}", False),
        (r"(?=\d)\w", False),  # a look-ahead is not read: no claim
        (r"[^\D]", False),  # a negated class is not read either
        (r"(?:\d{0,2})z", False),
    ],
)
def test_what_needs_a_digit_is_read_conservatively(pattern: str, needs: bool) -> None:
    assert needs_a_digit(re.compile(pattern)) is needs


@pytest.mark.parametrize(
    "text",
    [
        "Anne Marie de la Cruz rang",
        "anne marie de la cruz rang",
        "spoke to j k yesterday",
        "the Green file",  # an everyday part, capitalised mid-sentence
        "Lukasz Kowalczyk was seen",
    ],
)
def test_registered_names_of_several_words_are_still_found(text: str) -> None:
    registered: set[str] = set()
    for name in ("Anne Marie de la Cruz", "J K", "Mark Green", "Łukasz Kowalczyk"):
        registered |= hashes_for_party_name(KEY, name)
    assert any(f.kind == "registered_name" for f in IdentityGuard(KEY, registered).scan(text))
