"""A word alone where the sentence puts a person ("X rang", "Is X still the OIC?", "chase X",
"heard back from X"): refused whether or not any list knows it, so whether a surname is refused
never depends on whether it was registered for a party."""

from __future__ import annotations

import re

from panel.guard_tokens import JOIN, QUOTED_JOIN, Shape, Token, WordLists, gap
from panel.guard_words import (
    CHAT_SHORTHAND,
    DETERMINERS,
    MOVES,
    NOT_A_NAME,
    PANEL_SHORTHAND,
    PERSON_OBJECT_AFTER,
    PERSON_OBJECT_AFTER_ON,
    PERSON_OBJECT_AFTER_TO,
    PERSON_PREPOSITIONS,
    PERSON_VERBS,
    PLACE_PREPOSITIONS,
    PLACES,
    QUESTION_OPENERS,
    QUESTION_WORDS,
    ROLES,
    TITLES,
    near_english,
)

# "Jan" and "Jun" are names and months: "defer to Jan" is a month.
MONTH_SHORT_NAMES = frozenset({"jan", "jun", "mar", "dec"})
FROM_DEPARTMENT = re.compile(r"\s{1,3}from\s{1,3}(?:the\s{1,3}[A-Za-z]{2,20}|[A-Z]{2,6})\b")


class PersonPlaces(WordLists):
    """The person-place rule, on top of what the lists say of each word."""

    def _in_person_place(self, text: str, words: list[Token], i: int) -> tuple[int, int] | None:
        """A word alone where the sentence puts a person ("X rang", "X is off sick", "spoke to X",
        "ask X"): refused whether or not any list knows it, unless it is an ordinary English word
        (written in lower case, or at the start of a sentence: "Control rang", "Nobody said"), a
        place, an institution, a role or an abbreviation ("PSD rang"). So whether such a word is
        refused never depends on whether it was registered for a party."""
        word = words[i]
        # What the word itself is, first: a set lookup rules out most words before the sentence
        # around them is read (the rule's answer is the same in either order).
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
        if not (self._subject(text, words, i) or self._object(text, words, i)):
            return None
        if word.shape is Shape.LOWER and (
            any(p in CHAT_SHORTHAND for p in word.parts)
            or (not self._listed(word) and (len(word.key) <= 3 or any(near_english(p) for p in word.parts)))
        ):
            return None  # shorthand, an abbreviation or a slip of a key: "thx", "rtr was done", "recieved"
        return word.start, word.end

    def _subject(self, text: str, words: list[Token], i: int) -> bool:
        """Whether the word is what a person-verb is said of: "X rang", "X's account"."""
        before = words[i - 1] if i > 0 else None
        if before is not None and gap(text, before, words[i], JOIN):
            if before.key in DETERMINERS or before.key in PLACE_PREPOSITIONS or before.key in {"st", "saint"}:
                return False  # "the sergeant said", "in Carmarthen is", "St David's Day"
            if before.shape in (Shape.TITLE, Shape.UPPER) and not before.sentence_start:
                return False  # part of a longer proper name, which the pair rules judge
        after = words[i + 1] if i + 1 < len(words) else None
        if words[i].possessive:
            # "Kowalski's account", "Lorna's DASH"; not "Clare's Law", a thing named with a capital.
            return after is not None and after.shape is not Shape.TITLE
        if FROM_DEPARTMENT.match(text, words[i].end) and words[i].shape is Shape.TITLE:
            return True  # "Kev from the control room", "Jess from HR"
        if after is not None and gap(text, words[i], after, QUOTED_JOIN):
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
        if before is None or not gap(text, before, words[i], JOIN):
            return False
        after = words[i + 1] if i + 1 < len(words) else None
        if words[i].possessive and after is not None and after.shape is Shape.TITLE:
            return False  # "a referral from Clare's Law": a thing named with a capital
        if before.key in PERSON_OBJECT_AFTER:
            return True
        two_back = words[i - 2] if i > 1 else None
        # "moved to X", "dial in from X", "from Chester to X": a town is as likely as a person.
        moved = (
            two_back is not None
            and (two_back.key in MOVES or two_back.key in PLACES)
            and gap(text, two_back, before, JOIN)
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
            and gap(text, two_back, before, JOIN)
        )
