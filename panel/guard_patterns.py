"""The identity guard's fixed patterns: details that identify a person by their shape alone.

Every pattern is bounded (no nested repetition, fixed upper limits), so a long or hostile text is
scanned in time linear in its length.
"""

from __future__ import annotations

import re

from panel.guard_prefilter import needed_strings, needs_a_digit
from panel.guard_words import FUNCTION_WORDS, PLAIN_STREET_TYPES, STREET_TYPES

EMAIL = "email"
PHONE = "phone"
POSTCODE = "postcode"
NI_NUMBER = "ni_number"
DATE_OF_BIRTH = "date_of_birth"
STAFF_NUMBER = "staff_number"
CASE_FILE_REFERENCE = "file_reference"
STREET_ADDRESS = "street_address"
VEHICLE = "vehicle"
SOCIAL_HANDLE = "social_handle"

_I = re.IGNORECASE
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?"
_DATE = (
    r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?{_MONTH},?\s{{1,3}}\d{{2,4}}"
    rf"|{_MONTH}\s{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}}\d{{2,4}}"
    r"|\d{4}-\d{2}-\d{2})"
)


def _alternatives(words: frozenset[str]) -> str:
    """A regex alternation of words, longest first so that "gardens" wins over "gardens"' prefix."""
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


_STREET_TYPE = _alternatives(STREET_TYPES)
_PLAIN_STREET_TYPE = _alternatives(PLAIN_STREET_TYPES)
# A street's name: one to three words, each starting with a capital ("Orchard", "St Mary's").
_STREET_NAME = r"(?:[A-Z][A-Za-z'’\-]{0,30}\s{1,3}){1,3}"
_HOUSE = r"(?:(?:flat|apartment|apt|unit)\s{0,3}\d{1,4}[A-Za-z]?,?\s{1,3})?\d{1,4}[A-Za-z]?,?\s{1,3}"
_LIVES = (
    r"\b(?:lives|living|lived|resides|residing|reside|staying|"
    r"address(?:\s{1,3}is)?|home\s{1,3}address)\s{1,3}(?:at|on|in)?\s{0,3}"
)
# Mail providers people have personal addresses with: an address "at" one of these is an address
# even without its ".com".
_MAIL_PROVIDERS = (
    "gmail|googlemail|hotmail|outlook|yahoo|ymail|icloud|btinternet|aol|protonmail|proton|"
    "talktalk|virginmedia|msn|gmx|zoho|fastmail|tutanota"
)
_PLATFORMS = (
    r"(?:instagram|insta|ig|twitter|tiktok|tik\s?tok|snapchat|snap|facebook|fb|telegram|threads|"
    r"youtube|linkedin|onlyfans|discord|reddit|kik|whatsapp|signal|x|xbox|psn|playstation|steam|twitch)"
)
_DOMAIN_ACRONYMS = "|".join(
    sorted(
        {
            "PSD",
            "SOO",
            "CPS",
            "SIO",
            "PPU",
            "CID",
            "HMI",
            "NHS",
            "CAD",
            "ACC",
            "DCC",
            "DCI",
            "DSU",
            "IDV",
            "MOJ",
        }
    )
)

_TWO_LETTER_WORDS = "|".join(sorted(w.upper() for w in FUNCTION_WORDS if len(w) == 2))

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Starts only where a run of address characters starts (the look-behind), so a long run with no
    # '@' is passed over once, not once per character: the scan stays linear in the text's length.
    (
        EMAIL,
        re.compile(
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])"
        ),
    ),
    # Written out to dodge a filter: "jo.b at example dot org".
    (
        EMAIL,
        re.compile(
            r"\b[A-Za-z0-9._\-]{1,64}\s{0,3}[\[(]?\s?at\s?[\])]?\s{0,3}[A-Za-z0-9\-]{1,63}\s{0,3}[\[(]?\s?dot\s?[\])]?\s{0,3}[A-Za-z]{2,24}\b",
            _I,
        ),
    ),
    # "j.fenwick(at)gmail.com", "h.dobson1 @ gmail .com": the @ in brackets or set apart by spaces.
    (
        EMAIL,
        re.compile(
            r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]{1,64}\s{0,2}(?:@|[\[(]\s?at\s?[\])])\s{0,2}"
            r"[A-Za-z0-9\-]{1,63}\s{0,2}\.\s{0,2}[A-Za-z]{2,24}(?![A-Za-z])",
            _I,
        ),
    ),
    # A mailbox at a provider people use, with or without its ".com": "jjbrennan at btinternet",
    # "kez dot h at hotmail", "alfie.w @ gmail".
    (
        EMAIL,
        re.compile(
            r"\b[A-Za-z0-9._\-]{2,64}(?:\s{1,3}dot\s{1,3}[A-Za-z0-9_\-]{1,30})?\s{0,3}(?:@|[\[(]?\s?\bat\b\s?[\])]?)\s{0,3}"
            rf"(?:{_MAIL_PROVIDERS})\b",
            _I,
        ),
    ),
    # UK numbers people own: geographic (01, 02) and mobile (07), after 0, +44 or 0044, with up to
    # two separators between digits. 03, 08 and short numbers belong to organisations and pass.
    (
        PHONE,
        re.compile(r"(?<![\w+])(?:(?:\+|00)\s?44\s?(?:\(0\)\s?)?|\(?0)[127](?:[\s\-().]{0,2}\d){8,9}(?!\d)"),
    ),
    # Any other country's number, written with its + code.
    (PHONE, re.compile(r"(?<![\w+])\+\s?(?!44)[1-9]\d{0,2}(?:[\s\-().]{0,2}\d){7,12}(?!\d)")),
    # Any letters in the last part: a mistyped postcode still points at a street.
    (POSTCODE, re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s{0,3}\d[A-Z]{2}\b", _I)),
    # A National Insurance number as HMRC issues them...
    (
        NI_NUMBER,
        re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", _I),
    ),
    # ...and anything shaped or labelled like one: a mistyped number still points at a person.
    (NI_NUMBER, re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", _I)),
    (NI_NUMBER, re.compile(r"\b[A-Z]{2}\s\d{2}\s\d{2}\s\d{2}\b", _I)),
    (
        NI_NUMBER,
        re.compile(
            r"\b(?:NI|N\.I\.|NINO|national\s{1,3}insurance)\s{0,3}(?:no\.?|number|num|#)?\s{0,3}[:\-]?\s{0,3}"
            r"[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-Z]?\b",
            _I,
        ),
    ),
    (
        DATE_OF_BIRTH,
        re.compile(
            rf"\b(?:d\.?o\.?b\.?|date\s{{1,3}}of\s{{1,3}}birth|born(?:\s{{1,3}}on)?|birthday)\s{{0,3}}[:\-]?\s{{0,3}}(?:(?:is|was)\s{{1,3}})?(?:on\s{{1,3}})?(?:the\s{{1,3}})?{_DATE}",
            _I,
        ),
    ),
    (DATE_OF_BIRTH, re.compile(r"\bborn\s{1,3}(?:in\s{1,3})?(?:19|20)\d\d\b", _I)),
    # "b. 17.05.88": the genealogist's abbreviation for born.
    (DATE_OF_BIRTH, re.compile(rf"(?<![\w.])b\.\s{{0,3}}{_DATE}", _I)),
    # A full date in the twentieth century is almost never a case date, almost always a birth date.
    (
        DATE_OF_BIRTH,
        re.compile(
            rf"\b(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]19\d\d|\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?{_MONTH},?\s{{1,3}}19\d\d"
            r"|19\d\d-\d{2}-\d{2})\b",
            _I,
        ),
    ),
    (
        STAFF_NUMBER,
        re.compile(
            r"\b(?:T?DC|PC|PS|DS|SC|PCSO|SGT|INSP|DI|DCI|CH\.?\s?INSP|SUPT|DSU|(?:special\s{1,3})?constable|sergeant)"
            r"\s?\d{2,6}\b",
            _I,
        ),
    ),
    (
        STAFF_NUMBER,
        re.compile(
            r"\b(?:collar|warrant|payroll|shoulder|epaulette|badge|staff|employee|personnel|pay|force|hr|user|officer)\s{0,3}"
            r"(?:card\s{0,3})?(?:no\.?|number|num|#|id)?\s{0,3}(?:is\s{1,3}|was\s{1,3})?[:#]?\s{0,3}"
            r"[A-Z]{0,4}[/\-]?\d{3,12}\b",
            _I,
        ),
    ),
    (CASE_FILE_REFERENCE, re.compile(r"\b\d{1,4}/\d{4,12}/\d{2,4}\b")),
    (CASE_FILE_REFERENCE, re.compile(r"\b(?:19|20)\d{2}/\d{4,12}\b")),
    (
        CASE_FILE_REFERENCE,
        re.compile(
            r"\b(?:CRI|CRN|CRIS|CR|CAD|PSD|CO|CM|IOPC|URN|OCC|INC|LOG|STORM|NICHE|ATHENA|crime|incident|occurrence)"
            r"\s{0,3}(?:no\.?|number|ref(?:erence)?)?\s{0,3}[/:#\-]?\s{0,3}\d{3,12}(?:[/\-]\d{1,12}){0,4}\b",
            _I,
        ),
    ),
    # Letters, a year and a serial: "MC/26/1187".
    (CASE_FILE_REFERENCE, re.compile(r"\b[A-Z]{1,6}/\d{2,4}/\d{2,10}\b", _I)),
    # A number of ten digits or more is some system's reference (a phone number starts with 0 or +).
    (CASE_FILE_REFERENCE, re.compile(r"(?<![\d+%\-])\b[1-9]\d{9,19}\b")),
    # Any reference said to be one, with at least four digits: "MARAC ref 2026-0412".
    (
        CASE_FILE_REFERENCE,
        re.compile(
            r"\b(?:ref|reference|log|crime|incident|occurrence|case|record)\.?\s{0,3}(?:no\.?|number|num|#)?\s{0,3}"
            r"(?:is\s{1,3})?[:#]?\s{0,3}(?:[A-Z]{0,6}[/\-]?(?=[\d/\-]{4,})\d{2,12}(?:[/\-]\d{2,12}){0,3}"
            r"|(?=[A-Z]{0,6}\d)(?=(?:[A-Z/\-]{0,6}\d){4})[A-Z0-9][A-Z0-9/\-]{5,24})\b",
            _I,
        ),
    ),
    # The shapes forces' own record references take, refused by their shape alone (never by whether
    # one is registered for a case: that answer would tell anyone who typed one that it is before
    # the panel). A serial and a two-digit year, "12345/26", but not a financial year, "2025/26"...
    (CASE_FILE_REFERENCE, re.compile(r"\b(?!(?:19|20)\d\d/\d\d\b)\d{3,8}/\d{2}\b")),
    # ...a year and a serial, "2026-0412", but not a span of years, "2025-2026"...
    (CASE_FILE_REFERENCE, re.compile(r"\b(?!(?:19|20)\d\d[-/](?:19|20)\d\d\b)(?:19|20)\d\d[-/]\d{4,8}\b")),
    # ...letters and a long serial, "AB123456", "E12345/26"...
    (CASE_FILE_REFERENCE, re.compile(r"\b[A-Z]{1,3}\d{5,10}(?:/\d{2,4})?\b", _I)),
    # ...in capitals with spaces, "HRC 2099 77810"...
    (CASE_FILE_REFERENCE, re.compile(r"\b[A-Z]{2,6}[\s/\-]{1,2}(?:19|20)\d\d[\s/\-]{1,2}\d{3,8}\b")),
    # ...and a bare serial of eight or nine digits.
    (CASE_FILE_REFERENCE, re.compile(r"(?<![\d+%\-/.])\b\d{8,9}\b(?![/.\-]\d)")),
    # A Unique Reference Number as the CPS writes it: force code, station letters, serial, year.
    (
        CASE_FILE_REFERENCE,
        re.compile(r"\bURN\s{0,3}[:#\-]?\s{0,3}\d{2}\s?[A-Z]{2}\s?\d{5,7}(?:\s?/?\s?\d{2})?\b", _I),
    ),
    # A house or flat number, a street's name with capitals, and a street type: "flat 3, 22 Queen Street".
    (STREET_ADDRESS, re.compile(rf"\b{_HOUSE}{_STREET_NAME}(?i:{_STREET_TYPE})\b(?!['’]s)")),
    # In lower case only with a street type that is never an everyday word: "7 orchard road".
    (
        STREET_ADDRESS,
        re.compile(rf"\b{_HOUSE}(?:[a-z][a-z'’\-]{{0,30}}\s{{1,3}}){{1,3}}(?:{_PLAIN_STREET_TYPE})\b", _I),
    ),
    # Where someone lives, in any case and with or without a number: "lives on orchard close".
    (
        STREET_ADDRESS,
        re.compile(
            rf"{_LIVES}(?:{_HOUSE})?(?:[a-z][a-z'’\-]{{0,30}}\s{{1,3}}){{1,3}}(?:{_STREET_TYPE})\b", _I
        ),
    ),
    # A house number and a street whose name has no street type, where someone lives: "lives at
    # 11 Kingsway".
    (STREET_ADDRESS, re.compile(rf"{_LIVES}{_HOUSE}[A-Z][A-Za-z'’\-]{{2,30}}\b")),
    # A flat in a named building: "Flat 11, Riverside House".
    (
        STREET_ADDRESS,
        re.compile(
            r"\b(?:flat|apartment|apt)\s{0,3}\d{1,4}[A-Za-z]?,?\s{1,3}(?:[A-Z][A-Za-z'’\-]{0,30}\s{1,3}){1,3}"
            r"(?:house|court|lodge|apartments|mansions|tower|point|building|block|heights)\b",
            _I,
        ),
    ),
    # Welsh street names put the street type first: "17 Ffordd y Glowyr", "2 Lon Las".
    (
        STREET_ADDRESS,
        re.compile(
            r"\b\d{1,4}[A-Za-z]?,?\s{1,3}(?:ffordd|heol|l[oô]n|stryd|rhodfa|cilgant|teras|maes|clos)\s{1,3}"
            r"[A-Za-zâêîôûŵŷ'’]{1,20}(?:\s{1,3}[A-Za-zâêîôûŵŷ'’]{1,20}){0,2}",
            _I,
        ),
    ),
    # Vehicle registration marks: current (KX63 RTU), in any case...
    (VEHICLE, re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b", _I)),
    # ...and in capitals with a space after the letters too (DK 63 OMV), but not "AT 14 THE".
    (
        VEHICLE,
        re.compile(rf"\b(?!(?:{_TWO_LETTER_WORDS})\b)[A-Z]{{2}}\s\d{{2}}\s?[A-Z]{{3}}\b"),
    ),
    # ...prefix (A123 BCD) and suffix (ABC 123D), in capitals, unless the letters are one of ours...
    (VEHICLE, re.compile(rf"\b[A-HJ-PR-Y]\d{{1,3}}\s?(?!(?:{_DOMAIN_ACRONYMS})\b)[A-Z]{{3}}\b")),
    (VEHICLE, re.compile(rf"\b(?!(?:{_DOMAIN_ACRONYMS})\b)[A-Z]{{3}}\s?\d{{1,3}}[A-HJ-NP-Y]\b")),
    # ...and dateless or any other mark when it is said to be a vehicle's.
    (
        VEHICLE,
        re.compile(
            r"\b(?:reg|registration|vrm|vrn|plate|plates|number\s{1,3}plate|index)\s{1,3}(?:no\.?|number|mark)?\s{0,3}"
            r"(?:is\s{1,3}|was\s{1,3})?[:\-]?\s{0,3}"
            rf"(?!(?:{'|'.join(sorted(FUNCTION_WORDS))})\b)(?:[A-Z]{{1,3}}\s?\d{{1,4}}(?:\s?[A-Z]{{1,3}})?|\d{{1,4}}\s?[A-Z]{{1,3}})\b",
            _I,
        ),
    ),
    # Social media: an @handle (not an e-mail), a handle after a platform's name, a profile link.
    (
        SOCIAL_HANDLE,
        re.compile(r"(?<![\w@.])@(?=[A-Za-z0-9_.]{0,29}[A-Za-z])[A-Za-z0-9_][A-Za-z0-9_.]{1,29}\b"),
    ),
    (
        SOCIAL_HANDLE,
        re.compile(
            rf"\b{_PLATFORMS}\s{{0,3}}(?:handle|username|user\s?name|account|profile|name|id|tag|gamertag)?\s{{0,3}}[:=]\s{{0,3}}"
            r"@?[A-Za-z0-9_][A-Za-z0-9_.\-]{1,29}\b",
            _I,
        ),
    ),
    # "her Instagram is kerry.h.x": after "is", only something shaped like a handle (a digit, a dot
    # or an underscore in it), so "her Facebook account is closed" passes.
    (
        SOCIAL_HANDLE,
        re.compile(
            rf"\b{_PLATFORMS}\s{{0,3}}(?:handle|username|user\s?name|user|account|profile|name|id|tag|gamertag)?\s{{1,3}}(?:is\s{{1,3}})?@?"
            r"(?=[A-Za-z0-9_.\-]{0,29}[A-Za-z])(?=[A-Za-z0-9_.\-]{0,28}[\d_.][A-Za-z0-9_])[A-Za-z0-9_][A-Za-z0-9_.\-]{1,29}\b",
            _I,
        ),
    ),
    (
        SOCIAL_HANDLE,
        re.compile(
            r"\b(?:handle|username|user\s?name|gamertag|gaming\s{1,3}tag)\s{1,3}(?:on\s{1,3}\w{2,12}\s{1,3})?(?:is\s{1,3})?@?"
            rf"(?!(?:{'|'.join(sorted(FUNCTION_WORDS))})\b)[A-Za-z0-9_][A-Za-z0-9_.\-]{{1,29}}\b",
            _I,
        ),
    ),
    # A handle after a platform set apart by a dash: "snap - em.x.lou", "personal gmail - bethanyrose94",
    # or a profile path: "linkedin /in/rachel-hollins-hr".
    (
        SOCIAL_HANDLE,
        re.compile(
            rf"\b(?:{_PLATFORMS}|gmail|hotmail|outlook)\s{{1,3}}[-–—]\s{{1,3}}@?"
            r"(?=[A-Za-z0-9_.\-]{0,29}[\d_.])[A-Za-z0-9_][A-Za-z0-9_.\-]{1,29}\b"
            r"|(?<![\w/])/in/[A-Za-z0-9_\-]{3,60}",
            _I,
        ),
    ),
    # "the account bigmike_ports on fb marketplace": a handle-shaped account on a platform.
    (
        SOCIAL_HANDLE,
        re.compile(
            r"\baccount\s{1,3}(?=[A-Za-z0-9_.\-]{0,29}[\d_.])[A-Za-z0-9_][A-Za-z0-9_.\-]{2,29}\s{1,3}on\s{1,3}"
            rf"{_PLATFORMS}\b",
            _I,
        ),
    ),
    # A Reddit user: "u/bluelinegaz".
    (SOCIAL_HANDLE, re.compile(r"(?<![\w/])u/[A-Za-z0-9_\-]{3,20}\b")),
    (
        SOCIAL_HANDLE,
        re.compile(
            r"\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|tiktok|twitter|x|snapchat|linkedin|youtube|"
            r"threads|onlyfans|reddit|t)\.(?:com|me|net)/[A-Za-z0-9_.@\-/]{2,60}",
            _I,
        ),
    ),
)


# Which of PATTERNS need a digit in the text to match, by position.
NEEDS_A_DIGIT: frozenset[int] = frozenset(i for i, (_, p) in enumerate(PATTERNS) if needs_a_digit(p))

# For each of PATTERNS, strings one of which any match contains (None: no claim), so that a text
# without any of them is not searched with it: an address needs its "@" or its "at", a mailbox at a
# provider needs the provider's name, a handle after "username" needs that word.
NEEDED: tuple[frozenset[str] | None, ...] = tuple(needed_strings(p) for _, p in PATTERNS)
