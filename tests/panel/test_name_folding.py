"""Registered names are folded the way people type them: letters that accents alone do not explain
(ł, ø, đ, æ, œ, þ) are read as the plain letters people write for them, and characters that show
nothing (zero-width spaces and joiners, soft hyphens, bidirectional controls) are not there. The
same folding is applied when a name is registered and when text is read."""

from __future__ import annotations

import pytest

from panel.identity_guard import REGISTERED_NAME, IdentityGuard, hashes_for_party_name, name_hash
from panel.readable import fold_letters, without_hidden

KEY = b"k" * 32
NAMES = ("Łukasz Kowalczyk", "Søren Ødegaard", "Đurđa Æbelø")


def guard_for(*names: str) -> IdentityGuard:
    hashes: set[str] = set()
    for name in names:
        hashes |= hashes_for_party_name(KEY, name)
    return IdentityGuard(KEY, hashes)


def registered(guard: IdentityGuard, text: str) -> bool:
    return any(f.kind == REGISTERED_NAME for f in guard.scan(text))


@pytest.mark.parametrize(
    "text",
    [
        "lukasz rang on Tuesday",
        "Lukasz rang on Tuesday",
        "LUKASZ rang",
        "Łukasz rang",
        "soren said it was fine",
        "odegaard was there",
        "Odegaard's account",
        "durda came round",
        "aebelo came round",
        "kowal\u200bczyk rang",  # a zero-width space inside the surname
        "kowal\u00adczyk rang",  # a soft hyphen
        "Kowal\u200dczyk rang",  # a zero-width joiner
        "Kowal\u2060czyk rang",  # a word joiner
        "\u202aKowalczyk\u202c rang",  # inside bidirectional embedding controls
    ],
)
def test_a_registered_name_is_caught_however_its_letters_are_typed(text: str) -> None:
    assert registered(guard_for(*NAMES), text), text


def test_registration_and_reading_fold_alike() -> None:
    for name in NAMES:
        assert fold_letters(name).isascii()
    assert fold_letters("Łukasz Ødegaard Æbelø Œil Þór") == "lukasz odegaard aebelo oeil thor"
    assert without_hidden("Kow\u200bal\u00adczyk\u202e") == "Kowalczyk"
    assert hashes_for_party_name(KEY, "Łukasz Kowalczyk") == hashes_for_party_name(KEY, "Lukasz Kowalczyk")


def test_a_name_registered_before_the_folding_changed_is_still_caught_as_written() -> None:
    # Version 0.1.0 hashed "Łukasz" with its ł kept; such hashes stay in the store.
    old = IdentityGuard(KEY, {name_hash(KEY, "łukasz kowalczyk"), name_hash(KEY, "łukasz")})
    assert registered(old, "Łukasz rang")
    assert registered(old, "Łukasz Kowalczyk rang")
    # Typed without the ł it was not caught then; registering the name again (README) mends that.
    assert not registered(old, "lukasz rang")
    again = IdentityGuard(KEY, {name_hash(KEY, "łukasz"), *hashes_for_party_name(KEY, "Łukasz Kowalczyk")})
    assert registered(again, "lukasz rang") and registered(again, "Łukasz rang")


def test_ordinary_text_with_such_letters_is_not_a_registered_name() -> None:
    guard = guard_for(*NAMES)
    assert not registered(guard, "The smørrebrød at the Ålesund training day was good")
    assert not registered(guard, "Review the case on Tuesday")


@pytest.mark.parametrize(
    "text",
    [
        "\u202eok\nKerry Hodgson rang",  # an override ends at the line's end, as shown
        "\u2067\u202enosgdoH yrreK\u2069 rang",  # ...and at the end of an isolate around it
        "the M\u1d00rlowe file",  # a small capital
        "Hodg\ufff9son rang",  # an interlinear annotation mark, a format character
        "Hodg\u0600son rang",  # an Arabic number sign, another
    ],
)
def test_a_registered_name_is_read_as_shown_however_it_is_dressed(text: str) -> None:
    key = b"dressed-name-test-key-0123456789"
    registered = hashes_for_party_name(key, "Kerry Hodgson") | hashes_for_party_name(key, "Casey Marlowe")
    assert any(f.kind == "registered_name" for f in IdentityGuard(key, registered).scan(text))
