"""The identity guard: decides whether free text may enter chat or storage.

It reports what kind of detail it found and where, never the text itself, so that a caller can
refuse with a clear message without repeating (or logging) what was typed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator
from urllib.parse import unquote

from panel.errors import Finding, IdentifyingDetail
from panel.guard_describe import descriptions, nicknames
from panel.guard_names import NameFinder
from panel.guard_patterns import (
    CASE_FILE_REFERENCE,
    DATE_OF_BIRTH,
    EMAIL,
    NEEDED,
    NEEDS_A_DIGIT,
    NI_NUMBER,
    PATTERNS,
    PHONE,
    POSTCODE,
    SOCIAL_HANDLE,
    STAFF_NUMBER,
    STREET_ADDRESS,
    VEHICLE,
)
from panel.guard_prefilter import may_match
from panel.guard_records import record_names
from panel.guard_tokens import Shape, Token, legacy_parts, tokens
from panel.guard_words import gazetteer
from panel.readable import as_read, fold_letters
from panel.reference import ALPHABET

__all__ = [
    "CASE_FILE_REFERENCE",
    "DATE_OF_BIRTH",
    "EMAIL",
    "NI_NUMBER",
    "PERSON_NAME",
    "PHONE",
    "POSTCODE",
    "REGISTERED_NAME",
    "SOCIAL_HANDLE",
    "STAFF_NUMBER",
    "STREET_ADDRESS",
    "VEHICLE",
    "IdentityGuard",
    "everyday_parts",
    "hashes_for_party_name",
    "name_hash",
    "normalise_name",
]

REGISTERED_NAME = "registered_name"
DESCRIPTION = "description"
PERSON_NAME = "person_name"
# A registered name part that is also an everyday word ("Mark", "Green") is stored under this
# prefix, which no folded text contains: it blocks only where a capital says it is a name.
_CAPITALISED_ONLY = "~"

# Our own references (K7F-2QM) are pseudonyms and may be written freely; mask them so that the
# patterns above never mistake one for a postcode or file reference.
_OWN_REFERENCE = re.compile(rf"\b[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’`][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’`]s\b")
_ANY_DIGIT = re.compile(r"\d")
_APOSTROPHE = re.compile(r"['’`]")
_TEAMS_IDS = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|19:[A-Za-z0-9_\-]{1,200}@thread\.(?:v2|skype|tacv2)"
    r"|(?<=/meet/)\d{6,20}"
)
MAX_NAME_WORDS = 4
MIN_NAME_PART = 2


def normalise_name(text: str) -> str:
    """Fold a name to the form that is hashed: no accents, lower case, letters read as plain Latin
    ones (Łukasz and Lukasz are one name), no hidden characters, no possessive or apostrophe
    (O'Hara, O’Hara and OHara are one name), words split on any other punctuation."""
    folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", fold_letters(text)))
    return " ".join(_WORD.findall(folded))


def name_hash(key: bytes, normalised: str) -> str:
    """Keyed hash of a normalised name: without the key, the stored hash reveals nothing."""
    return hmac.digest(key, normalised.encode("utf-8"), hashlib.sha256).hex()


def hashes_for_party_name(
    key: bytes, full_name: str, *, everyday_parts_alone: bool = False
) -> frozenset[str]:
    """The hashes to store for a party's name: the whole name and each part, so that a surname or
    a first name alone is caught too. A part that is also an everyday word ("Mark", "Green") blocks
    alone only when written with a capital mid-sentence, unless everyday_parts_alone says it should
    block however it is written. The name itself is never kept."""
    words = normalise_name(full_name).split()
    if not words:
        return frozenset()
    ordinary = gazetteer().ordinary
    forms = {" ".join(words)}
    for word in words:
        if len(word) < MIN_NAME_PART:
            continue
        everyday = word in ordinary and not everyday_parts_alone
        forms.add(_CAPITALISED_ONLY + word if everyday else word)
    return frozenset(name_hash(key, form) for form in forms)


def everyday_parts(full_name: str) -> tuple[int, ...]:
    """Which parts of a name (1 for the first) are also everyday words, so the coordinator can be
    told by position, without the name being shown back."""
    ordinary = gazetteer().ordinary
    words = normalise_name(full_name).split()
    return tuple(n for n, word in enumerate(words, 1) if len(word) >= MIN_NAME_PART and word in ordinary)


class IdentityGuard:
    """Finds identifying details in free text: fixed patterns, personal names, and the names
    registered for parties."""

    def __init__(self, key: bytes, registered_name_hashes: Iterable[str] = ()) -> None:
        if len(key) < 16:
            raise ValueError("the identity hash key must be at least 16 bytes")
        self._key = key
        self._names = frozenset(registered_name_hashes)
        # The key's inner and outer states, worked out once: each word's hash starts from a copy.
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self._people = NameFinder()

    def scan(self, text: str) -> list[Finding]:
        """Every identifying detail found, by kind and position in the text as a person reads it
        (panel.readable.as_read: look-alike letters, hidden characters, spaced-out letters and
        digits of any script undone), in order of position."""
        masked = _OWN_REFERENCE.sub(lambda m: "#" * len(m.group()), as_read(text))
        found: dict[tuple[int, int], Finding] = {}
        digits = _ANY_DIGIT.search(masked) is not None
        # Plain ASCII only: in other text, a letter may match a pattern's letter under a case rule
        # that lower() does not follow (the long s matches "s"), so every pattern runs.
        lowered = masked.lower() if masked.isascii() else None
        for n, (kind, pattern) in enumerate(PATTERNS):
            if not digits and n in NEEDS_A_DIGIT:
                continue  # cannot match: most of the fixed patterns, on most panel talk
            needs = NEEDED[n]
            if needs is not None and lowered is not None and not may_match(needs, lowered):
                continue  # cannot match: no "@", no provider's name, no "username"...
            for match in pattern.finditer(masked):
                found.setdefault((match.start(), match.end()), Finding(kind, match.start(), match.end()))
        for start, end in descriptions(masked):
            found.setdefault((start, end), Finding(DESCRIPTION, start, end))
        for start, end in nicknames(masked):
            found.setdefault((start, end), Finding(PERSON_NAME, start, end))
        words = tokens(masked)
        registered = list(self._registered_names(masked, words))
        for start, end in registered:
            found.setdefault((start, end), Finding(REGISTERED_NAME, start, end))
        people = [*self._people.find(masked, words), *record_names(masked, words, gazetteer())]
        for start, end in people:
            # A registered name is reported as one; saying "a person's name" too adds nothing.
            if not any(start < r_end and r_start < end for r_start, r_end in registered):
                found.setdefault((start, end), Finding(PERSON_NAME, start, end))
        return _merge_overlaps(sorted(found.values(), key=lambda f: (f.start, f.end)))

    def check_link(self, url: str) -> str:
        """Check a Teams link: read with its escapes undone, and with the ids Teams puts in every
        link (thread ids, tenant and user GUIDs) set aside, so only what a person could have typed
        into it is judged."""
        readable = _TEAMS_IDS.sub("#", unquote(url))
        if self.scan(readable):
            self.check(readable)
        return url

    def check(self, text: str) -> str:
        """Return the text if it is clean; raise IdentifyingDetail (kinds only) if not."""
        findings = self.scan(text)
        if findings:
            raise IdentifyingDetail(findings)
        return text

    def _registered_names(self, text: str, tokens_: list[Token]) -> Iterator[tuple[int, int]]:
        if not self._names:
            return
        words = [
            _Word(part, token, legacy) for token in tokens_ for part, legacy in _with_legacy(text, token)
        ]
        # Each distinct form is hashed once a scan (the, to, of recur). Every part of a registered
        # name of two letters or more is stored on its own too (hashes_for_party_name), so a run of
        # words can be a registered name only if each such word is a registered part: only those
        # runs are hashed whole.
        seen: dict[str, bool] = {}

        def stored(form: str) -> bool:
            known = seen.get(form)
            if known is None:
                mac = self._mac.copy()
                mac.update(form.encode("utf-8"))
                known = seen[form] = mac.hexdigest() in self._names
            return known

        plain = [stored(w.text) or stored(w.legacy) for w in words]
        everyday = [
            not plain[i] and (stored(_CAPITALISED_ONLY + w.text) or stored(_CAPITALISED_ONLY + w.legacy))
            for i, w in enumerate(words)
        ]
        part = [len(w.text) < MIN_NAME_PART or plain[i] or everyday[i] for i, w in enumerate(words)]
        for i, word in enumerate(words):
            if plain[i] or (everyday[i] and word.capitalised):
                yield word.start, word.end
        for size in range(2, MAX_NAME_WORDS + 1):
            for i in range(len(words) - size + 1):
                if not all(part[i : i + size]):
                    continue
                window = words[i : i + size]
                forms = {" ".join(w.text for w in window), " ".join(w.legacy for w in window)}
                if any(stored(form) for form in forms):
                    yield window[0].start, window[-1].end


def _with_legacy(text: str, token: Token) -> list[tuple[str, str]]:
    """Each part of a word with its form as version 0.1.0 folded it (the same for plain letters)."""
    if text[token.start : token.end].isascii():
        return [(part, part) for part in token.parts]
    old = legacy_parts(text[token.start : token.end])
    return (
        list(zip(token.parts, old, strict=True))
        if len(old) == len(token.parts)
        else [(p, p) for p in token.parts]
    )


def _merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Two patterns that caught the same detail report it once. The findings come sorted by start,
    so only the last one kept of each kind can overlap the next: one pass, however many there are."""
    merged: list[Finding] = []
    last_of_kind: dict[str, int] = {}
    for finding in findings:
        at = last_of_kind.get(finding.kind)
        if at is not None and finding.start < merged[at].end:
            same = merged[at]
            merged[at] = Finding(same.kind, same.start, max(same.end, finding.end))
        else:
            last_of_kind[finding.kind] = len(merged)
            merged.append(finding)
    return merged


class _Word:
    """A name-normal word with its position, and whether a capital mid-sentence marks it a name."""

    __slots__ = ("text", "legacy", "start", "end", "capitalised")

    def __init__(self, text: str, token: Token, legacy: str) -> None:
        self.text = text
        self.legacy = legacy
        self.start = token.start
        self.end = token.end
        self.capitalised = token.shape in (Shape.TITLE, Shape.UPPER) and not token.sentence_start
