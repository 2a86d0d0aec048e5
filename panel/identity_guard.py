"""The identity guard: decides whether free text may enter chat or storage.

It reports what kind of detail it found and where, never the text itself, so that a caller can
refuse with a clear message without repeating (or logging) what was typed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from panel.errors import Finding, IdentifyingDetail
from panel.reference import ALPHABET

EMAIL = "email"
PHONE = "phone"
POSTCODE = "postcode"
NI_NUMBER = "ni_number"
DATE_OF_BIRTH = "date_of_birth"
STAFF_NUMBER = "staff_number"
CASE_FILE_REFERENCE = "file_reference"
REGISTERED_NAME = "registered_name"

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}}{_MONTH}\s{{1,3}}\d{{2,4}}"
    rf"|{_MONTH}\s{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}}\d{{2,4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
_I = re.IGNORECASE

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Starts only where a run of address characters starts (the look-behind), so a long run with no
    # '@' is passed over once, not once per character: the scan stays linear in the text's length.
    (
        EMAIL,
        re.compile(
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])"
        ),
    ),
    # +44 or a leading 0, then 9 or 10 more digits with at most two separators between digits.
    (
        PHONE,
        re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s\-().]{0,2}\d){8,9}(?!\d)"),
    ),
    (POSTCODE, re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s{0,3}\d[ABD-HJLNP-UW-Z]{2}\b", _I)),
    (
        NI_NUMBER,
        re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", _I),
    ),
    (
        DATE_OF_BIRTH,
        re.compile(
            rf"\b(?:d\.?o\.?b\.?|date\s{{1,3}}of\s{{1,3}}birth|born(?:\s{{1,3}}on)?|birthday)\s{{0,3}}[:\-]?\s{{0,3}}(?:on\s{{1,3}})?{_DATE}",
            _I,
        ),
    ),
    # A full date in the twentieth century is almost never a case date, almost always a birth date.
    (
        DATE_OF_BIRTH,
        re.compile(
            rf"\b(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]19\d\d|\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}}{_MONTH}\s{{1,3}}19\d\d"
            r"|19\d\d-\d{2}-\d{2})\b",
            _I,
        ),
    ),
    (
        STAFF_NUMBER,
        re.compile(r"\b(?:T?DC|PC|PS|DS|PCSO|SGT|INSP|DI|DCI|CH\.?\s?INSP|SUPT|DSU)\s?\d{2,6}\b", _I),
    ),
    (
        STAFF_NUMBER,
        re.compile(
            r"\b(?:collar|warrant|payroll|shoulder|staff|employee|personnel|pay)\s{0,3}(?:card\s{0,3})?"
            r"(?:no\.?|number|num|#|id)?\s{0,3}[:#]?\s{0,3}[A-Z]{0,2}\d{3,12}\b",
            _I,
        ),
    ),
    (CASE_FILE_REFERENCE, re.compile(r"\b\d{1,4}/\d{4,12}/\d{2,4}\b")),
    (CASE_FILE_REFERENCE, re.compile(r"\b(?:19|20)\d{2}/\d{4,12}\b")),
    (
        CASE_FILE_REFERENCE,
        re.compile(
            r"\b(?:CRI|CRN|CR|CAD|PSD|CO|CM|IOPC|URN|OCC|INC|LOG|STORM|NICHE|ATHENA)"
            r"\s{0,3}(?:no\.?|number|ref(?:erence)?)?\s{0,3}[/:#\-]?\s{0,3}\d{3,12}(?:[/\-]\d{1,12}){0,4}\b",
            _I,
        ),
    ),
)

# Our own references (K7F-2QM) are pseudonyms and may be written freely; mask them so that the
# patterns above never mistake one for a postcode or file reference.
_OWN_REFERENCE = re.compile(rf"\b[{ALPHABET}]{{3}}-[{ALPHABET}]{{3}}\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’`][^\W\d_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"['’`]s\b")
_APOSTROPHE = re.compile(r"['’`]")
MAX_NAME_WORDS = 4
MIN_NAME_PART = 2


def normalise_name(text: str) -> str:
    """Fold a name to the form that is hashed: no accents, lower case, no possessive or apostrophe
    (O'Hara, O’Hara and OHara are one name), words split on any other punctuation."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = _APOSTROPHE.sub("", _POSSESSIVE.sub("", folded))
    return " ".join(_WORD.findall(folded))


def name_hash(key: bytes, normalised: str) -> str:
    """Keyed hash of a normalised name: without the key, the stored hash reveals nothing."""
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def hashes_for_party_name(key: bytes, full_name: str) -> frozenset[str]:
    """The hashes to store for a party's name: the whole name and each part, so that a surname or
    a first name alone is caught too. The name itself is never kept."""
    words = normalise_name(full_name).split()
    if not words:
        return frozenset()
    forms = {" ".join(words)} | {w for w in words if len(w) >= MIN_NAME_PART}
    return frozenset(name_hash(key, form) for form in forms)


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int


class IdentityGuard:
    """Finds identifying details in free text: fixed patterns, and names registered for parties."""

    def __init__(self, key: bytes, registered_name_hashes: Iterable[str] = ()) -> None:
        if len(key) < 16:
            raise ValueError("the identity hash key must be at least 16 bytes")
        self._key = key
        self._names = frozenset(registered_name_hashes)

    def scan(self, text: str) -> list[Finding]:
        """Every identifying detail found, by kind and position, in order of position."""
        masked = _OWN_REFERENCE.sub(lambda m: "#" * len(m.group()), text)
        found: dict[tuple[int, int], Finding] = {}
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(masked):
                found.setdefault((match.start(), match.end()), Finding(kind, match.start(), match.end()))
        for start, end in self._registered_names(text):
            found.setdefault((start, end), Finding(REGISTERED_NAME, start, end))
        return _merge_overlaps(sorted(found.values(), key=lambda f: (f.start, f.end)))

    def check(self, text: str) -> str:
        """Return the text if it is clean; raise IdentifyingDetail (kinds only) if not."""
        findings = self.scan(text)
        if findings:
            raise IdentifyingDetail(findings)
        return text

    def _registered_names(self, text: str) -> Iterator[tuple[int, int]]:
        if not self._names:
            return
        words = list(_words(text))
        for size in range(1, MAX_NAME_WORDS + 1):
            for i in range(len(words) - size + 1):
                window = words[i : i + size]
                form = " ".join(w.text for w in window)
                if name_hash(self._key, form) in self._names:
                    yield window[0].start, window[-1].end


def _merge_overlaps(findings: list[Finding]) -> list[Finding]:
    """Two patterns that caught the same detail report it once."""
    merged: list[Finding] = []
    for finding in findings:
        same = next((m for m in merged if m.kind == finding.kind and finding.start < m.end), None)
        if same is None:
            merged.append(finding)
        else:
            merged[merged.index(same)] = Finding(same.kind, same.start, max(same.end, finding.end))
    return merged


def _words(text: str) -> Iterator[_Word]:
    """Words of the text in name-normal form, with their positions in the original text."""
    for match in _WORD.finditer(text):
        normal = normalise_name(match.group())
        for part in normal.split():
            yield _Word(part, match.start(), match.end())
