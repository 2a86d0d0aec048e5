"""The words of a text as the name rules read them: each folded for the lists, with where it is,
how it is written (Title, UPPER, lower) and whether it starts a sentence; and what the shipped
lists say of a word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from panel.guard_words import NOT_A_NAME, Gazetteer, gazetteer
from panel.readable import fold_letters, legacy_fold

_TOKEN = re.compile(r"[^\W\d_]+(?:['’`\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’`]s$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?:;\n•*–—|]")
JOIN = re.compile(r"\s{1,3}")
QUOTED_JOIN = re.compile(r"[\"'’”]?\s{1,3}")  # '"Taff" is the suspect'


class Shape(Enum):
    """How a word is written, which is most of what tells a name from an everyday word."""

    TITLE = "Title"  # Kerry, McDonald, O'Neil
    UPPER = "UPPER"  # HODGSON
    LOWER = "lower"  # kerry
    OTHER = "other"  # iPhone, K


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text, folded for the lists, with where it is and how it is written."""

    start: int
    end: int
    parts: tuple[str, ...]
    key: str  # the folded word with its hyphens dropped ("ex-partner" -> "expartner")
    shape: Shape
    possessive: bool
    sentence_start: bool

    @property
    def initial(self) -> bool:
        """A single capital letter, as in "J Hodgson"."""
        return self.end - self.start == 1 and self.shape is not Shape.LOWER


def fold(word: str) -> str:
    """Lower case, accents removed, letters read as plain Latin ones, apostrophes dropped: the form
    the lists are written in, and the form registered names are hashed in (panel.readable)."""
    return "".join(c for c in fold_letters(word) if c.isalpha())


def legacy_parts(word: str) -> tuple[str, ...]:
    """A word's parts as version 0.1.0 folded them (ł, ø, æ kept as they are): names registered
    then were hashed in this form."""
    bare = _POSSESSIVE.sub("", word)
    folded = (legacy_fold(part) for part in bare.split("-"))
    return tuple(p for p in ("".join(c for c in f if c.isalpha()) for f in folded) if p)


def tokens(text: str) -> list[Token]:
    """The words of the text, in order, with their shape and whether each starts a sentence."""
    found: list[Token] = []
    previous_end = 0
    for match in _TOKEN.finditer(text):
        parts, shape, possessive = _analyse(match.group())
        if not parts:
            continue
        found.append(
            Token(
                start=match.start(),
                end=match.end(),
                parts=parts,
                key="".join(parts),
                shape=shape,
                possessive=possessive,
                sentence_start=not found or bool(_SENTENCE_BREAK.search(text, previous_end, match.start())),
            )
        )
        previous_end = match.end()
    return found


@lru_cache(maxsize=8192)
def _analyse(word: str) -> tuple[tuple[str, ...], Shape, bool]:
    """A word's folded parts, shape and possessive; cached, since panel text repeats its words."""
    possessive = bool(_POSSESSIVE.search(word))
    bare = _POSSESSIVE.sub("", word) if possessive else word
    parts = tuple(p for p in (fold(part) for part in bare.split("-")) if p)
    return parts, _shape(bare), possessive


def _shape(word: str) -> Shape:
    letters = "".join(c for c in word if c.isalpha())
    if len(letters) > 1 and letters.isupper():
        return Shape.UPPER
    if letters.islower():
        return Shape.LOWER
    if letters[:1].isupper() and not letters.isupper():
        return Shape.TITLE
    return Shape.OTHER


def gap(text: str, left: Token, right: Token, allowed: re.Pattern[str]) -> bool:
    """Whether only what `allowed` matches lies between two words."""
    return allowed.fullmatch(text, left.end, right.start) is not None


class WordLists:
    """What the shipped lists say of a word: a forename, a surname, an everyday word, none of them."""

    def __init__(self, lists: Gazetteer | None = None) -> None:
        self._g = lists or gazetteer()

    def _listed(self, t: Token) -> bool:
        return any(p in self._g.forenames or p in self._g.surnames for p in t.parts)

    def _fore(self, t: Token) -> bool:
        return t.parts[0] in self._g.forenames and not self._not_a_name(t)

    def _sur(self, t: Token) -> bool:
        return any(p in self._g.surnames for p in t.parts) and not self._not_a_name(t)

    def _ordinary(self, t: Token) -> bool:
        return all(p in self._g.ordinary for p in t.parts)

    def _unlisted(self, t: Token) -> bool:
        """A word the lists do not know at all: neither a name nor an everyday word."""
        g = self._g
        return not any(p in g.forenames or p in g.surnames or p in g.ordinary for p in t.parts)

    @staticmethod
    def _not_a_name(t: Token, words: frozenset[str] = NOT_A_NAME) -> bool:
        return t.key in words or any(p in words for p in t.parts)
