"""Finding the names of people nobody registered: a forename and a surname, a title or rank and a
surname, a first name after a relationship word ("her partner Jason") or a naming word ("known as").

A word is a name part only if the shipped lists say so, and context decides the rest: capitals,
where the sentence starts, the words around it. "Will", "Mark", "Rose" and "Green" are names and
everyday words, so an everyday word counts only where its capital (mid-sentence) or its neighbours
say it is a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import Enum
from functools import lru_cache

from panel.guard_words import (
    CHAT_SHORTHAND,
    COURTESY_TITLES,
    DETERMINERS,
    INSTITUTIONS,
    MOVES,
    NAMING_WORDS,
    NOT_A_NAME,
    NOT_A_NAME_AFTER_TITLE,
    PANEL_SHORTHAND,
    PERSON_OBJECT_AFTER,
    PERSON_OBJECT_AFTER_ON,
    PERSON_OBJECT_AFTER_TO,
    PERSON_PREPOSITIONS,
    PERSON_VERBS,
    PLACE_PREPOSITIONS,
    PLACES,
    PREDICATES,
    PUB_WORDS,
    QUESTION_OPENERS,
    QUESTION_WORDS,
    RELATIONSHIPS,
    ROLES,
    TITLES,
    Gazetteer,
    gazetteer,
    near_english,
)
from panel.readable import fold_letters, legacy_fold

_TOKEN = re.compile(r"[^\W\d_]+(?:['’`\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’`]s$", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?:;\n•*–—|]")
_JOIN = re.compile(r"\s{1,3}")
_QUOTED_JOIN = re.compile(r"[\"'’”]?\s{1,3}")  # '"Taff" is the suspect'

_AFTER_TITLE = re.compile(r"\.?\s{1,3}|\.\s{0,3}")
_AFTER_INITIAL = re.compile(r"\.?\s{1,3}|\.\s{0,3}")
_AFTER_TRIGGER = re.compile(r"\s{1,3}|\s{0,3}[,:(\-–]\s{0,3}['\"‘“]?|\s{1,3}['\"‘“]")
_SURNAME_FIRST = re.compile(r",?\s{1,3}")
# Two-word phrases that name someone next: "known as Kez", "goes by Dee", "her name is Kerry".
NAMING_PAIRS = frozenset(
    {("known", "as"), ("goes", "by"), ("name", "is"), ("names", "are"), ("also", "known")}
)


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


class NameFinder:
    """Finds unregistered personal names in text, by the shipped lists and the words around them."""

    def __init__(self, lists: Gazetteer | None = None) -> None:
        self._g = lists or gazetteer()

    def find(self, text: str, words: list[Token] | None = None) -> Iterator[tuple[int, int]]:
        """The span of every personal name found (words: the text's tokens, if already made)."""
        words = tokens(text) if words is None else words
        if _heading(words):
            # In "Referrals Rose Sharply In Quarter Three" a capital says nothing: read it as if it
            # were written in lower case, where only unmistakable names count.
            words = [replace(w, shape=Shape.LOWER) if w.shape is Shape.TITLE else w for w in words]
        for i in range(len(words)):
            span = (
                self._after_title(text, words, i)
                or self._after_trigger(text, words, i)
                or self._pair(text, words, i)
                or self._alone(text, words, i)
                or self._in_person_place(text, words, i)
            )
            if span:
                yield span

    # --- the lists -------------------------------------------------------------------------------

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

    # --- the rules -------------------------------------------------------------------------------

    def _after_title(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """Mr Hodgson, DI Pearce, Insp. J. Pearce, mrs green."""
        title = words[i]
        if title.key not in TITLES or title.possessive:
            return None
        j = i + 1
        while j < len(words) and words[j].initial and _gap(text, words[j - 1], words[j], _AFTER_INITIAL):
            j += 1
        if j >= len(words) or not _gap(text, words[j - 1], words[j], _AFTER_TITLE):
            return None
        name = words[j]
        if self._not_a_name(name, NOT_A_NAME_AFTER_TITLE) or len(name.key) < 2:
            return None
        listed = self._listed(name)
        if name.shape is Shape.TITLE:
            return title.start, name.end
        if name.shape is Shape.UPPER and listed and not self._ordinary(name):
            return title.start, name.end
        courtesy = title.key in COURTESY_TITLES
        if name.shape is Shape.LOWER and listed and (courtesy or not self._ordinary(name)):
            return title.start, name.end
        return None

    def _after_trigger(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """her partner Jason, the son, Kai; known as Kez; called Dee."""
        trigger = words[i]
        naming = trigger.key in NAMING_WORDS or (i > 0 and (words[i - 1].key, trigger.key) in NAMING_PAIRS)
        if not naming and (trigger.key not in RELATIONSHIPS or trigger.possessive):
            return None
        if i + 1 >= len(words) or not _gap(text, trigger, words[i + 1], _AFTER_TRIGGER):
            return None
        name = words[i + 1]
        if self._not_a_name(name, NOT_A_NAME_AFTER_TITLE) or len(name.key) < 2:
            return None
        listed = self._listed(name) and (self._fore(name) or not self._ordinary(name))
        # After a lower-case relationship word, a capitalised word no list knows is a name too:
        # "her husband Sanjay". ("Victim Personal Statement" capitalises the first word as well.)
        unlisted = trigger.shape is Shape.LOWER and self._unlisted(name) and len(name.key) >= 3
        if name.shape is Shape.TITLE and (listed or naming or unlisted):
            return name.start, name.end
        if name.shape in (Shape.LOWER, Shape.UPPER) and listed and not self._ordinary(name):
            return name.start, name.end
        return None

    def _pair(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """Kerry Hodgson, Kerry J. Hodgson, kerry hodgson, HODGSON Kerry, J. Hodgson."""
        first = words[i]
        j = i + 1
        if first.initial:
            return self._initial(text, words, i)
        if j < len(words) and words[j].initial and _gap(text, first, words[j], _AFTER_INITIAL):
            j += 1  # a middle initial
        if j >= len(words) or first.possessive or self._not_a_name(first):
            return None
        second = words[j]
        if j == i + 1 and first.shape is Shape.UPPER and second.shape is Shape.TITLE:
            if _gap(text, first, second, _SURNAME_FIRST) and self._surname_first(first, second):
                return first.start, second.end
            return None
        if not _gap(text, words[j - 1], second, _JOIN if j == i + 1 else _AFTER_INITIAL):
            return None
        if self._not_a_name(second) or first.key in PLACES or self._names_a_thing(text, words, i, j):
            return None
        if not self._fore(first):
            if self._unlisted_forename(first, second) or self._unlisted_pair(text, words, i, j):
                return first.start, second.end
            return None
        if first.shape is Shape.TITLE and second.shape is Shape.TITLE:
            return (first.start, second.end) if self._title_pair(text, words, i, j) else None
        plain = not self._ordinary(first) and not self._ordinary(second) and self._sur(second)
        if first.shape is Shape.UPPER and second.shape is Shape.UPPER:
            return (first.start, second.end) if plain else None
        if {first.shape, second.shape} <= {Shape.TITLE, Shape.LOWER}:
            # "jade whittaker": an everyday forename is still a forename before a surname that is
            # no everyday word, unless it opens the sentence ("Mark Whittaker's action done").
            sure_surname = self._sur(second) and not self._ordinary(second)
            everyday_first = sure_surname and not first.sentence_start and first.shape is second.shape
            return (first.start, second.end) if plain or everyday_first else None
        return None

    def _names_a_thing(self, text: str, words: list[Token], i: int, j: int) -> bool:
        """Whether two capitalised words are the name of a place or an organisation by their
        neighbours: "Queen Elizabeth Hospital", "Ysgol Glan Clwyd", "in Bishop Auckland"."""
        before = words[i - 1] if i > 0 else None
        after = words[j + 1] if j + 1 < len(words) else None
        if after is not None and after.shape is Shape.TITLE and after.key in INSTITUTIONS:
            return not words[j].possessive  # "Delroy Anderson's Federation rep" is a person
        if before is not None and before.shape is Shape.TITLE and before.key in INSTITUTIONS:
            return True
        first, second = words[i], words[j]
        if second.key in PUB_WORDS and before is not None and before.key == "the":
            return True  # "the Red Lion", "the Royal Oak": an inn, not a person
        written = text[second.start : second.end]
        if len(written) <= 6 and len(written) > 1 and written.rstrip("s").isupper():
            return True  # "Basingstoke IDVAs", "Hampshire PSD": a body or role, not a surname
        if before is not None and before.key in PLACE_PREPOSITIONS and not second.possessive:
            return self._ordinary(first) or self._ordinary(second) or not self._listed(second)
        return False

    def _title_pair(self, text: str, words: list[Token], i: int, j: int) -> bool:
        first, second = words[i], words[j]
        if not self._sur(second):
            # A surname the lists do not know at all, after a forename: "Kerry Oyelaran", "spoke to
            # Frank Heseltine". An everyday forename opening a sentence could be the verb, unless
            # what follows is said of a person ("Florin Stanciu was arrested").
            if not self._unlisted(second) or len(second.key) < 3:
                return False
            return not (self._ordinary(first) and first.sentence_start) or _said_of_a_person(text, words, j)
        if not self._ordinary(first):
            return True
        if not self._ordinary(second):
            return True  # "Will Hodgson attend?": Hodgson is named whatever Will means
        if first.sentence_start:
            # "Mark Green done" is an instruction; "Dawn Fisher has been moved" is a person.
            return _said_of_a_person(text, words, j)
        # Two everyday words, both capitalised mid-sentence: a name unless they are part of a longer
        # capitalised title ("the Gold Group Meeting").
        before = words[i - 1] if i > 0 else None
        after = words[j + 1] if j + 1 < len(words) else None
        in_run = (before is not None and before.shape is Shape.TITLE and not before.sentence_start) or (
            after is not None and after.shape is Shape.TITLE
        )
        return not in_run

    def _unlisted_forename(self, first: Token, second: Token) -> bool:
        """A forename the lists lack before a surname they know: "Harpreet Sandhu", "DELROY CAMPBELL".
        A capitalised word the lists do not know is rarely an everyday word, and the surname is
        named whatever the first word is."""
        unknown = not any(p in self._g.forenames or p in self._g.surnames for p in first.parts)
        same_shape = first.shape is second.shape and first.shape in (Shape.TITLE, Shape.UPPER)
        return (
            unknown
            and same_shape
            and len(first.key) >= 3
            and self._sur(second)
            and not self._ordinary(second)
        )

    def _unlisted_pair(self, text: str, words: list[Token], i: int, j: int) -> bool:
        """Two capitalised words no list knows, said of a person: "Dilani Wickramasinghe is the
        victim". Without the predicate they could as well be a place or an organisation."""
        first, second = words[i], words[j]
        return (
            first.shape is Shape.TITLE
            and second.shape is Shape.TITLE
            and self._unlisted(first)
            and self._unlisted(second)
            and min(len(first.key), len(second.key)) >= 3
            and _said_of_a_person(text, words, j)
        )

    def _alone(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """One name on its own, where the words around it say it is a person's: "Kowalski's account",
        "Adeyemi (suspect)", "Zainab, the victim's daughter", "Jess from HR", "according to Tariq"."""
        word = words[i]
        if word.shape not in (Shape.TITLE, Shape.UPPER) or self._not_a_name(word) or len(word.key) < 3:
            return None
        if self._ordinary(word):
            return None
        listed = self._listed(word)
        after = words[i + 1] if i + 1 < len(words) else None
        before = words[i - 1] if i > 0 else None
        saint = before is not None and before.key in {"st", "saint"}
        named_thing = after is not None and after.shape in (Shape.TITLE, Shape.UPPER)
        if word.possessive and listed and not named_thing and not saint:
            return word.start, word.end  # "Clare's Law" and "St Joseph's RC" name a thing, not a person
        if (listed or self._unlisted(word)) and _role_follows(text, word, department=self._fore(word)):
            return word.start, word.end
        if (
            listed
            and self._fore(word)
            and before is not None
            and before.key in PERSON_OBJECT
            and word.key not in MONTH_SHORT_NAMES
            and _gap(text, before, word, _JOIN)
            and (after is None or after.shape is not Shape.TITLE)
        ):
            return word.start, word.end
        return None

    def _in_person_place(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """A word alone where the sentence puts a person ("X rang", "X is off sick", "spoke to X",
        "ask X"): refused whether or not any list knows it, unless it is an ordinary English word
        (written in lower case, or at the start of a sentence: "Control rang", "Nobody said"), a
        place, an institution, a role or an abbreviation ("PSD rang"). So whether such a word is
        refused never depends on whether it was registered for a party."""
        word = words[i]
        if not (self._subject(text, words, i) or self._object(text, words, i)):
            return None
        short = len(word.key) == 2 and word.shape is Shape.TITLE and self._fore(word)  # "Mo has been told"
        if (len(word.key) < 3 and not short) or word.shape is Shape.OTHER or self._not_a_name(word):
            return None
        written = text[word.start : word.end]
        if len(word.key) <= 6 and written.rstrip("s").isupper():
            return None  # PSD, CPS, IDVA, MASH, SOOs: bodies and roles, not people
        if any(p in ROLES or p in TITLES or p in PANEL_SHORTHAND for p in word.parts):
            return None
        if all(p in self._g.english for p in word.parts):
            return None  # "Control rang", "Nobody said" (an everyday name such as "Green" too)
        if word.key in self._g.english or word.key.removesuffix("s") in NOT_A_NAME:
            return None  # "by e-mail", "to Tuesdays"
        if word.shape is Shape.LOWER and (
            any(p in CHAT_SHORTHAND for p in word.parts)
            or (not self._listed(word) and (len(word.key) <= 3 or any(near_english(p) for p in word.parts)))
        ):
            return None  # shorthand, an abbreviation or a slip of a key: "thx", "rtr was done", "recieved"
        return word.start, word.end

    def _subject(self, text: str, words: list[Token], i: int) -> bool:
        """Whether the word is what a person-verb is said of: "X rang", "X's account"."""
        before = words[i - 1] if i > 0 else None
        if before is not None and _gap(text, before, words[i], _JOIN):
            if before.key in DETERMINERS or before.key in PLACE_PREPOSITIONS or before.key in {"st", "saint"}:
                return False  # "the sergeant said", "in Carmarthen is", "St David's Day"
            if before.shape in (Shape.TITLE, Shape.UPPER) and not before.sentence_start:
                return False  # part of a longer proper name, which the pair rules judge
        after = words[i + 1] if i + 1 < len(words) else None
        if words[i].possessive:
            # "Kowalski's account", "Lorna's DASH"; not "Clare's Law", a thing named with a capital.
            return after is not None and after.shape is not Shape.TITLE
        if _FROM_DEPARTMENT.match(text, words[i].end) and words[i].shape is Shape.TITLE:
            return True  # "Kev from the control room", "Jess from HR"
        if after is not None and _gap(text, words[i], after, _QUOTED_JOIN):
            if after.key in PERSON_VERBS:
                return True
            if after.key in {"and", "or"}:  # "X and the SOO spoke", "X or the new sergeant"
                next_ = words[i + 2] if i + 2 < len(words) else None
                return next_ is not None and (next_.key in DETERMINERS or next_.key in ROLES)
            if after.key == "again" and words[i].sentence_start:  # "X again?"
                return True
            if after.key == "to" and i + 2 < len(words) and words[i + 2].shape is Shape.LOWER:
                then = words[i + 2].key  # an action's owner: "X to update the file", not "X to our"
                return then in self._g.english and then not in DETERMINERS
        if words[i].sentence_start and text[words[i].end : words[i].end + 1] == "?":
            return True  # "X?" on its own
        two_back = words[i - 2] if i > 1 else None
        if before is not None and before.key == "is" and two_back is not None and two_back.key in ROLES:
            return True  # "the suspect is X"
        # A question put about someone: "Is X still the OIC?", "How did X grade it?" (as written:
        # "we're" folds to "were", which asks nothing).
        return (
            before is not None
            and (before.sentence_start or (two_back is not None and two_back.key in QUESTION_WORDS))
            and before.key in QUESTION_OPENERS
            and text[before.start : before.end].isalpha()
        )

    def _object(self, text: str, words: list[Token], i: int) -> bool:
        """Whether the word is someone spoken to or about: "told X", "spoke to X", "according to X"."""
        before = words[i - 1] if i > 0 else None
        if before is None or not _gap(text, before, words[i], _JOIN):
            return False
        if before.key in PERSON_OBJECT_AFTER:
            return True
        two_back = words[i - 2] if i > 1 else None
        # "moved to X", "dial in from X", "from Chester to X": a town is as likely as a person.
        moved = (
            two_back is not None
            and (two_back.key in MOVES or two_back.key in PLACES)
            and _gap(text, two_back, before, _JOIN)
        )
        if before.key in ROLES and text[before.end : words[i].start].strip() == "(":
            return True  # "the attending officer (X)"
        if before.key in {"to", "from"} and moved:
            return False
        if before.key in PERSON_PREPOSITIONS and words[i].key not in MONTH_SHORT_NAMES:
            return True  # "heard back from X", "signed off by X", "with X after the meeting"
        if before.key == "on" and two_back is not None and two_back.key in PERSON_OBJECT_AFTER_ON:
            return True  # "waiting on X"
        return (
            before.key == "to"
            and two_back is not None
            and two_back.key in PERSON_OBJECT_AFTER_TO
            and _gap(text, two_back, before, _JOIN)
        )

    def _surname_first(self, surname: Token, forename: Token) -> bool:
        return (
            self._sur(surname)
            and not self._ordinary(surname)
            and self._fore(forename)
            and not self._not_a_name(forename)
        )

    def _initial(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """J. Hodgson, J Hodgson, K.J. Hodgson."""
        first = words[i]
        j = i + 1
        while j < len(words) and words[j].initial and _gap(text, words[j - 1], words[j], _AFTER_INITIAL):
            j += 1
        if j >= len(words) or not _gap(text, words[j - 1], words[j], _AFTER_INITIAL):
            return None
        if i > 0 and words[i - 1].initial and _gap(text, words[i - 1], first, _AFTER_INITIAL):
            return None  # already reported from the first initial
        dotted = text[first.end : first.end + 1] == "."
        if first.key in {"a", "i"} and not dotted:
            return None  # "A Hodgson..." is more often the article than an initial
        name = words[j]
        if name.shape is not Shape.TITLE or self._not_a_name(name) or self._ordinary(name):
            return None
        return (first.start, name.end) if self._sur(name) else None


def _gap(text: str, left: Token, right: Token, allowed: re.Pattern[str]) -> bool:
    return allowed.fullmatch(text, left.end, right.start) is not None


_APPOSITION = re.compile(r"\s{0,3},\s{1,3}(?:the|a|an|who|our|her|his|their|aged|a\s)\b", re.IGNORECASE)


def _said_of_a_person(text: str, words: list[Token], j: int) -> bool:
    """Whether what follows the word at j is said of a person: a verb such as "is", "has",
    "reported"; an apposition (", the victim"); a role ("(friend)"); or a possessive."""
    if words[j].possessive:
        return True
    if _APPOSITION.match(text, words[j].end) or _role_follows(text, words[j]):
        return True
    return j + 1 < len(words) and words[j + 1].key in PREDICATES and _gap(text, words[j], words[j + 1], _JOIN)


def _heading(words: list[Token]) -> bool:
    """A line in Title Case ("Gray Areas In Conduct Assessment"): four words or more, nearly all
    capitalised, including the small words a sentence would not capitalise."""
    if len(words) < 4:
        return False
    capitalised = sum(1 for w in words[1:] if w.shape in (Shape.TITLE, Shape.UPPER))
    return capitalised >= 0.8 * (len(words) - 1)


# Words after which a forename alone is someone spoken to, about or by: "spoke to Tariq".
PERSON_OBJECT = frozenset(
    {
        *("to", "with", "told", "asked", "contacted", "rang", "phoned", "emailed", "texted"),
        *("messaged", "visited", "met", "interviewed", "arrested", "from", "by", "for"),
    }
)
# "Jan" and "Jun" are names and months: "defer to Jan" is a month.
MONTH_SHORT_NAMES = frozenset({"jan", "jun", "mar", "dec"})
_ROLE_AFTER = re.compile(
    r"\s{0,3}(?:\(\s{0,3}|[–—\-]\s{1,3}|,\s{1,3}(?:the|her|his|their|our)\s{1,3}(?:[A-Za-z]{1,20}['’]s\s{1,3})?)"
    r"(?:the\s{1,3})?([A-Za-z]{2,20})\b"
)
_FROM_DEPARTMENT = re.compile(r"\s{1,3}from\s{1,3}(?:the\s{1,3}[A-Za-z]{2,20}|[A-Z]{2,6})\b")


def _role_follows(text: str, word: Token, *, department: bool = False) -> bool:
    """Whether a role follows the word: "(suspect)", "– friend", ", the victim's daughter"; or, for
    a forename, a department it is from ("Jess from HR")."""
    match = _ROLE_AFTER.match(text, word.end)
    if match is not None:
        return fold(match.group(1)) in ROLES
    return department and _FROM_DEPARTMENT.match(text, word.end) is not None
