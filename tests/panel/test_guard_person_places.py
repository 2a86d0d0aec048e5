"""Whether a lone surname is refused must not depend on whether it was registered, across the
sentence shapes people type; names pasted surname-first from records are refused; quick chat and
capitalised talk about systems, bodies and places pass.

Measured on corpora written blind on 7 December 2026 by someone who never saw the rules
(guard_corpus_dec7/): 150 sentence templates with a slot where a lone surname stands (a third in
lower case), filled with three registered and three unregistered made-up surnames; 60 names laid
out as records lay them out; 150 lines of quick chat and 80 of capitalised ordinary talk.

    before tuning   pairs answered differently 279/450 (62.0%); unregistered refused 168/450 (37.3%)
                    surname-first 33/60 (55.0%); false refusals 0/150 quick chat, 2/80 capitalised
    after           pairs answered differently  27/450 (6.0%);  unregistered refused 420/450 (93.3%)
                    surname-first 57/60 (95.0%); false refusals 1/150 ("tommorow", two slips of a
                    key), 2/80 ("Crimestoppers", "Phoneline": compounds no list knows)
"""

from __future__ import annotations

from pathlib import Path

from panel.identity_guard import IdentityGuard, hashes_for_party_name

CORPUS = Path(__file__).parent / "guard_corpus_dec7"
KEY = b"person-places-test-key-0123456789"
# Made-up surnames: the first of each pair is registered for a party, the second is not.
PAIRS = (("Quennell", "Penhaligon"), ("Tregowan", "Ashbolt"), ("Vellacott", "Brimmage"))


def _guard() -> IdentityGuard:
    registered: set[str] = set()
    for name, _ in PAIRS:
        registered |= hashes_for_party_name(KEY, f"Sam {name}")
    return IdentityGuard(KEY, registered)


def _lines(name: str) -> list[str]:
    return [line.split("\t")[0] for line in (CORPUS / name).read_text().splitlines() if line.strip()]


def test_a_registered_and_an_unregistered_surname_mostly_get_the_same_answer() -> None:
    guard = _guard()
    differ = unregistered_refused = pairs = 0
    for template in _lines("person_slots_blind.txt"):
        lower = template == template.lower()
        for registered, unregistered in PAIRS:
            fill = (registered.lower(), unregistered.lower()) if lower else (registered, unregistered)
            answers = [bool(guard.scan(template.replace("{X}", word))) for word in fill]
            pairs += 1
            differ += answers[0] != answers[1]
            unregistered_refused += answers[1]
    assert pairs == 450
    assert differ / pairs <= 0.08, differ  # 62% before
    assert unregistered_refused / pairs >= 0.90, unregistered_refused  # 37% before


def test_names_laid_out_as_records_lay_them_out_are_refused() -> None:
    guard = _guard()
    lines = _lines("surname_first_blind.tsv")
    refused = sum(bool(guard.scan(line)) for line in lines)
    assert refused / len(lines) >= 0.93, refused  # 55% before


def test_quick_chat_and_capitalised_talk_pass() -> None:
    guard = _guard()
    quick = [line for line in _lines("ordinary_quick_chat_blind.txt") if guard.scan(line)]
    capitalised = [line for line in _lines("ordinary_capitalised_blind.txt") if guard.scan(line)]
    assert len(quick) <= 1 and len(capitalised) <= 2, (quick, capitalised)


# Found by a review of these rules, each a class: a pronoun after an abbreviation and a comma, a
# thing named after "name:", a named thing after "from", and bodies and systems people chase.
PASSING = (
    "OIC, I think",
    "NFA, I think",
    "RTR, I chased",
    "WhatsApp, I think",
    "Theme name: Communication",
    "Referral from Clare's Law",
    "Update from Soteria",
    "Chase Comms",
    "Uploaded to Sharepoint",
    "Chase Ofsted",
    "Emailed by Capita",
)
REFUSED = ("Trevelyan, R.", "Gallacher, S. (IDVA)", "Name: Kowalczyk", "Kowalczyk, A", "spoke to Penhaligon")


def test_ordinary_lines_a_review_found_refused_now_pass_and_names_beside_them_do_not() -> None:
    guard = _guard()
    assert [line for line in PASSING if guard.scan(line)] == []
    assert [line for line in REFUSED if not guard.scan(line)] == []
