"""Text as a person reads it: characters that show nothing are gone, and letters are folded to the
plain Latin letters people type for them, the same way for a registered name and for the text the
guard reads, so "Łukasz", "lukasz" and "Lu\u200bkasz" are one word to it.

Built from Unicode's own character data (the standard library's `unicodedata`): a letter that
canonical decomposition leaves alone (ł, ø, đ, ħ, æ, œ, þ) is folded by its Unicode name, which
says which Latin letter it is made from ("LATIN SMALL LETTER L WITH STROKE"). The domain imports
only the standard library, so a transliteration package is not used here; letters of other scripts
are left as they are.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Characters that show nothing: Unicode's default-ignorable code points (DerivedCoreProperties),
# among them zero-width spaces and joiners, the word joiner, soft hyphens, bidirectional controls,
# variation selectors, Hangul fillers and tag characters.
_HIDDEN = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# "LATIN SMALL LETTER A WITH ...", and the small capitals "LATIN LETTER SMALL CAPITAL A" (ᴀ).
_LATIN_NAME = re.compile(
    r"LATIN (?:(?:SMALL|CAPITAL) (?:LETTER|LIGATURE)|LETTER SMALL CAPITAL) ([A-Z]{1,2})(?: WITH .*)?"
)
# Letters whose names do not spell their Latin reading.
_NAMED_LETTERS = {"THORN": "th", "ETH": "d", "DOTLESS I": "i", "DOTLESS J": "j", "ENG": "ng", "KRA": "q"}


def without_hidden(text: str) -> str:
    """The text without characters that show nothing (a zero-width space inside a name, a
    right-to-left override, a soft hyphen): what a reader of it sees."""
    if text.isascii():
        return text
    # Every format character too (Unicode category Cf: Arabic number signs, interlinear
    # annotation marks, Egyptian format controls...), which shows nothing where a name is.
    return "".join(c for c in _HIDDEN.sub("", text) if c.isascii() or unicodedata.category(c) != "Cf")


@lru_cache(maxsize=4096)
def latin_letters(char: str) -> str:
    """The plain Latin letters a letter is read as ("ł" -> "l", "æ" -> "ae"), itself otherwise."""
    if char.isascii() or not char.isalpha():
        return char
    name = unicodedata.name(char, "")
    found = _LATIN_NAME.fullmatch(name)
    if found:
        return found.group(1).lower()
    for suffix, letters in _NAMED_LETTERS.items():
        if name.startswith("LATIN ") and name.endswith(" LETTER " + suffix):
            return letters
    return char


def fold_letters(text: str) -> str:
    """Lower case, accents and marks removed, letters read as plain Latin ones, hidden characters
    gone: the one folding a registered name and the guard's reading of text both go through."""
    bare = legacy_fold(without_hidden(text))
    return bare if bare.isascii() else "".join(latin_letters(c) for c in bare)


def legacy_fold(text: str) -> str:
    """How names were folded before letters were read as Latin ones (version 0.1.0): the guard
    checks a word in this form too, so names registered then are still caught as written."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


# --- reading text as a person sees it -----------------------------------------------------------

# An override ends where its text is shown to end: at its pop, at the end of an isolate around it
# (U+2069) or at the end of the line or paragraph.
_OVERRIDE = re.compile(
    "\u202e([^\u202a-\u202e\u2066-\u2069\n\r\u0085\u2029]*)(?:\u202c|(?=[\u2069\n\r\u0085\u2029])|$)"
)
# Three or more single letters or digits set apart by one space, dot, dash or underscore:
# "K e r r y", "H.o.d.g.s.o.n", "0-7-7-0-0", "S K 1  3 B H".
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W_][ .\-_]){2,}[^\W_](?![^\W_])")


def _reverse_overrides(text: str) -> str:
    """Text inside a right-to-left override is stored backwards and shown forwards: read it as shown."""
    return _OVERRIDE.sub(lambda m: m.group(1)[::-1], text)


@lru_cache(maxsize=1)
def _confusables() -> dict[int, str]:
    """Characters that look like one plain Latin letter or digit (Unicode's confusables data; see
    panel/data/README.md), as a translation table."""
    data = resources.files("panel").joinpath("data", "confusables.txt.gz").read_bytes()
    pairs = (line.split("\t") for line in gzip.decompress(data).decode("ascii").splitlines() if line)
    return {int(code, 16): plain for code, plain in pairs}


def _plain_char(char: str) -> str:
    if unicodedata.combining(char):
        return ""  # a mark added on top of a letter or digit: what is read is the letter
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)  # digits of any script: ٠٧٧٠٠ reads as 07700
    return char


def as_read(text: str) -> str:
    """The text as a person reading it sees it, which is what the identity guard judges: compatibility
    forms folded (full-width and mathematical letters, ligatures), characters that show nothing
    removed, right-to-left overrides read as shown, marks stacked on letters dropped, digits of any
    script made plain, look-alike letters of other scripts read as the Latin ones they look like,
    and letters spaced out or dotted apart joined ("K e r r y" reads as "Kerry")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", without_hidden(_reverse_overrides(text)))
        decomposed = unicodedata.normalize("NFD", text)
        if any(unicodedata.combining(c) or not c.isascii() for c in decomposed):
            text = "".join(_plain_char(c) for c in decomposed).translate(_confusables())
            text = unicodedata.normalize("NFC", text)
    return _SPACED.sub(lambda m: re.sub(r"[ .\-_]", "", m.group()), text)
