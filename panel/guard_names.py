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
from dataclasses import replace

from panel.guard_person_place import FROM_DEPARTMENT, MONTH_SHORT_NAMES, PersonPlaces
from panel.guard_tokens import JOIN, Shape, Token, fold, gap, tokens
from panel.guard_words import (
    COURTESY_TITLES,
    INSTITUTIONS,
    NAMING_WORDS,
    NOT_A_NAME_AFTER_TITLE,
    PLACE_PREPOSITIONS,
    PLACES,
    PREDICATES,
    PUB_WORDS,
    RELATIONSHIPS,
    ROLES,
    TITLES,
)

__all__ = ["NameFinder"]

_AFTER_TITLE = re.compile(r"\.?\s{1,3}|\.\s{0,3}")
_AFTER_INITIAL = re.compile(r"\.?\s{1,3}|\.\s{0,3}")
_AFTER_TRIGGER = re.compile(r"\s{1,3}|\s{0,3}[,:(\-–]\s{0,3}['\"‘“]?|\s{1,3}['\"‘“]")
_SURNAME_FIRST = re.compile(r",?\s{1,3}")
# Two-word phrases that name someone next: "known as Kez", "goes by Dee", "her name is Kerry".
NAMING_PAIRS = frozenset(
    {("known", "as"), ("goes", "by"), ("name", "is"), ("names", "are"), ("also", "known")}
)


class NameFinder(PersonPlaces):
    """Finds unregistered personal names in text, by the shipped lists and the words around them."""

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

    # --- the rules -------------------------------------------------------------------------------

    def _after_title(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """Mr Hodgson, DI Pearce, Insp. J. Pearce, mrs green."""
        title = words[i]
        if title.key not in TITLES or title.possessive:
            return None
        j = i + 1
        while j < len(words) and words[j].initial and gap(text, words[j - 1], words[j], _AFTER_INITIAL):
            j += 1
        if j >= len(words) or not gap(text, words[j - 1], words[j], _AFTER_TITLE):
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
        if i + 1 >= len(words) or not gap(text, trigger, words[i + 1], _AFTER_TRIGGER):
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
        if j < len(words) and words[j].initial and gap(text, first, words[j], _AFTER_INITIAL):
            j += 1  # a middle initial
        if j >= len(words) or first.possessive or self._not_a_name(first):
            return None
        second = words[j]
        if j == i + 1 and first.shape is Shape.UPPER and second.shape is Shape.TITLE:
            if gap(text, first, second, _SURNAME_FIRST) and self._surname_first(first, second):
                return first.start, second.end
            return None
        if not gap(text, words[j - 1], second, JOIN if j == i + 1 else _AFTER_INITIAL):
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
            and gap(text, before, word, JOIN)
            and (after is None or after.shape is not Shape.TITLE)
        ):
            return word.start, word.end
        return None

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
        while j < len(words) and words[j].initial and gap(text, words[j - 1], words[j], _AFTER_INITIAL):
            j += 1
        if j >= len(words) or not gap(text, words[j - 1], words[j], _AFTER_INITIAL):
            return None
        if i > 0 and words[i - 1].initial and gap(text, words[i - 1], first, _AFTER_INITIAL):
            return None  # already reported from the first initial
        dotted = text[first.end : first.end + 1] == "."
        if first.key in {"a", "i"} and not dotted:
            return None  # "A Hodgson..." is more often the article than an initial
        name = words[j]
        if name.shape is not Shape.TITLE or self._not_a_name(name) or self._ordinary(name):
            return None
        return (first.start, name.end) if self._sur(name) else None


_APPOSITION = re.compile(r"\s{0,3},\s{1,3}(?:the|a|an|who|our|her|his|their|aged|a\s)\b", re.IGNORECASE)


def _said_of_a_person(text: str, words: list[Token], j: int) -> bool:
    """Whether what follows the word at j is said of a person: a verb such as "is", "has",
    "reported"; an apposition (", the victim"); a role ("(friend)"); or a possessive."""
    if words[j].possessive:
        return True
    if _APPOSITION.match(text, words[j].end) or _role_follows(text, words[j]):
        return True
    return j + 1 < len(words) and words[j + 1].key in PREDICATES and gap(text, words[j], words[j + 1], JOIN)


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
_ROLE_AFTER = re.compile(
    r"\s{0,3}(?:\(\s{0,3}|[–—\-]\s{1,3}|,\s{1,3}(?:the|her|his|their|our)\s{1,3}(?:[A-Za-z]{1,20}['’]s\s{1,3})?)"
    r"(?:the\s{1,3})?([A-Za-z]{2,20})\b"
)


def _role_follows(text: str, word: Token, *, department: bool = False) -> bool:
    """Whether a role follows the word: "(suspect)", "– friend", ", the victim's daughter"; or, for
    a forename, a department it is from ("Jess from HR")."""
    match = _ROLE_AFTER.match(text, word.end)
    if match is not None:
        return fold(match.group(1)) in ROLES
    return department and FROM_DEPARTMENT.match(text, word.end) is not None
