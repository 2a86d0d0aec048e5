"""Names written as records write them: surname first, in capitals, after a label ("HADLEIGH,
Marcus", "Trevelyan, R.", "Danielle FAIRWEATHER", "Surname: Kowalczyk Forename: Agnieszka"), as
pasted from a form, a spreadsheet or the force's systems."""

from __future__ import annotations

import re
from collections.abc import Iterator

from panel.guard_person_place import MONTH_SHORT_NAMES
from panel.guard_tokens import Shape, Token
from panel.guard_words import NOT_A_NAME, Gazetteer

# A label that says the next word is a name: "Surname:", "Forename(s) -", "Last name:", "Name:".
_LABEL = re.compile(
    r"\b(?:(?:sur|fore|first|last|family|given|middle|maiden)\s?names?(?:\s?\(s\))?|name)"
    r"(?:\s{0,3}\([^)]{0,40}\))?\s{0,3}(?P<sep>[:\-–=]?)\s{0,3}",
    re.IGNORECASE,
)
_COMMA = re.compile(r"\s{0,3},\s{0,3}")
_SPACE = re.compile(r"\s{1,3}")


def record_names(text: str, words: list[Token], lists: Gazetteer) -> Iterator[tuple[int, int]]:
    """The span of every name written in a record's layout."""
    by_start = {w.start: n for n, w in enumerate(words)}
    for label in _LABEL.finditer(text):
        n = by_start.get(label.end())
        bare = not label.group("sep")
        plain_name = label.group().lower().startswith("name")
        if n is None or (bare and (words[n].shape is not Shape.UPPER or plain_name)):
            continue  # "name the file" is not a label; "Surname NOAKES" is
        if plain_name and words[n].shape is Shape.TITLE and not _listed(words[n], lists):
            continue  # "Theme name: Communication" names a thing
        if _could_be_a_name(words[n], lists):
            yield words[n].start, words[n].end
    for n in range(len(words) - 1):
        first, second = words[n], words[n + 1]
        between = text[first.end : second.start]
        initial_ok = not second.initial or _initial_alone(text, second)  # "OIC, I think" is no name
        comma = _COMMA.fullmatch(between) and initial_ok
        if comma and _surname_like(first, lists) and _forename_like(first, second, lists):
            yield first.start, second.end  # "HADLEIGH, Marcus", "Trevelyan, R.", "Adeyemi, Tolulope"
        elif _SPACE.fullmatch(between) and _capitals_pair(first, second, lists):
            yield first.start, second.end  # "PRENDERGAST SIOBHAN", "Danielle FAIRWEATHER"


def _listed(word: Token, lists: Gazetteer) -> bool:
    return any(p in lists.forenames or p in lists.surnames for p in word.parts)


def _initial_alone(text: str, word: Token) -> bool:
    """A single capital that is an initial, not the pronoun or article: "R." or "R" at the end, or
    before a bracket or a comma ("S. (IDVA)"); never "I think", "A new date"."""
    rest = text[word.end : word.end + 3]
    return rest[:1] in {".", ""} or rest.lstrip()[:1] in {"(", ",", ";", ""}


def _could_be_a_name(word: Token, lists: Gazetteer) -> bool:
    return len(word.key) >= 2 and word.shape is not Shape.LOWER and word.key not in NOT_A_NAME


def _surname_like(word: Token, lists: Gazetteer) -> bool:
    """A capitalised word that is no everyday word and no place: a surname, listed or not."""
    return (
        word.shape in (Shape.TITLE, Shape.UPPER)
        and len(word.key) >= 3
        and word.key not in MONTH_SHORT_NAMES
        and not any(p in lists.english or p in NOT_A_NAME for p in word.parts)
    )


def _forename_like(surname: Token, word: Token, lists: Gazetteer) -> bool:
    """After "Surname,": a listed forename or an initial; after "SURNAME,", also a capitalised word
    no list knows (a list of places, "Moore, Daresbury", is written in Title Case)."""
    if word.initial:
        return True
    if (
        word.shape not in (Shape.TITLE, Shape.UPPER)
        or word.key in NOT_A_NAME
        or word.key in MONTH_SHORT_NAMES
    ):
        return False
    if word.parts[0] in lists.forenames:
        return True
    return surname.shape is Shape.UPPER and not any(p in lists.english for p in word.parts)


def _capitals_pair(first: Token, second: Token, lists: Gazetteer) -> bool:
    """Two words, one in capitals, one of them a listed forename and neither an everyday word, an
    abbreviation's length or a place."""
    if Shape.UPPER not in (first.shape, second.shape):
        return False
    for word in (first, second):
        if word.shape not in (Shape.TITLE, Shape.UPPER) or len(word.key) < 3 or word.key in NOT_A_NAME:
            return False
        if any(p in lists.english for p in word.parts):
            return False
    upper = first if first.shape is Shape.UPPER else second
    if len(upper.key) <= 4 and upper is not second:
        return False  # short capitals are mostly abbreviations: "IOPC Tomasz" is not a name
    return first.parts[0] in lists.forenames or second.parts[0] in lists.forenames
