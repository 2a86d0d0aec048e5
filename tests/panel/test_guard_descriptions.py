"""The identity guard against how people who work together single someone out, and against text
dressed to slip past it, measured on corpora written blind (by people who never saw the rules):

- identifying_descriptions_blind.tsv (220 lines): a post tied to a place, team or shift; a
  description marked as unique; a relative by their business; nicknames and lone names in context;
  e-mail and handles written out;
- identifying_disguised_blind.tsv (120 lines): names, phone numbers, postcodes and e-mail addresses
  hidden with zero-width characters, right-to-left overrides, look-alike letters of other scripts,
  mathematical and full-width letters, stacked accents, spaced-out letters, digits of other scripts;
- ordinary_posts_places_blind.txt (220 lines) and ordinary_unicode_blind.txt (62 lines): panel talk
  that mentions posts, places, teams and shifts, and harmless Unicode people paste.

Measured before any rule was written for them, re-measured on 7 December 2026 on the last commit
before those rules (194090d), and after (README, "What the identity guard recognises"): descriptions
24.1% -> 92.3% (nicknames 22/44 -> 37/44; after: posts and places 39/44, unique 42/44, relative by
business 43/44, written out 42/44); disguises 43.3% -> 100%; false refusals 5/220 -> 1/220 and
1/62 -> 0/62. (Figures first recorded here, 18.6%, 20.0% and 4/220, could not be reproduced.)
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from panel.identity_guard import IdentityGuard

CORPUS = Path(__file__).parent / "guard_corpus"
GUARD = IdentityGuard(b"guard-recall-key-0123456789")
DESCRIPTION_KINDS = {"post_place", "unique", "relation_business"}
# Lines the blind writer called ordinary that the guard refuses on purpose: a crime or case file
# reference is refused wherever it appears (it joins the panel's text to a force record).
DELIBERATE = {"case ref DA/23/114 - outcome NFA, lessons noted"}


def _rows(name: str) -> list[tuple[str, str]]:
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t", 1)) for line in lines if line.strip()]  # type: ignore[misc]


def _lines(name: str) -> list[str]:
    return [line for line in (CORPUS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


DESCRIBED = _rows("identifying_descriptions_blind.tsv")
DISGUISED = _rows("identifying_disguised_blind.tsv")
ORDINARY = _lines("ordinary_posts_places_blind.txt") + _lines("ordinary_unicode_blind.txt")


def test_the_corpora_are_whole() -> None:
    assert len(DESCRIBED) == 220 and len(DISGUISED) == 120 and len(ORDINARY) >= 280


def test_descriptions_that_single_someone_out_are_refused_at_least_90_percent() -> None:
    caught: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for kind, text in DESCRIBED:
        caught[kind][0] += bool(GUARD.scan(text))
        caught[kind][1] += 1
    described = [caught[k] for k in DESCRIPTION_KINDS]
    assert sum(c for c, _ in described) / sum(n for _, n in described) >= 0.90, dict(caught)
    overall = sum(c for c, _ in caught.values()) / sum(n for _, n in caught.values())
    assert overall >= 0.90, dict(caught)


def test_every_disguise_is_read_through() -> None:
    missed = [text for _, text in DISGUISED if not GUARD.scan(text)]
    assert not missed, missed


def test_all_identifying_corpora_together_are_refused_at_least_95_percent() -> None:
    from tests.panel.test_guard_recall import IDENTIFYING

    lines = [text for _, text in DESCRIBED + DISGUISED] + [t for c in IDENTIFYING.values() for _, t in c]
    assert sum(bool(GUARD.scan(t)) for t in lines) / len(lines) >= 0.95


@pytest.mark.parametrize("text", ORDINARY)
def test_talk_about_posts_places_and_pasted_unicode_is_never_refused(text: str) -> None:
    if text in DELIBERATE:
        assert GUARD.scan(text)
        return
    assert GUARD.scan(text) == [], text
