"""The identity guard: what it must catch, what ordinary panel language it must let through."""

from __future__ import annotations

import pytest

from cli.demo_data import ALL_PARTY_NAMES
from panel.errors import IdentifyingDetail
from panel.identity_guard import (
    CASE_FILE_REFERENCE,
    DATE_OF_BIRTH,
    EMAIL,
    NI_NUMBER,
    PHONE,
    POSTCODE,
    REGISTERED_NAME,
    STAFF_NUMBER,
    IdentityGuard,
    hashes_for_party_name,
)

KEY = b"guard-test-key-0123456789"


def guard_with_demo_names() -> IdentityGuard:
    hashes: set[str] = set()
    for name in ALL_PARTY_NAMES:
        hashes |= hashes_for_party_name(KEY, name)
    return IdentityGuard(KEY, hashes)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Contact her on 07700 900123 after six", PHONE),
        ("ring +44 (0)161 496 0000", PHONE),
        ("mobile 07700-900-123", PHONE),
        ("office 020 7946 0018", PHONE),
        ("lives at SW1A 1AA now", POSTCODE),
        ("moved to m1 1ae", POSTCODE),
        ("NI number JT 12 34 56 B", NI_NUMBER),
        ("ni ab123456c", NI_NUMBER),
        ("DOB 04/07/1985", DATE_OF_BIRTH),
        ("date of birth: 3 March 1979", DATE_OF_BIRTH),
        ("born on 2001-02-03", DATE_OF_BIRTH),
        ("the 14/02/1990 incident", DATE_OF_BIRTH),
        ("PC 1234 attended", STAFF_NUMBER),
        ("DC4567 took the statement", STAFF_NUMBER),
        ("collar number 5678", STAFF_NUMBER),
        ("payroll no. 123456", STAFF_NUMBER),
        ("warrant 98765", STAFF_NUMBER),
        ("crime ref 12/34567/26", CASE_FILE_REFERENCE),
        ("PSD/2026/0123 opened", CASE_FILE_REFERENCE),
        ("CRI 1234567", CASE_FILE_REFERENCE),
        ("IOPC 2026/012345", CASE_FILE_REFERENCE),
        ("email jo.b@example.org", EMAIL),
        ("Jordan said the car was taken", REGISTERED_NAME),
        ("BLACKWOOD was interviewed", REGISTERED_NAME),
        ("interview Casey Marlowe again", REGISTERED_NAME),
        ("emery gallowglass's manager was copied in", REGISTERED_NAME),
    ],
)
def test_finds_identifying_detail(text: str, kind: str) -> None:
    found = guard_with_demo_names().scan(text)
    assert [f.kind for f in found] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "victim updates were late",
        "PSD to review the suspension decision by Friday",
        "Due 12/03/2026, SOO to update the victim within 7 days",
        "K7F-2QM returns next month; compare with K7F-2QM's last hearing",
        "Review at 14:30 on 25 Nov 2026",
        "risk reviewed: 3 of 5 DASH questions, high",
        "Themes: over-empathy with a police victim; voluntary interview instead of arrest",
        "Investigator changed 2 times since 2025",
        "Interview within 28 days; IDVA to be offered",
        "HR to consider restricted duties; line manager not to be copied",
        "Case conference recommended: counter-allegation",
        "Meeting at 10:00 for 2 hours, 15 min per new case",
        "PC to be re-interviewed by a detective inspector",
        "Safeguarding review with MASH by 1 December 2026",
    ],
)
def test_lets_ordinary_panel_language_through(text: str) -> None:
    assert guard_with_demo_names().scan(text) == []


def test_reports_position_but_never_the_text() -> None:
    text = "call 07700 900123 today"
    (finding,) = guard_with_demo_names().scan(text)
    assert (finding.start, finding.end) == (5, 17)
    assert "07700" not in repr(finding)


def test_check_raises_with_kinds_only_and_a_user_facing_message() -> None:
    with pytest.raises(IdentifyingDetail) as caught:
        guard_with_demo_names().check("Jordan lives at SW1A 1AA, 07700 900123")
    message = caught.value.message
    assert "a phone number" in message and "a postcode" in message and "a person's name" in message
    assert "Jordan" not in message and "SW1A" not in message and "07700" not in message


def test_a_name_is_only_caught_with_the_key_it_was_hashed_with() -> None:
    other_key = IdentityGuard(b"another-key-0123456789", hashes_for_party_name(KEY, "Jordan Blackwood"))
    assert REGISTERED_NAME not in {f.kind for f in other_key.scan("Jordan Blackwood")}


def test_stored_hashes_do_not_contain_the_name() -> None:
    hashes = hashes_for_party_name(KEY, "Jordan Blackwood")
    assert len(hashes) == 3  # whole name, given name, surname
    assert all("jordan" not in h and "blackwood" not in h for h in hashes)


@pytest.mark.parametrize("written", ["ZOE OHARA", "zoe o'hara came in", "O’Hara’s car", "Zoë alone"])
def test_accents_case_and_apostrophes_do_not_hide_a_registered_name(written: str) -> None:
    guard = IdentityGuard(KEY, hashes_for_party_name(KEY, "Zoë O'Hara"))
    assert {f.kind for f in guard.scan(written)} == {REGISTERED_NAME}


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValueError):
        IdentityGuard(b"short")


def test_every_kind_the_guard_reports_has_words_for_the_user() -> None:
    from panel import identity_guard
    from panel.errors import DETAIL_KINDS

    public = {k: v for k, v in vars(identity_guard).items() if k.isupper() and not k.startswith("_")}
    codes = {v for k, v in public.items() if isinstance(v, str) and k != "ALPHABET"}
    assert codes == set(DETAIL_KINDS)
