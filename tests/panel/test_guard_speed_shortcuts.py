"""The guard's shortcuts change its speed, never its answers: a pattern skipped on text without a
digit, or without any of the strings it needs, is one that cannot match such text, and registered
names are found however they are split."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from panel import identity_guard
from panel.guard_patterns import NEEDED, NEEDS_A_DIGIT, PATTERNS
from panel.guard_prefilter import may_match, needed_strings, needs_a_digit
from panel.identity_guard import IdentityGuard, hashes_for_party_name
from panel.readable import as_read

CORPORA = (Path(__file__).parent / "guard_corpus", Path(__file__).parent / "guard_corpus_dec7")
KEY = b"shortcut-test-key-0123456789"


def _lines() -> list[str]:
    """Every text in the corpora (a labelled line's text is its last field)."""
    return [
        line.split("\t")[-1]
        for corpus in CORPORA
        for f in sorted(corpus.iterdir())
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


def test_a_pattern_said_to_need_a_string_never_matches_text_without_one() -> None:
    claimed = [n for n, needs in enumerate(NEEDED) if needs is not None and n not in NEEDS_A_DIGIT]
    assert len(claimed) >= 8  # the e-mail and handle patterns, which run on every text, are skipped
    for line in _lines():
        text = as_read(line)
        for n, needs in enumerate(NEEDED):
            if needs is not None and PATTERNS[n][1].search(text):
                assert text.isascii() is False or may_match(needs, text.lower()), (n, line)


def test_the_shortcuts_change_no_answer_on_any_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    guard = IdentityGuard(KEY, hashes_for_party_name(KEY, "Kerry Hodgson"))
    lines = _lines()
    assert len(lines) > 1500
    quick = [guard.scan(line) for line in lines]
    monkeypatch.setattr(identity_guard, "NEEDED", (None,) * len(PATTERNS))
    monkeypatch.setattr(identity_guard, "NEEDS_A_DIGIT", frozenset())
    assert [guard.scan(line) for line in lines] == quick


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        (r"\w+@\w+", {"@"}),
        (r"[A-Za-z]{1,9}\s?dot\s?com", {"dot"}),
        (r"x (?:gmail|hotmail)\.com", {"gmail", "hotmail"}),  # the rarer of ".com" and the names
        (r"(?:@|\(at\))\w", {"@", "(at)"}),  # each alternative needs something: either will do
        (r"[:=]\s?\w", {":", "="}),
        (r"ab?c", None),  # an optional letter breaks the run: "ac" matches, and holds no "abc"
        (r"(?:abc|)d", None),  # an alternative that needs nothing makes no claim
        (r"(?=username)\w+", None),  # a look-ahead is not read: no claim
        (r"[a-z]{3}", None),
        (r"\bx\b", None),  # one letter is everywhere: not worth checking
        (r"(?:handle){1,2}", {"handle"}),
        (r"(?:handle){0,2}x", None),
        ("İstanbul", None),  # a non-ASCII letter: its case rule is not lower()'s, so no claim
    ],
)
def test_what_a_pattern_needs_is_read_conservatively(pattern: str, needs: set[str] | None) -> None:
    assert needed_strings(re.compile(pattern, re.IGNORECASE)) == (None if needs is None else frozenset(needs))


def test_a_registered_name_is_found_by_the_guard_s_own_hashing_as_stored() -> None:
    registered = hashes_for_party_name(KEY, "Zebedee Quoxley")
    guard = IdentityGuard(KEY, registered)
    # Twice in one text: the second sighting comes from the scan's own record of what it hashed.
    found = [
        f for f in guard.scan("zebedee said Quoxley and Zebedee Quoxley again") if f.kind == "registered_name"
    ]
    assert len(found) >= 3
